// Elementwise math (src/operator/tensor/elemwise_unary_op_basic.cc, _logexp.cc, _pow.cc):
// log, sqrt, square, sign. (abs, relu, sigmoid, tanh, exp live in ../ops.ts.)

import { tapeUnary } from '../../autograd/hooks.js';
import { NDArray } from '../ndarray.js';
import { checkNd } from './common.js';

function unary(where: string, x: unknown, f: (v: number) => number): NDArray {
  const a = checkNd(where, 'data', x);
  const out = new Float32Array(a.size);
  const d = a.data;
  for (let i = 0; i < out.length; i++) out[i] = f(d[i] as number);
  return tapeUnary(where.slice(3), a, new NDArray(out, a.shape));
}

/** `nd.log(data)`: natural logarithm, elementwise. */
export function log(data: NDArray): NDArray {
  return unary('nd.log', data, Math.log);
}
/** `nd.sqrt(data)`: square root, elementwise. */
export function sqrt(data: NDArray): NDArray {
  return unary('nd.sqrt', data, Math.sqrt);
}
/** `nd.square(data)`: x * x, elementwise. */
export function square(data: NDArray): NDArray {
  return unary('nd.square', data, (v) => v * v);
}
/** `nd.sign(data)`: -1, 0 or 1, elementwise. */
export function sign(data: NDArray): NDArray {
  return unary('nd.sign', data, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0));
}
