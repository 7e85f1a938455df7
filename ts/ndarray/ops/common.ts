// Shared checks for the operator families in ts/ndarray/ops/: argument validation with errors
// that name the operator, the argument and the shapes, and axis normalisation as MXNet does it.

import { describe } from '../../util/describe.js';
import { NDArray, type Shape, shapeSize, shapeStr } from '../ndarray.js';

/** A value that is an NDArray, or a TypeError naming the argument. @internal */
export function checkNd(where: string, what: string, x: unknown): NDArray {
  if (!(x instanceof NDArray)) {
    const got =
      x === null || x === undefined
        ? String(x)
        : typeof x === 'object'
          ? ((x as object).constructor?.name ?? 'object')
          : `${typeof x} ${String(x)}`;
    throw new TypeError(`${where}: ${what} must be an NDArray, got ${got}`);
  }
  return x;
}

/** An integer, or a TypeError naming the argument. @internal */
export function checkInt(where: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${where}: ${what} must be an integer, got ${describe(v)}`);
  }
  return v;
}

/** A boolean, or a TypeError naming the argument. @internal */
export function checkBool(where: string, what: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${what} must be a boolean, got ${describe(v)}`);
  return v;
}

/** One of `choices`, or a RangeError naming the argument. @internal */
export function checkChoice<T extends string>(where: string, what: string, v: unknown, choices: readonly T[]): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw new RangeError(
      `${where}: ${what} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describe(v)}`,
    );
  }
  return v as T;
}

/**
 * Normalises `axis` of an array of shape `shape` (negative counts from the end), or a RangeError
 * naming the argument, the value and the shape. @internal
 */
export function axisOf(where: string, what: string, axis: unknown, shape: Shape, extra = 0): number {
  const a = checkInt(where, what, axis);
  const nd = shape.length + extra;
  if (a < -nd || a >= nd) {
    throw new RangeError(
      `${where}: ${what} ${a} is out of range for an array of shape ${shapeStr(shape)} (expected ${-nd} <= ${what} < ${nd})`,
    );
  }
  return a < 0 ? a + nd : a;
}

/** A tuple of integers (an array, or one integer read as a 1-tuple). @internal */
export function intTuple(where: string, what: string, v: unknown): number[] {
  if (typeof v === 'number') return [checkInt(where, what, v)];
  if (!Array.isArray(v))
    throw new TypeError(`${where}: ${what} must be an integer or an array of integers, got ${describe(v)}`);
  return v.map((x, i) => checkInt(where, `${what}[${i}]`, x));
}

/** (outer, n, inner) sizes around axis `ax`: row-major blocks for per-axis loops. @internal */
export function around(shape: Shape, ax: number): [number, number, number] {
  return [shapeSize(shape.slice(0, ax)), shape[ax] as number, shapeSize(shape.slice(ax + 1))];
}

/** Row-major strides of `shape`. @internal */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * (shape[i + 1] as number);
  return s;
}

/** MXNet's 1-d result for a full reduction: shape (1,) rather than (). @internal */
export function scalarShape(shape: number[]): number[] {
  return shape.length === 0 ? [1] : shape;
}
