// Broadcasting binary operators (src/operator/tensor/elemwise_binary_broadcast_op_*.cc) and
// MXNet's Python-level maximum/minimum/subtract/multiply/divide, which also take scalars.

import { tapeArith } from '../../autograd/hooks.js';
import { NDArray, type Shape, shapeStr, zerosOf } from '../ndarray.js';
import { checkNd } from './common.js';

/** A binary operand of the scalar-accepting operators: an NDArray or a number. */
export type Operand = NDArray | number;

/** The NumPy-style broadcast shape of `a` and `b`, or an error naming both shapes. @internal */
export function broadcastShape(where: string, a: Shape, b: Shape): number[] {
  const nd = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < nd; i++) {
    const da = i < nd - a.length ? 1 : (a[i - (nd - a.length)] as number);
    const db = i < nd - b.length ? 1 : (b[i - (nd - b.length)] as number);
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${where}: operands could not be broadcast together: lhs has shape ${shapeStr(a)}, rhs has shape ${shapeStr(b)}`,
      );
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Elementwise `f` over two NDArrays with broadcasting. @internal */
export function broadcastBinary(where: string, a: NDArray, b: NDArray, f: (x: number, y: number) => number): NDArray {
  const ad = a.data;
  const bd = b.data;
  if (a.ndim === b.ndim && a.shape.every((d, i) => d === b.shape[i])) {
    const out = new Float32Array(a.size);
    for (let i = 0; i < out.length; i++) out[i] = f(ad[i] as number, bd[i] as number);
    return new NDArray(out, a.shape);
  }
  const shape = broadcastShape(where, a.shape, b.shape);
  const nd = shape.length;
  const strideFor = (s: Shape): number[] => {
    const padded = [...new Array<number>(nd - s.length).fill(1), ...s];
    const st = new Array<number>(nd).fill(0);
    let acc = 1;
    for (let i = nd - 1; i >= 0; i--) {
      st[i] = padded[i] === 1 ? 0 : acc;
      acc *= padded[i] as number;
    }
    return st;
  };
  const sa = strideFor(a.shape);
  const sb = strideFor(b.shape);
  const out = zerosOf(shape, where);
  const idx = new Array<number>(nd).fill(0);
  let oa = 0;
  let ob = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = f(ad[oa] as number, bd[ob] as number);
    for (let k = nd - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      oa += sa[k] as number;
      ob += sb[k] as number;
      if ((idx[k] as number) < (shape[k] as number)) break;
      oa -= (sa[k] as number) * (shape[k] as number);
      ob -= (sb[k] as number) * (shape[k] as number);
      idx[k] = 0;
    }
  }
  return new NDArray(out, shape);
}

function nds(where: string, f: (x: number, y: number) => number): (lhs: NDArray, rhs: NDArray) => NDArray {
  return (lhs, rhs) =>
    tapeArith(where, lhs, rhs, broadcastBinary(where, checkNd(where, 'lhs', lhs), checkNd(where, 'rhs', rhs), f));
}

function mixed(where: string, f: (x: number, y: number) => number): (lhs: Operand, rhs: Operand) => NDArray {
  const run = (lhs: Operand, rhs: Operand): NDArray => {
    if (typeof lhs === 'number' && typeof rhs === 'number') return new NDArray(Float32Array.of(f(lhs, rhs)), [1]);
    if (typeof rhs === 'number') {
      const a = checkNd(where, 'lhs', lhs);
      const out = new Float32Array(a.size);
      for (let i = 0; i < out.length; i++) out[i] = f(a.data[i] as number, rhs);
      return new NDArray(out, a.shape);
    }
    if (typeof lhs === 'number') {
      const b = checkNd(where, 'rhs', rhs);
      const out = new Float32Array(b.size);
      for (let i = 0; i < out.length; i++) out[i] = f(lhs, b.data[i] as number);
      return new NDArray(out, b.shape);
    }
    return broadcastBinary(where, checkNd(where, 'lhs', lhs), checkNd(where, 'rhs', rhs), f);
  };
  return (lhs, rhs) => tapeArith(where, lhs, rhs, run(lhs, rhs));
}

// MXNet's mshadow_op::maximum/minimum: a > b ? a : b (NaN handling as in C++).
// biome-ignore lint/complexity/useMathMinMax: the C++ comparison, not Math.max's NaN rule
const maxF = (x: number, y: number): number => (x > y ? x : y);
// biome-ignore lint/complexity/useMathMinMax: the C++ comparison, not Math.min's NaN rule
const minF = (x: number, y: number): number => (x < y ? x : y);

/** `nd.broadcast_add(lhs, rhs)`: lhs + rhs with NumPy broadcasting. */
export const broadcast_add = nds('nd.broadcast_add', (x, y) => x + y);
/** `nd.broadcast_sub(lhs, rhs)`: lhs - rhs with broadcasting. */
export const broadcast_sub = nds('nd.broadcast_sub', (x, y) => x - y);
/** `nd.broadcast_mul(lhs, rhs)`: lhs * rhs with broadcasting. */
export const broadcast_mul = nds('nd.broadcast_mul', (x, y) => x * y);
/** `nd.broadcast_div(lhs, rhs)`: lhs / rhs with broadcasting. */
export const broadcast_div = nds('nd.broadcast_div', (x, y) => x / y);
/** `nd.broadcast_maximum(lhs, rhs)`: the larger of each pair, with broadcasting. */
export const broadcast_maximum = nds('nd.broadcast_maximum', maxF);
/** `nd.broadcast_minimum(lhs, rhs)`: the smaller of each pair, with broadcasting. */
export const broadcast_minimum = nds('nd.broadcast_minimum', minF);
/** `nd.broadcast_power(lhs, rhs)`: lhs ** rhs with broadcasting. */
export const broadcast_power = nds('nd.broadcast_power', (x, y) => x ** y);
/** `nd.broadcast_equal(lhs, rhs)`: 1 where lhs == rhs, else 0 (float32), with broadcasting. */
export const broadcast_equal = nds('nd.broadcast_equal', (x, y) => (x === y ? 1 : 0));
/** `nd.broadcast_not_equal(lhs, rhs)`: 1 where lhs != rhs, else 0. */
export const broadcast_not_equal = nds('nd.broadcast_not_equal', (x, y) => (x !== y ? 1 : 0));
/** `nd.broadcast_greater(lhs, rhs)`: 1 where lhs > rhs, else 0. */
export const broadcast_greater = nds('nd.broadcast_greater', (x, y) => (x > y ? 1 : 0));
/** `nd.broadcast_greater_equal(lhs, rhs)`: 1 where lhs >= rhs, else 0. */
export const broadcast_greater_equal = nds('nd.broadcast_greater_equal', (x, y) => (x >= y ? 1 : 0));
/** `nd.broadcast_lesser(lhs, rhs)`: 1 where lhs < rhs, else 0. */
export const broadcast_lesser = nds('nd.broadcast_lesser', (x, y) => (x < y ? 1 : 0));
/** `nd.broadcast_lesser_equal(lhs, rhs)`: 1 where lhs <= rhs, else 0. */
export const broadcast_lesser_equal = nds('nd.broadcast_lesser_equal', (x, y) => (x <= y ? 1 : 0));

/** `nd.maximum(lhs, rhs)`: elementwise maximum; either side may be a number. */
export const maximum = mixed('nd.maximum', maxF);
/** `nd.minimum(lhs, rhs)`: elementwise minimum; either side may be a number. */
export const minimum = mixed('nd.minimum', minF);
/** `nd.subtract(lhs, rhs)`: lhs - rhs with broadcasting; either side may be a number. */
export const subtract = mixed('nd.subtract', (x, y) => x - y);
/** `nd.multiply(lhs, rhs)`: lhs * rhs with broadcasting; either side may be a number. */
export const multiply = mixed('nd.multiply', (x, y) => x * y);
/** `nd.divide(lhs, rhs)`: lhs / rhs with broadcasting; either side may be a number. */
export const divide = mixed('nd.divide', (x, y) => x / y);
