//! GEMM blocking parameters (BLIS names). Tuned for wasm SIMD128 under V8 on x64, which has
//! 16 xmm registers: a 12-chain multiply-add loop reaches the peak, 16 chains spill.

/// Rows of the register tile (LOOP 1 step). MR x NR = 4 x 8 keeps 8 accumulators, 2 B
/// vectors and 1 broadcast A value live: 11 of 16 registers, no spills, and 8 independent
/// add chains, enough to cover the add latency.
pub const MR: usize = 4;

/// Columns of the register tile (LOOP 2 step): two `F32x4`.
pub const NR: usize = 8;

/// Depth of one packed block (LOOP 4 step). A KC x NR panel of B (16 KiB) stays in L1 while
/// LOOP 1 walks the rows of the A block over it.
pub const KC: usize = 512;

/// Rows of A packed at a time (LOOP 3 step). The MC x KC block (128 KiB) lives in L2.
/// Deeper and narrower than the 256 x 128 it replaced, with the same block size: SGEMM
/// 1024^3 ran 12-15% faster, the large LSTM layer 5-7% (same-process A/B of the wasm builds,
/// plain and relaxed; docs/performance-log.md).
pub const MC: usize = 64;

/// Columns of B packed at a time (LOOP 5 step). The KC x NC block (1 MiB) lives in L2.
pub const NC: usize = 512;

const _: () =
    assert!(MC.is_multiple_of(MR) && NC.is_multiple_of(NR) && NR == 2 * crate::simd::LANES);
