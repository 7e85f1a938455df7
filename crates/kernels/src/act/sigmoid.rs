//! Logistic sigmoid `1 / (1 + e^-x)` on top of `exp::exp` (one division, no cancellation:
//! abs error about 1 ulp of the result).

use super::{exp::exp, map_slice, Real};
use crate::simd::F32x4;

#[inline(always)]
fn sigmoid_impl<V: Real>(x: V) -> V {
    let one = V::splat(1.0);
    one / (one + exp(V::splat(0.0) - x))
}

/// Scalar sigmoid (bitwise equal to each lane of [`sigmoid_f32x4`]).
#[inline]
pub fn sigmoid(x: f32) -> f32 {
    sigmoid_impl(x)
}

/// Four-lane sigmoid.
#[inline(always)]
pub fn sigmoid_f32x4(x: F32x4) -> F32x4 {
    sigmoid_impl(x)
}

/// In-place sigmoid over a slice.
pub fn sigmoid_slice(xs: &mut [f32]) {
    map_slice(xs, sigmoid_f32x4, sigmoid)
}
