//! Reusable scratch for the recurrent drivers: buffers grow to the largest call seen and
//! are never shrunk, so steady-state calls do not allocate.

/// Scratch owner passed to [`super::rnn_forward`] / [`super::cell_step`]. Contents between
/// calls are meaningless.
#[derive(Debug, Default)]
pub struct Workspace {
    /// Layer-0 input transposed to TNC (NTC calls only).
    pub(crate) xin: Vec<f32>,
    /// Outputs of inner layers (TNC): layer `l` writes `layers[l % 2]` and reads the other.
    pub(crate) layers: [Vec<f32>; 2],
    /// Gate pre-activations of a chunk of steps, `(steps*N, G*Hp)` in packed column order.
    pub(crate) xproj: Vec<f32>,
    /// States and step scratch of a direction (all rows, unless split by rows).
    pub(crate) dir: DirScratch,
    /// One per batch-row part when a direction's rows are split over threads.
    pub(crate) rows: Vec<DirScratch>,
    /// One GEMM packing scratch per parallel part.
    pub(crate) parts: Vec<Vec<f32>>,
    /// A token's recurrent products computed first (`token.rs`).
    pub(crate) token: TokenScratch,
}

/// Buffers of a mirrored token walk, and which walk the next token takes.
#[derive(Debug, Default)]
pub(crate) struct TokenScratch {
    /// Gate pre-activations of every (layer, direction), `(N, G*Hp)` each.
    pub gates: Vec<f32>,
    /// GRU: `W_hn h` of every (layer, direction), `(N, Hp)` each.
    pub nrec: Vec<f32>,
    /// The initial state of every (layer, direction), packed as the GEMM's A operand.
    pub hpack: Vec<f32>,
    /// Whether the last eligible token took the mirrored walk.
    pub odd: bool,
}

/// Per-direction buffers (directions run one after the other).
#[derive(Debug, Default)]
pub(crate) struct DirScratch {
    /// Recurrent state packed as the GEMM's A operand.
    pub apack: Vec<f32>,
    /// Recurrent state `(N, Hp)`, or `(N, P)` with projection.
    pub hrec: Vec<f32>,
    /// LSTM cell state `(N, Hp)`.
    pub cstate: Vec<f32>,
    /// LSTMP: unprojected h of the step `(N, Hp)`.
    pub hfull: Vec<f32>,
    /// LSTMP: projected r of the step `(N, P)`.
    pub rbuf: Vec<f32>,
    /// GRU: `W_hn h` of one unit block `(N, 8)`.
    pub nbuf: Vec<f32>,
    /// Packing scratch of the input-projection / projection GEMMs.
    pub gemm: Vec<f32>,
}

impl Workspace {
    /// An empty workspace; the first call sizes it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Total f32 capacity held (for memory accounting in the wasm layer).
    pub fn capacity(&self) -> usize {
        let own = [&self.xin, &self.layers[0], &self.layers[1], &self.xproj]
            .iter()
            .map(|v| v.capacity())
            .sum::<usize>();
        let parts = self.parts.iter().map(Vec::capacity).sum::<usize>();
        let t = &self.token;
        let token = t.gates.capacity() + t.nrec.capacity() + t.hpack.capacity();
        own + parts
            + token
            + self.dir.capacity()
            + self.rows.iter().map(DirScratch::capacity).sum::<usize>()
    }
}

impl DirScratch {
    fn capacity(&self) -> usize {
        [
            &self.apack,
            &self.hrec,
            &self.cstate,
            &self.hfull,
            &self.rbuf,
            &self.nbuf,
            &self.gemm,
        ]
        .iter()
        .map(|v| v.capacity())
        .sum()
    }
}

/// Grows `v` to at least `len` (never shrinks) and returns the first `len` elements; an
/// error (not an abort) when memory runs out.
pub(crate) fn grow(v: &mut Vec<f32>, len: usize) -> Result<&mut [f32], String> {
    crate::alloc::grow(v, len, "recurrent workspace")
}
