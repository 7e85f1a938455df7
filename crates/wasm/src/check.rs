//! Argument validation shared by the exports: sizes are checked here, in one place,
//! so the kernels' asserts can never fire from a JavaScript call.

use wasm_bindgen::JsError;

/// Elements a row-major `rows x cols` matrix with leading dimension `ld` occupies.
pub fn matrix_span(rows: usize, cols: usize, ld: usize) -> Option<usize> {
    if rows == 0 || cols == 0 {
        return Some(0);
    }
    (rows - 1).checked_mul(ld)?.checked_add(cols)
}

/// Checks that `len` elements hold a `rows x cols` matrix with leading dimension `ld`.
pub fn check_matrix(
    what: &str,
    len: usize,
    rows: usize,
    cols: usize,
    ld: usize,
) -> Result<(), JsError> {
    if cols > 0 && ld < cols {
        return Err(JsError::new(&format!(
            "{what}: leading dimension {ld} is smaller than the row length {cols}"
        )));
    }
    match matrix_span(rows, cols, ld) {
        Some(need) if need <= len => Ok(()),
        Some(need) => Err(JsError::new(&format!(
            "{what}: a {rows}x{cols} matrix with leading dimension {ld} needs {need} elements, got {len}"
        ))),
        None => Err(JsError::new(&format!("{what}: size {rows}x{cols} (ld {ld}) overflows"))),
    }
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
