// Fused recurrent layers RNN, LSTM, GRU (rnn_layer.py): multi-layer, bidirectional, LSTM
// projection and state clipping, valid lengths; computed by the fused wasm kernel.

import { isRecording, isTraining } from '../../autograd/tape.js';
import { FusedRnnKernel, type FusedRnnSpec, type RnnMode } from '../../backend/rnn.js';
import type { InitLike } from '../../init/initializer.js';
import { NDArray, ndarrayOver, shapeStr } from '../../ndarray/ndarray.js';
import { MxSymbol } from '../../symbol/symbol.js';
import { traceBlock } from '../../symbol/trace.js';
import { describe } from '../../util/describe.js';
import { AssertionError, ValueError } from '../../util/errors.js';
import { checkDtype, type Float32, type PositionalArgs, parseArgs, pyFloat } from '../../util/options.js';
import { type BlockOptions, className, HybridBlock } from '../block.js';
import type { Parameter, ParameterDict } from '../parameter.js';
import {
  type BeginStateArgs,
  hasShape,
  makeStates,
  parseBeginState,
  type StateInfo,
  StateShapes,
} from './base_cell.js';
import { GRUCell, LSTMCell, RNNCell } from './basic_cells.js';
import { BidirectionalCell, HybridSequentialRNNCell } from './container_cells.js';
import { KernelCache } from './kernel_cache.js';
import { DropoutCell } from './modifier_cells.js';
import { RecurrentStream, type RecurrentStreamOptions } from './recurrent_stream.js';
import { fusedForwardOps } from './rnn_layer_ops.js';
import { fusedForwardTrain, fusedTrainSupported, TrainerSlot } from './rnn_layer_train.js';
import { checkLayout, type Layout } from './sequence.js';

/** Options every fused layer (RNN, LSTM, GRU) takes; `prefix`, `params` and `useSequenceLength` only here. */
export interface RNNLayerOptions extends BlockOptions {
  /** Number of hidden units (required: positionally or here). */
  hiddenSize?: number;
  /** Number of stacked layers (default 1). */
  numLayers?: number;
  /** 'TNC' (default) or 'NTC'. */
  layout?: Layout;
  /** Dropout between layers, in [0, 1] (training mode only, as MXNet's native kernel applies it). */
  dropout?: number;
  /** Run a second, reversed direction and concatenate both outputs (default false). */
  bidirectional?: boolean;
  /** Input features; 0 infers them from the first input. */
  inputSize?: number;
  /** Initializer of the input-to-hidden weights (default: the one given to `initialize`). */
  i2hWeightInitializer?: InitLike | null;
  /** Initializer of the hidden-to-hidden weights (default: the one given to `initialize`). */
  h2hWeightInitializer?: InitLike | null;
  /** Initializer of the input-to-hidden bias (default 'zeros'). */
  i2hBiasInitializer?: InitLike;
  /** Initializer of the hidden-to-hidden bias (default 'zeros'). */
  h2hBiasInitializer?: InitLike;
  /** Only 'float32'. */
  dtype?: Float32;
  /** `forward(inputs, states, sequenceLength)` takes per-sample valid lengths (cuDNN's semantics). */
  useSequenceLength?: boolean;
}

/** Options of {@link RNN}. */
export interface RNNOptions extends RNNLayerOptions {
  /** 'relu' (default) or 'tanh'. */
  activation?: 'relu' | 'tanh';
}

/** Options of {@link LSTM}. */
export interface LSTMOptions extends RNNLayerOptions {
  /** With a size P, the output and h are projected to P (LSTMP); null for none. */
  projectionSize?: number | null;
  /** Initializer of the projection weights (default: the one given to `initialize`). */
  h2rWeightInitializer?: InitLike | null;
  /** Lower bound of the cell state (with stateClipMax). */
  stateClipMin?: number | null;
  /** Upper bound of the cell state (with stateClipMin). */
  stateClipMax?: number | null;
  /** Clamp NaN cell states too. */
  stateClipNan?: boolean;
}

/** Options of {@link GRU} (those of every fused layer). */
export interface GRUOptions extends RNNLayerOptions {}

