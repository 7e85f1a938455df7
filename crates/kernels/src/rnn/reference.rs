//! Straightforward recurrent reference, transcribed from spec sections 5 and 8: per
//! (layer, direction), per sample, per step, plain loops. Generic over [`Float`] so the
//! tests can run it in f64 too. Uses the standard library's `exp`/`tanh`.

use super::{Layout, Mode, RnnParams, RnnSpec, StateClip};

/// The scalar operations the reference needs (implemented for f32 and f64).
pub trait Float:
    Copy
    + PartialOrd
    + core::ops::Add<Output = Self>
    + core::ops::Sub<Output = Self>
    + core::ops::Mul<Output = Self>
    + core::ops::Div<Output = Self>
{
    fn of(x: f32) -> Self;
    fn to_f32(self) -> f32;
    fn exp(self) -> Self;
    fn tanh(self) -> Self;
    fn is_nan(self) -> bool;
}

impl Float for f32 {
    fn of(x: f32) -> Self {
        x
    }
    fn to_f32(self) -> f32 {
        self
    }
    fn exp(self) -> Self {
        f32::exp(self)
    }
    fn tanh(self) -> Self {
        f32::tanh(self)
    }
    fn is_nan(self) -> bool {
        f32::is_nan(self)
    }
}

impl Float for f64 {
    fn of(x: f32) -> Self {
        x as f64
    }
    fn to_f32(self) -> f32 {
        self as f32
    }
    fn exp(self) -> Self {
        f64::exp(self)
    }
    fn tanh(self) -> Self {
        f64::tanh(self)
    }
    fn is_nan(self) -> bool {
        f64::is_nan(self)
    }
}

/// The logistic function, as the activations compute it.
pub(crate) fn sigmoid<F: Float>(x: F) -> F {
    F::of(1.0) / (F::of(1.0) + (F::of(0.0) - x).exp())
}

/// `y[r] = b[r] + sum_q w[r][q] x[q]` for a row-major `w (rows, x.len())`.
fn affine<F: Float>(w: &[f32], b: Option<&[f32]>, x: &[F], rows: usize) -> Vec<F> {
    (0..rows)
        .map(|r| {
            let mut s = b.map_or(F::of(0.0), |b| F::of(b[r]));
            for (q, &xq) in x.iter().enumerate() {
                s = s + F::of(w[r * x.len() + q]) * xq;
            }
            s
        })
        .collect()
}

/// LSTM state clipping (MXNet's `state_clip_min/max`; a NaN becomes `min` with
/// `state_clip_nan`, else stays NaN).
pub(crate) fn clamp<F: Float>(c: F, k: &StateClip) -> F {
    if c.is_nan() {
        if k.nan {
            F::of(k.min)
        } else {
            c
        }
    } else if c < F::of(k.min) {
        F::of(k.min)
    } else if c > F::of(k.max) {
        F::of(k.max)
    } else {
        c
    }
}

