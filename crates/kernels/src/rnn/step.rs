//! One time step of one direction: the recurrent GEMM against the packed `h2h` panels,
//! accumulated in place onto that step's input projection, fused per block of hidden units
//! with the gate nonlinearities (the block's gates are still in L1).
//!
//! Unit blocks are independent within a step, so they can be split over the parts of a
//! fork-join ([`Parallel`]); each part writes only its blocks' columns and units, and
//! every element is computed the same way whatever the split (bitwise identical results).

use core::marker::PhantomData;
use core::ops::Range;

use super::gates::{GRU_N, UNITS};
use super::packed::PackedDir;
use super::{pointwise, Mode, StateClip};
use crate::act::Consts;
use crate::alloc::line_aligned;
use crate::gemm::params::{KC, MR, NR};
use crate::gemm::{
    pack_a, sgemm_packed_raw, sgemm_packed_with, sgemm_rows_packed_raw, tile_full_raw,
    tile_rows_block, BlockDst, MatRef,
};
use crate::par::{Parallel, RawBuf, Slots};
use crate::simd::F32x4;

/// Destination of a direction's outputs: row (t, b) is
/// `buf[t * ts + b * bs + off..][..width]`. A view over a buffer that parts of a fork-join
/// share (each writes only its own rows), so it holds a [`RawBuf`], not a slice.
#[derive(Clone, Copy)]
pub(crate) struct OutView<'a> {
    pub buf: RawBuf,
    pub ts: usize,
    pub bs: usize,
    pub off: usize,
    pub width: usize,
    /// The buffer stays mutably borrowed while the view lives.
    pub _borrow: PhantomData<&'a mut [f32]>,
}

impl<'a> OutView<'a> {
    /// A view of `data`, which it borrows mutably for its lifetime.
    pub fn new(data: &'a mut [f32], ts: usize, bs: usize, width: usize) -> Self {
        OutView {
            buf: RawBuf::new(data),
            ts,
            bs,
            off: 0,
            width,
            _borrow: PhantomData,
        }
    }

    /// The same view with batch index 0 at row `b0` (a part's rows).
    pub fn at_row(self, b0: usize) -> Self {
        OutView {
            off: self.off + b0 * self.bs,
            ..self
        }
    }

    /// Row (t, b).
    ///
    /// # Safety
    /// No other live reference or concurrent access may overlap this row while the slice
    /// is used (parts of a fork-join write disjoint rows).
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn row(&self, t: usize, b: usize) -> &mut [f32] {
        // SAFETY: the caller's contract; `slice` checks the bounds.
        unsafe {
            self.buf
                .slice(t * self.ts + b * self.bs + self.off, self.width)
        }
    }
}

/// Fixed facts of a direction.
#[derive(Clone, Copy)]
pub(crate) struct StepCtx<'a> {
    pub pd: &'a PackedDir,
    pub mode: Mode,
    pub hidden: usize,
    /// Hidden size padded to whole unit blocks.
    pub hp: usize,
    pub proj: Option<usize>,
    pub clip: Option<StateClip>,
    pub n: usize,
}

/// Mutable state and scratch of a direction (sizes set by the sequence driver).
pub(crate) struct StepBufs<'a> {
    /// Recurrent input: `(n, hp)` h, or `(n, P)` r with projection.
    pub hrec: &'a mut [f32],
    /// LSTM cell state `(n, hp)`.
    pub cstate: &'a mut [f32],
    /// Packed A operand (`n` rounded up to MR, times K).
    pub apack: &'a mut [f32],
    /// GRU `W_hn h` of one block, `(n, UNITS)` per part.
    pub nbuf: &'a mut [f32],
    /// LSTMP: unprojected h `(n, hp)` and projected r `(n, P)`.
    pub hfull: &'a mut [f32],
    pub rbuf: &'a mut [f32],
    pub gemm: &'a mut Vec<f32>,
}

/// The input projection of a one-step call (a token), computed inside the step's parts:
/// each part projects its own unit blocks' gate columns right before their recurrent
/// product, so one fork-join covers the whole step, and a part reads the same weight columns
/// call after call (they stay in that core's cache).
pub(crate) struct StepInput<'a> {
    /// The step's input, `(n, ni)`.
    pub x: &'a [f32],
    /// One GEMM packing scratch per part.
    pub scratch: Slots<Vec<f32>>,
    /// `Some` when the recurrent products were computed before the step (a mirrored token,
    /// see `token.rs`): `xproj` already holds `h · Wh^T` of every gate but GRU's n, which
    /// is in this `(n, hp)` buffer; the projection then adds onto them.
    pub recurrent: Option<RawBuf>,
}

