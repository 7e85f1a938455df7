// mx.gluon: Block, HybridBlock, Parameter, ParameterDict, and the nn, rnn and contrib modules.

export { Block, HybridBlock } from './block.js';
export * as contrib from './contrib/index.js';
export * as nn from './nn/index.js';
export { DeferredInitializationError, Parameter, ParameterDict } from './parameter.js';
export * as rnn from './rnn/index.js';
export { type ExportedModel, type ExportOptions, type ImportsOptions, SymbolBlock } from './symbol_block.js';
