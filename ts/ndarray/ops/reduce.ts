// Reductions (src/operator/tensor/broadcast_reduce_op_value.cc, broadcast_reduce_op_index.cc):
// sum, mean, max, min, prod, norm over an axis or a tuple of axes (keepdims, exclude), and
// argmax / argmin along one axis or over the flattened array.

import { reduceGrad } from '../../autograd/grads.js';
import { tape } from '../../autograd/tape.js';
import { describe } from '../../util/describe.js';
import { parseArgs } from '../../util/options.js';
import { NDArray, shapeSize, shapeStr } from '../ndarray.js';
import { around, axisOf, checkBool, checkInt, checkNd, intTuple, scalarShape } from './common.js';

/** Keyword options of the value reductions {@link sum}, {@link mean}, {@link max}, {@link min}, {@link prod}. */
export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); null or [] reduces all. */
  axis?: number | readonly number[] | null;
  /** Keep the reduced axes with size 1 (default false). */
  keepdims?: boolean;
  /** Reduce over the axes NOT listed in `axis` (default false). */
  exclude?: boolean;
}

/** Keyword options of {@link norm} (`nd.norm(data, ord=2, axis=None, out_dtype=None, keepdims=False)`). */
export interface NormOptions {
  /** 1 (sum of absolute values) or 2 (Euclidean; default). */
  ord?: 1 | 2;
  /** Axis or axes to reduce; null reduces all. */
  axis?: number | readonly number[] | null;
  /** Only 'float32' (the package's one dtype). */
  outDtype?: 'float32' | null;
  /** Keep the reduced axes with size 1 (default false). */
  keepdims?: boolean;
}

/** Keyword options of {@link argmax} and {@link argmin}. */
export interface ArgReduceOptions {
  /** The axis to search along; null flattens the input (default null). */
  axis?: number | null;
  /** Keep the reduced axis with size 1 (default false). */
  keepdims?: boolean;
}

/** The reduced axes (sorted, unique) for `axis`/`exclude`, or an error naming `axis` and the shape. */
function reducedAxes(where: string, shape: readonly number[], axis: unknown, exclude: boolean): number[] {
  const nd = shape.length;
  let axes: number[];
  if (axis === null || axis === undefined) axes = [...Array(nd).keys()];
  else {
    const list = intTuple(where, 'axis', axis);
    if (list.length === 0) axes = exclude ? [] : [...Array(nd).keys()];
    else {
      axes = list.map((a) => {
        if (a < -nd || a >= nd) {
          throw new RangeError(
            `${where}: axis ${Array.isArray(axis) ? `[${list.join(', ')}]` : a} is out of range for an array of shape ${shapeStr(shape)}`,
          );
        }
        return a < 0 ? a + nd : a;
      });
      if (new Set(axes).size !== axes.length)
        throw new RangeError(`${where}: axis [${list.join(', ')}] names an axis twice (shape ${shapeStr(shape)})`);
    }
    if (exclude && list.length > 0) axes = [...Array(nd).keys()].filter((a) => !axes.includes(a));
  }
  return axes.sort((p, q) => p - q);
}

/**
 * Applies `f` to every reduced group: the kept axes are moved first (row-major order of the
 * output) and the reduced axes last, so each group is one contiguous run.
 */
function reduceGroups(
  x: NDArray,
  axes: readonly number[],
  keepdims: boolean,
  f: (src: Float32Array, off: number, len: number) => number,
): NDArray {
  const kept = [...Array(x.ndim).keys()].filter((a) => !axes.includes(a));
  const moved = axes.length === 0 || kept.every((a, i) => a === i) ? x : x.transpose([...kept, ...axes]);
  const groupLen = shapeSize(axes.map((a) => x.shape[a] as number));
  const outShape = keepdims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept.map((a) => x.shape[a] as number);
  const count = shapeSize(kept.map((a) => x.shape[a] as number));
  const out = new Float32Array(count);
  for (let g = 0; g < count; g++) out[g] = f(moved.data, g * groupLen, groupLen);
  return new NDArray(out, scalarShape(outShape));
}

type ValueReducer = (src: Float32Array, off: number, len: number) => number;

const REDUCERS: Readonly<Record<'sum' | 'mean' | 'max' | 'min' | 'prod', ValueReducer>> = {
  sum: (s, off, len) => {
    let acc = 0;
    for (let i = 0; i < len; i++) acc += s[off + i] as number;
    return acc;
  },
  mean: (s, off, len) => {
    let acc = 0;
    for (let i = 0; i < len; i++) acc += s[off + i] as number;
    return acc / len;
  },
  max: (s, off, len) => {
    let m = -Infinity;
    for (let i = 0; i < len; i++) m = Math.max(m, s[off + i] as number);
    return m;
  },
  min: (s, off, len) => {
    let m = Infinity;
    for (let i = 0; i < len; i++) m = Math.min(m, s[off + i] as number);
    return m;
  },
  prod: (s, off, len) => {
    let acc = 1;
    for (let i = 0; i < len; i++) acc *= s[off + i] as number;
    return acc;
  },
};

function valueReduce(name: keyof typeof REDUCERS, args: unknown[]): NDArray {
  const where = `nd.${name}`;
  const o = parseArgs<ReduceOptions & { data: unknown }>(
    where,
    args,
    ['data', 'axis', 'keepdims', 'exclude'],
    { axis: null, keepdims: false, exclude: false },
    ['data'],
  );
  const x = checkNd(where, 'data', o.data);
  const exclude = checkBool(where, 'exclude', o.exclude);
  const keepdims = checkBool(where, 'keepdims', o.keepdims);
  const axes = reducedAxes(where, x.shape, o.axis, exclude);
  const y = reduceGroups(x, axes, keepdims, REDUCERS[name]);
  return tape(name, [x], y, () => reduceGrad(x, y, axes, name));
}

