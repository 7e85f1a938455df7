// The one active backend: `ready()` sets it, everything that computes asks `backend()`.

import { describe } from '../util/describe.js';
import {
  coreCount,
  enableNodeRelaxedSimd,
  hasRelaxedSimd,
  threadsUnavailableReason,
  workersHoldProcess,
} from './features.js';
import {
  type BackendInfo,
  type Loaded,
  loadBuild,
  MAX_THREADS,
  type ReadyOptions,
  reinstantiate,
  type WasmExports,
} from './loader.js';
import { abandonAll, type CachedKernel, DEFAULT_CACHE_BYTES, evictAll, setCacheBudget } from './packed_cache.js';
import { WorkerPool } from './pool.js';

export type { BackendInfo, ReadyOptions, WasmExports } from './loader.js';

let loaded: Loaded | null = null;
let info: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;
let pendingKey = '';
/** The `threads` the first `ready()` asked for. */
let firstAskedThreads: number | undefined;

function optionsKey(o: ReadyOptions): string {
  return JSON.stringify({
    threads: o.threads ?? null,
    wasmPath: o.wasmPath ? String(o.wasmPath) : null,
    relaxedSimd: o.relaxedSimd ?? null,
    cacheBytes: o.cacheBytes ?? null,
    m: !!o.wasmModule,
  });
}

const OPTION_NAMES = ['threads', 'wasmPath', 'wasmModule', 'relaxedSimd', 'cacheBytes'];

function checkOptions(o: ReadyOptions): void {
  if (o === null || typeof o !== 'object')
    throw new TypeError(`ready(options): expected an object, got ${describe(o)}`);
  for (const k of Object.keys(o)) {
    if (!OPTION_NAMES.includes(k)) {
      throw new TypeError(`ready(options): unknown option '${k}' (known: ${OPTION_NAMES.join(', ')})`);
    }
  }
  const r = o.relaxedSimd;
  if (r !== undefined && typeof r !== 'boolean' && r !== 'enable-node-flag') {
    throw new TypeError(`ready(options): relaxedSimd must be true, false or 'enable-node-flag', got ${describe(r)}`);
  }
  const t = o.threads;
  if (t !== undefined && (!Number.isInteger(t) || t < 1 || t > MAX_THREADS)) {
    throw new RangeError(`ready(options): threads must be an integer from 1 to ${MAX_THREADS}, got ${describe(t)}`);
  }
  const c = o.cacheBytes;
  if (c !== undefined && (typeof c !== 'number' || !Number.isFinite(c) || c < 0)) {
    throw new RangeError(`ready(options): cacheBytes must be a non-negative number of bytes, got ${describe(c)}`);
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
    // The report is always the current one (threads change after `shutdown()` or a trap).
    if (Object.keys(options).length === 0) return pending.then(currentInfo);
    // A later call naming what is already running (e.g. `ready({ threads: 2 })` after a
    // `ready()` that started two threads) gets the same backend; anything else is refused.
    const first = pendingKey;
    return pending.then(() => {
      const got = currentInfo();
      const relaxed = options.relaxedSimd === 'enable-node-flag' ? true : options.relaxedSimd;
      const same = key === first; // the very call that started it (threads may have dropped since)
      const matches =
        (same ||
          (options.wasmPath === undefined && options.wasmModule === undefined && options.cacheBytes === undefined)) &&
        (options.threads === undefined || options.threads === got.threads) &&
        (relaxed === undefined || relaxed === got.relaxedSimd);
      if (matches) return got;
      const onlyThreads =
        options.threads !== undefined &&
        options.threads !== got.threads &&
        (relaxed === undefined || relaxed === got.relaxedSimd);
      if (onlyThreads && (same || options.threads === firstAskedThreads)) {
        throw new Error(
          `gluon-rnn-wasm: ready(${key}): the backend runs ${got.threads} thread(s) now (${got.threadsFallback ?? 'as started'}); the pool does not restart`,
        );
      }
      throw new Error(`gluon-rnn-wasm: ready() was already called with ${first}; cannot switch to ${key}`);
    });
  }
  pendingKey = key;
  firstAskedThreads = options.threads;
  pending = start(options).catch((e: unknown) => {
    pending = null;
    throw e;
  });
  return pending.then(currentInfo);
}

