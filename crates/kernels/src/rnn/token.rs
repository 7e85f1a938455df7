//! A token's weight walk, mirrored every other call.
//!
//! A one-step call (a token) of a few rows reads every weight of the stack once. When the
//! weights outgrow a core's L2 cache, a walk that always goes the same way finds almost none
//! of them there: the weights it reads first are the ones the previous call read first,
//! evicted since. So every other call starts with what the previous one read last. The
//! recurrent products `h_prev · Wh^T` need nothing from this call's input, so all of them
//! come first, the last layer's first and each from its last unit block down; then, layer
//! by layer, the input projection adds onto them and the gates run.
//!
//! Each pre-activation is still `h·Wh + x·Wi` rounded once (addition commutes), and each
//! product is summed in the same k order, so both walks give the same bits.

use super::gates::UNITS;
use super::packed::PackedRnn;
use super::sequence::{plan, Split};
use super::step::{Products, StepCtx};
use super::workspace::TokenScratch;
use super::Mode;
use crate::gemm::params::{KC, MR};
use crate::gemm::{pack_a, tile_rows_block, BlockDst, MatRef};
use crate::par::{Parallel, RawBuf};

/// Weight bytes for which a token mirrors every other walk: from about one core's L2 cache
/// on current x86 cores (2 MiB on the bench machine; below it the weights stay cached and
/// the mirrored walk costs 5-12%) to four of them (far beyond, too little of a walk is still
/// cached to pay for the reversed block order: 5-7% slower at 16-24 MiB). Measured: see
/// docs/performance-log.md. Unit tests mirror every eligible shape, however small.
#[cfg(not(test))]
const MIRROR_BYTES: core::ops::RangeInclusive<usize> = (2 << 20)..=(8 << 20);
#[cfg(test)]
const MIRROR_BYTES: core::ops::RangeInclusive<usize> = 0..=usize::MAX;

/// Whether this call runs the mirrored walk: a token (`t == 1`) of 1-3 rows, no LSTMP
/// projection, every layer's input within one KC slice (so adding the projection onto the
/// recurrent products keeps its bits), every layer on the calling thread (a split step keeps
/// each core's share of the weights in its own cache already), weights within
/// [`MIRROR_BYTES`]. Every other such call (`tok.odd` flips on each).
pub(super) fn mirrored(
    p: &PackedRnn,
    t: usize,
    n: usize,
    par: &dyn Parallel,
    tok: &mut TokenScratch,
) -> bool {
    let s = &p.spec;
    if t != 1 || !(1..MR).contains(&n) || s.projection.is_some() {
        return false;
    }
    let cols = s.mode.gates() * p.hp;
    let bytes: usize = p
        .dirs
        .iter()
        .map(|d| (d.wi.floats() + d.wh.floats()).saturating_mul(4))
        .fold(0, usize::saturating_add);
    let serial = |ni: usize| matches!(plan(par, 1, n, cols, s.hidden + ni, p.hp), Split::Serial);
    if !MIRROR_BYTES.contains(&bytes) || !p.dirs.iter().all(|d| d.ni <= KC && serial(d.ni)) {
        return false;
    }
    tok.odd = !tok.odd;
    tok.odd
}

/// Floats of the token buffers for `n` rows, per (layer, direction): its gate
/// pre-activations `(n, G*hp)` and GRU's `W_hn h` `(n, hp)`.
pub(super) fn sizes(p: &PackedRnn, n: usize) -> [usize; 2] {
    let gru = if p.spec.mode == Mode::Gru { p.hp } else { 0 };
    [
        n.saturating_mul(p.spec.mode.gates() * p.hp),
        n.saturating_mul(gru),
    ]
}

/// The recurrent products of every (layer, direction) `idx` from its initial state
/// (`h0[idx]`, zeros when `None`), the last `idx` first, each from its last unit block
/// down: into `tok.gates[idx]` and, for GRU's n gate, `tok.nrec[idx]` (each sized by
/// [`sizes`]). `apack` holds one packed state: the direction scratch's, which the mirrored
/// steps do not use (their products are done).
pub(super) fn recurrent_first(
    p: &PackedRnn,
    n: usize,
    h0: Option<&[f32]>,
    tok: &mut TokenScratch,
    apack: &mut [f32],
) {
    let s = &p.spec;
    let (h, hp, g) = (s.hidden, p.hp, s.mode.gates());
    let [per_g, per_n] = sizes(p, n);
    let apack = &mut apack[..n.next_multiple_of(MR) * h];
    for idx in (0..p.dirs.len()).rev() {
        let cx = StepCtx {
            pd: &p.dirs[idx],
            mode: s.mode,
            hidden: h,
            hp,
            proj: None,
            clip: s.clip,
            n,
        };
        match h0 {
            Some(h0) => {
                let data = &h0[idx * n * h..][..n * h];
                pack_a(MatRef { data, rs: h, cs: 1 }, 0, n, 0, h, apack);
            }
            None => apack.fill(0.0),
        }
        let d = Products {
            gates: RawBuf::new(&mut tok.gates[idx * per_g..][..per_g]),
            beta: 0.0,
            nbuf: RawBuf::new(&mut tok.nrec[idx * per_n..][..per_n]),
            n_col: 0,
            n_ld: hp,
        };
        for hb in (0..hp / UNITS).rev() {
            let d = Products {
                n_col: hb * UNITS,
                ..d
            };
            let panels: [BlockDst; 4] = core::array::from_fn(|gi| d.dst(&cx, hb, gi, 0));
            let (block, rsb) = (cx.pd.wh.block(hb), cx.pd.wh.width);
            // All n < MR rows through the block's G panels at once, as the step's tail rows
            // go (not through the step's own product loop: a second caller keeps wasm-opt
            // from inlining it into the step, whose batch-1 kernel then ran 12% slower).
            // SAFETY: `d` views this function's exclusive borrows of `tok`'s buffers, and
            // the tiles lie in this block's columns and GRU window.
            unsafe { tile_rows_block(h, 1.0, apack, n, block, rsb, &panels[..g], d.gates, d.nbuf) };
        }
    }
}
