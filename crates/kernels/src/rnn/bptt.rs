//! Training of a fused stack: a forward that keeps a reserve space (cuDNN's / MXNet's
//! `reserve_space`: per layer and direction the saved gate activations, the states entering
//! every step and the layer inputs) and the backward through time that turns it into the
//! gradients of the input, the begin states and every weight and bias.
//!
//! Semantics are those of [`super::rnn_forward`] (src/operator/rnn_impl.h; cuDNN's valid
//! lengths), with inter-layer dropout given as masks (the caller draws them, so they come
//! from the same generator as nd.Dropout). Per (layer, direction) the input projection, the
//! weight gradients and the input gradient are one GEMM each over all T*N rows (as cuDNN
//! does); per step one GEMM against the recurrent weights plus the pointwise kernels of
//! [`super::backward`]. The big GEMMs split over `par`; the per-step ones stay on the calling
//! thread (small: N rows).
//!
//! LSTMP (projection `r = W_hr h`) is covered: the recurrent state and the output are `r`,
//! the per-step projection is one more GEMM and its weight gradient one more batched GEMM.
//! Not supported: `state_clip_nan` (no gradient is defined for it; the TypeScript layer
//! keeps its differentiable-op path, which refuses it).

use super::backward::{gru_bwd, gru_fwd, lstm_bwd, lstm_fwd, vanilla_bwd, vanilla_fwd};
use super::{check_len, DirParams, Layout, Mode, RnnParams, RnnSpec};
use crate::alloc::elems;
use crate::gemm::{sgemm_packed_par, sgemm_par, PackedB};
use crate::par::Parallel;

/// What one (layer, direction) keeps for the backward, time-major (row `t * N + b`).
#[derive(Default)]
struct DirSave {
    /// Saved activations ([`super::backward`]), `save_width` per row.
    act: Vec<f32>,
    /// The recurrent state entering each step (H', i.e. P with a projection, per row).
    hprev: Vec<f32>,
    /// LSTMP: `o * tanh(c)` of each step (H per row), the projection's input.
    hfull: Vec<f32>,
    /// LSTM: the cell state entering and leaving each step.
    cprev: Vec<f32>,
    cnew: Vec<f32>,
}

/// The call the saved state belongs to.
#[derive(Clone, Copy)]
struct Shape {
    spec: RnnSpec,
    t: usize,
    n: usize,
    layout: Layout,
    has_valid: bool,
}

/// The reserve space of the latest [`train_forward`] plus the backward's scratch. Buffers
/// grow to the largest call and are reused, so its size is bounded by one call's needs.
#[derive(Default)]
pub struct TrainState {
    shape: Option<Shape>,
    valid: Vec<usize>,
    /// Per layer: its input (T, N, ni), dropout applied.
    inputs: Vec<Vec<f32>>,
    /// Per layer l >= 1: the dropout mask applied to its input (empty: none).
    masks: Vec<Vec<f32>>,
    dirs: Vec<DirSave>,
    y: Vec<f32>,
    hcur: Vec<f32>,
    ccur: Vec<f32>,
    rbuf: Vec<f32>,
    da: Vec<f32>,
    dr: Vec<f32>,
    dp: Vec<f32>,
    dy: Vec<f32>,
    dx: Vec<f32>,
    dnext: Vec<f32>,
    gemm: Vec<f32>,
}

impl TrainState {
    pub fn new() -> Self {
        Self::default()
    }

    /// Floats held (for memory accounting).
    pub fn floats(&self) -> usize {
        let vecs = |v: &[Vec<f32>]| v.iter().map(Vec::capacity).sum::<usize>();
        let dirs: usize = self
            .dirs
            .iter()
            .map(|d| {
                d.act.capacity()
                    + d.hprev.capacity()
                    + d.hfull.capacity()
                    + d.cprev.capacity()
                    + d.cnew.capacity()
            })
            .sum();
        vecs(&self.inputs)
            + vecs(&self.masks)
            + dirs
            + [
                &self.y,
                &self.hcur,
                &self.ccur,
                &self.rbuf,
                &self.da,
                &self.dr,
                &self.dp,
                &self.dy,
                &self.dx,
                &self.dnext,
                &self.gemm,
            ]
            .iter()
            .map(|v| v.capacity())
            .sum::<usize>()
    }

