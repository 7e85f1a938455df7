// RNNCell, LSTMCell, GRUCell (rnn_cell.py:327-679). The default activations run on the
// per-step wasm kernel (CellKernel); custom activations run on nd operators.

import { isRecording } from '../../autograd/tape.js';
import { CellKernel, type RnnMode } from '../../backend/rnn.js';
import type { InitLike } from '../../init/initializer.js';
import type * as nd from '../../ndarray/index.js';
import { NDArray, ndarrayOver, shapeStr } from '../../ndarray/ndarray.js';
import { ACTIVATIONS, type ActType } from '../../ndarray/ops.js';
import { describe } from '../../util/describe.js';
import { type PositionalArgs, parseArgs } from '../../util/options.js';
import type { BlockOptions } from '../block.js';
import type { Parameter, ParameterDict } from '../parameter.js';
import { featureSize, HybridRecurrentCell, type StateInfo } from './base_cell.js';
import { KernelCache } from './kernel_cache.js';
import { RecurrentStream, type RecurrentStreamOptions } from './recurrent_stream.js';

/**
 * A cell activation: an Activation act type, or a function of an NDArray.
 * Gluon note: Python also takes a Block (nn.LeakyReLU, any callable block); here pass a function.
 */
export type ActivationLike = ActType | ((x: NDArray) => NDArray);

function checkActivation(where: string, name: string, act: unknown, stringOnly = false): ActivationLike {
  if (typeof act === 'string' && ACTIVATIONS[act] !== undefined) return act as ActType;
  if (typeof act === 'function' && !stringOnly) return act as (x: NDArray) => NDArray;
  throw new TypeError(
    `${where}: ${name} must be one of ${Object.keys(ACTIVATIONS).join(', ')}${stringOnly ? '' : ' or a function of an NDArray'}, got ${describe(act)}`,
  );
}

/** Python `_get_activation`: a named activation or a callable. */
function applyActivation(F: typeof nd, x: NDArray, act: ActivationLike): NDArray {
  return typeof act === 'string' ? F.Activation(x, act) : act(x);
}

/** Options every basic cell (RNNCell, LSTMCell, GRUCell) takes. */
export interface CellOptions extends BlockOptions {
  /** Number of hidden units (required: positionally or here). */
  hiddenSize?: number;
  /** Initializer of the input-to-hidden weights (default: the one given to `initialize`). */
  i2hWeightInitializer?: InitLike | null;
  /** Initializer of the hidden-to-hidden weights (default: the one given to `initialize`). */
  h2hWeightInitializer?: InitLike | null;
  /** Initializer of the input-to-hidden bias (default 'zeros'). */
  i2hBiasInitializer?: InitLike;
  /** Initializer of the hidden-to-hidden bias (default 'zeros'). */
  h2hBiasInitializer?: InitLike;
  /** Input features; 0 infers them from the first input. */
  inputSize?: number;
}

/** Options of {@link RNNCell}. */
export interface RNNCellOptions extends CellOptions {
  /** 'tanh' (default), another activation name, or a function of an NDArray. */
  activation?: ActivationLike;
}

/** Options of {@link LSTMCell}. */
export interface LSTMCellOptions extends CellOptions {
  /** The cell state's activation: a name (default 'tanh'). */
  activation?: ActType;
  /** The gates' activation: a name (default 'sigmoid') or a function of an NDArray. */
  recurrentActivation?: ActivationLike;
}

/** Options of {@link GRUCell} (those of every basic cell). */
export interface GRUCellOptions extends CellOptions {}

interface CellArgs {
  hiddenSize: number;
  activation: ActivationLike;
  recurrentActivation: ActivationLike;
  i2hWeightInitializer: InitLike | null;
  h2hWeightInitializer: InitLike | null;
  i2hBiasInitializer: InitLike;
  h2hBiasInitializer: InitLike;
  inputSize: number;
  prefix: string | null;
  params: ParameterDict | null;
}

