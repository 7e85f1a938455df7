//! Row-wise normalisations over contiguous rows, SIMD with a float64 reference beside them:
//! - [`softmax_rows`]: MXNet `softmax` / `log_softmax` along the last axis, with
//!   `temperature` and per-row lengths (`use_length`): `src/operator/nn/softmax-inl.h`
//!   (max, then `exp((x - max) / t)` and its sum, then divide; log: `(x - max) / t - log(sum)`).
//! - [`layer_norm_rows`]: MXNet `LayerNorm` along the last axis
//!   (`src/operator/nn/layer_norm-inl.h`): mean, biased variance, `(x - mean) / sqrt(var + eps)`
//!   scaled by gamma and shifted by beta; the mean and std are outputs too.

use crate::act::{exp_k, Consts};
use crate::simd::{F32x4, LANES};

/// A softmax call's options.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Softmax {
    /// Divides the inputs (MXNet's `temperature`; 1 for none).
    pub temperature: f32,
    /// `log_softmax` instead of `softmax`.
    pub log: bool,
}

fn rows_of(len: usize, n: usize, what: &str) -> Result<usize, String> {
    if n == 0 {
        return if len == 0 {
            Ok(0)
        } else {
            Err(format!("{what}: rows of 0 values cannot hold {len}"))
        };
    }
    if !len.is_multiple_of(n) {
        return Err(format!("{what}: {len} values are not whole rows of {n}"));
    }
    Ok(len / n)
}

/// Softmax of each row of `n` values of `x` into `out`. With `lens`, row `r` uses its first
/// `lens[r]` values and its other outputs are 0.
pub fn softmax_rows(
    x: &[f32],
    out: &mut [f32],
    n: usize,
    lens: Option<&[usize]>,
    o: Softmax,
) -> Result<(), String> {
    let rows = rows_of(x.len(), n, "softmax: data")?;
    if out.len() != x.len() {
        return Err(format!(
            "softmax: output has {} values, data {}",
            out.len(),
            x.len()
        ));
    }
    if let Some(l) = lens {
        if l.len() != rows {
            return Err(format!("softmax: {} lengths for {rows} rows", l.len()));
        }
        if let Some(bad) = l.iter().find(|&&v| v > n) {
            return Err(format!(
                "softmax: length {bad} is longer than the axis ({n})"
            ));
        }
    }
    let k = Consts::<F32x4>::hoisted();
    let t = o.temperature;
    for r in 0..rows {
        let len = lens.map_or(n, |l| l[r]);
        let row = &x[r * n..][..len];
        let dst = &mut out[r * n..(r + 1) * n];
        dst[len..].fill(0.0);
        if len == 0 {
            continue;
        }
        let mx = row_max(row);
        // (x - max) / t; a temperature of 1 skips the division (exactly the same values).
        let scaled = |v: F32x4| {
            let d = v - F32x4::splat(mx);
            if t == 1.0 {
                d
            } else {
                d / F32x4::splat(t)
            }
        };
        let scaled1 = |v: f32| if t == 1.0 { v - mx } else { (v - mx) / t };
        // exp((x - max) / t) into dst, and its sum
        let mut acc = F32x4::zero();
        let mut sum_tail = 0.0f32;
        let mut c_in = row.chunks_exact(LANES);
        let mut c_out = dst[..len].chunks_exact_mut(LANES);
        for (a, b) in (&mut c_in).zip(&mut c_out) {
            let e = exp_k(scaled(F32x4::from_slice(a)), &k);
            acc = acc + e;
            e.write_to_slice(b);
        }
        // The tail through one padded vector, as the chunks (the relaxed builds' lanes fuse
        // multiply-adds the scalar formula rounds twice); summed in order, as before.
        let (tail_in, tail_out) = (c_in.remainder(), c_out.into_remainder());
        if !tail_in.is_empty() {
            let e = exp_k(scaled(F32x4::from_prefix(tail_in)), &k).to_array();
            for (b, &e) in tail_out.iter_mut().zip(&e) {
                sum_tail += e;
                *b = e;
            }
        }
        let sum = acc.to_array().iter().sum::<f32>() + sum_tail;
        if o.log {
            let ls = (sum as f64).ln() as f32;
            for (v, d) in row.iter().zip(dst.iter_mut()) {
                *d = scaled1(*v) - ls;
            }
        } else {
            // One reciprocal, then products: within an ulp of dividing each value.
            let inv = 1.0 / sum;
            let iv = F32x4::splat(inv);
            let mut c = dst[..len].chunks_exact_mut(LANES);
            for b in &mut c {
                (F32x4::from_slice(b) * iv).write_to_slice(b);
            }
            for b in c.into_remainder() {
                *b *= inv;
            }
        }
    }
    Ok(())
}

