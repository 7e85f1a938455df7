// Starts and stops the worker threads of the threaded build. Work splitting and the
// wait/notify protocol live in Rust (crates/wasm/src/pool.rs); this file only spawns
// workers, hands them the module and the shared memory, and watches for their death.

import type { WasmExports } from './loader.js';

type NodeWorker = {
  postMessage(m: unknown): void;
  on(ev: string, f: (x: unknown) => void): void;
  terminate(): Promise<number>;
  unref(): void;
};
type NodeWorkerCtor = new (url: URL) => NodeWorker;

export interface PoolWorker {
  index: number;
  terminate(): void;
}

export interface PoolEvents {
  /** A worker died after start-up: the pool has degraded to one thread. */
  onDeath(reason: string): void;
}

/** Bytes of stack each worker's wasm gets (wasm-bindgen allocates it in shared memory). */
const STACK_SIZE = 1 << 20;
const START_TIMEOUT_MS = 20_000;

function spawn(relaxed: boolean): {
  post(m: unknown): void;
  listen(f: (m: { type: string; index: number; message?: string }) => void, onFail: (why: string) => void): void;
  terminate(): void;
} {
  const WebWorker = (globalThis as { Worker?: typeof Worker }).Worker;
  if (typeof WebWorker === 'function') {
    // Literal `new Worker(new URL(...), { type: 'module' })`, one per build: the form bundlers
    // (Vite, webpack 5) recognise, so they emit the worker scripts with no configuration.
    const w = relaxed
      ? new Worker(new URL('./pool_worker_relaxed.js', import.meta.url), { type: 'module' })
      : new Worker(new URL('./pool_worker.js', import.meta.url), { type: 'module' });
    return {
      post: (m) => w.postMessage(m),
      listen(f, onFail) {
        w.addEventListener('message', (ev) => f(ev.data));
        w.addEventListener('error', (ev) => {
          ev.preventDefault?.();
          onFail(ev.message || 'worker error');
        });
      },
      terminate: () => w.terminate(),
    };
  }
  const wt = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
    'node:worker_threads',
  ) as { Worker: NodeWorkerCtor } | undefined;
  if (!wt) throw new Error('no Worker implementation in this runtime');
  const w = new wt.Worker(new URL(relaxed ? './pool_worker_relaxed.js' : './pool_worker.js', import.meta.url));
  return {
    post: (m) => w.postMessage(m),
    listen(f, onFail) {
      w.on('message', (m) => f(m as { type: string; index: number }));
      w.on('error', (e) => onFail((e as Error).message));
      w.on('exit', (code) => onFail(`exited with code ${String(code)}`));
      // The pool must never keep a Node process alive (`mx.shutdown()` is optional). After
      // the listeners: adding a 'message' listener refs the worker's port again.
      w.unref();
    },
    terminate: () => void w.terminate(),
  };
}

/** What the workers are handed: the threaded build's glue, compiled module and shared memory. */
export interface PoolInit {
  glue: WasmExports;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
}

export class WorkerPool {
  private workers: (PoolWorker & { alive: boolean })[] = [];
  private stopping = false;
  /** Set once the build has loaded (the workers are spawned before). */
  private glue: WasmExports | null = null;

  private constructor(private readonly events: PoolEvents) {}

  /**
   * Spawns `threads - 1` workers and hands them the build once `init` resolves (a promise: the
   * workers boot while the module still downloads and compiles, ~30 ms per worker in Node);
   * resolves with the pool once every worker reported ready, or rejects (after stopping the
   * ones that started) when one fails or `init` rejects.
   */
  static async start(
    init: PoolInit | Promise<PoolInit>,
    relaxed: boolean,
    threads: number,
    events: PoolEvents,
  ): Promise<WorkerPool> {
    const pool = new WorkerPool(events);
    const build = Promise.resolve(init);
    const starts: Promise<void>[] = [];
    for (let index = 1; index < threads; index++) {
      starts.push(pool.startOne(index, build, relaxed));
    }
    const all = Promise.all(starts);
    all.catch(() => {}); // awaited below, after `build`
    let got: PoolInit;
    try {
      got = await build;
    } catch (e) {
      pool.kill();
      throw e;
    }
    pool.glue = got.glue;
    try {
      await all;
    } catch (e) {
      pool.stop();
      throw e;
    }
    got.glue.pool_set_threads(threads);
    return pool;
  }

  private startOne(index: number, build: Promise<PoolInit>, relaxed: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      let started = false;
      const w = spawn(relaxed);
      const entry = { index, alive: true, terminate: () => w.terminate() };
      this.workers.push(entry);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const fail = (why: string) => {
        clearTimeout(timer);
        if (!entry.alive) return;
        entry.alive = false;
        if (!started) reject(new Error(`gluon-rnn-wasm: pool worker ${index} failed to start: ${why}`));
        else if (!this.stopping) this.died(`pool worker ${index} ${why}`);
      };
      w.listen((m) => {
        if (m.type === 'ready') {
          started = true;
          clearTimeout(timer);
          resolve();
        } else if (m.type === 'error') {
          fail(`failed: ${m.message ?? 'unknown error'}`);
        } else if (m.type === 'exit' && !this.stopping) {
          fail('left the pool unexpectedly');
        }
      }, fail);
      build.then(
        ({ module, memory }) => {
          if (!entry.alive) return;
          timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
          w.post({ module, memory, index, stackSize: STACK_SIZE });
        },
        () => {}, // start() kills the pool
      );
    });
  }

  /** Degrades to the calling thread alone; the remaining workers are stopped. */
  private died(reason: string): void {
    this.stop();
    this.events.onDeath(`${reason}; running on 1 thread from now on`);
  }

  /** The live workers (tests use this to kill one). */
  get liveWorkers(): PoolWorker[] {
    return this.workers.filter((w) => w.alive);
  }

  /**
   * Terminates every worker at once, without calling into wasm: after a trap the instance
   * they share memory with is being discarded.
   */
  kill(): void {
    this.stopping = true;
    for (const w of this.workers) {
      w.alive = false;
      w.terminate();
    }
  }

  /** Wakes the workers so they leave wasm and exit; idempotent. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.glue?.pool_shutdown();
    const all = this.workers;
    // Workers leave `pool_worker_run` by themselves; terminate stragglers after a grace period.
    setTimeout(() => {
      for (const w of all) w.terminate();
    }, 200).unref?.();
  }
}
