// Indexing operators (src/operator/tensor/indexing_op.h, broadcast_reduce_op_index.cc): pick,
// take, one_hot, gather_nd. Indices are float32 NDArrays, truncated toward zero as MXNet's
// integer cast does.

import { gatherGrad } from '../../autograd/grads.js';
import { tape } from '../../autograd/tape.js';
import { describe } from '../../util/describe.js';
import { checkNumber, parseArgs } from '../../util/options.js';
import { NDArray, shapeSize, shapeStr, zerosOf } from '../ndarray.js';
import { around, axisOf, checkBool, checkChoice, checkInt, checkNd } from './common.js';

/** Out-of-range index handling of {@link pick} and {@link take}: clamp (default) or modulo. */
export type IndexMode = 'clip' | 'wrap';

/** Keyword options of {@link pick} (`nd.pick(data, index, axis=-1, keepdims=False, mode='clip')`). */
export interface PickOptions {
  /** The axis to pick along (default -1). */
  axis?: number;
  /** Keep the picked axis with size 1 (default false). */
  keepdims?: boolean;
  /** Out-of-range indices: 'clip' (default) or 'wrap'. */
  mode?: IndexMode;
}

/** Keyword options of {@link take} (`nd.take(a, indices, axis=0, mode='clip')`). */
export interface TakeOptions {
  /** The axis of `a` to take along (default 0). */
  axis?: number;
  /** Out-of-range indices: 'clip' (default) or 'wrap'. */
  mode?: IndexMode;
}

/** Keyword options of {@link one_hot} (`nd.one_hot(indices, depth, on_value=1, off_value=0, dtype='float32')`). */
export interface OneHotOptions {
  /** The length of the one-hot axis (required). */
  depth?: number;
  /** The value at the index (default 1). */
  onValue?: number;
  /** The value elsewhere (default 0). */
  offValue?: number;
  /** Only 'float32'. */
  dtype?: 'float32';
}

function fix(raw: number, n: number, mode: IndexMode): number {
  const i = Math.trunc(raw);
  if (mode === 'clip') return i < 0 ? 0 : i >= n ? n - 1 : i;
  const r = i % n;
  return r < 0 ? r + n : r;
}

/**
 * `nd.pick(data, index, axis=-1, keepdims=False, mode='clip')`: one entry of `data` per
 * position of the other axes, at `index` along `axis` (e.g. the probability of each target).
 */
export function pick(data: NDArray, index: NDArray, options?: PickOptions): NDArray;
export function pick(data: NDArray, index: NDArray, axis?: number, keepdims?: boolean, mode?: IndexMode): NDArray;
export function pick(...args: unknown[]): NDArray {
  const where = 'nd.pick';
  const o = parseArgs<PickOptions & { data: unknown; index: unknown }>(
    where,
    args,
    ['data', 'index', 'axis', 'keepdims', 'mode'],
    { axis: -1, keepdims: false, mode: 'clip' },
    ['data', 'index'],
  );
  const x = checkNd(where, 'data', o.data);
  const index = checkNd(where, 'index', o.index);
  const mode = checkChoice(where, 'mode', o.mode, ['clip', 'wrap'] as const);
  const keepdims = checkBool(where, 'keepdims', o.keepdims);
  const ax = axisOf(where, 'axis', o.axis, x.shape);
  const [outer, n, inner] = around(x.shape, ax);
  const dropped = x.shape.filter((_d, i) => i !== ax);
  const kept = x.shape.map((d, i) => (i === ax ? 1 : d));
  const same = (s: readonly number[]) => s.length === index.ndim && s.every((d, i) => d === index.shape[i]);
  if (!same(dropped) && !same(kept)) {
    throw new RangeError(
      `${where}: index has shape ${shapeStr(index.shape)} but data ${shapeStr(x.shape)} with axis ${ax} needs ${shapeStr(dropped)}`,
    );
  }
  const out = new Float32Array(outer * inner);
  for (let p = 0; p < outer; p++) {
    for (let i = 0; i < inner; i++) {
      const k = fix(index.data[p * inner + i] as number, n, mode);
      out[p * inner + i] = x.data[(p * n + k) * inner + i] as number;
    }
  }
  return tape('pick', [x, index], new NDArray(out, keepdims ? kept : dropped.length === 0 ? [1] : dropped), () =>
    gatherGrad(x, (i) => pick(i, index, { axis: ax, keepdims, mode })),
  );
}

/**
 * `nd.take(a, indices, axis=0, mode='clip')`: slices of `a` along `axis` at `indices`; the
 * result has shape `a.shape[:axis] + indices.shape + a.shape[axis+1:]`.
 */
