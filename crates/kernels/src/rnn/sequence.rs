//! The fused-layer driver: validates a call, runs layers bottom-up and, per layer, each
//! direction over the time steps (spec section 8.6), writing outputs in place.

use super::gates::UNITS;
use super::packed::PackedRnn;
use super::step::{step, OutView, StepBufs, StepCtx, StepInput};
use super::token;
use super::workspace::{grow, DirScratch, Workspace};
use super::{check_len, Layout, Mode, RnnSpec};
use crate::alloc::elems;
use crate::gemm::params::MR;
use crate::gemm::sgemm_packed_with;
use crate::par::{Inline, Parallel, RawBuf, Slots};
use core::ops::Range;
use std::sync::Mutex;

/// Largest input-projection buffer (f32 values, 8 MiB) before time is processed in chunks.
/// Chunking does not change results (each projected element is computed the same way);
/// unit tests use a tiny limit so that both the one-chunk and many-chunk paths run.
#[cfg(not(test))]
const XPROJ_FLOATS: usize = 1 << 21;
#[cfg(test)]
const XPROJ_FLOATS: usize = 512;

/// Runs the whole stack over a sequence.
///
/// - `x`: `(T, N, C)` for [`Layout::Tnc`], `(N, T, C)` for [`Layout::Ntc`]; `C = input_size`.
/// - `h0` / `c0`: `(L*D, N, H')` / `(L*D, N, H)` (zeros when `None`); `c0` LSTM only.
/// - `valid_len`: per-sample lengths `1 <= len <= T`: outputs at `t >= len` are zero, a
///   forward state stops at `len - 1`, the backward direction starts at `len - 1`.
/// - `out`: `(T, N, D*H')` or `(N, T, D*H')`; `hn`: `(L*D, N, H')`; `cn`: `(L*D, N, H)`
///   (LSTM only, optional). `H' = P` with a projection, else `H`.
///
/// State index `layer * D + dir`; the backward direction writes channels `[H', 2H')`.
#[allow(clippy::too_many_arguments)]
pub fn rnn_forward(
    p: &PackedRnn,
    layout: Layout,
    t: usize,
    n: usize,
    x: &[f32],
    h0: Option<&[f32]>,
    c0: Option<&[f32]>,
    valid_len: Option<&[usize]>,
    out: &mut [f32],
    hn: &mut [f32],
    cn: Option<&mut [f32]>,
    ws: &mut Workspace,
) -> Result<(), String> {
    rnn_forward_par(
        p, layout, t, n, x, h0, c0, valid_len, out, hn, cn, ws, &Inline,
    )
}

/// [`rnn_forward`] with the work of each call split over `par` (a thread pool): the input
/// projection by rows, each time step by blocks of hidden units (so batch 1 parallelises
/// too). Results are bitwise identical to `rnn_forward` for any thread count. Steps smaller
/// than `par.min_parallel_macs()` stay on the calling thread.
#[allow(clippy::too_many_arguments)]
pub fn rnn_forward_par(
    p: &PackedRnn,
    layout: Layout,
    t: usize,
    n: usize,
    x: &[f32],
    h0: Option<&[f32]>,
    c0: Option<&[f32]>,
    valid_len: Option<&[usize]>,
    out: &mut [f32],
    hn: &mut [f32],
    cn: Option<&mut [f32]>,
    ws: &mut Workspace,
    par: &dyn Parallel,
) -> Result<(), String> {
    forward(
        p,
        layout,
        t,
        n,
        x,
        h0,
        c0,
        valid_len,
        out,
        Some(hn),
        cn,
        ws,
        par,
    )
}

