//! One time step of one direction: the recurrent GEMM against the packed `h2h` panels,
//! accumulated in place onto that step's input projection, fused per block of hidden units
//! with the gate nonlinearities (the block's gates are still in L1).

use super::gates::{GRU_N, UNITS};
use super::packed::PackedDir;
use super::{pointwise, Mode, StateClip};
use crate::gemm::params::{MR, NR};
use crate::gemm::{pack_a, sgemm_packed_with, tile, tile_rows, MatRef, RowsDst};

/// Destination of a direction's outputs: row (t, b) is
/// `data[t * ts + b * bs + off..][..width]`.
pub(crate) struct OutView<'a> {
    pub data: &'a mut [f32],
    pub ts: usize,
    pub bs: usize,
    pub off: usize,
    pub width: usize,
}

impl OutView<'_> {
    #[inline]
    pub fn row(&mut self, t: usize, b: usize) -> &mut [f32] {
        &mut self.data[t * self.ts + b * self.bs + self.off..][..self.width]
    }
}

/// Fixed facts of a direction.
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
    /// GRU `W_hn h` of one block, `(n, UNITS)`.
    pub nbuf: &'a mut [f32],
    /// LSTMP: unprojected h `(n, hp)` and projected r `(n, P)`.
    pub hfull: &'a mut [f32],
    pub rbuf: &'a mut [f32],
    pub gemm: &'a mut Vec<f32>,
}

/// Runs time step `t`: `xproj_t` (`n` rows of `G*hp` packed gate columns, input projection
/// plus biases) receives `h_prev · Wh^T` in place, then the nonlinearities update the states
/// and write the outputs. Rows with `t >= valid[b]` keep their state and output zeros.
pub(crate) fn step(
    cx: &StepCtx,
    t: usize,
    valid: Option<&[usize]>,
    xproj_t: &mut [f32],
    s: &mut StepBufs,
    out: &mut OutView,
) {
    let (n, hp, h) = (cx.n, cx.hp, cx.hidden);
    let g = cx.mode.gates();
    let cols = g * hp;
    let kh = cx.proj.unwrap_or(h);
    let ks = cx.proj.unwrap_or(hp);
    let active = |b: usize| valid.is_none_or(|v| t < v[b]);

    // The previous state becomes the packed A operand, so the states can be updated in
    // place below while later unit blocks still multiply the old values.
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
    let (full, tail) = (n / MR, n % MR);

    for hb in 0..hp / UNITS {
        // GEMM for this block's G panels (one NR-column panel per gate).
        for gi in 0..g {
            let jp = hb * g + gi;
            let b_panel = cx.pd.wh.panel(jp);
            let gru_n = cx.mode == Mode::Gru && gi == GRU_N;
            for ip in 0..full {
                let a_panel = &s.apack[ip * kh * MR..][..kh * MR];
                if gru_n {
                    // Kept apart: the reset gate multiplies (W_hn h + b_hn) only.
                    let off = ip * MR * UNITS;
                    tile(
                        kh,
                        1.0,
                        a_panel,
                        b_panel,
                        0.0,
                        s.nbuf,
                        off,
                        UNITS,
                        MR,
                        0..NR,
                    );
                } else {
                    let off = ip * MR * cols + jp * NR;
                    tile(
                        kh,
                        1.0,
                        a_panel,
                        b_panel,
                        1.0,
                        xproj_t,
                        off,
                        cols,
                        MR,
                        0..NR,
                    );
                }
            }
        }
        if tail > 0 {
            // The last rows (all of them when n < MR) go through all G panels at once.
            let r0 = full * MR;
            let dst = |gi: usize| {
                let jp = hb * g + gi;
                let b_panel = cx.pd.wh.panel(jp);
                if cx.mode == Mode::Gru && gi == GRU_N {
                    RowsDst {
                        b_panel,
                        off: r0 * UNITS,
                        ldc: UNITS,
                        beta: 0.0,
                        second: true,
                    }
                } else {
                    let off = r0 * cols + jp * NR;
                    RowsDst {
                        b_panel,
                        off,
                        ldc: cols,
                        beta: 1.0,
                        second: false,
                    }
                }
            };
            let panels = [
                dst(0),
                dst(1.min(g - 1)),
                dst(2.min(g - 1)),
                dst(3.min(g - 1)),
            ];
            let a_panel = &s.apack[full * kh * MR..][..kh * MR];
            tile_rows(kh, 1.0, a_panel, tail, &panels[..g], xproj_t, s.nbuf);
        }
        // Nonlinearities for the block's units, row by row.
        let u0 = hb * UNITS;
        let w = UNITS.min(h - u0);
        for b in (0..n).filter(|&b| active(b)) {
            let gb = &xproj_t[b * cols + hb * g * UNITS..][..g * UNITS];
            let hs = b * hp + u0..b * hp + u0 + UNITS;
            match cx.mode {
                Mode::Lstm => {
                    let hdst = if cx.proj.is_some() {
                        &mut s.hfull[hs.clone()]
                    } else {
                        &mut s.hrec[hs.clone()]
                    };
                    pointwise::lstm(gb, &mut s.cstate[hs.clone()], hdst, cx.clip);
                }
                Mode::Gru => {
                    let hn = &s.nbuf[b * UNITS..][..UNITS];
                    pointwise::gru(gb, hn, &cx.pd.bhn[u0..u0 + UNITS], &mut s.hrec[hs.clone()]);
                }
                Mode::RnnRelu | Mode::RnnTanh => {
                    pointwise::vanilla(gb, cx.mode == Mode::RnnRelu, &mut s.hrec[hs.clone()]);
                }
            }
            if cx.proj.is_none() {
                out.row(t, b)[u0..u0 + w].copy_from_slice(&s.hrec[hs][..w]);
            }
        }
    }

    // LSTMP: r = h · Whr^T becomes the output and the recurrent state of active rows.
    if let (Some(p), Some(whr)) = (cx.proj, cx.pd.whr.as_ref()) {
        sgemm_packed_with(n, 0..p, 1.0, s.hfull, hp, whr, 0.0, s.rbuf, p, s.gemm);
        for b in (0..n).filter(|&b| active(b)) {
            let r = &s.rbuf[b * p..][..p];
            s.hrec[b * p..][..p].copy_from_slice(r);
            out.row(t, b).copy_from_slice(r);
        }
    }
    for b in (0..n).filter(|&b| !active(b)) {
        out.row(t, b).fill(0.0);
    }
}
