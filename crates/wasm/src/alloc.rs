//! Live-heap accounting over the system allocator, so that JavaScript can compare what a
//! call will copy into wasm memory with what memory can still give before copying anything
//! (wasm-bindgen's own `malloc` aborts, a trap, when an argument does not fit).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use wasm_bindgen::prelude::*;

/// The largest a wasm32 memory can grow: 65536 pages of 64 KiB.
const MAX_MEMORY_BYTES: u64 = 1 << 32;

static LIVE: AtomicUsize = AtomicUsize::new(0);
/// Successful allocations and reallocations so far (tests check steady-state calls add none).
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

struct Counting;

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counter is bookkeeping only and never affects a pointer.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Relaxed);
            ALLOCS.fetch_add(1, Relaxed);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Relaxed);
            ALLOCS.fetch_add(1, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with `layout` (the caller's contract).
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on unchanged.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_add(new_size, Relaxed);
            LIVE.fetch_sub(layout.size(), Relaxed);
            ALLOCS.fetch_add(1, Relaxed);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Bytes currently allocated on the Rust heap.
#[wasm_bindgen]
pub fn heap_live_bytes() -> f64 {
    LIVE.load(Relaxed) as f64
}

/// Allocations made so far (for tests: a steady-state call must add none).
#[wasm_bindgen]
pub fn heap_alloc_count() -> f64 {
    ALLOCS.load(Relaxed) as f64
}

/// Bytes the heap can still hand out before wasm memory reaches its 4 GiB limit (less any
/// fragmentation): the static data and stacks below the heap and the live heap are taken.
#[wasm_bindgen]
pub fn heap_headroom_bytes() -> f64 {
    MAX_MEMORY_BYTES.saturating_sub(heap_base() + LIVE.load(Relaxed) as u64) as f64
}

#[cfg(target_arch = "wasm32")]
fn heap_base() -> u64 {
    extern "C" {
        static __heap_base: u8;
    }
    // A linker-defined symbol: only its address is meaningful.
    core::ptr::addr_of!(__heap_base) as usize as u64
}

#[cfg(not(target_arch = "wasm32"))]
fn heap_base() -> u64 {
    0
}