    /// Forgets the saved forward (a backward then fails until the next forward); the buffers
    /// stay for reuse.
    pub fn clear(&mut self) {
        self.shape = None;
    }
}

/// `dst` = `src`, or zeros without one (a state or its gradient that the caller left out).
fn copy_or_zero(dst: &mut [f32], src: Option<&[f32]>) {
    match src {
        Some(v) => dst.copy_from_slice(v),
        None => dst.fill(0.0),
    }
}

fn buf(v: &mut Vec<f32>, len: usize) -> Result<&mut [f32], String> {
    crate::alloc::grow(v, len, "recurrent training state")
}

/// Floats saved per row and step.
fn save_width(mode: Mode, h: usize) -> usize {
    match mode {
        Mode::Lstm | Mode::Gru => 4 * h,
        Mode::RnnRelu | Mode::RnnTanh => h,
    }
}

/// Whether this module trains `spec` (see the module note).
pub fn train_supported(spec: &RnnSpec) -> Result<(), String> {
    if spec.num_layers == 0 {
        return Err("num_layers must be at least 1".into());
    }
    if spec.projection.is_some() && spec.mode != Mode::Lstm {
        return Err("projection applies to LSTM only".into());
    }
    if spec.projection == Some(0) {
        return Err("projection_size must be positive".into());
    }
    if spec.clip.is_some_and(|c| c.nan) {
        return Err("training: state_clip_nan has no backward".into());
    }
    if spec.clip.is_some() && spec.mode != Mode::Lstm {
        return Err("state clipping applies to LSTM only".into());
    }
    Ok(())
}

/// Checks every parameter's length against `spec`.
fn check_params(spec: &RnnSpec, params: &RnnParams) -> Result<(), String> {
    let (gh, h, d) = (spec.mode.gates() * spec.hidden, spec.hidden, spec.dirs());
    let hs = spec.out_size();
    check_len("parameter groups", params.dirs.len(), spec.num_layers * d)?;
    for (idx, p) in params.dirs.iter().enumerate() {
        let name = format!("{}{}", ["l", "r"][idx % d], idx / d);
        let ni = spec.layer_input(idx / d);
        check_len(
            &format!("{name}_i2h_weight"),
            p.i2h_weight.len(),
            elems(&[gh, ni])?,
        )?;
        check_len(
            &format!("{name}_h2h_weight"),
            p.h2h_weight.len(),
            elems(&[gh, hs])?,
        )?;
        check_len(&format!("{name}_i2h_bias"), p.i2h_bias.len(), gh)?;
        check_len(&format!("{name}_h2h_bias"), p.h2h_bias.len(), gh)?;
        let want = spec.projection.map(|pp| pp * h);
        if p.h2r_weight.map(<[f32]>::len) != want {
            let show = |v: Option<usize>| v.map_or("none".to_string(), |w| w.to_string());
            return Err(format!(
                "{name}_h2r_weight: expected {} values, got {}",
                show(want),
                show(p.h2r_weight.map(<[f32]>::len))
            ));
        }
    }
    Ok(())
}

/// Floats of the parameters of one direction of layer `l`.
fn dir_floats(spec: &RnnSpec, l: usize) -> Result<usize, String> {
    let gh = spec.mode.gates() * spec.hidden;
    let proj = spec.projection.map_or(0, |p| p * spec.hidden);
    elems(&[gh, spec.layer_input(l) + spec.out_size() + 2])?
        .checked_add(proj)
        .ok_or_else(|| "weights: size overflows".to_string())
}

/// Floats of the flat weight gradient of [`train_backward`]: per (layer, direction)
/// `i2h_weight, h2h_weight, i2h_bias, h2h_bias[, h2r_weight]` (Gluon's order and shapes).
pub fn weight_floats(spec: &RnnSpec) -> Result<usize, String> {
    let d = spec.dirs();
    (0..spec.num_layers * d).try_fold(0usize, |acc, idx| {
        dir_floats(spec, idx / d)?
            .checked_add(acc)
            .ok_or_else(|| "weights: size overflows".to_string())
    })
}

