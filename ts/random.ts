// The package's one random generator (`mx.random.seed(n)`), used by nd.random.* and the
// initializers. sfc32 seeded through splitmix32: fast, 32-bit, reproducible across runtimes.
// Gluon note: the stream differs from MXNet's (mt19937 per device), so equal seeds give
// different numbers than Python; only reproducibility within this package is promised.

import { backend, backendInfo, guarded } from './backend/index.js';
import { describe } from './util/describe.js';

let a = 0;
let b = 0;
let c = 0;
let d = 0;
let spare: number | null = null;

/**
 * A uniform fill that a Parameter's `initialize()` asked for and nobody has read yet: its
 * values are drawn when they are read or when the generator is next used, in the order the
 * fills were asked for, so every value is what an immediate fill would have given. `out` is
 * null once the Parameter dropped the array (`setData`, a load): its draws still advance the
 * generator, but only when something draws after them.
 */
interface OwedFill {
  out: Float32Array | null;
  readonly lo: number;
  readonly hi: number;
  /** Draws still owed. */
  n: number;
}

const owed: OwedFill[] = [];
/** Floats of the owed fills whose arrays are still wanted. */
let owedFloats = 0;
/** Beyond these, owed fills are drawn at once: they hold arrays a dropped model may have held alone. */
const OWED_MAX_FLOATS = 1 << 24;
const OWED_MAX_FILLS = 4096;

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function next32(): number {
  if (owed.length !== 0) settleOwed();
  const t = (((a + b) >>> 0) + d) >>> 0;
  d = (d + 1) >>> 0;
  a = b ^ (b >>> 9);
  b = (c + (c << 3)) >>> 0;
  c = (c << 21) | (c >>> 11);
  c = (c + t) >>> 0;
  return t;
}

/** `mx.random.seed(n)`: reseeds the generator (any integer; only the low 32 bits are used). */
export function seed(seedState: number): void {
  if (typeof seedState !== 'number' || !Number.isInteger(seedState)) {
    throw new TypeError(`random.seed(seedState): expected an integer, got ${describe(seedState)}`);
  }
  // Fills owed from the old stream are drawn from it first; those nobody will read are not
  // drawn at all, since the new seed restarts the stream anyway.
  if (owedFloats === 0) owed.length = 0;
  else settleOwed();
  const sm = splitmix32(seedState);
  a = sm();
  b = sm();
  c = sm();
  d = sm();
  spare = null;
  for (let i = 0; i < 12; i++) next32();
}

seed(Math.floor(Math.random() * 0x100000000));

/** A float in [0, 1) with 24 random bits (float32 resolution). @internal */
export function nextUniform(): number {
  return (next32() >>> 8) / 16777216;
}

/** Fills of at least this many values go to wasm once the backend is running. */
const WASM_MIN = 4096;
/** Values per call into wasm: its staging copy stays at 256 KiB of wasm memory. */
const WASM_CHUNK = 65536;

/**
 * Fills `out` with `lo + (hi - lo) * u`, u as `nextUniform()` draws them in turn (the same
 * stream). An LSTM's `initialize()` draws ~100k values on a cold start, when this loop still
 * runs in V8's interpreter (~3 ms): once `ready()` has run, large fills go to the wasm copy of
 * the loop (crates/kernels/src/random.rs), whose values are the same. @internal
 */
export function fillUniform(out: Float32Array, lo: number, hi: number): void {
  if (owed.length !== 0) settleOwed();
  drawUniform(out, lo, hi);
}

/** `fillUniform` without drawing the owed fills first (they are drawn by this). */
function drawUniform(out: Float32Array, lo: number, hi: number): void {
  if (out.length >= WASM_MIN && fillUniformWasm(out, lo, hi)) return;
  drawUniformJs(out, lo, hi);
}

