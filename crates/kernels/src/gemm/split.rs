//! SGEMM spread over a [`Parallel`] executor by blocks of output columns.
//!
//! Columns of C are independent and each is reduced by the same code in the same order
//! whatever the block it falls in (blocks start at multiples of NR), so any split gives
//! bitwise identical results. A column block of C is strided in memory, so each part
//! computes its block into its own buffer, copied back afterwards.

use super::params::NR;
use super::sgemm;
use crate::alloc;
use crate::par::{Parallel, Slots};
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
    let blocks = if par.threads() > 1 && macs >= par.min_parallel_macs() {
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
    let mut outs = blocks
        .iter()
        .map(|r| {
            let w = r.len();
            let mut buf = alloc::zeroed(m * w, "sgemm: a column block of C")?;
            if beta != 0.0 {
                for i in 0..m {
                    buf[i * w..(i + 1) * w].copy_from_slice(&c[i * ldc + r.start..i * ldc + r.end]);
                }
            }
            Ok(buf)
        })
        .collect::<Result<Vec<_>, String>>()?;
    let slots = Slots::new(&mut outs);
    par.run(blocks.len(), &|p| {
        let r = &blocks[p];
        // Column block j0.. of op(B): B[:, j0..] (no transpose) or rows j0.. of B (transpose).
        let b_off = if trans_b { r.start * ldb } else { r.start };
        // SAFETY: part p alone uses slot p; `outs` is not otherwise used until `run` returns.
        let out = unsafe { slots.get(p) };
        let w = r.len();
        sgemm(
            trans_a,
            trans_b,
            m,
            w,
            k,
            alpha,
            a,
            lda,
            &b[b_off..],
            ldb,
            beta,
            out,
            w,
        );
    })?;
    for (r, out) in blocks.iter().zip(&outs) {
        let w = r.len();
        for i in 0..m {
            c[i * ldc + r.start..i * ldc + r.end].copy_from_slice(&out[i * w..(i + 1) * w]);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::column_blocks;

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
