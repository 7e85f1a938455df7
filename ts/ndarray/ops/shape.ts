// Shape operators (src/operator/tensor/matrix_op-inl.h): reshape with MXNet's special codes,
// transpose, swapaxes, expand_dims, squeeze, slice (begin/end/step), slice_axis, tile, repeat.

import { gatherGrad, identityGrad, sliceAxisGrad } from '../../autograd/grads.js';
import { tape } from '../../autograd/tape.js';
import { describe } from '../../util/describe.js';
import { parseArgs } from '../../util/options.js';
import { NDArray, type Shape, shapeSize, shapeStr, zerosOf } from '../ndarray.js';
import { around, axisOf, checkBool, checkInt, checkNd, intTuple, stridesOf } from './common.js';

/** Keyword options of {@link reshape} (`nd.reshape(data, shape, reverse=False)`). */
export interface ReshapeOptions {
  /** The target shape, with MXNet's codes 0, -1, -2, -3, -4. */
  shape?: readonly number[];
  /** Apply the codes from right to left (default false). */
  reverse?: boolean;
}

/** Keyword options of {@link transpose}. */
export interface TransposeOptions {
  /** The permutation; empty or null reverses the axes. */
  axes?: readonly number[] | null;
}

/** Keyword options of {@link swapaxes} (`nd.swapaxes(data, dim1=0, dim2=0)`). */
export interface SwapaxesOptions {
  /** The first axis (default 0). */
  dim1?: number;
  /** The second axis (default 0). */
  dim2?: number;
}

/** Keyword options of {@link expand_dims}. */
export interface ExpandDimsOptions {
  /** Where the new axis goes (negative counts over ndim + 1). */
  axis?: number;
}

/** Keyword options of {@link squeeze}. */
export interface SqueezeOptions {
  /** The size-1 axis or axes to remove; null removes all. */
  axis?: number | readonly number[] | null;
}

/** One entry of a `slice` bound: an index, or null for the axis default. */
export type SliceIndex = number | null;

/** Keyword options of {@link slice} (`nd.slice(data, begin, end, step=())`). */
export interface SliceOptions {
  /** Start per leading axis (null: the start, or the end for a negative step). */
  begin?: readonly SliceIndex[];
  /** Stop per leading axis, exclusive (null: the end, or before the start for a negative step). */
  end?: readonly SliceIndex[];
  /** Step per leading axis (null or missing: 1). */
  step?: readonly SliceIndex[];
}

/** Keyword options of {@link slice_axis} (`nd.slice_axis(data, axis, begin, end)`). */
export interface SliceAxisOptions {
  /** The axis to slice. */
  axis?: number;
  /** Start (negative counts from the end). */
  begin?: number;
  /** Stop, exclusive (null: the end of the axis). */
  end?: number | null;
}

/** Keyword options of {@link tile}. */
export interface TileOptions {
  /** Repetitions per axis (aligned to the trailing axes). */
  reps?: readonly number[];
}

/** Keyword options of {@link repeat} (`nd.repeat(data, repeats, axis=None)`). */
export interface RepeatOptions {
  /** How many times each element repeats. */
  repeats?: number;
  /** The axis to repeat along; null flattens first (default null). */
  axis?: number | null;
}

/**
 * The output shape of MXNet's reshape (`InferReshapeShape`, matrix_op-inl.h): 0 copies the input
 * dimension, -1 infers one dimension, -2 copies the rest, -3 merges two input dimensions, -4
 * splits one into the next two entries (one of them may be -1); `reverse` matches right to left.
 * @internal
 */