interface LayerArgs {
  hiddenSize: number;
  numLayers: number;
  activation: string;
  layout: Layout;
  dropout: number;
  bidirectional: boolean;
  inputSize: number;
  i2hWeightInitializer: InitLike | null;
  h2hWeightInitializer: InitLike | null;
  i2hBiasInitializer: InitLike;
  h2hBiasInitializer: InitLike;
  projectionSize: number | null;
  h2rWeightInitializer: InitLike | null;
  stateClipMin: number | null;
  stateClipMax: number | null;
  stateClipNan: boolean;
  dtype: Float32;
  prefix: string | null;
  params: ParameterDict | null;
  useSequenceLength: boolean;
}

const LAYER_DEFAULTS: Partial<LayerArgs> = {
  numLayers: 1,
  activation: 'relu',
  layout: 'TNC',
  dropout: 0,
  bidirectional: false,
  inputSize: 0,
  i2hWeightInitializer: null,
  h2hWeightInitializer: null,
  i2hBiasInitializer: 'zeros',
  h2hBiasInitializer: 'zeros',
  projectionSize: null,
  h2rWeightInitializer: null,
  stateClipMin: null,
  stateClipMax: null,
  stateClipNan: false,
  dtype: 'float32',
  prefix: null,
  params: null,
  useSequenceLength: false,
};
const INITIALIZERS = [
  'i2hWeightInitializer',
  'h2hWeightInitializer',
  'i2hBiasInitializer',
  'h2hBiasInitializer',
] as const;
/** LSTM's and GRU's first positional parameters (RNN has `activation` second and `inputSize` later). */
const LSTM_GRU_HEAD = [
  'hiddenSize',
  'numLayers',
  'layout',
  'dropout',
  'bidirectional',
  'inputSize',
  ...INITIALIZERS,
] as const;

/** Parses a layer's arguments: its Python parameters `positional`, then prefix, params, useSequenceLength. */
function parseLayerArgs(where: string, args: unknown[], positional: readonly (keyof LayerArgs)[]): LayerArgs {
  const names = [...positional, 'prefix', 'params', 'useSequenceLength'] as const;
  return parseArgs<LayerArgs>(where, args, names, LAYER_DEFAULTS, ['hiddenSize']);
}

const GATES: Record<RnnMode, number> = { rnn_relu: 1, rnn_tanh: 1, lstm: 4, gru: 3 };
const PARAM_RE = /^(l|r)(\d)_(i2h|h2h|h2r)_(weight|bias)$/;

/** The most layers (times directions) a layer builds: see the constructor. */
const MAX_STACKED_LAYERS = 2 ** 16;

/**
 * Shared implementation of RNN, LSTM and GRU (Python `_RNNLayer`).
 * In training mode, `dropout` acts on every layer's output but the last (as MXNet's native and
 * cuDNN kernels; the oneDNN kernel ignores it). Gluon note: its masks come from
 * `mx.random.seed`'s generator, not MXNet's bits.
 */
export class _RNNLayer extends HybridBlock {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = '_RNNLayer';
  [name: `${'l' | 'r'}${number}_${string}`]: Parameter;
  /**
   * Layer 0's input-to-hidden weight (forward direction; `r0_...` is the backward one). Layer
   * 0's parameters always exist (typed for convenience; the others via the index signature).
   */
  declare l0_i2h_weight: Parameter;
  /** Layer 0's hidden-to-hidden weight. */
  declare l0_h2h_weight: Parameter;
  /** Layer 0's input-to-hidden bias. */
  declare l0_i2h_bias: Parameter;
  /** Layer 0's hidden-to-hidden bias. */
  declare l0_h2h_bias: Parameter;
  protected readonly _mode: RnnMode;
  protected readonly _hiddenSize: number;
  protected readonly _numLayers: number;
  protected readonly _layout: string;
  protected readonly _dropout: number;
  protected readonly _dir: number;
  protected readonly _inputSize: number;
  protected readonly _projectionSize: number | null;
  protected readonly _clip: FusedRnnSpec['clip'];
  protected readonly _useSequenceLength: boolean;
  private readonly _inits: [InitLike | null, InitLike | null, InitLike, InitLike];
  private readonly _kernel = new KernelCache<FusedRnnKernel>();
  private readonly _trainer = new TrainerSlot();
  private readonly _stateShapes = new StateShapes();

