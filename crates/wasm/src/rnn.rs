//! Fused recurrent layers and single-step cells. A handle owns the packed weights (packed
//! once, on construction) and its scratch workspace, so steady-state calls do not allocate
//! inside wasm; JavaScript rebuilds the handle when a parameter's data changes.

use crate::check::{kernel_error, require_len};
use gluon_kernels::alloc;
use crate::{pool, split};
use gluon_kernels::gemm;
use gluon_kernels::rnn::{
    self, DirParams, Layout, Mode, PackedCell, PackedRnn, RnnParams, RnnSpec, StateClip, Workspace,
};
use std::ops::Range;
use std::sync::Mutex;
use wasm_bindgen::prelude::*;

fn parse_mode(mode: &str) -> Result<Mode, JsError> {
    match mode {
        "rnn_relu" => Ok(Mode::RnnRelu),
        "rnn_tanh" => Ok(Mode::RnnTanh),
        "lstm" => Ok(Mode::Lstm),
        "gru" => Ok(Mode::Gru),
        other => Err(JsError::new(&format!(
            "mode: expected 'rnn_relu', 'rnn_tanh', 'lstm' or 'gru', got '{other}'"
        ))),
    }
}

/// Splits the concatenated weights (per (layer, dir): i2h_weight, h2h_weight, i2h_bias,
/// h2h_bias[, h2r_weight]) into per-direction slices, checking the total length.
fn split_params<'a>(spec: &RnnSpec, flat: &'a [f32]) -> Result<RnnParams<'a>, String> {
    let g = spec.mode.gates();
    let (h, p) = (spec.hidden, spec.out_size());
    let mut rest = flat;
    let mut take = |n: usize, what: &str| -> Result<&'a [f32], String> {
        if rest.len() < n {
            return Err(format!(
                "weights: too short for {what} ({n} elements needed, {} left)",
                rest.len()
            ));
        }
        let (head, tail) = rest.split_at(n);
        rest = tail;
        Ok(head)
    };
    let mut dirs = Vec::with_capacity(spec.num_layers * spec.dirs());
    for l in 0..spec.num_layers {
        for d in 0..spec.dirs() {
            let name = format!("{}{l}", ["l", "r"][d]);
            let i2h_weight = take(g * h * spec.layer_input(l), &format!("{name}_i2h_weight"))?;
            let h2h_weight = take(g * h * p, &format!("{name}_h2h_weight"))?;
            let i2h_bias = take(g * h, &format!("{name}_i2h_bias"))?;
            let h2h_bias = take(g * h, &format!("{name}_h2h_bias"))?;
            let h2r_weight = match spec.projection {
                Some(pp) => Some(take(pp * h, &format!("{name}_h2r_weight"))?),
                None => None,
            };
            dirs.push(DirParams {
                i2h_weight,
                h2h_weight,
                i2h_bias,
                h2h_bias,
                h2r_weight,
            });
        }
    }
    if !rest.is_empty() {
        return Err(format!(
            "weights: {} elements left over after the last parameter",
            rest.len()
        ));
    }
    Ok(RnnParams { dirs })
}

/// Per-sample lengths as float32 (Gluon passes any numeric dtype); each must be an integer
/// in `1..=t`.
fn parse_lengths(v: &[f32], n: usize, t: usize) -> Result<Vec<usize>, JsError> {
    require_len("valid_length", v.len(), n)?;
    v.iter()
        .enumerate()
        .map(|(b, &x)| {
            if x.fract() == 0.0 && x >= 1.0 && x <= t as f32 {
                Ok(x as usize)
            } else {
                Err(JsError::new(&format!(
                    "valid_length[{b}] = {x}: each length must be an integer between 1 and the sequence length {t}"
                )))
            }
        })
        .collect()
}

/// The inputs of one forward call, shared by its batch parts.
struct Io<'a> {
    t: usize,
    n: usize,
    layout: Layout,
    x: &'a [f32],
    h0: &'a [f32],
    c0: &'a [f32],
    lengths: Option<&'a [usize]>,
}

