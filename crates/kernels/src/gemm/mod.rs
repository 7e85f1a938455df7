//! Row-major single-precision GEMM with BLAS `alpha`/`beta` meaning.
//!
//! `sgemm` packs both operands per call; `PackedB` + `sgemm_packed` pack B once for
//! repeated use (the recurrent weights of an RNN) and can compute any column range of C,
//! so a thread pool can split columns without changing a single bit of the result.
//!
//! Sizes are checked with `assert!` (the wasm layer validates user input first; a panic
//! here means a caller bug). Each assert names the operand it protects.

mod loops;
pub mod micro;
mod pack;
pub mod params;
pub mod reference;
mod small;
mod split;

use core::ops::Range;

use crate::par::RawBuf;
pub use pack::MatRef;
use params::NR;
pub use split::sgemm_packed_par;
pub use split::sgemm_par;

pub(crate) use loops::{tile_full_raw, tile_rows_block, BlockDst};
pub(crate) use pack::{columns_into, pack_a};

/// Checks that `len` elements hold a row-major `rows x cols` operand with leading dimension
/// `ld`; the error names the operand (`what`). The wasm layer returns it to JavaScript, the
/// kernels below assert it.
pub fn operand_fits(
    what: &str,
    len: usize,
    rows: usize,
    cols: usize,
    ld: usize,
) -> Result<(), String> {
    if cols == 0 {
        return Ok(());
    }
    if ld < cols {
        return Err(format!(
            "{what}: leading dimension {ld} is smaller than the row length {cols}"
        ));
    }
    if rows == 0 || loops::fits(0, rows, ld, cols, len) {
        return Ok(());
    }
    Err(match (rows - 1).checked_mul(ld).and_then(|x| x.checked_add(cols)) {
        Some(need) => format!("{what}: a {rows}x{cols} matrix with leading dimension {ld} needs {need} elements, got {len}"),
        None => format!("{what}: size {rows}x{cols} (ld {ld}) overflows"),
    })
}

/// Asserts [`operand_fits`]: a short operand is a caller bug here.
fn check_operand(name: &str, len: usize, rows: usize, cols: usize, ld: usize) {
    if let Err(e) = operand_fits(name, len, rows, cols, ld) {
        panic!("sgemm: {e}");
    }
}

/// Strided view of op(X) for a row-major X stored `rows x cols` (`!trans`) or transposed.
fn op_view(data: &[f32], ld: usize, trans: bool) -> MatRef<'_> {
    if trans {
        MatRef {
            data,
            rs: 1,
            cs: ld,
        }
    } else {
        MatRef {
            data,
            rs: ld,
            cs: 1,
        }
    }
}

/// Row-major `C[m x n] = alpha * op(A) * op(B) + beta * C` (BLAS meaning; `beta == 0` means
/// C is not read, so NaNs in C are overwritten).
///
/// op(A) is m x k: A is stored m x k (`lda >= k`) when `!trans_a`, else k x m (`lda >= m`).
/// Same for B (k x n, or n x k when `trans_b`). Panics if a slice is too short or a leading
/// dimension too small for the sizes given.
#[allow(clippy::too_many_arguments)]
pub fn sgemm(
    trans_a: bool,
    trans_b: bool,
    m: usize,
    n: usize,
    k: usize,
    alpha: f32,
    a: &[f32],
    lda: usize,
    b: &[f32],
    ldb: usize,
    beta: f32,
    c: &mut [f32],
    ldc: usize,
) {
    let (ar, ac) = if trans_a { (k, m) } else { (m, k) };
    let (br, bc) = if trans_b { (n, k) } else { (k, n) };
    check_operand("A", a.len(), ar, ac, lda);
    check_operand("B", b.len(), br, bc, ldb);
    check_operand("C", c.len(), m, n, ldc);
    let mut scratch = Vec::new();
    let (av, bv) = (op_view(a, lda, trans_a), op_view(b, ldb, trans_b));
    loops::gemm(m, n, k, alpha, av, bv, beta, c, ldc, &mut scratch);
}

/// op(B) (k x n) packed once into NR-column panels for repeated `sgemm_packed` calls.
///
/// Layout: panel `jp` holds op(B)[0..k, jp*NR..jp*NR+NR] row by row (`k * NR` floats,
/// columns past `n` zero).
#[derive(Clone, Debug, Default)]
pub struct PackedB {
    k: usize,
    n: usize,
    data: crate::alloc::Aligned,
}

impl PackedB {
    /// Floats held (for memory accounting).
    pub fn floats(&self) -> usize {
        self.data.floats()
    }

    /// Packs op(B): B stored k x n (`ldb >= n`) when `!trans_b`, else n x k (`ldb >= k`).
    /// Panics if `b` is too short for that shape or the memory cannot be had.
    pub fn new(trans_b: bool, k: usize, n: usize, b: &[f32], ldb: usize) -> Self {
        Self::try_new(trans_b, k, n, b, ldb).unwrap_or_else(|e| panic!("PackedB: {e}"))
    }

    /// [`PackedB::new`] returning an error, naming B, instead of panicking.
    pub fn try_new(
        trans_b: bool,
        k: usize,
        n: usize,
        b: &[f32],
        ldb: usize,
    ) -> Result<Self, String> {
        let (br, bc) = if trans_b { (n, k) } else { (k, n) };
        operand_fits("B", b.len(), br, bc, ldb)?;
        let len = n.div_ceil(NR).saturating_mul(NR).saturating_mul(k);
        let mut data = crate::alloc::Aligned::zeroed(len, "packed weights")?;
        if k > 0 && n > 0 {
            pack::pack_b(op_view(b, ldb, trans_b), 0, k, 0, n, &mut data);
        }
        Ok(PackedB { k, n, data })
    }

