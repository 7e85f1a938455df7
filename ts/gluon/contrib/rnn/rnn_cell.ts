// mx.gluon.contrib.rnn (gluon/contrib/rnn/rnn_cell.py): VariationalDropoutCell (:26-196), a
// modifier that is its base cell at inference, and LSTMPCell (:197-322), an LSTM cell whose
// output and recurrent state are the projection r = h Whr^T. An LSTMP step runs on the fused
// LSTMP kernel with T = 1, the arithmetic of `LSTM(..., { projectionSize })` (spec §8.7).

import { isRecording, isTraining } from '../../../autograd/tape.js';
import { FusedRnnKernel } from '../../../backend/rnn.js';
import type { InitLike } from '../../../init/initializer.js';
import type * as nd from '../../../ndarray/index.js';
import * as ndOps from '../../../ndarray/index.js';
import { NDArray, shapeStr } from '../../../ndarray/ndarray.js';
import { describe } from '../../../util/describe.js';
import { AssertionError } from '../../../util/errors.js';
import { type PositionalArgs, parseArgs, pyFloat } from '../../../util/options.js';
import type { BlockOptions } from '../../block.js';
import type { Parameter, ParameterDict } from '../../parameter.js';
import {
  featureSize,
  HybridRecurrentCell,
  type MergeOutputs,
  parseUnroll,
  type RecurrentCell,
  type StateInfo,
  type UnrollArgs,
  type UnrollOutputs,
} from '../../rnn/base_cell.js';
import { BidirectionalCell, SequentialRNNCell } from '../../rnn/container_cells.js';
import { KernelCache } from '../../rnn/kernel_cache.js';
import { ModifierCell } from '../../rnn/modifier_cells.js';
import { formatSequence, maskSequenceVariableLength, type Seq } from '../../rnn/sequence.js';

/** Options of `VariationalDropoutCell(baseCell, dropInputs=0, dropStates=0, dropOutputs=0)`. */
export interface VariationalDropoutCellOptions {
  /** Dropout rate of the inputs, in [0, 1] (training only). */
  dropInputs?: number;
  /** Dropout rate of the first state, in [0, 1] (training only). */
  dropStates?: number;
  /** Dropout rate of the outputs, in [0, 1] (training only). */
  dropOutputs?: number;
}

/**
 * `VariationalDropoutCell(baseCell, dropInputs=0, dropStates=0, dropOutputs=0)`: in training
 * (`autograd.record()` / `trainMode()`), one dropout mask per sequence on the inputs, the first
 * state and the outputs; at inference MXNet's masks are all ones, so the cell is its base cell.
 */