/// Rows `rows` of every leading index of a `(lead, n, width)` (TNC-like) or
/// `(n, lead, width)` (NTC) array, gathered into `(lead, rows, width)` / `(rows, lead, width)`.
fn gather_rows(
    src: &[f32],
    layout: Layout,
    lead: usize,
    n: usize,
    rows: Range<usize>,
    width: usize,
) -> Result<Vec<f32>, String> {
    let mut out = Vec::new();
    alloc::reserve(&mut out, lead * rows.len() * width, "a batch part's rows")?;
    match layout {
        Layout::Ntc => {
            out.extend_from_slice(&src[rows.start * lead * width..rows.end * lead * width])
        }
        Layout::Tnc => {
            for i in 0..lead {
                out.extend_from_slice(
                    &src[(i * n + rows.start) * width..(i * n + rows.end) * width],
                );
            }
        }
    }
    Ok(out)
}

/// Inverse of [`gather_rows`]: writes a part's rows back into the full array.
fn scatter_rows(
    part: &[f32],
    dst: &mut [f32],
    layout: Layout,
    lead: usize,
    n: usize,
    rows: Range<usize>,
    width: usize,
) {
    match layout {
        Layout::Ntc => {
            dst[rows.start * lead * width..rows.end * lead * width].copy_from_slice(part)
        }
        Layout::Tnc => {
            let w = rows.len() * width;
            for i in 0..lead {
                dst[(i * n + rows.start) * width..(i * n + rows.end) * width]
                    .copy_from_slice(&part[i * w..(i + 1) * w]);
            }
        }
    }
}

/// Runs the stack for batch rows `rows` of the call (all of them when the call is unsplit).
fn run(
    packed: &PackedRnn,
    io: &Io,
    rows: Range<usize>,
    out: &mut [f32],
    hn: &mut [f32],
    cn: Option<&mut [f32]>,
    ws: &mut Workspace,
) -> Result<(), String> {
    let spec = packed.spec();
    let lds = spec.num_layers * spec.dirs();
    let nb = rows.len();
    if nb == io.n {
        // Unsplit call: the kernels may still split each step by unit blocks (batch 1).
        let (h0, c0) = (
            (!io.h0.is_empty()).then_some(io.h0),
            (!io.c0.is_empty()).then_some(io.c0),
        );
        let (t, n, x, vl) = (io.t, io.n, io.x, io.lengths);
        return rnn::rnn_forward_par(
            packed,
            io.layout,
            t,
            n,
            x,
            h0,
            c0,
            vl,
            out,
            hn,
            cn,
            ws,
            &split::Pool,
        );
    }
    let x = gather_rows(io.x, io.layout, io.t, io.n, rows.clone(), spec.input_size)?;
    let state = |v: &[f32], w: usize| {
        (!v.is_empty())
            .then(|| gather_rows(v, Layout::Tnc, lds, io.n, rows.clone(), w))
            .transpose()
    };
    let h0 = state(io.h0, spec.out_size())?;
    let c0 = state(io.c0, spec.hidden)?;
    let lengths = io.lengths.map(|l| &l[rows.clone()]);
    rnn::rnn_forward(
        packed,
        io.layout,
        io.t,
        nb,
        &x,
        h0.as_deref(),
        c0.as_deref(),
        lengths,
        out,
        hn,
        cn,
        ws,
    )
}

/// A packed fused stack (Gluon `RNN`/`LSTM`/`GRU` layer).
#[wasm_bindgen]
pub struct FusedRnn {
    packed: PackedRnn,
    /// One scratch per batch part (see `split`); part 0 serves unsplit calls.
    ws: Vec<Mutex<Workspace>>,
}

