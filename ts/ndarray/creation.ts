// Array creation: nd.array, zeros, ones, full, zerosLike, onesLike.

import { describe } from '../util/describe.js';
import { type Context, checkCtx, type PositionalArgs, parseArgs } from '../util/options.js';
import { checkShape, NDArray, type Shape, zerosOf } from './ndarray.js';
import { checkNd } from './ops/common.js';

/** Nested arrays of numbers (booleans read as 0 and 1), as Python's nested lists. */
export type Nested = number | boolean | readonly Nested[];

/** The typed arrays `nd.array` reads (values converted to float32). */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

/** What `nd.array` makes an NDArray from. */
export type ArraySource = Nested | NumericArray | NDArray;

/**
 * The dtypes the creation functions accept: 'float32', and MXNet's integer dtypes (ids) and
 * 'bool'. Gluon note: storage is always float32 (`x.dtype` reads 'float32'); another dtype
 * converts the values as MXNet does on `astype` (see `creationCast`).
 */
export type CreationDType = 'float32' | 'int8' | 'uint8' | 'int32' | 'int64' | 'bool';

/** Options of {@link array} (`nd.array(source, shape?, ctx?, dtype?)`). */
export interface ArrayOptions {
  /** The shape (default: the nested arrays' shape, or 1-d for a typed array). */
  shape?: Shape;
  /** Accepted for compatibility: cpu only. */
  ctx?: Context | null;
  /** 'float32' (default), or an integer dtype / 'bool' whose values are converted (stored as float32). */
  dtype?: CreationDType | null;
}

/** Options of {@link zeros} and {@link ones}. */
export interface CreationOptions {
  /** An array of dimensions, or one number for a 1-d array. */
  shape?: Shape | number;
  /** Accepted for compatibility: cpu only. */
  ctx?: Context | null;
  /** 'float32' (default), or an integer dtype / 'bool' whose values are converted (stored as float32). */
  dtype?: CreationDType | null;
}

/** Options of {@link full}. */
export interface FullOptions extends CreationOptions {
  /** The value of every element. */
  fillValue?: number;
}

/** numpy's C casts from a truncated value: wrapped to the integer type's range. */
const INT_CASTS: Readonly<Record<string, (t: number) => number>> = {
  int8: (t) => (t << 24) >> 24,
  uint8: (t) => t & 0xff,
  int32: (t) => t | 0,
  int64: (t) => (Math.abs(t) < 2 ** 63 ? t : Number(BigInt.asIntN(64, BigInt(t)))),
};

/**
 * The conversion of a creation `dtype` (null for float32), as `mx.nd.array(x, dtype=...)`
 * converts in MXNet 1.9.1: integers truncate toward zero and wrap to the type's range
 * (uint8: -1 -> 255, 300 -> 44), bool is 1 for any non-zero value.
 * Gluon note: the result is stored in float32, which holds every integer up to 2^24 exactly,
 * so ids stay exact; NaN and infinities, which have no integer value, throw. 'float16' and
 * 'float64' throw: float32 storage would not hold what MXNet computes with them.
 */
export function creationCast(where: string, dtype: unknown): ((v: number) => number) | null {
  if (dtype === undefined || dtype === null || dtype === 'float32') return null;
  if (dtype === 'bool') return (v) => (v !== 0 ? 1 : 0);
  const cast = typeof dtype === 'string' ? INT_CASTS[dtype] : undefined;
  if (cast === undefined) {
    throw new TypeError(
      `${where}: dtype must be 'float32', an integer dtype (${Object.keys(INT_CASTS).join(', ')}) or 'bool' (stored as float32), got ${describe(dtype)}`,
    );
  }
  return (v) => {
    if (!Number.isFinite(v)) throw new RangeError(`${where}: cannot convert ${v} to ${dtype}`);
    return cast(Math.trunc(v));
  };
}

/** float32 storage of `values`, each converted by `cast` first (from the exact source value). */
function toFloat32(values: ArrayLike<number | boolean>, cast: ((v: number) => number) | null): Float32Array {
  if (cast !== null) return Float32Array.from(values, (v) => cast(Number(v)));
  // The constructor applies the same ToNumber and float32 rounding in one native pass (a
  // per-element callback costs ~10 ms per 100k values on a cold start); BigInt arrays need Number().
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return Float32Array.from(values, Number);
  return new Float32Array(values as ArrayLike<number>);
}

/** A shape argument: an array of dimensions or a single number (Python's int shape). */
export function toShape(where: string, shape: unknown): number[] {
  if (typeof shape === 'number') return checkShape([shape], where);
  return checkShape(shape as Shape, where);
}

function inferNested(where: string, v: Nested, shape: number[], depth: number): void {
  if (Array.isArray(v)) {
    if (shape.length === depth) shape.push(v.length);
    else if (shape[depth] !== v.length) {
      throw new RangeError(
        `${where}: ragged nested array (length ${v.length} at depth ${depth}, expected ${String(shape[depth])})`,
      );
    }
    for (const e of v as readonly Nested[]) inferNested(where, e, shape, depth + 1);
  } else if (typeof v !== 'number' && typeof v !== 'boolean') {
    throw new TypeError(`${where}: expected numbers in the nested array, got ${typeof v} (${describe(v)})`);
  } else if (depth !== shape.length) {
    throw new RangeError(`${where}: ragged nested array (a number at depth ${depth}, expected depth ${shape.length})`);
  }
}

