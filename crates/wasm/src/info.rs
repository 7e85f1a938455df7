//! What this build is: compared by the loader against what it asked for.

use wasm_bindgen::prelude::*;

/// Bumped whenever an export changes meaning; the TS loader refuses a mismatch.
pub const ABI_VERSION: u32 = 2;

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

/// Whether the engine keeps a wasm function's instruction order, for the FMA builds' kernels
/// (`gluon_kernels::gemm::micro::set_order_kept`): the loader's finding, set once after
/// instantiation. Same results either way.
#[wasm_bindgen]
pub fn set_wasm_order_kept(on: bool) {
    gluon_kernels::gemm::micro::set_order_kept(on);
}

/// What [`set_wasm_order_kept`] was told (the benchmarks print it).
#[wasm_bindgen]
pub fn wasm_order_kept() -> bool {
    gluon_kernels::gemm::micro::order_kept()
}
