//! Sigmoid and tanh: one approximation each, written once over [`Real`] so the scalar
//! function and the `F32x4` kernel are the same arithmetic, lane for lane (bitwise equal).
//!
//! Accuracy (measured by the tests against f64 over a dense sweep of [-20, 20] plus
//! extremes): max abs error 8.9e-8 (sigmoid) and 7.3e-8 (tanh); the tests assert 1.5e-7.
//! tanh also keeps 4e-7 relative accuracy near 0. NaN propagates;
//! sigmoid(+inf) = 1, sigmoid(-inf) = 0, tanh(+-inf) = +-1, tanh(-0) = -0.

mod exp;
mod sigmoid;
mod tanh;

pub use sigmoid::{sigmoid, sigmoid_f32x4, sigmoid_slice};
pub use tanh::{tanh, tanh_f32x4, tanh_slice};

use crate::simd::F32x4;
use core::ops::{Add, Div, Mul, Sub};

/// The operations the activation formulas need, for `f32` and `F32x4` alike. The `f32`
/// methods reproduce the wasm lane semantics (`pmin`/`pmax`, saturating conversion).
pub(crate) trait Real:
    Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Div<Output = Self>
{
    fn splat(x: f32) -> Self;
    fn pmin(self, o: Self) -> Self;
    fn pmax(self, o: Self) -> Self;
    fn abs(self) -> Self;
    fn copysign(self, sign: Self) -> Self;
    fn round_nearest(self) -> Self;
    fn exp2i(self) -> Self;
    fn select_lt(self, o: Self, if_true: Self, if_false: Self) -> Self;
    fn select_nan(self, if_nan: Self, otherwise: Self) -> Self;
}

impl Real for f32 {
    #[inline(always)]
    fn splat(x: f32) -> Self {
        x
    }
    #[inline(always)]
    fn pmin(self, o: Self) -> Self {
        if o < self {
            o
        } else {
            self
        }
    }
    #[inline(always)]
    fn pmax(self, o: Self) -> Self {
        if self < o {
            o
        } else {
            self
        }
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f32::abs(self)
    }
    #[inline(always)]
    fn copysign(self, sign: Self) -> Self {
        f32::copysign(self, sign)
    }
    #[inline(always)]
    fn round_nearest(self) -> Self {
        f32::round_ties_even(self)
    }
    #[inline(always)]
    fn exp2i(self) -> Self {
        f32::from_bits(((self as i32).wrapping_add(127) << 23) as u32)
    }
    #[inline(always)]
    fn select_lt(self, o: Self, if_true: Self, if_false: Self) -> Self {
        if self < o {
            if_true
        } else {
            if_false
        }
    }
    #[inline(always)]
    fn select_nan(self, if_nan: Self, otherwise: Self) -> Self {
        if self.is_nan() {
            if_nan
        } else {
            otherwise
        }
    }
}

impl Real for F32x4 {
    #[inline(always)]
    fn splat(x: f32) -> Self {
        F32x4::splat(x)
    }
    #[inline(always)]
    fn pmin(self, o: Self) -> Self {
        F32x4::pmin(self, o)
    }
    #[inline(always)]
    fn pmax(self, o: Self) -> Self {
        F32x4::pmax(self, o)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        F32x4::abs(self)
    }
    #[inline(always)]
    fn copysign(self, sign: Self) -> Self {
        F32x4::copysign(self, sign)
    }
    #[inline(always)]
    fn round_nearest(self) -> Self {
        F32x4::round_nearest(self)
    }
    #[inline(always)]
    fn exp2i(self) -> Self {
        F32x4::exp2i(self)
    }
    #[inline(always)]
    fn select_lt(self, o: Self, if_true: Self, if_false: Self) -> Self {
        F32x4::select_lt(self, o, if_true, if_false)
    }
    #[inline(always)]
    fn select_nan(self, if_nan: Self, otherwise: Self) -> Self {
        F32x4::select_nan(self, if_nan, otherwise)
    }
}

/// Applies `v` to whole vectors and `s` (the same formula) to the tail.
#[inline(always)]
fn map_slice(xs: &mut [f32], v: impl Fn(F32x4) -> F32x4, s: impl Fn(f32) -> f32) {
    let mut chunks = xs.chunks_exact_mut(crate::simd::LANES);
    for c in &mut chunks {
        v(F32x4::from_slice(c)).write_to_slice(c);
    }
    for x in chunks.into_remainder() {
        *x = s(*x);
    }
}

#[cfg(test)]
mod tests;