/// Copies `(N, T, C)` into time-major `(T, N, C)` (or just copies TNC).
fn to_tnc(layout: Layout, src: &[f32], dst: &mut [f32], t: usize, n: usize, c: usize) {
    match layout {
        Layout::Tnc => dst.copy_from_slice(src),
        Layout::Ntc => {
            for b in 0..n {
                for tt in 0..t {
                    dst[(tt * n + b) * c..][..c].copy_from_slice(&src[(b * t + tt) * c..][..c]);
                }
            }
        }
    }
}

/// Inverse of [`to_tnc`].
fn from_tnc(layout: Layout, src: &[f32], dst: &mut [f32], t: usize, n: usize, c: usize) {
    match layout {
        Layout::Tnc => dst.copy_from_slice(src),
        Layout::Ntc => {
            for b in 0..n {
                for tt in 0..t {
                    dst[(b * t + tt) * c..][..c].copy_from_slice(&src[(tt * n + b) * c..][..c]);
                }
            }
        }
    }
}

/// The training forward: same contract and results (up to rounding) as
/// [`super::rnn_forward`], plus `masks`: `(L - 1)` dropout masks of `(T, N, D*H')` values
/// (time-major whatever the layout; `0` or `1/(1-p)`), multiplied into the input of layers
/// 1.. . Keeps in `st` what [`train_backward`] needs, replacing any earlier call's.
#[allow(clippy::too_many_arguments)]
pub fn train_forward(
    st: &mut TrainState,
    spec: &RnnSpec,
    params: &RnnParams,
    layout: Layout,
    t: usize,
    n: usize,
    x: &[f32],
    h0: Option<&[f32]>,
    c0: Option<&[f32]>,
    valid_len: Option<&[usize]>,
    masks: Option<&[f32]>,
    out: &mut [f32],
    hn: &mut [f32],
    cn: Option<&mut [f32]>,
    par: &dyn Parallel,
) -> Result<(), String> {
    train_supported(spec)?;
    check_params(spec, params)?;
    st.shape = None;
    let (d, h, layers, hs) = (spec.dirs(), spec.hidden, spec.num_layers, spec.out_size());
    let lstm = spec.mode == Mode::Lstm;
    let ld = layers * d;
    let width = d * hs;
    let tnw = elems(&[t, n, width])?;
    check_len("input", x.len(), elems(&[t, n, spec.input_size])?)?;
    check_len("output", out.len(), tnw)?;
    check_len("final hidden state", hn.len(), elems(&[ld, n, hs])?)?;
    if let Some(h0) = h0 {
        check_len("initial hidden state", h0.len(), elems(&[ld, n, hs])?)?;
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
    if let Some(m) = masks {
        check_len("dropout masks", m.len(), elems(&[layers - 1, tnw])?)?;
    }
    if let Some(v) = valid_len {
        check_len("sequence_length", v.len(), n)?;
        if let Some(bad) = v.iter().find(|&&l| l == 0 || l > t) {
            return Err(format!(
                "sequence_length values must be in [1, {t}], got {bad}"
            ));
        }
    }
    st.valid.clear();
    if let Some(v) = valid_len {
        st.valid
            .try_reserve(v.len())
            .map_err(|_| format!("{}: sequence_length", crate::alloc::OUT_OF_MEMORY))?;
        st.valid.extend_from_slice(v);
    }
    let TrainState {
        valid,
        inputs,
        masks: saved_masks,
        dirs,
        y: ylast,
        hcur,
        ccur,
        rbuf,
        gemm,
        ..
    } = st;
    let valid = valid_len.map(|_| &valid[..]);
    inputs.resize_with(inputs.len().max(layers), Vec::new);
    saved_masks.resize_with(saved_masks.len().max(layers), Vec::new);
    dirs.resize_with(dirs.len().max(ld), DirSave::default);
    to_tnc(
        layout,
        x,
        buf(&mut inputs[0], x.len())?,
        t,
        n,
        spec.input_size,
    );
    let mut cn = cn;
    for l in 0..layers {
        let ni = spec.layer_input(l);
        let (below, above) = inputs.split_at_mut(l + 1);
        let xin = &below[l][..t * n * ni];
        let y = if l + 1 < layers {
            buf(&mut above[0], tnw)?
        } else {
            buf(ylast, tnw)?
        };
        for dr in 0..d {
            let idx = l * d + dr;
            let hstates = idx * n * hs..(idx + 1) * n * hs;
            let cstates = idx * n * h..(idx + 1) * n * h;
            run_dir_forward(
                spec,
                &params.dirs[idx],
                DirIo {
                    reverse: dr == 1,
                    xin,
                    ni,
                    t,
                    n,
                    valid,
                    y: &mut *y,
                    off: dr * hs,
                },
                h0.map(|v| &v[hstates.clone()]),
                c0.map(|v| &v[cstates.clone()]),
                &mut hn[hstates],
                cn.as_deref_mut().map(|v| &mut v[cstates]),
                &mut dirs[idx],
                [&mut *hcur, &mut *ccur, &mut *rbuf, &mut *gemm],
                par,
            )?;
        }
        if l + 1 < layers {
            let saved = &mut saved_masks[l + 1];
            saved.clear();
            if let Some(m) = masks {
                let m = &m[l * tnw..(l + 1) * tnw];
                let s = buf(saved, tnw)?;
                s.copy_from_slice(m);
                y.iter_mut().zip(m).for_each(|(v, k)| *v *= k);
            }
        }
    }
    from_tnc(layout, &ylast[..tnw], out, t, n, width);
    st.shape = Some(Shape {
        spec: *spec,
        t,
        n,
        layout,
        has_valid: valid_len.is_some(),
    });
    Ok(())
}

/// The sequence operands of one (layer, direction).
struct DirIo<'a> {
    reverse: bool,
    /// Layer input, `(T, N, ni)`.
    xin: &'a [f32],
    ni: usize,
    t: usize,
    n: usize,
    valid: Option<&'a [usize]>,
    /// Layer output `(T, N, D*H')`; this direction writes channels `off..off + H'`.
    y: &'a mut [f32],
    off: usize,
}

