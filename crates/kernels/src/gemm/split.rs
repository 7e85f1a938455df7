//! SGEMM spread over a [`Parallel`] executor by blocks of output columns.
//!
//! Columns of C are independent and each is reduced by the same code in the same order
//! whatever the block it falls in (blocks start at multiples of NR), so any split gives
//! bitwise identical results. Each part writes its column block of C in place, through a
//! shared view (no per-part output buffers, no copies).

use super::loops::gemm_raw;
use super::params::NR;
use super::{check_operand, op_view, sgemm};
use crate::par::{Parallel, RawBuf};
use core::ops::Range;

/// `n` columns in at most `parts` ranges starting at multiples of NR.
fn column_blocks(n: usize, parts: usize) -> Vec<Range<usize>> {
    let panels = n.div_ceil(NR);
    let parts = parts.clamp(1, panels.max(1));
    (0..parts)
        .map(|i| (panels * i / parts * NR).min(n)..(panels * (i + 1) / parts * NR).min(n))
        .filter(|r| !r.is_empty())
        .collect()
}

/// [`sgemm`] over `par`: split by column blocks when the call has at least
/// `par.min_parallel_macs()` multiply-adds and more than one panel of columns.
#[allow(clippy::too_many_arguments)]
pub fn sgemm_par(
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
    par: &dyn Parallel,
) -> Result<(), String> {
    let macs = m.saturating_mul(n).saturating_mul(k);
    let blocks = if par.threads() > 1 && macs > 0 && macs >= par.min_parallel_macs() {
        column_blocks(n, par.threads().min(n / NR))
    } else {
        Vec::new()
    };
    if blocks.len() <= 1 {
        sgemm(
            trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
        );
        return Ok(());
    }
    let (ar, ac) = if trans_a { (k, m) } else { (m, k) };
    let (br, bc) = if trans_b { (n, k) } else { (k, n) };
    check_operand("A", a.len(), ar, ac, lda);
    check_operand("B", b.len(), br, bc, ldb);
    check_operand("C", c.len(), m, n, ldc);
    let cb = RawBuf::new(c);
    par.run(blocks.len(), &|p| {
        let r = &blocks[p];
        // Column block j0.. of op(B): B[:, j0..] (no transpose) or rows j0.. of B (transpose).
        let b_off = if trans_b { r.start * ldb } else { r.start };
        let mut scratch = Vec::new();
        // SAFETY: part p alone writes columns `r` of C (rows 0..m), which `c` (exclusively
        // borrowed until `run` returns) holds: its extent was checked above.
        unsafe {
            gemm_raw(
                m,
                r.len(),
                k,
                alpha,
                op_view(a, lda, trans_a),
                op_view(&b[b_off..], ldb, trans_b),
                beta,
                cb.from(r.start),
                ldc,
                &mut scratch,
            )
        };
    })
}

#[cfg(test)]
mod tests {
    use super::{column_blocks, sgemm_par};
    use crate::gemm::sgemm;
    use crate::gemm::tests::fill;
    use crate::par::Threads;

    /// Column blocks written in place by parallel parts (the small-m and the packing paths,
    /// every transpose, beta 0 and not, ldc > n) give bitwise the result of one call.
    #[test]
    fn parallel_columns_are_bitwise_identical_to_one_call() {
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for (i, &(m, n, k)) in [
            (0, 9, 3),
            (1, 0, 3),
            (1, 17, 0),
            (1, 33, 5),
            (3, 9, 300),
            (4, 16, 7),
            (5, 41, 13),
            (17, 8, 260),
            (9, 65, 1),
        ]
        .iter()
        .enumerate()
        {
            for variant in 0..8 {
                let (ta, tb, beta) = (variant & 1 == 1, variant & 2 == 2, [0.0, 1.5][variant >> 2]);
                let (lda, ldb, ldc) = (if ta { m } else { k }, if tb { k } else { n }, n + 3);
                let (a, b) = (fill(m * k, 1 + i as u32), fill(k * n, 2));
                let c0 = fill(m * ldc, 3);
                let mut want = c0.clone();
                sgemm(ta, tb, m, n, k, 0.7, &a, lda, &b, ldb, beta, &mut want, ldc);
                for threads in [2, 3, 4] {
                    let mut c = c0.clone();
                    sgemm_par(
                        ta,
                        tb,
                        m,
                        n,
                        k,
                        0.7,
                        &a,
                        lda,
                        &b,
                        ldb,
                        beta,
                        &mut c,
                        ldc,
                        &Threads(threads),
                    )
                    .unwrap();
                    let what = format!("m {m} n {n} k {k} variant {variant} threads {threads}");
                    assert_eq!(bits(&c), bits(&want), "{what}");
                }
            }
        }
    }

    #[test]
    fn column_blocks_cover_exactly_and_align() {
        for n in 0..70 {
            for parts in 1..6 {
                let rs = column_blocks(n, parts);
                let mut next = 0;
                for r in &rs {
                    assert_eq!(r.start, next);
                    assert_eq!(r.start % super::NR, 0);
                    next = r.end;
                }
                assert_eq!(next, n);
                assert!(rs.len() <= parts);
            }
        }
    }
}
