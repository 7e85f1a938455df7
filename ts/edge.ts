// Entry for edge runtimes (export conditions `workerd` and `edge-light`): Cloudflare Workers
// and other hosts that forbid compiling WebAssembly from bytes at run time. The single-thread
// build is imported as a module binding (a `WebAssembly.Module`, as workerd, wrangler and
// esbuild's copy loader provide it) and handed to `ready()`; everything else is the main entry.

// A .wasm import is a WebAssembly.Module binding on these platforms (its .d.ts describes the
// instance's exports instead, hence the cast below).
import simdModule from './backend/generated/simd/gluon_wasm_bg.wasm';
import base, { type BackendInfo, type ReadyOptions } from './index.js';

// Everything the main entry exports (values and types); `ready` below replaces its `ready`.
export * from './index.js';

/** `ready()` with the bundled module: `ready({ wasmModule })` unless the caller passes one. */
export function ready(options: ReadyOptions = {}): Promise<BackendInfo> {
  return base.ready({ wasmModule: simdModule as unknown as WebAssembly.Module, ...options });
}

/**
 * The `mx` object of the main entry, with this entry's `ready`. (Typed as the main entry's
 * object: an inferred type would name modules by extensionless paths in edge.d.ts, which
 * `moduleResolution: nodenext` cannot resolve.)
 */
const mx: typeof base = {
  ...base,
  /** `ready()` with the bundled module: `ready({ wasmModule })` unless the caller passes one. */
  ready,
};
export default mx;
