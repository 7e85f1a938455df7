//! GEMM blocking parameters (BLIS names). Tuned for wasm SIMD128 under V8 on x64, which has
//! 16 xmm registers (15 allocatable): 16 accumulator chains spill.

/// Rows of the register tile (LOOP 1 step). With FMA (`+relaxed-simd` builds) 5: 10
/// accumulator chains, 2 more than FMA latency (4) x ports (2) need, and 10 + 2 B vectors + 1
/// broadcast = 13 of V8's 15 allocatable xmm registers; SGEMM and the fused layers at N >= 16
/// ran 4-8% faster than with 4 (docs/performance-log.md, session 10). With separate mul and add
/// (plain SIMD128) 4: 8 chains cover the add latency, and 5 rows measured 13% slower. The
/// `wide-tile` feature gives the host's tests the FMA builds' tile.
pub const MR: usize = if cfg!(any(target_feature = "relaxed-simd", feature = "wide-tile")) {
    5
} else {
    4
};

/// Columns of the register tile (LOOP 2 step): two `F32x4`.
pub const NR: usize = 8;

/// Depth of one packed block (LOOP 4 step). A KC x NR panel of B (16 KiB) stays in L1 while
/// LOOP 1 walks the rows of the A block over it.
pub const KC: usize = 512;

/// Rows of A packed at a time (LOOP 3 step). The MC x KC block (120-128 KiB) lives in L2.
/// Deeper and narrower than the 256 x 128 it replaced, with the same block size: SGEMM
/// 1024^3 ran 12-15% faster, the large LSTM layer 5-7% (same-process A/B of the wasm builds,
/// plain and relaxed; docs/performance-log.md). A multiple of MR.
pub const MC: usize = if MR == 5 { 60 } else { 64 };

/// Columns of B packed at a time (LOOP 5 step). The KC x NC block (1 MiB) lives in L2.
pub const NC: usize = 512;

const _: () =
    assert!(MC.is_multiple_of(MR) && NC.is_multiple_of(NR) && NR == 2 * crate::simd::LANES);
