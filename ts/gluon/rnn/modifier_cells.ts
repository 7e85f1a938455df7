// ModifierCell, ZoneoutCell, ResidualCell (rnn_cell.py:890-1015) and DropoutCell
// (rnn_cell.py:835-887): cells that wrap another cell or the sequence it produces.

import { isTraining } from '../../autograd/tape.js';
import type * as ndNs from '../../ndarray/index.js';
import * as nd from '../../ndarray/index.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { sym } from '../../symbol/sym_ops.js';
import { MxSymbol } from '../../symbol/symbol.js';
import { AssertionError, NotImplementedError } from '../../util/errors.js';
import { checkAxes, type PositionalArgs, parseArgs, pyFloat, pyTuple } from '../../util/options.js';
import { type BlockOptions, className } from '../block.js';
import type { ParameterDict } from '../parameter.js';
import {
  asCell,
  assertNotModified,
  type BeginStateArgs,
  HybridRecurrentCell,
  type MergeOutputs,
  parseBeginState,
  parseUnroll,
  type RecurrentCell,
  type StateInfo,
  type UnrollArgs,
  type UnrollOutputs,
} from './base_cell.js';
import { BidirectionalCell, SequentialRNNCell } from './container_cells.js';
import { formatSequence, maskSequenceVariableLength, type Seq } from './sequence.js';

/** Options of `DropoutCell(rate, axes=(), prefix=null, params=null)`. */
export interface DropoutCellOptions extends BlockOptions {
  /** The drop probability (required: positionally or here). */
  rate?: number;
  /** Axes along which one mask is shared. */
  axes?: readonly number[];
}

/**
 * `DropoutCell(rate, axes=(), prefix=null, params=null)`: dropout on each step's input, no
 * state; active in training mode (`autograd.record()` / `trainMode()`), the identity otherwise.
 */
