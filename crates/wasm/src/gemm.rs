//! SGEMM export (BLAS semantics, row-major): checks the operands and calls the kernels'
//! `sgemm_par`, which spreads the work over the pool.

use crate::check::{check_matrix, kernel_error};
use crate::split;
use gluon_kernels::gemm;
use wasm_bindgen::prelude::*;

/// `C = alpha * op(A) * op(B) + beta * C`, row-major; `c` is updated in place
/// (wasm-bindgen copies the typed array in and back out).
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen]
pub fn sgemm(
    trans_a: bool,
    trans_b: bool,
    m: usize,
    n: usize,
    k: usize,
    alpha: f32,
    a: &[f32],
    lda: usize,
    b: &[f32],
    ldb: usize,
    beta: f32,
    c: &mut [f32],
    ldc: usize,
) -> Result<(), JsError> {
    check_ab(trans_a, trans_b, m, n, k, a, lda, b, ldb)?;
    check_matrix("sgemm: C", c.len(), m, n, ldc)?;
    gemm::sgemm_par(
        trans_a,
        trans_b,
        m,
        n,
        k,
        alpha,
        a,
        lda,
        b,
        ldb,
        beta,
        c,
        ldc,
        &split::Pool,
    )
    .map_err(kernel_error)
}

/// `op(A) * op(B)` (m x n, row-major) as a new array: the operation behind `nd.dot`, whose
/// output is fresh, so no C is copied in (beta = 0 never reads it) and JavaScript allocates
/// only the result wasm-bindgen copies out.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen]
pub fn sgemm_new(
    trans_a: bool,
    trans_b: bool,
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    lda: usize,
    b: &[f32],
    ldb: usize,
) -> Result<Vec<f32>, JsError> {
    // A and B are checked before C is allocated: a bad call does no work.
    check_ab(trans_a, trans_b, m, n, k, a, lda, b, ldb)?;
    let len = m
        .checked_mul(n)
        .ok_or_else(|| JsError::new(&format!("sgemm: C of {m} x {n} floats overflows")))?;
    let mut c = gluon_kernels::alloc::zeroed(len, "sgemm: C").map_err(kernel_error)?;
    sgemm(
        trans_a, trans_b, m, n, k, 1.0, a, lda, b, ldb, 0.0, &mut c, n,
    )?;
    Ok(c)
}

/// Checks that `a` holds op(A) (m x k) and `b` op(B) (k x n) with their leading dimensions.
#[allow(clippy::too_many_arguments)]
fn check_ab(
    trans_a: bool,
    trans_b: bool,
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    lda: usize,
    b: &[f32],
    ldb: usize,
) -> Result<(), JsError> {
    let (ar, ac) = if trans_a { (k, m) } else { (m, k) };
    let (br, bc) = if trans_b { (n, k) } else { (k, n) };
    check_matrix("sgemm: A", a.len(), ar, ac, lda)?;
    check_matrix("sgemm: B", b.len(), br, bc, ldb)
}

/// The synthetic f32x4 multiply-add loop that measures this runtime's SIMD peak
/// (12 independent chains); returns a value derived from the accumulators.
#[wasm_bindgen]
pub fn simd_peak_probe(iters: usize) -> f32 {
    gluon_kernels::peak::simd_peak_probe(iters)
}

/// Floating-point operations `simd_peak_probe(iters)` performs.
#[wasm_bindgen]
pub fn simd_peak_probe_flops(iters: usize) -> f64 {
    gluon_kernels::peak::simd_peak_probe_flops(iters)
}

/// The GEMM's register tile (MR x 8) over L1-resident panels, `passes` times (the other peak
/// probe: the benchmark takes the faster of the two).
#[wasm_bindgen]
pub fn simd_tile_probe(passes: usize) -> f32 {
    gluon_kernels::peak::tile_peak_probe(passes)
}

/// Floating-point operations `simd_tile_probe(passes)` performs.
#[wasm_bindgen]
pub fn simd_tile_probe_flops(passes: usize) -> f64 {
    gluon_kernels::peak::tile_peak_probe_flops(passes)
}

/// A buffer of `floats` values to time [`BandwidthProbe::stream`] over (memory bandwidth when
/// larger than the caches).
#[wasm_bindgen]
pub struct BandwidthProbe {
    data: Vec<f32>,
}

#[wasm_bindgen]
impl BandwidthProbe {
    #[wasm_bindgen(constructor)]
    pub fn new(floats: usize) -> Result<BandwidthProbe, JsError> {
        let mut data =
            gluon_kernels::alloc::zeroed(floats, "bandwidth probe").map_err(kernel_error)?;
        for (i, v) in data.iter_mut().enumerate() {
            *v = (i % 7) as f32;
        }
        Ok(BandwidthProbe { data })
    }

    /// Reads the whole buffer `passes` times; returns a sum of what it read.
    pub fn stream(&self, passes: usize) -> f32 {
        gluon_kernels::peak::load_bandwidth_probe(&self.data, passes)
    }
}
