// The one active backend: `ready()` sets it, everything that computes asks `backend()`.

import {
  coreCount,
  enableNodeRelaxedSimd,
  hasRelaxedSimd,
  threadsUnavailableReason,
  workersHoldProcess,
} from './features.js';
import { type BackendInfo, type Loaded, loadBuild, type ReadyOptions, type WasmExports } from './loader.js';
import { WorkerPool } from './pool.js';

export type { BackendInfo, ReadyOptions, WasmExports } from './loader.js';

let loaded: Loaded | null = null;
let info: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;
let pendingKey = '';

function optionsKey(o: ReadyOptions): string {
  return JSON.stringify({
    threads: o.threads ?? null,
    wasmPath: o.wasmPath ? String(o.wasmPath) : null,
    relaxedSimd: o.relaxedSimd ?? null,
    m: !!o.wasmModule,
  });
}

function checkOptions(o: ReadyOptions): void {
  if (o === null || typeof o !== 'object') throw new TypeError(`ready(options): expected an object, got ${String(o)}`);
  for (const k of Object.keys(o)) {
    if (k !== 'threads' && k !== 'wasmPath' && k !== 'wasmModule' && k !== 'relaxedSimd') {
      throw new TypeError(`ready(options): unknown option '${k}' (known: threads, wasmPath, wasmModule, relaxedSimd)`);
    }
  }
  if (o.relaxedSimd !== undefined && typeof o.relaxedSimd !== 'boolean') {
    throw new TypeError(`ready(options): relaxedSimd must be a boolean, got ${String(o.relaxedSimd)}`);
  }
  const t = o.threads;
  if (t !== undefined && (!Number.isInteger(t) || t < 1)) {
    throw new RangeError(`ready(options): threads must be a positive integer, got ${String(t)}`);
  }
}

/**
 * Loads and instantiates the wasm once; idempotent. A later call with no options, the same
 * options, or options the running backend already satisfies returns the same info; any other
 * options reject (one backend per realm).
 */
export function ready(options: ReadyOptions = {}): Promise<BackendInfo> {
  try {
    checkOptions(options);
  } catch (e) {
    return Promise.reject(e);
  }
  const key = optionsKey(options);
  if (pending) {
    if (key === pendingKey || Object.keys(options).length === 0) return pending;
    // A later call naming what is already running (e.g. `ready({ threads: 2 })` after a
    // `ready()` that started two threads) gets the same backend; anything else is refused.
    const first = pendingKey;
    return pending.then((got) => {
      const matches =
        options.wasmPath === undefined &&
        options.wasmModule === undefined &&
        (options.threads === undefined || options.threads === got.threads) &&
        (options.relaxedSimd === undefined || options.relaxedSimd === got.relaxedSimd);
      if (matches) return got;
      throw new Error(`gluon-rnn-wasm: ready() was already called with ${first}; cannot switch to ${key}`);
    });
  }
  pendingKey = key;
  pending = start(options).catch((e: unknown) => {
    pending = null;
    throw e;
  });
  return pending;
}

/** At most this many threads by default: the recurrent kernels split by batch rows. */
const DEFAULT_MAX_THREADS = 4;

let pool: WorkerPool | null = null;

/**
 * Threads when `ready()` is given none: the core count (up to 4) in Node and browsers;
 * 1 in Deno and Bun, whose Web Workers would keep the process alive until `shutdown()`.
 */
function defaultThreads(): number {
  return workersHoldProcess() ? 1 : Math.min(coreCount(), DEFAULT_MAX_THREADS);
}

let warned = false;
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  console.warn(`gluon-rnn-wasm: ${message}`);
}

async function start(options: ReadyOptions): Promise<BackendInfo> {
  const asked = options.threads;
  if (options.wasmModule !== undefined && asked !== undefined && asked > 1) {
    throw new Error(`ready({ wasmModule, threads: ${asked} }): a precompiled module runs the single-thread build only`);
  }
  let want = options.wasmModule !== undefined ? 1 : (asked ?? defaultThreads());
  // Node 20 gets relaxed SIMD by turning V8's flag on, unless the caller opted out or
  // brings a precompiled (plain) module.
  const relaxedHere =
    hasRelaxedSimd() || (options.relaxedSimd !== false && options.wasmModule === undefined && enableNodeRelaxedSimd());
  if (options.relaxedSimd === true && !relaxedHere) {
    throw new Error('ready({ relaxedSimd: true }): this runtime does not support WebAssembly relaxed SIMD');
  }
  const relaxed = options.relaxedSimd ?? relaxedHere;
  let fallback: string | null = null;
  if (want > 1) {
    fallback = threadsUnavailableReason();
    if (fallback !== null) want = 1;
  }
  if (want > 1) {
    try {
      const mt = await loadBuild('simd-threads', relaxed, options);
      pool = await WorkerPool.start(mt.glue, mt.module, mt.memory, mt.relaxed, want, {
        onDeath(reason) {
          pool = null;
          if (info) info = { ...info, threads: 1, threadsFallback: reason };
          warnOnce(reason);
        },
      });
      loaded = mt;
      info = {
        build: 'simd-threads',
        simd: mt.glue.simd_enabled(),
        relaxedSimd: mt.relaxed,
        threads: want,
        threadsFallback: null,
        wasmBytes: mt.bytes,
      };
      return info;
    } catch (e) {
      fallback = `the worker pool could not start (${(e as Error).message})`;
    }
  }
  if (fallback !== null && asked !== undefined && asked > 1)
    warnOnce(`threads unavailable: ${fallback}; using 1 thread`);
  const st = await loadBuild('simd', relaxed, options);
  loaded = st;
  info = {
    build: 'simd',
    simd: st.glue.simd_enabled(),
    relaxedSimd: st.relaxed,
    threads: 1,
    threadsFallback: fallback,
    wasmBytes: st.bytes,
  };
  return info;
}

/**
 * Stops the worker pool (its threads exit); computing goes on on the calling thread.
 * Needed only in Deno and Bun to let the process end; Node never waits for the pool.
 */
export function shutdown(): void {
  pool?.stop();
  pool = null;
  if (info && info.threads > 1) info = { ...info, threads: 1 };
}

/** The running pool, for tests that kill a worker. */
export function poolForTests(): WorkerPool | null {
  return pool;
}

/** The instantiated exports; throws when `ready()` has not completed. */
export function backend(): WasmExports {
  if (loaded === null) {
    throw new Error('gluon-rnn-wasm is not initialised: call `await mx.ready()` before computing');
  }
  return loaded.glue;
}

/** Which build is running (null before `ready()`). */
export function backendInfo(): BackendInfo | null {
  return info ? { ...info } : null;
}
