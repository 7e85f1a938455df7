//! Activations vs f64 over a dense sweep and the special values.

use super::*;

fn sweep() -> impl Iterator<Item = f32> {
    // Dense on [-20, 20] (step 2^-12) plus every power of two (tiny and huge magnitudes).
    let dense = (-20 * 4096..=20 * 4096).map(|i| i as f32 / 4096.0);
    let pows = (-149..128).flat_map(|e| {
        let v = 2f32.powi(e);
        [v, -v, v * 1.37, -v * 1.37]
    });
    dense.chain(pows).filter(|v| v.is_finite())
}

fn max_err(f: impl Fn(f32) -> f32, r: impl Fn(f64) -> f64) -> (f64, f32) {
    sweep().fold((0.0, 0.0), |(m, at), x| {
        let e = (f(x) as f64 - r(x as f64)).abs();
        if e > m {
            (e, x)
        } else {
            (m, at)
        }
    })
}

#[test]
fn sigmoid_error_bound() {
    let (e, at) = max_err(sigmoid, |x| 1.0 / (1.0 + (-x).exp()));
    eprintln!("sigmoid max abs error {e:e} at {at}");
    assert!(e <= 1.5e-7, "sigmoid max abs error {e:e} at {at}");
}

#[test]
fn tanh_error_bound() {
    let (e, at) = max_err(tanh, f64::tanh);
    eprintln!("tanh max abs error {e:e} at {at}");
    assert!(e <= 1.5e-7, "tanh max abs error {e:e} at {at}");
    // Relative accuracy near zero (where LSTM states are small).
    for x in sweep().filter(|x| x.abs() < 0.625 && *x != 0.0) {
        let rel = ((tanh(x) as f64 - (x as f64).tanh()) / (x as f64).tanh()).abs();
        assert!(rel <= 4e-7, "tanh rel error {rel:e} at {x}");
    }
}

#[test]
fn special_values() {
    assert_eq!(sigmoid(f32::INFINITY), 1.0);
    assert_eq!(sigmoid(f32::NEG_INFINITY), 0.0);
    assert_eq!(sigmoid(0.0), 0.5);
    assert_eq!(sigmoid(-0.0), 0.5);
    assert!(sigmoid(f32::NAN).is_nan());
    assert_eq!(tanh(f32::INFINITY), 1.0);
    assert_eq!(tanh(f32::NEG_INFINITY), -1.0);
    assert_eq!(tanh(f32::MAX), 1.0);
    assert_eq!(tanh(f32::MIN), -1.0);
    assert_eq!(tanh(0.0).to_bits(), 0.0f32.to_bits());
    assert_eq!(tanh(-0.0).to_bits(), (-0.0f32).to_bits());
    assert!(tanh(f32::NAN).is_nan());
    assert!(tanh(-f32::NAN).is_nan());
    for x in [1e-30f32, -1e-30, 1e-45] {
        assert_eq!(tanh(x), x);
    }
    // Range and monotonic saturation.
    for x in sweep() {
        let (s, t) = (sigmoid(x), tanh(x));
        assert!((0.0..=1.0).contains(&s) && (-1.0..=1.0).contains(&t), "{x}");
    }
}

#[test]
fn simd_equals_scalar_bitwise() {
    let mut xs: Vec<f32> = sweep().step_by(7).collect();
    xs.extend([
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        0.0,
        -0.0,
        0.625,
        -0.625,
    ]);
    for len in [0, 1, 3, 4, 5, xs.len()] {
        let src = &xs[xs.len() - len..];
        let mut s = src.to_vec();
        let mut t = src.to_vec();
        sigmoid_slice(&mut s);
        tanh_slice(&mut t);
        for (i, &x) in src.iter().enumerate() {
            assert_eq!(s[i].to_bits(), sigmoid(x).to_bits(), "sigmoid {x}");
            assert_eq!(t[i].to_bits(), tanh(x).to_bits(), "tanh {x}");
            let v = crate::simd::F32x4::splat(x);
            assert_eq!(
                sigmoid_f32x4(v).to_array()[2].to_bits(),
                sigmoid(x).to_bits()
            );
            assert_eq!(tanh_f32x4(v).to_array()[1].to_bits(), tanh(x).to_bits());
        }
    }
}
