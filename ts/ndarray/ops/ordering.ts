// Ordering operators (src/operator/tensor/ordering_op-inl.h): topk, sort, argsort along one
// axis or over the flattened array. Like MXNet's CPU TopKSort, each lane's indices are ordered
// with std::sort (or, for k * 8 <= n, std::partial_sort), replayed from libstdc++ so that equal
// values come out in MXNet's order (neither algorithm is stable).

import { type BackwardFn, tape } from '../../autograd/tape.js';
import { orderRows } from '../../backend/norm.js';
import { describe } from '../../util/describe.js';
import { parseArgs } from '../../util/options.js';
import { NDArray, shapeStr } from '../ndarray.js';
import { around, axisOf, checkBool, checkChoice, checkInt, checkNd } from './common.js';
import { type Less, partialSort, stdSort } from './stdsort.js';

/** What {@link topk} returns: values, indices (default), both as `[values, indices]`, or a 0/1 mask. */
export type TopkRetTyp = 'value' | 'indices' | 'both' | 'mask';

/** Keyword options of {@link topk} (`nd.topk(data, axis=-1, k=1, ret_typ='indices', is_ascend=False, dtype='float32')`). */
export interface TopkOptions {
  /** The axis to search along; null flattens the input (default -1). */
  axis?: number | null;
  /** How many elements to pick (default 1); k < 1 selects the whole axis. */
  k?: number;
  /** What to return (default 'indices'). */
  retTyp?: TopkRetTyp;
  /** Pick the smallest instead of the largest (default false). */
  isAscend?: boolean;
  /** Only 'float32': indices come back as float32, as in MXNet's default. */
  dtype?: 'float32';
}

/** Keyword options of {@link sort}. */
export interface SortOptions {
  /** The axis to sort along; null flattens the input (default -1). */
  axis?: number | null;
  /** Ascending order (default true). */
  isAscend?: boolean;
}

/** Keyword options of {@link argsort}. */
export interface ArgsortOptions extends SortOptions {
  /** Only 'float32': indices come back as float32, as in MXNet's default. */
  dtype?: 'float32';
}

interface Lanes {
  x: NDArray;
  ax: number;
  outer: number;
  n: number;
  inner: number;
}

function lanesOf(where: string, data: NDArray, axis: unknown): Lanes {
  if (axis === null) {
    const flat = data.reshape([data.size]);
    return { x: flat, ax: 0, outer: 1, n: data.size, inner: 1 };
  }
  const ax = axisOf(where, 'axis', axis, data.shape);
  const [outer, n, inner] = around(data.shape, ax);
  return { x: data, ax, outer, n, inner };
}

/**
 * The first `k` indices of one lane in MXNet's order: TopKSort (ordering_op-inl.h) sorts an
 * index array with std::sort when k * 8 > n, else std::partial_sort, comparing values with
 * `<` (ascending) or `>` (descending).
 */
function order(
  src: Float32Array,
  base: number,
  n: number,
  stride: number,
  k: number,
  ascend: boolean,
  idx: Int32Array,
): void {
  for (let j = 0; j < n; j++) idx[j] = j;
  const val = (j: number) => src[base + j * stride] as number;
  const less: Less = ascend ? (p, q) => val(p) < val(q) : (p, q) => val(p) > val(q);
  if (k * 8 > n) stdSort(idx, 0, n, less);
  else partialSort(idx, 0, k, n, less);
}

/**
 * The first `k` indices of lane (p, i): contiguous lanes (inner = 1) are ordered in wasm all
 * at once (crates/kernels/src/order.rs, the same libstdc++ replay), strided ones here.
 */
function laneOrders(where: string, L: Lanes, k: number, ascend: boolean): (p: number, i: number) => ArrayLike<number> {
  if (L.inner === 1) {
    const all = orderRows(where, L.x.data, L.n, k, ascend);
    return (p) => all.subarray(p * k, (p + 1) * k);
  }
  const idx = new Int32Array(L.n);
  return (p, i) => {
    order(L.x.data, p * L.n * L.inner + i, L.n, L.inner, k, ascend, idx);
    return idx;
  };
}

function dtypeCheck(where: string, d: unknown): void {
  if (d !== undefined && d !== 'float32')
    throw new TypeError(`${where}: dtype must be 'float32' (indices are float32 here), got ${describe(d)}`);
}

/**
 * `nd.topk(data, axis=-1, k=1, ret_typ='indices', is_ascend=False, dtype='float32')`: the k
 * largest (or smallest) entries along `axis`. Returns one NDArray, or `[values, indices]` for
 * `retTyp: 'both'`; indices are float32.
 *
 * ```ts
 * const [values, indices] = mx.nd.topk(scores, { k: 5, retTyp: 'both' });
 * ```
 */
