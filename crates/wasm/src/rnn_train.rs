//! Training of a fused recurrent stack: the forward that keeps a reserve space and the
//! backward through time (`gluon_kernels::rnn::{train_forward, train_backward}`). The handle
//! owns the reserve space of its latest forward (reused by the next one, so it stays as large
//! as one call) and a staging area like [`crate::rnn::FusedRnn`]'s. Weights are passed with
//! every call (they change at every optimizer step), so nothing is packed ahead.

use crate::check::{elems, kernel_error, require_len};
use crate::rnn::{
    check_stack_call, check_staged_states, rnn_spec, split_params, state_lens, take, take_lengths,
};
use crate::split;
use crate::staging::Staging;
use gluon_kernels::rnn::{self, Layout, Mode, RnnSpec, StateClip, TrainState};
use wasm_bindgen::prelude::*;

/// The shape of the saved forward.
#[derive(Clone, Copy)]
struct Saved {
    generation: u32,
    t: usize,
    n: usize,
}

/// Training handle of one fused stack (Gluon `RNN`/`LSTM`/`GRU` layer under
/// `autograd.record()`).
#[wasm_bindgen]
pub struct RnnTrainer {
    spec: RnnSpec,
    state: TrainState,
    io: Staging,
    lengths: Vec<usize>,
    saved: Option<Saved>,
    generation: u32,
}

#[wasm_bindgen]
impl RnnTrainer {
    /// `projection` 0 = none; clipping applies when `clip` is true (LSTM only). `clip_nan`
    /// has no backward (the JavaScript layer keeps its operator path, which refuses it).
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
    ) -> Result<RnnTrainer, JsError> {
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
                nan: false,
            }),
        )?;
        rnn::train_supported(&spec).map_err(|e| JsError::new(&e))?;
        Ok(RnnTrainer {
            spec,
            state: TrainState::new(),
            io: Staging::default(),
            lengths: Vec::new(),
            saved: None,
            generation: 0,
        })
    }

    /// Bytes of wasm memory this handle holds (reserve space and staging).
    pub fn held_bytes(&self) -> f64 {
        (self.state.floats() + self.io.capacity()) as f64 * 4.0
    }

    /// Floats of the flat weights (and of their gradient).
    pub fn weight_len(&self) -> Result<usize, JsError> {
        rnn::weight_floats(&self.spec).map_err(|e| JsError::new(&e))
    }

    /// Reserves the staging area for `len` floats of inputs and outputs; returns its address.
    pub fn stage(&mut self, len: usize) -> Result<usize, JsError> {
        self.io.reserve(len)
    }

    /// The generation of the saved forward (0: none), which a backward must name.
    pub fn saved_generation(&self) -> u32 {
        self.saved.map_or(0, |s| s.generation)
    }

    /// Training forward on the staged `weights | x | h0 | c0 | valid_length | masks` (empty
    /// states mean zeros; `masks`: `(L-1)` time-major dropout masks, or none), writing
    /// `[output | hn | cn]` (cn for LSTM only) after them. Returns the generation that
    /// [`RnnTrainer::backward`] must be given.
    #[allow(clippy::too_many_arguments)]
    pub fn forward(
        &mut self,
        ntc: bool,
        t: usize,
        n: usize,
        w_len: usize,
        x_len: usize,
        h0_len: usize,
        c0_len: usize,
        vl_len: usize,
        mask_len: usize,
    ) -> Result<u32, JsError> {
        self.saved = None;
        let spec = self.spec;
        let (d, hs) = (spec.dirs(), spec.out_size());
        let is_lstm = spec.mode == Mode::Lstm;
        require_len("weights", w_len, self.weight_len()?)?;
        let io = check_stack_call(&spec, t, n, x_len, h0_len, c0_len)?;
        if mask_len != 0 {
            require_len(
                "masks",
                mask_len,
                elems(&[spec.num_layers - 1, t, n, d, hs], "masks")?,
            )?;
        }
        let inputs = w_len + x_len + h0_len + c0_len + vl_len + mask_len;
        let (mut input, outputs) = self.io.split(inputs, io.out + io.hn + io.cn)?;
        let weights = take(&mut input, w_len);
        let x = take(&mut input, x_len);
        let h0 = take(&mut input, h0_len);
        let c0 = take(&mut input, c0_len);
        let lengths = take_lengths(&mut input, vl_len, n, t, &mut self.lengths)?;
        let masks = take(&mut input, mask_len);
        let params = split_params(&spec, weights).map_err(|e| JsError::new(&e))?;
        let (out, rest) = outputs.split_at_mut(io.out);
        let (hn, cn) = rest.split_at_mut(io.hn);
        rnn::train_forward(
            &mut self.state,
            &spec,
            &params,
            if ntc { Layout::Ntc } else { Layout::Tnc },
            t,
            n,
            x,
            (!h0.is_empty()).then_some(h0),
            (!c0.is_empty()).then_some(c0),
            lengths,
            (mask_len != 0).then_some(masks),
            out,
            hn,
            is_lstm.then_some(cn),
            &split::Pool,
        )
        .map_err(kernel_error)?;
        self.generation = self.generation.wrapping_add(1).max(1);
        self.saved = Some(Saved {
            generation: self.generation,
            t,
            n,
        });
        Ok(self.generation)
    }

    /// Backward of the saved forward `generation` on the staged `weights | dout | dhn | dcn`
    /// (empty state gradients mean zeros), writing `[dx | dh0 | dc0 | dweights]` (dc0 for
    /// LSTM only; dweights in the weights' layout) after them.
    pub fn backward(
        &mut self,
        generation: u32,
        w_len: usize,
        dout_len: usize,
        dhn_len: usize,
        dcn_len: usize,
    ) -> Result<(), JsError> {
        let saved = match self.saved {
            Some(s) if s.generation == generation => s,
            _ => {
                return Err(JsError::new(&format!(
                    "backward: generation {generation} is not the saved forward ({})",
                    self.saved_generation()
                )))
            }
        };
        let spec = self.spec;
        let (t, n, d) = (saved.t, saved.n, spec.dirs());
        let hs = spec.out_size();
        let is_lstm = spec.mode == Mode::Lstm;
        let (states, cstates) = state_lens(&spec, n)?;
        require_len("weights", w_len, self.weight_len()?)?;
        require_len("dout", dout_len, elems(&[t, n, d, hs], "dout")?)?;
        check_staged_states(
            &spec,
            [("dhn", dhn_len), ("dcn", dcn_len)],
            (states, cstates),
        )?;
        let dx_len = elems(&[t, n, spec.input_size], "dx")?;
        let dc0_len = if is_lstm { cstates } else { 0 };
        let (mut input, outputs) = self.io.split(
            w_len + dout_len + dhn_len + dcn_len,
            dx_len + states + dc0_len + w_len,
        )?;
        let weights = take(&mut input, w_len);
        let dout = take(&mut input, dout_len);
        let dhn = take(&mut input, dhn_len);
        let dcn = take(&mut input, dcn_len);
        let params = split_params(&spec, weights).map_err(|e| JsError::new(&e))?;
        let (dx, rest) = outputs.split_at_mut(dx_len);
        let (dh0, rest) = rest.split_at_mut(states);
        let (dc0, dw) = rest.split_at_mut(dc0_len);
        rnn::train_backward(
            &mut self.state,
            &params,
            dout,
            (!dhn.is_empty()).then_some(dhn),
            (!dcn.is_empty()).then_some(dcn),
            dx,
            dh0,
            is_lstm.then_some(dc0),
            dw,
            &split::Pool,
        )
        .map_err(kernel_error)
    }
}
