// Public entry: `import mx from 'gluon-rnn-wasm'` or named imports of the same objects.
// Module paths mirror Python's mxnet: mx.nd, mx.nd.random, mx.gluon (nn, rnn, contrib.rnn), mx.init.
// The types of the public signatures (NDArray, every options interface, the error classes) are
// exported here too, flat: `import { type NDArray, type GRUOptions } from 'gluon-rnn-wasm'`.

import * as autograd from './autograd/index.js';
import { backendInfo, ready, shutdown } from './backend/index.js';
import * as gluon from './gluon/index.js';
import * as init from './init/index.js';
import * as lr_scheduler from './lr_scheduler.js';
import * as nd from './ndarray/index.js';
import * as optimizer from './optimizer/index.js';
import * as random from './random_api.js';
import { sym } from './symbol/sym_ops.js';

export { AutogradError, type BackwardOptions, type PauseOptions, type RecordOptions } from './autograd/index.js';
export type { GradReqKind } from './autograd/tape.js';
export type { BackendInfo, ReadyOptions } from './backend/index.js';
export { BackendTrapError } from './backend/index.js';
export type { BuildName } from './backend/loader.js';
export type {
  BlockArgs,
  BlockOptions,
  HybridizeOptions,
  LoadParametersOptions,
  SaveParametersOptions,
} from './gluon/block.js';
export type { LSTMPCellOptions, VariationalDropoutCellOptions } from './gluon/contrib/rnn/rnn_cell.js';
export type { ExportedModel, ExportOptions, ImportsOptions } from './gluon/index.js';
export type {
  CTCLossOptions,
  HuberLossOptions,
  KLDivLossOptions,
  LossOptions,
  SigmoidBCELossOptions,
  SoftmaxCELossOptions,
} from './gluon/loss.js';
export type { ActivationOptions } from './gluon/nn/activations.js';
export type { DenseOptions, DropoutOptions, EmbeddingOptions } from './gluon/nn/basic_layers.js';
export type {
  AvgPool1DOptions,
  BatchNormOptions,
  Conv1DOptions,
  ELUOptions,
  GlobalPool1DOptions,
  LayerNormOptions,
  LeakyReLUOptions,
  MaxPool1DOptions,
  NdFunctionName,
  Pool1DLayout,
  PReLUOptions,
  Size1D,
  SwishOptions,
} from './gluon/nn/index.js';
export {
  DeferredInitializationError,
  type GradReq,
  type InitializeOptions,
  type ParameterDictLoadOptions,
  type ParameterDictSaveOptions,
  type ParameterInitializeOptions,
  type ParameterOptions,
  type SettableAttribute,
} from './gluon/parameter.js';
export type { DtypeSource, LoadErrorLocation, ParamsSource } from './gluon/params_io.js';
export type {
  BeginStateArgs,
  BeginStateFuncOptions,
  BeginStateOptions,
  MergeOutputs,
  StateFunc,
  StateInfo,
  UnrollArgs,
  UnrollOptions,
  UnrollOutputs,
} from './gluon/rnn/base_cell.js';
export type {
  ActivationLike,
  CellOptions,
  GRUCellOptions,
  LSTMCellOptions,
  RNNCellOptions,
} from './gluon/rnn/basic_cells.js';
export type { BidirectionalCellOptions } from './gluon/rnn/container_cells.js';
export type { DropoutCellOptions, ZoneoutCellOptions } from './gluon/rnn/modifier_cells.js';
export type { RecurrentStream, RecurrentStreamOptions } from './gluon/rnn/recurrent_stream.js';
export type { GRUOptions, LSTMOptions, RNNLayerOptions, RNNOptions } from './gluon/rnn/rnn_layer.js';
export type { Layout, Seq } from './gluon/rnn/sequence.js';
export type { StatesSource, StepOptions, TrainerOptions } from './gluon/trainer.js';
export type {
  ConstantOptions,
  ConstantValue,
  FactorType,
  InitLike,
  InitTarget,
  LSTMBiasOptions,
  MSRAPreluOptions,
  NormalInitOptions,
  OrthogonalOptions,
  UniformInitOptions,
  XavierOptions,
} from './init/initializer.js';
export { type NDArrayDict, NDArrayFileError } from './io/nd_io.js';
export type {
  CosineSchedulerOptions,
  FactorSchedulerOptions,
  MultiFactorSchedulerOptions,
  PolySchedulerOptions,
  WarmupOptions,
} from './lr_scheduler.js';
export type {
  ArrayOptions,
  ArraySource,
  CreationArgs,
  CreationDType,
  CreationOptions,
  FullOptions,
  Nested,
  NumericArray,
} from './ndarray/creation.js';
// The operators BatchNorm, LayerNorm and LeakyReLU share their options' names with the nn
// blocks of the same names: here they carry `Op` (as ActivationOpOptions, DropoutOpOptions).
export type {
  ArangeOptions,
  ArgReduceFn,
  ArgReduceOptions,
  ArgsortOptions,
  BatchDotOptions,
  BatchNormOptions as BatchNormOpOptions,
  ClipOptions,
  ConvolutionOptions,
  CTCLossOptions as CTCLossOpOptions,
  ExpandDimsOptions,
  IndexMode,
  L2NormalizationOptions,
  LayerNormOptions as LayerNormOpOptions,
  LeakyReLUActType,
  LeakyReLUOptions as LeakyReLUOpOptions,
  LogSoftmaxOptions,
  MultinomialOptions,
  NormOptions,
  OneHotOptions,
  Operand,
  PickOptions,
  PoolingOptions,
  ReduceFn,
  ReduceOptions,
  RepeatOptions,
  ReshapeOptions,
  SliceAxisOptions,
  SliceIndex,
  SliceOptions,
  SoftmaxOptions,
  SortOptions,
  SqueezeOptions,
  SwapaxesOptions,
  TakeOptions,
  TileOptions,
  TopkOptions,
  TopkRetTyp,
  TransposeOptions,
} from './ndarray/index.js';
export type { NestedNumbers } from './ndarray/ndarray.js';
export { NDArray, type Shape } from './ndarray/ndarray.js';
export type {
  ActivationOpOptions,
  ActType,
  ConcatOptions,
  DotOptions,
  DropoutOpOptions,
  EmbeddingOpOptions,
  FullyConnectedOptions,
  SplitOptions,
  StackOptions,
} from './ndarray/ops.js';
export type { NormalOptions, UniformOptions } from './ndarray/random.js';
export type { SequenceMaskOptions, SequenceOptions } from './ndarray/sequence.js';
export type {
  AdaGradOptions,
  AdamOptions,
  NAGOptions,
  OptimizerOptions,
  ParamMults,
  RMSPropOptions,
  SGDOptions,
} from './optimizer/optimizer.js';
export type { StringAttrs } from './symbol/attrs.js';
export type { EntryRef, SymbolGraph, SymbolNode } from './symbol/graph.js';
export type {
  FillOptions,
  SymArangeOptions,
  SymbolCallOptions,
  SymbolOp,
  SymTopkOptions,
  VarOptions,
} from './symbol/sym_ops.js';
export type { MxSymbol } from './symbol/symbol.js';
export type { ExportedGraph, HybridExportOptions } from './symbol/trace.js';
export { AssertionError, NotImplementedError, RuntimeError, ValueError } from './util/errors.js';
export type { Context, Float32, PositionalArgs } from './util/options.js';
export { autograd, backendInfo, gluon, init, lr_scheduler, nd, optimizer, random, ready, shutdown, sym };