/// `rnn_forward` with optional `hn` (a cell step's output already is its new h).
#[allow(clippy::too_many_arguments)]
pub(crate) fn forward(
    p: &PackedRnn,
    layout: Layout,
    t: usize,
    n: usize,
    x: &[f32],
    h0: Option<&[f32]>,
    c0: Option<&[f32]>,
    valid_len: Option<&[usize]>,
    out: &mut [f32],
    mut hn: Option<&mut [f32]>,
    mut cn: Option<&mut [f32]>,
    ws: &mut Workspace,
    par: &dyn Parallel,
) -> Result<(), String> {
    let s = &p.spec;
    let (ld, d, hs, h) = (s.num_layers * s.dirs(), s.dirs(), s.out_size(), s.hidden);
    let lstm = s.mode == Mode::Lstm;
    check_len("input", x.len(), elems(&[t, n, s.input_size])?)?;
    check_len("output", out.len(), elems(&[t, n, d, hs])?)?;
    if let Some(h0) = h0 {
        check_len("initial hidden state", h0.len(), elems(&[ld, n, hs])?)?;
    }
    if let Some(hn) = hn.as_deref() {
        check_len("final hidden state", hn.len(), elems(&[ld, n, hs])?)?;
    }
    if !lstm && (c0.is_some() || cn.is_some()) {
        return Err("only LSTM has a cell state".into());
    }
    if let Some(c0) = c0 {
        check_len("initial cell state", c0.len(), elems(&[ld, n, h])?)?;
    }
    if let Some(cn) = cn.as_deref() {
        check_len("final cell state", cn.len(), elems(&[ld, n, h])?)?;
    }
    if let Some(v) = valid_len {
        check_len("sequence_length", v.len(), n)?;
        if let Some(bad) = v.iter().find(|&&l| l == 0 || l > t) {
            return Err(format!(
                "sequence_length values must be in [1, {t}], got {bad}"
            ));
        }
    }

    let mirror = token::mirrored(p, t, n, par, &mut ws.token);
    reserve(p, layout, t, n, mirror.is_some(), ws)?;
    if let Some(parts) = mirror {
        token::recurrent_first(p, n, h0, &mut ws.token, par, parts)?;
    }
    let Workspace {
        xin,
        layers,
        xproj,
        dir,
        rows,
        parts,
        token,
    } = ws;
    let [per_g, per_n, _] = token::sizes(p, n);
    // Layer 0 reads time-major rows; an NTC input is transposed once.
    let x_tnc: &[f32] = match layout {
        Layout::Tnc => x,
        Layout::Ntc => {
            let c = s.input_size;
            let xt = grow(xin, t * n * c)?;
            // An empty sequence (or no features) has nothing to move; `chunks_exact(0)` panics.
            if t * c > 0 {
                for (b, sample) in x.chunks_exact(t * c).enumerate() {
                    for (tt, row) in sample.chunks_exact(c).enumerate() {
                        xt[(tt * n + b) * c..][..c].copy_from_slice(row);
                    }
                }
            }
            xt
        }
    };
    let width = d * hs;
    for l in 0..s.num_layers {
        let last = l + 1 == s.num_layers;
        let (l0, l1) = layers.split_at_mut(1);
        let (cur, prev) = if l % 2 == 0 {
            (&mut l0[0], &l1[0])
        } else {
            (&mut l1[0], &l0[0])
        };
        let input: &[f32] = if l == 0 {
            x_tnc
        } else {
            &prev[..t * n * width]
        };
        let mut view = match (last, layout) {
            (false, _) => OutView::new(grow(cur, t * n * width)?, n * width, width, hs),
            (true, Layout::Tnc) => OutView::new(&mut *out, n * width, width, hs),
            (true, Layout::Ntc) => OutView::new(&mut *out, width, t * width, hs),
        };
        for dr in 0..d {
            let idx = l * d + dr;
            view.off = dr * hs;
            let h0 = h0.map(|v| &v[idx * n * hs..][..n * hs]);
            let c0 = c0.map(|v| &v[idx * n * h..][..n * h]);
            let hn = hn.as_deref_mut().map(|v| &mut v[idx * n * hs..][..n * hs]);
            let cn = cn.as_deref_mut().map(|v| &mut v[idx * n * h..][..n * h]);
            let tok = mirror.map(|_| TokenDir {
                gates: &mut token.gates[idx * per_g..][..per_g],
                nrec: RawBuf::new(&mut token.nrec[idx * per_n..][..per_n]),
            });
            run_dir(
                p,
                idx,
                dr == 1,
                input,
                t,
                n,
                valid_len,
                h0,
                c0,
                view,
                hn,
                cn,
                Scratch {
                    xproj,
                    dir,
                    rows,
                    gemm: parts,
                    token: tok,
                },
                par,
            )?;
        }
    }
    Ok(())
}

