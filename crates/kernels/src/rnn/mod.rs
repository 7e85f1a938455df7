//! Recurrent layers and cells with MXNet Gluon semantics (spec sections 5 and 8).
//!
//! - [`PackedRnn`] packs a whole fused stack once; [`rnn_forward`] runs every layer and
//!   direction of a sequence in one call (input projection as one GEMM per layer and
//!   direction, then per step one GEMM against the packed recurrent weights fused with the
//!   gate nonlinearities, in place).
//! - [`PackedCell`] + [`cell_step`]: one step of RNNCell / LSTMCell / GRUCell.
//! - [`reference`]: straightforward per-sample, per-step implementation (generic over
//!   f32/f64) that defines the semantics the fast path is tested against.

mod backward;
pub mod backward_ref;
mod bptt;
mod cell;
pub mod gates;
mod packed;
mod pointwise;
pub mod reference;
mod sequence;
mod step;
mod token;
mod workspace;

pub use bptt::{train_backward, train_forward, train_supported, weight_floats, TrainState};
pub use cell::{cell_step, PackedCell};
pub use packed::PackedRnn;
pub use sequence::{rnn_forward, rnn_forward_par};
pub use workspace::Workspace;

/// Recurrence type; gate counts 1, 1, 4, 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    RnnRelu,
    RnnTanh,
    Lstm,
    Gru,
}

impl Mode {
    /// Gate blocks along the weight's first axis (`G` in `G*H`).
    pub fn gates(self) -> usize {
        match self {
            Mode::RnnRelu | Mode::RnnTanh => 1,
            Mode::Lstm => 4,
            Mode::Gru => 3,
        }
    }
}

/// LSTM cell-state clipping (cuDNN semantics; MXNet's CPU op would refuse it): after each
/// update `c = clamp(c, min, max)`, before `tanh(c)`. With `nan == true` a NaN cell state
/// becomes `min`; otherwise NaN propagates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StateClip {
    pub min: f32,
    pub max: f32,
    pub nan: bool,
}

/// Shape of a fused recurrent stack (Gluon `RNN`/`LSTM`/`GRU` layer).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RnnSpec {
    pub mode: Mode,
    pub hidden: usize,
    pub num_layers: usize,
    pub bidirectional: bool,
    /// Features of the layer-0 input (C of the input).
    pub input_size: usize,
    /// LSTMP projection size P (LSTM only).
    pub projection: Option<usize>,
    /// LSTM only.
    pub clip: Option<StateClip>,
}

impl RnnSpec {
    /// Directions (1 or 2).
    pub fn dirs(&self) -> usize {
        if self.bidirectional {
            2
        } else {
            1
        }
    }

    /// Per-direction output / recurrent-state width H' (P with projection, else H).
    pub fn out_size(&self) -> usize {
        self.projection.unwrap_or(self.hidden)
    }

    /// Input features of layer `l` (`ni` in the spec).
    pub fn layer_input(&self, l: usize) -> usize {
        if l == 0 {
            self.input_size
        } else {
            self.dirs() * self.out_size()
        }
    }
}

/// Raw Gluon parameters of one (layer, direction), row-major as stored by MXNet.
#[derive(Clone, Copy, Debug)]
pub struct DirParams<'a> {
    /// `(G*H, ni)`.
    pub i2h_weight: &'a [f32],
    /// `(G*H, H)`, or `(4H, P)` with projection.
    pub h2h_weight: &'a [f32],
    /// `(G*H,)`.
    pub i2h_bias: &'a [f32],
    /// `(G*H,)`.
    pub h2h_bias: &'a [f32],
    /// `(P, H)`, with projection only.
    pub h2r_weight: Option<&'a [f32]>,
}

/// Parameters of a stack: `dirs[layer * D + dir]` (Gluon `l0, r0, l1, r1, ...`).
#[derive(Clone, Debug)]
pub struct RnnParams<'a> {
    pub dirs: Vec<DirParams<'a>>,
}

/// Memory layout of the sequence input and output (states are always `(L*D, N, C)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `(T, N, C)`.
    Tnc,
    /// `(N, T, C)`.
    Ntc,
}

/// An exact length check of a caller's buffer, naming it.
fn check_len(name: &str, got: usize, want: usize) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{name}: expected {want} values, got {got}"))
    }
}

#[cfg(test)]
mod bptt_tests;
#[cfg(test)]
mod tests;