#[wasm_bindgen]
impl FusedRnn {
    /// `projection` 0 = none; clipping applies when `clip` is true (LSTM only).
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(constructor)]
    pub fn new(
        mode: &str,
        hidden: usize,
        num_layers: usize,
        bidirectional: bool,
        input_size: usize,
        projection: usize,
        clip: bool,
        clip_min: f32,
        clip_max: f32,
        clip_nan: bool,
        weights: &[f32],
    ) -> Result<FusedRnn, JsError> {
        let spec = RnnSpec {
            mode: parse_mode(mode)?,
            hidden,
            num_layers,
            bidirectional,
            input_size,
            projection: (projection > 0).then_some(projection),
            clip: clip.then_some(StateClip {
                min: clip_min,
                max: clip_max,
                nan: clip_nan,
            }),
        };
        let params = split_params(&spec, weights).map_err(|e| JsError::new(&e))?;
        let packed = PackedRnn::new(spec, &params).map_err(kernel_error)?;
        Ok(FusedRnn {
            packed,
            ws: Vec::new(),
        })
    }

    /// Bytes of wasm memory this handle holds (packed weights and scratch), for the
    /// JavaScript cache's memory budget.
    pub fn held_bytes(&self) -> f64 {
        let scratch: usize = self
            .ws
            .iter()
            .map(|w| w.lock().unwrap_or_else(|e| e.into_inner()).capacity())
            .sum();
        (self.packed.floats() + scratch) as f64 * 4.0
    }

    /// Runs the stack; returns `[output | hn | cn]` concatenated (cn for LSTM only).
    /// `h0`/`c0` empty = zeros; `valid_length` empty = full length.
    #[allow(clippy::too_many_arguments)]
    pub fn forward(
        &mut self,
        ntc: bool,
        t: usize,
        n: usize,
        x: &[f32],
        h0: &[f32],
        c0: &[f32],
        valid_length: &[f32],
    ) -> Result<Vec<f32>, JsError> {
        let spec = *self.packed.spec();
        let states = spec.num_layers * spec.dirs() * n;
        let (hp, h) = (spec.out_size(), spec.hidden);
        let is_lstm = spec.mode == Mode::Lstm;
        let elems = |a: usize, b: usize, what: &str| {
            a.checked_mul(b)
                .ok_or_else(|| JsError::new(&format!("{what}: size overflows")))
        };
        let x_len = elems(elems(t, n, "input")?, spec.input_size, "input")?;
        require_len("input", x.len(), x_len)?;
        if !h0.is_empty() {
            require_len("h0", h0.len(), states * hp)?;
        }
        if !c0.is_empty() {
            if !is_lstm {
                return Err(JsError::new("c0: only LSTM has a cell state"));
            }
            require_len("c0", c0.len(), states * h)?;
        }
        let lengths = if valid_length.is_empty() {
            None
        } else {
            Some(parse_lengths(valid_length, n, t)?)
        };
        let out_len = elems(t * n, spec.dirs() * hp, "output")?;
        let hn_len = states * hp;
        let cn_len = if is_lstm { states * h } else { 0 };
        let total = out_len
            .checked_add(hn_len + cn_len)
            .ok_or_else(|| JsError::new("output: size overflows"))?;
        let mut buf = alloc::zeroed(total, "outputs").map_err(kernel_error)?;
        let layout = if ntc { Layout::Ntc } else { Layout::Tnc };
        // Multiply-adds of the call: per layer and direction, T*N*(G*H)*(ni + H').
        let macs = (0..spec.num_layers)
            .map(|l| spec.dirs() * spec.mode.gates() * spec.hidden * (spec.layer_input(l) + hp))
            .sum::<usize>()
            .saturating_mul(t)
            .saturating_mul(n);
        // Batch rows are split in multiples of the GEMM's row tile.
        let rows = split::ranges(
            n,
            split::parts_for(macs, n, gemm::params::MR),
            gemm::params::MR,
        );
        while self.ws.len() < rows.len().max(1) {
            self.ws.push(Mutex::new(Workspace::new()));
        }
        let io = Io {
            t,
            n,
            layout,
            h0,
            c0,
            x,
            lengths: lengths.as_deref(),
        };
        if rows.len() <= 1 {
            let (out, rest) = buf.split_at_mut(out_len);
            let (hn, cn) = rest.split_at_mut(hn_len);
            let ws = self.ws[0].get_mut().unwrap_or_else(|e| e.into_inner());
            run(&self.packed, &io, 0..n, out, hn, is_lstm.then_some(cn), ws)
                .map_err(kernel_error)?;
            return Ok(buf);
        }
        let results: Vec<Mutex<Result<Vec<f32>, String>>> =
            rows.iter().map(|_| Mutex::new(Ok(Vec::new()))).collect();
        let packed = &self.packed;
        let wss = &self.ws;
        pool::run_parts(rows.len(), &|p| {
            let r = rows[p].clone();
            let nb = r.len();
            let res = alloc::zeroed(total / n * nb, "a batch part's outputs").and_then(|mut part| {
                let (out, rest) = part.split_at_mut(out_len / n * nb);
                let (hn, cn) = rest.split_at_mut(hn_len / n * nb);
                let mut ws = wss[p].lock().unwrap_or_else(|e| e.into_inner());
                run(packed, &io, r, out, hn, is_lstm.then_some(cn), &mut ws).map(|()| part)
            });
            *results[p].lock().unwrap_or_else(|e| e.into_inner()) = res;
        })
        .map_err(|e| JsError::new(&format!("forward: {e}")))?;
        let (out, rest) = buf.split_at_mut(out_len);
        let (hn, cn) = rest.split_at_mut(hn_len);
        let dh = spec.dirs() * hp;
        let lds = spec.num_layers * spec.dirs();
        for (r, res) in rows.iter().zip(results) {
            let part = res
                .into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .map_err(kernel_error)?;
            let nb = r.len();
            let (p_out, p_rest) = part.split_at(out_len / n * nb);
            let (p_hn, p_cn) = p_rest.split_at(hn_len / n * nb);
            scatter_rows(p_out, out, layout, t, n, r.clone(), dh);
            scatter_rows(p_hn, hn, Layout::Tnc, lds, n, r.clone(), hp);
            if is_lstm {
                scatter_rows(p_cn, cn, Layout::Tnc, lds, n, r.clone(), h);
            }
        }
        Ok(buf)
    }
}

