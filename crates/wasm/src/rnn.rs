//! Fused recurrent layers and single-step cells. A handle owns the packed weights (packed
//! once, on construction), its scratch workspace and a staging area: JavaScript writes a
//! call's inputs there, the kernel writes the outputs beside them, and JavaScript copies them
//! out. Steady-state calls therefore allocate nothing in wasm memory. This crate only checks
//! sizes and calls the kernels, which decide how to spread the work over the pool.

use crate::check::{elems, kernel_error, require_len};
use crate::split;
use crate::staging::{returned, Staging};
use gluon_kernels::alloc;
use gluon_kernels::rnn::{
    self, DirParams, Layout, Mode, PackedCell, PackedRnn, RnnParams, RnnSpec, StateClip, Workspace,
};
use wasm_bindgen::prelude::*;

pub(crate) fn parse_mode(mode: &str) -> Result<Mode, JsError> {
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

/// The spec of a fused stack from a constructor's arguments (`projection` 0 = none).
pub(crate) fn rnn_spec(
    mode: &str,
    hidden: usize,
    num_layers: usize,
    bidirectional: bool,
    input_size: usize,
    projection: usize,
    clip: Option<StateClip>,
) -> Result<RnnSpec, JsError> {
    Ok(RnnSpec {
        mode: parse_mode(mode)?,
        hidden,
        num_layers,
        bidirectional,
        input_size,
        projection: (projection > 0).then_some(projection),
        clip,
    })
}

/// Splits the concatenated weights (per (layer, dir): i2h_weight, h2h_weight, i2h_bias,
/// h2h_bias[, h2r_weight]) into per-direction slices, checking the total length.
pub(crate) fn split_params<'a>(spec: &RnnSpec, flat: &'a [f32]) -> Result<RnnParams<'a>, String> {
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

/// The next `vl_len` staged floats as per-sample lengths (float32: Gluon passes any numeric
/// dtype) into `out` (reused, so a steady-state call does not allocate); each must be an
/// integer in `1..=t`, `n` of them. None staged: `None`, the full length.
pub(crate) fn take_lengths<'a>(
    input: &mut &[f32],
    vl_len: usize,
    n: usize,
    t: usize,
    out: &'a mut Vec<usize>,
) -> Result<Option<&'a [usize]>, JsError> {
    if vl_len == 0 {
        return Ok(None);
    }
    let v = take(input, vl_len);
    require_len("valid_length", v.len(), n)?;
    out.clear();
    out.try_reserve(n)
        .map_err(|_| kernel_error(format!("{}: valid_length", alloc::OUT_OF_MEMORY)))?;
    for (b, &x) in v.iter().enumerate() {
        if !(x.fract() == 0.0 && x >= 1.0 && x <= t as f32) {
            return Err(JsError::new(&format!(
                "valid_length[{b}] = {x}: each length must be an integer between 1 and the sequence length {t}"
            )));
        }
        out.push(x as usize);
    }
    Ok(Some(out))
}

/// The output lengths of one call of a stack: `[output | hn | cn]` (cn 0 but for LSTM).
pub(crate) struct StackIo {
    pub out: usize,
    pub hn: usize,
    pub cn: usize,
}

/// Checks the staged input lengths of a `(t, n)` call of the stack `spec` (`x_len` floats of
/// x; `h0_len` / `c0_len` 0 for zeros) and returns its output lengths.
pub(crate) fn check_stack_call(
    spec: &RnnSpec,
    t: usize,
    n: usize,
    x_len: usize,
    h0_len: usize,
    c0_len: usize,
) -> Result<StackIo, JsError> {
    let (hn, cstates) = state_lens(spec, n)?;
    require_len("input", x_len, elems(&[t, n, spec.input_size], "input")?)?;
    check_staged_states(spec, [("h0", h0_len), ("c0", c0_len)], (hn, cstates))?;
    Ok(StackIo {
        out: elems(&[t, n, spec.dirs(), spec.out_size()], "output")?,
        hn,
        cn: if spec.mode == Mode::Lstm { cstates } else { 0 },
    })
}

/// The lengths of a stack's hidden and cell states for batch `n`: `(L*D, N, H')` and
/// `(L*D, N, H)`.
pub(crate) fn state_lens(spec: &RnnSpec, n: usize) -> Result<(usize, usize), JsError> {
    let (l, d) = (spec.num_layers, spec.dirs());
    Ok((
        elems(&[l, d, n, spec.out_size()], "states")?,
        elems(&[l, d, n, spec.hidden], "states")?,
    ))
}

/// Checks staged states (or their gradients), named `[hidden, cell]` with their lengths:
/// each empty (zeros) or as long as `lens` says; a cell state for LSTM only.
pub(crate) fn check_staged_states(
    spec: &RnnSpec,
    [(h_name, h_len), (c_name, c_len)]: [(&str, usize); 2],
    lens: (usize, usize),
) -> Result<(), JsError> {
    if h_len != 0 {
        require_len(h_name, h_len, lens.0)?;
    }
    if c_len != 0 {
        if spec.mode != Mode::Lstm {
            return Err(JsError::new(&format!(
                "{c_name}: only LSTM has a cell state"
            )));
        }
        require_len(c_name, c_len, lens.1)?;
    }
    Ok(())
}

/// Takes `n` floats off the front of `rest`.
pub(crate) fn take<'a>(rest: &mut &'a [f32], n: usize) -> &'a [f32] {
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    head
}

