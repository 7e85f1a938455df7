// mx.nd: the NDArray type, creation, random draws and operators.

import { normal, uniform } from './random.js';

export { NDArray, type Shape } from './ndarray.js';
export { array, full, ones, onesLike, zeros, zerosLike } from './creation.js';
export {
  abs, Activation, add, clip, concat, div, dot, Dropout, Embedding, exp, expandDims, flip, FullyConnected, mul, relu,
  reshape, sigmoid, sliceAxis, softrelu, softsign, split, stack, sub, swapaxes, tanh, transpose, where,
} from './ops.js';
export { SequenceLast, SequenceMask, SequenceReverse } from './sequence.js';
export { load, save } from '../io/nd_io.js';

/** `mx.nd.random`: uniform and normal draws (seed with `mx.random.seed(n)`). */
export const random = { uniform, normal };