  constructor(where: string, o: LayerArgs, mode: RnnMode) {
    for (const k of ['hiddenSize', 'numLayers'] as const) {
      if (!Number.isInteger(o[k]) || o[k] <= 0)
        throw new RangeError(`${where}: ${k} must be a positive integer, got ${describe(o[k])}`);
    }
    // Gluon note: MXNet builds any number of layers, four Parameters per layer and direction;
    // 2^16 take 2.6 s and 260 MB of heap here, so more (which would hang) are refused.
    if (o.numLayers * (o.bidirectional ? 2 : 1) > MAX_STACKED_LAYERS)
      throw new RangeError(
        `${where}: numLayers times directions must be at most ${MAX_STACKED_LAYERS}, got ${describe(o.numLayers)} x ${o.bidirectional ? 2 : 1}`,
      );
    if (!Number.isInteger(o.inputSize) || o.inputSize < 0)
      throw new RangeError(`${where}: inputSize must be a non-negative integer, got ${describe(o.inputSize)}`);
    checkLayout(where, o.layout);
    if (typeof o.dropout !== 'number' || !(o.dropout >= 0 && o.dropout <= 1))
      throw new RangeError(`${where}: dropout must be a number in [0, 1], got ${describe(o.dropout)}`);
    checkDtype(where, o.dtype);
    // MXNet tests `if projection_size` (python/mxnet/gluon/rnn/rnn_layer.py): 0 means none.
    const proj =
      o.projectionSize === null || o.projectionSize === undefined || o.projectionSize === 0 ? null : o.projectionSize;
    if (proj !== null && (!Number.isInteger(proj) || proj <= 0))
      throw new RangeError(`${where}: projectionSize must be a positive integer, got ${describe(proj)}`);
    let clip: FusedRnnSpec['clip'] = null;
    if (o.stateClipMin !== null || o.stateClipMax !== null) {
      if (typeof o.stateClipMin !== 'number' || typeof o.stateClipMax !== 'number') {
        throw new ValueError(
          `${where}: state clipping needs both stateClipMin and stateClipMax, got ${describe(o.stateClipMin)} and ${String(o.stateClipMax)}`,
        );
      }
      if (Number.isNaN(o.stateClipMin) || Number.isNaN(o.stateClipMax))
        throw new ValueError(
          `${where}: stateClipMin and stateClipMax must be numbers, got ${o.stateClipMin} and ${o.stateClipMax}`,
        );
      if (o.stateClipMax < o.stateClipMin)
        throw new ValueError(`${where}: stateClipMax (${o.stateClipMax}) must be >= stateClipMin (${o.stateClipMin})`);
      clip = { min: o.stateClipMin, max: o.stateClipMax, nan: !!o.stateClipNan };
    }
    super({ prefix: o.prefix, params: o.params });
    this._mode = mode;
    this._hiddenSize = o.hiddenSize;
    this._numLayers = o.numLayers;
    this._layout = o.layout;
    this._dropout = o.dropout;
    this._dir = o.bidirectional ? 2 : 1;
    this._inputSize = o.inputSize;
    this._projectionSize = proj;
    this._clip = clip;
    this._useSequenceLength = !!o.useSequenceLength;
    this._inits = [o.i2hWeightInitializer, o.h2hWeightInitializer, o.i2hBiasInitializer, o.h2hBiasInitializer];
    const ng = GATES[mode];
    const nh = o.hiddenSize;
    let ni = o.inputSize;
    for (let i = 0; i < o.numLayers; i++) {
      for (const j of ['l', 'r'].slice(0, this._dir)) {
        this._registerParam(`${j}${i}_i2h_weight`, [ng * nh, ni], o.i2hWeightInitializer, o.dtype);
        this._registerParam(`${j}${i}_h2h_weight`, [ng * nh, proj ?? nh], o.h2hWeightInitializer, o.dtype);
        this._registerParam(`${j}${i}_i2h_bias`, [ng * nh], o.i2hBiasInitializer, o.dtype);
        this._registerParam(`${j}${i}_h2h_bias`, [ng * nh], o.h2hBiasInitializer, o.dtype);
        if (proj !== null) this._registerParam(`${j}${i}_h2r_weight`, [proj, nh], o.h2rWeightInitializer, o.dtype);
      }
      ni = (proj ?? nh) * this._dir;
    }
  }