/// The largest value of a non-empty row, NaNs ignored (as `if (v > max)` would).
fn row_max(row: &[f32]) -> f32 {
    let mut acc = F32x4::splat(f32::NEG_INFINITY);
    let mut c = row.chunks_exact(LANES);
    for a in &mut c {
        // pmax(acc, v) = acc < v ? v : acc: a NaN in v never replaces acc
        acc = acc.pmax(F32x4::from_slice(a));
    }
    let mut m = f32::NEG_INFINITY;
    for v in acc
        .to_array()
        .into_iter()
        .chain(c.remainder().iter().copied())
    {
        if m < v {
            m = v;
        }
    }
    m
}

/// Layer normalisation of each row of `n` values: `out = (x - mean) / std * gamma + beta`
/// with `std = sqrt(var + eps)`; `mean` and `std` get one value per row.
pub fn layer_norm_rows(
    x: &[f32],
    gamma: &[f32],
    beta: &[f32],
    eps: f32,
    out: &mut [f32],
    mean: &mut [f32],
    std: &mut [f32],
) -> Result<(), String> {
    let n = gamma.len();
    let rows = rows_of(x.len(), n, "LayerNorm: data")?;
    if beta.len() != n || out.len() != x.len() || mean.len() != rows || std.len() != rows {
        return Err(format!(
            "LayerNorm: gamma {n}, beta {}, data {}, out {}, mean {}, std {}: sizes disagree",
            beta.len(),
            x.len(),
            out.len(),
            mean.len(),
            std.len()
        ));
    }
    for r in 0..rows {
        let row = &x[r * n..(r + 1) * n];
        let m = sum(row) / n as f32;
        let mv = F32x4::splat(m);
        let mut acc = F32x4::zero();
        let mut c = row.chunks_exact(LANES);
        for a in &mut c {
            let d = F32x4::from_slice(a) - mv;
            acc = acc + d * d;
        }
        let tail: f32 = c.remainder().iter().map(|v| (v - m) * (v - m)).sum();
        let var = (acc.to_array().iter().sum::<f32>() + tail) / n as f32;
        let s = (var + eps).sqrt();
        mean[r] = m;
        std[r] = s;
        let (sv, dst) = (F32x4::splat(s), &mut out[r * n..(r + 1) * n]);
        let mut ci = row.chunks_exact(LANES);
        let mut co = dst.chunks_exact_mut(LANES);
        let mut j = 0;
        for (a, b) in (&mut ci).zip(&mut co) {
            let g = F32x4::from_slice(&gamma[j..]);
            let bb = F32x4::from_slice(&beta[j..]);
            (((F32x4::from_slice(a) - mv) / sv) * g + bb).write_to_slice(b);
            j += LANES;
        }
        for (a, b) in ci.remainder().iter().zip(co.into_remainder()) {
            *b = (a - m) / s * gamma[j] + beta[j];
            j += 1;
        }
    }
    Ok(())
}

fn sum(row: &[f32]) -> f32 {
    let mut acc = F32x4::zero();
    let mut c = row.chunks_exact(LANES);
    for a in &mut c {
        acc = acc + F32x4::from_slice(a);
    }
    acc.to_array().iter().sum::<f32>() + c.remainder().iter().sum::<f32>()
}

/// Float64 references the SIMD kernels are tested against.
pub mod reference {
    /// [`super::softmax_rows`] in f64.
    pub fn softmax_rows(
        x: &[f32],
        n: usize,
        lens: Option<&[usize]>,
        t: f64,
        log: bool,
    ) -> Vec<f64> {
        let mut out = vec![0.0; x.len()];
        for r in 0..x.len().checked_div(n).unwrap_or(0) {
            let len = lens.map_or(n, |l| l[r]);
            let row: Vec<f64> = x[r * n..][..len].iter().map(|&v| v as f64).collect();
            let mx = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = row.iter().map(|v| ((v - mx) / t).exp()).sum();
            for (k, v) in row.iter().enumerate() {
                out[r * n + k] = if log {
                    (v - mx) / t - sum.ln()
                } else {
                    ((v - mx) / t).exp() / sum
                };
            }
        }
        out
    }

