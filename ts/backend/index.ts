// The one active backend: `ready()` sets it, everything that computes asks `backend()`.

import { type BackendInfo, type BuildName, type Loaded, loadBuild, type ReadyOptions, type WasmExports } from './loader.js';

export type { BackendInfo, ReadyOptions, WasmExports } from './loader.js';

let loaded: Loaded | null = null;
let info: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;
let pendingKey = '';

function optionsKey(o: ReadyOptions): string {
  return JSON.stringify({ threads: o.threads ?? 1, wasmPath: o.wasmPath ? String(o.wasmPath) : null, m: !!o.wasmModule });
}

function checkOptions(o: ReadyOptions): void {
  if (o === null || typeof o !== 'object') throw new TypeError(`ready(options): expected an object, got ${String(o)}`);
  for (const k of Object.keys(o)) {
    if (k !== 'threads' && k !== 'wasmPath' && k !== 'wasmModule') {
      throw new TypeError(`ready(options): unknown option '${k}' (known: threads, wasmPath, wasmModule)`);
    }
  }
  const t = o.threads;
  if (t !== undefined && (!Number.isInteger(t) || t < 1)) {
    throw new RangeError(`ready(options): threads must be a positive integer, got ${String(t)}`);
  }
}

/**
 * Loads and instantiates the wasm once; idempotent. A second call with the same options
 * returns the same info; with different options it throws (one backend per realm).
 */
export function ready(options: ReadyOptions = {}): Promise<BackendInfo> {
  try {
    checkOptions(options);
  } catch (e) {
    return Promise.reject(e);
  }
  const key = optionsKey(options);
  if (pending) {
    if (key !== pendingKey && options.threads !== undefined) {
      return Promise.reject(
        new Error(`gluon-rnn-wasm: ready() was already called with ${pendingKey}; cannot switch to ${key}`),
      );
    }
    return pending;
  }
  pendingKey = key;
  pending = start(options).catch((e: unknown) => {
    pending = null;
    throw e;
  });
  return pending;
}

async function start(options: ReadyOptions): Promise<BackendInfo> {
  const threads = options.threads ?? 1;
  if (threads > 1) {
    throw new Error(
      `ready({ threads: ${threads} }): the worker pool is not available in this version; use threads: 1`,
    );
  }
  const build: BuildName = 'simd';
  loaded = await loadBuild(build, options);
  info = { build, simd: loaded.glue.simd_enabled(), threads: 1, threadsFallback: null, wasmBytes: loaded.bytes };
  return info;
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