function currentInfo(): BackendInfo {
  if (info === null) throw new Error('gluon-rnn-wasm: the backend is not running');
  return { ...info };
}

/** At most this many threads by default: the recurrent kernels split by batch rows. */
const DEFAULT_MAX_THREADS = 4;

let pool: WorkerPool | null = null;
/** Threads the running backend was started with (the pool is restarted to this after a trap). */
let wantThreads = 1;

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
  setCacheBudget(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
  // V8's process-wide flag (Node 20) only when asked for by name.
  const flag = options.relaxedSimd === 'enable-node-flag';
  const relaxedHere = hasRelaxedSimd() || (flag && options.wasmModule === undefined && enableNodeRelaxedSimd());
  if ((options.relaxedSimd === true || flag) && !relaxedHere) {
    throw new Error(
      `ready({ relaxedSimd: ${JSON.stringify(options.relaxedSimd)} }): this runtime does not support WebAssembly relaxed SIMD` +
        (flag ? '' : " (Node 20: relaxedSimd: 'enable-node-flag' turns on V8's flag for the whole process)"),
    );
  }
  const relaxed = options.relaxedSimd === undefined ? relaxedHere : options.relaxedSimd !== false;
  let fallback: string | null = null;
  if (want > 1) {
    fallback = threadsUnavailableReason();
    if (fallback !== null) want = 1;
  }
  if (want > 1) {
    try {
      // The workers are spawned while the build loads (the threaded build is relaxed exactly
      // when `relaxed`: a precompiled module never gets here).
      const loading = loadBuild('simd-threads', relaxed, options);
      pool = await WorkerPool.start(loading, relaxed, want, poolEvents());
      const mt = await loading;
      loaded = mt;
      wantThreads = want;
      info = {
        build: 'simd-threads',
        simd: mt.glue.simd_enabled(),
        relaxedSimd: mt.relaxed,
        threads: want,
        threadsFallback: null,
        wasmBytes: mt.bytes,
        restarts: 0,
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
  wantThreads = 1;
  info = {
    build: 'simd',
    simd: st.glue.simd_enabled(),
    relaxedSimd: st.relaxed,
    threads: 1,
    threadsFallback: fallback,
    wasmBytes: st.bytes,
    restarts: 0,
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
  wantThreads = 1;
  if (info && info.threads > 1)
    info = { ...info, threads: 1, threadsFallback: 'mx.shutdown() stopped the worker pool' };
}

function poolEvents() {
  return {
    onDeath(reason: string) {
      pool = null;
      wantThreads = 1;
      if (info) info = { ...info, threads: 1, threadsFallback: reason };
      warnOnce(reason);
    },
  };
}

/** Bumped each time a trap makes the backend replace its instance. */
let generation = 0;

/**
 * The instance's generation: a handle made in an older one belongs to a discarded instance
 * (its owner re-creates it from the JavaScript-owned parameters).
 */
export function backendGeneration(): number {
  return generation;
}

/** Thrown by the call that trapped: the backend has already replaced its instance. */
export class BackendTrapError extends Error {
  /** `'BackendTrapError'`. */
  override name = 'BackendTrapError';
}

/**
 * Runs `f`, a call into wasm named `what`. A trap (a bug: every input is checked first) leaves
 * the instance's state untrustworthy, so the instance and its workers are replaced by fresh
 * ones before the error is thrown; packed weights are rebuilt on next use, so later calls
 * work. An allocation failure comes back as a RangeError.
 */
export function guarded<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      replaceInstance();
      throw new BackendTrapError(
        `gluon-rnn-wasm: ${what} trapped (${e.message}); the wasm instance was replaced and later calls work`,
        { cause: e },
      );
    }
    if (e instanceof Error && e.message.startsWith('out of memory')) {
      throw new RangeError(`${what}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

function replaceInstance(): void {
  const old = loaded;
  if (old === null || info === null) return;
  abandonAll(); // their handles point into the old memory: never free them into the new one
  pool?.kill();
  pool = null;
  loaded = reinstantiate(old);
  heapF32 = new Float32Array(0); // it viewed the old memory, which it must not keep alive
  generation++;
  const want = wantThreads;
  info = {
    ...info,
    threads: 1,
    threadsFallback: want > 1 ? 'restarting the worker pool after a trap' : info.threadsFallback,
    restarts: info.restarts + 1,
  };
  if (want > 1) {
    const l = loaded;
    const gen = generation;
    WorkerPool.start(l, l.relaxed, want, poolEvents()).then(
      (p) => {
        if (gen !== generation || loaded !== l) return p.stop();
        pool = p;
        if (info) info = { ...info, threads: want, threadsFallback: null };
      },
      (e: unknown) => {
        if (info && gen === generation) info = { ...info, threadsFallback: (e as Error).message };
      },
    );
  }
}

/** One wasm32 buffer cannot exceed 2 GiB (Rust's isize limit). */
/** @internal The largest single wasm32 allocation (a call's staging area is one). */
export const MAX_BUFFER_BYTES = 2 ** 31 - 1;
/** Allocator overhead and the call's small allocations. */
const SLACK_BYTES = 2 ** 20;

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * Refuses, before anything is copied, a call named `what` that needs `bytes` of wasm memory
 * (its largest single buffer `largest`) when memory cannot give them, even after releasing
 * every cached kernel but `keep`.
 */
export function ensureRoom(what: string, bytes: number, largest: number, keep: CachedKernel | null): void {
  if (largest > MAX_BUFFER_BYTES) {
    throw new RangeError(
      `${what}: one buffer of ${mib(largest)} is more than the ${mib(MAX_BUFFER_BYTES)} a wasm32 allocation can hold`,
    );
  }
  const glue = backend();
  if (glue.heap_headroom_bytes() >= bytes + SLACK_BYTES) return;
  evictAll(keep);
  const free = glue.heap_headroom_bytes();
  if (free >= bytes + SLACK_BYTES) return;
  throw new RangeError(`${what}: needs ${mib(bytes)} of wasm memory, ${mib(free)} available (of 4 GiB)`);
}

/** The running pool, for tests that kill a worker. */
export function poolForTests(): WorkerPool | null {
  return pool;
}

/** The exports of a `test-hooks` build (target/test-hooks/, never shipped). */
export interface TestHooks {
  /** Traps on purpose. */
  test_trap(): void;
  /** Worker `index` fails on its next part (0 disarms). */
  pool_debug_fail_worker(index: number): void;
}

/** The test hooks of the running instance; throws unless `ready({ wasmPath })` loaded a test build. */
export function testHooks(): TestHooks {
  const e = loaded?.exports as Partial<TestHooks> | undefined;
  if (typeof e?.test_trap !== 'function' || typeof e.pool_debug_fail_worker !== 'function') {
    throw new Error('gluon-rnn-wasm: not a test-hooks build (ready({ wasmPath: "target/test-hooks/" }))');
  }
  return e as TestHooks;
}

/** The instantiated exports; throws when `ready()` has not completed. */
export function backend(): WasmExports {
  return running().glue;
}

/** The running instance, or the error that asks for `ready()`. */
function running(): Loaded {
  if (loaded === null) {
    throw new Error('gluon-rnn-wasm is not initialised: call `await mx.ready()` before computing');
  }
  return loaded;
}

/** The view `wasmHeapF32` hands out (emptied when the instance is replaced). */
let heapF32 = new Float32Array(0);

/**
 * A Float32Array over all of the running instance's memory, reaching at least float index
 * `end`: calls copy in and out of their staging areas through it, making no view of their
 * own. It is made again only when the memory grew past it (growing detaches a memory's old
 * buffer, whose views then have length 0; a shared memory's old buffer keeps its length) or
 * the instance was replaced. An empty view is always made again: a detached one throws even
 * for a call that copies nothing (`end` 0: zero sizes, no staging area yet).
 */
export function wasmHeapF32(end: number): Float32Array {
  if (end > heapF32.length || heapF32.length === 0) heapF32 = new Float32Array(running().memory.buffer);
  return heapF32;
}

/** Current size of the wasm memory in bytes (it grows, never shrinks), and the live Rust heap. */
export function wasmMemoryStats(): { memoryBytes: number; heapLiveBytes: number } {
  if (loaded === null) return { memoryBytes: 0, heapLiveBytes: 0 };
  return { memoryBytes: loaded.memory.buffer.byteLength, heapLiveBytes: loaded.glue.heap_live_bytes() };
}

/** Which build is running (null before `ready()`). */
export function backendInfo(): BackendInfo | null {
  return info ? { ...info } : null;
}
