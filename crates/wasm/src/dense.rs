//! `FullyConnected` (Gluon `nn.Dense`) with its weight packed once in wasm memory: a decoder
//! applied token by token then copies only its input and output per call.

use crate::check::{elems, kernel_error};
use crate::split;
use crate::staging::{returned, Staging};
use gluon_kernels::dense::PackedDense;
use wasm_bindgen::prelude::*;

/// A packed Dense weight (`units x in_units`) and bias, with a staging area.
#[wasm_bindgen]
pub struct DenseKernel {
    packed: PackedDense,
    io: Staging,
}

#[wasm_bindgen]
impl DenseKernel {
    /// Packs `weight` (`units x in_units`, MXNet's layout); `bias` of `units`, or empty for
    /// none (`units` is never 0, so an empty bias is never a real one).
    #[wasm_bindgen(constructor)]
    pub fn new(
        units: usize,
        in_units: usize,
        weight: &[f32],
        bias: &[f32],
    ) -> Result<DenseKernel, JsError> {
        if units == 0 {
            return Err(JsError::new("units: expected a positive integer, got 0"));
        }
        let bias = (!bias.is_empty()).then_some(bias);
        let packed = PackedDense::new(units, in_units, weight, bias).map_err(kernel_error)?;
        Ok(DenseKernel {
            packed,
            io: Staging::default(),
        })
    }

    /// Bytes of wasm memory this handle holds (packed weight, bias, scratch, staging).
    pub fn held_bytes(&self) -> f64 {
        (self.packed.floats() + self.io.capacity()) as f64 * 4.0
    }

    /// Reserves the staging area for a call of `len` floats of input and output and returns
    /// its address: JavaScript writes x there.
    pub fn stage(&mut self, len: usize) -> Result<usize, JsError> {
        self.io.reserve(len)
    }

    /// `y = x W^T + b` for the `m` staged rows of x, written right after them. Returns the
    /// error instead of throwing it (undefined on success), as the recurrent kernels do.
    pub fn forward(&mut self, m: usize) -> Option<JsValue> {
        returned((|| {
            let (units, in_units) = self.packed.shape();
            let x_len = elems(&[m, in_units], "x")?;
            let (x, y) = self.io.split(x_len, elems(&[m, units], "output")?)?;
            self.packed
                .forward(m, x, y, &split::Pool)
                .map_err(kernel_error)
        })())
    }
}
