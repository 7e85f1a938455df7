// Entry for Cloudflare Workers (export condition `workerd`, or the subpath 'gluon-rnn-wasm/edge'):
// hosts that forbid compiling WebAssembly from bytes at run time but hand a plain `.wasm` import
// to the code as a `WebAssembly.Module` (workerd, wrangler, esbuild's copy loader). The
// single-thread build is imported that way and handed to `ready()`; everything else is the main
// entry. Not mapped to `edge-light`: Vercel's Edge Runtime (Next.js) builds fail on a plain
// `.wasm` import (only `?module` imports are Modules there), so there the main entry serves, with
// `ready({ wasmModule })` from the app's own `?module` import (test/runtimes: edge-runtime).

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