/// What the parts of one step share: read-only operands and `RawBuf` views of the buffers
/// they write (each part only its own unit blocks).
#[derive(Clone, Copy)]
struct Shared<'a> {
    cx: &'a StepCtx<'a>,
    t: usize,
    valid: Option<&'a [usize]>,
    apack: &'a [f32],
    xproj: RawBuf,
    hrec: RawBuf,
    cstate: RawBuf,
    hfull: RawBuf,
    nbuf: RawBuf,
    /// See [`StepInput::recurrent`].
    recurrent: Option<RawBuf>,
    out: RawBuf,
    out_row: [usize; 3],
}

/// The step's mode as the parts' code knows it: fixed at compile time (`LSTM`, `GRU`), or
/// read from the context (`ANY`, the one-gate RNNs).
const ANY: u8 = 0;
const LSTM: u8 = 1;
const GRU: u8 = 2;

/// `cx` with its mode fixed to `M`'s: the code inlined below then keeps only that mode's
/// branches, so each mode's step is a wasm function of its own.
#[inline(always)]
fn fixed_mode<'a, const M: u8>(cx: &'a StepCtx<'a>) -> StepCtx<'a> {
    let mode = match M {
        LSTM => Mode::Lstm,
        GRU => Mode::Gru,
        _ => cx.mode,
    };
    debug_assert!(mode == cx.mode, "a step's fixed mode is its context's");
    StepCtx { mode, ..*cx }
}

/// Unit blocks per part: the blocks of a step split into `parts` contiguous ranges.
pub(crate) fn block_ranges(blocks: usize, parts: usize, p: usize) -> Range<usize> {
    blocks * p / parts..blocks * (p + 1) / parts
}

/// Runs time step `t`: `xproj_t` (`n` rows of `G*hp` packed gate columns, the input
/// projection without biases, or computed here from `input`) receives `h_prev · Wh^T` in
/// place, then the biases and the nonlinearities update the states and write the outputs.
/// Rows with `t >= valid[b]` keep their state and output zeros.
/// The unit blocks are split over `parts` parts of `par` (`nbuf` holds one block buffer
/// per part).
#[allow(clippy::too_many_arguments)]
pub(crate) fn step(
    cx: &StepCtx,
    t: usize,
    valid: Option<&[usize]>,
    xproj_t: &mut [f32],
    s: &mut StepBufs,
    out: &OutView,
    par: &dyn Parallel,
    parts: usize,
    input: Option<&StepInput>,
) -> Result<(), String> {
    let (n, hp, h) = (cx.n, cx.hp, cx.hidden);
    let kh = cx.proj.unwrap_or(h);
    let ks = cx.proj.unwrap_or(hp);
    let active = |b: usize| valid.is_none_or(|v| t < v[b]);

    let recurrent = input.and_then(|i| i.recurrent);
    // The previous state becomes the packed A operand, so the states can be updated in
    // place below while later unit blocks still multiply the old values.
    if recurrent.is_none() {
        pack_a(
            MatRef {
                data: s.hrec,
                rs: ks,
                cs: 1,
            },
            0,
            n,
            0,
            kh,
            s.apack,
        );
    }

    let blocks = hp / UNITS;
    let parts = parts.clamp(1, blocks);
    assert!(
        s.nbuf.len() >= parts * n * UNITS,
        "one GRU block buffer per part"
    );
    let sh = Shared {
        cx,
        t,
        valid,
        apack: s.apack,
        xproj: RawBuf::new(xproj_t),
        hrec: RawBuf::new(s.hrec),
        cstate: RawBuf::new(s.cstate),
        hfull: RawBuf::new(s.hfull),
        nbuf: RawBuf::new(s.nbuf),
        recurrent,
        out: out.buf,
        out_row: [out.ts, out.bs, out.off],
    };
    if let Some(inp) = input {
        assert!(inp.x.len() == n * cx.pd.ni, "one step of input");
        assert!(
            inp.recurrent.is_none() || ((1..MR).contains(&n) && cx.pd.ni <= KC),
            "recurrent products first: a token of 1-3 rows, one KC slice of input"
        );
    }
    // SAFETY: part p touches only unit blocks `block_ranges(.., p)` (see `step_part`); the
    // borrowed buffers are not used until `run` returns. Each mode's step is a closure of its
    // own: one-gate RNNs' runs of blocks in the same wasm function made V8 compile LSTM's
    // batch-1 kernel 3-5% slower, and a model's first call compiles only its own mode.
    match cx.mode {
        Mode::Lstm => par.run(parts, &|p| unsafe {
            step_part::<false, LSTM>(&sh, input, parts, p)
        })?,
        Mode::Gru => par.run(parts, &|p| unsafe {
            step_part::<false, GRU>(&sh, input, parts, p)
        })?,
        Mode::RnnRelu | Mode::RnnTanh => par.run(parts, &|p| unsafe {
            step_part::<true, ANY>(&sh, input, parts, p)
        })?,
    }

    // LSTMP: r = h · Whr^T becomes the output and the recurrent state of active rows.
    if let (Some(p), Some(whr)) = (cx.proj, cx.pd.whr.as_ref()) {
        sgemm_packed_with(n, 0..p, 1.0, s.hfull, hp, whr, 0.0, s.rbuf, p, s.gemm);
        for b in (0..n).filter(|&b| active(b)) {
            let r = &s.rbuf[b * p..][..p];
            s.hrec[b * p..][..p].copy_from_slice(r);
            // SAFETY: row (t, b) of this call's rows; the parts above have returned.
            unsafe { out.row(t, b) }.copy_from_slice(r);
        }
    }
    for b in (0..n).filter(|&b| !active(b)) {
        // SAFETY: as above.
        unsafe { out.row(t, b) }.fill(0.0);
    }
    Ok(())
}

