//! The worker pool as the kernels' fork-join executor. How a call is split (recurrent
//! layers by batch rows or unit blocks, SGEMM by column blocks) and from what size on is the
//! kernels' policy (`gluon_kernels::par`); this is only the bridge to the pool.

use crate::pool;

/// The pool, as a `gluon_kernels::par::Parallel`.
pub struct Pool;

impl gluon_kernels::par::Parallel for Pool {
    fn threads(&self) -> usize {
        pool::threads()
    }
    fn run(&self, parts: usize, f: &(dyn Fn(usize) + Sync)) -> Result<(), String> {
        pool::run_parts(parts, f)
    }
}