/// Time steps whose input projection is computed at once (bounded by XPROJ_FLOATS).
fn chunk_steps(t: usize, n: usize, cols: usize) -> usize {
    (XPROJ_FLOATS / n.saturating_mul(cols).max(1)).clamp(1, t.max(1))
}

/// Grows every workspace buffer the call will use before any work, so that a call too large
/// for memory fails up front, saying what it needs, rather than part way through.
fn reserve(
    p: &PackedRnn,
    layout: Layout,
    t: usize,
    n: usize,
    mirror: bool,
    ws: &mut Workspace,
) -> Result<(), String> {
    let s = &p.spec;
    let hp = p.hp;
    let cols = s.mode.gates() * hp;
    let layer_out = elems(&[t, n, s.dirs(), s.out_size()]).unwrap_or(usize::MAX);
    let inner = s.num_layers.saturating_sub(1).min(2);
    let [l0, l1] = &mut ws.layers;
    let xin = match layout {
        Layout::Ntc => elems(&[t, n, s.input_size]).unwrap_or(usize::MAX),
        Layout::Tnc => 0,
    };
    let xproj = chunk_steps(t, n, cols)
        .saturating_mul(n)
        .saturating_mul(cols);
    let [d0, d1, d2, d3, d4, d5] = DirSizes::new(s, hp, n, 1).with(&mut ws.dir);
    // A mirrored token's buffers, per (layer, direction).
    let [tg, tn, ta] = if mirror {
        token::sizes(p, n).map(|v| v.saturating_mul(p.dirs.len()))
    } else {
        [0; 3]
    };
    let tok = &mut ws.token;
    let wants: [(&mut Vec<f32>, usize); 13] = [
        (&mut ws.xin, xin),
        (l0, if inner >= 1 { layer_out } else { 0 }),
        (l1, if inner >= 2 { layer_out } else { 0 }),
        d0,
        d1,
        d2,
        d3,
        d4,
        d5,
        (&mut ws.xproj, xproj),
        (&mut tok.gates, tg),
        (&mut tok.nrec, tn),
        (&mut tok.hpack, ta),
    ];
    let total = wants.iter().fold(0usize, |a, (_, w)| a.saturating_add(*w));
    for (v, want) in wants {
        if crate::alloc::grow(v, want, "recurrent workspace").is_err() {
            return Err(format!(
                "{}: the call needs {} bytes of recurrent workspace",
                crate::alloc::OUT_OF_MEMORY,
                total.saturating_mul(4)
            ));
        }
    }
    Ok(())
}

/// How one (layer, direction) spreads its recurrence over `par`: by batch rows (each part
/// runs every step of its own samples: one fork-join per chunk of steps), or, when the batch
/// is too small for that, each step by blocks of hidden units (batch 1 on wide layers).
/// Either way, only when the work of one fork-join reaches `par.min_parallel_macs()`.
pub(super) enum Split {
    Serial,
    /// This many parts of [`row_range`]s.
    Rows(usize),
    Units(usize),
}

/// Multiply-adds per part and step above which a batch too thin for two row tiles per part
/// splits each step by units instead (medium LSTM, N 16 on two threads: 1.05x, GRU
/// 0.99-1.04x; a one-gate RNN's step, a quarter of LSTM's, ran 0.87x: docs/performance-log.md).
const UNIT_SPLIT_MACS: usize = 1 << 20;