/// Part `p` of `parts` of a step: the input projection of its unit blocks (a one-step
/// call), then their products and nonlinearities (`RUNS`: a one-gate RNN's runs of blocks).
///
/// # Safety
/// Part p touches only unit blocks `block_ranges(.., p)` (disjoint columns of xproj,
/// disjoint units of the states and outputs), its own `nbuf` slot and its own projection
/// scratch; concurrent parts must have distinct `p`, and the buffers viewed by `sh` must not
/// be used elsewhere meanwhile.
#[inline(always)]
unsafe fn step_part<const RUNS: bool, const M: u8>(
    sh: &Shared,
    input: Option<&StepInput>,
    parts: usize,
    p: usize,
) {
    let cx = &fixed_mode::<M>(sh.cx);
    let (n, hp, recurrent) = (cx.n, cx.hp, sh.recurrent);
    let r = block_ranges(hp / UNITS, parts, p);
    // SAFETY: the caller's contract: this part's scratch slot, its blocks' columns of xproj.
    unsafe {
        if let (Some(inp), true) = (input, (1..MR).contains(&n)) {
            // A few rows (a token of batch 1-3): the input packed once, projected panel by
            // panel without the GEMM's blocking (5% of a batch-1 LSTM H128 token).
            let g = cx.mode.gates();
            let xa = line_aligned(inp.scratch.get(p), cx.pd.ni * MR);
            let x = MatRef {
                data: inp.x,
                rs: cx.pd.ni,
                cs: 1,
            };
            pack_a(x, 0, n, 0, cx.pd.ni, xa);
            let panels = r.start * g..r.end * g;
            let (wi, c, ldc) = (&cx.pd.wi, sh.xproj, g * hp);
            if recurrent.is_some() {
                // Onto recurrent products computed first, except GRU's n gate, whose
                // projection stays apart from `W_hn h`.
                let gru = cx.mode == Mode::Gru;
                let beta = |jp: usize| if gru && jp % g == GRU_N { 0.0 } else { 1.0 };
                sgemm_rows_packed_raw(n, xa, wi, panels, beta, c, ldc);
            } else {
                sgemm_rows_packed_raw(n, xa, wi, panels, |_| 0.0, c, ldc);
            }
        } else if let Some(inp) = input {
            let w = cx.mode.gates() * UNITS;
            sgemm_packed_raw(
                n,
                r.start * w..r.end * w,
                1.0,
                inp.x,
                cx.pd.ni,
                &cx.pd.wi,
                0.0,
                sh.xproj,
                cx.mode.gates() * hp,
                inp.scratch.get(p),
            );
        }
        run_blocks::<RUNS, M>(sh, r, p)
    }
}

