// gluon.utils (python/mxnet/gluon/utils.py): clip_global_norm.

import { NDArray } from '../ndarray/ndarray.js';
import { describe } from '../util/describe.js';
import { warn } from '../util/errors.js';

/**
 * `clip_global_norm(arrays, max_norm, check_isfinite=True)`: scales every array in place by
 * min(1, maxNorm / (norm + 1e-8)), where norm is the 2-norm of all of them together, and returns
 * that norm (a number; an NDArray of shape (1,) with `checkIsfinite` false, as in MXNet).
 * A NaN or Inf norm warns (with `checkIsfinite`); the arrays are then scaled by NaN, as MXNet.
 */
export function clipGlobalNorm(arrays: readonly NDArray[], maxNorm: number, checkIsfinite?: true): number;
export function clipGlobalNorm(arrays: readonly NDArray[], maxNorm: number, checkIsfinite: false): NDArray;
export function clipGlobalNorm(arrays: readonly NDArray[], maxNorm: number, checkIsfinite = true): number | NDArray {
  if (!Array.isArray(arrays) || arrays.length === 0)
    throw new RangeError('clipGlobalNorm: arrays must be a non-empty array of NDArrays');
  arrays.forEach((a, i) => {
    if (!(a instanceof NDArray)) throw new TypeError(`clipGlobalNorm: arrays[${i}] must be an NDArray`);
  });
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm))
    throw new TypeError(`clipGlobalNorm: maxNorm must be a number, got ${describe(maxNorm)}`);
  // Each array's dot(x, x) is a float32 value in MXNet; their sum and sqrt too.
  let total = 0;
  for (const a of arrays) {
    let s = 0;
    for (const v of a.data) s += v * v;
    total = Math.fround(total + Math.fround(s));
  }
  const norm = Math.fround(Math.sqrt(total));
  if (checkIsfinite && !Number.isFinite(norm)) warn('nan or inf is detected. Clipping results will be undefined.');
  const ratio = Math.fround(maxNorm / Math.fround(norm + 1e-8));
  const scale = Math.min(ratio, 1); // nd.min over [scale, 1]: NaN propagates, as Math.min's
  for (const a of arrays) {
    const d = a.data;
    for (let i = 0; i < d.length; i++) d[i] = (d[i] as number) * scale;
  }
  return checkIsfinite ? norm : new NDArray(Float32Array.of(norm), [1]);
}

/** Python's name for {@link clipGlobalNorm}. */
export const clip_global_norm = clipGlobalNorm;
