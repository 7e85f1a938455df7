// mx.sym: the operators of mx.nd on Symbols (python/mxnet/symbol/register.py generates them
// in Python). Each takes mx.nd's arguments (positionally in Python's order, or in one trailing
// options object with camelCase keys) plus the symbol-only options `name` and `attr`, and writes
// the arguments that were given as the node's attributes, as Python writes the keyword
// arguments of a call: `F.softmax(x)` has no attributes, `F.softmax(x, { axis: -1 })` has
// axis '-1'. The attributes are checked by the operator table (one definition per operator).

import { Initializer, type InitLike } from '../init/initializer.js';
import { describe } from '../util/describe.js';
import { checkDtype, checkNumber, isPlainObject, parseArgs } from '../util/options.js';
import type { StringAttrs } from './attrs.js';
import { bindSymbolMethods, MxSymbol, makeNode, makeVar, pyAttr } from './symbol.js';

/** Options every `mx.sym` operator takes besides its own. */
export interface SymbolCallOptions {
  /** The node's name (prefixed by the current name scope); default: the function name and a counter. */
  name?: string | null;
  /** Extra string attributes stored on the node (`__layout__`, ...). */
  attr?: Readonly<Record<string, string>> | null;
}

/** Options of `sym.zeros` / `sym.ones`. */
export interface FillOptions extends SymbolCallOptions {
  /** The shape (0 marks a dimension left to shape inference). */
  shape?: readonly number[];
  /** Only 'float32'. */
  dtype?: 'float32';
}

/** An `mx.sym` operator: mx.nd's arguments with Symbols for arrays, plus {@link SymbolCallOptions}. */
export type SymbolOp = (...args: unknown[]) => MxSymbol;

/** camelCase -> snake_case (MXNet's attribute names). */
function snake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

interface OpSpec {
  /** MXNet's operator name. */
  op: string;
  /** The Python function name: the automatic name's hint (lower-cased). */
  fn: string;
  /** Array arguments, in order. */
  inputs: readonly string[];
  /**
   * Array arguments the operator reads only under some attributes, each with the test of
   * those (its `FListInputNames`); the others it always reads.
   */
  optional?: Readonly<Record<string, (attrs: StringAttrs) => boolean>>;
  /** Other parameters in Python's positional order (camelCase). */
  params: readonly string[];
  /** Fixed attributes written on every call (Python functions that always pass them). */
  fixed?: Readonly<Record<string, string>>;
}

/** The `attr` option of a sym function: MXNet's attributes are strings. */
function attrOf(where: string, v: unknown): Record<string, string> {
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string'))
    throw new TypeError(`${where}: attr must be an object of string values, got ${describe(v)}`);
  return { ...(v as Record<string, string>) };
}

/** A shape option: non-negative integers (0: unknown, as MXNet's shape inference reads it). */
function shapeOf(where: string, v: unknown): number[] {
  if (!Array.isArray(v) || !v.every((d) => Number.isInteger(d) && d >= 0))
    throw new TypeError(`${where}: shape must be an array of non-negative integers (0: unknown), got ${describe(v)}`);
  return [...v];
}

/** dmlc's bool parser: what an attribute reads as true. */
const isTrue = (v: string | undefined): boolean => v === 'True' || v === 'true' || v === '1';

function build(spec: OpSpec, args: readonly unknown[]): MxSymbol[] {
  const where = `sym.${spec.fn}`;
  const names = [...spec.inputs, ...spec.params, 'name', 'attr'];
  const o = parseArgs<Record<string, unknown>>(where, args, names, {});
  for (const k of spec.inputs) {
    const v = o[k];
    if (v !== null && v !== undefined && !(v instanceof MxSymbol))
      throw new TypeError(`${where}: ${k} must be a MxSymbol, got ${describe(v)}`);
  }
  const attrs: Record<string, string> = { ...spec.fixed };
  for (const k of spec.params) if (o[k] !== undefined) attrs[snake(k)] = pyAttr(where, k, o[k]);
  Object.assign(attrs, attrOf(where, o.attr));
  const name = (o.name as string | null | undefined) ?? null;
  // nnvm's Symbol::Compose: an input the operator reads but the call left out becomes a
  // variable named `<node>_<input>` that carries the node's attributes.
  const inputs = (full: string, sorted: StringAttrs): MxSymbol[] =>
    spec.inputs.flatMap((k) => {
      const v = o[k];
      if (v instanceof MxSymbol) return [v];
      const reads = spec.optional?.[k]?.(sorted) ?? true;
      return reads ? [makeVar(`${full}_${snake(k)}`, sorted)] : [];
    });
  return makeNode(where, spec.op, inputs, attrs, name, spec.fn.toLowerCase());
}

function define(spec: OpSpec): SymbolOp {
  return (...args) => build(spec, args)[0] as MxSymbol;
}

function unary(op: string, fn = op): SymbolOp {
  return define({ op, fn, inputs: ['data'], params: [] });
}