  private _registerParam(name: string, shape: number[], init: InitLike | null, dtype: Float32): void {
    (this as unknown as Record<string, Parameter>)[name] = this.params.get(name, {
      shape,
      init,
      allowDeferredInit: true,
      dtype,
    });
  }

  private _param(name: string): Parameter {
    return (this as unknown as Record<string, Parameter>)[name] as Parameter;
  }

  /** The groups of `_paramGroups`, made once (the parameters of a layer never change). */
  private _groupsCache: Parameter[][] | null = null;
  private _allParams: Parameter[] | null = null;

  /** Per (layer, direction), in the kernel's order layer*D + dir: [i2h_w, h2h_w, i2h_b, h2h_b, h2r_w?]. */
  private _paramGroups(): Parameter[][] {
    if (this._groupsCache !== null) return this._groupsCache;
    const out: Parameter[][] = [];
    for (let i = 0; i < this._numLayers; i++) {
      for (const j of ['l', 'r'].slice(0, this._dir)) {
        const names = [
          'i2h_weight',
          'h2h_weight',
          'i2h_bias',
          'h2h_bias',
          ...(this._projectionSize !== null ? ['h2r_weight'] : []),
        ];
        out.push(names.map((n) => this._param(`${j}${i}_${n}`)));
      }
    }
    this._groupsCache = out;
    return out;
  }

  /** Shapes of the begin states: [h] (RNN, GRU) or [h, c] (LSTM; h is P wide with projection). */
  stateInfo(batchSize = 0): StateInfo[] {
    const LD = this._numLayers * this._dir;
    const h = { shape: [LD, batchSize, this._projectionSize ?? this._hiddenSize], __layout__: 'LNC', dtype: 'float32' };
    if (this._mode !== 'lstm') return [h];
    return [h, { shape: [LD, batchSize, this._hiddenSize], __layout__: 'LNC', dtype: 'float32' }];
  }

  /** `beginState(batchSize=0, { func: nd.zeros, ...kwargs })`. */
  beginState(...args: BeginStateArgs): NDArray[];
  beginState(...args: unknown[]): NDArray[] {
    const { batchSize, func, kwargs } = parseBeginState(`${className(this)}.beginState`, args);
    const infos = this.stateInfo(batchSize);
    return makeStates(
      infos,
      func,
      kwargs,
      infos.map((_s, i) => `${this.prefix}h0_${i}`),
    );
  }

  override _inferShape(x: NDArray): void {
    const C = x.shape[2] as number;
    for (const j of ['l', 'r'].slice(0, this._dir)) {
      const p = this._param(`${j}0_i2h_weight`);
      p.shape = [p.shape[0] as number, C];
    }
  }