pub(super) fn plan(
    par: &dyn Parallel,
    t: usize,
    n: usize,
    cols: usize,
    kh: usize,
    hp: usize,
) -> Split {
    let step_macs = n.saturating_mul(cols).saturating_mul(kh);
    let threads = par.threads();
    if threads <= 1 {
        return Split::Serial;
    }
    // At least one row tile per part. Every kernel (full tile, rows tail) reduces an element
    // in the same k order with the same instructions, so any split gives bitwise identical
    // results, and `row_range` cuts equal halves.
    let row_parts = threads.min(n / MR);
    let units_ok = hp / UNITS >= 2;
    // Parts of fewer than two row tiles run a tile and a short tail each, slower per row
    // than one thread's tiles; a unit split keeps every part on all rows, at the price of a
    // fork-join and an exchange of h per step, which a step of enough work repays.
    let thin = n < 2 * MR * threads && step_macs >= threads.saturating_mul(UNIT_SPLIT_MACS);
    if row_parts >= 2
        && !(thin && units_ok)
        && step_macs.saturating_mul(t) >= par.min_parallel_macs()
    {
        return Split::Rows(row_parts);
    }
    if step_macs >= par.min_parallel_macs() && units_ok {
        return Split::Units(threads.min(hp / UNITS));
    }
    Split::Serial
}

/// Part `k` of `n` rows in `parts` contiguous ranges of (nearly) equal length (computed, not
/// collected: a steady-state call allocates nothing).
fn row_range(n: usize, parts: usize, k: usize) -> Range<usize> {
    n * k / parts..n * (k + 1) / parts
}

/// The workspace buffers one (layer, direction) uses.
struct Scratch<'a> {
    xproj: &'a mut Vec<f32>,
    dir: &'a mut DirScratch,
    rows: &'a mut Vec<DirScratch>,
    gemm: &'a mut Vec<Vec<f32>>,
    /// A mirrored token: this (layer, direction)'s recurrent products, computed first.
    token: Option<TokenDir<'a>>,
}

/// One (layer, direction)'s part of a mirrored token's buffers (`token.rs`): its gate
/// pre-activations, which already hold the recurrent products, and GRU's `W_hn h`.
struct TokenDir<'a> {
    gates: &'a mut [f32],
    nrec: RawBuf,
}

/// The fixed operands of one (layer, direction).
struct DirCall<'a> {
    p: &'a PackedRnn,
    idx: usize,
    backward: bool,
    input: &'a [f32],
    n: usize,
    valid: Option<&'a [usize]>,
}

