//! Per-row pointwise kernels of training (on `F32x4`): the forward step that keeps what the
//! backward needs, and the backward step (the gate derivatives of one time step). Rows are in
//! Gluon's gate order (`gate * hidden + unit`, LSTM `[i, f, g, o]`, GRU `[r, z, n]`), not the
//! interleaved order of the inference kernels. [`super::backward_ref`] holds the scalar
//! references these are tested against; [`super::bptt`] drives them over a sequence.
//!
//! Saved activations per row (the "reserve space"):
//! - LSTM `[i, f, g, o]` after their nonlinearities (4H);
//! - GRU `[r, z, n, W_hn h + b_hn]` (4H), the last one being what the reset gate scaled;
//! - vanilla RNN: the new h (H), from which both derivatives follow.

use super::StateClip;
use crate::act::{sigmoid_f32x4, tanh_f32x4};
use crate::simd::{F32x4, LANES};

/// Runs `f` over `h` units four at a time: `ins` are read, `outs` are read then overwritten
/// (so a kernel can update a state in place). The tail (h mod 4 units) goes through the same
/// `f` on zero-padded lanes, so every unit gets the same arithmetic.
#[inline(always)]
fn lanes<const NI: usize, const NO: usize>(
    h: usize,
    ins: [&[f32]; NI],
    outs: [&mut [f32]; NO],
    f: impl Fn([F32x4; NI], [F32x4; NO]) -> [F32x4; NO],
) {
    for s in ins.iter() {
        assert!(s.len() >= h, "pointwise kernel: input shorter than {h}");
    }
    for s in outs.iter() {
        assert!(s.len() >= h, "pointwise kernel: output shorter than {h}");
    }
    let full = h - h % LANES;
    let mut j = 0;
    while j < full {
        let x = ins.map(|s| F32x4::from_slice(&s[j..]));
        let o = core::array::from_fn(|k| F32x4::from_slice(&outs[k][j..]));
        for (k, v) in f(x, o).into_iter().enumerate() {
            v.write_to_slice(&mut outs[k][j..]);
        }
        j += LANES;
    }
    if full < h {
        let x = ins.map(|s| F32x4::from_prefix(&s[full..h]));
        let o = core::array::from_fn(|k| F32x4::from_prefix(&outs[k][full..h]));
        for (k, v) in f(x, o).into_iter().enumerate() {
            v.write_prefix(&mut outs[k][full..h]);
        }
    }
}

/// The four gate blocks of a `4 * h` row.
fn quarters(row: &mut [f32], h: usize) -> [&mut [f32]; 4] {
    let (a, rest) = row[..4 * h].split_at_mut(h);
    let (b, rest) = rest.split_at_mut(h);
    let (c, d) = rest.split_at_mut(h);
    [a, b, c, d]
}

/// `(x >= lo && x <= hi) ? 1 : 0` per lane (NaN: 0), the derivative of clip
/// (mshadow_op::clip's backward, as nd.clip).
#[inline(always)]
fn inside(x: F32x4, clip: &StateClip) -> F32x4 {
    let (zero, one) = (F32x4::zero(), F32x4::splat(1.0));
    let lo = x.select_lt(F32x4::splat(clip.min), zero, one);
    let hi = F32x4::splat(clip.max).select_lt(x, zero, one);
    x.select_nan(zero, lo * hi)
}

#[inline(always)]
fn clamp(x: F32x4, clip: &StateClip) -> F32x4 {
    let (lo, hi) = (F32x4::splat(clip.min), F32x4::splat(clip.max));
    if clip.nan {
        x.clamp_nan_to_lo(lo, hi)
    } else {
        x.clamp_keep_nan(lo, hi)
    }
}

/// LSTM step of one row: `act` holds the gate pre-activations (both products and both
/// biases) and becomes `[i, f, g, o]`; `c` goes from c_prev to the (clipped) new c; `h` gets
/// `o * tanh(c)`.
pub fn lstm_fwd(act: &mut [f32], c: &mut [f32], h: &mut [f32], clip: Option<StateClip>) {
    let hid = c.len();
    let [gi, gf, gg, go] = quarters(act, hid);
    lanes(
        hid,
        [],
        [gi, gf, gg, go, c, h],
        |[], [i, f, g, o, cp, _]| {
            let (i, f, g, o) = (
                sigmoid_f32x4(i),
                sigmoid_f32x4(f),
                tanh_f32x4(g),
                sigmoid_f32x4(o),
            );
            let mut cn = f * cp + i * g;
            if let Some(k) = &clip {
                cn = clamp(cn, k);
            }
            [i, f, g, o, cn, o * tanh_f32x4(cn)]
        },
    );
}

