// SGEMM through the whole stack: the wasm SIMD build (mx.nd.dot and the raw export) against
// a float64 JavaScript reference over a shape table with 0, 1, tile±1 and odd sizes.
import { beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../ts/backend/index.js';
import mx from '../../ts/index.js';

function rand(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = (s / 0xffffffff) * 2 - 1;
  }
  return out;
}

/** float64 reference of op(A)·op(B), row-major, dense (ld = row length). */
function refDot(a: Float32Array, b: Float32Array, m: number, n: number, k: number, ta: boolean, tb: boolean) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = ta ? a[p * m + i]! : a[i * k + p]!;
        const bv = tb ? b[j * k + p]! : b[p * n + j]!;
        s += av * bv;
      }
      c[i * n + j] = s;
    }
  }
  return c;
}

function expectClose(got: Float32Array, want: Float64Array, what: string) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-5 * Math.max(1, Math.abs(want[i]!));
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) {
      throw new Error(`${what}: element ${i} = ${got[i]}, reference ${want[i]}`);
    }
  }
}

// Tiles are MR x NR = 4 x 8 (crates/kernels/src/gemm/params.rs): cover 0, 1, tile±1, odd, large.
const MS = [0, 1, 3, 4, 5, 7, 8, 9, 17, 65];
const NS = [0, 1, 7, 8, 9, 15, 16, 17, 33];
const KS = [0, 1, 2, 3, 31, 64, 257];

describe('mx.nd.dot (wasm SGEMM) vs float64 reference', () => {
  beforeAll(async () => {
    await mx.ready();
  });

  it('reports a SIMD build and its thread count', () => {
    const info = mx.backendInfo();
    expect(info?.simd).toBe(true);
    expect(info?.build).toBe(info!.threads > 1 ? 'simd-threads' : 'simd');
  });

  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      it(`all shapes, transpose_a=${ta} transpose_b=${tb}`, () => {
        let seed = 7;
        for (const m of MS) {
          for (const n of NS) {
            for (const k of KS) {
              const a = rand(m * k, seed++);
              const b = rand(k * n, seed++);
              const A = mx.nd.array(a, ta ? [k, m] : [m, k]);
              const B = mx.nd.array(b, tb ? [n, k] : [k, n]);
              const C = mx.nd.dot(A, B, { transposeA: ta, transposeB: tb });
              expect(C.shape).toEqual([m, n]);
              expectClose(C.toFloat32Array(), refDot(a, b, m, n, k, ta, tb), `dot m=${m} n=${n} k=${k}`);
            }
          }
        }
      });
    }
  }

  it('positional transpose flags follow Python nd.dot(a, b, transpose_a, transpose_b)', () => {
    const a = mx.nd.array([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const b = mx.nd.array([
      [1, 0, 2],
      [0, 1, 3],
    ]);
    expect(mx.nd.dot(a, b, true, true).toArray()).toEqual([
      [11, 18],
      [14, 22],
    ]);
  });

  it('raw export: alpha/beta keep their BLAS meaning, beta=0 overwrites NaN', () => {
    const m = 5;
    const n = 9;
    const k = 3;
    const a = rand(m * k, 1);
    const b = rand(k * n, 2);
    const c0 = rand(m * n, 3);
    const ref = refDot(a, b, m, n, k, false, false);
    const c = c0.slice();
    backend().sgemm(false, false, m, n, k, 0.5, a, k, b, n, 2, c, n);
    expectClose(
      c,
      ref.map((v, i) => 0.5 * v + 2 * c0[i]!),
      'alpha=0.5 beta=2',
    );
    const cn = new Float32Array(m * n).fill(Number.NaN);
    backend().sgemm(false, false, m, n, k, 1, a, k, b, n, 0, cn, n);
    expectClose(cn, ref, 'beta=0 over NaN');
  });

  it('raw export sgemm_new: op(A) op(B) as a new array, every transpose, empty sizes', () => {
    const [m, n, k] = [7, 11, 5];
    const a = rand(m * k, 4);
    const b = rand(k * n, 5);
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const c = backend().sgemm_new(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n);
      expect(c).toBeInstanceOf(Float32Array);
      expectClose(c, refDot(a, b, m, n, k, ta, tb), `sgemm_new ta=${ta} tb=${tb}`);
    }
    expect(backend().sgemm_new(false, false, 3, 0, 2, a, 2, b, 0).length).toBe(0);
    expect([...backend().sgemm_new(false, false, 2, 2, 0, a, 0, b, 2)]).toEqual([0, 0, 0, 0]);
  });

  it('SIMD microkernel equals the scalar reference inside wasm (selftest_sgemm)', () => {
    expect(backend().selftest_sgemm()).toBeGreaterThan(1000);
  });
});

describe('bad input to dot', () => {
  beforeAll(async () => {
    await mx.ready();
  });

  it('inner dimension mismatch names both shapes', () => {
    expect(() => mx.nd.dot(mx.nd.zeros([2, 3]), mx.nd.zeros([4, 5]))).toThrow(/\(2, 3\).*\(4, 5\)/);
  });

  it('rank 0 / non-NDArray input throws a clear error', () => {
    expect(() => mx.nd.dot(mx.nd.zeros([]), mx.nd.zeros([3]))).toThrow(/dot/);
    expect(() => mx.nd.dot([[1, 2]] as never, mx.nd.zeros([2, 2]))).toThrow(/NDArray/);
  });

  it('non-numeric data is rejected when the array is made', () => {
    expect(() => mx.nd.array([[1, 'x' as never]])).toThrow(/number/);
  });

  it('the raw export rejects short buffers without trapping, and stays usable', () => {
    const c = new Float32Array(4);
    expect(() =>
      backend().sgemm(false, false, 2, 2, 2, 1, new Float32Array(3), 2, new Float32Array(4), 2, 0, c, 2),
    ).toThrow(/A: a 2x2 matrix.*needs 4 elements, got 3/);
    backend().sgemm(
      false,
      false,
      2,
      2,
      2,
      1,
      new Float32Array([1, 0, 0, 1]),
      2,
      new Float32Array([1, 2, 3, 4]),
      2,
      0,
      c,
      2,
    );
    expect([...c]).toEqual([1, 2, 3, 4]);
  });

  it('sgemm_new rejects short operands and overflowing sizes without trapping', () => {
    const id = new Float32Array([1, 0, 0, 1]);
    expect(() => backend().sgemm_new(false, false, 2, 2, 2, id, 2, new Float32Array(3), 2)).toThrow(
      /B: a 2x2 matrix.*needs 4 elements, got 3/,
    );
    expect(() => backend().sgemm_new(false, false, 2 ** 20, 2 ** 20, 0, id, 0, id, 2 ** 20)).toThrow(
      /sgemm: C of 1048576 x 1048576 floats overflows/,
    );
    expect([...backend().sgemm_new(false, false, 2, 2, 2, id, 2, new Float32Array([1, 2, 3, 4]), 2)]).toEqual([
      1, 2, 3, 4,
    ]);
  });
});
