//! The fused-layer driver: validates a call, runs layers bottom-up and, per layer, each
//! direction over the time steps (spec section 8.6), writing outputs in place.

use super::gates::UNITS;
use super::packed::PackedDir;
use super::packed::PackedRnn;
use super::step::{step, OutView, StepBufs, StepCtx};
use super::workspace::{grow, DirScratch, Workspace};
use super::{Layout, Mode};
use crate::gemm::params::MR;
use crate::gemm::sgemm_packed_with;
use crate::par::{Inline, Parallel, RawBuf, Slots};

/// Largest input-projection buffer (f32 values, 8 MiB) before time is processed in chunks.
/// Chunking does not change results (each projected element is computed the same way);
/// unit tests use a tiny limit so that both the one-chunk and many-chunk paths run.
#[cfg(not(test))]
const XPROJ_FLOATS: usize = 1 << 21;
#[cfg(test)]
const XPROJ_FLOATS: usize = 512;

/// Product of sizes, or an error when it does not fit `usize` (32 bits on wasm32).
fn size(dims: &[usize]) -> Result<usize, String> {
    dims.iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .ok_or_else(|| format!("size {dims:?} overflows"))
}

fn check(name: &str, got: usize, want: Result<usize, String>) -> Result<(), String> {
    let want = want?;
    if got == want {
        Ok(())
    } else {
        Err(format!("{name}: expected {want} values, got {got}"))
    }
}

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
    check("input", x.len(), size(&[t, n, s.input_size]))?;
    check("output", out.len(), size(&[t, n, d, hs]))?;
    if let Some(h0) = h0 {
        check("initial hidden state", h0.len(), size(&[ld, n, hs]))?;
    }
    if let Some(hn) = hn.as_deref() {
        check("final hidden state", hn.len(), size(&[ld, n, hs]))?;
    }
    if !lstm && (c0.is_some() || cn.is_some()) {
        return Err("only LSTM has a cell state".into());
    }
    if let Some(c0) = c0 {
        check("initial cell state", c0.len(), size(&[ld, n, h]))?;
    }
    if let Some(cn) = cn.as_deref() {
        check("final cell state", cn.len(), size(&[ld, n, h]))?;
    }
    if let Some(v) = valid_len {
        check("sequence_length", v.len(), Ok(n))?;
        if let Some(bad) = v.iter().find(|&&l| l == 0 || l > t) {
            return Err(format!(
                "sequence_length values must be in [1, {t}], got {bad}"
            ));
        }
    }

    reserve(p, layout, t, n, ws)?;
    let Workspace {
        xin,
        layers,
        dir,
        parts,
    } = ws;
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
            (false, _) => OutView {
                data: grow(cur, t * n * width)?,
                ts: n * width,
                bs: width,
                off: 0,
                width: hs,
            },
            (true, Layout::Tnc) => OutView {
                data: &mut *out,
                ts: n * width,
                bs: width,
                off: 0,
                width: hs,
            },
            (true, Layout::Ntc) => OutView {
                data: &mut *out,
                ts: width,
                bs: t * width,
                off: 0,
                width: hs,
            },
        };
        for dr in 0..d {
            let idx = l * d + dr;
            view.off = dr * hs;
            let h0 = h0.map(|v| &v[idx * n * hs..][..n * hs]);
            let c0 = c0.map(|v| &v[idx * n * h..][..n * h]);
            let hn = hn.as_deref_mut().map(|v| &mut v[idx * n * hs..][..n * hs]);
            let cn = cn.as_deref_mut().map(|v| &mut v[idx * n * h..][..n * h]);
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
                &mut view,
                hn,
                cn,
                dir,
                parts,
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
    ws: &mut Workspace,
) -> Result<(), String> {
    let s = &p.spec;
    let (hp, proj) = (p.hp, s.projection);
    let cols = s.mode.gates() * hp;
    let layer_out = size(&[t, n, s.dirs(), s.out_size()]).unwrap_or(usize::MAX);
    let inner = s.num_layers.saturating_sub(1).min(2);
    let d = &mut ws.dir;
    let [l0, l1] = &mut ws.layers;
    let wants: [(&mut Vec<f32>, usize); 10] = [
        (
            &mut ws.xin,
            match layout {
                Layout::Ntc => size(&[t, n, s.input_size]).unwrap_or(usize::MAX),
                Layout::Tnc => 0,
            },
        ),
        (l0, if inner >= 1 { layer_out } else { 0 }),
        (l1, if inner >= 2 { layer_out } else { 0 }),
        (&mut d.hrec, n.saturating_mul(proj.unwrap_or(hp))),
        (&mut d.cstate, n.saturating_mul(hp)),
        (
            &mut d.apack,
            n.next_multiple_of(MR)
                .saturating_mul(proj.unwrap_or(s.hidden)),
        ),
        (&mut d.nbuf, n.saturating_mul(UNITS)),
        (&mut d.hfull, if proj.is_some() { n.saturating_mul(hp) } else { 0 }),
        (&mut d.rbuf, n.saturating_mul(proj.unwrap_or(0))),
        (
            &mut d.xproj,
            chunk_steps(t, n, cols).saturating_mul(n).saturating_mul(cols),
        ),
    ];
    let total = wants
        .iter()
        .fold(0usize, |a, (_, w)| a.saturating_add(*w));
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
    out: &mut OutView,
    hn: Option<&mut [f32]>,
    cn: Option<&mut [f32]>,
    s: &mut DirScratch,
    part_scratch: &mut Vec<Vec<f32>>,
    par: &dyn Parallel,
) -> Result<(), String> {
    let spec = &p.spec;
    let pd = &p.dirs[idx];
    let (h, hp, proj) = (spec.hidden, p.hp, spec.projection);
    let cols = spec.mode.gates() * hp;
    let (hs, ks, kh) = (spec.out_size(), proj.unwrap_or(hp), proj.unwrap_or(h));

    let step_macs = n.saturating_mul(cols).saturating_mul(kh);
    let parts = if par.threads() > 1 && step_macs >= par.min_parallel_macs() {
        par.threads().min(hp / UNITS)
    } else {
        1
    };
    if part_scratch.len() < parts {
        part_scratch.resize_with(parts, Vec::new);
    }
    let hrec = grow(&mut s.hrec, n * ks)?;
    let cstate = grow(&mut s.cstate, n * hp)?;
    hrec.fill(0.0);
    cstate.fill(0.0);
    for b in 0..n {
        if let Some(h0) = h0 {
            hrec[b * ks..][..hs].copy_from_slice(&h0[b * hs..][..hs]);
        }
        if let Some(c0) = c0 {
            cstate[b * hp..][..h].copy_from_slice(&c0[b * h..][..h]);
        }
    }
    let mut bufs = StepBufs {
        hrec,
        cstate,
        apack: grow(&mut s.apack, n.next_multiple_of(MR) * kh)?,
        nbuf: grow(&mut s.nbuf, parts * n * UNITS)?,
        hfull: grow(&mut s.hfull, if proj.is_some() { n * hp } else { 0 })?,
        rbuf: grow(&mut s.rbuf, n * proj.unwrap_or(0))?,
        gemm: &mut s.gemm,
    };
    let cx = StepCtx {
        pd,
        mode: spec.mode,
        hidden: h,
        hp,
        proj,
        clip: spec.clip,
        n,
    };
    // Time is cut into chunks whose input projection fits XPROJ_FLOATS, so memory stays
    // bounded for long sequences while each projection GEMM still has many rows.
    let chunk = chunk_steps(t, n, cols);
    let xproj = grow(&mut s.xproj, chunk * n * cols)?;
    for c in 0..t.div_ceil(chunk) {
        // Backward runs chunks from the end of the sequence.
        let (t0, t1) = if backward {
            (t.saturating_sub((c + 1) * chunk), t - c * chunk)
        } else {
            (c * chunk, t.min((c + 1) * chunk))
        };
        // x · Wi^T of the chunk's steps (beta = 0: the biases are added by the pointwise
        // step, which saves a pass over the buffer and the GEMM's read of C).
        let rows = (t1 - t0) * n;
        let xp = &mut xproj[..rows * cols];
        let x = &input[t0 * n * pd.ni..t1 * n * pd.ni];
        project(rows, cols, x, pd, xp, &mut part_scratch[..parts], par)?;
        for i in 0..t1 - t0 {
            let tt = if backward { t1 - 1 - i } else { t0 + i };
            let xt = &mut xp[(tt - t0) * n * cols..][..n * cols];
            step(&cx, tt, valid, xt, &mut bufs, out, par, parts)?;
        }
    }
    if let Some(hn) = hn {
        for b in 0..n {
            hn[b * hs..][..hs].copy_from_slice(&bufs.hrec[b * ks..][..hs]);
        }
    }
    if let Some(cn) = cn {
        for b in 0..n {
            cn[b * h..][..h].copy_from_slice(&bufs.cstate[b * hp..][..h]);
        }
    }
    Ok(())
}

/// `xp = x · Wi^T` for `rows` rows, split by rows over the parts (one packing scratch
/// each). Row blocks are independent, so the split does not change any bit.
fn project(
    rows: usize,
    cols: usize,
    x: &[f32],
    pd: &PackedDir,
    xp: &mut [f32],
    scratch: &mut [Vec<f32>],
    par: &dyn Parallel,
) -> Result<(), String> {
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
