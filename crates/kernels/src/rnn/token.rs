//! A token's weight walk, mirrored every other call.
//!
//! A one-step call (a token) of a few rows reads every weight of the stack once. When the
//! weights outgrow a core's L2 cache, a walk that always goes the same way finds almost none
//! of them there: the weights it reads first are the ones the previous call read first,
//! evicted since. So every other call starts with what the previous one read last. The
//! recurrent products `h_prev · Wh^T` need nothing from this call's input, so all of them
//! come first, the last layer's first and each from its last unit block down; then, layer
//! by layer, the input projection adds onto them and the gates run. A step split over
//! threads by hidden units (batch 1 on wide layers) splits these products the same way, so
//! each core walks its own share of every layer, mirrored every other call.
//!
//! Each pre-activation is still `h·Wh + x·Wi` rounded once (addition commutes), and each
//! product is summed in the same k order, so both walks give the same bits.

use super::gates::UNITS;
use super::packed::PackedRnn;
use super::sequence::{plan, Split};
use super::step::{block_ranges, run_panels, Products, StepCtx};
use super::workspace::TokenScratch;
use super::Mode;
use crate::gemm::params::{KC, MR};
use crate::gemm::{pack_a, tile_rows_block, MatRef};
use crate::par::{Parallel, RawBuf};

/// Weight bytes per part (per core) for which a token mirrors every other walk: from about
/// one core's L2 cache on current x86 cores (2 MiB on the bench machine; below it the
/// weights stay cached and the mirrored walk costs 5-12%) to four of them (far beyond, too
/// little of a walk is still cached to pay for the reversed block order: 5-7% slower at
/// 16-24 MiB). Measured: see docs/performance-log.md. Unit tests mirror every eligible
/// shape, however small.
#[cfg(not(test))]
const MIRROR_BYTES: core::ops::RangeInclusive<usize> = (2 << 20)..=(8 << 20);
#[cfg(test)]
const MIRROR_BYTES: core::ops::RangeInclusive<usize> = 0..=usize::MAX;

/// Whether this call runs the mirrored walk, and over how many parts: a token (`t == 1`)
/// of 1-3 rows, no LSTMP projection, every layer's input within one KC slice (so adding the
/// projection onto the recurrent products keeps its bits), every layer's step on the same
/// parts (the calling thread alone, or the hidden units split over the same threads, so that
/// each core walks its own share of every layer), each part's share of the weights within
/// [`MIRROR_BYTES`] (a split step keeps halves of up to one L2 cached by itself). Every other
/// such call (`tok.odd` flips on each).
pub(super) fn mirrored(
    p: &PackedRnn,
    t: usize,
    n: usize,
    par: &dyn Parallel,
    tok: &mut TokenScratch,
) -> Option<usize> {
    let s = &p.spec;
    if t != 1 || !(1..MR).contains(&n) || s.projection.is_some() {
        return None;
    }
    let cols = s.mode.gates() * p.hp;
    let parts_of = |ni: usize| match plan(par, 1, n, cols, s.hidden + ni, p.hp) {
        Split::Serial => Some(1),
        Split::Units(k) => Some(k),
        Split::Rows(_) => None,
    };
    let mut parts = None;
    for d in &p.dirs {
        let k = parts_of(d.ni).filter(|_| d.ni <= KC)?;
        if *parts.get_or_insert(k) != k {
            return None;
        }
    }
    let parts = parts?;
    let bytes: usize = p
        .dirs
        .iter()
        .map(|d| (d.wi.floats() + d.wh.floats()).saturating_mul(4))
        .fold(0, usize::saturating_add);
    if !MIRROR_BYTES.contains(&(bytes / parts)) {
        return None;
    }
    tok.odd = !tok.odd;
    tok.odd.then_some(parts)
}

/// Floats of the token buffers for `n` rows, per (layer, direction): its gate
/// pre-activations `(n, G*hp)`, GRU's `W_hn h` `(n, hp)` and its packed initial state (one
/// row panel: `n < MR`).
pub(super) fn sizes(p: &PackedRnn, n: usize) -> [usize; 3] {
    let gru = if p.spec.mode == Mode::Gru { p.hp } else { 0 };
    [
        n.saturating_mul(p.spec.mode.gates() * p.hp),
        n.saturating_mul(gru),
        MR * p.spec.hidden,
    ]
}

/// The recurrent products of every (layer, direction) `idx` from its initial state
/// (`h0[idx]`, zeros when `None`), the last `idx` first, each from its last unit block
/// down: into `tok.gates[idx]` and, for GRU's n gate, `tok.nrec[idx]` (each sized by
/// [`sizes`]). The unit blocks split over `parts` parts of `par` as the steps will split
/// them ([`block_ranges`]), so each part reads the weights its steps read next.
pub(super) fn recurrent_first(
    p: &PackedRnn,
    n: usize,
    h0: Option<&[f32]>,
    tok: &mut TokenScratch,
    par: &dyn Parallel,
    parts: usize,
) -> Result<(), String> {
    let s = &p.spec;
    let (h, hp, g) = (s.hidden, p.hp, s.mode.gates());
    let [per_g, per_n, per_a] = sizes(p, n);
    let dirs = p.dirs.len();
    // Every state packed before the fork; the parts share them read-only.
    for (idx, apack) in tok.hpack[..dirs * per_a]
        .chunks_exact_mut(per_a)
        .enumerate()
    {
        match h0 {
            Some(h0) => {
                let data = &h0[idx * n * h..][..n * h];
                pack_a(MatRef { data, rs: h, cs: 1 }, 0, n, 0, h, apack);
            }
            None => apack.fill(0.0),
        }
    }
    let hpack = &tok.hpack[..dirs * per_a];
    let gates = RawBuf::new(&mut tok.gates[..dirs * per_g]);
    let nrec = RawBuf::new(&mut tok.nrec[..dirs * per_n]);
    let blocks = hp / UNITS;
    let parts = parts.clamp(1, blocks);
    par.run(parts, &|part| {
        for idx in (0..dirs).rev() {
            let cx = StepCtx {
                pd: &p.dirs[idx],
                mode: s.mode,
                hidden: h,
                hp,
                proj: None,
                clip: s.clip,
                n,
            };
            let apack = &hpack[idx * per_a..][..per_a];
            let d = Products {
                gates: gates.from(idx * per_g),
                beta: 0.0,
                nbuf: nrec.from(idx * per_n),
                n_col: 0,
                n_ld: hp,
            };
            for run in cx.pd.wh.runs(block_ranges(blocks, parts, part)).rev() {
                let d = Products {
                    n_col: run.start * UNITS,
                    ..d
                };
                let panels = run_panels(&cx, &d, run.clone(), 0);
                let (b_run, rsb) = (cx.pd.wh.unit(run.start), cx.pd.wh.width);
                // All n < MR rows through the run's panels at once, as the step's tail rows
                // go (not through the step's own product loop: a second caller keeps
                // wasm-opt from inlining it into the step, whose batch-1 kernel then ran 12%
                // slower).
                // SAFETY: the tiles lie in this (layer, direction)'s part of `tok`'s buffers,
                // in these blocks' columns and GRU window: the parts' blocks are disjoint,
                // and the buffers are not otherwise used until `run` returns.
                unsafe {
                    let panels = &panels[..run.len() * g];
                    tile_rows_block(h, 1.0, apack, n, b_run, rsb, panels, d.gates, d.nbuf)
                };
            }
        }
    })
}