/// One (layer, direction): input projection of all steps as one GEMM, then the recurrence.
#[allow(clippy::too_many_arguments)]
fn run_dir(
    p: &PackedRnn,
    idx: usize,
    backward: bool,
    input: &[f32],
    t: usize,
    n: usize,
    valid: Option<&[usize]>,
    h0: Option<&[f32]>,
    c0: Option<&[f32]>,
    out: OutView,
    mut hn: Option<&mut [f32]>,
    mut cn: Option<&mut [f32]>,
    scratch: Scratch,
    par: &dyn Parallel,
) -> Result<(), String> {
    let Scratch {
        xproj,
        dir: s,
        rows,
        gemm: part_scratch,
        mut token,
    } = scratch;
    let recurrent = token.as_ref().map(|tk| tk.nrec);
    let spec = &p.spec;
    let (h, hp, proj) = (spec.hidden, p.hp, spec.projection);
    let cols = spec.mode.gates() * hp;
    let kh = proj.unwrap_or(h);
    let call = DirCall {
        p,
        idx,
        backward,
        input,
        n,
        valid,
    };
    // A one-step call (a token) projects its input inside the step's parts: one fork-join
    // for the whole step, and each part keeps reading the same weight columns.
    let fused = t == 1;
    let ni = p.dirs[idx].ni;
    let split = plan(par, t, n, cols, kh + if fused { ni } else { 0 }, hp);
    // The input projection splits by rows whenever it is big enough on its own.
    let proj_parts = if par.threads() > 1
        && (n.saturating_mul(t.max(1)))
            .saturating_mul(cols)
            .saturating_mul(p.dirs[idx].ni)
            >= par.min_parallel_macs()
    {
        par.threads()
    } else {
        1
    };
    let unit_parts = match split {
        Split::Units(k) => k,
        _ => 1,
    };
    if part_scratch.len() < proj_parts.max(unit_parts) {
        part_scratch.resize_with(proj_parts.max(unit_parts), Vec::new);
    }
    let chunk = chunk_steps(t, n, cols);
    let xproj = grow(xproj, chunk * n * cols)?;
    let hs = spec.out_size();
    match split {
        Split::Rows(parts) => {
            assert!(
                token.is_none(),
                "a mirrored token has too few rows to split by rows"
            );
            while rows.len() < parts {
                rows.push(DirScratch::default());
            }
            for (k, sc) in rows.iter_mut().enumerate().take(parts) {
                let r = row_range(n, parts, k);
                let h0 = h0.map(|v| &v[r.start * hs..r.end * hs]);
                let c0 = c0.map(|v| &v[r.start * h..r.end * h]);
                init_states(spec, hp, r.len(), sc, h0, c0, 1)?;
            }
            let slots = Slots::new(&mut rows[..parts]);
            let failed = Mutex::new(None);
            for (t0, t1) in chunks(t, chunk, backward) {
                let xp = &mut xproj[..(t1 - t0) * n * cols];
                project(&call, t0, t1, xp, &mut part_scratch[..proj_parts], par)?;
                let xpb = RawBuf::new(xp);
                par.run(parts, &|k| {
                    let r = row_range(n, parts, k);
                    let view = out.at_row(r.start);
                    // SAFETY: part k alone uses slot k and, in every step, rows `r` of `xp`
                    // and of the outputs; the buffers are not otherwise used until `run`
                    // returns.
                    let res = unsafe {
                        steps(&call, r, t0, t1, xpb, view, slots.get(k), &Inline, 1, None)
                    };
                    if let Err(e) = res {
                        *failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
                    }
                })?;
                if let Some(e) = failed.lock().unwrap_or_else(|e| e.into_inner()).take() {
                    return Err(e);
                }
            }
            for (k, sc) in rows.iter().enumerate().take(parts) {
                let r = row_range(n, parts, k);
                let hn = hn.as_deref_mut().map(|v| &mut v[r.start * hs..r.end * hs]);
                let cn = cn.as_deref_mut().map(|v| &mut v[r.start * h..r.end * h]);
                final_states(spec, hp, r.len(), sc, hn, cn);
            }
        }
        Split::Serial | Split::Units(_) => {
            init_states(spec, hp, n, s, h0, c0, unit_parts)?;
            for (t0, t1) in chunks(t, chunk, backward) {
                let xp = match token.as_mut() {
                    Some(tk) => &mut *tk.gates,
                    None => &mut xproj[..(t1 - t0) * n * cols],
                };
                let input = if fused {
                    Some(StepInput {
                        x: input,
                        scratch: Slots::new(&mut part_scratch[..unit_parts]),
                        recurrent,
                    })
                } else {
                    project(&call, t0, t1, xp, &mut part_scratch[..proj_parts], par)?;
                    None
                };
                // SAFETY: this thread is the only user of `xp` and of the outputs meanwhile.
                unsafe {
                    steps(
                        &call,
                        0..n,
                        t0,
                        t1,
                        RawBuf::new(xp),
                        out,
                        s,
                        par,
                        unit_parts,
                        input.as_ref(),
                    )?
                };
            }
            final_states(spec, hp, n, s, hn, cn);
        }
    }
    Ok(())
}