/** Leading Symbols (or one array of them), then optional parameters: concat, stack. */
function variadic(op: string, fn: string, params: readonly string[]): SymbolOp {
  return (...args) => {
    let i = 0;
    let data: MxSymbol[] = [];
    if (Array.isArray(args[0])) {
      data = [...(args[0] as MxSymbol[])];
      i = 1;
    } else while (i < args.length && args[i] instanceof MxSymbol) data.push(args[i++] as MxSymbol);
    const rest = args.slice(i);
    const o = parseArgs<Record<string, unknown>>(`sym.${fn}`, rest, [...params, 'name', 'attr'], {});
    const attrs: Record<string, string> = { num_args: String(data.length) };
    for (const k of params) if (o[k] !== undefined) attrs[snake(k)] = pyAttr(`sym.${fn}`, k, o[k]);
    Object.assign(attrs, attrOf(`sym.${fn}`, o.attr));
    return makeNode(`sym.${fn}`, op, data, attrs, (o.name as string | undefined) ?? null, fn)[0] as MxSymbol;
  };
}

/**
 * Python's arithmetic on symbols: two Symbols -> `elemwise_*` (`_plus`, ... names), a number
 * -> the `_*_scalar` operator. Gluon note: unlike `nd.add`, two Symbols do not broadcast
 * (Python's `a + b` on symbols); use `broadcast_add` for that.
 */
function arith(
  fn: string,
  elem: [string, string],
  scalar: [string, string],
  rscalar: [string, string],
): (lhs: MxSymbol | number, rhs: MxSymbol | number, options?: SymbolCallOptions) => MxSymbol {
  return (lhs, rhs, options = {}) => {
    const where = `sym.${fn}`;
    const o = parseArgs<SymbolCallOptions>(where, [options], ['name', 'attr'], {});
    const name = o.name ?? null;
    const attr = attrOf(where, o.attr);
    if (lhs instanceof MxSymbol && rhs instanceof MxSymbol)
      return makeNode(where, elem[0], [lhs, rhs], attr, name, elem[1])[0] as MxSymbol;
    if (lhs instanceof MxSymbol && typeof rhs === 'number')
      return makeNode(
        where,
        scalar[0],
        [lhs],
        { ...attr, scalar: pyAttr(where, 'scalar', rhs) },
        name,
        scalar[1],
      )[0] as MxSymbol;
    if (typeof lhs === 'number' && rhs instanceof MxSymbol)
      return makeNode(
        where,
        rscalar[0],
        [rhs],
        { ...attr, scalar: pyAttr(where, 'scalar', lhs) },
        name,
        rscalar[1],
      )[0] as MxSymbol;
    throw new TypeError(`${where}: expected Symbols or numbers, got ${describe(lhs)} and ${describe(rhs)}`);
  };
}

/** Options of `sym.var`: what Python's `mx.sym.var` stores as the variable's attributes. */
export interface VarOptions {
  /** `__shape__` (0 marks a dimension left to shape inference). */
  shape?: readonly number[] | null;
  /** `__lr_mult__`: the learning-rate multiplier of the parameter it becomes. */
  lrMult?: number | null;
  /** `__wd_mult__`: the weight-decay multiplier. */
  wdMult?: number | null;
  /** `__dtype__`: only 'float32'. */
  dtype?: 'float32' | null;
  /** `__init__`: an initializer or its registered name. */
  init?: InitLike | null;
  /** Extra string attributes. */
  attr?: Record<string, string> | null;
}

/** `sym.var(name, { shape, lrMult, wdMult, dtype, init, attr })`: an input or parameter variable. */
function variable(name: string, options: VarOptions = {}): MxSymbol {
  const where = 'sym.var';
  if (typeof name !== 'string' || name === '')
    throw new TypeError(`${where}: name must be a non-empty string, got ${describe(name)}`);
  const o = parseArgs<VarOptions>(where, [options], ['shape', 'lrMult', 'wdMult', 'dtype', 'init', 'attr'], {});
  const attrs = attrOf(where, o.attr);
  const given = (v: unknown): boolean => v !== null && v !== undefined;
  if (given(o.shape)) attrs.__shape__ = pyAttr(where, 'shape', shapeOf(where, o.shape));
  if (given(o.lrMult)) attrs.__lr_mult__ = pyAttr(where, 'lrMult', checkNumber(where, 'lrMult', o.lrMult));
  if (given(o.wdMult)) attrs.__wd_mult__ = pyAttr(where, 'wdMult', checkNumber(where, 'wdMult', o.wdMult));
  checkDtype(where, o.dtype);
  if (given(o.dtype)) attrs.__dtype__ = '0'; // mshadow's kFloat32
  if (given(o.init)) {
    if (typeof o.init !== 'string' && !(o.init instanceof Initializer))
      throw new TypeError(`${where}: init must be an Initializer or an initializer name, got ${describe(o.init)}`);
    attrs.__init__ = typeof o.init === 'string' ? o.init : o.init.dumps();
  }
  return makeVar(name, attrs);
}

/**
 * `sym.zeros(shape, { dtype, name, attr })`: `_zeros` (also `zeros({ shape, ... })`, the form a
 * recurrent layer's `beginState(0, { func: F.zeros })` uses).
 */
