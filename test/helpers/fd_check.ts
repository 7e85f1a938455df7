// What the finite-difference tests of the backward share: deterministic inputs that do not
// depend on the package's generator, and the check of a tape gradient against central
// differences of sum(w * f(x)).
import { expect } from 'vitest';
import { autograd, nd } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';

/** An array of values in [lo, hi) from a 32-bit LCG started at `state`. */
export function lcgArray(shape: number[], state: number, lo = -1, hi = 1): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  let s = state >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    d[i] = lo + (s / 2 ** 32) * (hi - lo);
  }
  return nd.array(d, shape);
}

/** `lcgArray` from a spread seed (nearby seeds would give nearby streams). */
export function det(shape: number[], seed: number, lo = -1, hi = 1): NDArray {
  return lcgArray(shape, Math.imul(seed, 2654435761), lo, hi);
}

/**
 * The central difference of `loss` in one value, now `v`, that `set` changes; `set(v)` puts it
 * back at the end.
 */
export function centralDiff(set: (u: number) => void, v: number, eps: number, loss: () => number): number {
  set(v + eps);
  const up = loss();
  set(v - eps);
  const down = loss();
  set(v);
  return (up - down) / (2 * eps);
}

/** `centralDiff` in element `i` of `x`'s data. */
export function centralDiffAt(x: NDArray, i: number, eps: number, loss: () => number): number {
  return centralDiff(
    (u) => {
      x.data[i] = u;
    },
    x.data[i] as number,
    eps,
    loss,
  );
}

/** sum(w * f(x)) differentiated by the tape and by central differences, for every input element. */
export function fdCheck(name: string, inputs: NDArray[], f: (...x: NDArray[]) => NDArray, trainMode = true): void {
  const [eps, tol] = [1e-3, 2e-3];
  for (const x of inputs) x.attachGrad();
  const y = autograd.record(() => f(...inputs), { trainMode });
  const w = det(y.shape, 99);
  y.backward(w);
  const loss = (): number => {
    const out = f(...inputs);
    let s = 0;
    for (let i = 0; i < out.size; i++) s += (out.data[i] as number) * (w.data[i] as number);
    return s;
  };
  inputs.forEach((x, k) => {
    for (let i = 0; i < x.size; i++) {
      const fd = centralDiffAt(x, i, eps, loss);
      const g = (x.grad as NDArray).data[i] as number;
      expect(Math.abs(g - fd), `${name} input ${k}[${i}]: analytic ${g}, fd ${fd}`).toBeLessThan(
        tol * Math.max(1, Math.abs(fd)),
      );
    }
  });
}
