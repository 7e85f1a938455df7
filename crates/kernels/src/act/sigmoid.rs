//! Logistic sigmoid `1 / (1 + e^-x)` on top of `exp::exp` (one division, no cancellation:
//! abs error about 1 ulp of the result).

use super::{exp::exp, map_slice, Consts, Real};
use crate::simd::F32x4;

#[inline(always)]
fn sigmoid_impl<V: Real>(x: V, k: &Consts<V>) -> V {
    k.one / (k.one + exp(V::splat(0.0) - x, k))
}

/// [`sigmoid_f32x4`] with the constants passed in (build them once per hot loop).
#[inline(always)]
pub(crate) fn sigmoid_k(x: F32x4, k: &Consts<F32x4>) -> F32x4 {
    sigmoid_impl(x, k)
}

/// Scalar sigmoid (bitwise equal to each lane of [`sigmoid_f32x4`]).
#[inline]
pub fn sigmoid(x: f32) -> f32 {
    sigmoid_impl(x, &Consts::plain())
}

/// Four-lane sigmoid.
#[inline(always)]
pub fn sigmoid_f32x4(x: F32x4) -> F32x4 {
    sigmoid_impl(x, &Consts::plain())
}

/// In-place sigmoid over a slice.
pub fn sigmoid_slice(xs: &mut [f32]) {
    let k = Consts::hoisted();
    map_slice(xs, |x| sigmoid_k(x, &k))
}
