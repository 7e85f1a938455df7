//! Argument validation shared by the exports: sizes are checked here, in one place,
//! so the kernels' asserts can never fire from a JavaScript call.

use wasm_bindgen::JsError;

/// Checks that `len` elements hold a `rows x cols` matrix with leading dimension `ld`
/// (the kernels' own check, as a JavaScript error instead of their assert).
pub fn check_matrix(
    what: &str,
    len: usize,
    rows: usize,
    cols: usize,
    ld: usize,
) -> Result<(), JsError> {
    gluon_kernels::gemm::operand_fits(what, len, rows, cols, ld).map_err(|e| JsError::new(&e))
}

/// The product of `dims`, or an error naming `what` when it does not fit `usize` (32 bits on
/// wasm32).
pub fn elems(dims: &[usize], what: &str) -> Result<usize, JsError> {
    gluon_kernels::alloc::elems(dims).map_err(|_| JsError::new(&format!("{what}: size overflows")))
}

/// Checks an exact element count.
pub fn require_len(what: &str, got: usize, want: usize) -> Result<(), JsError> {
    if got == want {
        Ok(())
    } else {
        Err(JsError::new(&format!(
            "{what}: expected {want} elements, got {got}"
        )))
    }
}

/// A kernel's error as a JavaScript error; an allocation failure also says how much wasm
/// memory is left (the JavaScript layer raises those as `RangeError`).
pub fn kernel_error(e: String) -> JsError {
    if e.starts_with(gluon_kernels::alloc::OUT_OF_MEMORY) {
        JsError::new(&format!(
            "{e}; {} bytes of wasm memory are free",
            crate::alloc::heap_headroom_bytes()
        ))
    } else {
        JsError::new(&e)
    }
}
