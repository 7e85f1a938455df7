//! Portable four-lane emulation of `F32x4`. Lane semantics mirror wasm SIMD128 exactly
//! (notably `pmin`/`pmax` and saturating float-to-int), so host tests speak for wasm.

use core::ops::{Add, Div, Mul, Sub};

/// Four f32 lanes.
#[derive(Clone, Copy, Debug)]
pub struct F32x4([f32; 4]);

impl F32x4 {
    #[inline(always)]
    fn map(self, f: impl Fn(f32) -> f32) -> Self {
        F32x4([f(self.0[0]), f(self.0[1]), f(self.0[2]), f(self.0[3])])
    }

    #[inline(always)]
    fn zip(self, o: Self, f: impl Fn(f32, f32) -> f32) -> Self {
        let (a, b) = (self.0, o.0);
        F32x4([f(a[0], b[0]), f(a[1], b[1]), f(a[2], b[2]), f(a[3], b[3])])
    }

    /// All lanes zero.
    #[inline(always)]
    pub fn zero() -> Self {
        F32x4([0.0; 4])
    }

    /// All lanes `x`.
    #[inline(always)]
    pub fn splat(x: f32) -> Self {
        F32x4([x; 4])
    }

    /// Unaligned load of four lanes.
    ///
    /// # Safety
    /// `p` must be valid for reading four `f32`s.
    #[inline(always)]
    pub unsafe fn load(p: *const f32) -> Self {
        // SAFETY: the caller guarantees four readable f32s; read_unaligned needs no alignment.
        F32x4(unsafe { p.cast::<[f32; 4]>().read_unaligned() })
    }

    /// Loads one f32 into all lanes.
    ///
    /// # Safety
    /// `p` must be valid for reading one `f32`.
    #[inline(always)]
    pub unsafe fn load_splat(p: *const f32) -> Self {
        // SAFETY: the caller guarantees one readable f32.
        Self::splat(unsafe { p.read() })
    }

    /// Lane `L` in all four lanes.
    #[inline(always)]
    pub fn splat_lane<const L: usize>(self) -> Self {
        Self::splat(self.to_array()[L])
    }

    /// Unaligned store of four lanes.
    ///
    /// # Safety
    /// `p` must be valid for writing four `f32`s.
    #[inline(always)]
    pub unsafe fn store(self, p: *mut f32) {
        // SAFETY: the caller guarantees four writable f32s; write_unaligned needs no alignment.
        unsafe { p.cast::<[f32; 4]>().write_unaligned(self.0) }
    }

    /// The lanes as an array.
    #[inline(always)]
    pub fn to_array(self) -> [f32; 4] {
        self.0
    }

    /// `self * b + c` with two roundings (what wasm SIMD128 computes without FMA).
    #[inline(always)]
    pub fn mul_add(self, b: Self, c: Self) -> Self {
        self * b + c
    }

    /// wasm `f32x4.pmin`: `o < self ? o : self` (a NaN in `self` survives).
    #[inline(always)]
    pub fn pmin(self, o: Self) -> Self {
        self.zip(o, |a, b| if b < a { b } else { a })
    }

    /// wasm `f32x4.pmax`: `self < o ? o : self` (a NaN in `self` survives).
    #[inline(always)]
    pub fn pmax(self, o: Self) -> Self {
        self.zip(o, |a, b| if a < b { b } else { a })
    }

    /// Absolute value (clears the sign bit).
    #[inline(always)]
    pub fn abs(self) -> Self {
        self.map(f32::abs)
    }

    /// Magnitude of `self` with the sign bit of `sign`.
    #[inline(always)]
    pub fn copysign(self, sign: Self) -> Self {
        self.zip(sign, f32::copysign)
    }

    /// Round to nearest, ties to even (wasm `f32x4.nearest`).
    #[inline(always)]
    pub fn round_nearest(self) -> Self {
        self.map(f32::round_ties_even)
    }

    /// `2^n` for lanes holding integral `n` in `[-126, 128]` (128 gives +inf).
    #[inline(always)]
    pub fn exp2i(self) -> Self {
        // `as i32` saturates and maps NaN to 0, like wasm i32x4.trunc_sat_f32x4_s.
        self.map(|n| f32::from_bits(((n as i32).wrapping_add(127) << 23) as u32))
    }

    /// `2^n` from `self = n + 1.5 * 2^23` and `one = 1.0`: bits `(self << 23) + bits(1.0)`
    /// (wrapping, like the wasm `i32x4` ops).
    #[inline(always)]
    pub fn pow2_of_magic(self, one: Self) -> Self {
        self.zip(one, |t, o| {
            f32::from_bits((t.to_bits() << 23).wrapping_add(o.to_bits()))
        })
    }

    /// Per lane: `self` is NaN ? `if_nan` : `otherwise`.
    #[inline(always)]
    pub fn select_nan(self, if_nan: Self, otherwise: Self) -> Self {
        let mut r = otherwise.0;
        for (l, r) in r.iter_mut().enumerate() {
            if self.0[l].is_nan() {
                *r = if_nan.0[l];
            }
        }
        F32x4(r)
    }

    /// Per lane: `self < o ? if_true : if_false` (NaN compares false).
    #[inline(always)]
    pub fn select_lt(self, o: Self, if_true: Self, if_false: Self) -> Self {
        let mut r = if_false.0;
        for (l, r) in r.iter_mut().enumerate() {
            if self.0[l] < o.0[l] {
                *r = if_true.0[l];
            }
        }
        F32x4(r)
    }
}

impl Add for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        self.zip(o, |a, b| a + b)
    }
}

impl Sub for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        self.zip(o, |a, b| a - b)
    }
}

impl Mul for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        self.zip(o, |a, b| a * b)
    }
}

impl Div for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn div(self, o: Self) -> Self {
        self.zip(o, |a, b| a / b)
    }
}