export function reshapeShape(where: string, src: Shape, target: readonly number[], reverse: boolean): number[] {
  const req = target.map((v, i) => checkInt(where, `shape[${i}]`, v));
  const bad = (msg: string): never => {
    throw new RangeError(`${where}: shape ${shapeStr(req)} ${msg} (input shape ${shapeStr(src)})`);
  };
  const d = reverse ? [...src].reverse() : [...src];
  const s = reverse ? [...req].reverse() : req;
  const out: number[] = [];
  let si = 0;
  let inferAt = -1;
  for (let i = 0; i < s.length; i++) {
    const r = s[i] as number;
    if (r === 0) {
      if (si >= d.length) bad(`uses code 0 at a position with no input dimension`);
      out.push(d[si++] as number);
    } else if (r === -1) {
      if (inferAt >= 0) bad('has more than one -1 (only one dimension can be inferred)');
      inferAt = out.length;
      out.push(1);
      si++;
    } else if (r === -2) {
      while (si < d.length) out.push(d[si++] as number);
    } else if (r === -3) {
      if (si + 1 >= d.length) bad('uses -3 without two input dimensions left to merge');
      out.push((d[si] as number) * (d[si + 1] as number));
      si += 2;
    } else if (r === -4) {
      if (i + 2 >= s.length) bad('needs two entries after -4');
      if (si >= d.length) bad('uses -4 with no input dimension left to split');
      const d0 = d[si++] as number;
      let d1 = s[++i] as number;
      let d2 = s[++i] as number;
      if (d1 === -1 && d2 === -1) bad('splits with -4 into two -1 entries');
      if (d1 === -1) d1 = d0 / d2;
      if (d2 === -1) d2 = d0 / d1;
      if (!Number.isInteger(d1) || !Number.isInteger(d2) || d1 * d2 !== d0 || d1 < 0 || d2 < 0)
        bad(`splits dimension ${d0} with -4 into ${s[i - 1]} x ${s[i]}, which does not divide it`);
      out.push(d1, d2);
    } else if (r > 0) {
      out.push(r);
      si++;
    } else {
      bad(`has code ${r}; the codes are positive sizes, 0, -1, -2, -3 and -4`);
    }
  }
  const size = shapeSize(src);
  if (inferAt >= 0) {
    const known = shapeSize(out);
    if (known === 0 || size % known !== 0) {
      throw new RangeError(
        `${where}: cannot reshape array of shape ${shapeStr(src)} (size ${size}) into shape ${shapeStr(req)}`,
      );
    }
    out[inferAt] = size / known;
  }
  if (reverse) out.reverse();
  if (shapeSize(out) !== size) {
    throw new RangeError(
      `${where}: cannot reshape array of shape ${shapeStr(src)} (size ${size}) into shape ${shapeStr(req)} (size ${shapeSize(out)})`,
    );
  }
  return out;
}

/**
 * `nd.reshape(data, shape, reverse=False)`: a view with a new shape, using MXNet's special
 * codes (0 copy, -1 infer, -2 copy the rest, -3 merge two, -4 split one in two).
 *
 * ```ts
 * mx.nd.reshape(x, { shape: [0, -1] });          // (2, 3, 4) -> (2, 12)
 * mx.nd.reshape(x, [-4, 1, 2, -2]);              // (2, 3, 4) -> (1, 2, 3, 4)
 * ```
 */
export function reshape(data: NDArray, options: ReshapeOptions & { shape: readonly number[] }): NDArray;
export function reshape(data: NDArray, shape: readonly number[], options?: Omit<ReshapeOptions, 'shape'>): NDArray;
export function reshape(data: NDArray, shape: readonly number[], reverse?: boolean): NDArray;
export function reshape(...args: unknown[]): NDArray {
  const where = 'nd.reshape';
  const o = parseArgs<ReshapeOptions & { data: unknown }>(
    where,
    args,
    ['data', 'shape', 'reverse'],
    { reverse: false },
    ['data', 'shape'],
  );
  const x = checkNd(where, 'data', o.data);
  if (!Array.isArray(o.shape))
    throw new TypeError(`${where}: shape must be an array of integers, got ${describe(o.shape)}`);
  const shape = reshapeShape(where, x.shape, o.shape, checkBool(where, 'reverse', o.reverse));
  return tape('reshape', [x], new NDArray(x.data, shape), () => identityGrad);
}