/**
 * `nd.array(source, shape?, ctx?, dtype?)`: from nested arrays, a typed array (with `shape`,
 * default 1-d), another NDArray (copied) or a number (shape (1,), as MXNet 1.x has no 0-d
 * arrays). An integer `dtype` ('int32', 'int64', ...) converts the values as MXNet does (ids:
 * `nd.array(ids, { dtype: 'int32' })`); storage stays float32.
 */
export function array(
  source: ArraySource,
  ...args: PositionalArgs<[], [shape: Shape, ctx: Context | null, dtype: CreationDType | null], ArrayOptions>
): NDArray;
export function array(source: unknown, ...rest: unknown[]): NDArray {
  // `nd.array(float32Array, shape)`, a token-by-token caller's per-call copy: no option parsing.
  if (rest.length === 1 && source instanceof Float32Array && Array.isArray(rest[0])) {
    return new NDArray(source.slice(), checkShape(rest[0] as Shape, 'nd.array(shape)'));
  }
  const o = parseArgs<{ shape: Shape | undefined; ctx: unknown; dtype: unknown }>(
    'nd.array',
    rest,
    ['shape', 'ctx', 'dtype'],
    {},
  );
  checkCtx('nd.array', o.ctx);
  const cast = creationCast('nd.array', o.dtype);
  if (source instanceof NDArray) {
    const s = o.shape ? checkShape(o.shape, 'nd.array(shape)') : source.shape;
    return new NDArray(cast === null ? source.data.slice() : toFloat32(source.data, cast), s);
  }
  if (ArrayBuffer.isView(source) && !(source instanceof DataView)) {
    const data = toFloat32(source as unknown as ArrayLike<number>, cast);
    return new NDArray(data, o.shape ? checkShape(o.shape, 'nd.array(shape)') : [data.length]);
  }
  if (typeof source === 'number') {
    const data = toFloat32([source], cast);
    return new NDArray(data, o.shape ? checkShape(o.shape, 'nd.array(shape)') : [1]);
  }
  if (!Array.isArray(source)) {
    throw new TypeError(
      `nd.array(source): expected nested number arrays, a typed array or an NDArray, got ${describe(source)}`,
    );
  }
  const shape: number[] = [];
  inferNested('nd.array(source)', source as Nested, shape, 0);
  const flat = (source as unknown[]).flat(Infinity) as (number | boolean)[];
  const data = toFloat32(flat, cast);
  const given = o.shape ? checkShape(o.shape, 'nd.array(shape)') : shape;
  return new NDArray(data, given);
}

function filled(where: string, args: unknown[], value: number | null): NDArray {
  const o = parseArgs<{ shape: unknown; ctx: unknown; dtype: unknown; fillValue?: number }>(
    where,
    args,
    value === null ? ['shape', 'fillValue', 'ctx', 'dtype'] : ['shape', 'ctx', 'dtype'],
    {},
    value === null ? ['shape', 'fillValue'] : ['shape'],
  );
  checkCtx(where, o.ctx);
  const cast = creationCast(where, o.dtype);
  const shape = toShape(`${where}(shape)`, o.shape);
  const v = value ?? o.fillValue;
  if (typeof v !== 'number') throw new TypeError(`${where}: fill value must be a number, got ${describe(v)}`);
  const data = zerosOf(shape, where);
  const fill = cast === null ? v : cast(v);
  if (fill !== 0) data.fill(fill);
  return new NDArray(data, shape);
}

/** The argument lists of `nd.zeros` and `nd.ones`. */
export type CreationArgs =
  | PositionalArgs<[shape: Shape | number], [ctx: Context | null, dtype: CreationDType | null], CreationOptions>
  | [
      options: CreationOptions & {
        /** An array of dimensions, or one number for a 1-d array. */
        shape: Shape | number;
      },
    ];

/** `nd.zeros(shape, ctx?, dtype?)`. */
export function zeros(...args: CreationArgs): NDArray;
export function zeros(...args: unknown[]): NDArray {
  return filled('nd.zeros', args, 0);
}
/** `nd.ones(shape, ctx?, dtype?)`. */
export function ones(...args: CreationArgs): NDArray;
export function ones(...args: unknown[]): NDArray {
  return filled('nd.ones', args, 1);
}
/** `nd.full(shape, val, ctx?, dtype?)`; the keyword for `val` is `fillValue`. */
export function full(
  ...args:
    | PositionalArgs<
        [shape: Shape | number, fillValue: number],
        [ctx: Context | null, dtype: CreationDType | null],
        FullOptions
      >
    | [options: FullOptions & { shape: Shape | number; fillValue: number }]
): NDArray;
export function full(...args: unknown[]): NDArray {
  return filled('nd.full', args, null);
}
/** `nd.zeros_like(x)`: zeros of `x`'s shape. */
export function zerosLike(x: NDArray): NDArray {
  checkNd('nd.zeros_like', 'data', x);
  return new NDArray(new Float32Array(x.size), x.shape);
}
/** `nd.ones_like(x)`: ones of `x`'s shape. */
export function onesLike(x: NDArray): NDArray {
  checkNd('nd.ones_like', 'data', x);
  return new NDArray(new Float32Array(x.size).fill(1), x.shape);
}
