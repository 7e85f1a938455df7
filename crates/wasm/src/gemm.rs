//! SGEMM export (BLAS semantics, row-major), split over the pool by column blocks.

use crate::check::{check_matrix, kernel_error};
use gluon_kernels::alloc;
use crate::{pool, split};
use gluon_kernels::gemm;
use std::sync::Mutex;
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
    let (ar, ac) = if trans_a { (k, m) } else { (m, k) };
    let (br, bc) = if trans_b { (n, k) } else { (k, n) };
    check_matrix("sgemm: A", a.len(), ar, ac, lda)?;
    check_matrix("sgemm: B", b.len(), br, bc, ldb)?;
    check_matrix("sgemm: C", c.len(), m, n, ldc)?;
    let parts = split::parts_for(m.saturating_mul(n).saturating_mul(k), n, gemm::params::NR);
    if parts <= 1 {
        gemm::sgemm(
            trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
        );
        return Ok(());
    }
    // Each part computes a column block into its own buffer (C's columns are strided, so
    // blocks of C cannot be handed out as disjoint slices), then the blocks are copied back.
    let blocks = split::ranges(n, parts, gemm::params::NR);
    let outs: Vec<Mutex<Vec<f32>>> = blocks
        .iter()
        .map(|r| {
            let w = r.len();
            let mut buf = alloc::zeroed(m * w, "sgemm: a column block of C")?;
            if beta != 0.0 {
                for i in 0..m {
                    buf[i * w..(i + 1) * w].copy_from_slice(&c[i * ldc + r.start..i * ldc + r.end]);
                }
            }
            Ok(Mutex::new(buf))
        })
        .collect::<Result<_, String>>()
        .map_err(kernel_error)?;
    pool::run_parts(blocks.len(), &|p| {
        let r = &blocks[p];
        let w = r.len();
        // Column block j0.. of op(B): B[:, j0..] (no transpose) or rows j0.. of B (transpose).
        let b_off = if trans_b { r.start * ldb } else { r.start };
        let mut out = outs[p].lock().unwrap_or_else(|e| e.into_inner());
        gemm::sgemm(
            trans_a,
            trans_b,
            m,
            w,
            k,
            alpha,
            a,
            lda,
            &b[b_off..],
            ldb,
            beta,
            &mut out,
            w,
        );
    })
    .map_err(|e| JsError::new(&format!("sgemm: {e}")))?;
    for (r, out) in blocks.iter().zip(outs) {
        let out = out.into_inner().unwrap_or_else(|e| e.into_inner());
        let w = r.len();
        for i in 0..m {
            c[i * ldc + r.start..i * ldc + r.end].copy_from_slice(&out[i * w..(i + 1) * w]);
        }
    }
    Ok(())
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