/// A packed single-step cell (Gluon `RNNCell`/`LSTMCell`/`GRUCell`).
#[wasm_bindgen]
pub struct CellKernel {
    packed: PackedCell,
    ws: Workspace,
}

#[wasm_bindgen]
impl CellKernel {
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(constructor)]
    pub fn new(
        mode: &str,
        hidden: usize,
        input_size: usize,
        i2h_w: &[f32],
        h2h_w: &[f32],
        i2h_b: &[f32],
        h2h_b: &[f32],
    ) -> Result<CellKernel, JsError> {
        let packed = PackedCell::new(
            parse_mode(mode)?,
            hidden,
            input_size,
            i2h_w,
            h2h_w,
            i2h_b,
            h2h_b,
        )
        .map_err(kernel_error)?;
        Ok(CellKernel {
            packed,
            ws: Workspace::new(),
        })
    }

    /// One step; returns `[h' | c']` (c' for LSTM only). `c` empty = zeros.
    pub fn step(&mut self, n: usize, x: &[f32], h: &[f32], c: &[f32]) -> Result<Vec<f32>, JsError> {
        let (mode, hidden, input) = self.packed.shape();
        let is_lstm = mode == Mode::Lstm;
        require_len("input", x.len(), n * input)?;
        require_len("h", h.len(), n * hidden)?;
        if !c.is_empty() {
            if !is_lstm {
                return Err(JsError::new("c: only LSTMCell has a cell state"));
            }
            require_len("c", c.len(), n * hidden)?;
        }
        let len = (n * hidden)
            .checked_mul(if is_lstm { 2 } else { 1 })
            .ok_or_else(|| JsError::new("output: size overflows"))?;
        let mut buf = alloc::zeroed(len, "outputs").map_err(kernel_error)?;
        let (h_out, c_out) = buf.split_at_mut(n * hidden);
        rnn::cell_step(
            &self.packed,
            n,
            x,
            h,
            (!c.is_empty()).then_some(c),
            h_out,
            is_lstm.then_some(c_out),
            &mut self.ws,
        )
        .map_err(kernel_error)?;
        Ok(buf)
    }

    /// Bytes of wasm memory this handle holds (packed weights and scratch).
    pub fn held_bytes(&self) -> f64 {
        (self.packed.floats() + self.ws.capacity()) as f64 * 4.0
    }
}
