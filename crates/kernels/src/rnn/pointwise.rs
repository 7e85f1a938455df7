//! Gate nonlinearities for one row and one block of `UNITS` hidden units, on `F32x4`.
//! `g` holds the block's gate pre-activations in packed order (`gate * UNITS + unit`),
//! holding both matrix products (except GRU's `W_hn h`); `bias` (same layout) holds the
//! block's summed biases, added here.

use super::gates::{GRU_N, GRU_R, GRU_Z, LSTM_F, LSTM_G, LSTM_I, LSTM_O, UNITS};
use super::StateClip;
use crate::act::{sigmoid_k, tanh_k, Consts};
use crate::simd::{F32x4, LANES};

/// Pre-activation of gate `which`, lanes `v`: both matrix products plus the bias.
#[inline(always)]
fn gate<const N: usize>(g: &[f32; N], bias: &[f32; N], which: usize, v: usize) -> F32x4 {
    F32x4::from_slice(&g[which * UNITS + v * LANES..])
        + F32x4::from_slice(&bias[which * UNITS + v * LANES..])
}

/// The first `N` values of `s` as an array: one bounds check for the block, none per vector.
#[inline(always)]
fn block<const N: usize>(s: &[f32]) -> &[f32; N] {
    s[..N].try_into().expect("one block")
}

/// [`block`], writable.
#[inline(always)]
fn block_mut<const N: usize>(s: &mut [f32]) -> &mut [f32; N] {
    (&mut s[..N]).try_into().expect("one block")
}

/// LSTM: `c = f*c + i*g~` (then clipped), `h = o * tanh(c)`; updates `c` in place, writes `h`.
#[inline(always)]
pub(crate) fn lstm(
    g: &[f32],
    bias: &[f32],
    c: &mut [f32],
    h: &mut [f32],
    clip: Option<StateClip>,
    k: &Consts<F32x4>,
) {
    let (g, bias) = (block::<{ 4 * UNITS }>(g), block::<{ 4 * UNITS }>(bias));
    let (c, h) = (block_mut::<UNITS>(c), block_mut::<UNITS>(h));
    for v in 0..UNITS / LANES {
        let i = sigmoid_k(gate(g, bias, LSTM_I, v), k);
        let f = sigmoid_k(gate(g, bias, LSTM_F, v), k);
        let gg = tanh_k(gate(g, bias, LSTM_G, v), k);
        let o = sigmoid_k(gate(g, bias, LSTM_O, v), k);
        let cs = &mut c[v * LANES..];
        let mut cn = f * F32x4::from_slice(cs) + i * gg;
        if let Some(cl) = clip {
            let (lo, hi) = (F32x4::splat(cl.min), F32x4::splat(cl.max));
            cn = if cl.nan {
                cn.clamp_nan_to_lo(lo, hi)
            } else {
                cn.clamp_keep_nan(lo, hi)
            };
        }
        cn.write_to_slice(cs);
        (o * tanh_k(cn, k)).write_to_slice(&mut h[v * LANES..]);
    }
}

/// GRU (reset after): `n = tanh(a_n + r * (W_hn h + b_hn))`, `h = (1 - z) * n + z * h`;
/// `hn` is `W_hn h`, `h` is updated in place.
/// `k`: the activation constants, built once by the caller (see `act::Consts`).
#[inline(always)]
pub(crate) fn gru(
    g: &[f32],
    bias: &[f32],
    hn: &[f32],
    bhn: &[f32],
    h: &mut [f32],
    k: &Consts<F32x4>,
) {
    let one = k.one;
    let (g, bias) = (block::<{ 3 * UNITS }>(g), block::<{ 3 * UNITS }>(bias));
    let (hn, bhn, h) = (
        block::<UNITS>(hn),
        block::<UNITS>(bhn),
        block_mut::<UNITS>(h),
    );
    for v in 0..UNITS / LANES {
        let r = sigmoid_k(gate(g, bias, GRU_R, v), k);
        let z = sigmoid_k(gate(g, bias, GRU_Z, v), k);
        let hh = F32x4::from_slice(&hn[v * LANES..]) + F32x4::from_slice(&bhn[v * LANES..]);
        let n = tanh_k(gate(g, bias, GRU_N, v) + r * hh, k);
        let hs = &mut h[v * LANES..];
        ((one - z) * n + z * F32x4::from_slice(hs)).write_to_slice(hs);
    }
}

/// Vanilla RNN: `h = tanh(g)` or MXNet's `relu(g) = g > 0 ? g : 0` (so relu(NaN) = 0), over
/// one row of unit blocks (`g`, `bias` and `h` of equal length, a multiple of `LANES`);
/// the first `out.len()` units of the new h also go to `out` (a one-gate RNN's run of
/// blocks writes its output row this way: units past the hidden size are padding).
#[inline(always)]
pub(crate) fn vanilla(
    g: &[f32],
    bias: &[f32],
    relu: bool,
    h: &mut [f32],
    out: &mut [f32],
    k: &Consts<F32x4>,
) {
    let zero = F32x4::zero();
    let full = out.len() / LANES;
    let (out_full, out_tail) = out.split_at_mut(full * LANES);
    let mut outs = out_full.chunks_exact_mut(LANES);
    for (v, ((gv, bv), hv)) in g
        .chunks_exact(LANES)
        .zip(bias.chunks_exact(LANES))
        .zip(h.chunks_exact_mut(LANES))
        .enumerate()
    {
        let x = F32x4::from_slice(gv) + F32x4::from_slice(bv);
        let y = if relu {
            zero.select_lt(x, x, zero)
        } else {
            tanh_k(x, k)
        };
        y.write_to_slice(hv);
        if let Some(o) = outs.next() {
            y.write_to_slice(o);
        } else if v == full {
            out_tail.copy_from_slice(&hv[..out_tail.len()]);
        }
    }
}
