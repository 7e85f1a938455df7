//! The MR x NR register-tile microkernel (5 x 8 with FMA, 4 x 8 without: `params::MR`),
//! written once over `F32x4` (real SIMD on wasm, emulated on the host). Both operands are
//! packed; the tile is always full — partial tiles go through `loops::tile`, which calls
//! this kernel on a scratch tile.

use super::params::{MR, NR};
use crate::simd::F32x4;
use core::sync::atomic::{AtomicBool, Ordering};

/// Whether the engine keeps a wasm function's instruction order (see [`set_order_kept`]).
static ORDER_KEPT: AtomicBool = AtomicBool::new(false);

/// Tells the FMA builds' kernels whether the engine compiles a wasm function keeping its
/// instruction order, as V8 does from 13.6 (Node 24, current Chromium). Set once per
/// instance, before any work, by the engine's loader. Results are the same bit for bit
/// either way; only the order of the same operations changes:
///
/// - the 5-row tile reads A by one `load32_splat` per row when set, else rows 0-3 from one
///   vector load and lane shuffles. V8 12 (Node 22) issues all of a k step's loads ahead of
///   its multiply-adds: five broadcasts, two B vectors and ten accumulators are 17 live
///   vectors, and the tile spills (19.8 against 44.5 GFLOP/s). In order, the shuffles, which
///   share the FMA ports on AMD Zen 3, cost what the broadcasts do not (48.4 against 45.7
///   GFLOP/s, tile alone);
/// - the 1-row x 4-panel rows kernels skip [`pin_first_half`]'s stores when set: in order
///   nothing needs pinning, and the batch-1 paths ran 1-6% faster without them (V8 12
///   without them: 0.61-0.69x). docs/performance-log.md, session 18.
pub fn set_order_kept(on: bool) {
    ORDER_KEPT.store(on, Ordering::Relaxed);
}

/// What [`set_order_kept`] was told.
pub fn order_kept() -> bool {
    ORDER_KEPT.load(Ordering::Relaxed)
}

/// `C[0..MR, 0..NR] = alpha * (A_panel · B_panel) + beta * C`; with `beta == 0` C is not
/// read (NaNs are overwritten). The FMA builds take their A values as [`set_order_kept`]
/// has it.
///
/// Each C element is reduced in plain k order (one add per k), so the result does not
/// depend on where the tile sits in C.
///
/// # Safety
/// `a` must be readable for `k * MR` f32 (panel layout `a[p * MR + i]`), `b` at
/// `b[p * rsb + j]` for `p < k`, `j < NR` (`rsb = NR` for a packed panel; the RNN step's
/// block rows use `G * NR`), and `c` writable (and readable if `beta != 0`) at
/// `c[i * ldc + j]` for `i < MR`, `j < NR`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub unsafe fn kernel_f32_tile(
    k: usize,
    alpha: f32,
    a: *const f32,
    b: *const f32,
    rsb: usize,
    beta: f32,
    c: *mut f32,
    ldc: usize,
) {
    // SAFETY: forwarded: the caller's contract is the tile's.
    unsafe {
        if MR == 5 && order_kept() {
            tile_f32::<true>(k, alpha, a, b, rsb, beta, c, ldc)
        } else {
            tile_f32::<false>(k, alpha, a, b, rsb, beta, c, ldc)
        }
    }
}

