// NDArray: float32 data owned by JavaScript (docs/design/architecture.md decision 6), so the garbage
// collector reclaims it and no user frees a tensor. Kernels copy in and out of wasm memory.

import { gatherGrad, identityGrad, sliceAxisGrad } from '../autograd/grads.js';
import { tapeUnary } from '../autograd/hooks.js';
import { attachGrad, backwardImpl, detached, type GradReqKind, tape, variableOf } from '../autograd/tape.js';
import { describe } from '../util/describe.js';
import { checkAxes, isPlainObject, type PositionalArgs, parseArgs } from '../util/options.js';
import {
  type IndexMode,
  type OneHotOptions,
  one_hot,
  type PickOptions,
  pick,
  type TakeOptions,
  take,
} from './ops/indexing.js';
import { log, sign, sqrt, square } from './ops/math.js';
import { type ArgsortOptions, argsort, type SortOptions, sort, type TopkOptions, topk } from './ops/ordering.js';
import {
  type ArgReduceOptions,
  argmax,
  argmin,
  max,
  mean,
  min,
  type NormOptions,
  norm,
  prod,
  type ReduceOptions,
  sum,
} from './ops/reduce.js';
import {
  type ExpandDimsOptions,
  expand_dims,
  type RepeatOptions,
  repeat,
  reshapeShape,
  type SliceAxisOptions,
  type SliceIndex,
  type SliceOptions,
  type SqueezeOptions,
  type SwapaxesOptions,
  slice_axis,
  slice as sliceOp,
  squeeze,
  swapaxes as swapaxesOp,
  type TileOptions,
  type TransposeOptions,
  tile,
  transpose as transposeOp,
} from './ops/shape.js';
import { type LogSoftmaxOptions, log_softmax, type SoftmaxOptions, softmax } from './ops/softmax.js';
import { clip as clipOp } from './ops.js';

/** A shape: one non-negative integer per dimension (Python's shape tuple). */
export type Shape = readonly number[];

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * A zero-filled Float32Array with `shape`'s size. A size the runtime cannot allocate is a
 * RangeError that names `where` and the shape, not the engine's bare "Invalid typed array
 * length". @internal
 */
export function zerosOf(shape: Shape, where: string): Float32Array {
  const n = shapeSize(shape);
  try {
    return new Float32Array(n);
  } catch (e) {
    throw new RangeError(
      `${where}: shape ${shapeStr(shape)} holds ${n} elements (${n * 4} bytes), more than this runtime can allocate: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** True when two shapes have the same dimensions. */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Python's str() of a shape tuple: (3,), (2, 3). */
export function shapeStr(shape: Shape): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

export function checkShape(shape: Shape, what: string): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${what}: expected an array of dimensions, got ${describe(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${what}: dimensions must be non-negative integers, got [${shape.join(', ')}]`);
    }
  }
  return [...shape];
}