/// Where a unit block's recurrent products go: its gate columns of `gates` (`(n, G*hp)`;
/// `beta` 1 adds onto what is there, 0 overwrites it), and GRU's `W_hn h` to column
/// `n_col` of `nbuf`, whose rows are `n_ld` apart.
#[derive(Clone, Copy)]
pub(crate) struct Products {
    pub gates: RawBuf,
    pub beta: f32,
    pub nbuf: RawBuf,
    pub n_col: usize,
    pub n_ld: usize,
}

impl Products {
    /// Where gate `gi` of unit block `hb` goes for rows from `r0`: GRU's n gate is kept
    /// apart (the reset gate multiplies `W_hn h + b_hn` only).
    #[inline(always)]
    pub(crate) fn dst(&self, cx: &StepCtx, hb: usize, gi: usize, r0: usize) -> BlockDst {
        if cx.mode == Mode::Gru && gi == GRU_N {
            BlockDst {
                off: r0 * self.n_ld + self.n_col,
                ldc: self.n_ld,
                beta: 0.0,
                second: true,
            }
        } else {
            let g = cx.mode.gates();
            BlockDst {
                off: r0 * g * cx.hp + (hb * g + gi) * NR,
                ldc: g * cx.hp,
                beta: self.beta,
                second: false,
            }
        }
    }

    /// Row `b` of this block's `W_hn h` (GRU).
    ///
    /// # Safety
    /// As [`RawBuf::slice`]: no other live reference to these elements.
    #[allow(clippy::mut_from_ref)]
    unsafe fn n_row(&self, b: usize) -> &mut [f32] {
        // SAFETY: the caller's contract.
        unsafe { self.nbuf.slice(b * self.n_ld + self.n_col, UNITS) }
    }
}

/// `h_prev · Wh^T` of unit block `hb` for the `n` rows packed in `apack`, into `d`.
///
/// # Safety
/// `d`'s buffers must be live and not otherwise used in this block's columns (and GRU
/// window) during the call.
#[inline(always)]
unsafe fn block_products(cx: &StepCtx, apack: &[f32], hb: usize, d: Products) {
    let g = cx.mode.gates();
    let kh = cx.proj.unwrap_or(cx.hidden);
    let (full, tail) = (cx.n / MR, cx.n % MR);
    // This block's G panels, side by side in each of its `kh` rows of `G * NR` floats.
    let b_block = cx.pd.wh.block(hb);
    let rsb = cx.pd.wh.width;
    // Row panels outside, gates inside: each A panel meets the block's rows while they are
    // in cache, and every B cache line is used by adjacent gates at once.
    for ip in 0..full {
        let a_panel = &apack[ip * kh * MR..][..kh * MR];
        for gi in 0..g {
            let t = d.dst(cx, hb, gi, ip * MR);
            let c = if t.second { d.nbuf } else { d.gates };
            // SAFETY: the tile lies in this block's columns (or its GRU window).
            unsafe {
                tile_full_raw(
                    kh,
                    1.0,
                    a_panel,
                    &b_block[gi * NR..],
                    rsb,
                    t.beta,
                    c,
                    t.off,
                    t.ldc,
                )
            };
        }
    }
    if tail > 0 {
        // The last rows (all of them when n < MR) go through all G panels at once.
        let r0 = full * MR;
        let panels: [BlockDst; 4] = core::array::from_fn(|gi| d.dst(cx, hb, gi, r0));
        let a_panel = &apack[full * kh * MR..][..kh * MR];
        // SAFETY: the tiles lie in this block's columns and its GRU window.
        unsafe {
            tile_rows_block(
                kh,
                1.0,
                a_panel,
                tail,
                b_block,
                rsb,
                &panels[..g],
                d.gates,
                d.nbuf,
            )
        };
    }
}