/// LSTM backward of one row. `act` = `[i, f, g, o]` saved by [`lstm_fwd`], `c_prev` / `c_new`
/// the cell state before and after the step, `dh` the gradient of h; `dc` holds the gradient
/// of the new c coming from later steps and becomes the gradient of c_prev; `dg` (4H) gets
/// the gradients of the gate pre-activations.
pub fn lstm_bwd(
    act: &[f32],
    c_prev: &[f32],
    c_new: &[f32],
    dh: &[f32],
    dc: &mut [f32],
    dg: &mut [f32],
    clip: Option<StateClip>,
) {
    let hid = dc.len();
    let one = F32x4::splat(1.0);
    let [di, df, dgg, dgo] = quarters(dg, hid);
    let (ai, af, ag, ao) = (
        &act[..hid],
        &act[hid..2 * hid],
        &act[2 * hid..3 * hid],
        &act[3 * hid..4 * hid],
    );
    lanes(
        hid,
        [ai, af, ag, ao, c_prev, c_new, dh],
        [dc, di, df, dgg, dgo],
        |[i, f, g, o, cp, cn, dh], [dc, _, _, _, _]| {
            let tc = tanh_f32x4(cn);
            let mut dcu = dc + dh * o * (one - tc * tc);
            if let Some(k) = &clip {
                // Recomputed exactly as the forward did, so the mask is the forward's.
                dcu = dcu * inside(f * cp + i * g, k);
            }
            let dgi = dcu * g * i * (one - i);
            let dgf = dcu * cp * f * (one - f);
            let dgg = dcu * i * (one - g * g);
            let dgo = dh * tc * o * (one - o);
            [dcu * f, dgi, dgf, dgg, dgo]
        },
    );
}

/// GRU step of one row: `act[..3H]` holds the i2h pre-activations (`x W_i^T + b_i`), `rh`
/// the recurrent product `h W_h^T` (3H, no bias), `bh` the recurrent bias; `act` becomes
/// `[r, z, n, W_hn h + b_hn]` and `h` goes from h_prev to the new h.
pub fn gru_fwd(act: &mut [f32], rh: &[f32], bh: &[f32], h: &mut [f32]) {
    let hid = h.len();
    let one = F32x4::splat(1.0);
    let (rr, rz, rn) = (&rh[..hid], &rh[hid..2 * hid], &rh[2 * hid..3 * hid]);
    let (br, bz, bn) = (&bh[..hid], &bh[hid..2 * hid], &bh[2 * hid..3 * hid]);
    let [ar, az, an, ahn] = quarters(act, hid);
    lanes(
        hid,
        [rr, rz, rn, br, bz, bn],
        [ar, az, an, ahn, h],
        |[rr, rz, rn, br, bz, bn], [ar, az, an, _, hp]| {
            let r = sigmoid_f32x4(ar + rr + br);
            let z = sigmoid_f32x4(az + rz + bz);
            let hn = rn + bn;
            let n = tanh_f32x4(an + r * hn);
            [r, z, n, hn, (one - z) * n + z * hp]
        },
    );
}

/// GRU backward of one row: `act` = `[r, z, n, W_hn h + b_hn]` from [`gru_fwd`], `h_prev` the
/// state before the step, `dh` the gradient of the new h. Writes the gradients of the i2h
/// pre-activations `da` (3H), of the h2h products plus bias `dr` (3H: the n block is scaled
/// by r) and the direct part of the gradient of h_prev, `z * dh` (`dh_prev`; the part
/// through `W_h` is added by the caller's GEMM).
pub fn gru_bwd(
    act: &[f32],
    h_prev: &[f32],
    dh: &[f32],
    da: &mut [f32],
    dr: &mut [f32],
    dh_prev: &mut [f32],
) {
    let hid = dh.len();
    let one = F32x4::splat(1.0);
    let (sr, sz, sn, shn) = (
        &act[..hid],
        &act[hid..2 * hid],
        &act[2 * hid..3 * hid],
        &act[3 * hid..4 * hid],
    );
    let (dar, rest) = da[..3 * hid].split_at_mut(hid);
    let (daz, dan) = rest.split_at_mut(hid);
    let (drr, rest) = dr[..3 * hid].split_at_mut(hid);
    let (drz, drn) = rest.split_at_mut(hid);
    lanes(
        hid,
        [sr, sz, sn, shn, h_prev, dh],
        [dar, daz, dan, drr, drz, drn, dh_prev],
        |[r, z, n, hn, hp, dh], _| {
            let dn = dh * (one - z) * (one - n * n);
            let dz = dh * (hp - n) * z * (one - z);
            let dr = dn * hn * r * (one - r);
            [dr, dz, dn, dr, dz, dn * r, z * dh]
        },
    );
}

/// Vanilla RNN step of one row: `act` holds the pre-activation and becomes the new h
/// (tanh, or MXNet's relu `x > 0 ? x : 0`), also written to `h`.
pub fn vanilla_fwd(act: &mut [f32], relu: bool, h: &mut [f32]) {
    let hid = h.len();
    lanes(hid, [], [&mut act[..hid], h], |[], [x, _]| {
        let zero = F32x4::zero();
        let y = if relu {
            zero.select_lt(x, x, zero)
        } else {
            tanh_f32x4(x)
        };
        [y, y]
    });
}

/// Vanilla RNN backward of one row: `h_new` from [`vanilla_fwd`], `dh` its gradient; `dg`
/// gets the gradient of the pre-activation (relu: passes where `h > 0`, as `x > 0`).
pub fn vanilla_bwd(h_new: &[f32], dh: &[f32], relu: bool, dg: &mut [f32]) {
    let hid = dh.len();
    let one = F32x4::splat(1.0);
    lanes(hid, [h_new, dh], [dg], |[y, dh], _| {
        let zero = F32x4::zero();
        if relu {
            [zero.select_lt(y, dh, zero)]
        } else {
            [dh * (one - y * y)]
        }
    });
}