export class DropoutCell extends HybridRecurrentCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'DropoutCell';
  private readonly _rate: number;
  private readonly _axes: number[];
  constructor(
    ...args:
      | PositionalArgs<
          [rate: number],
          [axes: readonly number[], prefix: string | null, params: ParameterDict | null],
          DropoutCellOptions
        >
      | [options: DropoutCellOptions & { rate: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<{ rate: number; axes: number[]; prefix: string | null; params: ParameterDict | null }>(
      'DropoutCell',
      args,
      ['rate', 'axes', 'prefix', 'params'],
      { axes: [], prefix: null, params: null },
      ['rate'],
    );
    if (typeof o.rate !== 'number') throw new AssertionError('rate must be a number');
    super({ prefix: o.prefix, params: o.params });
    this._rate = o.rate;
    this._axes = checkAxes('DropoutCell', o.axes);
  }
  protected override _alias(): string {
    return 'dropout';
  }
  override stateInfo(_batchSize = 0): StateInfo[] {
    return [];
  }
  override hybridForward(F: typeof ndNs, x: NDArray, states: NDArray[]): [NDArray, NDArray[]] {
    return [this._rate > 0 ? F.Dropout(x, this._rate, 'training', this._axes) : x, states];
  }
  override unroll<M extends MergeOutputs = undefined>(...args: UnrollArgs<M>): [UnrollOutputs<M>, NDArray[]];
  override unroll(...args: unknown[]): [Seq, NDArray[]] {
    const o = parseUnroll('DropoutCell.unroll', args);
    this.reset();
    const { inputs } = formatSequence(o.length, o.inputs, o.layout, o.mergeOutputs);
    if (inputs instanceof NDArray) {
      const out = this._rate > 0 ? nd.Dropout(inputs, this._rate, 'training', this._axes) : inputs;
      return [out, o.beginState ?? []];
    }
    // Tracing: rnn_cell.py calls hybrid_forward directly (outside the cell's name scope).
    if ((inputs as unknown) instanceof MxSymbol) {
      const x = inputs as unknown as MxSymbol;
      const p = { p: this._rate, axes: this._axes, name: `t${this._counter}_fwd` };
      return [(this._rate > 0 ? sym.Dropout(x, p) : x) as unknown as NDArray, o.beginState ?? []];
    }
    return super.unroll(o.length, inputs, {
      beginState: o.beginState,
      layout: o.layout,
      mergeOutputs: o.mergeOutputs,
      validLength: null,
    });
  }
  override toString(): string {
    return `DropoutCell(rate=${pyFloat(this._rate)}, axes=${pyTuple(this._axes)})`;
  }
}

/**
 * Base of cells that wrap one `baseCell` (child 'base_cell'); the wrapped cell can no longer
 * be called directly. Prefix = base prefix + the alias ('rnn0_zoneout').
 */
export class ModifierCell extends HybridRecurrentCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'ModifierCell';
  /** The wrapped cell (child 'base_cell'). */
  readonly baseCell: RecurrentCell;
  constructor(baseCell: RecurrentCell, alias: string) {
    const base = asCell(`${new.target.gluonName}(baseCell)`, baseCell);
    if (base._modified)
      throw new AssertionError(`Cell ${base.name} is already modified. One cell cannot be modified twice`);
    base._modified = true;
    super({ prefix: base.prefix + alias, params: null });
    this.baseCell = this.registerChild(base, 'base_cell');
  }
  /** The base cell's parameters. */
  override get params(): ParameterDict {
    return this.baseCell ? this.baseCell.params : super.params;
  }
  override stateInfo(batchSize = 0): StateInfo[] {
    return this.baseCell.stateInfo(batchSize);
  }
  /** Gluon note: the default `func` is nd.zeros (MXNet's default here is the symbolic zeros). */
  override beginState(...args: BeginStateArgs): NDArray[];
  override beginState(...args: unknown[]): NDArray[] {
    assertNotModified(this);
    parseBeginState(`${className(this)}.beginState`, args);
    return this._withBase((base) => base.beginState(...(args as BeginStateArgs)));
  }
  /** @internal Runs `fn` with the base cell callable (a modified cell refuses direct calls). */
  _withBase<T>(fn: (base: RecurrentCell) => T): T {
    this.baseCell._modified = false;
    try {
      return fn(this.baseCell);
    } finally {
      this.baseCell._modified = true;
    }
  }
  override hybridForward(..._args: unknown[]): [NDArray, NDArray[]] {
    throw new NotImplementedError(`${className(this)}.hybridForward is not implemented`);
  }
  override toString(): string {
    return `${className(this)}(${this.baseCell.toString()})`;
  }
}

/** Options of `ZoneoutCell(baseCell, zoneoutOutputs=0, zoneoutStates=0)`. */
export interface ZoneoutCellOptions {
  /** Probability of keeping the previous output (training only). */
  zoneoutOutputs?: number;
  /** Probability of keeping the previous states (training only). */
  zoneoutStates?: number;
}

/**
 * `ZoneoutCell(baseCell, zoneoutOutputs=0, zoneoutStates=0)`: keeps previous outputs/states
 * with the given probabilities in training (`autograd.record()` / `trainMode()`); at inference
 * MXNet's zoneout masks are all ones, so the cell equals its base cell. Gluon note: the masks
 * come from `mx.random.seed`'s generator, not MXNet's bits.
 */
