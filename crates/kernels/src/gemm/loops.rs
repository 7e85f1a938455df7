//! BLIS loop nest around the microkernel (loops 5..1). No intrinsics here: the only SIMD is
//! in `micro`. Every C element gets the same sequence of operations whichever tile, panel
//! or column range it falls in, so results never depend on how columns are split.

use core::ops::Range;

use super::micro::{kernel_f32_rows, kernel_f32_rows_block, kernel_f32_tile, order_kept, PanelDst};
use super::pack::{pack_a, pack_b, MatRef};
use super::params::{KC, MC, MR, NC, NR};
use crate::alloc::{line_aligned, LINE};
use crate::par::RawBuf;

/// `true` when a `rows x width` window at `off` with row stride `ld` lies inside `len`
/// elements. Checked arithmetic: on wasm32 a wrapped product must not pass a bounds test
/// that guards unsafe code.
#[inline(always)]
pub(crate) fn fits(off: usize, rows: usize, ld: usize, width: usize, len: usize) -> bool {
    let last = rows
        .checked_sub(1)
        .and_then(|r| r.checked_mul(ld))
        .and_then(|x| x.checked_add(off));
    last.and_then(|x| x.checked_add(width))
        .is_some_and(|end| end <= len)
}

/// `true` when a packed panel of depth `kc` and width `w` fits in `len` (checked).
#[inline(always)]
fn panel_fits(kc: usize, w: usize, len: usize) -> bool {
    kc.checked_mul(w).is_some_and(|n| n <= len)
}

/// One register tile: `C[rows, cols] = alpha * A_panel · B_panel + beta * C` where the
/// tile's (0, 0) is `c[off]`. Full tiles run the kernel on C directly; partial ones (`rows <
/// MR` or `cols != 0..NR`) compute into a scratch tile and copy the valid part, with the
/// same per-element arithmetic (`ab * alpha + c * beta`).
///
/// # Safety
/// `c` must view a live buffer that nothing else reads or writes, in this tile's window,
/// during the call.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(crate) unsafe fn tile(
    kc: usize,
    alpha: f32,
    a_panel: &[f32],
    b_panel: &[f32],
    beta: f32,
    c: RawBuf,
    off: usize,
    ldc: usize,
    rows: usize,
    cols: Range<usize>,
) {
    assert!(panel_fits(kc, MR, a_panel.len()) && panel_fits(kc, NR, b_panel.len()));
    if rows == MR && cols == (0..NR) {
        // Proves every c[off + i * ldc + j], i < MR, j < NR, is in bounds.
        assert!(fits(off, MR, ldc, NR, c.len()));
        // SAFETY: panel lengths and the C extent are asserted just above; exclusivity of
        // the window is the caller's contract.
        unsafe {
            kernel_f32_tile(
                kc,
                alpha,
                a_panel.as_ptr(),
                b_panel.as_ptr(),
                NR,
                beta,
                c.ptr().add(off),
                ldc,
            )
        };
        return;
    }
    let mut t = [0.0f32; MR * NR];
    // SAFETY: `t` is exactly one MR x NR tile with ldc = NR; panels asserted above.
    unsafe {
        kernel_f32_tile(
            kc,
            alpha,
            a_panel.as_ptr(),
            b_panel.as_ptr(),
            NR,
            0.0,
            t.as_mut_ptr(),
            NR,
        )
    };
    for i in 0..rows {
        // SAFETY: this tile's row i (bounds-checked by `slice`); the caller's contract.
        let crow = unsafe { c.slice(off + i * ldc + cols.start, cols.len()) };
        for (cv, &tv) in crow
            .iter_mut()
            .zip(&t[i * NR + cols.start..i * NR + cols.end])
        {
            *cv = if beta == 0.0 { tv } else { tv + *cv * beta };
        }
    }
}

/// B panels one rows-kernel call takes for `rows` rows: at most 8 accumulators
/// (`rows * panels * 2`).
fn panels_per_call(rows: usize) -> usize {
    [0, 4, 2, 1, 1, 1][rows]
}

/// The rows kernels' destination for a `rows` x NR tile at `off` (row stride `ldc`) of `c2`
/// when `second`, else of `c1`; panics unless the window is inside that buffer.
fn checked_dst(
    c1: RawBuf,
    c2: RawBuf,
    second: bool,
    off: usize,
    rows: usize,
    ldc: usize,
    beta: f32,
) -> PanelDst {
    let buf = if second { c2 } else { c1 };
    assert!(fits(off, rows, ldc, NR, buf.len()));
    PanelDst {
        // SAFETY: `off` is in bounds (asserted), so the offset pointer stays inside.
        c: unsafe { buf.ptr().add(off) },
        ldc,
        beta,
    }
}

