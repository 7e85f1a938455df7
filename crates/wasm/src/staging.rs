//! The staging area of a kernel handle and how its per-call methods return errors: shared by
//! every handle JavaScript calls token by token (recurrent layers, cells, training, Dense).

use crate::check::kernel_error;
use gluon_kernels::alloc;
use wasm_bindgen::prelude::*;

/// A handle's staging area: `[inputs | outputs]`, grown to the largest call seen.
#[derive(Default)]
pub(crate) struct Staging {
    data: Vec<f32>,
}

impl Staging {
    /// Room for `len` floats; returns their address for JavaScript to write into.
    pub(crate) fn reserve(&mut self, len: usize) -> Result<usize, JsError> {
        alloc::grow(&mut self.data, len, "the call's inputs and outputs").map_err(kernel_error)?;
        Ok(self.data.as_mut_ptr() as usize)
    }

    /// The first `inputs` floats (read) and the next `outputs` (written), checked against
    /// what was reserved.
    pub(crate) fn split(
        &mut self,
        inputs: usize,
        outputs: usize,
    ) -> Result<(&[f32], &mut [f32]), JsError> {
        let need = inputs
            .checked_add(outputs)
            .ok_or_else(|| JsError::new("call: size overflows"))?;
        if need > self.data.len() {
            return Err(JsError::new(&format!(
                "call: {need} floats of inputs and outputs, but {} were staged",
                self.data.len()
            )));
        }
        let (i, o) = self.data[..need].split_at_mut(inputs);
        Ok((i, o))
    }

    pub(crate) fn capacity(&self) -> usize {
        self.data.capacity()
    }
}

/// The error of a per-token call as its one return value (`undefined` on success). A
/// `Result` would come back as two values through wasm-bindgen's return pointer (the builds
/// have no multi-value returns: scripts/build-wasm.sh), two more calls into wasm and reads
/// through a `DataView` on every token: ~0.1 µs of a ~2 µs call on Node 20.
pub(crate) fn returned(r: Result<(), JsError>) -> Option<JsValue> {
    r.err().map(JsValue::from)
}
