// RecurrentCell and HybridRecurrentCell (rnn_cell.py:125-325): states, begin_state, reset,
// and the generic step-by-step unroll with valid lengths (spec §7).

import * as nd from '../../ndarray/index.js';
import { NDArray, shapeSize, shapeStr } from '../../ndarray/ndarray.js';
import { AssertionError, NotImplementedError } from '../../util/errors.js';
import { isPlainObject, parseArgs } from '../../util/options.js';
import { assertHybridChild, Block, className } from '../block.js';
import { checkLayout, checkValidLength, formatSequence, maskSequenceVariableLength, type Seq } from './sequence.js';

/** One state's description: `{ shape, __layout__ }` (and `dtype` for fused layers). */
export interface StateInfo {
  shape: number[];
  __layout__: string;
  dtype?: string;
}

/** A function that makes a state array: called as `func({ shape, ...kwargs })`. */
export type StateFunc = (opts: { shape: number[] } & Record<string, unknown>) => NDArray;

/** `unroll`'s arguments after parsing (see `parseUnroll`). */
interface UnrollArgs {
  length: number;
  inputs: Seq;
  beginState: NDArray[] | null;
  layout: string;
  mergeOutputs: boolean | null;
  validLength: NDArray | null;
}

/**
 * Parses `beginState(batchSize=0, func=nd.zeros, ...kwargs)`: `batchSize` and `func`
 * positionally or in the trailing object; any other keys are passed on to `func`.
 * Gluon note: `func` is called with one object `{ shape, dtype?, ...kwargs }` (rule 2 of API.md;
 * `nd.zeros`, `nd.ones`, `nd.random.uniform` all accept it). MXNet also passes a `name`,
 * which NDArrays do not have.
 */
export function parseBeginState(
  where: string,
  args: unknown[],
): { batchSize: number; func: StateFunc; kwargs: Record<string, unknown> } {
  let kw: Record<string, unknown> = {};
  let pos = args;
  if (isPlainObject(args[args.length - 1])) {
    kw = { ...(args[args.length - 1] as Record<string, unknown>) };
    pos = args.slice(0, -1);
  }
  if (pos.length > 2)
    throw new TypeError(`${where}: takes at most 2 positional arguments (batchSize, func), got ${pos.length}`);
  const batchSize = (pos[0] ?? kw.batchSize ?? 0) as number;
  const func = (pos[1] ?? kw.func ?? ((o: { shape: number[] }) => nd.zeros(o))) as StateFunc;
  delete kw.batchSize;
  delete kw.func;
  if (!Number.isInteger(batchSize) || batchSize < 0)
    throw new TypeError(`${where}: batchSize must be a non-negative integer, got ${String(batchSize)}`);
  if (typeof func !== 'function') throw new TypeError(`${where}: func must be a function, got ${String(func)}`);
  return { batchSize, func, kwargs: kw };
}

export function makeStates(infos: StateInfo[], func: StateFunc, kwargs: Record<string, unknown>): NDArray[] {
  return infos.map((info) => {
    const o: { shape: number[] } & Record<string, unknown> = { shape: [...info.shape], ...kwargs };
    if (info.dtype !== undefined && o.dtype === undefined) o.dtype = info.dtype;
    return func(o);
  });
}

/** `_cells_state_info`: the concatenation of the children's state infos. */
export function cellsStateInfo(cells: Iterable<RecurrentCell>, batchSize: number): StateInfo[] {
  return [...cells].flatMap((c) => c.stateInfo(batchSize));
}

/** `_cells_begin_state`: the concatenation of the children's begin states. */
export function cellsBeginState(cells: Iterable<RecurrentCell>, args: unknown[]): NDArray[] {
  return [...cells].flatMap((c) => c.beginState(...args));
}

/** A cell wrapped by a modifier cell may only be run through the modifier (Python's assert). */
export function assertNotModified(cell: RecurrentCell): void {
  if (cell._modified) {
    throw new AssertionError(
      'After applying modifier cells (e.g. ZoneoutCell) the base cell cannot be called directly. Call the modifier cell instead.',
    );
  }
}

export function asCell(where: string, b: Block): RecurrentCell {
  if (!(b instanceof RecurrentCell)) throw new TypeError(`${where}: expected a recurrent cell, got ${className(b)}`);
  return b;
}

export function parseUnroll(where: string, args: unknown[]): UnrollArgs {
  const o = parseArgs<UnrollArgs>(
    where,
    args,
    ['length', 'inputs', 'beginState', 'layout', 'mergeOutputs', 'validLength'],
    { beginState: null, layout: 'NTC', mergeOutputs: null, validLength: null },
    ['length', 'inputs'],
  );
  if (!Number.isInteger(o.length) || o.length < 1)
    throw new TypeError(`${where}: length must be a positive integer, got ${String(o.length)}`);
  checkLayout(where, o.layout);
  if (o.mergeOutputs !== null && typeof o.mergeOutputs !== 'boolean') {
    throw new TypeError(`${where}: mergeOutputs must be true, false or null, got ${String(o.mergeOutputs)}`);
  }
  if (o.beginState !== null && !Array.isArray(o.beginState)) {
    throw new TypeError(`${where}: beginState must be an array of NDArrays, got ${String(o.beginState)}`);
  }
  return o;
}

/**
 * Abstract base of recurrent cells. A step is `cell.forward(x, states)` → `[output, states]`;
 * `unroll(length, inputs, { beginState, layout: 'NTC', mergeOutputs, validLength })` runs
 * many steps and returns `[outputs, states]`.
 */