export class VariationalDropoutCell extends ModifierCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'VariationalDropoutCell';
  /** Dropout rate on the inputs (the identity at inference). */
  readonly dropInputs: number;
  /** Dropout rate on the states (the identity at inference). */
  readonly dropStates: number;
  /** Dropout rate on the outputs (the identity at inference). */
  readonly dropOutputs: number;
  private _statesMask: NDArray | null = null;
  private _inputsMask: NDArray | null = null;
  private _outputsMask: NDArray | null = null;
  constructor(
    baseCell: RecurrentCell,
    ...args: PositionalArgs<
      [],
      [dropInputs: number, dropStates: number, dropOutputs: number],
      VariationalDropoutCellOptions
    >
  );
  constructor(baseCell: RecurrentCell, ...args: unknown[]) {
    const o = parseArgs<{ dropInputs: number; dropStates: number; dropOutputs: number }>(
      'VariationalDropoutCell',
      args,
      ['dropInputs', 'dropStates', 'dropOutputs'],
      { dropInputs: 0, dropStates: 0, dropOutputs: 0 },
    );
    for (const [k, v] of Object.entries(o)) {
      // MXNet's Dropout takes p in [0, 1].
      if (typeof v !== 'number' || !(v >= 0 && v <= 1))
        throw new RangeError(`VariationalDropoutCell: ${k} must be a rate in [0, 1], got ${describe(v)}`);
    }
    if (o.dropStates && baseCell instanceof BidirectionalCell) {
      throw new AssertionError(
        "BidirectionalCell doesn't support variational state dropout. Please add VariationalDropoutCell to the cells underneath instead.",
      );
    }
    if (o.dropStates && baseCell instanceof SequentialRNNCell) {
      // Gluon note: MXNet raises AttributeError here (it reads a missing `_bidirectional`).
      throw new AssertionError(
        'VariationalDropoutCell with dropStates cannot wrap a SequentialRNNCell (MXNet 1.9.1 fails with AttributeError); wrap its cells instead.',
      );
    }
    super(baseCell, 'vardrop');
    this.dropInputs = o.dropInputs;
    this.dropStates = o.dropStates;
    this.dropOutputs = o.dropOutputs;
  }
  override hybridForward(F: typeof nd, x: NDArray, states: NDArray[]): [NDArray, NDArray[]] {
    if (!isTraining()) return this.baseCell.forward(x, states);
    // Training (contrib/rnn/rnn_cell.py hybrid_forward): one mask per sequence, drawn at its first step.
    let st = states;
    let inputs = x;
    if (this.dropStates) {
      this._statesMask ??= F.Dropout(F.onesLike(states[0] as NDArray), this.dropStates);
      st = [F.mul(states[0] as NDArray, this._statesMask), ...states.slice(1)];
    }
    if (this.dropInputs) {
      this._inputsMask ??= F.Dropout(F.onesLike(x), this.dropInputs);
      inputs = F.mul(x, this._inputsMask);
    }
    const [out, next] = this.baseCell.forward(inputs, st);
    if (!this.dropOutputs) return [out, next];
    this._outputsMask ??= F.Dropout(F.onesLike(out), this.dropOutputs);
    return [F.mul(out, this._outputsMask), next];
  }

  /** Clears the masks too: the next sequence draws new ones. */
  override reset(): void {
    super.reset();
    this._statesMask = null;
    this._inputsMask = null;
    this._outputsMask = null;
  }
  /**
   * As MXNet: with state dropout, step by step; without, the base cell's own (merged) unroll,
   * then the outputs formatted as asked and masked past the valid lengths.
   */
  override unroll<M extends MergeOutputs = undefined>(...args: UnrollArgs<M>): [UnrollOutputs<M>, NDArray[]];
  override unroll(...args: unknown[]): [Seq, NDArray[]] {
    if (this.dropStates) return super.unroll(...(args as UnrollArgs<MergeOutputs>));
    const o = parseUnroll('VariationalDropoutCell.unroll', args);
    this.reset();
    const f = formatSequence(o.length, o.inputs, o.layout, true);
    const beginState = o.beginState ?? this.beginState(f.batchSize);
    // One mask per sequence, shared along the time axis (the identity outside training).
    const ins = this.dropInputs ? ndOps.Dropout(f.inputs as NDArray, this.dropInputs, 'training', [f.axis]) : f.inputs;
    let [outputs, states] = this._withBase((base) =>
      base.unroll(o.length, ins, { beginState, layout: o.layout, mergeOutputs: true, validLength: o.validLength }),
    );
    if (this.dropOutputs) outputs = ndOps.Dropout(outputs as NDArray, this.dropOutputs, 'training', [f.axis]);
    const merge = o.mergeOutputs === null ? outputs instanceof NDArray : o.mergeOutputs;
    let outs = formatSequence(o.length, outputs, o.layout, merge).inputs;
    if (o.validLength !== null) outs = maskSequenceVariableLength(outs, o.length, o.validLength, f.axis, merge);
    return [outs, states];
  }
  override toString(): string {
    return `VariationalDropoutCell(p_out = ${pyFloat(this.dropOutputs)}, p_state = ${pyFloat(this.dropStates)})`;
  }
}

