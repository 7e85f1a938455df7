// Checks shared by the single-thread and threaded tests of `fillUniform`'s wasm path
// (ts/random.ts, crates/kernels/src/random.rs): the same values and the same generator state
// afterwards as the JavaScript loop, across the wasm threshold and chunk boundaries.
import { expect } from 'vitest';
import { backend } from '../../ts/backend/index.js';
import { fillUniform, fillUniformJs, nextUniform, seed } from '../../ts/random.js';

/** Lengths around the JavaScript/wasm threshold (4096) and the wasm chunk (65536). */
export const FILL_LENGTHS = [1, 4095, 4096, 4097, 65535, 65536, 65537, 200_003];

/** Seeds, including 0 and the largest 32-bit values. */
export const FILL_SEEDS = [0, 1, 42, 0x7fffffff, 0xffffffff, -5];

/** `fillUniform` (with the backend running) gives `fillUniformJs`'s values and state, bitwise. */
export function expectSameStream(n: number, s: number, lo: number, hi: number): void {
  seed(s);
  const want = new Float32Array(n);
  fillUniformJs(want, lo, hi);
  const wantNext = [nextUniform(), nextUniform()];
  seed(s);
  const got = new Float32Array(n);
  fillUniform(got, lo, hi);
  const gotNext = [nextUniform(), nextUniform()];
  const wantBits = new Uint32Array(want.buffer);
  const gotBits = new Uint32Array(got.buffer);
  let firstDiff = -1;
  for (let i = 0; i < n && firstDiff < 0; i++) if (wantBits[i] !== gotBits[i]) firstDiff = i;
  expect(firstDiff, `seed ${s}, n ${n}, [${lo}, ${hi}): first differing value`).toBe(-1);
  expect(gotNext, `seed ${s}, n ${n}: the draws after the fill`).toEqual(wantNext);
}

/** Whether a fill of `n` values allocated in wasm memory (its staging copy): the wasm path ran. */
export function fillAllocatesInWasm(n: number): boolean {
  const before = backend().heap_alloc_count();
  fillUniform(new Float32Array(n), -1, 1);
  return backend().heap_alloc_count() > before;
}
