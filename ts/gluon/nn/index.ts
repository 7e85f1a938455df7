// mx.gluon.nn

export { Activation } from './activations.js';
export { Dense, Dropout, Embedding, HybridSequential, Sequential } from './basic_layers.js';
