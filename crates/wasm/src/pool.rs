//! The worker pool of the threaded build. Workers are JavaScript threads (worker_threads,
//! Web Workers) that instantiated this module over the same shared memory and then block
//! in [`pool_worker_run`]. The calling thread publishes a task — a closure over part
//! indices — and takes parts itself too; parts are claimed one at a time, so a worker that
//! never wakes (dead, or slow to start) costs time, never correctness.
//!
//! In the single-thread build every function here runs the parts inline.

use wasm_bindgen::prelude::*;

/// Runs `f(0..parts)`, spread over the pool when it has more than one thread. Each part
/// must write disjoint data. Fails only when a worker died while running a part.
pub fn run_parts(parts: usize, f: &(dyn Fn(usize) + Sync)) -> Result<(), String> {
    imp::run_parts(parts, f)
}

/// Threads that take parts, the calling thread included.
pub fn threads() -> usize {
    imp::threads()
}

/// Sets how many threads `run_parts` uses (1 + workers that reported ready). Workers
/// beyond the count keep waiting and take no parts.
#[wasm_bindgen]
pub fn pool_set_threads(n: usize) -> Result<(), JsError> {
    imp::set_threads(n).map_err(|e| JsError::new(&e))
}

#[wasm_bindgen]
pub fn pool_threads() -> usize {
    imp::threads()
}

/// Called by worker `index` (1-based) after instantiating: serves parts until
/// [`pool_shutdown`]. Blocks; only call it from a worker.
#[wasm_bindgen]
pub fn pool_worker_run(index: usize) -> Result<(), JsError> {
    imp::worker_run(index).map_err(|e| JsError::new(&e))
}

/// The address of worker `index`'s death flag: the worker's JavaScript stores 1 there
/// (Atomics.store) if `pool_worker_run` throws, so a waiting caller stops waiting for it.
#[wasm_bindgen]
pub fn pool_dead_flag_ptr(index: usize) -> Result<usize, JsError> {
    imp::dead_flag_ptr(index).map_err(|e| JsError::new(&e))
}

/// See `hooks::pool_debug_fail_worker` (test builds only).
#[cfg(feature = "test-hooks")]
pub(crate) fn debug_fail(index: usize) {
    imp::debug_fail(index)
}

/// Wakes every worker and makes `pool_worker_run` return; the pool then runs on the
/// calling thread alone.
#[wasm_bindgen]
pub fn pool_shutdown() {
    imp::shutdown()
}

#[cfg(not(target_feature = "atomics"))]
mod imp {
    pub fn run_parts(parts: usize, f: &(dyn Fn(usize) + Sync)) -> Result<(), String> {
        (0..parts).for_each(f);
        Ok(())
    }
    pub fn threads() -> usize {
        1
    }
    pub fn set_threads(n: usize) -> Result<(), String> {
        match n {
            1 => Ok(()),
            _ => Err(format!("threads: this is the single-thread build, got {n}")),
        }
    }
    pub fn worker_run(_: usize) -> Result<(), String> {
        Err("pool_worker_run: this is the single-thread build".into())
    }
    pub fn dead_flag_ptr(_: usize) -> Result<usize, String> {
        Err("pool_dead_flag_ptr: this is the single-thread build".into())
    }
    pub fn shutdown() {}
    #[cfg(feature = "test-hooks")]
    pub fn debug_fail(_: usize) {}
}

#[cfg(target_feature = "atomics")]
mod imp {
    use core::arch::wasm32::{memory_atomic_notify, memory_atomic_wait32};
    use core::sync::atomic::{AtomicI32, AtomicPtr, AtomicU32, AtomicU64, Ordering::SeqCst};

    /// Most workers a pool may have (the calling thread is not counted).
    pub const MAX_WORKERS: usize = 63;

    type Task<'a> = &'a (dyn Fn(usize) + Sync);