/// The time chunks `(t0, t1)` of a direction in the order it runs them (backward: from the
/// end of the sequence).
fn chunks(t: usize, chunk: usize, backward: bool) -> impl Iterator<Item = (usize, usize)> {
    (0..t.div_ceil(chunk)).map(move |c| {
        if backward {
            (t.saturating_sub((c + 1) * chunk), t - c * chunk)
        } else {
            (c * chunk, t.min((c + 1) * chunk))
        }
    })
}

/// Floats each per-direction scratch buffer holds for `n` rows (`unit_parts` GRU block
/// buffers): one definition for reserving, sizing and slicing them.
struct DirSizes {
    hrec: usize,
    cstate: usize,
    apack: usize,
    nbuf: usize,
    hfull: usize,
    rbuf: usize,
}

impl DirSizes {
    fn new(spec: &RnnSpec, hp: usize, n: usize, unit_parts: usize) -> Self {
        let proj = spec.projection;
        DirSizes {
            hrec: n.saturating_mul(proj.unwrap_or(hp)),
            cstate: n.saturating_mul(hp),
            apack: n
                .next_multiple_of(MR)
                .saturating_mul(proj.unwrap_or(spec.hidden)),
            nbuf: unit_parts.saturating_mul(n).saturating_mul(UNITS),
            hfull: if proj.is_some() {
                n.saturating_mul(hp)
            } else {
                0
            },
            rbuf: n.saturating_mul(proj.unwrap_or(0)),
        }
    }

    /// The buffers of `sc` paired with their sizes.
    fn with<'a>(&self, sc: &'a mut DirScratch) -> [(&'a mut Vec<f32>, usize); 6] {
        [
            (&mut sc.hrec, self.hrec),
            (&mut sc.cstate, self.cstate),
            (&mut sc.apack, self.apack),
            (&mut sc.nbuf, self.nbuf),
            (&mut sc.hfull, self.hfull),
            (&mut sc.rbuf, self.rbuf),
        ]
    }
}

/// Sizes `sc` for `n` rows (`unit_parts` GRU block buffers) and loads the initial states
/// (zeros where not given).
fn init_states(
    spec: &RnnSpec,
    hp: usize,
    n: usize,
    sc: &mut DirScratch,
    h0: Option<&[f32]>,
    c0: Option<&[f32]>,
    unit_parts: usize,
) -> Result<(), String> {
    let (h, hs, ks) = (spec.hidden, spec.out_size(), spec.projection.unwrap_or(hp));
    for (v, len) in DirSizes::new(spec, hp, n, unit_parts).with(sc) {
        grow(v, len)?;
    }
    sc.hrec.fill(0.0);
    if let Some(h0) = h0 {
        for b in 0..n {
            sc.hrec[b * ks..][..hs].copy_from_slice(&h0[b * hs..][..hs]);
        }
    }
    sc.cstate.fill(0.0);
    if let Some(c0) = c0 {
        for b in 0..n {
            sc.cstate[b * hp..][..h].copy_from_slice(&c0[b * h..][..h]);
        }
    }
    Ok(())
}

/// Copies the final states of `n` rows out of `sc`.
fn final_states(
    spec: &RnnSpec,
    hp: usize,
    n: usize,
    sc: &DirScratch,
    hn: Option<&mut [f32]>,
    cn: Option<&mut [f32]>,
) {
    let (h, hs, ks) = (spec.hidden, spec.out_size(), spec.projection.unwrap_or(hp));
    if let Some(hn) = hn {
        for b in 0..n {
            hn[b * hs..][..hs].copy_from_slice(&sc.hrec[b * ks..][..hs]);
        }
    }
    if let Some(cn) = cn {
        for b in 0..n {
            cn[b * h..][..h].copy_from_slice(&sc.cstate[b * hp..][..h]);
        }
    }
}

