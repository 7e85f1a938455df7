//! Synthetic SIMD peak probe: the benchmark runs it in the same process as the kernels to
//! report GEMM speed as a fraction of what this machine's wasm engine can do.

use crate::simd::F32x4;

/// Independent chains: 12 fit V8's 16 xmm registers with room for the two constants.
const CHAINS: usize = 12;

/// Runs `iters` rounds of 12 independent `acc = acc * s + t` f32x4 chains
/// (`iters * 12 * 8` flops) and returns a value derived from every accumulator so the loop
/// cannot be optimised away. The multiply depends on the accumulator, so the compiler cannot
/// hoist it out of the loop.
pub fn simd_peak_probe(iters: usize) -> f32 {
    let s = F32x4::splat(0.999_999);
    let t = F32x4::splat(1e-6);
    let mut acc = [F32x4::zero(); CHAINS];
    for (i, a) in acc.iter_mut().enumerate() {
        *a = F32x4::splat(i as f32 * 0.01);
    }
    for _ in 0..iters {
        for a in acc.iter_mut() {
            *a = a.mul_add(s, t);
        }
    }
    acc.iter().map(|a| a.to_array().iter().sum::<f32>()).sum()
}

/// Flops performed by `simd_peak_probe(iters)`.
pub fn simd_peak_probe_flops(iters: usize) -> f64 {
    iters as f64 * (CHAINS * 8) as f64
}

#[cfg(test)]
mod tests {
    #[test]
    fn probe_is_finite() {
        assert!(super::simd_peak_probe(1000).is_finite());
    }
}
