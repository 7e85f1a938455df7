//! Single-step cells (Gluon `RNNCell`, `LSTMCell`, `GRUCell`): a one-layer, one-direction
//! stack run for one time step.

use super::sequence::forward;
use super::{DirParams, Layout, Mode, PackedRnn, RnnParams, RnnSpec, Workspace};
use crate::par::Inline;

/// A packed cell (LSTMCell with its default sigmoid/tanh activations; RNNCell with tanh or
/// relu).
#[derive(Clone, Debug)]
pub struct PackedCell {
    rnn: PackedRnn,
}

impl PackedCell {
    /// Packs Gluon cell parameters: `i2h_w (G*H, I)`, `h2h_w (G*H, H)`, biases `(G*H,)`.
    pub fn new(
        mode: Mode,
        hidden: usize,
        input_size: usize,
        i2h_w: &[f32],
        h2h_w: &[f32],
        i2h_b: &[f32],
        h2h_b: &[f32],
    ) -> Result<Self, String> {
        let spec = RnnSpec {
            mode,
            hidden,
            num_layers: 1,
            bidirectional: false,
            input_size,
            projection: None,
            clip: None,
        };
        let dir = DirParams {
            i2h_weight: i2h_w,
            h2h_weight: h2h_w,
            i2h_bias: i2h_b,
            h2h_bias: h2h_b,
            h2r_weight: None,
        };
        let rnn = PackedRnn::new(spec, &RnnParams { dirs: vec![dir] })
            .map_err(|e| e.replace("l0_", ""))?;
        Ok(PackedCell { rnn })
    }

    /// Floats the packed weights hold (for memory accounting).
    pub fn floats(&self) -> usize {
        self.rnn.floats()
    }

    /// The cell's mode, hidden size and input size.
    pub fn shape(&self) -> (Mode, usize, usize) {
        let s = self.rnn.spec();
        (s.mode, s.hidden, s.input_size)
    }
}

/// One step for a batch of `n`: `x (n, I)`, `h (n, H)`, `c (n, H)` (LSTM; zeros when
/// `None`) → `h_out (n, H)` and, for LSTM, `c_out (n, H)` when given.
#[allow(clippy::too_many_arguments)]
pub fn cell_step(
    p: &PackedCell,
    n: usize,
    x: &[f32],
    h: &[f32],
    c: Option<&[f32]>,
    h_out: &mut [f32],
    c_out: Option<&mut [f32]>,
    ws: &mut Workspace,
) -> Result<(), String> {
    forward(
        &p.rnn,
        Layout::Tnc,
        1,
        n,
        x,
        Some(h),
        c,
        None,
        h_out,
        None,
        c_out,
        ws,
        &Inline,
    )
}