export class ZoneoutCell extends ModifierCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'ZoneoutCell';
  /** Zoneout probability of the outputs (training only; the identity at inference). */
  readonly zoneoutOutputs: number;
  /** Zoneout probability of the states (training only; the identity at inference). */
  readonly zoneoutStates: number;
  /** The output of the previous step (MXNet's `_prev_output`), null after `reset()`. */
  private _prevOutput: NDArray | null = null;
  constructor(
    baseCell: RecurrentCell,
    ...args: PositionalArgs<[], [zoneoutOutputs: number, zoneoutStates: number], ZoneoutCellOptions>
  );
  constructor(baseCell: RecurrentCell, ...args: unknown[]) {
    const o = parseArgs<{ zoneoutOutputs: number; zoneoutStates: number }>(
      'ZoneoutCell',
      args,
      ['zoneoutOutputs', 'zoneoutStates'],
      { zoneoutOutputs: 0, zoneoutStates: 0 },
    );
    if (baseCell instanceof BidirectionalCell) {
      throw new AssertionError(
        "BidirectionalCell doesn't support zoneout since it doesn't support step. Please add ZoneoutCell to the cells underneath instead.",
      );
    }
    if (baseCell instanceof SequentialRNNCell) {
      // Gluon note: MXNet raises AttributeError here (it reads a missing `_bidirectional`).
      throw new AssertionError(
        'ZoneoutCell cannot wrap a SequentialRNNCell (MXNet 1.9.1 fails with AttributeError); wrap its cells instead.',
      );
    }
    super(baseCell, 'zoneout');
    this.zoneoutOutputs = o.zoneoutOutputs;
    this.zoneoutStates = o.zoneoutStates;
  }
  override hybridForward(F: typeof ndNs, x: NDArray, states: NDArray[]): [NDArray, NDArray[]] {
    const [out, next] = this.baseCell.forward(x, states);
    // Inference: Dropout(ones) is ones, so where(mask, new, old) keeps the new values.
    if (!isTraining()) {
      this._prevOutput = out;
      return [out, next];
    }
    // Training (rnn_cell.py ZoneoutCell.hybrid_forward): each unit keeps its previous value with
    // probability p; the previous output starts as zeros after reset().
    const mask = (p: number, like: NDArray): NDArray => F.Dropout(F.onesLike(like), p);
    const prev = this._prevOutput ?? F.zerosLike(out);
    const output = this.zoneoutOutputs !== 0 ? F.where(mask(this.zoneoutOutputs, out), out, prev) : out;
    const st =
      this.zoneoutStates !== 0
        ? next.map((s, i) => F.where(mask(this.zoneoutStates, s), s, states[i] as NDArray))
        : next;
    this._prevOutput = output;
    return [output, st];
  }

  /** Forgets the previous output too (a new sequence starts from zeros). */
  override reset(): void {
    super.reset();
    this._prevOutput = null;
  }
  override toString(): string {
    return `ZoneoutCell(p_out=${pyFloat(this.zoneoutOutputs)}, p_state=${pyFloat(this.zoneoutStates)}, ${this.baseCell.toString()})`;
  }
}

/** `ResidualCell(baseCell)`: output = base output + input (sizes must match). */
export class ResidualCell extends ModifierCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'ResidualCell';
  constructor(baseCell: RecurrentCell) {
    super(baseCell, 'residualcell');
  }
  override hybridForward(F: typeof ndNs, x: NDArray, states: NDArray[]): [NDArray, NDArray[]] {
    const [out, next] = this.baseCell.forward(x, states);
    return [F.add(out, x), next];
  }
  override unroll<M extends MergeOutputs = undefined>(...args: UnrollArgs<M>): [UnrollOutputs<M>, NDArray[]];
  override unroll(...args: unknown[]): [Seq, NDArray[]] {
    const o = parseUnroll('ResidualCell.unroll', args);
    this.reset();
    const [outputs, states] = this._withBase((base) =>
      base.unroll(o.length, o.inputs, {
        beginState: o.beginState,
        layout: o.layout,
        mergeOutputs: o.mergeOutputs,
        validLength: o.validLength,
      }),
    );
    const merge = o.mergeOutputs === null ? !Array.isArray(outputs) : o.mergeOutputs;
    const f = formatSequence(o.length, o.inputs, o.layout, merge);
    let inputs = f.inputs;
    if (o.validLength !== null) inputs = maskSequenceVariableLength(inputs, o.length, o.validLength, f.axis, merge);
    // Tracing: F.elemwise_add of rnn_cell.py on Symbols.
    const add = (a: NDArray, b: NDArray): NDArray =>
      (a as unknown) instanceof MxSymbol
        ? (sym.elemwise_add(a as unknown as MxSymbol, b as unknown as MxSymbol) as unknown as NDArray)
        : nd.add(a, b);
    if (merge) return [add(outputs as NDArray, inputs as NDArray), states];
    const ins = inputs as NDArray[];
    return [(outputs as NDArray[]).map((out, i) => add(out, ins[i] as NDArray)), states];
  }
}
