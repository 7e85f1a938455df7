//! Scalar references of the training kernels in [`super::backward`]: the same contracts as
//! plain per-unit formulas over [`Float`] (f32 or f64, with the standard library's `exp` and
//! `tanh`), returning owned rows. The f64 versions anchor the finite-difference tests.

use super::reference::{clamp, sigmoid, Float};
use super::StateClip;

fn one<F: Float>() -> F {
    F::of(1.0)
}

/// LSTM step: pre-activations `pre` (4H), `c_prev` (H) -> (`[i, f, g, o]`, new c, new h).
pub fn lstm_fwd<F: Float>(
    pre: &[F],
    c_prev: &[F],
    clip: Option<StateClip>,
) -> (Vec<F>, Vec<F>, Vec<F>) {
    let h = c_prev.len();
    let mut act = vec![F::of(0.0); 4 * h];
    let (mut c, mut hv) = (vec![F::of(0.0); h], vec![F::of(0.0); h]);
    for j in 0..h {
        let i = sigmoid(pre[j]);
        let f = sigmoid(pre[h + j]);
        let g = pre[2 * h + j].tanh();
        let o = sigmoid(pre[3 * h + j]);
        let mut cn = f * c_prev[j] + i * g;
        if let Some(k) = &clip {
            cn = clamp(cn, k);
        }
        act[j] = i;
        act[h + j] = f;
        act[2 * h + j] = g;
        act[3 * h + j] = o;
        c[j] = cn;
        hv[j] = o * cn.tanh();
    }
    (act, c, hv)
}

/// LSTM backward: (gradient of c_prev, gradients of the 4H pre-activations), given the
/// gradients `dh` of h and `dc` of the new c from later steps.
pub fn lstm_bwd<F: Float>(
    act: &[F],
    c_prev: &[F],
    c_new: &[F],
    dh: &[F],
    dc: &[F],
    clip: Option<StateClip>,
) -> (Vec<F>, Vec<F>) {
    let h = dh.len();
    let mut dcp = vec![F::of(0.0); h];
    let mut dg = vec![F::of(0.0); 4 * h];
    for j in 0..h {
        let (i, f, g, o) = (act[j], act[h + j], act[2 * h + j], act[3 * h + j]);
        let tc = c_new[j].tanh();
        let mut dcu = dc[j] + dh[j] * o * (one::<F>() - tc * tc);
        if let Some(k) = &clip {
            let cu = f * c_prev[j] + i * g;
            if !(cu >= F::of(k.min) && cu <= F::of(k.max)) {
                dcu = F::of(0.0);
            }
        }
        dg[j] = dcu * g * i * (one::<F>() - i);
        dg[h + j] = dcu * c_prev[j] * f * (one::<F>() - f);
        dg[2 * h + j] = dcu * i * (one::<F>() - g * g);
        dg[3 * h + j] = dh[j] * tc * o * (one::<F>() - o);
        dcp[j] = dcu * f;
    }
    (dcp, dg)
}

/// GRU step: i2h pre-activations `a` (3H), recurrent product `rh` (3H, no bias), recurrent
/// bias `bh` (3H), `h_prev` -> (`[r, z, n, W_hn h + b_hn]`, new h).
pub fn gru_fwd<F: Float>(a: &[F], rh: &[F], bh: &[F], h_prev: &[F]) -> (Vec<F>, Vec<F>) {
    let h = h_prev.len();
    let mut act = vec![F::of(0.0); 4 * h];
    let mut hv = vec![F::of(0.0); h];
    for j in 0..h {
        let r = sigmoid(a[j] + rh[j] + bh[j]);
        let z = sigmoid(a[h + j] + rh[h + j] + bh[h + j]);
        let hn = rh[2 * h + j] + bh[2 * h + j];
        let n = (a[2 * h + j] + r * hn).tanh();
        act[j] = r;
        act[h + j] = z;
        act[2 * h + j] = n;
        act[3 * h + j] = hn;
        hv[j] = (one::<F>() - z) * n + z * h_prev[j];
    }
    (act, hv)
}

/// GRU backward: (gradients of `a` (3H), of `rh + bh` (3H), direct part `z * dh` of h_prev's).
pub fn gru_bwd<F: Float>(act: &[F], h_prev: &[F], dh: &[F]) -> (Vec<F>, Vec<F>, Vec<F>) {
    let h = dh.len();
    let mut da = vec![F::of(0.0); 3 * h];
    let mut dr = vec![F::of(0.0); 3 * h];
    let mut dhp = vec![F::of(0.0); h];
    for j in 0..h {
        let (r, z, n, hn) = (act[j], act[h + j], act[2 * h + j], act[3 * h + j]);
        let dn = dh[j] * (one::<F>() - z) * (one::<F>() - n * n);
        let dz = dh[j] * (h_prev[j] - n) * z * (one::<F>() - z);
        let drr = dn * hn * r * (one::<F>() - r);
        da[j] = drr;
        da[h + j] = dz;
        da[2 * h + j] = dn;
        dr[j] = drr;
        dr[h + j] = dz;
        dr[2 * h + j] = dn * r;
        dhp[j] = z * dh[j];
    }
    (da, dr, dhp)
}

/// Vanilla step: the new h (`tanh`, or relu `x > 0 ? x : 0`).
pub fn vanilla_fwd<F: Float>(pre: &[F], relu: bool) -> Vec<F> {
    pre.iter()
        .map(|&x| {
            if !relu {
                x.tanh()
            } else if x > F::of(0.0) {
                x
            } else {
                F::of(0.0)
            }
        })
        .collect()
}

/// Vanilla backward: the gradient of the pre-activation.
pub fn vanilla_bwd<F: Float>(h_new: &[F], dh: &[F], relu: bool) -> Vec<F> {
    h_new
        .iter()
        .zip(dh)
        .map(|(&y, &d)| {
            if !relu {
                d * (one::<F>() - y * y)
            } else if y > F::of(0.0) {
                d
            } else {
                F::of(0.0)
            }
        })
        .collect()
}
