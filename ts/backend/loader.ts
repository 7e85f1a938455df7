// Finds, compiles and instantiates the .wasm build the runtime supports, once.

import { canReadFiles, hasSimd, hasWasm, v8KeepsWasmOrder } from './features.js';
import type * as Glue from './generated/simd/gluon_wasm.js';
import { importedMemoryLimits } from './wasm_imports.js';

export type WasmExports = typeof Glue;

/** The ABI version this TypeScript layer was written against (crates/wasm/src/info.rs). */
const ABI_VERSION = 2;

/** A build: 'simd' (one thread) or 'simd-threads' (shared memory and a worker pool). */
export type BuildName = 'simd' | 'simd-threads';

/** The folder of a build: the relaxed-SIMD variants sit beside the plain ones. */
export type BuildFolder = 'simd' | 'simd-threads' | 'relaxed' | 'relaxed-threads';

export function buildFolder(build: BuildName, relaxed: boolean): BuildFolder {
  if (!relaxed) return build;
  return build === 'simd' ? 'relaxed' : 'relaxed-threads';
}

/** Options of `ready()`; every key is optional and unknown keys throw. */
export interface ReadyOptions {
  /** Worker threads over shared memory (1 = the single-thread build). */
  threads?: number;
  /**
   * Where the generated build folders live (a URL or path ending in '/'), for CDNs and
   * unusual hosts; default: beside this module.
   */
  wasmPath?: string | URL;
  /** A precompiled module of the single-thread build (edge runtimes forbid compiling bytes). */
  wasmModule?: WebAssembly.Module;
  /**
   * Use the relaxed-SIMD builds (fused multiply-add, ~30% faster GEMM; results may differ from
   * the plain builds in the last bits). Default: where the runtime supports relaxed SIMD
   * (Chromium, Deno, Bun, Node >= 22). `'enable-node-flag'` also turns on Node 20's
   * `--experimental-wasm-relaxed-simd` V8 flag at run time: a process-wide change that affects
   * every module compiled afterwards, so it is never done unasked.
   */
  relaxedSimd?: boolean | 'enable-node-flag';
  /**
   * Budget in bytes for the packed weights and scratch of all layers and cells (default
   * 256 MiB). Beyond it the least recently used are released and re-packed on their next use,
   * so memory stays bounded without `dispose()`.
   */
  cacheBytes?: number;
}

/** At most this many threads: the calling thread and 63 workers (crates/wasm/src/pool.rs). */
export const MAX_THREADS = 64;

/** What `ready()` started: the build, its threads, and why threads are fewer than asked. */
export interface BackendInfo {
  /** 'simd' (single thread) or 'simd-threads' (shared memory and a worker pool). */
  build: BuildName;
  /** Always true: every build needs WebAssembly SIMD128. */
  simd: boolean;
  /** The relaxed-SIMD variant of the build is running. */
  relaxedSimd: boolean;
  /** Threads computing now (the calling thread included). */
  threads: number;
  /** Why fewer threads run than were asked for (or than started), else null. */
  threadsFallback: string | null;
  /** Size of the loaded .wasm (null for a precompiled `wasmModule`). */
  wasmBytes: number | null;
  /** How many times a trap made the backend replace its instance (0 normally). */
  restarts: number;
}

// The glue is imported with literal specifiers and each .wasm is located with a literal
// `new URL('./generated/<build>/gluon_wasm_bg.wasm', import.meta.url)`: the pattern that Vite,
// webpack 5, Rollup plugins, Parcel and esbuild-based tools recognise, so bundlers emit the
// .wasm as an asset and rewrite the URL with no configuration.
function defaultWasmUrl(build: BuildFolder): URL {
  switch (build) {
    case 'simd':
      return new URL('./generated/simd/gluon_wasm_bg.wasm', import.meta.url);
    case 'simd-threads':
      return new URL('./generated/simd-threads/gluon_wasm_bg.wasm', import.meta.url);
    case 'relaxed':
      return new URL('./generated/relaxed/gluon_wasm_bg.wasm', import.meta.url);
    case 'relaxed-threads':
      return new URL('./generated/relaxed-threads/gluon_wasm_bg.wasm', import.meta.url);
  }
}