/// One B panel's destination for [`tile_rows`]: C tile (0, 0) at `c[off]`, row stride
/// `ldc`, and the panel itself (`kc * NR` floats).
pub(crate) struct RowsDst<'a> {
    pub b_panel: &'a [f32],
    pub off: usize,
    pub ldc: usize,
    pub beta: f32,
    /// `true`: write into the second C slice given to `tile_rows`, else the first.
    pub second: bool,
}

/// `rows <= MR` rows of one packed A panel against several B panels (`rsb`: row stride
/// of the B panels, `NR` when packed), without padding work
/// (see `micro::kernel_f32_rows`). `c1`/`c2` are the two possible destinations (the RNN
/// step sends GRU's `W_hn h` to a separate buffer). Each tile's full `NR` columns of the
/// first `rows` rows are written (windows are bounds-checked against the buffers).
///
/// # Safety
/// `c1`/`c2` must view live buffers that nothing else reads or writes, in the tiles'
/// windows, during the call.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn tile_rows(
    kc: usize,
    alpha: f32,
    a_panel: &[f32],
    rows: usize,
    panels: &[RowsDst],
    rsb: usize,
    c1: RawBuf,
    c2: RawBuf,
) {
    assert!((1..=MR).contains(&rows) && panel_fits(kc, MR, a_panel.len()));
    let mut dsts = [PanelDst {
        c: c1.ptr(),
        ldc: 0,
        beta: 0.0,
    }; 4];
    let mut bs = [a_panel.as_ptr(); 4];
    for chunk in panels.chunks(panels_per_call(rows)) {
        for (i, d) in chunk.iter().enumerate() {
            // Proves the panel is in bounds (the C window is checked by `checked_dst`).
            assert!(fits(0, kc, rsb, NR, d.b_panel.len()));
            dsts[i] = checked_dst(c1, c2, d.second, d.off, rows, d.ldc, d.beta);
            bs[i] = d.b_panel.as_ptr();
        }
        let a = a_panel.as_ptr();
        // SAFETY: every pointer was bounds-checked above for `rows` x NR / `kc` panels;
        // exclusivity of the C windows is the caller's contract.
        unsafe {
            match (rows, chunk.len()) {
                (1, 1) => kernel_f32_rows::<1, 1, false>(kc, rsb, alpha, a, [bs[0]], [dsts[0]]),
                (1, 2) => kernel_f32_rows::<1, 2, false>(
                    kc,
                    rsb,
                    alpha,
                    a,
                    [bs[0], bs[1]],
                    [dsts[0], dsts[1]],
                ),
                (1, 3) => kernel_f32_rows::<1, 3, false>(
                    kc,
                    rsb,
                    alpha,
                    a,
                    [bs[0], bs[1], bs[2]],
                    [dsts[0], dsts[1], dsts[2]],
                ),
                // Without pinning stores where the engine keeps the wasm's order (the FMA
                // builds only, `micro::set_order_kept`: the plain builds keep one copy).
                (1, _) if MR == 5 && order_kept() => {
                    kernel_f32_rows::<1, 4, true>(kc, rsb, alpha, a, bs, dsts)
                }
                (1, _) => kernel_f32_rows::<1, 4, false>(kc, rsb, alpha, a, bs, dsts),
                (2, 1) => kernel_f32_rows::<2, 1, false>(kc, rsb, alpha, a, [bs[0]], [dsts[0]]),
                (2, _) => kernel_f32_rows::<2, 2, false>(
                    kc,
                    rsb,
                    alpha,
                    a,
                    [bs[0], bs[1]],
                    [dsts[0], dsts[1]],
                ),
                (3, _) => kernel_f32_rows::<3, 1, false>(kc, rsb, alpha, a, [bs[0]], [dsts[0]]),
                (4, _) => kernel_f32_rows::<4, 1, false>(kc, rsb, alpha, a, [bs[0]], [dsts[0]]),
                _ => kernel_f32_rows::<5, 1, false>(kc, rsb, alpha, a, [bs[0]], [dsts[0]]),
            }
        }
    }
}