/** Normalises a possibly negative axis of an `ndim`-d array. */
export function normAxis(axis: number, ndim: number, what: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(`${what}: axis ${String(axis)} is out of range for an array of ${ndim} dimension(s)`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Row-major strides of `shape`. */
function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * (shape[i + 1] as number);
  return s;
}

/** What `toArray()` returns: numbers in nested arrays, one level per dimension (Python's `tolist()`). */
export type NestedNumbers = number | NestedNumbers[];

/** Calls operator `f` with `self` as its first argument (the NDArray method form). */
function fwd<R>(f: (...a: never[]) => R, self: NDArray, args: unknown[]): R {
  return (f as unknown as (...a: unknown[]) => R)(self, ...args);
}

/** Set by {@link ndarrayOver} for the one construction it makes (see there). */
let checkedByCaller = false;

/**
 * @internal An NDArray over a kernel's output: `shape` is an array made for this array alone,
 * of valid dimensions whose product is `data.length`, so the constructor's checks and its
 * copy of the shape are skipped (a token's forward makes two or three of these per call).
 */
export function ndarrayOver(data: Float32Array, shape: number[]): NDArray {
  checkedByCaller = true;
  return new NDArray(data, shape);
}

/**
 * An n-dimensional float32 array (`mx.nd.NDArray`): row-major data in a `Float32Array` plus a
 * shape, in JavaScript memory, so there is nothing to free. Create one with `mx.nd.array`,
 * `mx.nd.zeros`, `mx.nd.random.uniform`, ...
 */
export class NDArray {
  /** Row-major float32 storage; treat as read-only unless you own the array. */
  readonly data: Float32Array;
  /** The dimensions (Python's shape tuple, as an array). */
  readonly shape: number[];

  constructor(data: Float32Array, shape: Shape) {
    if (checkedByCaller) {
      checkedByCaller = false;
      this.data = data;
      this.shape = shape as number[];
      return;
    }
    const s = checkShape(shape, 'NDArray shape');
    if (data.length !== shapeSize(s)) {
      throw new RangeError(`NDArray: data has ${data.length} elements but shape ${shapeStr(s)} needs ${shapeSize(s)}`);
    }
    this.data = data;
    this.shape = s;
  }

  /** The number of elements. */
  get size(): number {
    return this.data.length;
  }
  /** The number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }
  /** Always 'float32', the one dtype the package computes in (token ids are float32 too, as in MXNet). */
  get dtype(): 'float32' {
    return 'float32';
  }
  /** Always the CPU: the package has one device. */
  get context(): string {
    return 'cpu(0)';
  }

  /** A copy of the data, row-major. */
  toFloat32Array(): Float32Array {
    return this.data.slice();
  }

  /** Nested JS arrays (Python `asnumpy().tolist()`). */
  toArray(): NestedNumbers[] {
    const d = this.data;
    const shape = this.shape;
    const build = (dim: number, off: number): NestedNumbers[] => {
      const n = shape[dim] as number;
      const out: NestedNumbers[] = new Array<NestedNumbers>(n);
      if (dim === shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = d[off + i] as number;
        return out;
      }
      const stride = shapeSize(shape.slice(dim + 1));
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, off + i * stride);
      return out;
    };
    return shape.length === 0 ? [] : build(0, 0);
  }

  /** The single element of a size-1 array (Python `asscalar()`). */
  asScalar(): number {
    if (this.size !== 1)
      throw new RangeError(`asScalar: the array has shape ${shapeStr(this.shape)}, not a single element`);
    return this.data[0] as number;
  }

  /** A deep copy. */
  copy(): NDArray {
    return new NDArray(this.data.slice(), this.shape);
  }

  /**
   * `reshape(shape)` with MXNet's special codes: 0 copies the input dimension at that
   * position, -1 infers one dimension, -2 copies all remaining input dimensions, -3 merges two
   * consecutive input dimensions, -4 splits one into the next two entries; `{ reverse: true }`
   * applies them right to left. Also `x.reshape(2, 3)`. The result shares the data (NDArrays
   * are never written in place by this package's ops).
   */
  reshape(shape: Shape, options?: { reverse?: boolean }): NDArray;
  reshape(...shape: number[]): NDArray;
  reshape(shape: Shape | number, ...rest: unknown[]): NDArray {
    let req: readonly number[];
    let reverse = false;
    if (typeof shape === 'number') req = [shape, ...(rest as number[])];
    else {
      if (!Array.isArray(shape))
        throw new TypeError(`reshape: shape must be an array of integers or integer arguments, got ${describe(shape)}`);
      req = shape;
      const opts = rest[0] as { reverse?: boolean } | undefined;
      if (rest.length > 1 || (opts !== undefined && !isPlainObject(opts)))
        throw new TypeError(`reshape: after the shape array only an options object, got ${describe(rest)}`);
      if (opts !== undefined) {
        for (const k of Object.keys(opts)) {
          if (k !== 'reverse') throw new TypeError(`reshape: unknown option '${k}'; expected one of: reverse`);
        }
        reverse = opts.reverse === true;
      }
    }
    return tape(
      'reshape',
      [this],
      new NDArray(this.data, reshapeShape('reshape', this.shape, req, reverse)),
      () => identityGrad,
    );
  }

  /** Permutes axes; no argument reverses them (Python `transpose(axes=None)`). */
  transpose(options?: readonly number[] | TransposeOptions): NDArray {
    if (isPlainObject(options)) return transposeOp(this, options as TransposeOptions);
    const axes = options === undefined || options === null ? undefined : checkAxes('transpose', options);
    const nd = this.ndim;
    const perm =
      axes === undefined || axes.length === 0
        ? [...Array(nd).keys()].reverse()
        : axes.map((a) => normAxis(a, nd, 'transpose'));
    if (perm.length !== nd || new Set(perm).size !== nd) {
      throw new RangeError(`transpose: axes [${(axes ?? []).join(', ')}] are not a permutation of ${nd} axes`);
    }
    const outShape = perm.map((p) => this.shape[p] as number);
    const inStrides = stridesOf(this.shape);
    const permStrides = perm.map((p) => inStrides[p] as number);
    const out = new Float32Array(this.size);
    const idx = new Array<number>(nd).fill(0);
    const src = this.data;
    let off = 0;
    for (let o = 0; o < out.length; o++) {
      out[o] = src[off] as number;
      for (let k = nd - 1; k >= 0; k--) {
        idx[k] = (idx[k] as number) + 1;
        off += permStrides[k] as number;
        if ((idx[k] as number) < (outShape[k] as number)) break;
        off -= (permStrides[k] as number) * (outShape[k] as number);
        idx[k] = 0;
      }
    }
    return tape('transpose', [this], new NDArray(out, outShape), () => gatherGrad(this, (i) => i.transpose(perm)));
  }

  /** Swaps two axes (Python `swapaxes(dim1, dim2)`). */
  swapaxes(dim1: number | SwapaxesOptions, dim2?: number): NDArray {
    if (typeof dim1 !== 'number' || dim2 === undefined)
      return fwd(swapaxesOp, this, dim2 === undefined ? [dim1] : [dim1, dim2]);
    const a = normAxis(dim1, this.ndim, 'swapaxes(dim1)');
    const b = normAxis(dim2, this.ndim, 'swapaxes(dim2)');
    if (a === b) return this;
    const perm = [...Array(this.ndim).keys()];
    perm[a] = b;
    perm[b] = a;
    return this.transpose(perm);
  }

  /** Python `x[i]`: drops the first axis (a 1-d array gives shape (1,), as MXNet 1.x). */
  get(i: number): NDArray {
    if (this.ndim === 0) throw new RangeError('get: cannot index a 0-d array');
    const n = this.shape[0] as number;
    if (!Number.isInteger(i) || i < -n || i >= n) {
      throw new RangeError(`get: index ${String(i)} is out of bounds for axis 0 with size ${n}`);
    }
    const k = i < 0 ? i + n : i;
    const inner = this.shape.slice(1);
    const step = shapeSize(inner);
    const y = new NDArray(this.data.slice(k * step, (k + 1) * step), inner.length === 0 ? [1] : inner);
    return tape('get', [this], y, () => sliceAxisGrad(this.shape, 0, k, k + 1));
  }

  /**
   * Python `x[begin:end]` along axis 0 (numbers), or MXNet `nd.slice(x, begin, end)` with one
   * entry per leading axis (arrays; `null` means the whole axis). Negative indices count from
   * the end.
   */
  slice(begin: number | readonly (number | null)[], end?: number | null | readonly (number | null)[]): NDArray;
  slice(begin: readonly SliceIndex[], end: readonly SliceIndex[], step: readonly SliceIndex[]): NDArray;
  slice(options: SliceOptions & { begin: readonly SliceIndex[]; end: readonly SliceIndex[] }): NDArray;
  slice(
    first: number | readonly (number | null)[] | SliceOptions,
    end?: number | null | readonly (number | null)[],
    step?: readonly SliceIndex[],
  ): NDArray {
    if (isPlainObject(first) || step !== undefined)
      return fwd(
        sliceOp,
        this,
        [first, end, step].filter((v) => v !== undefined),
      );
    const begin = first as number | readonly (number | null)[];
    if (typeof begin === 'number' || begin === null) {
      return this.sliceAxis(0, begin, (end as number | null | undefined) ?? null);
    }
    if (!Array.isArray(begin))
      throw new TypeError(`slice: begin must be a number, an array or an options object, got ${describe(begin)}`);
    if (end !== undefined && end !== null && !Array.isArray(end))
      throw new TypeError(`slice: end must be an array (as begin is) or null, got ${describe(end)}`);
    const ends = (end ?? []) as readonly (number | null)[];
    if (begin.length > this.ndim)
      throw new RangeError(`slice: ${begin.length} begin entries for an array of ${this.ndim} dimension(s)`);
    let out: NDArray = this;
    for (let ax = 0; ax < begin.length; ax++) {
      out = out.sliceAxis(ax, begin[ax] ?? null, ends[ax] ?? null);
    }
    return out;
  }

  /** MXNet `slice_axis(axis, begin, end)`; `end` null means the end of the axis. */
  sliceAxis(
    first: number | (SliceAxisOptions & { axis: number; begin: number }),
    begin: number | null = null,
    end: number | null = null,
  ): NDArray {
    if (typeof first !== 'number') return slice_axis(this, first);
    const axis = first;
    const ax = normAxis(axis, this.ndim, 'sliceAxis');
    const n = this.shape[ax] as number;
    const norm = (v: number | null, dflt: number): number => {
      if (v === null) return dflt;
      if (!Number.isInteger(v)) throw new TypeError(`sliceAxis: indices must be integers, got ${describe(v)}`);
      return Math.min(Math.max(v < 0 ? v + n : v, 0), n);
    };
    const b = norm(begin, 0);
    const e = norm(end, n);
    if (e < b) throw new RangeError(`sliceAxis: begin ${b} > end ${e} on axis ${ax} of size ${n}`);
    const outer = shapeSize(this.shape.slice(0, ax));
    const inner = shapeSize(this.shape.slice(ax + 1));
    const len = e - b;
    const out = new Float32Array(outer * len * inner);
    for (let o = 0; o < outer; o++) {
      out.set(this.data.subarray((o * n + b) * inner, (o * n + e) * inner), o * len * inner);
    }
    const shape = [...this.shape];
    shape[ax] = len;
    return tape('slice_axis', [this], new NDArray(out, shape), () => sliceAxisGrad(this.shape, ax, b, e));
  }

  /** Inserts an axis of size 1. */
  expandDims(first: number | (ExpandDimsOptions & { axis: number })): NDArray {
    if (typeof first !== 'number') return expand_dims(this, first);
    const axis = first;
    const ax = normAxis(axis, this.ndim + 1, 'expandDims');
    const shape = [...this.shape];
    shape.splice(ax, 0, 1);
    return tape('expand_dims', [this], new NDArray(this.data, shape), () => identityGrad);
  }

  /** Removes axes of size 1 (all, or the given ones; Python `squeeze(axis=None)`). */
  squeeze(options?: SqueezeOptions): NDArray;
  squeeze(axis?: number | readonly number[] | null): NDArray;
  squeeze(...args: unknown[]): NDArray {
    return fwd(squeeze, this, args);
  }

  /** `x.softmax(options)`: {@link softmax} along an axis (default -1). */
  softmax(options?: SoftmaxOptions): NDArray;
  softmax(length: NDArray | null, options?: Omit<SoftmaxOptions, 'length'>): NDArray;
  softmax(...args: unknown[]): NDArray {
    return fwd(softmax, this, args);
  }

  /** `x.log_softmax(options)` in Python: {@link log_softmax} along an axis (default -1). */
  logSoftmax(options?: LogSoftmaxOptions): NDArray;
  logSoftmax(axis?: number, temperature?: number | null): NDArray;
  logSoftmax(...args: unknown[]): NDArray {
    return fwd(log_softmax, this, args);
  }

  /** `x.argmax(axis=None, keepdims=False)`: float32 indices of the maxima. */
  argmax(options?: ArgReduceOptions): NDArray;
  argmax(axis?: number | null, keepdims?: boolean): NDArray;
  argmax(...args: unknown[]): NDArray {
    return fwd(argmax, this, args);
  }

  /** `x.argmin(axis=None, keepdims=False)`: float32 indices of the minima. */
  argmin(options?: ArgReduceOptions): NDArray;
  argmin(axis?: number | null, keepdims?: boolean): NDArray;
  argmin(...args: unknown[]): NDArray {
    return fwd(argmin, this, args);
  }

  /** `x.topk(axis=-1, k=1, ret_typ='indices', is_ascend=False)`: {@link topk}; `[values, indices]` for 'both'. */
  topk(options: TopkOptions & { retTyp: 'both' }): [NDArray, NDArray];
  topk(axis: number | null, k: number, retTyp: 'both', isAscend?: boolean): [NDArray, NDArray];
  topk(options?: TopkOptions & { retTyp?: 'value' | 'indices' | 'mask' }): NDArray;
  topk(axis?: number | null, k?: number, retTyp?: 'value' | 'indices' | 'mask', isAscend?: boolean): NDArray;
  topk(...args: unknown[]): NDArray | [NDArray, NDArray] {
    return fwd(topk, this, args);
  }

  /** `x.sort(axis=-1, is_ascend=True)`: {@link sort}. */
  sort(options?: SortOptions): NDArray;
  sort(axis?: number | null, isAscend?: boolean): NDArray;
  sort(...args: unknown[]): NDArray {
    return fwd(sort, this, args);
  }

  /** `x.argsort(axis=-1, is_ascend=True)`: {@link argsort}. */
  argsort(options?: ArgsortOptions): NDArray;
  argsort(axis?: number | null, isAscend?: boolean): NDArray;
  argsort(...args: unknown[]): NDArray {
    return fwd(argsort, this, args);
  }

  /** `x.pick(index, axis=-1, keepdims=False, mode='clip')`: {@link pick}. */
  pick(index: NDArray, options?: PickOptions): NDArray;
  pick(index: NDArray, axis?: number, keepdims?: boolean, mode?: IndexMode): NDArray;
  pick(...args: unknown[]): NDArray {
    return fwd(pick, this, args);
  }

  /** `x.take(indices, axis=0, mode='clip')`: {@link take}. */
  take(indices: NDArray, options?: TakeOptions): NDArray;
  take(indices: NDArray, axis?: number, mode?: IndexMode): NDArray;
  take(...args: unknown[]): NDArray {
    return fwd(take, this, args);
  }

  /** `x.one_hot(depth, on_value=1, off_value=0)` in Python: {@link one_hot}. */
  oneHot(depth: number, options?: Omit<OneHotOptions, 'depth'>): NDArray;
  oneHot(options: OneHotOptions & { depth: number }): NDArray;
  oneHot(depth: number, onValue?: number, offValue?: number): NDArray;
  oneHot(...args: unknown[]): NDArray {
    return fwd(one_hot, this, args);
  }

  /** `x.sum(axis=None, keepdims=False, exclude=False)`: {@link sum}. */
  sum(options?: ReduceOptions): NDArray;
  sum(axis?: number | readonly number[] | null, keepdims?: boolean, exclude?: boolean): NDArray;
  sum(...args: unknown[]): NDArray {
    return fwd(sum, this, args);
  }

  /** `x.mean(axis=None, keepdims=False, exclude=False)`: {@link mean}. */
  mean(options?: ReduceOptions): NDArray;
  mean(axis?: number | readonly number[] | null, keepdims?: boolean, exclude?: boolean): NDArray;
  mean(...args: unknown[]): NDArray {
    return fwd(mean, this, args);
  }

  /** `x.max(axis=None, keepdims=False, exclude=False)`: {@link max}. */
  max(options?: ReduceOptions): NDArray;
  max(axis?: number | readonly number[] | null, keepdims?: boolean, exclude?: boolean): NDArray;
  max(...args: unknown[]): NDArray {
    return fwd(max, this, args);
  }

  /** `x.min(axis=None, keepdims=False, exclude=False)`: {@link min}. */
  min(options?: ReduceOptions): NDArray;
  min(axis?: number | readonly number[] | null, keepdims?: boolean, exclude?: boolean): NDArray;
  min(...args: unknown[]): NDArray {
    return fwd(min, this, args);
  }

  /** `x.prod(axis=None, keepdims=False, exclude=False)`: {@link prod}. */
  prod(options?: ReduceOptions): NDArray;
  prod(axis?: number | readonly number[] | null, keepdims?: boolean, exclude?: boolean): NDArray;
  prod(...args: unknown[]): NDArray {
    return fwd(prod, this, args);
  }

  /** `x.norm(ord=2, axis=None, keepdims=False)`: {@link norm}. */
  norm(options?: NormOptions): NDArray;
  norm(ord?: 1 | 2, axis?: number | readonly number[] | null, outDtype?: null, keepdims?: boolean): NDArray;
  norm(...args: unknown[]): NDArray {
    return fwd(norm, this, args);
  }

  /** `x.tile(reps)`: {@link tile}. */
  tile(reps: readonly number[]): NDArray;
  tile(options: TileOptions & { reps: readonly number[] }): NDArray;
  tile(...args: unknown[]): NDArray {
    return fwd(tile, this, args);
  }

  /** `x.repeat(repeats, axis=None)`: {@link repeat}. */
  repeat(repeats: number, axis?: number | null): NDArray;
  repeat(options: RepeatOptions & { repeats: number }): NDArray;
  repeat(repeats: number, options: Omit<RepeatOptions, 'repeats'>): NDArray;
  repeat(...args: unknown[]): NDArray {
    return fwd(repeat, this, args);
  }

  /** `x.clip(a_min, a_max)`: values limited to [aMin, aMax]. */
  clip(aMin: number, aMax: number): NDArray;
  clip(options: { aMin: number; aMax: number }): NDArray;
  clip(...args: unknown[]): NDArray {
    return fwd(clipOp, this, args);
  }

  /** `x.abs()`: absolute values. */
  abs(): NDArray {
    return tapeUnary('abs', this, NDArray.map(this, Math.abs));
  }

  /** `x.sign()`: -1, 0 or 1. */
  sign(): NDArray {
    return sign(this);
  }

  /** `x.sqrt()`: square roots. */
  sqrt(): NDArray {
    return sqrt(this);
  }

  /** `x.square()`: squares. */
  square(): NDArray {
    return square(this);
  }

  /** `x.log()`: natural logarithms. */
  log(): NDArray {
    return log(this);
  }

  /** `x.relu()`: max(x, 0). */
  relu(): NDArray {
    const y = NDArray.map(
      this,
      // biome-ignore lint/complexity/useMathMinMax: MXNet's relu (x > 0 ? x : 0), also for NaN and -0
      (v) => (v > 0 ? v : 0),
    );
    return tapeUnary('relu', this, y);
  }

  /** `x.sigmoid()`: 1 / (1 + exp(-x)). */
  sigmoid(): NDArray {
    return tapeUnary(
      'sigmoid',
      this,
      NDArray.map(this, (v) => 1 / (1 + Math.exp(-v))),
    );
  }

  /** `x.tanh()`: hyperbolic tangent. */
  tanh(): NDArray {
    return tapeUnary('tanh', this, NDArray.map(this, Math.tanh));
  }

  /**
   * `attach_grad(grad_req='write')`: gives this array a zeroed gradient buffer, so that
   * `backward` writes (or with 'add', accumulates) its gradient into `grad`. An array produced
   * under `record()` becomes a new leaf (detached from its graph), as in MXNet.
   */
  attachGrad(
    ...args: PositionalArgs<
      [],
      [gradReq: GradReqKind, stype: 'default' | null],
      { gradReq?: GradReqKind; stype?: 'default' | null }
    >
  ): void;
  attachGrad(...args: unknown[]): void {
    const o = parseArgs<{ gradReq: string; stype: unknown }>('attachGrad', args, ['gradReq', 'stype'], {
      gradReq: 'write',
      stype: null,
    });
    if (o.gradReq !== 'write' && o.gradReq !== 'add' && o.gradReq !== 'null')
      throw new RangeError(`attachGrad: gradReq must be 'write', 'add' or 'null', got '${String(o.gradReq)}'`);
    if (o.stype !== null && o.stype !== undefined && o.stype !== 'default')
      throw new TypeError(`attachGrad: stype must be 'default' (dense gradients) or null, got ${describe(o.stype)}`);
    attachGrad(this, o.gradReq);
  }

  /** The gradient buffer of `attachGrad` (null without one), written in place by `backward`. */
  get grad(): NDArray | null {
    return variableOf(this)?.grad ?? null;
  }

  /**
   * `backward(out_grad=None, retain_graph=False, train_mode=True)`: gradients of this array
   * (recorded under `autograd.record()`) with respect to every array with `attachGrad` it
   * depends on. `headGrad` defaults to ones. The graph is freed afterwards unless `retainGraph`.
   */
  backward(
    ...args: PositionalArgs<
      [],
      [outGrad: NDArray | null, retainGraph: boolean, trainMode: boolean],
      { outGrad?: NDArray | null; retainGraph?: boolean; trainMode?: boolean }
    >
  ): void;
  backward(...args: unknown[]): void {
    const o = parseArgs<{ outGrad: NDArray | null; retainGraph: unknown; trainMode: unknown }>(
      'backward',
      args,
      ['outGrad', 'retainGraph', 'trainMode'],
      { outGrad: null, retainGraph: false, trainMode: true },
    );
    if (o.outGrad !== null && !(o.outGrad instanceof NDArray))
      throw new TypeError(`backward: outGrad must be an NDArray or null, got ${describe(o.outGrad)}`);
    for (const k of ['retainGraph', 'trainMode'] as const) {
      if (typeof o[k] !== 'boolean') throw new TypeError(`backward: ${k} must be a boolean, got ${describe(o[k])}`);
    }
    backwardImpl([this], [o.outGrad], o.retainGraph === true, o.trainMode === true);
  }

  /** A new array sharing this one's data but outside any recorded graph (`detach()`). */
  detach(): NDArray {
    return detached(this);
  }

  private static map(x: NDArray, f: (v: number) => number): NDArray {
    const out = new Float32Array(x.size);
    for (let i = 0; i < out.length; i++) out[i] = f(x.data[i] as number);
    return new NDArray(out, x.shape);
  }

  /** The values and a `<NDArray 2x3 @cpu(0)>` line, like Python's `print(x)`. */
  toString(): string {
    return `\n${JSON.stringify(this.toArray())}\n<NDArray ${this.shape.join('x')} @cpu(0)>`;
  }
}