function filled(
  op: string,
  fn: string,
): (shape: readonly number[] | FillOptions, options?: Omit<FillOptions, 'shape'>) => MxSymbol {
  return (shape, options = {}) => {
    const where = `sym.${fn}`;
    const all = Array.isArray(shape) ? { ...options, shape } : shape;
    if (!isPlainObject(all)) throw new TypeError(`${where}: expected a shape and options, got ${describe(shape)}`);
    const o = parseArgs<FillOptions>(where, [all], ['shape', 'dtype', 'name', 'attr'], {}, ['shape']);
    // python/mxnet/symbol/symbol.py zeros(): dtype defaults to float32 and is always written.
    const dtype: unknown = o.dtype ?? 'float32';
    if (typeof dtype !== 'string') throw new TypeError(`${where}: dtype must be a string, got ${describe(dtype)}`);
    const attrs = { ...attrOf(where, o.attr), shape: pyAttr(where, 'shape', shapeOf(where, o.shape)), dtype };
    return makeNode(where, op, [], attrs, o.name ?? null, fn)[0] as MxSymbol;
  };
}

const SYMBOLIC_FILLS = new WeakSet<object>();

/**
 * True for `sym.zeros` / `sym.ones`: a recurrent cell's `beginState(0, { func })` then names
 * its states and records their layout, as Python's `begin_state` passes `name` and `**info`.
 */
export function isSymbolicFill(f: unknown): boolean {
  return typeof f === 'function' && SYMBOLIC_FILLS.has(f);
}

function markFill<F extends object>(f: F): F {
  SYMBOLIC_FILLS.add(f);
  return f;
}

/** `sym.split(data, numOutputs, axis=1, squeezeAxis=false)`: SliceChannel's outputs. */
function split(...args: unknown[]): MxSymbol[] {
  return build(
    { op: 'SliceChannel', fn: 'split', inputs: ['data'], params: ['numOutputs', 'axis', 'squeezeAxis'] },
    args,
  );
}

/** `sym.RNN(data, parameters, state, stateCell?, sequenceLength?, { stateSize, numLayers, mode, ... })`: all outputs. */
function rnn(...args: unknown[]): MxSymbol[] {
  return build(
    {
      op: 'RNN',
      fn: 'RNN',
      inputs: ['data', 'parameters', 'state', 'stateCell', 'sequenceLength'],
      optional: { stateCell: (a) => a.mode === 'lstm', sequenceLength: (a) => isTrue(a.use_sequence_length) },
      params: [
        'stateSize',
        'numLayers',
        'bidirectional',
        'mode',
        'p',
        'stateOutputs',
        'projectionSize',
        'lstmStateClipMin',
        'lstmStateClipMax',
        'lstmStateClipNan',
        'useSequenceLength',
      ],
    },
    args,
  );
}

const TOPK: OpSpec = { op: 'topk', fn: 'topk', inputs: ['data'], params: ['axis', 'k', 'retTyp', 'isAscend', 'dtype'] };

/** The options of `sym.topk` (mx.nd.topk's, for Symbols). */
export interface SymTopkOptions extends SymbolCallOptions {
  /** The axis to select along; null: the flattened data. Default -1. */
  axis?: number | null;
  /** How many elements (below 1: all of them). Default 1. */
  k?: number;
  /** What to return: the values, their indices (the default), both, or a 0/1 mask. */
  retTyp?: 'value' | 'indices' | 'both' | 'mask';
  /** The smallest first instead of the largest. */
  isAscend?: boolean;
  /** Only 'float32' (the indices' type). */
  dtype?: 'float32';
}

/** `sym.topk(data, { axis, k, retTyp, isAscend })`: one Symbol, or [values, indices] for retTyp 'both'. */
function topk(data: MxSymbol, options: SymTopkOptions & { retTyp: 'both' }): [MxSymbol, MxSymbol];
function topk(data: MxSymbol, options?: SymTopkOptions & { retTyp?: 'value' | 'indices' | 'mask' }): MxSymbol;
function topk(data: MxSymbol, options?: SymTopkOptions): MxSymbol | [MxSymbol, MxSymbol] {
  const outs = build(TOPK, options === undefined ? [data] : [data, options]);
  return options?.retTyp === 'both' ? [outs[0] as MxSymbol, outs[1] as MxSymbol] : (outs[0] as MxSymbol);
}

/** Options of `sym.arange`. */
export interface SymArangeOptions extends SymbolCallOptions {
  /** The end (excluded); null: the range is [0, start). */
  stop?: number | null;
  /** The spacing. Default 1. */
  step?: number;
  /** How many times each value repeats. Default 1. */
  repeat?: number;
  /** Only 'float32'. */
  dtype?: 'float32';
}

/**
 * `sym.arange(start, { stop, step, repeat, dtype })`: python/mxnet/symbol/symbol.py arange()
 * passes every argument, so every attribute is written (its defaults as Python prints them:
 * step '1.0', dtype 'float32').
 */