  /**
   * `forward(inputs, states?, sequenceLength?)`: without states returns the output alone;
   * with states returns `[output, newStates]`. `sequenceLength` needs `useSequenceLength: true`.
   */
  override forward(inputs: NDArray, states?: null, sequenceLength?: NDArray | null): NDArray;
  override forward(inputs: NDArray, states: NDArray | NDArray[], sequenceLength?: NDArray | null): [NDArray, NDArray[]];
  override forward(inputs: unknown, states?: unknown, sequenceLength?: unknown): NDArray | [NDArray, NDArray[]] {
    // Symbols trace the layer into MXNet's fused RNN op (HybridBlock.export; ts/gluon/symbolic_layers.ts).
    if (inputs instanceof MxSymbol) return traceBlock(this, inputs, [states, sequenceLength]) as NDArray;
    const name = className(this);
    if (!(inputs instanceof NDArray))
      throw new TypeError(`${name}.forward: inputs must be an NDArray, got ${describe(inputs)}`);
    if (inputs.ndim !== 3)
      throw new RangeError(`${name}.forward: inputs must be 3-d (${this._layout}), got ${shapeStr(inputs.shape)}`);
    const T = inputs.shape[this._layout.indexOf('T')] as number;
    const N = inputs.shape[this._layout.indexOf('N')] as number;
    const C = inputs.shape[2] as number;
    const skipStates = states === undefined || states === null;
    // Without states the kernel starts from zeros itself: no begin-state arrays to make and copy.
    const st: NDArray[] = skipStates ? [] : states instanceof NDArray ? [states] : (states as NDArray[]);
    if (!Array.isArray(st) || !st.every((s) => s instanceof NDArray)) {
      throw new TypeError(
        `${name}.forward: states must be an NDArray or an array of NDArrays, got ${describe(states)}`,
      );
    }
    let vl: Float32Array | null = null;
    if (this._useSequenceLength) {
      if (!(sequenceLength instanceof NDArray)) {
        throw new TypeError(
          `${name}.forward: useSequenceLength is true, so sequenceLength (an NDArray of ${N} lengths) is required, got ${describe(sequenceLength)}`,
        );
      }
      if (sequenceLength.size !== N)
        throw new RangeError(
          `${name}.forward: sequenceLength ${shapeStr(sequenceLength.shape)} must have ${N} entries`,
        );
      vl = new Float32Array(N);
      for (let b = 0; b < N; b++) {
        const v = Math.trunc(sequenceLength.data[b] as number);
        if (!(v >= 1 && v <= T))
          throw new RangeError(
            `${name}.forward: sequenceLength[${b}] = ${String(sequenceLength.data[b])} must be in [1, ${T}]`,
          );
        vl[b] = v;
      }
    } else if (sequenceLength !== undefined && sequenceLength !== null) {
      throw new TypeError(
        `${name}.forward: sequenceLength was given but the layer was built without useSequenceLength: true`,
      );
    }
    const shapes = this._stateShapes.get(this, N);
    if (!skipStates && st.length !== shapes.length)
      throw new ValueError(`${name}.forward: expected ${shapes.length} state array(s), got ${st.length}`);
    for (let i = 0; i < st.length; i++) {
      const s = st[i] as NDArray;
      const want = shapes[i] as readonly number[];
      if (!hasShape(s, want)) {
        throw new ValueError(`Invalid recurrent state shape. Expecting ${shapeStr(want)}, got ${shapeStr(s.shape)}.`);
      }
    }
    const { groups, spec } = this._prepare(inputs);
    if (C !== spec.inputSize) {
      throw new RangeError(
        `${name}.forward: inputs ${shapeStr(inputs.shape)} have ${C} features but l0_i2h_weight expects ${spec.inputSize}`,
      );
    }
    // Under autograd.record() the fused training kernel (rnn_layer_train.ts) records the layer as
    // one node with a wasm backward; state_clip_nan (no backward), and training mode with
    // inter-layer dropout outside a recording, run on differentiable nd operators
    // (rnn_layer_ops.ts); everything else on the fused inference kernel.
    if (isRecording() && fusedTrainSupported(spec)) {
      const r = fusedForwardTrain(
        spec,
        this._trainer,
        groups.map((g) => g.map((p) => p._live())),
        {
          inputs,
          layout: this._layout as 'TNC' | 'NTC',
          T,
          N,
          states: st,
          validLength: vl,
          dropout: this._dropout,
          training: isTraining(),
        },
      );
      return skipStates ? r.out : [r.out, r.cn === null ? [r.hn] : [r.hn, r.cn]];
    }
    if (isRecording() || (isTraining() && this._dropout > 0)) {
      const r = fusedForwardOps(
        spec,
        groups.map((g) => g.map((p) => p._live())),
        {
          inputs,
          layout: this._layout as 'TNC' | 'NTC',
          states: st,
          sequenceLength: vl === null ? null : (sequenceLength as NDArray),
          dropout: this._dropout,
        },
      );
      return skipStates ? r.out : [r.out, r.cn === null ? [r.hn] : [r.hn, r.cn]];
    }
    const r = this._inference(groups, spec).forward(
      inputs.data,
      this._layout as 'TNC' | 'NTC',
      T,
      N,
      st[0] ? st[0].data : null,
      st[1] ? st[1].data : null,
      vl,
    );
    const outC = this._dir * (this._projectionSize ?? this._hiddenSize);
    const out = ndarrayOver(r.out, this._layout === 'TNC' ? [T, N, outC] : [N, T, outC]);
    if (skipStates) return out;
    // The state shapes are kept between calls: each array gets a copy of its own.
    const newStates = [ndarrayOver(r.hn, (shapes[0] as readonly number[]).slice())];
    if (r.cn !== null) newStates.push(ndarrayOver(r.cn, (shapes[1] as readonly number[]).slice()));
    return [out, newStates];
  }

