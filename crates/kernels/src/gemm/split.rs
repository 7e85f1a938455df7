//! SGEMM spread over a [`Parallel`] executor by blocks of output columns.
//!
//! Columns of C are independent and each is reduced by the same code in the same order
//! whatever the block it falls in (blocks start at multiples of NR), so any split gives
//! bitwise identical results. Each part writes its column block of C in place, through a
//! shared view (no per-part output buffers, no copies).

use super::loops::gemm_raw;
use super::params::NR;
use super::{check_operand, op_view, sgemm, sgemm_packed_raw, sgemm_packed_with, PackedB};
use crate::par::{Parallel, RawBuf, Slots};
use core::cell::RefCell;
use core::ops::Range;

/// How many column blocks a call of `m x n x k` multiply-adds splits into over `par` (1: it
/// runs on the calling thread): only calls reaching `par.min_parallel_macs()`, at most one
/// block per NR panel.
fn column_parts(m: usize, n: usize, k: usize, par: &dyn Parallel) -> usize {
    let macs = m.saturating_mul(n).saturating_mul(k);
    if par.threads() > 1 && macs > 0 && macs >= par.min_parallel_macs() {
        par.threads().min(n / NR).max(1)
    } else {
        1
    }
}

/// Block `p` of `n` columns in `parts` ranges starting at multiples of NR (computed, not
/// collected: a call allocates nothing for its plan).
fn column_block(n: usize, parts: usize, p: usize) -> Range<usize> {
    let panels = n.div_ceil(NR);
    (panels * p / parts * NR).min(n)..(panels * (p + 1) / parts * NR).min(n)
}

thread_local! {
    /// The packing scratch of the parts of [`sgemm_packed_par`] other than the first, one per
    /// thread, kept between calls (grown to the largest, never shrunk).
    static PART_SCRATCH: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// [`sgemm_packed_with`] over `par`: the columns `n_range` in NR-aligned blocks, each part
/// writing its block of C in place (bitwise the result of one call). Part `p` packs into
/// `scratch[p]`, parts past the slots into their thread's own scratch: an owner that keeps
/// one slot per thread makes no allocation once every slot has grown, whichever thread runs
/// which part. Calls under `par.min_parallel_macs()` run on the calling thread, in slot 0.
/// Panics without a slot.
#[allow(clippy::too_many_arguments)]
pub fn sgemm_packed_par(
    m: usize,
    n_range: Range<usize>,
    alpha: f32,
    a: &[f32],
    lda: usize,
    b: &PackedB,
    beta: f32,
    c: &mut [f32],
    ldc: usize,
    scratch: &mut [Vec<f32>],
    par: &dyn Parallel,
) -> Result<(), String> {
    let w = n_range.len();
    let parts = column_parts(m, w, b.k(), par);
    if parts <= 1 {
        sgemm_packed_with(m, n_range, alpha, a, lda, b, beta, c, ldc, &mut scratch[0]);
        return Ok(());
    }
    let cb = RawBuf::new(c);
    let own = Slots::new(scratch);
    let slots = own.len();
    par.run(parts, &|p| {
        let r = column_block(w, parts, p);
        let cols = n_range.start + r.start..n_range.start + r.end;
        // SAFETY: part p alone writes columns `cols` of C (rows 0..m), which `c` holds
        // (checked by `sgemm_packed_raw`) and which stays exclusively borrowed until `run`
        // returns; part p alone uses slot p, parts past the slots their thread's scratch.
        let run = |s: &mut Vec<f32>| unsafe {
            sgemm_packed_raw(m, cols.clone(), alpha, a, lda, b, beta, cb, ldc, s)
        };
        if p < slots {
            // SAFETY: slot p is used by part p only.
            run(unsafe { own.get(p) });
        } else {
            PART_SCRATCH.with(|s| run(&mut s.borrow_mut()));
        }
    })
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
    let parts = column_parts(m, n, k, par);
    if parts <= 1 {
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
    par.run(parts, &|p| {
        let r = column_block(n, parts, p);
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
    use super::{column_block, sgemm_packed_par, sgemm_par};
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

    /// The packed-B variant: every column range (NR-aligned or not), beta 0 and not, split over
    /// real threads, is bitwise one call of `sgemm_packed_with`.
    #[test]
    fn packed_parallel_columns_are_bitwise_identical_to_one_call() {
        use crate::gemm::{sgemm_packed_with, PackedB};
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for &(m, n, k) in &[
            (1, 33, 5),
            (3, 9, 300),
            (4, 16, 7),
            (16, 64, 40),
            (17, 41, 13),
        ] {
            let b = PackedB::new(true, k, n, &fill(k * n, 2), k);
            let a = fill(m * k, 1);
            for range in [0..n, 8..n, 3..n.min(30)] {
                for beta in [0.0, 1.5] {
                    let ldc = n + 3;
                    let c0 = fill(m * ldc, 3);
                    let mut want = c0.clone();
                    let mut s = Vec::new();
                    sgemm_packed_with(
                        m,
                        range.clone(),
                        0.7,
                        &a,
                        k,
                        &b,
                        beta,
                        &mut want,
                        ldc,
                        &mut s,
                    );
                    // One slot (the other parts use their thread's scratch) or one per part.
                    for (threads, slots) in [(2, 1), (2, 2), (3, 1), (3, 3)] {
                        let mut c = c0.clone();
                        sgemm_packed_par(
                            m,
                            range.clone(),
                            0.7,
                            &a,
                            k,
                            &b,
                            beta,
                            &mut c,
                            ldc,
                            &mut vec![Vec::new(); slots],
                            &Threads(threads),
                        )
                        .unwrap();
                        assert_eq!(
                            bits(&c),
                            bits(&want),
                            "m {m} n {n} k {k} {range:?} beta {beta}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn column_blocks_cover_exactly_and_align() {
        for n in 0..70 {
            for parts in 1..6 {
                let mut next = 0;
                for p in 0..parts {
                    let r = column_block(n, parts, p);
                    assert_eq!(r.start, next);
                    assert_eq!(r.start % super::NR, 0);
                    next = r.end;
                }
                assert_eq!(next, n);
            }
        }
    }
}