/// Runs steps `t0..t1` (in the direction's order) for batch rows `rows` of the call: their
/// input projections are rows `rows` of each step's block of `xp`, their states live in `sc`
/// (sized by [`init_states`]), and each step's unit blocks split over `unit_parts` parts
/// (which also project `input`, in a one-step call).
///
/// # Safety
/// `xp` and `out` must be exclusively lent to this call for these rows, and stay alive.
#[allow(clippy::too_many_arguments)]
unsafe fn steps(
    call: &DirCall,
    rows: Range<usize>,
    t0: usize,
    t1: usize,
    xp: RawBuf,
    out: OutView,
    sc: &mut DirScratch,
    par: &dyn Parallel,
    unit_parts: usize,
    input: Option<&StepInput>,
) -> Result<(), String> {
    let spec = &call.p.spec;
    let (h, hp, proj) = (spec.hidden, call.p.hp, spec.projection);
    let cols = spec.mode.gates() * hp;
    let nb = rows.len();
    let cx = StepCtx {
        pd: &call.p.dirs[call.idx],
        mode: spec.mode,
        hidden: h,
        hp,
        proj,
        clip: spec.clip,
        n: nb,
    };
    let valid = call.valid.map(|v| &v[rows.clone()]);
    let z = DirSizes::new(spec, hp, nb, unit_parts);
    let mut bufs = StepBufs {
        hrec: &mut sc.hrec[..z.hrec],
        cstate: &mut sc.cstate[..z.cstate],
        apack: &mut sc.apack[..z.apack],
        nbuf: &mut sc.nbuf[..z.nbuf],
        hfull: &mut sc.hfull[..z.hfull],
        rbuf: &mut sc.rbuf[..z.rbuf],
        gemm: &mut sc.gemm,
    };
    for i in 0..t1 - t0 {
        let tt = if call.backward { t1 - 1 - i } else { t0 + i };
        // SAFETY: rows `rows` of step tt's block of `xp` (the caller's contract).
        let xt = unsafe { xp.slice(((tt - t0) * call.n + rows.start) * cols, nb * cols) };
        step(&cx, tt, valid, xt, &mut bufs, &out, par, unit_parts, input)?;
    }
    Ok(())
}

/// `xp = x · Wi^T` for the rows of steps `t0..t1`, split by rows over the parts (one packing
/// scratch each). Row blocks are independent, so the split does not change any bit.
fn project(
    call: &DirCall,
    t0: usize,
    t1: usize,
    xp: &mut [f32],
    scratch: &mut [Vec<f32>],
    par: &dyn Parallel,
) -> Result<(), String> {
    let pd = &call.p.dirs[call.idx];
    let n = call.n;
    let rows = (t1 - t0) * n;
    let cols = call.p.spec.mode.gates() * call.p.hp;
    // beta = 0: the biases are added by the pointwise step, which saves a pass over the
    // buffer and the GEMM's read of C.
    let x = &call.input[t0 * n * pd.ni..t1 * n * pd.ni];
    let parts = scratch.len().min(rows.div_ceil(MR)).max(1);
    if parts == 1 {
        sgemm_packed_with(
            rows,
            0..cols,
            1.0,
            x,
            pd.ni,
            &pd.wi,
            0.0,
            xp,
            cols,
            &mut scratch[0],
        );
        return Ok(());
    }
    let blocks = rows.div_ceil(MR);
    let range = |p: usize| {
        ((blocks * p / parts) * MR).min(rows)..((blocks * (p + 1) / parts) * MR).min(rows)
    };
    let xpb = RawBuf::new(xp);
    let slots = Slots::new(scratch);
    par.run(parts, &|p| {
        let r = range(p);
        // SAFETY: parts get disjoint row ranges of `xp` and distinct scratch slots; both
        // buffers are exclusively borrowed for the duration of `run`.
        let (c, scr) = unsafe { (xpb.slice(r.start * cols, r.len() * cols), slots.get(p)) };
        let a = &x[r.start * pd.ni..r.end * pd.ni];
        sgemm_packed_with(r.len(), 0..cols, 1.0, a, pd.ni, &pd.wi, 0.0, c, cols, scr);
    })
}