export class RecurrentCell extends Block {
  static override readonly gluonName: string = 'RecurrentCell';
  /** @internal Set while a modifier cell wraps this cell. */
  _modified = false;
  protected _initCounter = -1;
  protected _counter = -1;

  constructor(...args: unknown[]) {
    super(...args);
    this.reset();
  }

  /** Resets the step counters (and the children's); called at the start of every unroll. */
  reset(): void {
    this._initCounter = -1;
    this._counter = -1;
    for (const c of this._children.values()) if (c instanceof RecurrentCell) c.reset();
  }

  /** Shape and layout of each state for `batchSize`. */
  stateInfo(_batchSize = 0): StateInfo[] {
    throw new NotImplementedError(`${className(this)}.stateInfo is not implemented`);
  }

  /**
   * @internal Checks one step's states against `stateInfo(N)`, N being the batch size of the
   * input `x`; returns N.
   */
  _checkStepStates(x: NDArray, states: NDArray[]): number {
    const N = x.shape[0] as number;
    const want = this.stateInfo(N);
    if (states.length !== want.length) {
      throw new RangeError(
        `${className(this)}: expected ${want.length} state${want.length === 1 ? '' : 's'}, got ${states.length}`,
      );
    }
    states.forEach((s, i) => {
      const w = (want[i] as StateInfo).shape;
      if (!(s instanceof NDArray) || s.ndim !== w.length || s.shape.some((d, j) => d !== w[j])) {
        throw new RangeError(
          `${className(this)}: state ${i} must have shape ${shapeStr(w)}, got ${s instanceof NDArray ? shapeStr(s.shape) : String(s)}`,
        );
      }
    });
    return N;
  }

  /** `beginState(batchSize=0, { func: nd.zeros, ...kwargs })`: the initial states. */
  beginState(...args: unknown[]): NDArray[] {
    assertNotModified(this);
    const { batchSize, func, kwargs } = parseBeginState(`${className(this)}.beginState`, args);
    const infos = this.stateInfo(batchSize);
    this._initCounter += infos.length;
    return makeStates(infos, func, kwargs);
  }

  /** One step: `[output, newStates]`. */
  override forward(_inputs: unknown, _states?: unknown): [NDArray, NDArray[]] {
    throw new NotImplementedError(`${className(this)}.forward is not implemented`);
  }

  /**
   * `unroll(length, inputs, beginState=null, layout='NTC', mergeOutputs=null, validLength=null)`
   * (positional or in one trailing object). Returns `[outputs, states]`; outputs are a list
   * of (N, H) steps or one merged tensor per spec §7.
   */
  unroll(...args: unknown[]): [Seq, NDArray[]] {
    const { o, steps, axis, vl, begin } = this._startUnroll(args);
    let states = begin;
    const outputs: NDArray[] = [];
    const allStates: NDArray[][] = [];
    for (let i = 0; i < o.length; i++) {
      const [out, next] = this.forward(steps[i] as NDArray, states);
      states = next;
      outputs.push(out);
      if (vl !== null) allStates.push(states);
    }
    let outs: Seq = outputs;
    if (vl !== null) {
      states = states.map((_s, j) =>
        nd.SequenceLast(
          nd.stack(
            allStates.map((st) => st[j] as NDArray),
            { axis: 0 },
          ),
          vl,
          true,
          0,
        ),
      );
      outs = maskSequenceVariableLength(outputs, o.length, vl, axis, true);
    }
    return [formatSequence(o.length, outs, o.layout, o.mergeOutputs).inputs, states];
  }

  /**
   * @internal The start of a step-wise unroll: the parsed arguments, the inputs as a list of
   * steps (their time axis, batch size), the checked valid lengths and the begin states.
   */
  protected _startUnroll(args: unknown[]): {
    o: UnrollArgs;
    steps: NDArray[];
    axis: number;
    batchSize: number;
    vl: NDArray | null;
    begin: NDArray[];
  } {
    const where = `${className(this)}.unroll`;
    const o = parseUnroll(where, args);
    this.reset();
    const { inputs, axis, batchSize } = formatSequence(o.length, o.inputs, o.layout, false);
    const vl = o.validLength === null ? null : checkValidLength(where, o.validLength, batchSize, o.length);
    return { o, steps: inputs as NDArray[], axis, batchSize, vl, begin: o.beginState ?? this.beginState(batchSize) };
  }
}

/** A recurrent cell whose step is `hybridForward(F, x, states, params)`. */
export class HybridRecurrentCell extends RecurrentCell {
  static override readonly gluonName: string = 'HybridRecurrentCell';
  override _isHybrid(): boolean {
    return true;
  }

  override registerChild<B extends Block>(block: B, name?: string | null): B {
    assertHybridChild(block);
    return super.registerChild(block, name);
  }

  override forward(inputs: unknown, states?: unknown): [NDArray, NDArray[]] {
    this._counter++;
    if (!(inputs instanceof NDArray))
      throw new TypeError(`${className(this)}.forward: inputs must be an NDArray, got ${String(inputs)}`);
    if (!Array.isArray(states)) {
      throw new TypeError(
        `${className(this)}.forward: states must be an array of NDArrays (e.g. cell.beginState(batchSize)), got ${String(states)}`,
      );
    }
    return this._callHybridForward(inputs, [states]) as [NDArray, NDArray[]];
  }
}

/** Product of the non-batch dimensions: a cell's input size (FullyConnected flattens). */
export function featureSize(x: NDArray): number {
  return shapeSize(x.shape.slice(1));
}
