//! Test hooks, compiled only with the `test-hooks` feature: `scripts/build-wasm.sh` builds
//! them into `target/test-hooks/`, never into the shipped `.wasm` files.

use wasm_bindgen::prelude::*;

/// Traps on purpose (a wasm `unreachable`), as a kernel bug would: tests check that the
/// backend replaces the instance and that every later call works.
#[wasm_bindgen]
pub fn test_trap() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}

/// Worker `index` fails as if it crashed the next time it claims a part (its part is then
/// never finished), so tests can check that the caller reports it instead of waiting
/// forever. 0 disarms it.
#[wasm_bindgen]
pub fn pool_debug_fail_worker(index: usize) {
    crate::pool::debug_fail(index)
}
