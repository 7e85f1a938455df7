//! Row-wise exports (softmax / log-softmax, layer normalisation, topk/sort orders): check,
//! call the kernels (`gluon_kernels::norm`, `gluon_kernels::order`), return the results.

use crate::check::kernel_error;
use gluon_kernels::alloc;
use gluon_kernels::norm::{self, Softmax};
use wasm_bindgen::prelude::*;

/// Softmax (or log-softmax) of each row of `n` values of `x` divided by `temperature`;
/// `lengths` (one per row, integers in `0..=n`) limit each row, or empty for whole rows.
#[wasm_bindgen]
pub fn softmax_rows(
    x: &[f32],
    n: usize,
    lengths: &[f32],
    temperature: f32,
    log: bool,
) -> Result<Vec<f32>, JsError> {
    let lens = if lengths.is_empty() {
        None
    } else {
        let mut v = Vec::new();
        v.try_reserve_exact(lengths.len())
            .map_err(|_| kernel_error(format!("{}: softmax lengths", alloc::OUT_OF_MEMORY)))?;
        for (r, &l) in lengths.iter().enumerate() {
            if !(l.fract() == 0.0 && l >= 0.0 && l <= n as f32) {
                return Err(JsError::new(&format!(
                    "softmax: length[{r}] = {l} must be an integer in [0, {n}]"
                )));
            }
            v.push(l as usize);
        }
        Some(v)
    };
    let mut out = alloc::zeroed(x.len(), "softmax output").map_err(kernel_error)?;
    norm::softmax_rows(
        x,
        &mut out,
        n,
        lens.as_deref(),
        Softmax { temperature, log },
    )
    .map_err(|e| JsError::new(&e))?;
    Ok(out)
}

/// Layer normalisation of each row of `gamma.len()` values of `x`; returns
/// `[output | mean (one per row) | std (one per row)]`.
#[wasm_bindgen]
pub fn layer_norm_rows(
    x: &[f32],
    gamma: &[f32],
    beta: &[f32],
    eps: f32,
) -> Result<Vec<f32>, JsError> {
    let rows = x.len().checked_div(gamma.len()).unwrap_or(0);
    let mut buf = alloc::zeroed(x.len() + 2 * rows, "LayerNorm output").map_err(kernel_error)?;
    let (out, stats) = buf.split_at_mut(x.len());
    let (mean, std) = stats.split_at_mut(rows);
    norm::layer_norm_rows(x, gamma, beta, eps, out, mean, std).map_err(|e| JsError::new(&e))?;
    Ok(buf)
}

/// The first `k` indices of each row of `n` values of `x` in MXNet's topk/sort order
/// (`gluon_kernels::order`), `k` per row.
#[wasm_bindgen]
pub fn order_rows(x: &[f32], n: usize, k: usize, ascend: bool) -> Result<Vec<u32>, JsError> {
    let rows = x.len().checked_div(n).unwrap_or(0);
    let mut out = Vec::new();
    out.try_reserve_exact(rows * k)
        .map_err(|_| kernel_error(format!("{}: order output", alloc::OUT_OF_MEMORY)))?;
    out.resize(rows * k, 0);
    gluon_kernels::order::order_rows(x, n, k, ascend, &mut out).map_err(kernel_error)?;
    Ok(out)
}
