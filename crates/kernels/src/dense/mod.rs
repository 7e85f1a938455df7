//! `FullyConnected` (Gluon `nn.Dense`) with its weight packed once: `y = x W^T + b` for a
//! weight of `units x in_units` (MXNet's layout, src/operator/nn/fully_connected-inl.h) and
//! a bias of `units`. `sgemm(false, true, ..)` packs W on every call; a decoder applied token
//! by token reads all of it each time, so packing it once halves what a call streams and
//! leaves only `x` and `y` to copy.

use crate::gemm::{sgemm_packed_par, PackedB};
use crate::par::Parallel;

/// A packed `FullyConnected` weight (and bias), with the GEMM's packing scratch.
pub struct PackedDense {
    w: PackedB,
    bias: Option<Vec<f32>>,
    /// One per thread that may take a part: a call allocates nothing once each has grown.
    scratch: Vec<Vec<f32>>,
}

impl PackedDense {
    /// Packs `weight` (`units x in_units`, row-major) and keeps `bias` (`units`, or none).
    /// Errors name the argument whose length does not match, or the allocation that failed.
    pub fn new(
        units: usize,
        in_units: usize,
        weight: &[f32],
        bias: Option<&[f32]>,
    ) -> Result<Self, String> {
        let expected = units
            .checked_mul(in_units)
            .ok_or_else(|| format!("weight: size {units}x{in_units} overflows"))?;
        if weight.len() != expected {
            return Err(format!(
                "weight: expected {units}x{in_units} = {expected} elements, got {}",
                weight.len()
            ));
        }
        if let Some(b) = bias {
            if b.len() != units {
                return Err(format!("bias: expected {units} elements, got {}", b.len()));
            }
        }
        let w = PackedB::try_new(true, in_units, units, weight, in_units)?;
        let bias = match bias {
            Some(b) => {
                let mut v = crate::alloc::zeroed(b.len(), "bias")?;
                v.copy_from_slice(b);
                Some(v)
            }
            None => None,
        };
        Ok(PackedDense {
            w,
            bias,
            scratch: Vec::new(),
        })
    }

    /// `(units, in_units)`.
    pub fn shape(&self) -> (usize, usize) {
        (self.w.n(), self.w.k())
    }

    /// Floats held: packed weight, bias and scratch (for memory accounting).
    pub fn floats(&self) -> usize {
        let scratch: usize = self.scratch.iter().map(Vec::capacity).sum();
        self.w.floats() + self.bias.as_ref().map_or(0, Vec::capacity) + scratch
    }

    /// `out (m x units) = x (m x in_units) W^T + b`, the columns spread over `par` (bitwise
    /// the result on one thread). The product is `sgemm_packed`'s, every element reduced in k
    /// order whatever `m` (unlike `sgemm`'s few-row path, whose dot products sum in another
    /// order), the bias added after it.
    pub fn forward(
        &mut self,
        m: usize,
        x: &[f32],
        out: &mut [f32],
        par: &dyn Parallel,
    ) -> Result<(), String> {
        let (units, in_units) = self.shape();
        let need = |rows: usize, cols: usize| rows.checked_mul(cols).ok_or("size overflows");
        if x.len() != need(m, in_units)? {
            return Err(format!(
                "x: expected {m}x{in_units} elements, got {}",
                x.len()
            ));
        }
        if out.len() != need(m, units)? {
            return Err(format!(
                "out: expected {m}x{units} elements, got {}",
                out.len()
            ));
        }
        if m == 0 {
            return Ok(());
        }
        let slots = par.threads().max(1);
        if self.scratch.len() < slots {
            self.scratch
                .try_reserve_exact(slots - self.scratch.len())
                .map_err(|_| format!("{}: scratch", crate::alloc::OUT_OF_MEMORY))?;
            self.scratch.resize_with(slots, Vec::new);
        }
        sgemm_packed_par(
            m,
            0..units,
            1.0,
            x,
            in_units,
            &self.w,
            0.0,
            out,
            units,
            &mut self.scratch,
            par,
        )?;
        if let Some(b) = &self.bias {
            for row in out.chunks_exact_mut(units) {
                for (y, &bj) in row.iter_mut().zip(b) {
                    *y += bj;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