/// LOOP 2 and LOOP 1 over one packed A block (`mc` rows from C row `row0`) and the packed B
/// panels `panels` (panel `jp` starts at `b[jp * b_stride]`, its column 0 is C column
/// `col0 + jp * NR`); only C columns in `cols` are written.
///
/// # Safety
/// `c` must view a live buffer that nothing else reads or writes, in rows `row0..row0 + mc`
/// of columns `cols`, during the call.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn macro_kernel(
    kc: usize,
    alpha: f32,
    a: &[f32],
    mc: usize,
    b: &[f32],
    b_stride: usize,
    panels: Range<usize>,
    col0: usize,
    cols: &Range<usize>,
    beta: f32,
    c: RawBuf,
    row0: usize,
    ldc: usize,
) {
    let (full, tail) = (mc / MR, mc % MR);
    // The tail rows against a batch of full-width panels `jps`.
    let flush = |jps: &[usize]| {
        let a_panel = &a[full * kc * MR..][..kc * MR];
        // SAFETY: rows row0 + full * MR.. of these panels' columns (the caller's contract).
        unsafe {
            flush_tail(
                kc,
                alpha,
                a_panel,
                tail,
                b,
                b_stride,
                jps,
                col0,
                |_| beta,
                c,
                row0 + full * MR,
                ldc,
            )
        };
    };
    // Full-width panels whose partial-height tail is left for `tile_rows` below.
    let mut tail_panels = [0usize; 4];
    let mut n_tail = 0;
    // LOOP 2: NR-wide panels of B (one stays in L1 across LOOP 1).
    for jp in panels {
        let pc0 = col0 + jp * NR;
        let lo = cols.start.max(pc0);
        let hi = cols.end.min(pc0 + NR);
        if lo >= hi {
            continue;
        }
        let b_panel = &b[jp * b_stride..][..kc * NR];
        let tile_cols = lo - pc0..hi - pc0;
        // LOOP 1: MR-row panels of A.
        for ip in 0..full {
            let a_panel = &a[ip * kc * MR..][..kc * MR];
            let off = (row0 + ip * MR) * ldc + pc0;
            // SAFETY: a tile of rows row0.. and columns `cols` (the caller's contract).
            unsafe {
                tile(
                    kc,
                    alpha,
                    a_panel,
                    b_panel,
                    beta,
                    c,
                    off,
                    ldc,
                    MR,
                    tile_cols.clone(),
                )
            };
        }
        if tail == 0 {
            continue;
        }
        let a_panel = &a[full * kc * MR..][..kc * MR];
        if tile_cols != (0..NR) {
            let off = (row0 + full * MR) * ldc + pc0;
            // SAFETY: as above.
            unsafe {
                tile(
                    kc, alpha, a_panel, b_panel, beta, c, off, ldc, tail, tile_cols,
                )
            };
            continue;
        }
        // Batch the tail rows of up to 4 panels: a 1-row tile alone would waste 3/4 of
        // the full-tile kernel on padding (the m = 1 GEMV case).
        tail_panels[n_tail] = jp;
        n_tail += 1;
        if n_tail == tail_panels.len() {
            flush(&tail_panels);
            n_tail = 0;
        }
    }
    if n_tail > 0 {
        flush(&tail_panels[..n_tail]);
    }
}

/// The `rows < MR` tail of a row block against the full-width panels `jps`; panel `jp`
/// with `beta(jp)`.
///
/// # Safety
/// As [`macro_kernel`], for these rows and panels.
#[allow(clippy::too_many_arguments)]
unsafe fn flush_tail(
    kc: usize,
    alpha: f32,
    a_panel: &[f32],
    rows: usize,
    b: &[f32],
    b_stride: usize,
    jps: &[usize],
    col0: usize,
    beta: impl Fn(usize) -> f32,
    c: RawBuf,
    row: usize,
    ldc: usize,
) {
    let dst = |jp: usize| RowsDst {
        b_panel: &b[jp * b_stride..][..kc * NR],
        off: row * ldc + col0 + jp * NR,
        ldc,
        beta: beta(jp),
        second: false,
    };
    let d = [
        dst(jps[0]),
        dst(jps[jps.len().min(2) - 1]),
        dst(jps[jps.len().min(3) - 1]),
        dst(jps[jps.len() - 1]),
    ];
    // SAFETY: the caller's contract.
    unsafe {
        tile_rows(
            kc,
            alpha,
            a_panel,
            rows,
            &d[..jps.len()],
            NR,
            c,
            RawBuf::new(&mut []),
        )
    };
}