export function take(a: NDArray, indices: NDArray, options?: TakeOptions): NDArray;
export function take(a: NDArray, indices: NDArray, axis?: number, mode?: IndexMode): NDArray;
export function take(...args: unknown[]): NDArray {
  const where = 'nd.take';
  const o = parseArgs<TakeOptions & { a: unknown; indices: unknown }>(
    where,
    args,
    ['a', 'indices', 'axis', 'mode'],
    { axis: 0, mode: 'clip' },
    ['a', 'indices'],
  );
  const a = checkNd(where, 'a', o.a);
  const ind = checkNd(where, 'indices', o.indices);
  const mode = checkChoice(where, 'mode', o.mode, ['clip', 'wrap'] as const);
  const ax = axisOf(where, 'axis', o.axis, a.shape);
  const [outer, n, inner] = around(a.shape, ax);
  const m = ind.size;
  const out = new Float32Array(outer * m * inner);
  for (let p = 0; p < outer; p++) {
    for (let j = 0; j < m; j++) {
      const k = fix(ind.data[j] as number, n, mode);
      const src = (p * n + k) * inner;
      out.set(a.data.subarray(src, src + inner), (p * m + j) * inner);
    }
  }
  return tape(
    'take',
    [a, ind],
    new NDArray(out, [...a.shape.slice(0, ax), ...ind.shape, ...a.shape.slice(ax + 1)]),
    () => gatherGrad(a, (i) => take(i, ind, ax, mode)),
  );
}

/**
 * `nd.one_hot(indices, depth, on_value=1, off_value=0, dtype='float32')`: shape
 * `indices.shape + [depth]`; an index outside [0, depth) gives a row of `offValue`.
 */
export function one_hot(indices: NDArray, depth: number, options?: Omit<OneHotOptions, 'depth'>): NDArray;
export function one_hot(indices: NDArray, options: OneHotOptions & { depth: number }): NDArray;
export function one_hot(indices: NDArray, depth: number, onValue?: number, offValue?: number): NDArray;
export function one_hot(...args: unknown[]): NDArray {
  const where = 'nd.one_hot';
  const o = parseArgs<OneHotOptions & { indices: unknown }>(
    where,
    args,
    ['indices', 'depth', 'onValue', 'offValue', 'dtype'],
    { onValue: 1, offValue: 0 },
    ['indices', 'depth'],
  );
  const ind = checkNd(where, 'indices', o.indices);
  const depth = checkInt(where, 'depth', o.depth);
  if (depth < 0) throw new RangeError(`${where}: depth must be non-negative, got ${depth}`);
  const on = checkNumber(where, 'onValue', o.onValue);
  const off = checkNumber(where, 'offValue', o.offValue);
  if (o.dtype !== undefined && o.dtype !== 'float32')
    throw new TypeError(`${where}: dtype must be 'float32', got ${describe(o.dtype)}`);
  const out = zerosOf([...ind.shape, depth], where).fill(off);
  for (let i = 0; i < ind.size; i++) {
    const k = Math.trunc(ind.data[i] as number);
    if (k >= 0 && k < depth) out[i * depth + k] = on;
  }
  return new NDArray(out, [...ind.shape, depth]);
}

/**
 * `nd.gather_nd(data, indices)`: `indices` of shape (M, Y...) addresses the first M axes of
 * `data`; the result has shape `Y... + data.shape[M:]`. Negative indices count from the end.
 */
export function gather_nd(data: NDArray, indices: NDArray): NDArray {
  const where = 'nd.gather_nd';
  const x = checkNd(where, 'data', data);
  const ind = checkNd(where, 'indices', indices);
  const m = ind.shape[0] as number;
  if (ind.ndim < 1 || m > x.ndim || m < 1) {
    throw new RangeError(
      `${where}: indices of shape ${shapeStr(ind.shape)} must have a first dimension between 1 and data.ndim (data shape ${shapeStr(x.shape)})`,
    );
  }
  const ys = ind.shape.slice(1);
  const count = shapeSize(ys);
  const rest = x.shape.slice(m);
  const inner = shapeSize(rest);
  const out = new Float32Array(count * inner);
  for (let j = 0; j < count; j++) {
    let off = 0;
    for (let d = 0; d < m; d++) {
      const n = x.shape[d] as number;
      let k = Math.trunc(ind.data[d * count + j] as number);
      if (k < 0) k += n;
      if (k < 0 || k >= n) {
        throw new RangeError(
          `${where}: index ${String(ind.data[d * count + j])} is out of bounds for axis ${d} of data shape ${shapeStr(x.shape)}`,
        );
      }
      off = off * n + k;
    }
    out.set(x.data.subarray(off * inner, (off + 1) * inner), j * inner);
  }
  const shape = [...ys, ...rest];
  // The backward scatters the head gradient back (MXNet's _backward_gather_nd: scatter_nd add).
  return tape('gather_nd', [x, ind], new NDArray(out, shape.length === 0 ? [1] : shape), () =>
    gatherGrad(x, (i) => gather_nd(i, ind)),
  );
}