/// Whether sample `b` runs step `tt` (cuDNN: steps at or past the length are skipped, so a
/// reverse direction starts at the last valid step).
#[inline]
fn active(valid: Option<&[usize]>, b: usize, tt: usize) -> bool {
    valid.is_none_or(|v| tt < v[b])
}

#[allow(clippy::too_many_arguments)]
fn run_dir_forward(
    spec: &RnnSpec,
    p: &DirParams,
    io: DirIo,
    h0: Option<&[f32]>,
    c0: Option<&[f32]>,
    hn: &mut [f32],
    cn: Option<&mut [f32]>,
    save: &mut DirSave,
    [hcur, ccur, rbuf, gemm]: [&mut Vec<f32>; 4],
    par: &dyn Parallel,
) -> Result<(), String> {
    // One packing scratch: the parts past it use their thread's own.
    let gemm = core::slice::from_mut(gemm);
    let DirIo {
        reverse,
        xin,
        ni,
        t,
        n,
        valid,
        y,
        off,
    } = io;
    let (mode, h, hs) = (spec.mode, spec.hidden, spec.out_size());
    let (gh, s, width) = (mode.gates() * h, save_width(mode, h), spec.dirs() * hs);
    let (lstm, gru) = (mode == Mode::Lstm, mode == Mode::Gru);
    let proj = spec.projection;
    let rows = t * n;
    let DirSave {
        act,
        hprev,
        hfull,
        cprev,
        cnew,
    } = save;
    let act = buf(act, rows * s)?;
    let hprev = buf(hprev, rows * hs)?;
    let hfull = buf(hfull, if proj.is_some() { rows * h } else { 0 })?;
    let cl = if lstm { rows * h } else { 0 };
    let (cprev, cnew) = (buf(cprev, cl)?, buf(cnew, cl)?);
    // The input projection of every step at once; the recurrent bias joins it except GRU's,
    // whose n block the reset gate scales.
    sgemm_par(
        false,
        true,
        rows,
        gh,
        ni,
        1.0,
        xin,
        ni,
        p.i2h_weight,
        ni,
        0.0,
        act,
        s,
        par,
    )?;
    for row in act.chunks_exact_mut(s.max(1)).take(rows) {
        for (j, v) in row[..gh].iter_mut().enumerate() {
            *v += if gru {
                p.i2h_bias[j]
            } else {
                p.i2h_bias[j] + p.h2h_bias[j]
            };
        }
    }
    let pk = PackedB::new(true, hs, gh, p.h2h_weight, hs);
    // LSTMP: op(B) = W_hr^T (H x P), the per-step projection r = h W_hr^T.
    let pkr = proj.map(|pp| PackedB::new(true, h, pp, p.h2r_weight.unwrap_or(&[]), h));
    let hc = buf(hcur, n * hs)?;
    copy_or_zero(hc, h0);
    let cc = buf(ccur, if lstm { n * h } else { 0 })?;
    copy_or_zero(cc, c0);
    let side = if gru {
        n * gh
    } else if proj.is_some() {
        n * hs
    } else {
        0
    };
    let rb = buf(rbuf, side)?;
    for k in 0..t {
        let tt = if reverse { t - 1 - k } else { k };
        hprev[tt * n * hs..(tt + 1) * n * hs].copy_from_slice(hc);
        let cblock = tt * n * h..(tt + 1) * n * h;
        if lstm {
            cprev[cblock.clone()].copy_from_slice(cc);
        }
        let a = &mut act[tt * n * s..(tt + 1) * n * s];
        // GRU keeps h W_h^T apart (its reset gate scales a part of it); the others add it on.
        let (c, beta, ldc) = if gru {
            (&mut *rb, 0.0, gh)
        } else {
            (&mut *a, 1.0, s)
        };
        sgemm_packed_par(n, 0..gh, 1.0, hc, hs, &pk, beta, c, ldc, gemm, par)?;
        for b in 0..n {
            let arow = &mut a[b * s..(b + 1) * s];
            let (hrow, crow) = (b * hs..(b + 1) * hs, b * h..(b + 1) * h);
            if !active(valid, b, tt) {
                if lstm {
                    cnew[cblock.start + b * h..][..h].copy_from_slice(&cc[crow]);
                }
                if proj.is_some() {
                    // Zero, not stale: the batched W_hr gradient reads every row.
                    hfull[cblock.start + b * h..][..h].fill(0.0);
                }
                continue;
            }
            match mode {
                Mode::Lstm => {
                    let hdst = if proj.is_some() {
                        &mut hfull[cblock.start + b * h..][..h]
                    } else {
                        &mut hc[hrow]
                    };
                    lstm_fwd(arow, &mut cc[crow.clone()], hdst, spec.clip);
                    cnew[cblock.start + b * h..][..h].copy_from_slice(&cc[crow]);
                }
                Mode::Gru => gru_fwd(arow, &rb[b * gh..(b + 1) * gh], p.h2h_bias, &mut hc[hrow]),
                Mode::RnnTanh | Mode::RnnRelu => {
                    vanilla_fwd(arow, mode == Mode::RnnRelu, &mut hc[hrow])
                }
            }
        }
        if let (Some(pp), Some(pkr)) = (proj, &pkr) {
            let hf = &hfull[cblock];
            sgemm_packed_par(n, 0..pp, 1.0, hf, h, pkr, 0.0, rb, pp, gemm, par)?;
            for b in 0..n {
                if active(valid, b, tt) {
                    hc[b * hs..(b + 1) * hs].copy_from_slice(&rb[b * hs..(b + 1) * hs]);
                }
            }
        }
        for b in 0..n {
            let yrow = &mut y[(tt * n + b) * width + off..][..hs];
            if active(valid, b, tt) {
                yrow.copy_from_slice(&hc[b * hs..(b + 1) * hs]);
            } else {
                yrow.fill(0.0);
            }
        }
    }
    hn.copy_from_slice(hc);
    if let Some(cn) = cn {
        cn.copy_from_slice(cc);
    }
    Ok(())
}

