// mx.gluon: Block, HybridBlock, Parameter, ParameterDict, and the nn, rnn and contrib modules.

export { Block, HybridBlock } from './block.js';

// Registers the symbolic forwards of the built-in layers (HybridBlock.export).
import './symbolic_layers.js';

export * as contrib from './contrib/index.js';
export * as loss from './loss.js';
export * as nn from './nn/index.js';
export { DeferredInitializationError, Parameter, ParameterDict } from './parameter.js';
export * as rnn from './rnn/index.js';
export { type ExportedModel, type ExportOptions, type ImportsOptions, SymbolBlock } from './symbol_block.js';
export { type StatesSource, type StepOptions, Trainer, type TrainerOptions } from './trainer.js';
export * as utils from './utils.js';
