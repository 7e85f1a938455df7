// mx.gluon.nn

export { Activation } from './activations.js';
export { ELU, GELU, LeakyReLU, PReLU, SELU, Swish } from './activations_ext.js';
export { Dense, Dropout, Embedding, HybridSequential, Sequential } from './basic_layers.js';
export { BatchNorm, Flatten, HybridLambda, Lambda, LayerNorm } from './basic_layers_ext.js';
export { AvgPool1D, Conv1D, GlobalAvgPool1D, GlobalMaxPool1D, MaxPool1D } from './conv_layers.js';
