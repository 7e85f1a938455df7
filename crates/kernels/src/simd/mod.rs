//! `F32x4`: the small four-lane vocabulary every SIMD kernel in this crate is written in.
//!
//! The implementation is chosen at compile time: real `v128` code on
//! `wasm32` with `simd128`, a portable `[f32; 4]` emulation everywhere else. Both expose the
//! same inherent methods with the same lane semantics (including NaN behaviour of
//! `pmin`/`pmax`), so a kernel body is written once and tested on the host.
//!
//! `mul_add` is a multiply followed by an add (two roundings): wasm SIMD128 has no FMA, and
//! host results then equal wasm results bit for bit. Only in a build with
//! `+relaxed-simd` does it become `f32x4.relaxed_madd` (fused or not, as the engine
//! chooses; GEMM results then differ from the host in the last bits but stay independent of
//! tiling and column splits, since every element goes through the same instruction).

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm128;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub use wasm128::F32x4;

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod scalar;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub use scalar::F32x4;

/// Lanes per vector.
pub const LANES: usize = 4;

/// Name of the back end compiled in (for benchmark reports).
pub const BACKEND: &str = if cfg!(all(target_arch = "wasm32", target_feature = "simd128")) {
    "wasm128"
} else {
    "scalar"
};

impl F32x4 {
    /// Loads `s[0..4]`. Panics if `s` is shorter than four.
    #[inline(always)]
    pub fn from_slice(s: &[f32]) -> Self {
        let s = &s[..LANES];
        // SAFETY: the slice above proves four readable f32s.
        unsafe { Self::load(s.as_ptr()) }
    }

    /// Stores into `s[0..4]`. Panics if `s` is shorter than four.
    #[inline(always)]
    pub fn write_to_slice(self, s: &mut [f32]) {
        let s = &mut s[..LANES];
        // SAFETY: the slice above proves four writable f32s.
        unsafe { self.store(s.as_mut_ptr()) }
    }

    /// Loads `s` (at most four values) into the first lanes, zeros into the others: a slice's
    /// tail through the same vector arithmetic as the whole vectors before it.
    #[inline(always)]
    pub fn from_prefix(s: &[f32]) -> Self {
        let mut a = [0.0f32; LANES];
        a[..s.len()].copy_from_slice(s);
        Self::from_slice(&a)
    }

    /// Stores the first `s.len()` (at most four) lanes into `s`.
    #[inline(always)]
    pub fn write_prefix(self, s: &mut [f32]) {
        let n = s.len();
        s.copy_from_slice(&self.to_array()[..n]);
    }

    /// Clamps to `[lo, hi]`; a NaN lane stays NaN (`lo <= hi` assumed).
    #[inline(always)]
    pub fn clamp_keep_nan(self, lo: Self, hi: Self) -> Self {
        self.select_nan(self, self.pmax(lo).pmin(hi))
    }

    /// Clamps to `[lo, hi]`; a NaN lane becomes `lo` (`lo <= hi` assumed).
    #[inline(always)]
    pub fn clamp_nan_to_lo(self, lo: Self, hi: Self) -> Self {
        self.select_nan(lo, self.pmax(lo).pmin(hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_semantics() {
        let x = F32x4::from_slice(&[1.0, -2.0, f32::NAN, -0.0]);
        let lo = F32x4::splat(-1.0);
        let hi = F32x4::splat(0.5);
        let k = x.clamp_keep_nan(lo, hi).to_array();
        assert_eq!(&k[..2], &[0.5, -1.0]);
        assert!(k[2].is_nan());
        let n = x.clamp_nan_to_lo(lo, hi).to_array();
        assert_eq!(n[2], -1.0);
        let a = x.abs().to_array();
        assert_eq!(a[1], 2.0);
        assert!(a[3].to_bits() == 0);
        let s = F32x4::splat(3.0).copysign(x).to_array();
        assert_eq!(s[1], -3.0);
        assert!(s[3] == -3.0);
        let r = F32x4::from_slice(&[0.5, 1.5, -2.5, 2.4])
            .round_nearest()
            .to_array();
        assert_eq!(r, [0.0, 2.0, -2.0, 2.0]);
        let e = F32x4::from_slice(&[0.0, 3.0, -126.0, 128.0])
            .exp2i()
            .to_array();
        assert_eq!(e, [1.0, 8.0, f32::MIN_POSITIVE, f32::INFINITY]);
        // n + 1.5 * 2^23 carries n in its low mantissa bits.
        let t = F32x4::from_slice(&[0.0, 3.0, -126.0, 128.0]) + F32x4::splat(12_582_912.0);
        let p = t.pow2_of_magic(F32x4::splat(1.0)).to_array();
        assert_eq!(p, [1.0, 8.0, f32::MIN_POSITIVE, f32::INFINITY]);
        let sel = F32x4::from_slice(&[1.0, 5.0, f32::NAN, 2.0]).select_lt(
            F32x4::splat(2.0),
            F32x4::splat(10.0),
            F32x4::splat(20.0),
        );
        assert_eq!(sel.to_array(), [10.0, 20.0, 20.0, 20.0]);
        let mut out = [0.0; 4];
        F32x4::splat(7.0).write_to_slice(&mut out);
        assert_eq!(out, [7.0; 4]);
        let v = F32x4::from_slice(&[1.0, -2.0, 3.5, -0.0]);
        assert_eq!(v.splat_lane::<0>().to_array(), [1.0; 4]);
        assert_eq!(v.splat_lane::<2>().to_array(), [3.5; 4]);
        let z = v.splat_lane::<3>().to_array().map(f32::to_bits);
        assert_eq!(z, [(-0.0f32).to_bits(); 4]);
    }
}