/// [`block_products`] of a one-gate RNN's unit blocks `run` (in one `h2h` block:
/// [`BlockRows::runs`]), their panels multiplied at once. Apart from `block_products`: LSTM
/// and GRU's batch-1 kernel compiled 3-5% slower from one shared version.
///
/// # Safety
/// `d`'s buffers must be live and not otherwise used in these blocks' columns during the
/// call.
#[inline(always)]
unsafe fn run_products(cx: &StepCtx, apack: &[f32], run: Range<usize>, d: Products) {
    let kh = cx.proj.unwrap_or(cx.hidden);
    let (full, tail) = (cx.n / MR, cx.n % MR);
    // The run's panels, side by side in each of its `kh` rows.
    let b_run = cx.pd.wh.unit(run.start);
    let rsb = cx.pd.wh.width;
    // Row panels outside, panels inside, as in `block_products`.
    for ip in 0..full {
        let a_panel = &apack[ip * kh * MR..][..kh * MR];
        for (j, hb) in run.clone().enumerate() {
            let t = d.dst(cx, hb, 0, ip * MR);
            // SAFETY: the tile lies in this block's columns.
            unsafe {
                tile_full_raw(
                    kh,
                    1.0,
                    a_panel,
                    &b_run[j * NR..],
                    rsb,
                    t.beta,
                    d.gates,
                    t.off,
                    t.ldc,
                )
            };
        }
    }
    if tail > 0 {
        // The last rows (all of them when n < MR) go through all the run's panels at once.
        let r0 = full * MR;
        let panels = run_panels(cx, &d, run.clone(), r0);
        let a_panel = &apack[full * kh * MR..][..kh * MR];
        // SAFETY: the tiles lie in these blocks' columns.
        unsafe {
            tile_rows_block(
                kh,
                1.0,
                a_panel,
                tail,
                b_run,
                rsb,
                &panels[..run.len()],
                d.gates,
                d.nbuf,
            )
        };
    }
}

/// The destinations of the panels of unit blocks `run` (at most 4 panels: one unit block of
/// LSTM or GRU, up to four of a one-gate RNN) for rows from `r0`, in the order the run's
/// panels sit in an `h2h` row.
#[inline(always)]
pub(crate) fn run_panels(
    cx: &StepCtx,
    d: &Products,
    run: Range<usize>,
    r0: usize,
) -> [BlockDst; 4] {
    // Either one unit block of G panels or a run of one-panel blocks (no division here:
    // this builds the batch-1 step's destinations once per block).
    let one_gate = cx.mode.gates() == 1;
    core::array::from_fn(|p| {
        let (j, gi) = if one_gate {
            (p.min(run.len() - 1), 0)
        } else {
            (0, p)
        };
        d.dst(cx, run.start + j, gi, r0)
    })
}

/// GEMM and nonlinearities for unit blocks `blocks`, using GRU block buffer `part` (or,
/// with the recurrent products computed first, only the nonlinearities).
///
/// # Safety
/// Concurrent calls must get disjoint `blocks` and distinct `part`s, and the buffers viewed
/// by `sh` must not be used elsewhere meanwhile.
unsafe fn run_blocks<const RUNS: bool, const M: u8>(
    sh: &Shared,
    blocks: Range<usize>,
    part: usize,
) {
    let cx = &fixed_mode::<M>(sh.cx);
    let sh = &Shared { cx, ..*sh };
    let n = cx.n;
    // Activation constants once per part and step, not re-materialised per vector.
    let k = Consts::hoisted();
    let plain = Products {
        gates: sh.xproj,
        beta: 1.0,
        // SAFETY: this part's own slot of the GRU buffers (distinct `part`s).
        nbuf: RawBuf::new(unsafe { sh.nbuf.slice(part * n * UNITS, n * UNITS) }),
        n_col: 0,
        n_ld: UNITS,
    };
    // Two loops rather than a branch per block: the plain one is the sequences' hot loop.
    match sh.recurrent {
        None if !RUNS => {
            for hb in blocks {
                // SAFETY: this block's columns of xproj and this part's GRU slot.
                unsafe {
                    block_products(cx, sh.apack, hb, plain);
                    block_gates(sh, hb, &plain, &k);
                }
            }
        }
        // A one-gate RNN: runs of up to four blocks, multiplied at once.
        None => {
            for run in cx.pd.wh.runs(blocks) {
                // SAFETY: these blocks' columns of xproj and this part's GRU slot.
                unsafe {
                    run_products(cx, sh.apack, run.clone(), plain);
                    run_gates(sh, run, &k);
                }
            }
        }
        Some(nrec) => {
            for hb in blocks {
                // GRU's `W_hn h` of all blocks, computed first.
                let d = Products {
                    nbuf: nrec,
                    n_col: hb * UNITS,
                    n_ld: cx.hp,
                    ..plain
                };
                // SAFETY: this block's units; `nrec` is this call's own buffer.
                unsafe { block_gates(sh, hb, &d, &k) };
            }
        }
    }
}