/** Positional form shared by the value reductions: `(data, axis?, keepdims?, exclude?)` or `(data, options)`. */
export type ReduceFn = {
  (data: NDArray, options?: ReduceOptions): NDArray;
  (data: NDArray, axis?: number | readonly number[] | null, keepdims?: boolean, exclude?: boolean): NDArray;
};

/** `nd.sum(data, axis=(), keepdims=False, exclude=False)`: the sum over the given axes (all by default). */
export const sum: ReduceFn = (...args: unknown[]) => valueReduce('sum', args);
/** `nd.mean(data, axis=(), keepdims=False, exclude=False)`: the arithmetic mean over the given axes. */
export const mean: ReduceFn = (...args: unknown[]) => valueReduce('mean', args);
/** `nd.max(data, axis=(), keepdims=False, exclude=False)`: the maximum over the given axes. */
export const max: ReduceFn = (...args: unknown[]) => valueReduce('max', args);
/** `nd.min(data, axis=(), keepdims=False, exclude=False)`: the minimum over the given axes. */
export const min: ReduceFn = (...args: unknown[]) => valueReduce('min', args);
/** `nd.prod(data, axis=(), keepdims=False, exclude=False)`: the product over the given axes. */
export const prod: ReduceFn = (...args: unknown[]) => valueReduce('prod', args);

/**
 * `nd.norm(data, ord=2, axis=None, out_dtype=None, keepdims=False)`: the L2 (or, with ord 1,
 * L1) norm over the given axes, or over all elements.
 */
export function norm(data: NDArray, options?: NormOptions): NDArray;
export function norm(
  data: NDArray,
  ord?: 1 | 2,
  axis?: number | readonly number[] | null,
  outDtype?: null,
  keepdims?: boolean,
): NDArray;
export function norm(...args: unknown[]): NDArray {
  const where = 'nd.norm';
  const o = parseArgs<NormOptions & { data: unknown }>(
    where,
    args,
    ['data', 'ord', 'axis', 'outDtype', 'keepdims'],
    { ord: 2, axis: null, outDtype: null, keepdims: false },
    ['data'],
  );
  const x = checkNd(where, 'data', o.data);
  const ord = checkInt(where, 'ord', o.ord);
  if (ord !== 1 && ord !== 2) throw new RangeError(`${where}: ord must be 1 or 2 (as in MXNet), got ${ord}`);
  if (o.outDtype !== null && o.outDtype !== undefined && o.outDtype !== 'float32')
    throw new TypeError(`${where}: outDtype must be 'float32', got ${describe(o.outDtype)}`);
  const keepdims = checkBool(where, 'keepdims', o.keepdims);
  const axes = reducedAxes(where, x.shape, o.axis, false);
  const y = reduceGroups(x, axes, keepdims, (s, off, len) => {
    let acc = 0;
    if (ord === 1) for (let i = 0; i < len; i++) acc += Math.abs(s[off + i] as number);
    else {
      for (let i = 0; i < len; i++) {
        const v = s[off + i] as number;
        acc += v * v;
      }
      acc = Math.sqrt(acc);
    }
    return acc;
  });
  return tape('norm', [x], y, () => reduceGrad(x, y, axes, ord === 1 ? 'norm1' : 'norm2'));
}

function argReduce(name: 'argmax' | 'argmin', args: unknown[]): NDArray {
  const where = `nd.${name}`;
  const o = parseArgs<ArgReduceOptions & { data: unknown }>(
    where,
    args,
    ['data', 'axis', 'keepdims'],
    { axis: null, keepdims: false },
    ['data'],
  );
  const x = checkNd(where, 'data', o.data);
  const keepdims = checkBool(where, 'keepdims', o.keepdims);
  const better = name === 'argmax' ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
  const search = (s: Float32Array, base: number, n: number, stride: number): number => {
    let best = 0;
    let bv = s[base] as number;
    for (let k = 1; k < n; k++) {
      const v = s[base + k * stride] as number;
      if (better(v, bv)) {
        bv = v;
        best = k;
      }
    }
    return best;
  };
  if (o.axis === null || o.axis === undefined) {
    const idx = search(x.data, 0, x.size, 1);
    return new NDArray(Float32Array.of(idx), keepdims ? x.shape.map(() => 1) : [1]);
  }
  const ax = axisOf(where, 'axis', o.axis, x.shape);
  const [outer, n, inner] = around(x.shape, ax);
  const out = new Float32Array(outer * inner);
  for (let p = 0; p < outer; p++)
    for (let i = 0; i < inner; i++) out[p * inner + i] = search(x.data, p * n * inner + i, n, inner);
  const shape = keepdims ? x.shape.map((d, i) => (i === ax ? 1 : d)) : x.shape.filter((_d, i) => i !== ax);
  return new NDArray(out, scalarShape(shape));
}

/** Positional form of {@link argmax} / {@link argmin}: `(data, axis?, keepdims?)` or `(data, options)`. */
export type ArgReduceFn = {
  (data: NDArray, options?: ArgReduceOptions): NDArray;
  (data: NDArray, axis?: number | null, keepdims?: boolean): NDArray;
};

/** `nd.argmax(data, axis=None, keepdims=False)`: float32 index of the largest value (first on ties). */
export const argmax: ArgReduceFn = (...args: unknown[]) => argReduce('argmax', args);
/** `nd.argmin(data, axis=None, keepdims=False)`: float32 index of the smallest value (first on ties). */
export const argmin: ArgReduceFn = (...args: unknown[]) => argReduce('argmin', args);