/** Options of {@link LSTMPCell}. */
export interface LSTMPCellOptions extends BlockOptions {
  /** Number of hidden units (required: positionally or here). */
  hiddenSize?: number;
  /** Size of the projection r = h Whr^T, the output (required: positionally or here). */
  projectionSize?: number;
  /** Initializer of the input-to-hidden weights (default: the one given to `initialize`). */
  i2hWeightInitializer?: InitLike | null;
  /** Initializer of the hidden-to-hidden weights (default: the one given to `initialize`). */
  h2hWeightInitializer?: InitLike | null;
  /** Initializer of the projection weights (default: the one given to `initialize`). */
  h2rWeightInitializer?: InitLike | null;
  /** Initializer of the input-to-hidden bias (default 'zeros'). */
  i2hBiasInitializer?: InitLike;
  /** Initializer of the hidden-to-hidden bias (default 'zeros'). */
  h2hBiasInitializer?: InitLike;
  /** Input features; 0 infers them from the first input. */
  inputSize?: number;
}

interface LSTMPArgs {
  hiddenSize: number;
  projectionSize: number;
  i2hWeightInitializer: InitLike | null;
  h2hWeightInitializer: InitLike | null;
  h2rWeightInitializer: InitLike | null;
  i2hBiasInitializer: InitLike;
  h2hBiasInitializer: InitLike;
  inputSize: number;
  prefix: string | null;
  params: ParameterDict | null;
}

const POSITIONAL = [
  'hiddenSize',
  'projectionSize',
  'i2hWeightInitializer',
  'h2hWeightInitializer',
  'h2rWeightInitializer',
  'i2hBiasInitializer',
  'h2hBiasInitializer',
  'inputSize',
  'prefix',
  'params',
] as const;

const DEFAULTS: Partial<LSTMPArgs> = {
  i2hWeightInitializer: null,
  h2hWeightInitializer: null,
  h2rWeightInitializer: null,
  i2hBiasInitializer: 'zeros',
  h2hBiasInitializer: 'zeros',
  inputSize: 0,
  prefix: null,
  params: null,
};

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0)
    throw new RangeError(`LSTMPCell: ${name} must be a positive integer, got ${describe(v)}`);
}

/**
 * `LSTMPCell(hiddenSize, projectionSize, i2hWeightInitializer=null, h2hWeightInitializer=null,
 * h2rWeightInitializer=null, i2hBiasInitializer='zeros', h2hBiasInitializer='zeros',
 * inputSize=0, prefix=null, params=null)`; gates [i, f, g, o]; states [r (N, P), c (N, H)];
 * the output is r.
 */