/** `nd.transpose(data, axes=())`: permutes the axes; no axes reverses them. */
export function transpose(data: NDArray, options?: TransposeOptions): NDArray;
export function transpose(data: NDArray, axes?: readonly number[] | null): NDArray;
export function transpose(...args: unknown[]): NDArray {
  const where = 'nd.transpose';
  const o = parseArgs<TransposeOptions & { data: unknown }>(where, args, ['data', 'axes'], { axes: null }, ['data']);
  const x = checkNd(where, 'data', o.data);
  if (o.axes === null || o.axes === undefined) return x.transpose();
  const axes = intTuple(where, 'axes', o.axes);
  if (axes.length === 0) return x.transpose();
  const perm = axes.map((a) => (a < 0 ? a + x.ndim : a));
  if (axes.length !== x.ndim || new Set(perm).size !== x.ndim || perm.some((a) => a < 0 || a >= x.ndim)) {
    throw new RangeError(
      `${where}: axes ${shapeStr(axes)} is not a permutation of the ${x.ndim} axes of data ${shapeStr(x.shape)}`,
    );
  }
  return x.transpose(perm);
}

/** `nd.swapaxes(data, dim1=0, dim2=0)`: exchanges two axes. */
export function swapaxes(data: NDArray, options?: SwapaxesOptions): NDArray;
export function swapaxes(data: NDArray, dim1?: number, dim2?: number): NDArray;
export function swapaxes(...args: unknown[]): NDArray {
  const where = 'nd.swapaxes';
  const o = parseArgs<SwapaxesOptions & { data: unknown }>(
    where,
    args,
    ['data', 'dim1', 'dim2'],
    { dim1: 0, dim2: 0 },
    ['data'],
  );
  const x = checkNd(where, 'data', o.data);
  const a = axisOf(where, 'dim1', o.dim1, x.shape);
  const b = axisOf(where, 'dim2', o.dim2, x.shape);
  if (a === b) return tape('swapaxes', [x], new NDArray(x.data.slice(), x.shape), () => identityGrad);
  const perm = [...Array(x.ndim).keys()];
  perm[a] = b;
  perm[b] = a;
  return x.transpose(perm);
}

/** `nd.expand_dims(data, axis)`: inserts a size-1 axis at `axis` (in [-ndim-1, ndim]). */
export function expand_dims(data: NDArray, options: ExpandDimsOptions & { axis: number }): NDArray;
export function expand_dims(data: NDArray, axis: number): NDArray;
export function expand_dims(...args: unknown[]): NDArray {
  const where = 'nd.expand_dims';
  const o = parseArgs<ExpandDimsOptions & { data: unknown }>(where, args, ['data', 'axis'], {}, ['data', 'axis']);
  const x = checkNd(where, 'data', o.data);
  const ax = axisOf(where, 'axis', o.axis, x.shape, 1);
  const shape = [...x.shape];
  shape.splice(ax, 0, 1);
  return tape('expand_dims', [x], new NDArray(x.data, shape), () => identityGrad);
}

/** `nd.squeeze(data, axis=None)`: removes size-1 axes (all, or the given ones); never below 1-d. */
export function squeeze(data: NDArray, options?: SqueezeOptions): NDArray;
export function squeeze(data: NDArray, axis?: number | readonly number[] | null): NDArray;
export function squeeze(...args: unknown[]): NDArray {
  const where = 'nd.squeeze';
  const o = parseArgs<SqueezeOptions & { data: unknown }>(where, args, ['data', 'axis'], { axis: null }, ['data']);
  const x = checkNd(where, 'data', o.data);
  let drop: number[];
  if (o.axis === null || o.axis === undefined) drop = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  else {
    drop = intTuple(where, 'axis', o.axis).map((a) => axisOf(where, 'axis', a, x.shape));
    for (const a of drop) {
      if (x.shape[a] !== 1) {
        throw new RangeError(
          `${where}: axis ${a} has size ${String(x.shape[a])}, not 1, in data of shape ${shapeStr(x.shape)}`,
        );
      }
    }
  }
  const shape = x.shape.filter((_d, i) => !drop.includes(i));
  return tape('squeeze', [x], new NDArray(x.data, shape.length === 0 ? [1] : shape), () => identityGrad);
}

/** Start and length of one sliced axis (MXNet's GetIndexRange + SetSliceOpOutputDimSize). */
function sliceRange(len: number, begin: SliceIndex, end: SliceIndex, step: number): [number, number] {
  let b: number;
  let e: number;
  if (step > 0) {
    b = begin ?? 0;
    e = end ?? len;
  } else {
    b = begin ?? len - 1;
    e = end ?? -1;
  }
  if (b < 0) b += len;
  if (e < 0 && end !== null) e += len;
  if (b < 0 && step > 0) b = 0;
  if (b > len - 1 && step < 0) b = len - 1;
  if (b < 0 || b > len - 1) b = -1;
  if (e < -1) e = -1;
  if (e > len) e = len;
  if (b < 0 || e === b) return [0, 0];
  if (step > 0) return [b, e > b ? Math.floor((e - b - 1) / step) + 1 : 0];
  return [b, e < b ? Math.floor((b - e - 1) / -step) + 1 : 0];
}

