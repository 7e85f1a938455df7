// mx.gluon.nn

export { Activation } from './activations.js';
export {
  ELU,
  type ELUOptions,
  GELU,
  LeakyReLU,
  type LeakyReLUOptions,
  PReLU,
  type PReLUOptions,
  SELU,
  Swish,
  type SwishOptions,
} from './activations_ext.js';
export { Dense, Dropout, Embedding, HybridSequential, Sequential } from './basic_layers.js';
export {
  BatchNorm,
  type BatchNormOptions,
  Flatten,
  HybridLambda,
  Lambda,
  LayerNorm,
  type LayerNormOptions,
  type NdFunctionName,
} from './basic_layers_ext.js';
export {
  AvgPool1D,
  type AvgPool1DOptions,
  Conv1D,
  type Conv1DOptions,
  GlobalAvgPool1D,
  GlobalMaxPool1D,
  type GlobalPool1DOptions,
  MaxPool1D,
  type MaxPool1DOptions,
  type Pool1DLayout,
  type Size1D,
} from './conv_layers.js';
