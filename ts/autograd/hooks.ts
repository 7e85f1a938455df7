// One-line taping of the elementwise operator families: each operator file calls `tapeArith` or
// `tapeUnary` on its result, and the derivative tables below (mshadow_op.h's *_grad functors)
// supply the backward.

import type { NDArray } from '../ndarray/ndarray.js';
import { ACTIVATION_GRADS, binaryGrad, unaryGrad } from './grads.js';
import { isRecording, tape } from './tape.js';

type D2 = (x: number, y: number) => number;

/** d/dlhs and d/drhs of each binary operator, by the operator's name without its `nd.` prefix. */
const BINARY: Readonly<Record<string, readonly [D2, D2]>> = {
  add: [() => 1, () => 1],
  sub: [() => 1, () => -1],
  mul: [(_x, y) => y, (x) => x],
  div: [(_x, y) => 1 / y, (x, y) => -x / (y * y)],
  maximum: [(x, y) => (x >= y ? 1 : 0), (x, y) => (x < y ? 1 : 0)],
  minimum: [(x, y) => (x <= y ? 1 : 0), (x, y) => (x > y ? 1 : 0)],
  power: [(x, y) => y * x ** (y - 1), (x, y) => x ** y * Math.log(x)],
};
const ALIASES: Readonly<Record<string, string>> = {
  broadcast_add: 'add',
  broadcast_sub: 'sub',
  subtract: 'sub',
  broadcast_mul: 'mul',
  multiply: 'mul',
  broadcast_div: 'div',
  divide: 'div',
  broadcast_maximum: 'maximum',
  broadcast_minimum: 'minimum',
  broadcast_power: 'power',
};

/**
 * @internal Tapes a binary elementwise operator `where` ('nd.add', 'nd.broadcast_mul', ...) with
 * operands `lhs`, `rhs` and result `out`. Comparison operators have no entry and record nothing
 * (their gradient is zero, as in MXNet).
 */
export function tapeArith(where: string, lhs: NDArray | number, rhs: NDArray | number, out: NDArray): NDArray {
  if (!isRecording()) return out;
  const name = where.startsWith('nd.') ? where.slice(3) : where;
  const d = BINARY[ALIASES[name] ?? name];
  if (d === undefined) return out;
  const ins = [typeof lhs === 'number' ? null : lhs, typeof rhs === 'number' ? null : rhs];
  return tape(name, ins, out, () => binaryGrad(lhs, rhs, out.shape, d[0], d[1]));
}

/** Derivatives of the unary operators in terms of input x and output y. */
const UNARY: Readonly<Record<string, D2>> = {
  ...ACTIVATION_GRADS,
  exp: (_x, y) => y,
  log: (x) => 1 / x,
  sqrt: (_x, y) => 0.5 / y,
  square: (x) => 2 * x,
  abs: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  sign: () => 0,
};

/**
 * @internal Tapes a unary elementwise operator by name (an activation name, 'exp', 'log',
 * 'sqrt', 'square', 'abs', 'sign') with input `x` and result `out`; `d` overrides the table.
 */
export function tapeUnary(name: string, x: NDArray, out: NDArray, d?: D2): NDArray {
  if (!isRecording()) return out;
  const f = d ?? UNARY[name];
  if (f === undefined) throw new Error(`autograd: no derivative for operator '${name}'`);
  return tape(name, [x], out, () => unaryGrad(x, out, f));
}