/// A full MR x NR tile written straight into a shared buffer (the parallel RNN step):
/// `C = alpha * A_panel · B + beta * C` at `c[off + i * ldc + j]`, where B's row `p` is
/// `b[p * rsb..][..NR]` (`rsb = NR` for a packed panel).
///
/// # Safety
/// `c` must view a live buffer that nothing else reads or writes, in this tile's window,
/// during the call.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(crate) unsafe fn tile_full_raw(
    kc: usize,
    alpha: f32,
    a_panel: &[f32],
    b: &[f32],
    rsb: usize,
    beta: f32,
    c: RawBuf,
    off: usize,
    ldc: usize,
) {
    assert!(panel_fits(kc, MR, a_panel.len()) && (kc == 0 || fits(0, kc, rsb, NR, b.len())));
    assert!(fits(off, MR, ldc, NR, c.len()));
    // SAFETY: A, B and the C window are bounds-checked above; exclusivity of the window
    // is the caller's contract.
    unsafe {
        kernel_f32_tile(
            kc,
            alpha,
            a_panel.as_ptr(),
            b.as_ptr(),
            rsb,
            beta,
            c.ptr().add(off),
            ldc,
        )
    };
}

/// Destination of panel `p` (columns `p * NR..` of the block) for [`tile_rows_block`]: C
/// tile (0, 0) at `c[off]`, row stride `ldc`.
#[derive(Clone, Copy)]
pub(crate) struct BlockDst {
    pub off: usize,
    pub ldc: usize,
    pub beta: f32,
    /// `true`: write into the second C slice given to `tile_rows_block`, else the first.
    pub second: bool,
}

/// [`tile_rows`] for B panels that sit side by side in one row-major block (`kc` rows of
/// `rsb >= dsts.len() * NR` floats; panel `p` is columns `p * NR..p * NR + NR`), so a k
/// step's loads share one pointer (see `micro::kernel_f32_rows_block`). Same per-element
/// arithmetic as `tile_rows` and the full tiles.
///
/// # Safety
/// `c1`/`c2` must view live buffers that nothing else reads or writes, in the tiles'
/// windows, during the call.
#[allow(clippy::too_many_arguments)]
// Inlined at each caller (the step's product loop, a mirrored token's pre-pass): compiled once
// for both, its batch-1 kernel lost its folded load offsets under V8 and ran 12% slower.
#[inline(always)]
pub(crate) unsafe fn tile_rows_block(
    kc: usize,
    alpha: f32,
    a_panel: &[f32],
    rows: usize,
    b: &[f32],
    rsb: usize,
    dsts: &[BlockDst],
    c1: RawBuf,
    c2: RawBuf,
) {
    assert!((1..=MR).contains(&rows) && panel_fits(kc, MR, a_panel.len()));
    // Proves every B row's first `dsts.len() * NR` floats are in bounds.
    assert!(kc == 0 || fits(0, kc, rsb, dsts.len() * NR, b.len()));
    let mut pd = [PanelDst {
        c: c1.ptr(),
        ldc: 0,
        beta: 0.0,
    }; 4];
    let max_p = panels_per_call(rows);
    for (ci, chunk) in dsts.chunks(max_p).enumerate() {
        for (i, d) in chunk.iter().enumerate() {
            pd[i] = checked_dst(c1, c2, d.second, d.off, rows, d.ldc, d.beta);
        }
        let a = a_panel.as_ptr();
        // SAFETY: `ci * max_p * NR < dsts.len() * NR <= rsb` (or b is read not at all when
        // kc == 0, and the pointer stays within or one past `b`).
        let bb = unsafe { b.as_ptr().add((ci * max_p * NR).min(b.len())) };
        // SAFETY: B rows and C windows were bounds-checked above; exclusivity of the C
        // windows is the caller's contract.
        unsafe {
            match (rows, chunk.len()) {
                (1, 1) => kernel_f32_rows_block::<1, 1, false>(kc, rsb, alpha, a, bb, [pd[0]]),
                (1, 2) => {
                    kernel_f32_rows_block::<1, 2, false>(kc, rsb, alpha, a, bb, [pd[0], pd[1]])
                }
                (1, 3) => kernel_f32_rows_block::<1, 3, false>(
                    kc,
                    rsb,
                    alpha,
                    a,
                    bb,
                    [pd[0], pd[1], pd[2]],
                ),
                // As in `tile_rows`.
                (1, _) if MR == 5 && order_kept() => {
                    kernel_f32_rows_block::<1, 4, true>(kc, rsb, alpha, a, bb, pd)
                }
                (1, _) => kernel_f32_rows_block::<1, 4, false>(kc, rsb, alpha, a, bb, pd),
                (2, 1) => kernel_f32_rows_block::<2, 1, false>(kc, rsb, alpha, a, bb, [pd[0]]),
                (2, _) => {
                    kernel_f32_rows_block::<2, 2, false>(kc, rsb, alpha, a, bb, [pd[0], pd[1]])
                }
                (3, _) => kernel_f32_rows_block::<3, 1, false>(kc, rsb, alpha, a, bb, [pd[0]]),
                (4, _) => kernel_f32_rows_block::<4, 1, false>(kc, rsb, alpha, a, bb, [pd[0]]),
                _ => kernel_f32_rows_block::<5, 1, false>(kc, rsb, alpha, a, bb, [pd[0]]),
            }
        }
    }
}

