// Finds, compiles and instantiates the .wasm build the runtime supports, once.

import { canReadFiles, hasSimd, hasWasm } from './features.js';
import type * as Glue from './generated/simd/gluon_wasm.js';

export type WasmExports = typeof Glue;

/** The ABI version this TypeScript layer was written against (crates/wasm/src/info.rs). */
export const ABI_VERSION = 1;

export type BuildName = 'simd' | 'simd-threads';

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
}

export interface BackendInfo {
  build: BuildName;
  simd: boolean;
  threads: number;
  /** Why threads were not used, when more than one was asked for. */
  threadsFallback: string | null;
  wasmBytes: number | null;
}

function buildUrl(build: BuildName, file: string, base?: string | URL): URL {
  if (base !== undefined) {
    const b = String(base);
    return new URL(`${build}/${file}`, b.endsWith('/') ? b : `${b}/`);
  }
  return new URL(`./generated/${build}/${file}`, import.meta.url);
}

async function readBytes(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:' && canReadFiles()) {
    const fs = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    return new Uint8Array(await fs.readFile(fileURLToPath(url)));
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not fetch ${url.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export interface Loaded {
  glue: WasmExports;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  bytes: number | null;
}

/** Imports the glue of `build` and instantiates it on this thread. */
export async function loadBuild(build: BuildName, options: ReadyOptions): Promise<Loaded> {
  if (!hasWasm()) throw new Error('gluon-rnn-wasm: this runtime has no WebAssembly');
  if (!hasSimd()) {
    throw new Error(
      'gluon-rnn-wasm: this runtime does not support WebAssembly SIMD (simd128), which every build needs ' +
        '(Node >= 16.4, Chrome >= 91, Firefox >= 89, Safari >= 16.4, Deno, Bun)',
    );
  }
  const glueUrl = buildUrl(build, 'gluon_wasm.js', options.wasmPath);
  const glue = (await import(/* @vite-ignore */ glueUrl.href)) as WasmExports;
  let module: WebAssembly.Module;
  let bytes: number | null = null;
  if (options.wasmModule !== undefined) {
    if (build !== 'simd') throw new Error('gluon-rnn-wasm: ready({ wasmModule }) takes the single-thread build only');
    if (!(options.wasmModule instanceof WebAssembly.Module)) {
      throw new TypeError('ready({ wasmModule }): expected a WebAssembly.Module');
    }
    module = options.wasmModule;
  } else {
    const buf = await readBytes(buildUrl(build, 'gluon_wasm_bg.wasm', options.wasmPath));
    bytes = buf.byteLength;
    module = await WebAssembly.compile(buf as BufferSource);
  }
  const out = glue.initSync({ module }) as unknown as { memory: WebAssembly.Memory };
  const abi = glue.abi_version();
  if (abi !== ABI_VERSION) {
    throw new Error(`gluon-rnn-wasm: the .wasm has ABI version ${abi}, this JavaScript expects ${ABI_VERSION}; rebuild`);
  }
  return { glue, module, memory: out.memory, bytes };
}
