// Runtime feature probes, as tfjs and ONNX Runtime Web do: validate tiny modules rather
// than sniff user agents.

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

// (module (func (result v128) i32.const 1 i8x16.splat i32.const 2 i8x16.splat i8x16.relaxed_swizzle))
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15,
  253, 128, 2, 11,
]);

export function hasRelaxedSimd(): boolean {
  try {
    return hasWasm() && WebAssembly.validate(RELAXED_SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * Node 20 (V8 11.3) implements relaxed SIMD but keeps it behind `--experimental-wasm-relaxed-simd`.
 * V8 reads that flag when it decodes a module, so setting it at run time enables relaxed SIMD for
 * modules compiled afterwards, in the whole process: only `ready({ relaxedSimd:
 * 'enable-node-flag' })` does it. Only plain Node (Deno and Bun report a Node version too but have
 * relaxed SIMD already), and only Node >= 20.16, whose `process.getBuiltinModule` reaches
 * `node:v8` without an import a browser bundler would see. Returns whether relaxed SIMD
 * validates afterwards.
 */
export function enableNodeRelaxedSimd(): boolean {
  const g = globalThis as {
    Deno?: unknown;
    Bun?: unknown;
    process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown };
  };
  if (g.Deno || g.Bun || !g.process?.versions?.node || !hasWasm()) return false;
  const v8 = g.process.getBuiltinModule?.('node:v8') as { setFlagsFromString?: (flags: string) => void } | undefined;
  if (typeof v8?.setFlagsFromString !== 'function') return false;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return hasRelaxedSimd();
}

export function hasWasm(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
}

export function hasSimd(): boolean {
  try {
    return hasWasm() && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Why shared-memory threads are unavailable here, or null when they are available. */
export function threadsUnavailableReason(): string | null {
  if (typeof SharedArrayBuffer !== 'function') {
    return 'SharedArrayBuffer is not available (in a browser the page must be cross-origin isolated: COOP/COEP headers)';
  }
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (g.crossOriginIsolated === false) return 'the page is not cross-origin isolated (COOP/COEP headers missing)';
  try {
    const mem = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    if (!(mem.buffer instanceof SharedArrayBuffer))
      return 'shared WebAssembly.Memory is not backed by SharedArrayBuffer';
  } catch (e) {
    return `shared WebAssembly.Memory cannot be created (${(e as Error).message})`;
  }
  return null;
}

/** Node, Deno and Bun read files; browsers and edge runtimes fetch. */
export function canReadFiles(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; Deno?: unknown; Bun?: unknown };
  return !!(g.process?.versions?.node || g.Deno || g.Bun);
}

/** Logical cores the runtime reports (navigator.hardwareConcurrency, or Node's os module). */
export function coreCount(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  if (typeof n === 'number' && n > 0) return n;
  const os = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
    'node:os',
  ) as { availableParallelism?: () => number } | undefined;
  const m = os?.availableParallelism?.();
  return typeof m === 'number' && m > 0 ? m : 1;
}

/** The engine facts that {@link v8KeepsWasmOrder} reads (see {@link engineVersions}). */
export interface EngineVersions {
  /** V8's version (`process.versions.v8` in Node and Electron), if the engine is V8. */
  v8?: string;
  /** Chromium's major version (the browser's brand list or user agent), if a Chromium browser. */
  chromium?: number;
}

/**
 * What this runtime says about its engine (read from `global`, the runtime's global object);
 * nothing for Deno, JavaScriptCore (Bun) or the unknown, and nothing where the globals it reads
 * are not what the engines define (a polyfill's).
 */
export function engineVersions(global: object = globalThis): EngineVersions {
  const g = global as {
    Deno?: unknown;
    Bun?: unknown;
    process?: { versions?: { v8?: unknown; bun?: unknown } };
    navigator?: { userAgent?: unknown; userAgentData?: { brands?: unknown } };
  };
  try {
    // Deno's V8 (rusty_v8 15.0 in Deno 2.9) ran the FMA tile 12% slower by broadcasts than by
    // shuffles, where Node's 13.6 and 14.6 and Chromium's 15.6 ran it 7-10% faster: its order
    // is not known to be kept. Bun reports a Node-compatible `process.versions.v8` but runs
    // JavaScriptCore.
    if (g.Deno || g.Bun || g.process?.versions?.bun) return {};
    const nodeV8 = g.process?.versions?.v8;
    if (typeof nodeV8 === 'string') return { v8: nodeV8 };
    const brands = g.navigator?.userAgentData?.brands;
    const brand = Array.isArray(brands) ? brands.find((b) => b?.brand === 'Chromium') : undefined;
    const ua = g.navigator?.userAgent;
    const major = Number(
      brand?.version ?? (typeof ua === 'string' ? /\b(?:Headless)?Chrom(?:e|ium)\/(\d+)/.exec(ua)?.[1] : NaN),
    );
    return Number.isInteger(major) && major > 0 ? { chromium: major } : {};
  } catch {
    return {}; // a getter that throws
  }
}

/**
 * Whether the engine compiles a wasm function keeping its instruction order: V8 from 13.6
 * (Node 24, Chromium 136; measured in Node 24 and 26 and Chromium 156). The FMA builds'
 * kernels then read their operands in an order that older V8s (12.4 in Node 22) schedule into
 * spills (`set_order_kept` in crates/kernels/src/gemm/micro.rs). A choice of speed alone (results are the same bit for
 * bit), which no module can validate, hence the version; an unknown engine gets the order that
 * spills nowhere.
 */
export function v8KeepsWasmOrder(env: EngineVersions = engineVersions()): boolean {
  if (env.v8 !== undefined) {
    const [major = Number.NaN, minor = Number.NaN] = env.v8.split('.').map(Number);
    return major > 13 || (major === 13 && minor >= 6);
  }
  return env.chromium !== undefined && env.chromium >= 136;
}

/** Deno and Bun keep a process alive while a Web Worker exists. */
export function workersHoldProcess(): boolean {
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  return !!(g.Deno || g.Bun);
}