/// [`kernel_f32_tile`] with its A values taken by one broadcast per row (`SPLAT`, and always
/// in the 4-row tile) or, in the 5-row tile, rows 0-3 by lane shuffles.
///
/// # Safety
/// As [`kernel_f32_tile`].
// Inlined into `macro_kernel`, V8 schedules all of a k step's loads ahead of its FMAs, and the
// 5-row tile's 17 live vectors spill an accumulator (its x64 has a stack round trip per k step:
// SGEMM 35 against 44 GF/s). Compiled as a function of its own it interleaves them and does
// not; the call is one per tile and KC slice. The 4-row tile of the plain builds stays
// inlined, as measured before.
#[cfg_attr(
    any(target_feature = "relaxed-simd", feature = "wide-tile"),
    inline(never)
)]
#[cfg_attr(
    not(any(target_feature = "relaxed-simd", feature = "wide-tile")),
    inline(always)
)]
#[allow(clippy::too_many_arguments)]
pub unsafe fn tile_f32<const SPLAT: bool>(
    k: usize,
    alpha: f32,
    a: *const f32,
    b: *const f32,
    rsb: usize,
    beta: f32,
    c: *mut f32,
    ldc: usize,
) {
    let mut acc = [[F32x4::zero(); 2]; MR];
    let (mut a, mut b) = (a, b);
    for _ in 0..k {
        // SAFETY: p < k, so the reads stay inside the caller's B rows / `k * MR` A panel.
        let (b0, b1) = unsafe { (F32x4::load(b), F32x4::load(b.add(4))) };
        // Unless `SPLAT`, the 5-row tile (FMA builds) takes rows 0-3 from one load and lane
        // shuffles, which the engine places next to their multiply-adds: a k step then holds
        // 4 loaded values, not 7 (V8 12 schedules a step's loads first; V8 13.6 keeps the
        // wasm's order, see `set_order_kept` and scripts/build-wasm.sh). The plain builds'
        // inlined 4-row tile ran 17% slower so.
        let lanes = if MR == 5 && !SPLAT {
            // SAFETY: MR >= 4 floats of the current k step of the A panel.
            let a4 = unsafe { F32x4::load(a) };
            Some([
                a4.splat_lane::<0>(),
                a4.splat_lane::<1>(),
                a4.splat_lane::<2>(),
                a4.splat_lane::<3>(),
            ])
        } else {
            None
        };
        for (i, row) in acc.iter_mut().enumerate() {
            let ai = match lanes.as_ref().and_then(|l| l.get(i)) {
                Some(&v) => v,
                // SAFETY: i < MR inside the current k step of the A panel.
                None => unsafe { F32x4::load_splat(a.add(i)) },
            };
            row[0] = ai.mul_add(b0, row[0]);
            row[1] = ai.mul_add(b1, row[1]);
        }
        // Wrapping: with `rsb > NR` the last advance may point past B's allocation (the
        // pointer is not read after the last k step).
        a = a.wrapping_add(MR);
        b = b.wrapping_add(rsb);
    }
    let alpha_v = F32x4::splat(alpha);
    let beta_v = F32x4::splat(beta);
    for (i, row) in acc.iter().enumerate() {
        for (h, &v) in row.iter().enumerate() {
            // SAFETY: i < MR, h * 4 + 3 < NR: inside the tile the caller vouched for.
            unsafe {
                let p = c.add(i * ldc + h * 4);
                let ab = v * alpha_v;
                let out = if beta == 0.0 {
                    ab
                } else {
                    ab + F32x4::load(p) * beta_v
                };
                out.store(p);
            }
        }
    }
}

/// Output of one B panel for [`kernel_f32_rows`]: tile (0, 0) at `c`, row stride `ldc`.
#[derive(Clone, Copy)]
pub struct PanelDst {
    pub c: *mut f32,
    pub ldc: usize,
    pub beta: f32,
}

/// Partial-height tiles without padding work: `R <= MR` rows of a packed A panel against
/// `P` B panels at once (`R * P * 2 <= 8` accumulators), each panel with its own C and
/// beta. With one row (batch 1, the common inference case) the MR x 8 kernel would spend most
/// of its multiplies on padding; here 1 x 4 panels keeps 8 chains busy instead.
/// Per element the arithmetic equals [`kernel_f32_tile`]'s (k-order sum, `ab * alpha + c *
/// beta`).
///
/// # Safety
/// `a` readable for `k * MR` f32 (rows `0..R` used), each `b[p]` at `kk * rsb + j` for
/// `kk < k`, `j < NR` (`rsb = NR` for packed panels, `ldb` for B read in place), each
/// `dst[p].c` writable (readable when its beta != 0) at `i * ldc + j`, `i < R`, `j < NR`.
#[inline(always)]
pub unsafe fn kernel_f32_rows<const R: usize, const P: usize, const ORDER_KEPT: bool>(
    k: usize,
    rsb: usize,
    alpha: f32,
    a: *const f32,
    b: [*const f32; P],
    dst: [PanelDst; P],
) {
    let mut acc = [[[F32x4::zero(); 2]; P]; R];
    let mut sink = [F32x4::zero(); 2];
    for kk in 0..k {
        let mut ai = [F32x4::zero(); R];
        for (i, v) in ai.iter_mut().enumerate() {
            // SAFETY: kk < k, i < R <= MR: inside the A panel.
            *v = unsafe { F32x4::load_splat(a.add(kk * MR + i)) };
        }
        for p in 0..P {
            // SAFETY: kk < k: inside panel p's `k * NR` floats.
            let (b0, b1) = unsafe {
                (
                    F32x4::load(b[p].add(kk * rsb)),
                    F32x4::load(b[p].add(kk * rsb + 4)),
                )
            };
            for i in 0..R {
                acc[i][p][0] = ai[i].mul_add(b0, acc[i][p][0]);
                acc[i][p][1] = ai[i].mul_add(b1, acc[i][p][1]);
            }
            pin_first_half::<R, P, ORDER_KEPT>(p, &acc, &mut sink);
        }
    }
    // SAFETY: the destination tiles are the caller's contract (same as `store_rows`').
    unsafe { store_rows(alpha, &acc, &dst) };
}