/// A packed fused stack (Gluon `RNN`/`LSTM`/`GRU` layer).
#[wasm_bindgen]
pub struct FusedRnn {
    packed: PackedRnn,
    ws: Workspace,
    io: Staging,
    lengths: Vec<usize>,
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
        let spec = rnn_spec(
            mode,
            hidden,
            num_layers,
            bidirectional,
            input_size,
            projection,
            clip.then_some(StateClip {
                min: clip_min,
                max: clip_max,
                nan: clip_nan,
            }),
        )?;
        let params = split_params(&spec, weights).map_err(|e| JsError::new(&e))?;
        let packed = PackedRnn::new(spec, &params).map_err(kernel_error)?;
        Ok(FusedRnn {
            packed,
            ws: Workspace::new(),
            io: Staging::default(),
            lengths: Vec::new(),
        })
    }

    /// Bytes of wasm memory this handle holds (packed weights and scratch), for the
    /// JavaScript cache's memory budget.
    pub fn held_bytes(&self) -> f64 {
        (self.packed.floats() + self.ws.capacity() + self.io.capacity()) as f64 * 4.0
    }

    /// Reserves the staging area for a call of `len` floats of inputs and outputs and
    /// returns its address: JavaScript writes `x | h0 | c0 | valid_length` there.
    pub fn stage(&mut self, len: usize) -> Result<usize, JsError> {
        self.io.reserve(len)
    }

    /// Runs the stack on the staged inputs (`x_len` floats of x, then `h0_len` of h0,
    /// `c0_len` of c0 and `vl_len` valid lengths; an empty state means zeros, no lengths the
    /// full length) and writes `[output | hn | cn]` (cn for LSTM only) right after them.
    /// Returns the error instead of throwing it (undefined when the call succeeded): see
    /// [`returned`].
    #[allow(clippy::too_many_arguments)]
    pub fn forward(
        &mut self,
        ntc: bool,
        t: usize,
        n: usize,
        x_len: usize,
        h0_len: usize,
        c0_len: usize,
        vl_len: usize,
    ) -> Option<JsValue> {
        returned((|| {
            let spec = *self.packed.spec();
            let is_lstm = spec.mode == Mode::Lstm;
            let io = check_stack_call(&spec, t, n, x_len, h0_len, c0_len)?;
            let inputs = x_len + h0_len + c0_len + vl_len;
            let (mut input, outputs) = self.io.split(inputs, io.out + io.hn + io.cn)?;
            let x = take(&mut input, x_len);
            let h0 = take(&mut input, h0_len);
            let c0 = take(&mut input, c0_len);
            let lengths = take_lengths(&mut input, vl_len, n, t, &mut self.lengths)?;
            let (out, rest) = outputs.split_at_mut(io.out);
            let (hn, cn) = rest.split_at_mut(io.hn);
            rnn::rnn_forward_par(
                &self.packed,
                if ntc { Layout::Ntc } else { Layout::Tnc },
                t,
                n,
                x,
                (!h0.is_empty()).then_some(h0),
                (!c0.is_empty()).then_some(c0),
                lengths,
                out,
                hn,
                is_lstm.then_some(cn),
                &mut self.ws,
                &split::Pool,
            )
            .map_err(kernel_error)
        })())
    }
}

/// A packed single-step cell (Gluon `RNNCell`/`LSTMCell`/`GRUCell`).
#[wasm_bindgen]
pub struct CellKernel {
    packed: PackedCell,
    ws: Workspace,
    io: Staging,
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
            io: Staging::default(),
        })
    }

    /// Reserves the staging area for a step of `len` floats of inputs and outputs and
    /// returns its address: JavaScript writes `x | h | c` there.
    pub fn stage(&mut self, len: usize) -> Result<usize, JsError> {
        self.io.reserve(len)
    }

    /// One step on the staged inputs (`x_len` floats of x, `h_len` of h, then `c_len` of c:
    /// 0 = zeros) writing `[h' | c']` (c' for LSTM only) right after them. Returns the error
    /// instead of throwing it (undefined when the step succeeded): see [`returned`].
    pub fn step(&mut self, n: usize, x_len: usize, h_len: usize, c_len: usize) -> Option<JsValue> {
        returned((|| {
            let (mode, hidden, input) = self.packed.shape();
            let is_lstm = mode == Mode::Lstm;
            require_len("input", x_len, elems(&[n, input], "input")?)?;
            require_len("h", h_len, elems(&[n, hidden], "h")?)?;
            if c_len != 0 {
                if !is_lstm {
                    return Err(JsError::new("c: only LSTMCell has a cell state"));
                }
                require_len("c", c_len, h_len)?;
            }
            let out_len = if is_lstm { 2 * h_len } else { h_len };
            let (mut staged, outputs) = self.io.split(x_len + h_len + c_len, out_len)?;
            let x = take(&mut staged, x_len);
            let h = take(&mut staged, h_len);
            let c = take(&mut staged, c_len);
            let (h_out, c_out) = outputs.split_at_mut(h_len);
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
            .map_err(kernel_error)
        })())
    }

    /// Bytes of wasm memory this handle holds (packed weights and scratch).
    pub fn held_bytes(&self) -> f64 {
        (self.packed.floats() + self.ws.capacity() + self.io.capacity()) as f64 * 4.0
    }
}
