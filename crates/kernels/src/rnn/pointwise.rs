//! Gate nonlinearities for one row and one block of `UNITS` hidden units, on `F32x4`.
//! `g` holds the block's gate pre-activations in packed order (`gate * UNITS + unit`),
//! already including biases and both matrix products (except GRU's `W_hn h`).

use super::gates::{GRU_N, GRU_R, GRU_Z, LSTM_F, LSTM_G, LSTM_I, LSTM_O, UNITS};
use super::StateClip;
use crate::act::{sigmoid_f32x4, tanh_f32x4};
use crate::simd::{F32x4, LANES};

#[inline(always)]
fn gate(g: &[f32], which: usize, v: usize) -> F32x4 {
    F32x4::from_slice(&g[which * UNITS + v * LANES..])
}

/// LSTM: `c = f*c + i*g~` (then clipped), `h = o * tanh(c)`; updates `c` in place, writes `h`.
#[inline(always)]
pub(crate) fn lstm(g: &[f32], c: &mut [f32], h: &mut [f32], clip: Option<StateClip>) {
    for v in 0..UNITS / LANES {
        let i = sigmoid_f32x4(gate(g, LSTM_I, v));
        let f = sigmoid_f32x4(gate(g, LSTM_F, v));
        let gg = tanh_f32x4(gate(g, LSTM_G, v));
        let o = sigmoid_f32x4(gate(g, LSTM_O, v));
        let cs = &mut c[v * LANES..];
        let mut cn = f * F32x4::from_slice(cs) + i * gg;
        if let Some(k) = clip {
            let (lo, hi) = (F32x4::splat(k.min), F32x4::splat(k.max));
            cn = if k.nan {
                cn.clamp_nan_to_lo(lo, hi)
            } else {
                cn.clamp_keep_nan(lo, hi)
            };
        }
        cn.write_to_slice(cs);
        (o * tanh_f32x4(cn)).write_to_slice(&mut h[v * LANES..]);
    }
}

/// GRU (reset after): `n = tanh(a_n + r * (W_hn h + b_hn))`, `h = (1 - z) * n + z * h`;
/// `hn` is `W_hn h`, `h` is updated in place.
#[inline(always)]
pub(crate) fn gru(g: &[f32], hn: &[f32], bhn: &[f32], h: &mut [f32]) {
    let one = F32x4::splat(1.0);
    for v in 0..UNITS / LANES {
        let r = sigmoid_f32x4(gate(g, GRU_R, v));
        let z = sigmoid_f32x4(gate(g, GRU_Z, v));
        let hh = F32x4::from_slice(&hn[v * LANES..]) + F32x4::from_slice(&bhn[v * LANES..]);
        let n = tanh_f32x4(gate(g, GRU_N, v) + r * hh);
        let hs = &mut h[v * LANES..];
        ((one - z) * n + z * F32x4::from_slice(hs)).write_to_slice(hs);
    }
}

/// Vanilla RNN: `h = tanh(g)` or MXNet's `relu(g) = g > 0 ? g : 0` (so relu(NaN) = 0).
#[inline(always)]
pub(crate) fn vanilla(g: &[f32], relu: bool, h: &mut [f32]) {
    for v in 0..UNITS / LANES {
        let x = gate(g, 0, v);
        let zero = F32x4::zero();
        let y = if relu {
            zero.select_lt(x, x, zero)
        } else {
            tanh_f32x4(x)
        };
        y.write_to_slice(&mut h[v * LANES..]);
    }
}
