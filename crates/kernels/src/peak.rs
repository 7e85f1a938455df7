//! Synthetic probes the benchmark runs in the same process as the kernels: the SIMD multiply-add
//! peak (GEMM speed as a fraction of what this machine's wasm engine can do) and the load
//! bandwidth from memory (what bounds a batch-1 step, which streams all its weights once).

use crate::gemm::micro::kernel_f32_tile;
use crate::gemm::params::{MR, NR};
use crate::simd::F32x4;

/// Independent accumulator chains: 12 plus 2 operand vectors and 1 broadcast fit V8's 16
/// xmm registers; 16 chains spill.
const CHAINS: usize = 12;

/// Runs `iters` rounds of 12 independent `acc += a * b` f32x4 chains (`iters * 96` flops,
/// see [`simd_peak_probe_flops`]) and returns a value derived from every accumulator so
/// nothing is optimised away.
///
/// The operands are opaque to the compiler (`black_box`), so it cannot fold the chains; the
/// probe measures multiply+add throughput with nothing else in the loop. See also
/// [`tile_peak_probe`], which some engines run faster.
pub fn simd_peak_probe(iters: usize) -> f32 {
    // black_box keeps the constants in locals: V8 re-materialises a `v128.const` at every
    // use inside the loop, which alone halves the measured rate.
    let s = F32x4::splat(core::hint::black_box(0.999_999));
    let t = F32x4::splat(core::hint::black_box(1e-6));
    // Twelve named accumulators rather than an array: LLVM keeps an array of vectors in
    // linear memory here (measured: 7.9 GFLOP/s instead of ~59), locals become registers.
    let init = |i: u8| F32x4::splat(f32::from(i) * 0.01);
    let (mut a0, mut a1, mut a2, mut a3) = (init(0), init(1), init(2), init(3));
    let (mut a4, mut a5, mut a6, mut a7) = (init(4), init(5), init(6), init(7));
    let (mut a8, mut a9, mut a10, mut a11) = (init(8), init(9), init(10), init(11));
    for _ in 0..iters {
        a0 = a0.mul_add(s, t);
        a1 = a1.mul_add(s, t);
        a2 = a2.mul_add(s, t);
        a3 = a3.mul_add(s, t);
        a4 = a4.mul_add(s, t);
        a5 = a5.mul_add(s, t);
        a6 = a6.mul_add(s, t);
        a7 = a7.mul_add(s, t);
        a8 = a8.mul_add(s, t);
        a9 = a9.mul_add(s, t);
        a10 = a10.mul_add(s, t);
        a11 = a11.mul_add(s, t);
    }
    [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]
        .iter()
        .map(|a| a.to_array().iter().sum::<f32>())
        .sum()
}

/// Flops performed by `simd_peak_probe(iters)` (each chain: 4 lanes x (mul + add)).
pub fn simd_peak_probe_flops(iters: usize) -> f64 {
    iters as f64 * (CHAINS * 8) as f64
}

/// Depth of [`tile_peak_probe`]'s panels: A and B stay in L1.
const TILE_K: usize = 256;

/// Runs the GEMM's register tile (`gemm::micro::kernel_f32_tile`, MR x NR) `passes` times over
/// the same L1-resident panels of [`TILE_K`] steps, accumulating into one tile
/// (`passes * TILE_K * MR * NR * 2` flops, see [`tile_peak_probe_flops`]), and returns the
/// tile's sum.
///
/// The 12-chain loop above is not the ceiling everywhere: on the Xeon VMs of session 10 it
/// read 49.7 GFLOP/s where a GEMM-shaped loop (the FMA builds' 5 x 8 tile) reached 52-56 and
/// a prepacked SGEMM 512^3 51.8. The benchmark takes the faster of the two as the peak, so a
/// fraction of it never flatters a kernel.
pub fn tile_peak_probe(passes: usize) -> f32 {
    let a: Vec<f32> = (0..TILE_K * MR).map(|i| 1e-3 * (i % 7) as f32).collect();
    let b: Vec<f32> = (0..TILE_K * NR).map(|i| 1e-3 * (i % 5) as f32).collect();
    let mut c = [0.0f32; MR * NR];
    for _ in 0..passes {
        // SAFETY: `a` holds TILE_K * MR floats (a packed A panel), `b` TILE_K rows of NR, and
        // `c` one MR x NR tile with row stride NR, read and written (beta 1).
        unsafe {
            kernel_f32_tile(
                TILE_K,
                1.0,
                core::hint::black_box(a.as_ptr()),
                b.as_ptr(),
                NR,
                1.0,
                c.as_mut_ptr(),
                NR,
            )
        };
    }
    c.iter().sum()
}

/// Flops performed by `tile_peak_probe(passes)`.
pub fn tile_peak_probe_flops(passes: usize) -> f64 {
    passes as f64 * (TILE_K * MR * NR * 2) as f64
}

/// Sums `data` `passes` times with four independent f32x4 accumulators (loads only, as a
/// batch-1 recurrent step streams its packed weights) and returns the sum, so nothing is
/// optimised away. Time it over a buffer larger than the caches for memory bandwidth.
pub fn load_bandwidth_probe(data: &[f32], passes: usize) -> f32 {
    let mut acc = [F32x4::zero(); 4];
    let mut tail = 0.0f32;
    for _ in 0..passes {
        let mut c = data.chunks_exact(16);
        for q in &mut c {
            for (j, a) in acc.iter_mut().enumerate() {
                *a = *a + F32x4::from_slice(&q[4 * j..]);
            }
        }
        tail += c.remainder().iter().sum::<f32>();
    }
    tail + acc
        .iter()
        .map(|a| a.to_array().iter().sum::<f32>())
        .sum::<f32>()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tile_probe_accumulates_every_pass() {
        let (one, two) = (super::tile_peak_probe(1), super::tile_peak_probe(2));
        assert!(one > 0.0 && (two / one - 2.0).abs() < 1e-4, "{one} {two}");
        let tile = (crate::gemm::params::MR * crate::gemm::params::NR) as f64;
        assert_eq!(super::tile_peak_probe_flops(3), 3.0 * 256.0 * tile * 2.0);
    }

    #[test]
    fn bandwidth_probe_reads_everything() {
        let data: Vec<f32> = (0..37).map(|i| i as f32).collect();
        assert_eq!(
            super::load_bandwidth_probe(&data, 2),
            2.0 * (36.0 * 37.0 / 2.0)
        );
        assert_eq!(super::load_bandwidth_probe(&[], 3), 0.0);
    }

    #[test]
    fn probe_is_finite_and_grows() {
        let (a, b) = (super::simd_peak_probe(100), super::simd_peak_probe(1000));
        assert!(a.is_finite() && b > a);
    }
}