/// `C[0..rows, panel columns] = A_panel · B + beta(jp) * C` for `rows <= MR` rows packed once
/// as one A panel over all of `k`, against whole pre-packed B panels `panels`:
/// [`gemm_prepacked_raw`]'s KC slices and 4-panel batches, so the same bits as it over those
/// columns (with `beta(jp)` the first slice's beta of panel `jp`), without its per-call
/// packing and blocking.
///
/// # Safety
/// `c` must view a live buffer that nothing else reads or writes, in rows `0..rows` of the
/// panels' columns, during the call.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn rows_prepacked_raw(
    rows: usize,
    k: usize,
    a_panel: &[f32],
    b: &[f32],
    panels: Range<usize>,
    beta: impl Fn(usize) -> f32,
    c: RawBuf,
    ldc: usize,
) {
    if k == 0 {
        for jp in panels {
            // SAFETY: the caller's window.
            unsafe { scale_c_raw(rows, jp * NR..(jp + 1) * NR, beta(jp), c, ldc) };
        }
        return;
    }
    for pc in (0..k).step_by(KC) {
        let kc = KC.min(k - pc);
        let beta = |jp: usize| if pc == 0 { beta(jp) } else { 1.0 };
        for lo in panels.clone().step_by(4) {
            let hi = panels.end.min(lo + 4);
            let jps: [usize; 4] = core::array::from_fn(|j| (lo + j).min(hi - 1));
            // SAFETY: rows 0..rows of these panels' columns (the caller's contract).
            unsafe {
                flush_tail(
                    kc,
                    1.0,
                    &a_panel[pc * MR..][..kc * MR],
                    rows,
                    &b[pc * NR..],
                    k * NR,
                    &jps[..hi - lo],
                    0,
                    beta,
                    c,
                    0,
                    ldc,
                )
            };
        }
    }
}

/// `C[m, cols] = beta * C` (the k == 0 case); `beta == 0` writes zeros without reading C.
///
/// # Safety
/// As [`macro_kernel`], for rows `0..m` of columns `cols`.
unsafe fn scale_c_raw(m: usize, cols: Range<usize>, beta: f32, c: RawBuf, ldc: usize) {
    for i in 0..m {
        // SAFETY: row i of the caller's window (bounds-checked by `slice`).
        for v in unsafe { c.slice(i * ldc + cols.start, cols.len()) } {
            *v = if beta == 0.0 { 0.0 } else { *v * beta };
        }
    }
}

/// Full BLIS driver: packs both operands. `scratch` is grown as needed and reused.
#[allow(clippy::too_many_arguments)]
pub(crate) fn gemm(
    m: usize,
    n: usize,
    k: usize,
    alpha: f32,
    a: MatRef<'_>,
    b: MatRef<'_>,
    beta: f32,
    c: &mut [f32],
    ldc: usize,
    scratch: &mut Vec<f32>,
) {
    // SAFETY: `c` is exclusively borrowed for the whole call.
    unsafe { gemm_raw(m, n, k, alpha, a, b, beta, RawBuf::new(c), ldc, scratch) }
}