    /// Bumped to publish a task or shutdown; workers wait on it.
    static GENERATION: AtomicI32 = AtomicI32::new(0);
    /// Bit p set: part p of the current task is claimed (bits from `parts` on are set when
    /// the task is published). Claiming a part is one CAS; TASK is read only after it, and a
    /// claimed part keeps its task alive (PENDING > 0), so a claim always runs a part of
    /// the task that is current then.
    static CLAIMED: AtomicU64 = AtomicU64::new(u64::MAX);
    /// Parts of the current task not yet finished.
    static PENDING: AtomicU32 = AtomicU32::new(0);
    /// `*const Task` of the current task; valid while PENDING > 0.
    static TASK: AtomicPtr<()> = AtomicPtr::new(core::ptr::null_mut());
    static THREADS: AtomicU32 = AtomicU32::new(1);
    static QUIT: AtomicU32 = AtomicU32::new(0);
    /// Per worker: 1 while it runs a part of the current task.
    static BUSY: [AtomicU32; MAX_WORKERS + 1] = [const { AtomicU32::new(0) }; MAX_WORKERS + 1];
    /// Per worker: set by its JavaScript when it died.
    static DEAD: [AtomicI32; MAX_WORKERS + 1] = [const { AtomicI32::new(0) }; MAX_WORKERS + 1];

    pub fn threads() -> usize {
        THREADS.load(SeqCst) as usize
    }

    pub fn set_threads(n: usize) -> Result<(), String> {
        if n == 0 || n > MAX_WORKERS + 1 {
            return Err(format!(
                "threads: expected 1..={}, got {n}",
                MAX_WORKERS + 1
            ));
        }
        QUIT.store(0, SeqCst);
        THREADS.store(n as u32, SeqCst);
        Ok(())
    }

    pub fn dead_flag_ptr(index: usize) -> Result<usize, String> {
        if index == 0 || index > MAX_WORKERS {
            return Err(format!(
                "worker index: expected 1..={MAX_WORKERS}, got {index}"
            ));
        }
        DEAD[index].store(0, SeqCst);
        Ok(DEAD[index].as_ptr() as usize)
    }

    /// See `hooks::pool_debug_fail_worker` (test builds only).
    #[cfg(feature = "test-hooks")]
    static FAIL_WORKER: AtomicU32 = AtomicU32::new(0);

    #[cfg(feature = "test-hooks")]
    pub fn debug_fail(index: usize) {
        FAIL_WORKER.store(index as u32, SeqCst);
    }

    /// Whether worker `me` is to fail now (armed by the test hook; never in shipped builds).
    fn simulated_failure(me: usize) -> bool {
        #[cfg(feature = "test-hooks")]
        return me != 0
            && FAIL_WORKER
                .compare_exchange(me as u32, 0, SeqCst, SeqCst)
                .is_ok();
        #[cfg(not(feature = "test-hooks"))]
        return {
            let _ = me;
            false
        };
    }

    /// Claims and runs parts of the current task until none are left: part `me` first (the
    /// calling thread is 0, worker i prefers part i), so that with as many parts as threads a
    /// part runs on the same thread call after call (a token step's parts keep their share of
    /// the weights in their own core's cache), then any part left.
    fn work(me: usize) -> Result<(), String> {
        loop {
            let claimed = CLAIMED.load(SeqCst);
            let free = !claimed;
            if free == 0 {
                return Ok(());
            }
            let p = if me < 64 && free & (1 << me) != 0 {
                me
            } else {
                free.trailing_zeros() as usize
            };
            BUSY[me].store(1, SeqCst);
            if CLAIMED
                .compare_exchange(claimed, claimed | 1 << p, SeqCst, SeqCst)
                .is_ok()
            {
                if simulated_failure(me) {
                    BUSY[me].store(0, SeqCst);
                    return Err(format!(
                        "worker {me}: simulated failure (pool_debug_fail_worker)"
                    ));
                }
                // SAFETY: a successful claim keeps PENDING > 0 until the decrement below, and
                // the publisher keeps TASK (a pointer to a `Task` on its stack) alive and
                // unchanged until PENDING reaches 0; TASK was stored before the mask this
                // claim was made in.
                let task = unsafe { *(TASK.load(SeqCst) as *const Task) };
                task(p);
                PENDING.fetch_sub(1, SeqCst);
            }
            BUSY[me].store(0, SeqCst);
        }
    }