  /**
   * Deferred shapes filled from `inputs` (a function of them: called only then), then the
   * parameter groups and the kernel spec (its `inputSize` is what the inputs must have).
   */
  private _prepare(inputs: NDArray | (() => NDArray)): { groups: Parameter[][]; spec: FusedRnnSpec } {
    const groups = this._paramGroups();
    const all = this._allParams ?? groups.flat();
    this._allParams = all;
    if (this._anyDeferred(all)) this._inferDeferred(typeof inputs === 'function' ? inputs() : inputs, []);
    return { groups, spec: this._spec((groups[0] as Parameter[])[0]!._dim(1)) };
  }

  /** The packed inference kernel of the current parameter values (rebuilt when one changed). */
  private _inference(groups: Parameter[][], spec: FusedRnnSpec): FusedRnnKernel {
    // Everything else in the kernel's spec is fixed at construction; the input size may only
    // change once, when a deferred shape is filled, so it is the whole cache key.
    return this._kernel.get(this._allParams as Parameter[], String(spec.inputSize), () => {
      return new FusedRnnKernel(
        spec,
        groups.map((g) => g.map((p) => p._live().data)),
      );
    });
  }

  /**
   * @internal One token of `N` rows of `C` features on the inference kernel (a
   * {@link RecurrentStream}'s step) into `into` (`[output | h | c]`): deferred shapes are filled
   * from `x`; refused where `forward` would not run this kernel (under `autograd.record()`,
   * dropout in training mode).
   */
  _streamStep(where: string, x: Float32Array, N: number, C: number, states: Float32Array, into: Float32Array): void {
    if (isRecording() || (isTraining() && this._dropout > 0)) {
      throw new Error(
        `${where}: a stream runs the inference kernel only (no autograd record, no dropout); got ${
          isRecording() ? 'autograd.record()' : `training mode with dropout ${this._dropout}`
        }: use forward`,
      );
    }
    const { groups, spec } = this._prepare(() => new NDArray(x, [1, N, C]));
    if (C !== spec.inputSize) {
      throw new RangeError(
        `${where}: x has ${C} features per row (${x.length} values, ${N} rows) but l0_i2h_weight expects ${spec.inputSize}`,
      );
    }
    this._inference(groups, spec).step(x, N, states, into);
  }

  /** @internal One token of N rows: (N, C), or (1, N, C) / (N, 1, C), the same values in the same order. */
  _streamInput(shape: readonly number[], N: number): string | null {
    const [a, b] = shape;
    const ok =
      (shape.length === 2 && a === N) || (shape.length === 3 && ((a === 1 && b === N) || (a === N && b === 1)));
    return ok ? null : `(${N}, C), (1, ${N}, C) or (${N}, 1, C)`;
  }

  /** @internal A stream's output: N rows of D * P, before the states. */
  _streamOutput(N: number): { size: number; inStates: boolean } {
    return { size: N * (this._projectionSize ?? this._hiddenSize), inStates: false };
  }

  /**
   * Token by token without the per-call arrays of `forward` (an addition to Gluon): a
   * {@link RecurrentStream} keeps the states of `batchSize` rows between calls and writes each
   * token's output into a caller's array, from `step(x, out?)`. Same results as `forward` with
   * T = 1 and the states fed back, to the bit. Not for bidirectional layers (their reverse
   * direction needs the whole sequence).
   */
  stream(options: RecurrentStreamOptions = {}): RecurrentStream {
    return new RecurrentStream(this, options);
  }

  /** @internal Throws for a layer that cannot run token by token (a bidirectional one). */
  _assertStreamable(where: string): void {
    if (this._dir === 2) {
      throw new Error(
        `${where}: a bidirectional layer cannot run token by token (its reverse direction needs the whole sequence): use forward`,
      );
    }
  }

  /** The kernel spec for input size `inSize` (made once: a token-by-token caller calls often). */
  private _specCache: FusedRnnSpec | null = null;
  private _spec(inSize: number): FusedRnnSpec {
    if (this._specCache?.inputSize !== inSize) {
      this._specCache = {
        mode: this._mode,
        hidden: this._hiddenSize,
        numLayers: this._numLayers,
        bidirectional: this._dir === 2,
        inputSize: inSize,
        projection: this._projectionSize,
        clip: this._clip,
      };
    }
    return this._specCache;
  }