/**
 * `nd.slice(data, begin, end, step=())`: a strided slice of the leading `begin.length` axes;
 * `null` entries take the axis default, negative indices count from the end and a negative
 * step walks backwards (Python slicing semantics).
 */
export function slice(
  data: NDArray,
  options: SliceOptions & { begin: readonly SliceIndex[]; end: readonly SliceIndex[] },
): NDArray;
export function slice(
  data: NDArray,
  begin: readonly SliceIndex[],
  end: readonly SliceIndex[],
  step?: readonly SliceIndex[],
): NDArray;
export function slice(...args: unknown[]): NDArray {
  const where = 'nd.slice';
  const o = parseArgs<SliceOptions & { data: unknown }>(where, args, ['data', 'begin', 'end', 'step'], { step: [] }, [
    'data',
    'begin',
    'end',
  ]);
  const x = checkNd(where, 'data', o.data);
  const list = (what: string, v: unknown): SliceIndex[] => {
    if (!Array.isArray(v))
      throw new TypeError(`${where}: ${what} must be an array of integers or nulls, got ${describe(v)}`);
    return v.map((e, i) => (e === null ? null : checkInt(where, `${what}[${i}]`, e)));
  };
  const begin = list('begin', o.begin);
  const end = list('end', o.end);
  const step = list('step', o.step);
  if (begin.length !== end.length || begin.length > x.ndim || (step.length > 0 && step.length !== begin.length)) {
    throw new RangeError(
      `${where}: begin has ${begin.length}, end ${end.length} and step ${step.length} entries; they must match and not exceed the ${x.ndim} axes of data ${shapeStr(x.shape)}`,
    );
  }
  const starts: number[] = [];
  const steps: number[] = [];
  const outShape = [...x.shape];
  for (let ax = 0; ax < begin.length; ax++) {
    const st = step[ax] ?? 1;
    if (st === 0) throw new RangeError(`${where}: step[${ax}] cannot be 0`);
    const [b, n] = sliceRange(x.shape[ax] as number, begin[ax] ?? null, end[ax] ?? null, st);
    starts.push(b);
    steps.push(st);
    outShape[ax] = n;
  }
  for (let ax = begin.length; ax < x.ndim; ax++) {
    starts.push(0);
    steps.push(1);
  }
  const inStrides = stridesOf(x.shape);
  const out = new Float32Array(shapeSize(outShape));
  const nd = x.ndim;
  const idx = new Array<number>(nd).fill(0);
  for (let o2 = 0; o2 < out.length; o2++) {
    let off = 0;
    for (let k = 0; k < nd; k++)
      off += ((starts[k] as number) + (idx[k] as number) * (steps[k] as number)) * (inStrides[k] as number);
    out[o2] = x.data[off] as number;
    for (let k = nd - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (outShape[k] as number)) break;
      idx[k] = 0;
    }
  }
  return tape('slice', [x], new NDArray(out, outShape), () => gatherGrad(x, (i) => slice(i, begin, end, step)));
}