    /// [`super::layer_norm_rows`] in f64 (the normalised output only).
    pub fn layer_norm_rows(x: &[f32], gamma: &[f32], beta: &[f32], eps: f64) -> Vec<f64> {
        let n = gamma.len();
        let mut out = vec![0.0; x.len()];
        for r in 0..x.len().checked_div(n).unwrap_or(0) {
            let row: Vec<f64> = x[r * n..(r + 1) * n].iter().map(|&v| v as f64).collect();
            let m = row.iter().sum::<f64>() / n as f64;
            let var = row.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n as f64;
            let s = (var + eps).sqrt();
            for k in 0..n {
                out[r * n + k] = (row[k] - m) / s * gamma[k] as f64 + beta[k] as f64;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gemm::tests::fill;

    fn close(got: &[f32], want: &[f64], tol: f64, what: &str) {
        assert_eq!(got.len(), want.len(), "{what}");
        for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g as f64 - w).abs() <= tol * w.abs().max(1.0),
                "{what}[{i}]: {g} vs {w}"
            );
        }
    }

    /// Row lengths 0, 1, the vector width +-1, odd and long; 0 to 3 rows.
    const NS: [usize; 10] = [0, 1, 3, 4, 5, 7, 8, 9, 33, 1000];

    #[test]
    fn softmax_matches_reference() {
        for n in NS {
            for rows in 0..4 {
                let x: Vec<f32> = fill(rows * n, (n + rows) as u32)
                    .iter()
                    .map(|v| v * 8.0)
                    .collect();
                for (t, log) in [(1.0, false), (1.0, true), (0.5, false), (2.5, true)] {
                    let o = Softmax {
                        temperature: t,
                        log,
                    };
                    let mut out = vec![f32::NAN; x.len()];
                    softmax_rows(&x, &mut out, n, None, o).unwrap();
                    let want = reference::softmax_rows(&x, n, None, t as f64, log);
                    close(
                        &out,
                        &want,
                        2e-6,
                        &format!("n={n} rows={rows} t={t} log={log}"),
                    );
                    if n > 0 {
                        let lens: Vec<usize> = (0..rows).map(|r| (r * 7 + 1) % (n + 1)).collect();
                        softmax_rows(&x, &mut out, n, Some(&lens), o).unwrap();
                        let want = reference::softmax_rows(&x, n, Some(&lens), t as f64, log);
                        close(&out, &want, 2e-6, &format!("n={n} rows={rows} lengths"));
                    }
                }
            }
        }
    }

    #[test]
    fn softmax_special_values_and_errors() {
        let mut out = [0.0f32; 5];
        // NaN anywhere makes the row NaN; -inf gets (close to) 0
        softmax_rows(
            &[1.0, f32::NAN, 0.0, 2.0, 3.0],
            &mut out,
            5,
            None,
            Softmax {
                temperature: 1.0,
                log: false,
            },
        )
        .unwrap();
        assert!(out.iter().all(|v| v.is_nan()));
        softmax_rows(
            &[0.0, f32::NEG_INFINITY, 0.0, 0.0, 0.0],
            &mut out,
            5,
            None,
            Softmax {
                temperature: 1.0,
                log: false,
            },
        )
        .unwrap();
        assert!(out[1] < 1e-30 && (out[0] - 0.25).abs() < 1e-7);
        let o = Softmax {
            temperature: 1.0,
            log: false,
        };
        assert!(softmax_rows(&[0.0; 6], &mut [0.0; 6], 4, None, o).is_err());
        assert!(softmax_rows(&[0.0; 4], &mut [0.0; 4], 2, Some(&[1, 3]), o).is_err());
        assert!(softmax_rows(&[0.0; 4], &mut [0.0; 3], 2, None, o).is_err());
    }

    #[test]
    fn layer_norm_matches_reference() {
        for n in NS.into_iter().filter(|&n| n > 0) {
            for rows in 0..4 {
                let x: Vec<f32> = fill(rows * n, 3 + n as u32)
                    .iter()
                    .map(|v| v * 3.0 + 1.0)
                    .collect();
                let (g, b) = (fill(n, 5), fill(n, 6));
                let (mut out, mut m, mut s) =
                    (vec![f32::NAN; x.len()], vec![0.0; rows], vec![0.0; rows]);
                layer_norm_rows(&x, &g, &b, 1e-5, &mut out, &mut m, &mut s).unwrap();
                close(
                    &out,
                    &reference::layer_norm_rows(&x, &g, &b, 1e-5),
                    5e-6,
                    &format!("n={n} rows={rows}"),
                );
            }
        }
        assert!(layer_norm_rows(
            &[0.0; 5],
            &[1.0; 2],
            &[0.0; 2],
            1e-5,
            &mut [0.0; 5],
            &mut [0.0; 2],
            &mut [0.0; 2]
        )
        .is_err());
    }
}
