//! `F32x4` on wasm SIMD128 (`core::arch::wasm32`). Compiled only with `+simd128`, where the
//! intrinsics are always available, so the safe wrappers below need no runtime check.

use core::arch::wasm32::*;
use core::ops::{Add, Div, Mul, Sub};

/// Four f32 lanes in one `v128`.
#[derive(Clone, Copy, Debug)]
pub struct F32x4(v128);

impl F32x4 {
    /// All lanes zero.
    #[inline(always)]
    pub fn zero() -> Self {
        F32x4(f32x4_splat(0.0))
    }

    /// All lanes `x`.
    #[inline(always)]
    pub fn splat(x: f32) -> Self {
        F32x4(f32x4_splat(x))
    }

    /// Unaligned load of four lanes.
    ///
    /// # Safety
    /// `p` must be valid for reading four `f32`s.
    #[inline(always)]
    pub unsafe fn load(p: *const f32) -> Self {
        // SAFETY: the caller guarantees 16 readable bytes; v128.load has no alignment need.
        F32x4(unsafe { v128_load(p.cast::<v128>()) })
    }

    /// Loads one f32 into all lanes (`v128.load32_splat`).
    ///
    /// # Safety
    /// `p` must be valid for reading one `f32`.
    #[inline(always)]
    pub unsafe fn load_splat(p: *const f32) -> Self {
        // SAFETY: the caller guarantees 4 readable bytes.
        F32x4(unsafe { v128_load32_splat(p.cast::<u32>()) })
    }

    /// Lane `L` in all four lanes (`i32x4.shuffle`).
    #[inline(always)]
    pub fn splat_lane<const L: usize>(self) -> Self {
        F32x4(match L {
            0 => i32x4_shuffle::<0, 0, 0, 0>(self.0, self.0),
            1 => i32x4_shuffle::<1, 1, 1, 1>(self.0, self.0),
            2 => i32x4_shuffle::<2, 2, 2, 2>(self.0, self.0),
            _ => i32x4_shuffle::<3, 3, 3, 3>(self.0, self.0),
        })
    }

    /// Unaligned store of four lanes.
    ///
    /// # Safety
    /// `p` must be valid for writing four `f32`s.
    #[inline(always)]
    pub unsafe fn store(self, p: *mut f32) {
        // SAFETY: the caller guarantees 16 writable bytes; v128.store has no alignment need.
        unsafe { v128_store(p.cast::<v128>(), self.0) }
    }

    /// The lanes as an array.
    #[inline(always)]
    pub fn to_array(self) -> [f32; 4] {
        [
            f32x4_extract_lane::<0>(self.0),
            f32x4_extract_lane::<1>(self.0),
            f32x4_extract_lane::<2>(self.0),
            f32x4_extract_lane::<3>(self.0),
        ]
    }

    /// `self * b + c`: mul then add (two roundings) with plain SIMD128.
    #[cfg(not(target_feature = "relaxed-simd"))]
    #[inline(always)]
    pub fn mul_add(self, b: Self, c: Self) -> Self {
        self * b + c
    }

    /// `self * b + c` as `f32x4.relaxed_madd` (one instruction; fused on FMA hardware).
    #[cfg(target_feature = "relaxed-simd")]
    #[inline(always)]
    pub fn mul_add(self, b: Self, c: Self) -> Self {
        F32x4(f32x4_relaxed_madd(self.0, b.0, c.0))
    }

    /// `f32x4.pmin`: `o < self ? o : self` (one `minps` on x64). NaN lanes: see
    /// `select_nan`.
    #[inline(always)]
    pub fn pmin(self, o: Self) -> Self {
        F32x4(f32x4_pmin(self.0, o.0))
    }

    /// `f32x4.pmax`: `self < o ? o : self` (one `maxps` on x64). NaN lanes: see
    /// `select_nan`.
    #[inline(always)]
    pub fn pmax(self, o: Self) -> Self {
        F32x4(f32x4_pmax(self.0, o.0))
    }

    /// Absolute value (clears the sign bit).
    #[inline(always)]
    pub fn abs(self) -> Self {
        F32x4(f32x4_abs(self.0))
    }

    /// Magnitude of `self` with the sign bit of `sign`.
    #[inline(always)]
    pub fn copysign(self, sign: Self) -> Self {
        let mask = u32x4_splat(0x8000_0000);
        F32x4(v128_bitselect(sign.0, self.0, mask))
    }

    /// Round to nearest, ties to even.
    #[inline(always)]
    pub fn round_nearest(self) -> Self {
        F32x4(f32x4_nearest(self.0))
    }

    /// `2^n` for lanes holding integral `n` in `[-126, 128]` (128 gives +inf).
    #[inline(always)]
    pub fn exp2i(self) -> Self {
        let n = i32x4_trunc_sat_f32x4(self.0);
        F32x4(i32x4_shl(i32x4_add(n, i32x4_splat(127)), 23))
    }

    /// `2^n` from `self = n + 1.5 * 2^23` (an integer `n` in `[-126, 128]` held in the low
    /// mantissa bits, as the round-to-integer trick leaves it) and `one = 1.0`: the bits
    /// `(self << 23) + bits(1.0)`. Two integer ops instead of a saturating conversion
    /// (about eight x64 instructions in V8).
    #[inline(always)]
    pub fn pow2_of_magic(self, one: Self) -> Self {
        F32x4(i32x4_add(i32x4_shl(self.0, 23), one.0))
    }

    /// Per lane: `self` is NaN ? `if_nan` : `otherwise`. (Kernels use this instead of
    /// relying on `pmin`/`pmax` NaN rules: with `+relaxed-simd` LLVM lowers those to
    /// `relaxed_min/max`, whose NaN result is engine-defined.)
    #[inline(always)]
    pub fn select_nan(self, if_nan: Self, otherwise: Self) -> Self {
        F32x4(v128_bitselect(
            if_nan.0,
            otherwise.0,
            f32x4_ne(self.0, self.0),
        ))
    }

    /// Per lane: `self < o ? if_true : if_false` (NaN compares false).
    #[inline(always)]
    pub fn select_lt(self, o: Self, if_true: Self, if_false: Self) -> Self {
        F32x4(v128_bitselect(if_true.0, if_false.0, f32x4_lt(self.0, o.0)))
    }
}

impl Add for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        F32x4(f32x4_add(self.0, o.0))
    }
}

impl Sub for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        F32x4(f32x4_sub(self.0, o.0))
    }
}

impl Mul for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        F32x4(f32x4_mul(self.0, o.0))
    }
}

impl Div for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn div(self, o: Self) -> Self {
        F32x4(f32x4_div(self.0, o.0))
    }
}