function wasmUrl(build: BuildFolder, base?: string | URL): URL {
  if (base === undefined) return defaultWasmUrl(build);
  let b = String(base).replace(/\\/g, '/');
  if (!b.endsWith('/')) b += '/';
  if (/^[A-Za-z]:\//.test(b)) b = `file:///${b}`; // a Windows path
  // A relative wasmPath resolves against the page (browsers) or the working directory.
  let root: string | undefined;
  try {
    root = (globalThis as { location?: { href?: string } }).location?.href; // Deno throws without --location
  } catch {}
  const proc = (globalThis as { process?: { cwd?: () => string } }).process;
  if (root === undefined && typeof proc?.cwd === 'function') {
    root = `file://${proc
      .cwd()
      .replace(/\\/g, '/')
      .replace(/^([A-Za-z]:)/, '/$1')}/`;
  }
  return new URL(`${build}/gluon_wasm_bg.wasm`, root === undefined ? b : new URL(b, root));
}

// All four builds export the same functions; their glue differs in memory handling only.
async function importGlue(build: BuildFolder): Promise<WasmExports> {
  switch (build) {
    case 'simd':
      return (await import('./generated/simd/gluon_wasm.js')) as WasmExports;
    case 'simd-threads':
      return (await import('./generated/simd-threads/gluon_wasm.js')) as unknown as WasmExports;
    case 'relaxed':
      return (await import('./generated/relaxed/gluon_wasm.js')) as unknown as WasmExports;
    case 'relaxed-threads':
      return (await import('./generated/relaxed-threads/gluon_wasm.js')) as unknown as WasmExports;
  }
}

type NodeFs = { readFileSync(path: string): Uint8Array };
type NodeUrl = { fileURLToPath(url: URL): string };

/** Reads a file: URL where the runtime reads files (Node, Deno, Bun); null elsewhere. */
async function readFileBytes(url: URL): Promise<Uint8Array | null> {
  if (url.protocol === 'file:') {
    const g = globalThis as {
      process?: { getBuiltinModule?: (id: string) => unknown };
      Deno?: { readFile(url: URL): Promise<Uint8Array> };
    };
    if (g.Deno?.readFile) return g.Deno.readFile(url);
    const getBuiltin = g.process?.getBuiltinModule;
    if (typeof getBuiltin === 'function') {
      // Node >= 20.16 and Bun: no `import('node:fs')` that a browser bundler would trip on.
      const fs = getBuiltin('node:fs') as NodeFs;
      const { fileURLToPath } = getBuiltin('node:url') as NodeUrl;
      return new Uint8Array(fs.readFileSync(fileURLToPath(url)));
    }
    if (canReadFiles()) {
      const spec = 'node:fs/promises'; // a variable: bundlers leave it alone
      const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ spec)) as {
        readFile(url: URL): Promise<Uint8Array>;
      };
      return new Uint8Array(await fs.readFile(url));
    }
  }
  return null;
}

/** The bytes of a .wasm and the module compiled from them. */
interface Compiled {
  module: WebAssembly.Module;
  buf: Uint8Array;
}

/**
 * Fetches `url` and compiles it. Where the runtime has `WebAssembly.compileStreaming` and the
 * server sends `application/wasm`, compiling overlaps the download and Chromium keeps the
 * compiled code in its cache for the next visit (it does so for the fetched Response only, so
 * that goes to compileStreaming and a clone supplies the bytes: their size, the magic number,
 * the threaded build's memory limits). Otherwise the bytes are compiled once they are all here.
 */