/// [`gemm`] written through a shared view of C, so that the parts of a fork-join can each
/// compute a column block of one C in place (no copies): every element is reduced the same
/// way whatever block it falls in, so any split is bitwise identical to one call.
///
/// # Safety
/// `c` must view a live buffer that nothing else reads or writes, in rows `0..m` of columns
/// `0..n`, during the call.
// Not inlined: the single-thread call and every part of a split one then run the same wasm
// function, which the engine has already optimised (an inlined copy in the parts' closure
// starts in V8's baseline tier on each new worker and ran 256^3 on two threads at 0.88x of one).
#[inline(never)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn gemm_raw(
    m: usize,
    n: usize,
    k: usize,
    alpha: f32,
    a: MatRef<'_>,
    b: MatRef<'_>,
    beta: f32,
    c: RawBuf,
    ldc: usize,
    scratch: &mut Vec<f32>,
) {
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        // SAFETY: the caller's window.
        return unsafe { scale_c_raw(m, 0..n, beta, c, ldc) };
    }
    // SAFETY: the caller's window.
    if m <= MR && unsafe { super::small::gemm_small_m(m, n, k, alpha, a, b, beta, c, ldc, scratch) }
    {
        return;
    }
    // Both packed blocks start on a cache line.
    let a_len = (m.min(MC).next_multiple_of(MR) * k.min(KC)).next_multiple_of(LINE);
    let b_len = n.min(NC).next_multiple_of(NR) * k.min(KC);
    let (abuf, bbuf) = line_aligned(scratch, a_len + b_len).split_at_mut(a_len);
    // LOOP 5: NC-wide column blocks of B and C.
    for jc in (0..n).step_by(NC) {
        let nc = NC.min(n - jc);
        // LOOP 4: KC-deep slices of the k dimension; later slices accumulate (beta = 1).
        for pc in (0..k).step_by(KC) {
            let kc = KC.min(k - pc);
            let beta_eff = if pc == 0 { beta } else { 1.0 };
            pack_b(b, pc, kc, jc, nc, bbuf);
            // LOOP 3: MC-row blocks of A and C.
            for ic in (0..m).step_by(MC) {
                let mc = MC.min(m - ic);
                pack_a(a, ic, mc, pc, kc, abuf);
                // SAFETY: rows ic.. of columns jc..jc + nc, inside the caller's window.
                unsafe {
                    macro_kernel(
                        kc,
                        alpha,
                        abuf,
                        mc,
                        bbuf,
                        kc * NR,
                        0..nc.div_ceil(NR),
                        jc,
                        &(jc..jc + nc),
                        beta_eff,
                        c,
                        ic,
                        ldc,
                    )
                };
            }
        }
    }
}

/// Driver for a pre-packed B (`b` in `PackedB` layout: panel `jp` holds all `k` rows at
/// `b[jp * k * NR..]`); only C columns `cols` are computed, through a shared view of C
/// (parts of a fork-join computing disjoint column ranges; results do not depend on the
/// split).
///
/// # Safety
/// `c` must view a live buffer that nothing else reads or writes, in rows `0..m` of columns
/// `cols`, during the call.
// Not inlined, as `gemm_raw`.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn gemm_prepacked_raw(
    m: usize,
    cols: Range<usize>,
    k: usize,
    alpha: f32,
    a: MatRef<'_>,
    b: &[f32],
    beta: f32,
    c: RawBuf,
    ldc: usize,
    scratch: &mut Vec<f32>,
) {
    if m == 0 || cols.is_empty() {
        return;
    }
    if k == 0 {
        // SAFETY: the caller's window.
        return unsafe { scale_c_raw(m, cols, beta, c, ldc) };
    }
    let a_len = m.min(MC).next_multiple_of(MR) * k.min(KC);
    let abuf = line_aligned(scratch, a_len);
    let panels = cols.start / NR..cols.end.div_ceil(NR);
    // LOOP 4: KC-deep slices; the same slicing for any column range keeps results bitwise
    // independent of how a caller splits columns.
    for pc in (0..k).step_by(KC) {
        let kc = KC.min(k - pc);
        let beta_eff = if pc == 0 { beta } else { 1.0 };
        // LOOP 3: MC-row blocks of A.
        for ic in (0..m).step_by(MC) {
            let mc = MC.min(m - ic);
            pack_a(a, ic, mc, pc, kc, abuf);
            let bk = &b[pc * NR..];
            // SAFETY: rows ic.. of columns `cols`, inside the caller's window.
            unsafe {
                macro_kernel(
                    kc,
                    alpha,
                    abuf,
                    mc,
                    bk,
                    k * NR,
                    panels.clone(),
                    0,
                    &cols,
                    beta_eff,
                    c,
                    ic,
                    ldc,
                )
            };
        }
    }
}
