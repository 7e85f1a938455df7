//! Hyperbolic tangent as `sign(x) em / (em + 2)` with `em = e^{2|x|} - 1` ([`expm1`]): one
//! reduction and one division per lane, no second polynomial and no per-lane branch
//! select. `expm1` keeps its relative accuracy near 0, so tanh does too (tanh(-0) = -0 by the
//! copysign). `|x|` is clamped to 9, where `em / (em + 2)` already rounds to 1, so +-inf
//! gives +-1 and `em` never overflows; NaN is passed through explicitly.

use super::{exp::expm1, map_slice, Consts, Real};
use crate::simd::F32x4;

/// tanh(9) = 1 - 3e-8 rounds to 1.0 in f32.
pub(super) const SATURATE: f32 = 9.0;

#[inline(always)]
fn tanh_impl<V: Real>(x: V, k: &Consts<V>) -> V {
    let a = x.abs().pmin(k.tanh_saturate);
    let em = expm1(a + a, k);
    x.select_nan(x, (em / (em + k.two)).copysign(x))
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
    map_slice(xs, |x| tanh_k(x, &k))
}