/// Gradients of one (layer, direction)'s parameters.
struct DirGrads<'a> {
    i2h_weight: &'a mut [f32],
    h2h_weight: &'a mut [f32],
    i2h_bias: &'a mut [f32],
    h2h_bias: &'a mut [f32],
    h2r_weight: &'a mut [f32],
}

/// Backward through time of the latest [`train_forward`] (with the same `params`).
///
/// - `dout`: gradient of the output (the forward's layout); `dhn` / `dcn`: of the final
///   states (`None`: zero; `dcn` LSTM only).
/// - Writes `dx` (the input's layout), `dh0` (`(L*D, N, H')`), `dc0` (LSTM, `(L*D, N, H)`)
///   and `dweights`: per (layer, direction) `i2h_weight, h2h_weight, i2h_bias, h2h_bias[,
///   h2r_weight]` flattened ([`weight_floats`] values). Every output is overwritten.
///
/// The saved state stays, so the backward may run again (`retain_graph`).
#[allow(clippy::too_many_arguments)]
pub fn train_backward(
    st: &mut TrainState,
    params: &RnnParams,
    dout: &[f32],
    dhn: Option<&[f32]>,
    dcn: Option<&[f32]>,
    dx: &mut [f32],
    dh0: &mut [f32],
    dc0: Option<&mut [f32]>,
    dweights: &mut [f32],
    par: &dyn Parallel,
) -> Result<(), String> {
    let Some(Shape {
        spec,
        t,
        n,
        layout,
        has_valid,
    }) = st.shape
    else {
        return Err("training backward: no saved forward (run the training forward first)".into());
    };
    check_params(&spec, params)?;
    let (d, h, layers, hs) = (spec.dirs(), spec.hidden, spec.num_layers, spec.out_size());
    let (mode, gh) = (spec.mode, spec.mode.gates() * spec.hidden);
    let lstm = mode == Mode::Lstm;
    let ld = layers * d;
    let width = d * hs;
    let tnw = elems(&[t, n, width])?;
    check_len("output gradient", dout.len(), tnw)?;
    check_len("input gradient", dx.len(), elems(&[t, n, spec.input_size])?)?;
    check_len(
        "initial hidden state gradient",
        dh0.len(),
        elems(&[ld, n, hs])?,
    )?;
    if let Some(v) = dhn {
        check_len("final hidden state gradient", v.len(), elems(&[ld, n, hs])?)?;
    }
    if !lstm && (dcn.is_some() || dc0.is_some()) {
        return Err("only LSTM has a cell state".into());
    }
    if let Some(v) = dcn {
        check_len("final cell state gradient", v.len(), elems(&[ld, n, h])?)?;
    }
    if let Some(v) = dc0.as_deref() {
        check_len("initial cell state gradient", v.len(), elems(&[ld, n, h])?)?;
    }
    check_len("weight gradients", dweights.len(), weight_floats(&spec)?)?;
    let TrainState {
        valid,
        inputs,
        masks,
        dirs,
        hcur,
        ccur,
        rbuf,
        da,
        dr,
        dp,
        dy,
        dx: dxv,
        dnext,
        gemm,
        ..
    } = st;
    let valid = has_valid.then_some(&valid[..]);
    to_tnc(layout, dout, buf(dy, tnw)?, t, n, width);
    let mut dc0 = dc0;
    // Layers run top-down; `offset` is the start of layer l's block of `dweights`.
    let mut offset = weight_floats(&spec)?;
    for l in (0..layers).rev() {
        let ni = spec.layer_input(l);
        let per_dir = dir_floats(&spec, l)?;
        offset -= d * per_dir;
        let dxl = buf(dxv, t * n * ni)?;
        for dir in 0..d {
            let idx = l * d + dir;
            let hstates = idx * n * hs..(idx + 1) * n * hs;
            let cstates = idx * n * h..(idx + 1) * n * h;
            let start = offset + dir * per_dir;
            let block = &mut dweights[start..start + per_dir];
            let (i2h_weight, rest) = block.split_at_mut(gh * ni);
            let (h2h_weight, rest) = rest.split_at_mut(gh * hs);
            let (i2h_bias, rest) = rest.split_at_mut(gh);
            let (h2h_bias, h2r_weight) = rest.split_at_mut(gh);
            run_dir_backward(
                &spec,
                &params.dirs[idx],
                BwdIo {
                    reverse: dir == 1,
                    xin: &inputs[l][..t * n * ni],
                    ni,
                    t,
                    n,
                    valid,
                    dy: &dy[..tnw],
                    off: dir * hs,
                    dx: &mut *dxl,
                    first: dir == 0,
                },
                dhn.map(|v| &v[hstates.clone()]),
                dcn.map(|v| &v[cstates.clone()]),
                &mut dh0[hstates],
                dc0.as_deref_mut().map(|v| &mut v[cstates]),
                DirGrads {
                    i2h_weight,
                    h2h_weight,
                    i2h_bias,
                    h2h_bias,
                    h2r_weight,
                },
                &dirs[idx],
                [
                    &mut *da,
                    &mut *dr,
                    &mut *dp,
                    &mut *hcur,
                    &mut *dnext,
                    &mut *ccur,
                    &mut *rbuf,
                    &mut *gemm,
                ],
                par,
            )?;
        }
        if l > 0 {
            let m = &masks[l];
            if !m.is_empty() {
                dxl.iter_mut().zip(&m[..tnw]).for_each(|(v, k)| *v *= k);
            }
            core::mem::swap(dy, dxv);
        } else {
            from_tnc(layout, dxl, dx, t, n, spec.input_size);
        }
    }
    Ok(())
}

