//! The uniform fill of `mx.random` in wasm (gluon_kernels::random): an LSTM's `initialize()`
//! draws ~100k values on a cold start, when the JavaScript loop still runs in V8's
//! interpreter (~3 ms); here it takes a fraction of that, with the same values.

use wasm_bindgen::prelude::*;

/// Fills `out` with uniform values in `[lo, hi)` from the generator state `[a, b, c, d]`,
/// which is advanced in place by `out.len()` draws.
#[wasm_bindgen]
pub fn fill_uniform(out: &mut [f32], state: &mut [u32], lo: f64, hi: f64) -> Result<(), JsError> {
    let len = state.len();
    let s: &mut [u32; 4] = state
        .try_into()
        .map_err(|_| JsError::new(&format!("fill_uniform: state must hold 4 words, got {len}")))?;
    gluon_kernels::random::fill_uniform(out, s, lo, hi);
    Ok(())
}
