//! `exp` for the activations: Cody-Waite reduction `z = n ln2 + r`, `|r| <= ln2/2`, and
//! `e^r = 1 + r + r^2 h(r)` with `h` a degree-5 Chebyshev fit of `(e^r - 1 - r) / r^2`
//! (fit error 1.4e-9, so the f32 rounding of the evaluation dominates: about 1 ulp).

use super::{Consts, Real};

pub(super) const LO: f32 = -87.0;
pub(super) const HI: f32 = 89.0;
/// `1.5 * 2^23`: adding it to `|y| < 2^22` rounds `y` to an integer (ties to even, the
/// current rounding mode) that sits in the low mantissa bits of the sum.
pub(super) const MAGIC: f32 = 12_582_912.0;
pub(super) const LOG2E: f32 = core::f32::consts::LOG2_E;
/// ln 2 split so `n * LN2_HI` is exact for |n| <= 256 (9 significant bits).
pub(super) const LN2_HI: f32 = 0.693_359_4;
pub(super) const LN2_LO: f32 = -2.121_944_4e-4;
/// Fit coefficients as printed by the fit (10 digits); the compiler rounds them to f32.
#[allow(clippy::excessive_precision)]
pub(super) const H: [f32; 6] = [
    5.000_000_014e-1,
    1.666_666_668e-1,
    4.166_646_267e-2,
    8.333_310_675e-3,
    1.393_390_005e-3,
    1.989_126_839e-4,
];

/// `(e^r - 1, 2^n)` for `z = n ln2 + r` with `z` already in `[LO, HI]`: the shared core of
/// [`exp`] (`(e^r - 1 + 1) 2^n`) and [`expm1`] (`(e^r - 1) 2^n + (2^n - 1)`).
#[inline(always)]
fn reduce<V: Real>(z: V, k: &Consts<V>) -> (V, V) {
    // n = round(z log2 e) by the magic-number trick: `t` holds n in its low mantissa bits
    // (|z log2 e| < 129), and `t - MAGIC` is n exactly.
    let t = z.mul_add(k.log2e, k.magic);
    let n = t - k.magic;
    let r = n.mul_add(k.neg_ln2_hi, z);
    let r = n.mul_add(k.neg_ln2_lo, r);
    let mut h = k.exp_h[5];
    for &c in k.exp_h[..5].iter().rev() {
        h = h.mul_add(r, c);
    }
    // 2^n is exact (n in [-126, 128]; 128 gives +inf).
    ((r * r).mul_add(h, r), t.pow2_of_magic(k.one))
}

/// `e^z` for activation use. `z` is clamped to `[-87, 89]`: below, the result is about
/// 1.6e-38 instead of smaller; above 88.4 it is `+inf` (what 1/(1+e) wants).
/// NaN propagates. `k` holds the constants (see [`Consts`]).
#[inline(always)]
pub(crate) fn exp<V: Real>(z: V, k: &Consts<V>) -> V {
    let (em, s) = reduce(z.pmax(k.exp_lo).pmin(k.exp_hi), k);
    // NaN is restored explicitly: the clamp's NaN behaviour is engine-defined under
    // relaxed SIMD.
    z.select_nan(z, (em + k.one) * s)
}

/// `e^z - 1` for `z` in `[0, HI]` (the caller clamps; tanh uses it). With `n = 0`
/// (`z < ln2/2`) it is `r + r^2 h(r)` itself, so the relative accuracy holds down to 0.
#[inline(always)]
pub(crate) fn expm1<V: Real>(z: V, k: &Consts<V>) -> V {
    let (em, s) = reduce(z, k);
    em * s + (s - k.one)
}
