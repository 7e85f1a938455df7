//! Fused recurrent layers and single-step cells. A handle owns the packed weights (packed
//! once, on construction) and its scratch workspace, so steady-state calls do not allocate
//! inside wasm; JavaScript rebuilds the handle when a parameter's data changes.

use crate::check::require_len;
use gluon_kernels::rnn::{
    self, DirParams, Layout, Mode, PackedCell, PackedRnn, RnnParams, RnnSpec, StateClip, Workspace,
};
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

/// A packed fused stack (Gluon `RNN`/`LSTM`/`GRU` layer).
#[wasm_bindgen]
pub struct FusedRnn {
    packed: PackedRnn,
    ws: Workspace,
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
        let packed = PackedRnn::new(spec, &params).map_err(|e| JsError::new(&e))?;
        Ok(FusedRnn {
            packed,
            ws: Workspace::new(),
        })
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
        let mut buf = vec![0.0f32; out_len + hn_len + cn_len];
        let (out, rest) = buf.split_at_mut(out_len);
        let (hn, cn) = rest.split_at_mut(hn_len);
        rnn::rnn_forward(
            &self.packed,
            if ntc { Layout::Ntc } else { Layout::Tnc },
            t,
            n,
            x,
            (!h0.is_empty()).then_some(h0),
            (!c0.is_empty()).then_some(c0),
            lengths.as_deref(),
            out,
            hn,
            is_lstm.then_some(cn),
            &mut self.ws,
        )
        .map_err(|e| JsError::new(&e))?;
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
        .map_err(|e| JsError::new(&e))?;
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
        let mut buf = vec![0.0f32; n * hidden * if is_lstm { 2 } else { 1 }];
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
        .map_err(|e| JsError::new(&e))?;
        Ok(buf)
    }
}