    /// Packs the k x n matrix whose column j is `col(j)` (`k` values; `None`: zeros): the RNN
    /// drivers permute and pad gate columns this way (see `pack::columns_into`).
    pub(crate) fn from_columns<'a>(
        k: usize,
        n: usize,
        col: impl Fn(usize) -> Option<&'a [f32]>,
    ) -> Result<Self, String> {
        let len = (n.div_ceil(NR) * NR).saturating_mul(k);
        let mut data = crate::alloc::Aligned::zeroed(len, "packed weights")?;
        pack::columns_into(&mut data, k, NR, n, col);
        Ok(PackedB { k, n, data })
    }

    /// Rows of op(B) (the reduction depth).
    pub fn k(&self) -> usize {
        self.k
    }

    /// Columns of op(B).
    pub fn n(&self) -> usize {
        self.n
    }
}

/// `C[0..m, n_range] = alpha * A · op(B) + beta * C[0..m, n_range]` for A stored m x k
/// row-major (`lda >= k`) and a pre-packed B; other columns of C are untouched.
///
/// Every element is reduced in the same k order whatever `n_range` is, so splitting the
/// columns into several calls gives bitwise the same C as one call. Panics if
/// `n_range.end > b.n()` or a slice is too short.
#[allow(clippy::too_many_arguments)]
pub fn sgemm_packed(
    m: usize,
    n_range: Range<usize>,
    alpha: f32,
    a: &[f32],
    lda: usize,
    b: &PackedB,
    beta: f32,
    c: &mut [f32],
    ldc: usize,
) {
    let mut scratch = Vec::new();
    sgemm_packed_with(m, n_range, alpha, a, lda, b, beta, c, ldc, &mut scratch);
}

/// `sgemm_packed` with a caller-owned scratch buffer (grown, never shrunk), so repeated
/// calls do not allocate.
#[allow(clippy::too_many_arguments)]
pub fn sgemm_packed_with(
    m: usize,
    n_range: Range<usize>,
    alpha: f32,
    a: &[f32],
    lda: usize,
    b: &PackedB,
    beta: f32,
    c: &mut [f32],
    ldc: usize,
    scratch: &mut Vec<f32>,
) {
    // SAFETY: `c` is exclusively borrowed for the whole call.
    unsafe {
        sgemm_packed_raw(
            m,
            n_range,
            alpha,
            a,
            lda,
            b,
            beta,
            RawBuf::new(c),
            ldc,
            scratch,
        )
    }
}

/// [`sgemm_packed_with`] writing through a shared view of C: the parts of a fork-join each
/// compute their own columns of one C in place.
///
/// # Safety
/// `c` must view a live buffer that nothing else reads or writes, in rows `0..m` of columns
/// `n_range`, during the call.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn sgemm_packed_raw(
    m: usize,
    n_range: Range<usize>,
    alpha: f32,
    a: &[f32],
    lda: usize,
    b: &PackedB,
    beta: f32,
    c: RawBuf,
    ldc: usize,
    scratch: &mut Vec<f32>,
) {
    assert!(
        n_range.start <= n_range.end && n_range.end <= b.n,
        "sgemm_packed: column range outside B"
    );
    check_operand("A", a.len(), m, b.k, lda);
    // C must reach the last row's last column in range; ldc must cover the range end.
    if m > 0 && !n_range.is_empty() {
        assert!(
            ldc >= n_range.end,
            "sgemm_packed: ldc {ldc} < {}",
            n_range.end
        );
        assert!(
            loops::fits(0, m, ldc, n_range.end, c.len()),
            "sgemm_packed: C too short"
        );
    }
    let av = MatRef {
        data: a,
        rs: lda,
        cs: 1,
    };
    // SAFETY: the caller's window, whose extent was checked above.
    unsafe {
        loops::gemm_prepacked_raw(m, n_range, b.k, alpha, av, &b.data, beta, c, ldc, scratch)
    };
}

/// `C[0..rows, panels' columns] = A · B + beta(jp) * C` for `rows <= MR` rows already packed
/// as one A panel over all of B's `k` (`pack_a(a, 0, rows, 0, k, ..)`), against whole panels
/// `jp` of B: the same bits as [`sgemm_packed_raw`] with `alpha = 1` and that beta, for
/// `k <= KC` (deeper, only `beta = 0` is: later KC slices add onto the first). A one-step
/// RNN call of a few rows projects its input this way, without the GEMM's per-call packing
/// and blocking; `beta` 1 adds it onto recurrent products computed first.
///
/// # Safety
/// `c` must view a live buffer that nothing else reads or writes, in rows `0..rows` of the
/// panels' columns, during the call.
pub(crate) unsafe fn sgemm_rows_packed_raw(
    rows: usize,
    a_panel: &[f32],
    b: &PackedB,
    panels: Range<usize>,
    beta: impl Fn(usize) -> f32,
    c: RawBuf,
    ldc: usize,
) {
    assert!(
        (1..=params::MR).contains(&rows) && a_panel.len() >= b.k * params::MR,
        "sgemm_rows_packed: A panel"
    );
    assert!(
        panels.start <= panels.end && panels.end <= b.n.div_ceil(NR),
        "sgemm_rows_packed: panels outside B"
    );
    // SAFETY: the caller's window (each tile is bounds-checked against `c`).
    unsafe { loops::rows_prepacked_raw(rows, b.k, a_panel, &b.data, panels, beta, c, ldc) };
}

#[cfg(test)]
pub(crate) mod tests;