/** `fillUniform` in wasm; false (nothing drawn) before `ready()` or when wasm memory is short. */
function fillUniformWasm(out: Float32Array, lo: number, hi: number): boolean {
  if (backendInfo() === null) return false;
  const glue = backend();
  if (glue.heap_headroom_bytes() < 2 * WASM_CHUNK * 4) return false; // never evict packed weights for this
  const state = new Uint32Array([a, b, c, d]);
  for (let i = 0; i < out.length; i += WASM_CHUNK) {
    // The glue copies the filled values back into this view of `out`.
    guarded('random fill', () => glue.fill_uniform(out.subarray(i, i + WASM_CHUNK), state, lo, hi));
  }
  a = state[0] as number;
  b = state[1] as number;
  c = state[2] as number;
  d = state[3] as number;
  return true;
}

/** `fillUniform` in JavaScript (the reference of the wasm fill). @internal */
export function fillUniformJs(out: Float32Array, lo: number, hi: number): void {
  if (owed.length !== 0) settleOwed();
  drawUniformJs(out, lo, hi);
}

/** The JavaScript fill, with the generator's state in locals (one tight loop). */
function drawUniformJs(out: Float32Array, lo: number, hi: number): void {
  const w = hi - lo;
  let sa = a;
  let sb = b;
  let sc = c;
  let sd = d;
  for (let i = 0; i < out.length; i++) {
    // next32(), inlined.
    const t = (((sa + sb) >>> 0) + sd) >>> 0;
    sd = (sd + 1) >>> 0;
    sa = sb ^ (sb >>> 9);
    sb = (sc + (sc << 3)) >>> 0;
    sc = (sc << 21) | (sc >>> 11);
    sc = (sc + t) >>> 0;
    out[i] = lo + w * ((t >>> 8) / 16777216);
  }
  a = sa;
  b = sb;
  c = sc;
  d = sd;
}

/** A standard normal deviate (Box-Muller, both values used). @internal */
export function nextNormal(): number {
  if (spare !== null) {
    const s = spare;
    spare = null;
    return s;
  }
  let u = 0;
  while (u === 0) u = nextUniform();
  const v = nextUniform();
  const r = Math.sqrt(-2 * Math.log(u));
  spare = r * Math.sin(2 * Math.PI * v);
  return r * Math.cos(2 * Math.PI * v);
}

/**
 * `fillUniform(out, lo, hi)`, drawn when first needed (see {@link settleOwed}). Only for an
 * array that nothing reads except after {@link settleOwed}: a Parameter's data, which it
 * reads through one accessor. A script that loads weights right after `initialize()` then
 * never pays for the draws. @internal
 */
export function fillUniformOwed(out: Float32Array, lo: number, hi: number): void {
  owed.push({ out, lo, hi, n: out.length });
  owedFloats += out.length;
  if (owedFloats > OWED_MAX_FLOATS || owed.length > OWED_MAX_FILLS) settleOwed();
}

/** Whether an owed fill still has to write an array (its reader must {@link settleOwed} first). @internal */
export function owesFills(): boolean {
  return owedFloats !== 0;
}

/** Forgets the owed fill of `out`, if any: its draws stay owed, its values are not written. @internal */
export function dropOwed(out: Float32Array): void {
  if (owedFloats === 0) return;
  for (const f of owed) {
    if (f.out === out) {
      f.out = null;
      owedFloats -= f.n;
    }
  }
}

/**
 * Draws every owed fill in order: into its array, or (dropped) only advancing the generator.
 * A fill that throws (a trapped wasm fill, which leaves the generator as it was) stays owed
 * with those after it. @internal
 */
export function settleOwed(): void {
  let done = 0;
  let scratch: Float32Array | null = null;
  try {
    for (const f of owed) {
      if (f.out !== null) {
        drawUniform(f.out, f.lo, f.hi);
      } else {
        scratch ??= new Float32Array(Math.min(f.n, WASM_CHUNK));
        while (f.n > 0) {
          const k = Math.min(f.n, scratch.length);
          drawUniform(scratch.subarray(0, k), 0, 1);
          f.n -= k; // each chunk advanced the generator for good
        }
      }
      done++;
    }
  } finally {
    owed.splice(0, done);
    owedFloats = 0;
    for (const f of owed) if (f.out !== null) owedFloats += f.n;
  }
}