/// [`block_gates`] of a one-gate RNN's run of unit blocks (in one `h2h` block), row by row:
/// the run's units are contiguous in the gates, the state and the output row, so each row
/// takes one pass over them, writing its output as it goes (per block, the slicing and the
/// copy of h to the output: batch-1 RNN sequences 1.02-1.04x, N 16 1.00-1.015x).
///
/// # Safety
/// As [`run_blocks`], for these blocks.
#[inline(always)]
unsafe fn run_gates(sh: &Shared, run: Range<usize>, k: &Consts<F32x4>) {
    let cx = sh.cx;
    let (n, hp, h) = (cx.n, cx.hp, cx.hidden);
    debug_assert!(cx.mode.gates() == 1 && cx.proj.is_none());
    let [ts, bs, off] = sh.out_row;
    let (u0, width) = (run.start * UNITS, run.len() * UNITS);
    let w = width.min(h - u0);
    let relu = cx.mode == Mode::RnnRelu;
    let bias = &cx.pd.bias[u0..u0 + width];
    for b in (0..n).filter(|&b| sh.valid.is_none_or(|v| sh.t < v[b])) {
        // SAFETY: the run's units of row b, disjoint from other parts; the three slices are
        // over different buffers.
        unsafe {
            pointwise::vanilla(
                sh.xproj.slice(b * hp + u0, width),
                bias,
                relu,
                sh.hrec.slice(b * hp + u0, width),
                sh.out.slice(sh.t * ts + b * bs + off + u0, w),
                k,
            );
        }
    }
}

/// The nonlinearities of unit block `hb`, row by row, from its pre-activations in `sh.xproj`
/// (and GRU's `W_hn h` in `d`): the states update in place and the outputs are written.
///
/// # Safety
/// As [`run_blocks`], for this block.
#[inline(always)]
unsafe fn block_gates(sh: &Shared, hb: usize, d: &Products, k: &Consts<F32x4>) {
    let cx = sh.cx;
    let (n, hp, h) = (cx.n, cx.hp, cx.hidden);
    let g = cx.mode.gates();
    let cols = g * hp;
    let ks = cx.proj.unwrap_or(hp);
    let active = |b: usize| sh.valid.is_none_or(|v| sh.t < v[b]);
    let [ts, bs, off] = sh.out_row;
    let u0 = hb * UNITS;
    let w = UNITS.min(h - u0);
    for b in (0..n).filter(|&b| active(b)) {
        // SAFETY: all slices below are this block's units of row b (or its GRU window),
        // disjoint from other parts; each is dropped before the next is made over the same
        // elements.
        unsafe {
            let gb = sh.xproj.slice(b * cols + hb * g * UNITS, g * UNITS);
            let bias = &cx.pd.bias[hb * g * UNITS..][..g * UNITS];
            match cx.mode {
                Mode::Lstm => {
                    let hdst = if cx.proj.is_some() {
                        sh.hfull.slice(b * hp + u0, UNITS)
                    } else {
                        sh.hrec.slice(b * ks + u0, UNITS)
                    };
                    pointwise::lstm(
                        gb,
                        bias,
                        sh.cstate.slice(b * hp + u0, UNITS),
                        hdst,
                        cx.clip,
                        k,
                    );
                }
                Mode::Gru => {
                    pointwise::gru(
                        gb,
                        bias,
                        d.n_row(b),
                        &cx.pd.bhn[u0..u0 + UNITS],
                        sh.hrec.slice(b * ks + u0, UNITS),
                        k,
                    );
                }
                Mode::RnnRelu | Mode::RnnTanh => {
                    // The output row is written below, as for the other modes.
                    pointwise::vanilla(
                        gb,
                        bias,
                        cx.mode == Mode::RnnRelu,
                        sh.hrec.slice(b * ks + u0, UNITS),
                        &mut [],
                        k,
                    );
                }
            }
            if cx.proj.is_none() {
                let dst = sh.out.slice(sh.t * ts + b * bs + off + u0, w);
                let src = sh.hrec.slice(b * ks + u0, UNITS);
                if let (Ok(d), Ok(s)) = (
                    <&mut [f32; UNITS]>::try_from(&mut *dst),
                    <&[f32; UNITS]>::try_from(&*src),
                ) {
                    // A whole block: vector moves (a copy of run-time length is a call to
                    // memcpy, per row and block).
                    *d = *s;
                } else {
                    dst.copy_from_slice(&src[..w]);
                }
            }
        }
    }
}