const CELL_DEFAULTS: Partial<CellArgs> = {
  activation: 'tanh',
  recurrentActivation: 'sigmoid',
  i2hWeightInitializer: null,
  h2hWeightInitializer: null,
  i2hBiasInitializer: 'zeros',
  h2hBiasInitializer: 'zeros',
  inputSize: 0,
  prefix: null,
  params: null,
};

/** The positional parameters every cell has after `hiddenSize` (and RNNCell's `activation`). */
const CELL_COMMON = [
  'i2hWeightInitializer',
  'h2hWeightInitializer',
  'i2hBiasInitializer',
  'h2hBiasInitializer',
  'inputSize',
  'prefix',
  'params',
] as const;

function parseCellArgs(where: string, args: unknown[], names: readonly (keyof CellArgs)[]): CellArgs {
  return parseArgs<CellArgs>(where, args, names, CELL_DEFAULTS, ['hiddenSize']);
}

/** Shared body of the three gated cells: four parameters, deferred input size, one kernel. */
abstract class BasicCell extends HybridRecurrentCell {
  /** Input-to-hidden weight, (G*H, inputSize): MXNet's `{prefix}i2h_weight`. */
  declare i2h_weight: Parameter;
  /** Hidden-to-hidden weight, (G*H, H): MXNet's `{prefix}h2h_weight`. */
  declare h2h_weight: Parameter;
  /** Input-to-hidden bias, (G*H,). */
  declare i2h_bias: Parameter;
  /** Hidden-to-hidden bias, (G*H,). */
  declare h2h_bias: Parameter;
  protected readonly _hiddenSize: number;
  private readonly _kernel = new KernelCache<CellKernel>();
  /** The kernel's parameters, in its order (fixed once the cell is built). */
  private _kernelParams: Parameter[] | null = null;

  constructor(where: string, o: CellArgs, gates: number) {
    if (!Number.isInteger(o.hiddenSize) || o.hiddenSize <= 0)
      throw new RangeError(`${where}: hiddenSize must be a positive integer, got ${describe(o.hiddenSize)}`);
    if (!Number.isInteger(o.inputSize) || o.inputSize < 0)
      throw new RangeError(`${where}: inputSize must be a non-negative integer, got ${describe(o.inputSize)}`);
    super({ prefix: o.prefix, params: o.params });
    const gh = gates * o.hiddenSize;
    this._hiddenSize = o.hiddenSize;
    this.i2h_weight = this.params.get('i2h_weight', {
      shape: [gh, o.inputSize],
      init: o.i2hWeightInitializer,
      allowDeferredInit: true,
    });
    this.h2h_weight = this.params.get('h2h_weight', {
      shape: [gh, o.hiddenSize],
      init: o.h2hWeightInitializer,
      allowDeferredInit: true,
    });
    this.i2h_bias = this.params.get('i2h_bias', { shape: [gh], init: o.i2hBiasInitializer, allowDeferredInit: true });
    this.h2h_bias = this.params.get('h2h_bias', { shape: [gh], init: o.h2hBiasInitializer, allowDeferredInit: true });
  }

  override stateInfo(batchSize = 0): StateInfo[] {
    return [{ shape: [batchSize, this._hiddenSize], __layout__: 'NC' }];
  }

  override _inferShape(x: NDArray): void {
    this.i2h_weight.shape = [this.i2h_weight.shape[0] as number, featureSize(x)];
  }

  /** The wasm kernel's mode for this cell's activations, or null where it has none (nd operators). */
  protected abstract _kernelMode(): RnnMode | null;

