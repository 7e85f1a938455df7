// mx.nd: the NDArray type, creation, random draws and operators.

import { normal, uniform } from './random.js';

export { load, save } from '../io/nd_io.js';
export { array, full, ones, onesLike, zeros, zerosLike } from './creation.js';
export { NDArray, type Shape } from './ndarray.js';
export {
  Activation,
  abs,
  add,
  clip,
  concat,
  Dropout,
  div,
  dot,
  Embedding,
  exp,
  expandDims,
  FullyConnected,
  flip,
  mul,
  relu,
  reshape,
  sigmoid,
  sliceAxis,
  softrelu,
  softsign,
  split,
  stack,
  sub,
  swapaxes,
  tanh,
  transpose,
  where,
} from './ops.js';
export { SequenceLast, SequenceMask, SequenceReverse } from './sequence.js';

/** `mx.nd.random`: uniform and normal draws (seed with `mx.random.seed(n)`). */
export const random = { uniform, normal };
