//! Hyperbolic tangent in two regimes chosen per lane:
//! - `|x| < 0.625`: `x + x u P(u)`, `u = x^2`, P a degree-5 Chebyshev fit of
//!   `(tanh(x)/x - 1)/u` (fit error < 4e-10 abs), keeping relative accuracy near 0 and -0;
//! - otherwise: `sign(x) (1 - 2 / (e^{2|x|} + 1))`, which saturates to exactly 1 for large
//!   |x| and +-inf, and lets NaN through (NaN fails the `<` test and takes this branch).

use super::{exp::exp, map_slice, Consts, Real};
use crate::simd::F32x4;

pub(super) const SMALL: f32 = 0.625;
/// Fit coefficients as printed by the fit (10 digits); the compiler rounds them to f32.
#[allow(clippy::excessive_precision)]
pub(super) const P: [f32; 6] = [
    -3.333_333_317e-1,
    1.333_330_356e-1,
    -5.395_925_959e-2,
    2.176_891_871e-2,
    -8.343_945_657e-3,
    2.292_744_933e-3,
];

#[inline(always)]
fn tanh_impl<V: Real>(x: V, k: &Consts<V>) -> V {
    let a = x.abs();
    let u = x * x;
    let mut p = k.tanh_p[5];
    for &c in k.tanh_p[..5].iter().rev() {
        p = p * u + c;
    }
    let small = x + (x * u) * p;
    let e = exp(a + a, k);
    let large = k.one - k.two / (e + k.one);
    // Both branches are odd in x; copysign also keeps tanh(-0) = -0 (the sum above is +0).
    a.select_lt(k.tanh_small, small, large).copysign(x)
}

/// [`tanh_f32x4`] with the constants passed in (build them once per hot loop).
#[inline(always)]
pub(crate) fn tanh_k(x: F32x4, k: &Consts<F32x4>) -> F32x4 {
    tanh_impl(x, k)
}

/// Scalar tanh (bitwise equal to each lane of [`tanh_f32x4`]).
#[inline]
pub fn tanh(x: f32) -> f32 {
    tanh_impl(x, &Consts::plain())
}

/// Four-lane tanh.
#[inline(always)]
pub fn tanh_f32x4(x: F32x4) -> F32x4 {
    tanh_impl(x, &Consts::plain())
}

/// In-place tanh over a slice.
pub fn tanh_slice(xs: &mut [f32]) {
    let k = Consts::hoisted();
    map_slice(xs, |x| tanh_k(x, &k), tanh)
}