  protected override _disposeKernels(): void {
    this._kernel.dispose();
    this._trainer.dispose();
  }

  /**
   * @internal The equivalent stack of cells (`_unfuse`), sharing this layer's Parameters:
   * HybridSequentialRNNCell of cells 'l{i}_' (BidirectionalCell of 'l{i}_'/'r{i}_' when
   * bidirectional), with DropoutCells between layers when dropout > 0.
   */
  _unfuse(): HybridSequentialRNNCell {
    if (this._projectionSize !== null) throw new AssertionError('_unfuse does not support projection layer yet!');
    if (this._clip !== null) throw new AssertionError('_unfuse does not support state clipping yet!');
    const H = this._hiddenSize;
    const [i2hW, h2hW, i2hB, h2hB] = this._inits;
    const make = (prefix: string, inputSize: number) => {
      const kw = {
        inputSize,
        i2hWeightInitializer: i2hW,
        h2hWeightInitializer: h2hW,
        i2hBiasInitializer: i2hB,
        h2hBiasInitializer: h2hB,
        prefix,
      };
      switch (this._mode) {
        case 'rnn_relu':
          return new RNNCell(H, { activation: 'relu', ...kw });
        case 'rnn_tanh':
          return new RNNCell(H, { activation: 'tanh', ...kw });
        case 'lstm':
          return new LSTMCell(H, kw);
        default:
          return new GRUCell(H, kw);
      }
    };
    const stack = new HybridSequentialRNNCell({ prefix: this.prefix, params: this.params });
    stack.nameScope(() => {
      let ni = this._inputSize;
      for (let i = 0; i < this._numLayers; i++) {
        if (this._dir === 2) stack.add(new BidirectionalCell(make(`l${i}_`, ni), make(`r${i}_`, ni)));
        else stack.add(make(`l${i}_`, ni));
        if (this._dropout > 0 && i !== this._numLayers - 1) stack.add(new DropoutCell(this._dropout));
        ni = H * this._dir;
      }
    });
    return stack;
  }

  /**
   * Structural names in the pre-1.3 unfused layout (`_unfused.{layer}.[l_cell.|r_cell.]i2h_weight`),
   * the keys MXNet's save_parameters writes for fused layers (spec §8.12).
   * Gluon note: MXNet's regex reads one layer digit and crashes for 11+ layers; this throws.
   */
  override _collectParamsWithPrefix(prefix = ''): Map<string, Parameter> {
    const pre = prefix ? `${prefix}.` : '';
    const reg = this._regParams;
    const matches = [...reg.keys()].map((k) => {
      const m = PARAM_RE.exec(k);
      if (m === null)
        throw new Error(
          `${className(this)}: parameter '${k}' has no MXNet file name (MXNet supports at most 10 layers here)`,
        );
      return m;
    });
    const bi = matches.some((m) => m[1] === 'r');
    const ret = new Map<string, Parameter>();
    [...reg.values()].forEach((p, i) => {
      const [, d, l, g, t] = matches[i] as RegExpExecArray;
      ret.set(pre + (bi ? `_unfused.${l}.${d}_cell.${g}_${t}` : `_unfused.${l}.${g}_${t}`), p);
    });
    for (const [name, child] of this._children)
      for (const [k, v] of child._collectParamsWithPrefix(pre + name)) ret.set(k, v);
    return ret;
  }

  override toString(): string {
    const shape = this._param('l0_i2h_weight').shape;
    let s = `${className(this)}(${shape[1] ? shape[1] : 'None'} -> ${Math.floor((shape[0] as number) / GATES[this._mode])}, ${this._layout}`;
    if (this._numLayers !== 1) s += `, num_layers=${this._numLayers}`;
    if (this._dropout !== 0) s += `, dropout=${pyFloat(this._dropout)}`;
    if (this._dir === 2) s += ', bidirectional';
    return `${s})`;
  }
}

/**
 * `RNN(hiddenSize, numLayers=1, activation='relu', layout='TNC', dropout=0, bidirectional=false,
 * i2hWeightInitializer=null, h2hWeightInitializer=null, i2hBiasInitializer='zeros',
 * h2hBiasInitializer='zeros', inputSize=0, dtype='float32', { prefix, params, useSequenceLength })`.
 */
