//! Fork-join plumbing: the executor trait a caller (the wasm layer's worker pool) supplies,
//! and `RawBuf`, the one way kernels hand disjoint parts of a buffer to parallel parts.

/// Runs independent parts of one kernel call, possibly on several threads.
pub trait Parallel: Sync {
    /// Threads that take parts (1: everything runs inline).
    fn threads(&self) -> usize;
    /// Runs `f(0..parts)`, possibly concurrently, and returns once every part has finished
    /// (an error means some part did not run, e.g. a worker died).
    fn run(&self, parts: usize, f: &(dyn Fn(usize) + Sync)) -> Result<(), String>;
    /// Work (multiply-adds) below which a kernel does not split a unit of work (for the RNN:
    /// one time step), since waking workers costs tens of microseconds.
    fn min_parallel_macs(&self) -> usize {
        DEFAULT_MIN_PARALLEL_MACS
    }
}

/// Default of [`Parallel::min_parallel_macs`].
pub const DEFAULT_MIN_PARALLEL_MACS: usize = 1 << 18;

/// Runs every part on the calling thread.
#[derive(Clone, Copy, Debug, Default)]
pub struct Inline;

impl Parallel for Inline {
    fn threads(&self) -> usize {
        1
    }
    fn run(&self, parts: usize, f: &(dyn Fn(usize) + Sync)) -> Result<(), String> {
        (0..parts).for_each(f);
        Ok(())
    }
}

/// A mutable f32 buffer shared by the parts of a fork-join; each part touches only its own
/// (disjoint) elements, so the buffer cannot be lent out as one `&mut [f32]`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawBuf {
    ptr: *mut f32,
    len: usize,
}

// SAFETY: a RawBuf is only a (pointer, length) pair; every access goes through `slice` or
// the GEMM tile writers, whose contracts require parts to touch disjoint elements.
unsafe impl Send for RawBuf {}
// SAFETY: as above.
unsafe impl Sync for RawBuf {}

impl RawBuf {
    /// Views `s`; the caller must not use `s` while the view's slices are alive.
    pub fn new(s: &mut [f32]) -> Self {
        RawBuf {
            ptr: s.as_mut_ptr(),
            len: s.len(),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn ptr(&self) -> *mut f32 {
        self.ptr
    }

    /// The view from element `off` on (bounds-checked): a part's column block of a
    /// row-major matrix starts there.
    pub fn from(self, off: usize) -> Self {
        assert!(off <= self.len, "RawBuf offset out of range");
        RawBuf {
            // SAFETY: `off <= len`, so the pointer stays inside (or one past) the buffer.
            ptr: unsafe { self.ptr.add(off) },
            len: self.len - off,
        }
    }

    /// Elements `off..off + len` (bounds-checked).
    ///
    /// # Safety
    /// The buffer must still be alive and exclusively lent to this fork-join, and no other
    /// live reference or concurrent access may overlap these elements while the slice is
    /// used.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn slice<'a>(&self, off: usize, len: usize) -> &'a mut [f32] {
        assert!(
            off.checked_add(len).is_some_and(|end| end <= self.len),
            "RawBuf slice out of range"
        );
        // SAFETY: in bounds (asserted); exclusivity is the caller's contract.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.add(off), len) }
    }
}

/// Per-part scratch values (one slot per part) shared by a fork-join.
pub(crate) struct Slots<T> {
    ptr: *mut T,
    len: usize,
}

// SAFETY: each part accesses only its own slot (`get` contract); T is sent across threads.
unsafe impl<T: Send> Sync for Slots<T> {}

impl<T> Slots<T> {
    pub fn new(s: &mut [T]) -> Self {
        Slots {
            ptr: s.as_mut_ptr(),
            len: s.len(),
        }
    }

    /// Number of slots.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Slot `i` (bounds-checked).
    ///
    /// # Safety
    /// The slice given to `new` must still be exclusively lent, and no two concurrent
    /// callers may use the same `i`.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn get(&self, i: usize) -> &mut T {
        assert!(i < self.len, "slot out of range");
        // SAFETY: in bounds (asserted); exclusivity is the caller's contract.
        unsafe { &mut *self.ptr.add(i) }
    }
}

/// Test executor: real threads, one per part, splitting every call (it checks the
/// disjointness claims of the parallel paths and their bitwise identity to the serial ones).
#[cfg(test)]
pub(crate) struct Threads(pub usize);

#[cfg(test)]
impl Parallel for Threads {
    fn threads(&self) -> usize {
        self.0
    }
    fn run(&self, parts: usize, f: &(dyn Fn(usize) + Sync)) -> Result<(), String> {
        std::thread::scope(|s| {
            for p in 0..parts {
                s.spawn(move || f(p));
            }
        });
        Ok(())
    }
    fn min_parallel_macs(&self) -> usize {
        0
    }
}