export class LSTMPCell extends HybridRecurrentCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'LSTMPCell';
  /** Input-to-hidden weight, (4*H, inputSize). */
  declare i2h_weight: Parameter;
  /** Hidden-to-hidden weight, (4*H, P): it reads the projected state. */
  declare h2h_weight: Parameter;
  /** Projection weight, (P, H): `r = h2r_weight h`. */
  declare h2r_weight: Parameter;
  /** Input-to-hidden bias, (4*H,). */
  declare i2h_bias: Parameter;
  /** Hidden-to-hidden bias, (4*H,). */
  declare h2h_bias: Parameter;
  private readonly _hiddenSize: number;
  private readonly _projectionSize: number;
  private readonly _kernel = new KernelCache<FusedRnnKernel>();

  constructor(
    ...args:
      | PositionalArgs<
          [hiddenSize: number, projectionSize: number],
          [
            i2hWeightInitializer: InitLike | null,
            h2hWeightInitializer: InitLike | null,
            h2rWeightInitializer: InitLike | null,
            i2hBiasInitializer: InitLike,
            h2hBiasInitializer: InitLike,
            inputSize: number,
            prefix: string | null,
            params: ParameterDict | null,
          ],
          LSTMPCellOptions
        >
      | [options: LSTMPCellOptions & { hiddenSize: number; projectionSize: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<LSTMPArgs>('LSTMPCell', args, POSITIONAL, DEFAULTS, ['hiddenSize', 'projectionSize']);
    positiveInt('hiddenSize', o.hiddenSize);
    positiveInt('projectionSize', o.projectionSize);
    if (!Number.isInteger(o.inputSize) || o.inputSize < 0)
      throw new RangeError(`LSTMPCell: inputSize must be a non-negative integer, got ${describe(o.inputSize)}`);
    super({ prefix: o.prefix, params: o.params });
    const [H, P] = [o.hiddenSize, o.projectionSize];
    this._hiddenSize = H;
    this._projectionSize = P;
    const get = (name: string, shape: number[], init: InitLike | null) =>
      this.params.get(name, { shape, init, allowDeferredInit: true });
    this.i2h_weight = get('i2h_weight', [4 * H, o.inputSize], o.i2hWeightInitializer);
    this.h2h_weight = get('h2h_weight', [4 * H, P], o.h2hWeightInitializer);
    this.h2r_weight = get('h2r_weight', [P, H], o.h2rWeightInitializer);
    this.i2h_bias = get('i2h_bias', [4 * H], o.i2hBiasInitializer);
    this.h2h_bias = get('h2h_bias', [4 * H], o.h2hBiasInitializer);
  }

  protected override _alias(): string {
    return 'lstmp';
  }

  /** [r (N, P), c (N, H)]. */
  override stateInfo(batchSize = 0): StateInfo[] {
    return [
      { shape: [batchSize, this._projectionSize], __layout__: 'NC' },
      { shape: [batchSize, this._hiddenSize], __layout__: 'NC' },
    ];
  }

  override _inferShape(x: NDArray): void {
    this.i2h_weight.shape = [4 * this._hiddenSize, featureSize(x)];
  }

  override hybridForward(
    F: typeof nd,
    x: NDArray,
    states: NDArray[],
    params: Record<string, NDArray>,
  ): [NDArray, NDArray[]] {
    const N = this._checkStepStates(x, states);
    const inputSize = this.i2h_weight.shape[1] as number;
    if (featureSize(x) !== inputSize)
      throw new RangeError(
        `LSTMPCell: input must have ${inputSize} features per sample, got shape ${shapeStr(x.shape)}`,
      );
    if (isRecording()) {
      // Under autograd.record(): LSTMPCell.hybrid_forward of contrib/rnn/rnn_cell.py on nd operators.
      const H = this._hiddenSize;
      const gates = F.add(
        F.FullyConnected(x, params.i2h_weight as NDArray, params.i2h_bias as NDArray, 4 * H),
        F.FullyConnected(states[0] as NDArray, params.h2h_weight as NDArray, params.h2h_bias as NDArray, 4 * H),
      );
      const [gi, gf, gg, go] = F.split(gates, 4, { axis: 1 }) as [NDArray, NDArray, NDArray, NDArray];
      const c = F.add(F.mul(F.sigmoid(gf), states[1] as NDArray), F.mul(F.sigmoid(gi), F.tanh(gg)));
      const hidden = F.mul(F.sigmoid(go), F.tanh(c));
      const r = F.FullyConnected(hidden, params.h2r_weight as NDArray, null, {
        numHidden: this._projectionSize,
        noBias: true,
      });
      return [r, [r, c]];
    }
    const ps = [this.i2h_weight, this.h2h_weight, this.i2h_bias, this.h2h_bias, this.h2r_weight];
    const k = this._kernel.get(
      ps,
      String(inputSize),
      () =>
        new FusedRnnKernel(
          {
            mode: 'lstm',
            hidden: this._hiddenSize,
            numLayers: 1,
            bidirectional: false,
            inputSize,
            projection: this._projectionSize,
            clip: null,
          },
          [['i2h_weight', 'h2h_weight', 'i2h_bias', 'h2h_bias', 'h2r_weight'].map((n) => (params[n] as NDArray).data)],
        ),
    );
    const [r0, c0] = states as [NDArray, NDArray];
    const y = k.forward(x.data, 'TNC', 1, N, r0.data, c0.data, null);
    const r = new NDArray(y.hn, [N, this._projectionSize]);
    return [r, [r, new NDArray(y.cn as Float32Array, [N, this._hiddenSize])]];
  }

  protected override _disposeKernels(): void {
    this._kernel.dispose();
  }

  override toString(): string {
    const i = this.i2h_weight.shape[1];
    return `LSTMPCell(${i ? i : 'None'} -> ${String(this.i2h_weight.shape[0])} -> ${String(this.h2r_weight.shape[0])})`;
  }
}
