//! Packing a Gluon parameter set once: weights into interleaved `PackedB` panels, biases
//! pre-summed where the math allows.

use super::gates::{gate_of, gluon_row, GRU_N, UNITS};
use super::{DirParams, Mode, RnnParams, RnnSpec};
use crate::gemm::{columns_into, PackedB};
use core::ops::Range;

/// A `k x (blocks * width)` matrix stored block by block, each block row-major: block `b`
/// is `k` rows of `width` floats at `data[b * k * width..]`. For `h2h` a block holds
/// `2^units_shift` unit blocks of `G * NR` gate columns side by side, so the panels of a
/// block sit side by side in each row and the few-row (batch 1..3) kernels read all of a k
/// step's B from one pointer with constant offsets; full 4-row tiles read one panel with
/// row stride `width`.
#[derive(Clone, Debug)]
pub(crate) struct BlockRows {
    pub k: usize,
    pub width: usize,
    /// log2 of the unit blocks in one block: 2 for a one-gate RNN, whose four unit blocks
    /// then make a block as wide as an LSTM's (a batch-1 step multiplies four panels at
    /// once: 8 accumulator chains, not 2), 0 otherwise.
    pub units_shift: u32,
    data: crate::alloc::Aligned,
}

impl BlockRows {
    /// `units` unit blocks of `unit_width` columns, `2^units_shift` to a block; column j
    /// (`j < blocks * width`) is `col(j)` (`k` values; `None`: zeros), copied as
    /// `PackedB::from_columns` copies its panels.
    fn from_columns<'a>(
        k: usize,
        unit_width: usize,
        units: usize,
        units_shift: u32,
        col: impl Fn(usize) -> Option<&'a [f32]>,
    ) -> Result<Self, String> {
        let width = unit_width << units_shift;
        let blocks = units.div_ceil(1 << units_shift);
        let len = blocks.saturating_mul(k).saturating_mul(width);
        let mut data = crate::alloc::Aligned::zeroed(len, "packed weights")?;
        columns_into(&mut data, k, width, blocks * width, col);
        Ok(BlockRows {
            k,
            width,
            units_shift,
            data,
        })
    }

    /// Floats held (for memory accounting).
    pub fn floats(&self) -> usize {
        self.data.floats()
    }

    /// The `k * width` floats of block `b`.
    // Inlined: called out of line, the batch-1 kernel it feeds compiled with unfolded load
    // offsets (small LSTM 3% slower in the package).
    #[inline(always)]
    pub fn block(&self, b: usize) -> &[f32] {
        &self.data[b * self.k * self.width..][..self.k * self.width]
    }

    /// Unit block `hb`'s columns: the slice starts at its first column of row 0 and runs to
    /// its block's end (rows `width` apart), so the unit blocks after it in the same block
    /// follow at constant offsets.
    #[inline(always)]
    pub fn unit(&self, hb: usize) -> &[f32] {
        let (b, within) = (hb >> self.units_shift, hb & ((1 << self.units_shift) - 1));
        &self.block(b)[within * (self.width >> self.units_shift)..]
    }

    /// The unit blocks of `units`, in runs that lie in one block each, in order.
    pub fn runs(&self, units: Range<usize>) -> impl DoubleEndedIterator<Item = Range<usize>> {
        let s = self.units_shift;
        let blocks = if units.is_empty() {
            0..0
        } else {
            units.start >> s..((units.end - 1) >> s) + 1
        };
        blocks.map(move |b| (b << s).max(units.start)..((b + 1) << s).min(units.end))
    }
}

/// One (layer, direction) ready for the kernels.
#[derive(Clone, Debug)]
pub(crate) struct PackedDir {
    /// Input features `ni`.
    pub ni: usize,
    /// op(B) = i2h_weight^T, `ni x G*Hp`, interleaved gate columns.
    pub wi: PackedB,
    /// op(B) = h2h_weight^T, `(H or P) x G*Hp`, interleaved gate columns, as unit-block
    /// rows (see [`BlockRows`]).
    pub wh: BlockRows,
    /// Bias added to the input projection, `G*Hp`: `i2h_bias + h2h_bias`, except the GRU
    /// n gate, whose `h2h_bias` is applied inside `r * (W_hn h + b_hn)`.
    pub bias: Vec<f32>,
    /// GRU only: `b_hn` per unit, `Hp`.
    pub bhn: Vec<f32>,
    /// LSTMP: op(B) = h2r_weight^T, `H x P`.
    pub whr: Option<PackedB>,
}

/// A whole fused stack, packed (see [`super::rnn_forward`]).
#[derive(Clone, Debug)]
pub struct PackedRnn {
    pub(crate) spec: RnnSpec,
    /// Hidden size padded to whole unit blocks.
    pub(crate) hp: usize,
    pub(crate) dirs: Vec<PackedDir>,
}

fn expect_len(name: &str, got: usize, want: usize, shape: String) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "{name}: expected shape {shape} ({want} values), got {got} values"
        ))
    }
}