function arange(start: number, options: SymArangeOptions = {}): MxSymbol {
  const where = 'sym.arange';
  const o = parseArgs<SymArangeOptions>(where, [options], ['stop', 'step', 'repeat', 'dtype', 'name', 'attr'], {});
  checkNumber(where, 'start', start);
  checkDtype(where, o.dtype);
  const attrs = {
    ...attrOf(where, o.attr),
    start: pyAttr(where, 'start', start),
    stop: pyAttr(where, 'stop', o.stop ?? null),
    step: o.step === undefined ? '1.0' : pyAttr(where, 'step', checkNumber(where, 'step', o.step)),
    repeat: pyAttr(where, 'repeat', o.repeat ?? 1),
    infer_range: 'False',
    dtype: 'float32',
  };
  return makeNode(where, '_arange', [], attrs, o.name ?? null, '_arange')[0] as MxSymbol;
}

const seqParams = ['useSequenceLength'];

/**
 * `mx.sym`: Symbol-valued operators with mx.nd's names and arguments, for tracing
 * `hybridForward(F, ...)` into a graph (`HybridBlock.export`).
 */
export const sym = {
  /** `sym.var(name, { shape, lrMult, wdMult, dtype, init, attr })`: a variable. */
  var: variable,
  /** `sym.Variable`: the same as `var`. */
  Variable: variable,
  /** `sym.FullyConnected(data, weight, bias, numHidden, noBias, flatten)`. */
  FullyConnected: define({
    op: 'FullyConnected',
    fn: 'FullyConnected',
    inputs: ['data', 'weight', 'bias'],
    optional: { bias: (a) => !isTrue(a.no_bias) },
    params: ['numHidden', 'noBias', 'flatten'],
  }),
  /** `sym.Embedding(data, weight, inputDim, outputDim, { dtype, sparseGrad })`. */
  Embedding: define({
    op: 'Embedding',
    fn: 'Embedding',
    inputs: ['data', 'weight'],
    params: ['inputDim', 'outputDim', 'dtype', 'sparseGrad'],
  }),
  /** `sym.Activation(data, actType)`. */
  Activation: define({ op: 'Activation', fn: 'Activation', inputs: ['data'], params: ['actType'] }),
  /** `sym.LeakyReLU(data, gamma?, { actType, slope })`. */
  LeakyReLU: define({
    op: 'LeakyReLU',
    fn: 'LeakyReLU',
    inputs: ['data', 'gamma'],
    optional: { gamma: (a) => a.act_type === 'prelu' },
    params: ['actType', 'slope'],
  }),
  /** `sym.relu(data)`. */
  relu: unary('relu'),
  /** `sym.sigmoid(data)`. */
  sigmoid: unary('sigmoid'),
  /** `sym.tanh(data)`. */
  tanh: unary('tanh'),
  /** `sym.softsign(data)`. */
  softsign: unary('softsign'),
  /** `sym.exp(data)`. */
  exp: unary('exp'),
  /** `sym.log(data)`. */
  log: unary('log'),
  /** `sym.sqrt(data)`. */
  sqrt: unary('sqrt'),
  /** `sym.square(data)`. */
  square: unary('square'),
  /** `sym.abs(data)`. */
  abs: unary('abs'),
  /** `sym.sign(data)`. */
  sign: unary('sign'),
  /** `sym.identity(data)` (MXNet's `_copy`). */
  identity: unary('_copy', 'identity'),
  /** `sym.zerosLike(data)` (`zeros_like`). */
  zerosLike: unary('zeros_like'),
  /** `sym.onesLike(data)` (`ones_like`). */
  onesLike: unary('ones_like'),
  /** `sym.zeros_like(data)`. */
  zeros_like: unary('zeros_like'),
  /** `sym.ones_like(data)`. */
  ones_like: unary('ones_like'),
  /** `sym.softmax(data, length?, { axis, temperature, dtype, useLength })`. */
  softmax: define({
    op: 'softmax',
    fn: 'softmax',
    inputs: ['data', 'length'],
    optional: { length: (a) => isTrue(a.use_length) },
    params: ['axis', 'temperature', 'dtype', 'useLength'],
  }),
  /** `sym.log_softmax(data, axis, temperature)`. */
  log_softmax: define({
    op: 'log_softmax',
    fn: 'log_softmax',
    inputs: ['data'],
    params: ['axis', 'temperature', 'dtype', 'useLength'],
  }),
  /** `sym.Dropout(data, p, mode, axes, { cudnnOff })`: the identity at inference. */
  Dropout: define({ op: 'Dropout', fn: 'Dropout', inputs: ['data'], params: ['p', 'mode', 'axes', 'cudnnOff'] }),
  /** `sym.reshape(data, shape, reverse)`. */
  reshape: define({ op: 'Reshape', fn: 'reshape', inputs: ['data'], params: ['shape', 'reverse'] }),
  /** `sym.Flatten(data)`. */
  Flatten: unary('Flatten'),
  /** `sym.flatten(data)`. */
  flatten: unary('Flatten', 'flatten'),
  /** `sym.swapaxes(data, dim1, dim2)` (`SwapAxis`). */
  swapaxes: define({ op: 'SwapAxis', fn: 'swapaxes', inputs: ['data'], params: ['dim1', 'dim2'] }),
  /** `sym.transpose(data, axes)`. */
  transpose: define({ op: 'transpose', fn: 'transpose', inputs: ['data'], params: ['axes'] }),
  /** `sym.expand_dims(data, axis)`. */
  expand_dims: define({ op: 'expand_dims', fn: 'expand_dims', inputs: ['data'], params: ['axis'] }),
  /** `sym.expandDims(data, axis)`. */
  expandDims: define({ op: 'expand_dims', fn: 'expand_dims', inputs: ['data'], params: ['axis'] }),
  /** `sym.squeeze(data, axis)`. */
  squeeze: define({ op: 'squeeze', fn: 'squeeze', inputs: ['data'], params: ['axis'] }),
  /** `sym.slice_axis(data, axis, begin, end)`. */
  slice_axis: define({ op: 'slice_axis', fn: 'slice_axis', inputs: ['data'], params: ['axis', 'begin', 'end'] }),
  /** `sym.sliceAxis(data, axis, begin, end)`. */
  sliceAxis: define({ op: 'slice_axis', fn: 'slice_axis', inputs: ['data'], params: ['axis', 'begin', 'end'] }),
  /** `sym.clip(data, aMin, aMax)`. */
  clip: define({ op: 'clip', fn: 'clip', inputs: ['data'], params: ['aMin', 'aMax'] }),
  /** `sym.concat(a, b, ..., { dim })` (`Concat`). */
  concat: variadic('Concat', 'concat', ['dim']),
  /** `sym.stack(a, b, ..., { axis })`. */
  stack: variadic('stack', 'stack', ['axis']),
  /** `sym.split(data, numOutputs, axis, squeezeAxis)` (`SliceChannel`): one Symbol per part. */
  split,
  /** `sym.SequenceMask(data, sequenceLength, useSequenceLength, value, axis)`. */
  SequenceMask: define({
    op: 'SequenceMask',
    fn: 'SequenceMask',
    inputs: ['data', 'sequenceLength'],
    optional: { sequenceLength: (a) => isTrue(a.use_sequence_length) },
    params: [...seqParams, 'value', 'axis'],
  }),
  /** `sym.SequenceLast(data, sequenceLength, useSequenceLength, axis)`. */
  SequenceLast: define({
    op: 'SequenceLast',
    fn: 'SequenceLast',
    inputs: ['data', 'sequenceLength'],
    optional: { sequenceLength: (a) => isTrue(a.use_sequence_length) },
    params: [...seqParams, 'axis'],
  }),
  /** `sym.SequenceReverse(data, sequenceLength, useSequenceLength, axis)`. */
  SequenceReverse: define({
    op: 'SequenceReverse',
    fn: 'SequenceReverse',
    inputs: ['data', 'sequenceLength'],
    optional: { sequenceLength: (a) => isTrue(a.use_sequence_length) },
    params: [...seqParams, 'axis'],
  }),
  /** `sym.sum(data, axis, keepdims, exclude)`. */
  sum: define({ op: 'sum', fn: 'sum', inputs: ['data'], params: ['axis', 'keepdims', 'exclude'] }),
  /** `sym.mean(data, axis, keepdims, exclude)`. */
  mean: define({ op: 'mean', fn: 'mean', inputs: ['data'], params: ['axis', 'keepdims', 'exclude'] }),
  /** `sym.max(data, axis, keepdims, exclude)`. */
  max: define({ op: 'max', fn: 'max', inputs: ['data'], params: ['axis', 'keepdims', 'exclude'] }),
  /** `sym.min(data, axis, keepdims, exclude)`. */
  min: define({ op: 'min', fn: 'min', inputs: ['data'], params: ['axis', 'keepdims', 'exclude'] }),
  /** `sym.argmax(data, axis, keepdims)`. */
  argmax: define({ op: 'argmax', fn: 'argmax', inputs: ['data'], params: ['axis', 'keepdims'] }),
  /** `sym.argmin(data, axis, keepdims)`. */
  argmin: define({ op: 'argmin', fn: 'argmin', inputs: ['data'], params: ['axis', 'keepdims'] }),
  /** `sym.dot(lhs, rhs, transposeA, transposeB)`. */
  dot: define({ op: 'dot', fn: 'dot', inputs: ['lhs', 'rhs'], params: ['transposeA', 'transposeB'] }),
  /** `sym.batch_dot(lhs, rhs, transposeA, transposeB)`. */
  batch_dot: define({ op: 'batch_dot', fn: 'batch_dot', inputs: ['lhs', 'rhs'], params: ['transposeA', 'transposeB'] }),
  /** `sym.where(condition, x, y)`. */
  where: define({ op: 'where', fn: 'where', inputs: ['condition', 'x', 'y'], params: [] }),
  /** `sym.LayerNorm(data, gamma, beta, axis, eps)`. */
  LayerNorm: define({ op: 'LayerNorm', fn: 'LayerNorm', inputs: ['data', 'gamma', 'beta'], params: ['axis', 'eps'] }),
  /** `sym.BatchNorm(data, gamma, beta, movingMean, movingVar, { eps, momentum, fixGamma, useGlobalStats, axis, cudnnOff })`. */
  BatchNorm: define({
    op: 'BatchNorm',
    fn: 'BatchNorm',
    inputs: ['data', 'gamma', 'beta', 'movingMean', 'movingVar'],
    params: ['eps', 'momentum', 'fixGamma', 'useGlobalStats', 'axis', 'cudnnOff'],
  }),
  /** `sym.Convolution(data, weight, bias, { kernel, stride, dilate, pad, numFilter, numGroup, noBias, layout })`. */
  Convolution: define({
    op: 'Convolution',
    fn: 'Convolution',
    inputs: ['data', 'weight', 'bias'],
    optional: { bias: (a) => !isTrue(a.no_bias) },
    params: ['kernel', 'stride', 'dilate', 'pad', 'numFilter', 'numGroup', 'noBias', 'layout'],
  }),
  /** `sym.Pooling(data, { kernel, poolType, globalPool, poolingConvention, stride, pad, countIncludePad, layout })`. */
  Pooling: define({
    op: 'Pooling',
    fn: 'Pooling',
    inputs: ['data'],
    params: ['kernel', 'poolType', 'globalPool', 'poolingConvention', 'stride', 'pad', 'countIncludePad', 'layout'],
  }),
  /** `sym.RNN(...)`: the fused recurrent operator; returns every output (output, then states). */
  RNN: rnn,
  /** `sym.zeros(shape, { dtype, name, attr })` (`_zeros`; 0 marks a dimension left to shape inference). */
  zeros: markFill(filled('_zeros', 'zeros')),
  /** `sym.ones(shape, { dtype, name, attr })` (`_ones`). */
  ones: markFill(filled('_ones', 'ones')),
  /** `sym.add(lhs, rhs)`: elemwise_add, or `_plus_scalar` with a number. */
  add: arith('add', ['elemwise_add', '_plus'], ['_plus_scalar', '_plusscalar'], ['_plus_scalar', '_plusscalar']),
  /** `sym.sub(lhs, rhs)`: elemwise_sub, `_minus_scalar` or `_rminus_scalar`. */
  sub: arith('sub', ['elemwise_sub', '_minus'], ['_minus_scalar', '_minusscalar'], ['_rminus_scalar', '_rminusscalar']),
  /** `sym.mul(lhs, rhs)`: elemwise_mul, or `_mul_scalar` with a number. */
  mul: arith('mul', ['elemwise_mul', '_mul'], ['_mul_scalar', '_mulscalar'], ['_mul_scalar', '_mulscalar']),
  /** `sym.div(lhs, rhs)`: elemwise_div, `_div_scalar` or `_rdiv_scalar`. */
  div: arith('div', ['elemwise_div', '_div'], ['_div_scalar', '_divscalar'], ['_rdiv_scalar', '_rdivscalar']),
  /** `sym.multiply(lhs, rhs)`: as `mul` (mx.nd's name). */
  multiply: arith('multiply', ['elemwise_mul', '_mul'], ['_mul_scalar', '_mulscalar'], ['_mul_scalar', '_mulscalar']),
  /** `sym.subtract(lhs, rhs)`: as `sub` (mx.nd's name). */
  subtract: arith(
    'subtract',
    ['elemwise_sub', '_minus'],
    ['_minus_scalar', '_minusscalar'],
    ['_rminus_scalar', '_rminusscalar'],
  ),
  /** `sym.divide(lhs, rhs)`: as `div` (mx.nd's name). */
  divide: arith('divide', ['elemwise_div', '_div'], ['_div_scalar', '_divscalar'], ['_rdiv_scalar', '_rdivscalar']),
  /** `sym.maximum(lhs, rhs)` (python/mxnet/symbol/symbol.py: `_maximum`, or `_maximum_scalar` with a number). */
  maximum: arith(
    'maximum',
    ['_maximum', '_maximum'],
    ['_maximum_scalar', '_maximumscalar'],
    ['_maximum_scalar', '_maximumscalar'],
  ),
  /** `sym.minimum(lhs, rhs)` (`_minimum`, or `_minimum_scalar` with a number). */
  minimum: arith(
    'minimum',
    ['_minimum', '_minimum'],
    ['_minimum_scalar', '_minimumscalar'],
    ['_minimum_scalar', '_minimumscalar'],
  ),
  /** `sym.elemwise_add(lhs, rhs)`. */
  elemwise_add: define({ op: 'elemwise_add', fn: 'elemwise_add', inputs: ['lhs', 'rhs'], params: [] }),
  /** `sym.elemwise_sub(lhs, rhs)`. */
  elemwise_sub: define({ op: 'elemwise_sub', fn: 'elemwise_sub', inputs: ['lhs', 'rhs'], params: [] }),
  /** `sym.elemwise_mul(lhs, rhs)`. */
  elemwise_mul: define({ op: 'elemwise_mul', fn: 'elemwise_mul', inputs: ['lhs', 'rhs'], params: [] }),
  /** `sym.elemwise_div(lhs, rhs)`. */
  elemwise_div: define({ op: 'elemwise_div', fn: 'elemwise_div', inputs: ['lhs', 'rhs'], params: [] }),
  /** `sym.broadcast_add(lhs, rhs)`. */
  broadcast_add: binary('broadcast_add'),
  /** `sym.broadcast_sub(lhs, rhs)`. */
  broadcast_sub: binary('broadcast_sub'),
  /** `sym.broadcast_mul(lhs, rhs)`. */
  broadcast_mul: binary('broadcast_mul'),
  /** `sym.broadcast_div(lhs, rhs)`. */
  broadcast_div: binary('broadcast_div'),
  /** `sym.broadcast_maximum(lhs, rhs)`. */
  broadcast_maximum: binary('broadcast_maximum'),
  /** `sym.broadcast_minimum(lhs, rhs)`. */
  broadcast_minimum: binary('broadcast_minimum'),
  /** `sym.broadcast_greater(lhs, rhs)`. */
  broadcast_greater: binary('broadcast_greater'),
  /** `sym.broadcast_lesser(lhs, rhs)`. */
  broadcast_lesser: binary('broadcast_lesser'),
  /** `sym.broadcast_equal(lhs, rhs)`. */
  broadcast_equal: binary('broadcast_equal'),
  /** `sym.power(base, exp)`: Symbols or a number on either side (`_power`, `_power_scalar`, `_rpower_scalar`). */
  power: arith('power', ['_power', '_power'], ['_power_scalar', '_powerscalar'], ['_rpower_scalar', '_rpowerscalar']),
  /** `sym.take(a, indices, axis=0, mode='clip')`. */
  take: define({ op: 'take', fn: 'take', inputs: ['a', 'indices'], params: ['axis', 'mode'] }),
  /** `sym.pick(data, index, axis=-1, keepdims=False, mode='clip')`. */
  pick: define({ op: 'pick', fn: 'pick', inputs: ['data', 'index'], params: ['axis', 'keepdims', 'mode'] }),
  /** `sym.one_hot(indices, depth, onValue=1, offValue=0, dtype)`. */
  one_hot: define({
    op: 'one_hot',
    fn: 'one_hot',
    inputs: ['indices'],
    params: ['depth', 'onValue', 'offValue', 'dtype'],
  }),
  /** `sym.gather_nd(data, indices)`. */
  gather_nd: define({ op: 'gather_nd', fn: 'gather_nd', inputs: ['data', 'indices'], params: [] }),
  /** `sym.slice(data, begin, end, step)`: `null` entries are Python's None. */
  slice: define({ op: 'slice', fn: 'slice', inputs: ['data'], params: ['begin', 'end', 'step'] }),
  /** `sym.reverse(data, axis)`: axis a number or a tuple. */
  reverse: define({ op: 'reverse', fn: 'reverse', inputs: ['data'], params: ['axis'] }),
  /** `sym.flip(data, axis)`: `reverse`. */
  flip: define({ op: 'reverse', fn: 'flip', inputs: ['data'], params: ['axis'] }),
  /** `sym.tile(data, reps)`. */
  tile: define({ op: 'tile', fn: 'tile', inputs: ['data'], params: ['reps'] }),
  /** `sym.repeat(data, repeats, axis=None)`. */
  repeat: define({ op: 'repeat', fn: 'repeat', inputs: ['data'], params: ['repeats', 'axis'] }),
  /** `sym.broadcast_to(data, shape)`: a 0 keeps the input's dimension. */
  broadcast_to: define({ op: 'broadcast_to', fn: 'broadcast_to', inputs: ['data'], params: ['shape'] }),
  /** `sym.broadcast_like(lhs, rhs, lhsAxes=None, rhsAxes=None)`. */
  broadcast_like: define({
    op: 'broadcast_like',
    fn: 'broadcast_like',
    inputs: ['lhs', 'rhs'],
    params: ['lhsAxes', 'rhsAxes'],
  }),
  /** `sym.broadcast_axis(data, axis, size)`. */
  broadcast_axis: define({ op: 'broadcast_axis', fn: 'broadcast_axis', inputs: ['data'], params: ['axis', 'size'] }),
  /** `sym.reshape_like(lhs, rhs, lhsBegin, lhsEnd, rhsBegin, rhsEnd)`. */
  reshape_like: define({
    op: 'reshape_like',
    fn: 'reshape_like',
    inputs: ['lhs', 'rhs'],
    params: ['lhsBegin', 'lhsEnd', 'rhsBegin', 'rhsEnd'],
  }),
  /** `sym.slice_like(data, shapeLike, axes=())`. */
  slice_like: define({ op: 'slice_like', fn: 'slice_like', inputs: ['data', 'shapeLike'], params: ['axes'] }),
  /** `sym.topk(data, axis=-1, k=1, retTyp='indices', isAscend=False)`: two Symbols for retTyp 'both'. */
  topk,
  /** `sym.sort(data, axis=-1, isAscend=True)`. */
  sort: define({ op: 'sort', fn: 'sort', inputs: ['data'], params: ['axis', 'isAscend'] }),
  /** `sym.argsort(data, axis=-1, isAscend=True, dtype)`. */
  argsort: define({ op: 'argsort', fn: 'argsort', inputs: ['data'], params: ['axis', 'isAscend', 'dtype'] }),
  /** `sym.arange(start, stop=None, step=1.0, repeat=1)`: `_arange`, every attribute written as Python does. */
  arange,
  /** `sym.prod(data, axis, keepdims, exclude)`. */
  prod: define({ op: 'prod', fn: 'prod', inputs: ['data'], params: ['axis', 'keepdims', 'exclude'] }),
  /** `sym.norm(data, ord=2, axis=None, outDtype=None, keepdims=False)`. */
  norm: define({ op: 'norm', fn: 'norm', inputs: ['data'], params: ['ord', 'axis', 'outDtype', 'keepdims'] }),
  /** `sym.L2Normalization(data, eps=1e-10, mode='instance')`. */
  L2Normalization: define({ op: 'L2Normalization', fn: 'L2Normalization', inputs: ['data'], params: ['eps', 'mode'] }),
  /** `sym.negative(data)`. */
  negative: unary('negative'),
  /** `sym.reciprocal(data)`. */
  reciprocal: unary('reciprocal'),
  /** `sym.rsqrt(data)`: 1 / sqrt(data). */
  rsqrt: unary('rsqrt'),
  /** `sym.log1p(data)`. */
  log1p: unary('log1p'),
  /** `sym.expm1(data)`. */
  expm1: unary('expm1'),
  /** `sym.log2(data)`. */
  log2: unary('log2'),
  /** `sym.log10(data)`. */
  log10: unary('log10'),
  /** `sym.cbrt(data)`. */
  cbrt: unary('cbrt'),
  /** `sym.sin(data)`. */
  sin: unary('sin'),
  /** `sym.cos(data)`. */
  cos: unary('cos'),
  /** `sym.floor(data)`. */
  floor: unary('floor'),
  /** `sym.ceil(data)`. */
  ceil: unary('ceil'),
  /** `sym.round(data)`: halves away from zero. */
  round: unary('round'),
  /** `sym.rint(data)`: MXNet's rint, halves towards the floor. */
  rint: unary('rint'),
  /** `sym.trunc(data)`. */
  trunc: unary('trunc'),
  /** `sym.fix(data)`: towards zero. */
  fix: unary('fix'),
  /** `sym.erf(data)`. */
  erf: unary('erf'),
  /** `sym.logical_not(data)`: 1 where data is 0. */
  logical_not: unary('logical_not'),
  /** `sym.add_n(a, b, ...)`: the sum of Symbols of one shape (`ElementWiseSum`). */
  add_n: variadic('add_n', 'add_n', []),
  /** `sym.hard_sigmoid(data, alpha=0.2, beta=0.5)`. */
  hard_sigmoid: define({ op: 'hard_sigmoid', fn: 'hard_sigmoid', inputs: ['data'], params: ['alpha', 'beta'] }),
  /** `sym.smooth_l1(data, scalar)`: scalar is sigma. */
  smooth_l1: define({ op: 'smooth_l1', fn: 'smooth_l1', inputs: ['data'], params: ['scalar'] }),
  /** `sym.softmin(data, axis=-1, temperature, dtype)`: softmax of -data (no lengths input, as in MXNet). */
  softmin: define({ op: 'softmin', fn: 'softmin', inputs: ['data'], params: ['axis', 'temperature', 'dtype'] }),
  /** `sym.broadcast_logical_and(lhs, rhs)`. */
  broadcast_logical_and: binary('broadcast_logical_and'),
  /** `sym.broadcast_logical_or(lhs, rhs)`. */
  broadcast_logical_or: binary('broadcast_logical_or'),
  /** `sym.broadcast_logical_xor(lhs, rhs)`. */
  broadcast_logical_xor: binary('broadcast_logical_xor'),
  /** `mx.sym.contrib`: `arange_like` and `div_sqrt_dim`. */
  contrib: {
    /** `sym.contrib.arange_like(data, start=0, step=1, repeat=1, axis=None)`. */
    arange_like: define({
      op: '_contrib_arange_like',
      fn: 'arange_like',
      inputs: ['data'],
      params: ['start', 'step', 'repeat', 'ctx', 'axis'],
    }),
    /** `sym.contrib.div_sqrt_dim(data)`: data / sqrt(its last dimension). */
    div_sqrt_dim: unary('_contrib_div_sqrt_dim', 'div_sqrt_dim'),
  },
};

function binary(op: string): SymbolOp {
  return define({ op, fn: op, inputs: ['lhs', 'rhs'], params: [] });
}

bindSymbolMethods(sym);

/** The type of `mx.sym`. */
export type Sym = typeof sym;
