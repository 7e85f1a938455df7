//! Sigmoid and tanh: one approximation each, written once over [`Real`] so the scalar
//! function and the `F32x4` kernel are the same arithmetic, lane for lane: bitwise equal on
//! the host and in the plain builds. The relaxed builds' lanes fuse the exp's multiply-adds
//! (`f32x4.relaxed_madd`, one rounding instead of two: within an ulp or two of the scalar
//! reference, and closer to the exact value); slices run their tail through a padded vector,
//! so an element's result does not depend on its position.
//!
//! Accuracy (measured by the tests against f64 over a dense sweep of [-20, 20] plus
//! extremes): max abs error 8.9e-8 (sigmoid) and 8.8e-8 (tanh); the tests assert 1.5e-7.
//! tanh also keeps 4e-7 relative accuracy near 0. NaN propagates;
//! sigmoid(+inf) = 1, sigmoid(-inf) = 0, tanh(+-inf) = +-1, tanh(-0) = -0.

mod exp;
mod sigmoid;
mod tanh;

pub(crate) use exp::exp as exp_k;
pub(crate) use sigmoid::sigmoid_k;
pub use sigmoid::{sigmoid, sigmoid_f32x4, sigmoid_slice};
pub(crate) use tanh::tanh_k;
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
    /// `splat(x)` as an opaque value (hot loops build their constants once with it).
    fn hoist(x: f32) -> Self;
    fn pow2_of_magic(self, one: Self) -> Self;
    fn select_nan(self, if_nan: Self, otherwise: Self) -> Self;
    /// `self * b + c`: two roundings for `f32` and in the plain builds, one in the relaxed
    /// builds' vector lanes (`f32x4.relaxed_madd`).
    fn mul_add(self, b: Self, c: Self) -> Self;
}

impl Real for f32 {
    #[inline(always)]
    fn splat(x: f32) -> Self {
        x
    }
    #[inline(always)]
    fn mul_add(self, b: Self, c: Self) -> Self {
        self * b + c
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
    fn hoist(x: f32) -> Self {
        x
    }
    #[inline(always)]
    fn pow2_of_magic(self, one: Self) -> Self {
        f32::from_bits((self.to_bits() << 23).wrapping_add(one.to_bits()))
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
    fn mul_add(self, b: Self, c: Self) -> Self {
        F32x4::mul_add(self, b, c)
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
    fn hoist(x: f32) -> Self {
        F32x4::splat(core::hint::black_box(x))
    }
    #[inline(always)]
    fn pow2_of_magic(self, one: Self) -> Self {
        F32x4::pow2_of_magic(self, one)
    }
    #[inline(always)]
    fn select_nan(self, if_nan: Self, otherwise: Self) -> Self {
        F32x4::select_nan(self, if_nan, otherwise)
    }
}

/// Every constant of the exp / sigmoid / tanh formulas as a value of `V`.
///
/// V8 on x64 re-materialises a `v128.const` at each use inside a loop (several instructions
/// each, about a dozen per exp), so loops over many vectors build this once with
/// [`Consts::hoisted`] (opaque values that stay in locals or on the stack) and pass it in.
/// [`Consts::plain`] gives the same values as ordinary constants (one-off calls).
#[derive(Clone, Copy)]
pub(crate) struct Consts<V> {
    pub(crate) one: V,
    pub(crate) two: V,
    pub(crate) exp_lo: V,
    pub(crate) exp_hi: V,
    pub(crate) log2e: V,
    pub(crate) magic: V,
    /// `-ln 2` in two parts (subtracted by a multiply-add).
    pub(crate) neg_ln2_hi: V,
    pub(crate) neg_ln2_lo: V,
    pub(crate) exp_h: [V; 6],
    pub(crate) tanh_saturate: V,
}

impl<V: Real> Consts<V> {
    #[inline(always)]
    fn with(f: impl Fn(f32) -> V) -> Self {
        Consts {
            one: f(1.0),
            two: f(2.0),
            exp_lo: f(exp::LO),
            exp_hi: f(exp::HI),
            log2e: f(exp::LOG2E),
            magic: f(exp::MAGIC),
            neg_ln2_hi: f(-exp::LN2_HI),
            neg_ln2_lo: f(-exp::LN2_LO),
            exp_h: exp::H.map(&f),
            tanh_saturate: f(tanh::SATURATE),
        }
    }

    /// The constants as plain splats.
    #[inline(always)]
    pub(crate) fn plain() -> Self {
        Self::with(V::splat)
    }

    /// The constants as opaque values: build once outside a hot loop.
    #[inline(always)]
    pub(crate) fn hoisted() -> Self {
        Self::with(V::hoist)
    }
}

/// Applies `v` to every element, the tail through one zero-padded vector too, so that an
/// element's result does not depend on its position (the relaxed builds' lanes fuse
/// multiply-adds that the scalar formula rounds twice).
#[inline(always)]
fn map_slice(xs: &mut [f32], v: impl Fn(F32x4) -> F32x4) {
    let mut chunks = xs.chunks_exact_mut(crate::simd::LANES);
    for c in &mut chunks {
        v(F32x4::from_slice(c)).write_to_slice(c);
    }
    let tail = chunks.into_remainder();
    if !tail.is_empty() {
        v(F32x4::from_prefix(tail)).write_prefix(tail);
    }
}

#[cfg(test)]
mod tests;
