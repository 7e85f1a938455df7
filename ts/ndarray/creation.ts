// Array creation: nd.array, zeros, ones, full, zerosLike, onesLike.

import { checkCtx, parseArgs } from '../util/options.js';
import { checkShape, NDArray, type Shape, shapeSize } from './ndarray.js';

type Nested = number | boolean | readonly Nested[];

export function checkDtype(where: string, dtype: unknown): void {
  if (dtype === undefined || dtype === null || dtype === 'float32') return;
  throw new TypeError(
    `${where}: dtype must be 'float32' (the only dtype this package computes in), got ${String(dtype)}`,
  );
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
    throw new TypeError(`${where}: expected numbers in the nested array, got ${typeof v} (${String(v)})`);
  } else if (depth !== shape.length) {
    throw new RangeError(`${where}: ragged nested array (a number at depth ${depth}, expected depth ${shape.length})`);
  }
}

/**
 * `nd.array(source, shape?)`: from nested arrays, a typed array (with `shape`, default 1-d),
 * another NDArray (copied) or a number (shape (1,), as MXNet 1.x has no 0-d arrays).
 */
export function array(source: unknown, ...rest: unknown[]): NDArray {
  const o = parseArgs<{ shape: Shape | undefined; ctx: unknown; dtype: unknown }>(
    'nd.array',
    rest,
    ['shape', 'ctx', 'dtype'],
    {},
  );
  checkCtx('nd.array', o.ctx);
  checkDtype('nd.array', o.dtype);
  if (source instanceof NDArray) {
    const s = o.shape ? checkShape(o.shape, 'nd.array(shape)') : source.shape;
    return new NDArray(source.data.slice(), s);
  }
  if (ArrayBuffer.isView(source) && !(source instanceof DataView)) {
    const data = Float32Array.from(source as unknown as ArrayLike<number>);
    return new NDArray(data, o.shape ? checkShape(o.shape, 'nd.array(shape)') : [data.length]);
  }
  if (typeof source === 'number') {
    return new NDArray(Float32Array.of(source), o.shape ? checkShape(o.shape, 'nd.array(shape)') : [1]);
  }
  if (!Array.isArray(source)) {
    throw new TypeError(
      `nd.array(source): expected nested number arrays, a typed array or an NDArray, got ${String(source)}`,
    );
  }
  const shape: number[] = [];
  inferNested('nd.array(source)', source as Nested, shape, 0);
  const flat = (source as unknown[]).flat(Infinity) as (number | boolean)[];
  const data = Float32Array.from(flat, Number);
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
  checkDtype(where, o.dtype);
  const shape = toShape(`${where}(shape)`, o.shape);
  const v = value ?? o.fillValue;
  if (typeof v !== 'number') throw new TypeError(`${where}: fill value must be a number, got ${String(v)}`);
  const data = new Float32Array(shapeSize(shape));
  if (v !== 0) data.fill(v);
  return new NDArray(data, shape);
}

/** `nd.zeros(shape, ctx?, dtype?)`. */
export function zeros(...args: unknown[]): NDArray {
  return filled('nd.zeros', args, 0);
}
/** `nd.ones(shape, ctx?, dtype?)`. */
export function ones(...args: unknown[]): NDArray {
  return filled('nd.ones', args, 1);
}
/** `nd.full(shape, val, ctx?, dtype?)`. */
export function full(...args: unknown[]): NDArray {
  return filled('nd.full', args, null);
}
export function zerosLike(x: NDArray): NDArray {
  return new NDArray(new Float32Array(x.size), x.shape);
}
export function onesLike(x: NDArray): NDArray {
  return new NDArray(new Float32Array(x.size).fill(1), x.shape);
}