  /** The packed kernel of the current parameter values (rebuilt when one changed). */
  private _cellKernel(mode: RnnMode, inputSize: number): CellKernel {
    this._kernelParams ??= [this.i2h_weight, this.h2h_weight, this.i2h_bias, this.h2h_bias];
    const ps = this._kernelParams;
    return this._kernel.get(ps, mode, () => {
      const [wi, wh, bi, bh] = ps.map((p) => p._live().data) as [
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      return new CellKernel(mode, this._hiddenSize, inputSize, wi, wh, bi, bh);
    });
  }

  /** One step on the wasm cell kernel. */
  protected _kernelStep(mode: RnnMode, x: NDArray, states: NDArray[]): [NDArray, NDArray[]] {
    const N = this._checkStepStates(x, states);
    const inputSize = this.i2h_weight._dim(1);
    // MXNet's FullyConnected checks this for any batch, an empty one included.
    if (featureSize(x) !== inputSize) {
      throw new RangeError(
        `${this.name}: inputs of shape ${shapeStr(x.shape)} have ${featureSize(x)} features but i2h_weight expects ${inputSize}`,
      );
    }
    const k = this._cellKernel(mode, inputSize);
    const r = k.step(x.data, N, (states[0] as NDArray).data, states[1] ? states[1].data : null);
    const h = ndarrayOver(r.h, [N, this._hiddenSize]);
    return [h, r.c === null ? [h] : [h, ndarrayOver(r.c, [N, this._hiddenSize])]];
  }

  /**
   * Token by token without the per-call arrays of `forward` (an addition to Gluon): a
   * {@link RecurrentStream} keeps the states of `batchSize` rows between calls and writes each
   * step's output (h) into a caller's array, from `step(x, out?)`. Same results as `forward`
   * with the states fed back, to the bit. Not for activations without a wasm kernel.
   */
  stream(options: RecurrentStreamOptions = {}): RecurrentStream {
    return new RecurrentStream(this, options);
  }

  /** @internal Throws for a cell whose activations have no wasm kernel. */
  _assertStreamable(where: string): void {
    if (this._kernelMode() === null) {
      throw new Error(
        `${where}: its activations have no wasm kernel to stream (RNNCell 'tanh' or 'relu', LSTMCell 'tanh' with 'sigmoid' gates, GRUCell): use forward`,
      );
    }
  }

  /** @internal One token of N rows: (N, ...), its features flattened as FullyConnected does. */
  _streamInput(shape: readonly number[], N: number): string | null {
    return shape.length >= 2 && shape[0] === N ? null : `(${N}, C) or (${N}, ...)`;
  }

  /** @internal A stream's output: h, the first of its states. */
  _streamOutput(N: number): { size: number; inStates: boolean } {
    return { size: N * this._hiddenSize, inStates: true };
  }

  /** @internal One step of a {@link RecurrentStream}: `states` ([h | c]) into `into` (the next). */
  _streamStep(where: string, x: Float32Array, N: number, C: number, states: Float32Array, into: Float32Array): void {
    if (isRecording())
      throw new Error(`${where}: a stream is not recorded by autograd; got autograd.record(): use forward`);
    const mode = this._kernelMode() as RnnMode;
    if (this._anyDeferred(this._regParamLists().values)) this._inferDeferred(new NDArray(x, [N, C]), []);
    const inputSize = this.i2h_weight._dim(1);
    if (C !== inputSize) {
      throw new RangeError(
        `${where}: x has ${C} features per row (${x.length} values, ${N} rows) but i2h_weight expects ${inputSize}`,
      );
    }
    this._cellKernel(mode, inputSize).stepInto(x, N, states, into);
  }

  protected override _disposeKernels(): void {
    this._kernel.dispose();
  }

  protected _mapping(): string {
    const s = this.i2h_weight.shape;
    return `${s[1] ? s[1] : 'None'} -> ${String(s[0])}`;
  }
}

/**
 * `RNNCell(hiddenSize, activation='tanh', i2hWeightInitializer=null, h2hWeightInitializer=null,
 * i2hBiasInitializer='zeros', h2hBiasInitializer='zeros', inputSize=0, prefix=null, params=null)`:
 * h' = act(x Wi^T + bi + h Wh^T + bh).
 */
export class RNNCell extends BasicCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'RNNCell';
  private readonly _activation: ActivationLike;
  constructor(
    ...args:
      | PositionalArgs<
          [hiddenSize: number],
          [
            activation: ActivationLike,
            i2hWeightInitializer: InitLike | null,
            h2hWeightInitializer: InitLike | null,
            i2hBiasInitializer: InitLike,
            h2hBiasInitializer: InitLike,
            inputSize: number,
            prefix: string | null,
            params: ParameterDict | null,
          ],
          RNNCellOptions
        >
      | [options: RNNCellOptions & { hiddenSize: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseCellArgs('RNNCell', args, ['hiddenSize', 'activation', ...CELL_COMMON]);
    const act = checkActivation('RNNCell', 'activation', o.activation);
    super('RNNCell', o, 1);
    this._activation = act;
  }
  protected override _kernelMode(): RnnMode | null {
    return this._activation === 'tanh' ? 'rnn_tanh' : this._activation === 'relu' ? 'rnn_relu' : null;
  }
  protected override _alias(): string {
    return 'rnn';
  }
  override hybridForward(
    F: typeof nd,
    x: NDArray,
    states: NDArray[],
    params: Record<string, NDArray>,
  ): [NDArray, NDArray[]] {
    // Under autograd.record() the step runs on nd operators, which the tape differentiates.
    const mode = this._kernelMode();
    if (mode !== null && !isRecording()) return this._kernelStep(mode, x, states);
    // Gluon note: other activations (sigmoid, softsign, softrelu, functions) have no wasm
    // kernel; they run on nd operators with the same arithmetic.
    this._checkStepStates(x, states);
    const i2h = F.FullyConnected(x, params.i2h_weight as NDArray, params.i2h_bias as NDArray, this._hiddenSize);
    const h2h = F.FullyConnected(
      states[0] as NDArray,
      params.h2h_weight as NDArray,
      params.h2h_bias as NDArray,
      this._hiddenSize,
    );
    const out = applyActivation(F, F.add(i2h, h2h), this._activation);
    return [out, [out]];
  }
  override toString(): string {
    const act = typeof this._activation === 'string' ? this._activation : this._activation.name || 'function';
    return `RNNCell(${this._mapping()}, ${act})`;
  }
}

/**
 * `LSTMCell(hiddenSize, i2hWeightInitializer=null, h2hWeightInitializer=null,
 * i2hBiasInitializer='zeros', h2hBiasInitializer='zeros', inputSize=0, prefix=null, params=null,
 * activation='tanh', recurrentActivation='sigmoid')`; gates [i, f, g, o]; states [h, c].
 */
export class LSTMCell extends BasicCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'LSTMCell';
  private readonly _activation: ActType;
  private readonly _recurrentActivation: ActivationLike;
  constructor(
    ...args:
      | PositionalArgs<
          [hiddenSize: number],
          [
            i2hWeightInitializer: InitLike | null,
            h2hWeightInitializer: InitLike | null,
            i2hBiasInitializer: InitLike,
            h2hBiasInitializer: InitLike,
            inputSize: number,
            prefix: string | null,
            params: ParameterDict | null,
            activation: ActType,
            recurrentActivation: ActivationLike,
          ],
          LSTMCellOptions
        >
      | [options: LSTMCellOptions & { hiddenSize: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseCellArgs('LSTMCell', args, ['hiddenSize', ...CELL_COMMON, 'activation', 'recurrentActivation']);
    // The cell state's activation goes through F.Activation in Python, so it must be a name.
    const act = checkActivation('LSTMCell', 'activation', o.activation, true) as ActType;
    const ract = checkActivation('LSTMCell', 'recurrentActivation', o.recurrentActivation);
    super('LSTMCell', o, 4);
    this._activation = act;
    this._recurrentActivation = ract;
  }
  protected override _kernelMode(): RnnMode | null {
    return this._activation === 'tanh' && this._recurrentActivation === 'sigmoid' ? 'lstm' : null;
  }
  protected override _alias(): string {
    return 'lstm';
  }
  /** [h, c], both (N, H). */
  override stateInfo(batchSize = 0): StateInfo[] {
    return [...super.stateInfo(batchSize), ...super.stateInfo(batchSize)];
  }
  override hybridForward(
    F: typeof nd,
    x: NDArray,
    states: NDArray[],
    params: Record<string, NDArray>,
  ): [NDArray, NDArray[]] {
    // Under autograd.record() the step runs on nd operators, which the tape differentiates.
    if (this._kernelMode() !== null && !isRecording()) return this._kernelStep('lstm', x, states);
    // Gluon note: non-default activations have no wasm kernel; they run on nd operators.
    this._checkStepStates(x, states);
    const H = this._hiddenSize;
    const gates = F.add(
      F.FullyConnected(x, params.i2h_weight as NDArray, params.i2h_bias as NDArray, 4 * H),
      F.FullyConnected(states[0] as NDArray, params.h2h_weight as NDArray, params.h2h_bias as NDArray, 4 * H),
    );
    const [gi, gf, gg, go] = F.split(gates, 4, { axis: 1 }) as [NDArray, NDArray, NDArray, NDArray];
    const i = applyActivation(F, gi, this._recurrentActivation);
    const f = applyActivation(F, gf, this._recurrentActivation);
    const g = applyActivation(F, gg, this._activation);
    const o = applyActivation(F, go, this._recurrentActivation);
    const c = F.add(F.mul(f, states[1] as NDArray), F.mul(i, g));
    const h = F.mul(o, F.Activation(c, this._activation));
    return [h, [h, c]];
  }
  override toString(): string {
    return `LSTMCell(${this._mapping()})`;
  }
}

/**
 * `GRUCell(hiddenSize, i2hWeightInitializer=null, h2hWeightInitializer=null,
 * i2hBiasInitializer='zeros', h2hBiasInitializer='zeros', inputSize=0, prefix=null, params=null)`:
 * the cuDNN GRU (reset applied after the h2h product), gates [r, z, n].
 */
export class GRUCell extends BasicCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'GRUCell';
  constructor(
    ...args:
      | PositionalArgs<
          [hiddenSize: number],
          [
            i2hWeightInitializer: InitLike | null,
            h2hWeightInitializer: InitLike | null,
            i2hBiasInitializer: InitLike,
            h2hBiasInitializer: InitLike,
            inputSize: number,
            prefix: string | null,
            params: ParameterDict | null,
          ],
          GRUCellOptions
        >
      | [options: GRUCellOptions & { hiddenSize: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseCellArgs('GRUCell', args, ['hiddenSize', ...CELL_COMMON]);
    super('GRUCell', o, 3);
  }
  protected override _kernelMode(): RnnMode | null {
    return 'gru';
  }
  protected override _alias(): string {
    return 'gru';
  }
  override hybridForward(
    F: typeof nd,
    x: NDArray,
    states: NDArray[],
    params: Record<string, NDArray>,
  ): [NDArray, NDArray[]] {
    if (!isRecording()) return this._kernelStep('gru', x, states);
    // Under autograd.record(): GRUCell.hybrid_forward of rnn_cell.py on nd operators.
    this._checkStepStates(x, states);
    const H = this._hiddenSize;
    const prev = states[0] as NDArray;
    const i2h = F.FullyConnected(x, params.i2h_weight as NDArray, params.i2h_bias as NDArray, 3 * H);
    const h2h = F.FullyConnected(prev, params.h2h_weight as NDArray, params.h2h_bias as NDArray, 3 * H);
    const [ir, iz, in_] = F.split(i2h, 3, { axis: 1 }) as [NDArray, NDArray, NDArray];
    const [hr, hz, hn] = F.split(h2h, 3, { axis: 1 }) as [NDArray, NDArray, NDArray];
    const reset = F.Activation(F.add(ir, hr), 'sigmoid');
    const update = F.Activation(F.add(iz, hz), 'sigmoid');
    const cand = F.Activation(F.add(in_, F.mul(reset, hn)), 'tanh');
    const h = F.add(F.mul(F.sub(F.onesLike(update), update), cand), F.mul(update, prev));
    return [h, [h]];
  }
  override toString(): string {
    return `GRUCell(${this._mapping()})`;
  }
}