    pub fn run_parts(parts: usize, f: &(dyn Fn(usize) + Sync)) -> Result<(), String> {
        if threads() <= 1 || parts <= 1 {
            (0..parts).for_each(f);
            return Ok(());
        }
        assert!(parts <= 64, "run_parts: at most 64 parts, got {parts}");
        // Taken before publishing: a worker may die while this thread runs its own part.
        let dead_before: [i32; MAX_WORKERS] = core::array::from_fn(|i| DEAD[i + 1].load(SeqCst));
        let task: Task = f;
        TASK.store(&task as *const Task as *mut (), SeqCst);
        PENDING.store(parts as u32, SeqCst);
        // Part 0 is the caller's, claimed before publishing: a spinning worker would otherwise
        // often win it, and a part would then change cores from one call to the next.
        let beyond = if parts == 64 { 0 } else { u64::MAX << parts };
        CLAIMED.store(beyond | 1, SeqCst);
        GENERATION.fetch_add(1, SeqCst);
        // SAFETY: GENERATION is a live, aligned i32 in this module's (shared) memory.
        unsafe { memory_atomic_notify(GENERATION.as_ptr(), u32::MAX) };
        f(0);
        PENDING.fetch_sub(1, SeqCst);
        work(0)?;
        // The caller never blocks in memory.atomic.wait (a browser main thread may not):
        // the parts left are already running on workers, so spin until they finish.
        while PENDING.load(SeqCst) > 0 {
            core::hint::spin_loop();
            if let Some(w) = (1..=MAX_WORKERS).find(|&w| DEAD[w].load(SeqCst) != dead_before[w - 1])
            {
                // A part it claimed will never finish: wait for the live workers' parts,
                // then report. TASK stays valid until nobody runs a part.
                while (1..=MAX_WORKERS)
                    .any(|v| v != w && DEAD[v].load(SeqCst) == 0 && BUSY[v].load(SeqCst) != 0)
                {
                    core::hint::spin_loop();
                }
                CLAIMED.store(u64::MAX, SeqCst);
                return Err(format!("worker {w} died while running part of this call"));
            }
        }
        Ok(())
    }

    pub fn worker_run(index: usize) -> Result<(), String> {
        if index == 0 || index > MAX_WORKERS {
            return Err(format!(
                "worker index: expected 1..={MAX_WORKERS}, got {index}"
            ));
        }
        let mut seen = GENERATION.load(SeqCst);
        loop {
            // Spin a while before sleeping: back-to-back calls (a token loop) then start
            // without a wake-up, which costs tens of microseconds. 20,000 polls were too few
            // for the gap between two calls of small_lstm (2 threads ran 0.89x of 1).
            let mut spins = 0u32;
            while GENERATION.load(SeqCst) == seen && spins < 200_000 {
                core::hint::spin_loop();
                spins += 1;
            }
            while GENERATION.load(SeqCst) == seen {
                // SAFETY: GENERATION is a live, aligned i32 in shared memory; workers are
                // allowed to block.
                unsafe { memory_atomic_wait32(GENERATION.as_ptr(), seen, -1) };
            }
            seen = GENERATION.load(SeqCst);
            if QUIT.load(SeqCst) != 0 {
                return Ok(());
            }
            if index < threads() {
                work(index)?;
            }
        }
    }

    pub fn shutdown() {
        QUIT.store(1, SeqCst);
        THREADS.store(1, SeqCst);
        GENERATION.fetch_add(1, SeqCst);
        // SAFETY: as in run_parts.
        unsafe { memory_atomic_notify(GENERATION.as_ptr(), u32::MAX) };
    }
}
