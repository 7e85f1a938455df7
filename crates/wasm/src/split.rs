//! Splitting one call over the pool so that results do not depend on the split: SGEMM by
//! output column blocks, recurrent stacks by batch rows. In both, every output element is
//! reduced by the same kernel code in the same order whatever thread computes it
//! (rows and columns of a GEMM are independent; the recurrence never mixes samples), so
//! any thread count gives bitwise identical results.

use crate::pool;
use std::ops::Range;

/// Below this many multiply-adds a call stays on the calling thread: waking workers costs
/// tens of microseconds, more than the work saves (small models must never get slower).
pub const MIN_PARALLEL_MACS: usize = 1 << 20;

/// `n` split into at most `parts` contiguous ranges whose starts are multiples of `align`.
pub fn ranges(n: usize, parts: usize, align: usize) -> Vec<Range<usize>> {
    let blocks = n.div_ceil(align);
    let parts = parts.clamp(1, blocks.max(1));
    (0..parts)
        .map(|i| {
            let lo = (blocks * i / parts * align).min(n);
            let hi = (blocks * (i + 1) / parts * align).min(n);
            lo..hi
        })
        .filter(|r| !r.is_empty())
        .collect()
}

/// How many parts a call of `macs` multiply-adds over `extent` splittable units gets.
pub fn parts_for(macs: usize, extent: usize, align: usize) -> usize {
    let t = pool::threads();
    if t <= 1 || macs < MIN_PARALLEL_MACS {
        return 1;
    }
    t.min(extent / align).max(1)
}

/// The pool as the kernels' fork-join hook: `rnn_forward_par` splits each time step by
/// unit blocks over it (used when the batch is too small to split by rows).
pub struct Pool;

impl gluon_kernels::par::Parallel for Pool {
    fn threads(&self) -> usize {
        pool::threads()
    }
    fn run(&self, parts: usize, f: &(dyn Fn(usize) + Sync)) -> Result<(), String> {
        pool::run_parts(parts, f)
    }
}

#[cfg(test)]
mod tests {
    use super::ranges;

    #[test]
    fn ranges_cover_exactly_and_align() {
        for n in 0..70 {
            for parts in 1..6 {
                for align in [1, 4, 8] {
                    let rs = ranges(n, parts, align);
                    let mut next = 0;
                    for r in &rs {
                        assert_eq!(r.start, next);
                        assert_eq!(r.start % align, 0);
                        next = r.end;
                    }
                    assert_eq!(next, n);
                    assert!(rs.len() <= parts);
                }
            }
        }
    }
}