export function topk(data: NDArray, options: TopkOptions & { retTyp: 'both' }): [NDArray, NDArray];
export function topk(
  data: NDArray,
  axis: number | null,
  k: number,
  retTyp: 'both',
  isAscend?: boolean,
): [NDArray, NDArray];
export function topk(data: NDArray, options?: TopkOptions & { retTyp?: 'value' | 'indices' | 'mask' }): NDArray;
export function topk(
  data: NDArray,
  axis?: number | null,
  k?: number,
  retTyp?: 'value' | 'indices' | 'mask',
  isAscend?: boolean,
): NDArray;
export function topk(...args: unknown[]): NDArray | [NDArray, NDArray] {
  const where = 'nd.topk';
  const o = parseArgs<TopkOptions & { data: unknown }>(
    where,
    args,
    ['data', 'axis', 'k', 'retTyp', 'isAscend', 'dtype'],
    { axis: -1, k: 1, retTyp: 'indices', isAscend: false },
    ['data'],
  );
  const data = checkNd(where, 'data', o.data);
  dtypeCheck(where, o.dtype);
  const retTyp = checkChoice(where, 'retTyp', o.retTyp, ['value', 'indices', 'both', 'mask'] as const);
  const ascend = checkBool(where, 'isAscend', o.isAscend);
  const L = lanesOf(where, data, o.axis);
  let k = checkInt(where, 'k', o.k);
  if (k > L.n) {
    throw new RangeError(
      `${where}: k = ${k} is larger than the ${L.n} element(s) along the axis (data shape ${shapeStr(data.shape)})`,
    );
  }
  if (k < 1) k = L.n;
  const outShape = L.x.shape.map((d, i) => (i === L.ax ? k : d));
  const values = new Float32Array(L.outer * k * L.inner);
  const indices = new Float32Array(values.length);
  const from = new Int32Array(values.length);
  const mask = retTyp === 'mask' ? new Float32Array(L.x.size) : null;
  const lane = laneOrders(where, L, k, ascend);
  for (let p = 0; p < L.outer; p++) {
    for (let i = 0; i < L.inner; i++) {
      const base = p * L.n * L.inner + i;
      const idx = lane(p, i);
      for (let j = 0; j < k; j++) {
        const src = idx[j] as number;
        const dst = p * k * L.inner + j * L.inner + i;
        values[dst] = L.x.data[base + src * L.inner] as number;
        from[dst] = base + src * L.inner;
        indices[dst] = src;
        if (mask) mask[base + src * L.inner] = 1;
      }
    }
  }
  if (mask) return new NDArray(mask, data.shape);
  const v = (): NDArray => tape('topk', [data], new NDArray(values, outShape), () => scatterGrad(data.size, from));
  if (retTyp === 'value') return v();
  const ix = new NDArray(indices, outShape);
  if (retTyp === 'indices') return ix;
  // The indices' gradient is zero; recorded, so that a backward through both outputs runs.
  return [v(), tape('topk', [data], ix, () => () => [null])];
}

function sortImpl(where: string, args: unknown[], wantIndices: boolean): NDArray {
  const o = parseArgs<ArgsortOptions & { data: unknown }>(
    where,
    args,
    wantIndices ? ['data', 'axis', 'isAscend', 'dtype'] : ['data', 'axis', 'isAscend'],
    { axis: -1, isAscend: true },
    ['data'],
  );
  const data = checkNd(where, 'data', o.data);
  dtypeCheck(where, o.dtype);
  const ascend = checkBool(where, 'isAscend', o.isAscend);
  const L = lanesOf(where, data, o.axis);
  const out = new Float32Array(L.x.size);
  const from = new Int32Array(wantIndices ? 0 : out.length);
  const lane = laneOrders(where, L, L.n, ascend);
  for (let p = 0; p < L.outer; p++) {
    for (let i = 0; i < L.inner; i++) {
      const base = p * L.n * L.inner + i;
      const idx = lane(p, i);
      for (let j = 0; j < L.n; j++) {
        const src = idx[j] as number;
        if (wantIndices) out[base + j * L.inner] = src;
        else {
          out[base + j * L.inner] = L.x.data[base + src * L.inner] as number;
          from[base + j * L.inner] = base + src * L.inner;
        }
      }
    }
  }
  const y = new NDArray(out, L.x.shape);
  return wantIndices ? y : tape('sort', [data], y, () => scatterGrad(data.size, from));
}

/**
 * The backward of values read from `data`'s flat positions `from` (sorted or top-k values):
 * each head gradient goes back to where its value came from.
 */
function scatterGrad(size: number, from: Int32Array): BackwardFn {
  return (g) => {
    const gx = new Float32Array(size);
    for (let j = 0; j < from.length; j++) {
      const i = from[j] as number;
      gx[i] = (gx[i] as number) + (g[j] as number);
    }
    return [gx];
  };
}

/** `nd.sort(data, axis=-1, is_ascend=True)`: sorted values along `axis` (null: flattened). */
export function sort(data: NDArray, options?: SortOptions): NDArray;
export function sort(data: NDArray, axis?: number | null, isAscend?: boolean): NDArray;
export function sort(...args: unknown[]): NDArray {
  return sortImpl('nd.sort', args, false);
}

/** `nd.argsort(data, axis=-1, is_ascend=True, dtype='float32')`: float32 indices that sort `data` (equal values in MXNet's order). */
export function argsort(data: NDArray, options?: ArgsortOptions): NDArray;
export function argsort(data: NDArray, axis?: number | null, isAscend?: boolean): NDArray;
export function argsort(...args: unknown[]): NDArray {
  return sortImpl('nd.argsort', args, true);
}