async function fetchAndCompile(url: URL): Promise<Compiled> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`gluon-rnn-wasm: could not fetch ${url.href}: HTTP ${res.status}`);
  const streaming =
    typeof WebAssembly.compileStreaming === 'function' &&
    /^application\/wasm\b/i.test(res.headers.get('content-type') ?? '');
  if (!streaming) return compileBytes(url, new Uint8Array(await res.arrayBuffer()));
  const copy = res.clone();
  const [compiled, bytes] = await Promise.allSettled([WebAssembly.compileStreaming(res), copy.arrayBuffer()]);
  if (bytes.status === 'rejected') throw bytes.reason;
  const buf = new Uint8Array(bytes.value);
  if (!isWasm(buf)) throw notWasm(url, buf);
  if (compiled.status === 'rejected') throw compiled.reason;
  return { module: compiled.value, buf };
}

async function compileBytes(url: URL, buf: Uint8Array): Promise<Compiled> {
  if (!isWasm(buf)) throw notWasm(url, buf);
  return { module: await WebAssembly.compile(buf as BufferSource), buf };
}

/** Reads (Node, Deno, Bun) or fetches (browsers, edge) the .wasm at `url` and compiles it. */
async function loadModule(url: URL): Promise<Compiled> {
  const buf = await readFileBytes(url);
  return buf !== null ? compileBytes(url, buf) : fetchAndCompile(url);
}

function isWasm(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0 && buf[1] === 0x61 && buf[2] === 0x73 && buf[3] === 0x6d;
}

/**
 * What a server returned instead of the .wasm (often an HTML page with status 200: dev servers
 * answer unknown paths with index.html), and the usual cause: a tool moved the package's
 * modules away from the .wasm files that `new URL(.., import.meta.url)` points beside them.
 */
function notWasm(url: URL, buf: Uint8Array): Error {
  const head = new TextDecoder().decode(buf.subarray(0, 32)).replace(/\s+/g, ' ');
  return new Error(
    `gluon-rnn-wasm: ${url.href} is not a WebAssembly module (it starts with ${JSON.stringify(head)}). ` +
      "The .wasm files are looked up beside the package's own modules, and something moved those: " +
      "Vite's dev server pre-bundles dependencies into node_modules/.vite/deps unless vite.config has " +
      "optimizeDeps: { exclude: ['gluon-rnn-wasm'] }. Elsewhere, serve the package's dist/backend/generated/ " +
      'folder and pass its URL as ready({ wasmPath }).',
  );
}

export interface Loaded {
  glue: WasmExports;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** The instance's raw exports (test builds add hooks that the glue does not wrap). */
  exports: WebAssembly.Exports;
  /** The limits of the imported shared memory (threaded build), to make a fresh one alike. */
  sharedMemory: { initial: number; maximum: number } | null;
  bytes: number | null;
  /** The relaxed-SIMD variant was loaded. */
  relaxed: boolean;
}

/** The glue's hook that forgets its instance (added by scripts/build-wasm.sh). */
type Resettable = { __gluon_reset(): void };

/**
 * Replaces the instance of `l` by a fresh one of the same module (over a fresh shared memory
 * for the threaded build): after a trap the old instance's state cannot be trusted.
 */
export function reinstantiate(l: Loaded): Loaded {
  (l.glue as unknown as Resettable).__gluon_reset();
  const memory = l.sharedMemory ? new WebAssembly.Memory({ ...l.sharedMemory, shared: true }) : undefined;
  const out = l.glue.initSync(memory ? ({ module: l.module, memory } as never) : { module: l.module }) as unknown as {
    memory?: WebAssembly.Memory;
  };
  const mem = memory ?? out.memory;
  if (!mem) throw new Error('gluon-rnn-wasm: the instance exposes no memory');
  tellOrderKept(l.glue, l.relaxed);
  return { ...l, memory: mem, exports: out as WebAssembly.Exports };
}