/// [`kernel_f32_rows`] for `P` panels side by side in one row-major block: panel `p` is
/// columns `p * NR..p * NR + NR` of rows `b[kk * rsb..]`. All B loads of a k step then use
/// one pointer plus constant offsets (the RNN step's gate panels of one unit block; with
/// separate panel pointers every load needs its own address add, which bounds the batch-1
/// GEMV). Per element the arithmetic equals [`kernel_f32_tile`]'s.
///
/// # Safety
/// `a` readable for `k * MR` f32 (rows `0..R` used), `b` at `kk * rsb + j` for `kk < k`,
/// `j < P * NR`, each `dst[p].c` writable (readable when its beta != 0) at `i * ldc + j`,
/// `i < R`, `j < NR`.
#[inline(always)]
#[allow(clippy::needless_range_loop)] // acc[i][p]: same shape as `kernel_f32_rows`
pub unsafe fn kernel_f32_rows_block<const R: usize, const P: usize, const ORDER_KEPT: bool>(
    k: usize,
    rsb: usize,
    alpha: f32,
    a: *const f32,
    b: *const f32,
    dst: [PanelDst; P],
) {
    let mut acc = [[[F32x4::zero(); 2]; P]; R];
    let mut sink = [F32x4::zero(); 2];
    let (mut a, mut b) = (a, b);
    for _ in 0..k {
        let mut ai = [F32x4::zero(); R];
        for (i, v) in ai.iter_mut().enumerate() {
            // SAFETY: inside the current k step of the A panel (i < R <= MR).
            *v = unsafe { F32x4::load_splat(a.add(i)) };
        }
        for p in 0..P {
            // SAFETY: p * NR + 7 < P * NR: inside the current B row.
            let (b0, b1) = unsafe { (F32x4::load(b.add(p * NR)), F32x4::load(b.add(p * NR + 4))) };
            for i in 0..R {
                acc[i][p][0] = ai[i].mul_add(b0, acc[i][p][0]);
                acc[i][p][1] = ai[i].mul_add(b1, acc[i][p][1]);
            }
            pin_first_half::<R, P, ORDER_KEPT>(p, &acc, &mut sink);
        }
        // Wrapping: the last advance may point past B's allocation (never read).
        a = a.wrapping_add(MR);
        b = b.wrapping_add(rsb);
    }
    // SAFETY: the destination tiles are the caller's contract (same as `store_rows`').
    unsafe { store_rows(alpha, &acc, &dst) };
}

/// Makes panel 1's multiply-adds happen before the loads that follow in program order.
///
/// V8 orders a loop body's memory loads by its effect chain and places the pure
/// multiply-adds late, at their loop-carried use, so the 1-row x 4-panel block kernel holds
/// 8 loaded B vectors + 8 accumulators + the broadcast at once: 17 of the 15 xmm registers
/// it allocates. It then spills an accumulator, whose chain runs through the stack (about 9
/// cycles per k step instead of one FMA latency). Volatile stores are effects the later loads
/// must follow: storing panel 1's two accumulators makes panel 1's FMAs run first, and the
/// peak drops to 15 live vectors. Measured (same-process A/B, small LSTM layer): +8-13%
/// (storing panels 0 and 1: +6-13%, then +1.5-3% for the two fewer stores); the emitted x64
/// has no spills.
///
/// Called after each panel `p` of a k step; acts only for the 1-row x 4-panel shape, after
/// panel 1, and not where the engine keeps the wasm's order (`ORDER_KEPT`, see
/// [`set_order_kept`]).
#[inline(always)]
fn pin_first_half<const R: usize, const P: usize, const ORDER_KEPT: bool>(
    p: usize,
    acc: &[[[F32x4; 2]; P]; R],
    sink: &mut [F32x4; 2],
) {
    if ORDER_KEPT || !(R == 1 && P == 4 && p == 1) {
        return;
    }
    for (s, v) in sink.iter_mut().zip(acc[0][1]) {
        // SAFETY: `s` is a valid, aligned, exclusive reference.
        unsafe { core::ptr::write_volatile(s, v) };
    }
}

/// `dst[p] = acc[.][p] * alpha + dst[p] * beta_p` for the rows kernels.
///
/// # Safety
/// Each `dst[p].c` writable (readable when its beta != 0) at `i * ldc + j`, `i < R`,
/// `j < NR`.
#[inline(always)]
unsafe fn store_rows<const R: usize, const P: usize>(
    alpha: f32,
    acc: &[[[F32x4; 2]; P]; R],
    dst: &[PanelDst; P],
) {
    let alpha_v = F32x4::splat(alpha);
    for (i, row) in acc.iter().enumerate() {
        for (p, d) in dst.iter().enumerate() {
            let beta_v = F32x4::splat(d.beta);
            for (h, &v) in row[p].iter().enumerate() {
                // SAFETY: i < R, h * 4 + 3 < NR: inside the tile the caller vouched for.
                unsafe {
                    let q = d.c.add(i * d.ldc + h * 4);
                    let ab = v * alpha_v;
                    let out = if d.beta == 0.0 {
                        ab
                    } else {
                        ab + F32x4::load(q) * beta_v
                    };
                    out.store(q);
                }
            }
        }
    }
}