export class RNN extends _RNNLayer {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'RNN';
  constructor(
    ...args:
      | PositionalArgs<
          [hiddenSize: number],
          [
            numLayers: number,
            activation: 'relu' | 'tanh',
            layout: Layout,
            dropout: number,
            bidirectional: boolean,
            i2hWeightInitializer: InitLike | null,
            h2hWeightInitializer: InitLike | null,
            i2hBiasInitializer: InitLike,
            h2hBiasInitializer: InitLike,
            inputSize: number,
            dtype: Float32,
          ],
          RNNOptions
        >
      | [options: RNNOptions & { hiddenSize: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseLayerArgs('RNN', args, [
      'hiddenSize',
      'numLayers',
      'activation',
      'layout',
      'dropout',
      'bidirectional',
      ...INITIALIZERS,
      'inputSize',
      'dtype',
    ]);
    if (o.activation !== 'relu' && o.activation !== 'tanh')
      throw new RangeError(`RNN: activation must be 'relu' or 'tanh', got ${describe(o.activation)}`);
    super('RNN', o, o.activation === 'relu' ? 'rnn_relu' : 'rnn_tanh');
  }
  protected override _alias(): string {
    return 'rnn';
  }
}

/**
 * `LSTM(hiddenSize, numLayers=1, layout='TNC', dropout=0, bidirectional=false, inputSize=0,
 * i2hWeightInitializer=null, h2hWeightInitializer=null, i2hBiasInitializer='zeros',
 * h2hBiasInitializer='zeros', projectionSize=null, h2rWeightInitializer=null, stateClipMin=null,
 * stateClipMax=null, stateClipNan=false, dtype='float32', { prefix, params, useSequenceLength })`.
 * Gluon note: state clipping follows cuDNN (c clamped to [min, max] after each update, NaN
 * clamped too when stateClipNan); MXNet's CPU operator refuses it. `useSequenceLength` works
 * on this CPU port with cuDNN's semantics (MXNet's CPU operator refuses it).
 */
export class LSTM extends _RNNLayer {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'LSTM';
  constructor(
    ...args:
      | PositionalArgs<
          [hiddenSize: number],
          [
            numLayers: number,
            layout: Layout,
            dropout: number,
            bidirectional: boolean,
            inputSize: number,
            i2hWeightInitializer: InitLike | null,
            h2hWeightInitializer: InitLike | null,
            i2hBiasInitializer: InitLike,
            h2hBiasInitializer: InitLike,
            projectionSize: number | null,
            h2rWeightInitializer: InitLike | null,
            stateClipMin: number | null,
            stateClipMax: number | null,
            stateClipNan: boolean,
            dtype: Float32,
          ],
          LSTMOptions
        >
      | [options: LSTMOptions & { hiddenSize: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseLayerArgs('LSTM', args, [
      ...LSTM_GRU_HEAD,
      'projectionSize',
      'h2rWeightInitializer',
      'stateClipMin',
      'stateClipMax',
      'stateClipNan',
      'dtype',
    ]);
    super('LSTM', o, 'lstm');
  }
  protected override _alias(): string {
    return 'lstm';
  }
}

/**
 * `GRU(hiddenSize, numLayers=1, layout='TNC', dropout=0, bidirectional=false, inputSize=0,
 * i2hWeightInitializer=null, h2hWeightInitializer=null, i2hBiasInitializer='zeros',
 * h2hBiasInitializer='zeros', dtype='float32', { prefix, params, useSequenceLength })`.
 */
export class GRU extends _RNNLayer {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'GRU';
  constructor(
    ...args:
      | PositionalArgs<
          [hiddenSize: number],
          [
            numLayers: number,
            layout: Layout,
            dropout: number,
            bidirectional: boolean,
            inputSize: number,
            i2hWeightInitializer: InitLike | null,
            h2hWeightInitializer: InitLike | null,
            i2hBiasInitializer: InitLike,
            h2hBiasInitializer: InitLike,
            dtype: Float32,
          ],
          GRUOptions
        >
      | [options: GRUOptions & { hiddenSize: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseLayerArgs('GRU', args, [...LSTM_GRU_HEAD, 'dtype']);
    super('GRU', o, 'gru');
  }
  protected override _alias(): string {
    return 'gru';
  }
}
