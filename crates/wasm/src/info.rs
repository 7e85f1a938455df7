//! What this build is: compared by the loader against what it asked for.

use wasm_bindgen::prelude::*;

/// Bumped whenever an export changes meaning; the TS loader refuses a mismatch.
pub const ABI_VERSION: u32 = 1;

#[wasm_bindgen]
pub fn abi_version() -> u32 {
    ABI_VERSION
}

#[wasm_bindgen]
pub fn simd_enabled() -> bool {
    cfg!(target_feature = "simd128")
}

#[wasm_bindgen]
pub fn threads_enabled() -> bool {
    cfg!(target_feature = "atomics")
}