/// Same contract as [`super::rnn_forward`] but on raw parameters, computing in `F` and
/// rounding results to f32. Inputs are assumed valid (the fast path validates).
#[allow(clippy::too_many_arguments)]
pub fn rnn_forward<F: Float>(
    spec: &RnnSpec,
    params: &RnnParams,
    layout: Layout,
    t: usize,
    n: usize,
    x: &[f32],
    h0: Option<&[f32]>,
    c0: Option<&[f32]>,
    valid_len: Option<&[usize]>,
    out: &mut [f32],
    hn: &mut [f32],
    cn: Option<&mut [f32]>,
) {
    let (d, hs, h) = (spec.dirs(), spec.out_size(), spec.hidden);
    let g = spec.mode.gates();
    let mut cn = cn;
    // layer_in[t][b] = input features of the current layer.
    let mut layer_in: Vec<Vec<Vec<F>>> = (0..t)
        .map(|tt| {
            (0..n)
                .map(|b| {
                    let c = spec.input_size;
                    let off = match layout {
                        Layout::Tnc => (tt * n + b) * c,
                        Layout::Ntc => (b * t + tt) * c,
                    };
                    x[off..off + c].iter().map(|&v| F::of(v)).collect()
                })
                .collect()
        })
        .collect();
    for l in 0..spec.num_layers {
        let mut layer_out = vec![vec![vec![F::of(0.0); d * hs]; n]; t];
        for dir in 0..d {
            let idx = l * d + dir;
            let pr = &params.dirs[idx];
            for b in 0..n {
                let len = valid_len.map_or(t, |v| v[b]);
                let mut hv: Vec<F> = (0..hs)
                    .map(|j| F::of(h0.map_or(0.0, |v| v[(idx * n + b) * hs + j])))
                    .collect();
                let mut cv: Vec<F> = (0..h)
                    .map(|j| F::of(c0.map_or(0.0, |v| v[(idx * n + b) * h + j])))
                    .collect();
                let steps: Vec<usize> = if dir == 0 {
                    (0..len).collect()
                } else {
                    (0..len).rev().collect()
                };
                for tt in steps {
                    let a = affine(pr.i2h_weight, Some(pr.i2h_bias), &layer_in[tt][b], g * h);
                    let r = affine(pr.h2h_weight, Some(pr.h2h_bias), &hv, g * h);
                    let new_h: Vec<F> = match spec.mode {
                        Mode::RnnTanh => (0..h).map(|j| (a[j] + r[j]).tanh()).collect(),
                        Mode::RnnRelu => (0..h)
                            .map(|j| {
                                let v = a[j] + r[j];
                                if v > F::of(0.0) {
                                    v
                                } else {
                                    F::of(0.0)
                                }
                            })
                            .collect(),
                        Mode::Gru => (0..h)
                            .map(|j| {
                                let rg = sigmoid(a[j] + r[j]);
                                let z = sigmoid(a[h + j] + r[h + j]);
                                let nn = (a[2 * h + j] + rg * r[2 * h + j]).tanh();
                                (F::of(1.0) - z) * nn + z * hv[j]
                            })
                            .collect(),
                        Mode::Lstm => {
                            let full: Vec<F> = (0..h)
                                .map(|j| {
                                    let i = sigmoid(a[j] + r[j]);
                                    let f = sigmoid(a[h + j] + r[h + j]);
                                    let gg = (a[2 * h + j] + r[2 * h + j]).tanh();
                                    let o = sigmoid(a[3 * h + j] + r[3 * h + j]);
                                    let mut c = f * cv[j] + i * gg;
                                    if let Some(k) = &spec.clip {
                                        c = clamp(c, k);
                                    }
                                    cv[j] = c;
                                    o * c.tanh()
                                })
                                .collect();
                            match (spec.projection, pr.h2r_weight) {
                                (Some(p), Some(w)) => affine(w, None, &full, p),
                                _ => full,
                            }
                        }
                    };
                    hv = new_h;
                    layer_out[tt][b][dir * hs..(dir + 1) * hs].copy_from_slice(&hv);
                }
                for j in 0..hs {
                    hn[(idx * n + b) * hs + j] = hv[j].to_f32();
                }
                if let Some(cn) = cn.as_deref_mut() {
                    for j in 0..h {
                        cn[(idx * n + b) * h + j] = cv[j].to_f32();
                    }
                }
            }
        }
        layer_in = layer_out;
    }
    let w = d * hs;
    for (tt, rows) in layer_in.iter().enumerate() {
        for (b, row) in rows.iter().enumerate() {
            let off = match layout {
                Layout::Tnc => (tt * n + b) * w,
                Layout::Ntc => (b * t + tt) * w,
            };
            for (o, v) in out[off..off + w].iter_mut().zip(row) {
                *o = v.to_f32();
            }
        }
    }
}