/// The sequence operands of one (layer, direction)'s backward.
struct BwdIo<'a> {
    reverse: bool,
    xin: &'a [f32],
    ni: usize,
    t: usize,
    n: usize,
    valid: Option<&'a [usize]>,
    /// Gradient of the layer output `(T, N, D*H')`; this direction reads `off..off + H'`.
    dy: &'a [f32],
    off: usize,
    /// Gradient of the layer input `(T, N, ni)`: written by the first direction, accumulated
    /// by the second.
    dx: &'a mut [f32],
    first: bool,
}

/// Column sums of a row-major `(rows, cols)` matrix into `out`.
fn col_sums(m: &[f32], cols: usize, out: &mut [f32]) {
    out.fill(0.0);
    if cols == 0 {
        return;
    }
    for row in m.chunks_exact(cols) {
        out.iter_mut().zip(row).for_each(|(o, v)| *o += v);
    }
}

#[allow(clippy::too_many_arguments)]
fn run_dir_backward(
    spec: &RnnSpec,
    p: &DirParams,
    io: BwdIo,
    dhn: Option<&[f32]>,
    dcn: Option<&[f32]>,
    dh0: &mut [f32],
    dc0: Option<&mut [f32]>,
    g: DirGrads,
    save: &DirSave,
    [dav, drv, dpv, dhv, dnv, dcv, dfv, gemm]: [&mut Vec<f32>; 8],
    par: &dyn Parallel,
) -> Result<(), String> {
    // One packing scratch: the parts past it use their thread's own.
    let gemm = core::slice::from_mut(gemm);
    let BwdIo {
        reverse,
        xin,
        ni,
        t,
        n,
        valid,
        dy,
        off,
        dx,
        first,
    } = io;
    let (mode, h, hs) = (spec.mode, spec.hidden, spec.out_size());
    let (gh, s, width) = (mode.gates() * h, save_width(mode, h), spec.dirs() * hs);
    let (lstm, gru) = (mode == Mode::Lstm, mode == Mode::Gru);
    let proj = spec.projection;
    let rows = t * n;
    let da = buf(dav, rows * gh)?;
    let drb = buf(drv, if gru { rows * gh } else { 0 })?;
    // LSTMP: the gradient of every step's projected state r (rows of W_hr's gradient), and
    // of the unprojected h of the current step.
    let dpb = buf(dpv, if proj.is_some() { rows * hs } else { 0 })?;
    let dfull = buf(dfv, if proj.is_some() { n * h } else { 0 })?;
    let mut dh = buf(dhv, n * hs)?;
    copy_or_zero(dh, dhn);
    let mut dnx = buf(dnv, n * hs)?;
    let dc = buf(dcv, if lstm { n * h } else { 0 })?;
    copy_or_zero(dc, dcn);
    // op(B) = W_h (G*H x H'): the recurrent part of each step's state gradient.
    let pk = PackedB::new(false, gh, hs, p.h2h_weight, hs);
    // LSTMP: op(B) = W_hr (P x H), from dr to the gradient of h.
    let pkr = proj.map(|pp| PackedB::new(false, pp, h, p.h2r_weight.unwrap_or(&[]), h));
    for k in (0..t).rev() {
        let tt = if reverse { t - 1 - k } else { k };
        let blk = tt * n * gh..(tt + 1) * n * gh;
        for b in 0..n {
            let (dhr, dnr) = (
                &mut dh[b * hs..(b + 1) * hs],
                &mut dnx[b * hs..(b + 1) * hs],
            );
            if active(valid, b, tt) {
                dhr.iter_mut()
                    .zip(&dy[(tt * n + b) * width + off..][..hs])
                    .for_each(|(a, v)| *a += v);
                dnr.fill(0.0);
            } else {
                // A skipped step passes the state (and its gradient) through unchanged.
                dnr.copy_from_slice(dhr);
                dhr.fill(0.0);
            }
        }
        // With a projection, dh is dr: h's gradient is dr W_hr (zero rows stay zero).
        let dht: &[f32] = if let Some(pkr) = &pkr {
            dpb[tt * n * hs..(tt + 1) * n * hs].copy_from_slice(dh);
            sgemm_packed_par(n, 0..h, 1.0, dh, hs, pkr, 0.0, dfull, h, gemm, par)?;
            dfull
        } else {
            dh
        };
        for b in 0..n {
            let r = tt * n + b;
            let dgr = &mut da[blk.start + b * gh..][..gh];
            if !active(valid, b, tt) {
                dgr.fill(0.0);
                if gru {
                    drb[blk.start + b * gh..][..gh].fill(0.0);
                }
                continue;
            }
            let dhr = &dht[b * h..(b + 1) * h];
            let act = &save.act[r * s..(r + 1) * s];
            match mode {
                Mode::Lstm => lstm_bwd(
                    act,
                    &save.cprev[r * h..(r + 1) * h],
                    &save.cnew[r * h..(r + 1) * h],
                    dhr,
                    &mut dc[b * h..(b + 1) * h],
                    dgr,
                    spec.clip,
                ),
                Mode::Gru => gru_bwd(
                    act,
                    &save.hprev[r * h..(r + 1) * h],
                    dhr,
                    dgr,
                    &mut drb[blk.start + b * gh..][..gh],
                    &mut dnx[b * h..(b + 1) * h],
                ),
                Mode::RnnTanh | Mode::RnnRelu => vanilla_bwd(act, dhr, mode == Mode::RnnRelu, dgr),
            }
        }
        let drt = if gru { &drb[blk] } else { &da[blk] };
        sgemm_packed_par(n, 0..hs, 1.0, drt, gh, &pk, 1.0, dnx, hs, gemm, par)?;
        core::mem::swap(&mut dh, &mut dnx);
    }
    dh0.copy_from_slice(dh);
    if let Some(dc0) = dc0 {
        dc0.copy_from_slice(dc);
    }
    let dr_all: &[f32] = if gru { drb } else { da };
    // The weight gradients sum over all steps: one GEMM each.
    sgemm_par(
        true,
        false,
        gh,
        ni,
        rows,
        1.0,
        da,
        gh,
        xin,
        ni,
        0.0,
        g.i2h_weight,
        ni,
        par,
    )?;
    sgemm_par(
        true,
        false,
        gh,
        hs,
        rows,
        1.0,
        dr_all,
        gh,
        &save.hprev[..rows * hs],
        hs,
        0.0,
        g.h2h_weight,
        hs,
        par,
    )?;
    if let Some(pp) = proj {
        sgemm_par(
            true,
            false,
            pp,
            h,
            rows,
            1.0,
            dpb,
            hs,
            &save.hfull[..rows * h],
            h,
            0.0,
            g.h2r_weight,
            h,
            par,
        )?;
    }
    col_sums(da, gh, g.i2h_bias);
    col_sums(dr_all, gh, g.h2h_bias);
    sgemm_par(
        false,
        false,
        rows,
        ni,
        gh,
        1.0,
        da,
        gh,
        p.i2h_weight,
        ni,
        if first { 0.0 } else { 1.0 },
        dx,
        ni,
        par,
    )?;
    Ok(())
}