fn validate_spec(s: &RnnSpec) -> Result<(), String> {
    if s.hidden == 0 || s.num_layers == 0 || s.input_size == 0 {
        return Err(format!(
            "hidden_size ({}), num_layers ({}) and input_size ({}) must all be positive",
            s.hidden, s.num_layers, s.input_size
        ));
    }
    if s.mode != Mode::Lstm && (s.projection.is_some() || s.clip.is_some()) {
        return Err("projection_size and state clipping are only supported for LSTM".into());
    }
    if s.projection == Some(0) {
        return Err("projection_size must be positive (use None for no projection)".into());
    }
    if let Some(c) = s.clip {
        if c.min.is_nan() || c.max.is_nan() || c.min > c.max {
            return Err(format!(
                "state_clip_min ({}) must be <= state_clip_max ({})",
                c.min, c.max
            ));
        }
    }
    Ok(())
}

impl PackedDir {
    fn new(
        spec: &RnnSpec,
        hp: usize,
        ni: usize,
        name: &str,
        p: &DirParams,
    ) -> Result<Self, String> {
        let (g, h) = (spec.mode.gates(), spec.hidden);
        let kh = spec.out_size();
        expect_len(
            &format!("{name}i2h_weight"),
            p.i2h_weight.len(),
            g * h * ni,
            format!("({}, {ni})", g * h),
        )?;
        expect_len(
            &format!("{name}h2h_weight"),
            p.h2h_weight.len(),
            g * h * kh,
            format!("({}, {kh})", g * h),
        )?;
        expect_len(
            &format!("{name}i2h_bias"),
            p.i2h_bias.len(),
            g * h,
            format!("({},)", g * h),
        )?;
        expect_len(
            &format!("{name}h2h_bias"),
            p.h2h_bias.len(),
            g * h,
            format!("({},)", g * h),
        )?;
        let whr = match (spec.projection, p.h2r_weight) {
            (Some(pr), Some(w)) => {
                expect_len(
                    &format!("{name}h2r_weight"),
                    w.len(),
                    pr * h,
                    format!("({pr}, {h})"),
                )?;
                Some(PackedB::from_columns(h, pr, |c| Some(&w[c * h..][..h]))?)
            }
            (Some(_), None) => {
                return Err(format!("{name}h2r_weight is required with a projection"))
            }
            (None, Some(_)) => return Err(format!("{name}h2r_weight given without a projection")),
            (None, None) => None,
        };
        let cols = g * hp;
        let (wi, wh) = (p.i2h_weight, p.h2h_weight);
        let wi = PackedB::from_columns(ni, cols, |c| {
            gluon_row(c, g, h).map(|r| &wi[r * ni..][..ni])
        })?;
        let shift = if g == 1 { 2 } else { 0 };
        let wh = BlockRows::from_columns(kh, g * UNITS, hp / UNITS, shift, |c| {
            gluon_row(c, g, h).map(|r| &wh[r * kh..][..kh])
        })?;
        let gru = spec.mode == Mode::Gru;
        let bias = (0..cols)
            .map(|c| {
                gluon_row(c, g, h).map_or(0.0, |r| {
                    let recurrent_inside_reset = gru && gate_of(c, g) == GRU_N;
                    p.i2h_bias[r]
                        + if recurrent_inside_reset {
                            0.0
                        } else {
                            p.h2h_bias[r]
                        }
                })
            })
            .collect();
        let bhn = if gru {
            (0..hp)
                .map(|u| {
                    if u < h {
                        p.h2h_bias[GRU_N * h + u]
                    } else {
                        0.0
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(PackedDir {
            ni,
            wi,
            wh,
            bias,
            bhn,
            whr,
        })
    }
}

impl PackedRnn {
    /// Validates shapes (errors name the Gluon parameter, e.g. `l0_i2h_weight`) and packs
    /// every (layer, direction) of `params` (`params.dirs[layer * D + dir]`).
    pub fn new(spec: RnnSpec, params: &RnnParams) -> Result<Self, String> {
        validate_spec(&spec)?;
        let d = spec.dirs();
        if params.dirs.len() != spec.num_layers * d {
            return Err(format!(
                "expected {} (layer, direction) parameter sets, got {}",
                spec.num_layers * d,
                params.dirs.len()
            ));
        }
        let hp = spec.hidden.next_multiple_of(UNITS);
        let dirs = params
            .dirs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (l, dir) = (i / d, i % d);
                let name = format!("{}{l}_", ["l", "r"][dir]);
                PackedDir::new(&spec, hp, spec.layer_input(l), &name, p)
            })
            .collect::<Result<_, _>>()?;
        Ok(PackedRnn { spec, hp, dirs })
    }

    /// The spec this stack was packed for.
    pub fn spec(&self) -> &RnnSpec {
        &self.spec
    }

    /// Floats the packed weights and biases hold (for memory accounting).
    pub fn floats(&self) -> usize {
        self.dirs
            .iter()
            .map(|d| {
                d.wi.floats()
                    + d.wh.floats()
                    + d.bias.capacity()
                    + d.bhn.capacity()
                    + d.whr.as_ref().map_or(0, PackedB::floats)
            })
            .sum()
    }
}
