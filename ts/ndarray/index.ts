// mx.nd: the NDArray type, creation, random draws and operators.

import { multinomial } from './ops/sample.js';
import { normal, uniform } from './random.js';

export { load, save } from '../io/nd_io.js';
export { array, full, ones, onesLike, zeros, zerosLike } from './creation.js';
export { NDArray, type Shape } from './ndarray.js';
export {
  broadcast_add,
  broadcast_div,
  broadcast_equal,
  broadcast_greater,
  broadcast_greater_equal,
  broadcast_lesser,
  broadcast_lesser_equal,
  broadcast_maximum,
  broadcast_minimum,
  broadcast_mul,
  broadcast_not_equal,
  broadcast_power,
  broadcast_sub,
  divide,
  maximum,
  minimum,
  multiply,
  type Operand,
  subtract,
} from './ops/broadcast.js';
export { Convolution, type ConvolutionOptions, Pooling, type PoolingOptions } from './ops/conv.js';
export { CTCLoss, CTCLoss as ctc_loss, type CTCLossOptions } from './ops/ctc.js';
export {
  gather_nd,
  type IndexMode,
  type OneHotOptions,
  one_hot,
  type PickOptions,
  pick,
  type TakeOptions,
  take,
} from './ops/indexing.js';
export { type ArangeOptions, arange } from './ops/init.js';
export { log, sign, sqrt, square } from './ops/math.js';
export {
  type BatchDotOptions,
  BatchNorm,
  type BatchNormOptions,
  batch_dot,
  Flatten,
  Flatten as flatten,
  L2Normalization,
  type L2NormalizationOptions,
  LayerNorm,
  type LayerNormOptions,
  LeakyReLU,
  type LeakyReLUActType,
  type LeakyReLUOptions,
} from './ops/nn.js';
export {
  type ArgsortOptions,
  argsort,
  type SortOptions,
  sort,
  type TopkOptions,
  type TopkRetTyp,
  topk,
} from './ops/ordering.js';
export {
  type ArgReduceFn,
  type ArgReduceOptions,
  argmax,
  argmin,
  max,
  mean,
  min,
  type NormOptions,
  norm,
  prod,
  type ReduceFn,
  type ReduceOptions,
  sum,
} from './ops/reduce.js';
export type { MultinomialOptions } from './ops/sample.js';
export {
  type ExpandDimsOptions,
  expand_dims,
  type RepeatOptions,
  type ReshapeOptions,
  repeat,
  type SliceAxisOptions,
  type SliceIndex,
  type SliceOptions,
  type SqueezeOptions,
  type SwapaxesOptions,
  slice,
  slice_axis,
  squeeze,
  type TileOptions,
  type TransposeOptions,
  tile,
} from './ops/shape.js';
export { type LogSoftmaxOptions, log_softmax, type SoftmaxOptions, softmax } from './ops/softmax.js';
export {
  Activation,
  abs,
  add,
  type ClipOptions,
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

/** `mx.nd.random`: uniform, normal and multinomial draws (seed with `mx.random.seed(n)`). */
export const random = {
  /** `uniform(low=0, high=1, shape)`: draws from U[low, high). */
  uniform,
  /** `normal(loc=0, scale=1, shape)`: draws from N(loc, scale). */
  normal,
  /** `multinomial(data, shape)`: samples indices from the probability rows of `data`. */
  multinomial,
};