/** The `mx` object: `mx.nd`, `mx.autograd`, `mx.gluon`, `mx.init`, `mx.random`, `mx.ready()`, `mx.shutdown()`, `mx.backendInfo()`. */
const mx = {
  /** `mx.autograd`: record, pause, trainMode, predictMode, isRecording, isTraining, backward. */
  autograd,
  /** `mx.nd`: the NDArray type, creation, random draws and operators. */
  nd,
  /** `mx.gluon`: Block, Parameter and the nn, rnn and contrib.rnn modules. */
  gluon,
  /** `mx.init`: parameter initializers. */
  init,
  /** `mx.optimizer`: SGD, NAG, Adam, RMSProp, AdaGrad (what `gluon.Trainer` creates by name). */
  optimizer,
  /** `mx.lr_scheduler`: FactorScheduler, MultiFactorScheduler, PolyScheduler, CosineScheduler. */
  lr_scheduler,
  /** `mx.sym`: the operators on Symbols, for tracing `hybridForward` (`HybridBlock.export`). */
  sym,
  /** `mx.random`: `seed(n)` for the package's random generator. */
  random,
  /** Loads and instantiates the WebAssembly build once; await it before computing. */
  ready,
  /** Stops the worker pool (needed in Deno and Bun to let the process end). */
  shutdown,
  /** Which build is running, with how many threads (null before `ready()`). */
  backendInfo,
};
export default mx;