/** `nd.slice_axis(data, axis, begin, end)`: entries [begin, end) along one axis (end null: to the end). */
export function slice_axis(data: NDArray, options: SliceAxisOptions & { axis: number; begin: number }): NDArray;
export function slice_axis(data: NDArray, axis: number, begin: number, end: number | null): NDArray;
export function slice_axis(...args: unknown[]): NDArray {
  const where = 'nd.slice_axis';
  const o = parseArgs<SliceAxisOptions & { data: unknown }>(where, args, ['data', 'axis', 'begin', 'end'], {}, [
    'data',
    'axis',
    'begin',
    'end',
  ]);
  const x = checkNd(where, 'data', o.data);
  const ax = axisOf(where, 'axis', o.axis, x.shape);
  const n = x.shape[ax] as number;
  let b = checkInt(where, 'begin', o.begin);
  let e = o.end === null ? n : checkInt(where, 'end', o.end);
  if (b < 0) b += n;
  if (e < 0) e += n;
  if (b < 0 || b >= n || e > n || b >= e) {
    throw new RangeError(
      `${where}: begin ${String(o.begin)} and end ${String(o.end)} do not give a non-empty range of axis ${ax} (size ${n}) of data ${shapeStr(x.shape)}`,
    );
  }
  const [outer, , inner] = around(x.shape, ax);
  const len = e - b;
  const out = new Float32Array(outer * len * inner);
  for (let p = 0; p < outer; p++) out.set(x.data.subarray((p * n + b) * inner, (p * n + e) * inner), p * len * inner);
  const shape = [...x.shape];
  shape[ax] = len;
  return tape('slice_axis', [x], new NDArray(out, shape), () => sliceAxisGrad(x.shape, ax, b, e));
}

/** `nd.tile(data, reps)`: repeats the whole array `reps[i]` times along each axis (aligned right). */
export function tile(data: NDArray, options: TileOptions & { reps: readonly number[] }): NDArray;
export function tile(data: NDArray, reps: readonly number[]): NDArray;
export function tile(...args: unknown[]): NDArray {
  const where = 'nd.tile';
  const o = parseArgs<TileOptions & { data: unknown }>(where, args, ['data', 'reps'], {}, ['data', 'reps']);
  const x = checkNd(where, 'data', o.data);
  const reps = intTuple(where, 'reps', o.reps);
  if (reps.some((r) => r < 0)) throw new RangeError(`${where}: reps ${shapeStr(reps)} must be non-negative`);
  const nd = Math.max(reps.length, x.ndim);
  const src = [...new Array<number>(nd - x.ndim).fill(1), ...x.shape];
  const rp = [...new Array<number>(nd - reps.length).fill(1), ...reps];
  const outShape = src.map((d, i) => d * (rp[i] as number));
  const inStrides = stridesOf(src);
  const out = zerosOf(outShape, where);
  const idx = new Array<number>(nd).fill(0);
  for (let o2 = 0; o2 < out.length; o2++) {
    let off = 0;
    for (let k = 0; k < nd; k++) off += ((idx[k] as number) % (src[k] as number)) * (inStrides[k] as number);
    out[o2] = x.data[off] as number;
    for (let k = nd - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (outShape[k] as number)) break;
      idx[k] = 0;
    }
  }
  return tape('tile', [x], new NDArray(out, outShape), () => gatherGrad(x, (i) => tile(i, reps)));
}

/** `nd.repeat(data, repeats, axis=None)`: repeats each element along `axis` (null: of the flattened array). */
export function repeat(data: NDArray, options: RepeatOptions & { repeats: number }): NDArray;
export function repeat(data: NDArray, repeats: number, axis?: number | null): NDArray;
export function repeat(...args: unknown[]): NDArray {
  const where = 'nd.repeat';
  const o = parseArgs<RepeatOptions & { data: unknown }>(where, args, ['data', 'repeats', 'axis'], { axis: null }, [
    'data',
    'repeats',
  ]);
  let x = checkNd(where, 'data', o.data);
  const r = checkInt(where, 'repeats', o.repeats);
  if (r < 0) throw new RangeError(`${where}: repeats must be non-negative, got ${r}`);
  let ax = 0;
  if (o.axis === null || o.axis === undefined) x = x.reshape([x.size]);
  else ax = axisOf(where, 'axis', o.axis, x.shape);
  const [outer, n, inner] = around(x.shape, ax);
  const shape = [...x.shape];
  shape[ax] = n * r;
  const out = zerosOf(shape, where);
  let w = 0;
  for (let p = 0; p < outer; p++) {
    for (let k = 0; k < n; k++) {
      const row = x.data.subarray((p * n + k) * inner, (p * n + k + 1) * inner);
      for (let j = 0; j < r; j++) {
        out.set(row, w);
        w += inner;
      }
    }
  }
  const src = x;
  return tape('repeat', [src], new NDArray(out, shape), () => gatherGrad(src, (i) => repeat(i, r, ax)));
}
