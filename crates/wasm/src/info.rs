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

/// How the FMA builds' register tile reads A (`gluon_kernels::gemm::micro::set_splat_rows`):
/// the loader's choice for the engine, made once after instantiation. Same results either way.
#[wasm_bindgen]
pub fn set_tile_splat_rows(on: bool) {
    gluon_kernels::gemm::micro::set_splat_rows(on);
}

/// The choice [`set_tile_splat_rows`] made (the benchmarks print it).
#[wasm_bindgen]
pub fn tile_splat_rows() -> bool {
    gluon_kernels::gemm::micro::splat_rows()
}