/**
 * Tells a fresh instance's kernels whether the engine keeps a wasm function's order (an FMA
 * build's choice only; the threaded build's workers share the setting through the shared
 * memory).
 */
function tellOrderKept(glue: WasmExports, relaxed: boolean): void {
  glue.set_wasm_order_kept(relaxed && v8KeepsWasmOrder());
}

/** Imports the glue of `build` and instantiates it on this thread. */
export async function loadBuild(build: BuildName, relaxed: boolean, options: ReadyOptions): Promise<Loaded> {
  if (!hasWasm()) throw new Error('gluon-rnn-wasm: this runtime has no WebAssembly');
  if (!hasSimd()) {
    throw new Error(
      'gluon-rnn-wasm: this runtime does not support WebAssembly SIMD (simd128), which every build needs ' +
        '(Node >= 16.4, Chrome >= 91, Firefox >= 89, Safari >= 16.4, Deno, Bun)',
    );
  }
  const folder = buildFolder(build, relaxed && options.wasmModule === undefined);
  // The glue module and the .wasm load side by side (two requests in flight in a browser).
  const compiling = options.wasmModule === undefined ? loadModule(wasmUrl(folder, options.wasmPath)) : null;
  compiling?.catch(() => {}); // awaited below; a rejection must not count as unhandled meanwhile
  const glue = await importGlue(folder);
  let module: WebAssembly.Module;
  let bytes: number | null = null;
  let memory: WebAssembly.Memory | undefined;
  let sharedMemory: Loaded['sharedMemory'] = null;
  if (options.wasmModule !== undefined) {
    if (build !== 'simd') throw new Error('gluon-rnn-wasm: ready({ wasmModule }) takes the single-thread build only');
    // Not `instanceof`: a host may compile the module in another realm (Vercel's Edge Runtime
    // injects modules compiled outside its VM context).
    if (Object.prototype.toString.call(options.wasmModule) !== '[object WebAssembly.Module]') {
      throw new TypeError('ready({ wasmModule }): expected a WebAssembly.Module');
    }
    module = options.wasmModule;
    // wasm-bindgen's glue tests `instanceof WebAssembly.Module`; give a module from another
    // realm this realm's prototype (its internal slots, which instantiation uses, are intact).
    if (!(module instanceof WebAssembly.Module)) Object.setPrototypeOf(module, WebAssembly.Module.prototype);
  } else {
    const loaded = await (compiling as Promise<Compiled>);
    const buf = loaded.buf;
    module = loaded.module;
    bytes = buf.byteLength;
    if (build === 'simd-threads') {
      // The threaded build imports its memory: create it shared, sized as the module
      // declares, so the pool's workers can be handed the very same memory.
      const limits = importedMemoryLimits(buf);
      if (limits === null || !limits.shared)
        throw new Error('gluon-rnn-wasm: the threaded build imports no shared memory');
      sharedMemory = { initial: limits.initial, maximum: limits.maximum ?? 65536 };
      memory = new WebAssembly.Memory({ ...sharedMemory, shared: true });
    }
  }
  const out = glue.initSync(memory ? ({ module, memory } as never) : { module }) as unknown as {
    memory?: WebAssembly.Memory;
  };
  const abi = glue.abi_version();
  if (abi !== ABI_VERSION) {
    throw new Error(
      `gluon-rnn-wasm: the .wasm has ABI version ${abi}, this JavaScript expects ${ABI_VERSION}; rebuild`,
    );
  }
  const mem = memory ?? out.memory;
  if (!mem) throw new Error('gluon-rnn-wasm: the instance exposes no memory');
  const relaxedBuild = folder === 'relaxed' || folder === 'relaxed-threads';
  tellOrderKept(glue, relaxedBuild);
  return {
    glue,
    module,
    memory: mem,
    exports: out as WebAssembly.Exports,
    sharedMemory,
    bytes,
    relaxed: relaxedBuild,
  };
}
