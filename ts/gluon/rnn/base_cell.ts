// RecurrentCell and HybridRecurrentCell (rnn_cell.py:125-325): states, begin_state, reset,
// and the generic step-by-step unroll with valid lengths (spec §7).

import * as nd from '../../ndarray/index.js';
import { NDArray, shapeStr } from '../../ndarray/ndarray.js';
import { isSymbolicFill, sym } from '../../symbol/sym_ops.js';
import { MxSymbol } from '../../symbol/symbol.js';
import { traceBlock } from '../../symbol/trace.js';
import { describe } from '../../util/describe.js';
import { AssertionError, NotImplementedError } from '../../util/errors.js';
import type { Context } from '../../util/options.js';
import { isPlainObject, type PositionalArgs, parseArgs, snakeToCamel } from '../../util/options.js';
import { assertHybridChild, Block, type BlockArgs, className } from '../block.js';
import {
  checkLayout,
  checkValidLength,
  formatSequence,
  type Layout,
  maskSequenceVariableLength,
  type Seq,
} from './sequence.js';

/** One state's description: `{ shape, __layout__ }` (and `dtype` for fused layers). */
export interface StateInfo {
  /** The state's shape, e.g. (N, H) for a cell, (L*D, N, H) for a fused layer. */
  shape: number[];
  /** MXNet's layout string of the state: 'NC' for cells, 'LNC' for fused layers. */
  __layout__: string;
  /** The dtype ('float32'), where MXNet's state info has one (the fused layers). */
  dtype?: string;
}

/** A function that makes a state array: called as `func({ shape, ...kwargs })` (nd.zeros, nd.ones, nd.random.uniform, ...). */
export type StateFunc = (opts: { shape: number[] } & Record<string, unknown>) => NDArray;

/** Options of `beginState(batchSize=0, func=nd.zeros)` with the default `func`. */
export interface BeginStateOptions {
  /** The batch size N of the states (default 0). */
  batchSize?: number;
  /** Makes each state from `{ shape, ...kwargs }` (default nd.zeros). */
  func?: StateFunc;
  /** Passed to nd.zeros (cpu only). */
  ctx?: Context | null;
  /** Passed to nd.zeros (stored as float32). */
  dtype?: 'float32' | null;
}

/** Options of `beginState` with a `func` of one's own: the other keys are passed on to it. */
export interface BeginStateFuncOptions {
  /** The batch size N of the states (default 0). */
  batchSize?: number;
  /** Makes each state from `{ shape, ...kwargs }`. */
  func: StateFunc;
  /** Keyword arguments of `func` (e.g. `low`, `high` of nd.random.uniform). */
  [kwarg: string]: unknown;
}

/**
 * The argument lists of `beginState(batchSize=0, func=nd.zeros, ...kwargs)`:
 * `beginState(3)`, `beginState(3, { func: nd.ones })`, `beginState({ batchSize: 3 })`,
 * `beginState(3, nd.random.uniform, { low: -1, high: 1 })` or
 * `beginState(3, { func: nd.random.uniform, low: -1, high: 1 })`.
 */
export type BeginStateArgs =
  | [batchSize?: number, options?: BeginStateOptions]
  | [options: BeginStateOptions]
  | [batchSize: number, func: StateFunc, kwargs?: Record<string, unknown>]
  | [batchSize: number, options: BeginStateFuncOptions]
  | [options: BeginStateFuncOptions];

/**
 * `mergeOutputs` of `unroll`: true (one merged tensor), false (a list of steps), or
 * null / undefined (whatever form the cell produces; MXNet's None).
 */
export type MergeOutputs = boolean | null | undefined;

/** The outputs of `unroll` for a `mergeOutputs` value: NDArray for true, NDArray[] for false, either otherwise. */
export type UnrollOutputs<M extends MergeOutputs> = M extends true ? NDArray : M extends false ? NDArray[] : Seq;

/** Options of `unroll(length, inputs, beginState=null, layout='NTC', mergeOutputs=null, validLength=null)`. */
export interface UnrollOptions<M extends MergeOutputs = MergeOutputs> {
  /** The number of steps (required: positionally or here). */
  length?: number;
  /** A merged (3-d) tensor in `layout`, or a list of `length` (N, C) steps (required). */
  inputs?: Seq;
  /** Default: `beginState(N)` (zeros). */
  beginState?: NDArray[] | null;
  /** Layout of merged inputs and outputs (default 'NTC'). */
  layout?: Layout;
  /** true: outputs merged into one tensor; false: a list of steps; null: as the cell produces them. */
  mergeOutputs?: M;
  /** (N,) valid lengths: outputs past them are zero and states are taken at them. */
  validLength?: NDArray | null;
}

/**
 * The argument lists of `unroll`: `unroll(length, inputs, beginState?, layout?, mergeOutputs?,
 * validLength?)` positionally, or `unroll(length, inputs, { layout, mergeOutputs, ... })`.
 */
export type UnrollArgs<M extends MergeOutputs> =
  | PositionalArgs<
      [length: number, inputs: Seq],
      [beginState: NDArray[] | null, layout: Layout, mergeOutputs: M, validLength: NDArray | null],
      UnrollOptions<M>
    >
  | [
      options: UnrollOptions<M> & {
        /** The number of steps. */
        length: number;
        /** A merged (3-d) tensor, or a list of `length` (N, C) steps. */
        inputs: Seq;
      },
    ];

/** `unroll`'s arguments after parsing (see `parseUnroll`). */
interface ParsedUnroll {
  length: number;
  inputs: Seq;
  beginState: NDArray[] | null;
  layout: Layout;
  mergeOutputs: boolean | null;
  validLength: NDArray | null;
}

/** nd.zeros's options besides `shape`: the keys `beginState` passes on with the default `func`. */
const ZEROS_KWARGS = ['ctx', 'dtype'];

/**
 * Parses `beginState(batchSize=0, func=nd.zeros, ...kwargs)`: `batchSize` and `func`
 * positionally or in the trailing object; any other keys are passed on to `func`.
 * Gluon note: `func` is called with one object `{ shape, dtype?, ...kwargs }` (rule 2 of docs/design/api.md;
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
  const funcGiven = (pos[1] ?? kw.func) !== undefined;
  const batchSize = (pos[0] ?? kw.batchSize ?? 0) as number;
  const func = (pos[1] ?? kw.func ?? ((o: { shape: number[] }) => nd.zeros(o))) as StateFunc;
  delete kw.batchSize;
  delete kw.func;
  // Python's begin_state(batch_size=..., func=..., **kwargs): name a misspelt key here rather
  // than letting `func` (nd.zeros by default) reject it as one of its own options. `shape`
  // comes from stateInfo (Python: "got multiple values for keyword argument 'shape'").
  const known = funcGiven ? ['batchSize', 'func'] : ['batchSize', 'func', ...ZEROS_KWARGS];
  for (const k of Object.keys(kw)) {
    const camel = snakeToCamel(k);
    const misspelt = camel !== k && known.includes(camel);
    if (misspelt || k === 'shape' || (!funcGiven && !known.includes(k))) {
      const hint = misspelt ? ` (did you mean '${camel}'?)` : '';
      const rest = funcGiven ? ', or options of func' : ' (ctx and dtype go to nd.zeros, the default func)';
      throw new TypeError(`${where}: unknown option '${k}'${hint}; expected one of: ${known.join(', ')}${rest}`);
    }
  }
  if (!Number.isInteger(batchSize) || batchSize < 0)
    throw new TypeError(`${where}: batchSize must be a non-negative integer, got ${describe(batchSize)}`);
  if (typeof func !== 'function') throw new TypeError(`${where}: func must be a function, got ${describe(func)}`);
  return { batchSize, func, kwargs: kw };
}

export function makeStates(
  infos: StateInfo[],
  func: StateFunc,
  kwargs: Record<string, unknown>,
  names: readonly string[] = [],
): NDArray[] {
  return infos.map((info, i) => {
    const o: { shape: number[] } & Record<string, unknown> = { shape: [...info.shape], ...kwargs };
    // mx.sym.zeros (tracing): Python's begin_state passes name= and **info (__layout__).
    if (isSymbolicFill(func) && names[i] !== undefined) {
      o.name ??= names[i];
      if (info.__layout__ !== undefined) o.attr = { __layout__: info.__layout__, ...(o.attr as object | undefined) };
    }
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
  return [...cells].flatMap((c) => c.beginState(...(args as BeginStateArgs)));
}

/** `_get_begin_state`: zeros, made by mx.sym.zeros when the inputs are Symbols (tracing). */
export function defaultBeginState(cell: RecurrentCell, inputs: unknown, batchSize: number): NDArray[] {
  const first = Array.isArray(inputs) ? inputs[0] : inputs;
  return first instanceof MxSymbol
    ? cell.beginState(0, { func: sym.zeros as unknown as StateFunc })
    : cell.beginState(batchSize);
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
  if (!(b instanceof RecurrentCell)) throw new TypeError(`${where}: expected a recurrent cell, got ${describe(b)}`);
  return b;
}

export function parseUnroll(where: string, args: unknown[]): ParsedUnroll {
  const o = parseArgs<ParsedUnroll>(
    where,
    args,
    ['length', 'inputs', 'beginState', 'layout', 'mergeOutputs', 'validLength'],
    { beginState: null, layout: 'NTC', mergeOutputs: null, validLength: null },
    ['length', 'inputs'],
  );
  if (!Number.isInteger(o.length) || o.length < 1)
    throw new TypeError(`${where}: length must be a positive integer, got ${describe(o.length)}`);
  checkLayout(where, o.layout);
  if (o.mergeOutputs !== null && typeof o.mergeOutputs !== 'boolean') {
    throw new TypeError(`${where}: mergeOutputs must be true, false or null, got ${describe(o.mergeOutputs)}`);
  }
  if (o.beginState !== null && !Array.isArray(o.beginState)) {
    throw new TypeError(`${where}: beginState must be an array of NDArrays, got ${describe(o.beginState)}`);
  }
  return o;
}

/**
 * Abstract base of recurrent cells. A step is `cell.forward(x, states)` → `[output, states]`;
 * `unroll(length, inputs, { beginState, layout: 'NTC', mergeOutputs, validLength })` runs
 * many steps and returns `[outputs, states]`.
 */
export class RecurrentCell extends Block {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'RecurrentCell';
  /** @internal Set while a modifier cell wraps this cell. */
  _modified = false;
  protected _initCounter = -1;
  protected _counter = -1;

  /** `RecurrentCell(prefix=null, params=null)`. */
  constructor(...args: BlockArgs) {
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
    const want = this._stepShapes.get(this, N);
    if (states.length !== want.length) {
      throw new RangeError(
        `${className(this)}: expected ${want.length} state${want.length === 1 ? '' : 's'}, got ${states.length}`,
      );
    }
    for (let i = 0; i < states.length; i++) {
      const s = states[i];
      const w = want[i] as readonly number[];
      if (!hasShape(s, w)) {
        throw new RangeError(
          `${className(this)}: state ${i} must have shape ${shapeStr(w)}, got ${s instanceof NDArray ? shapeStr(s.shape) : String(s)}`,
        );
      }
    }
    return N;
  }

  private readonly _stepShapes = new StateShapes();

  /** `beginState(batchSize=0, { func: nd.zeros, ...kwargs })`: the initial states. */
  beginState(...args: BeginStateArgs): NDArray[];
  beginState(...args: unknown[]): NDArray[] {
    assertNotModified(this);
    const { batchSize, func, kwargs } = parseBeginState(`${className(this)}.beginState`, args);
    const infos = this.stateInfo(batchSize);
    const names = infos.map((_s, i) => `${this.prefix}begin_state_${this._initCounter + 1 + i}`);
    this._initCounter += infos.length;
    return makeStates(infos, func, kwargs, names);
  }

  /** One step: `[output, newStates]`. */
  override forward(inputs: NDArray, states: NDArray[]): [NDArray, NDArray[]];
  override forward(_inputs: unknown, _states?: unknown): [NDArray, NDArray[]] {
    throw new NotImplementedError(`${className(this)}.forward is not implemented`);
  }

  /**
   * `unroll(length, inputs, beginState=null, layout='NTC', mergeOutputs=null, validLength=null)`
   * (positional or in one trailing object). Returns `[outputs, states]`; outputs are a list
   * of (N, H) steps or one merged tensor per spec §7; the type follows `mergeOutputs`.
   */
  unroll<M extends MergeOutputs = undefined>(...args: UnrollArgs<M>): [UnrollOutputs<M>, NDArray[]];
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
    o: ParsedUnroll;
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
    return {
      o,
      steps: inputs as NDArray[],
      axis,
      batchSize,
      vl,
      begin: o.beginState ?? defaultBeginState(this, o.inputs, batchSize),
    };
  }
}

/** A recurrent cell whose step is `hybridForward(F, x, states, params)`. */
export class HybridRecurrentCell extends RecurrentCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'HybridRecurrentCell';
  override _isHybrid(): boolean {
    return true;
  }

  override registerChild<B extends Block>(block: B, name?: string | null): B {
    assertHybridChild(block);
    return super.registerChild(block, name);
  }

  override forward(inputs: NDArray, states: NDArray[]): [NDArray, NDArray[]];
  override forward(inputs: unknown, states?: unknown): [NDArray, NDArray[]] {
    this._counter++;
    // Symbols trace the step (HybridBlock.export; ts/gluon/symbolic_layers.ts).
    if (inputs instanceof MxSymbol) return traceBlock(this, inputs, [states]) as [NDArray, NDArray[]];
    if (!(inputs instanceof NDArray))
      throw new TypeError(`${className(this)}.forward: inputs must be an NDArray, got ${describe(inputs)}`);
    if (!Array.isArray(states)) {
      throw new TypeError(
        `${className(this)}.forward: states must be an array of NDArrays (e.g. cell.beginState(batchSize)), got ${describe(states)}`,
      );
    }
    return this._callHybridForward(inputs, [states]) as [NDArray, NDArray[]];
  }
}

/** @internal Whether `x` is an NDArray of exactly `shape` (without allocating: checked per token). */
export function hasShape(x: unknown, shape: readonly number[]): boolean {
  let same = x instanceof NDArray && x.ndim === shape.length;
  for (let j = 0; same && j < shape.length; j++) same = (x as NDArray).shape[j] === shape[j];
  return same;
}

/**
 * @internal `stateInfo(N)`'s shapes, kept for the last batch size: a token-by-token caller
 * checks its states on every call. For blocks whose state shapes depend on N alone (the
 * cells and fused layers, whose sizes are fixed when they are built).
 */
export class StateShapes {
  private n = -1;
  private shapes: (readonly number[])[] = [];

  get(block: { stateInfo(batchSize: number): StateInfo[] }, N: number): (readonly number[])[] {
    if (N !== this.n) {
      this.shapes = block.stateInfo(N).map((i) => i.shape);
      this.n = N;
    }
    return this.shapes;
  }
}

/** Product of the non-batch dimensions: a cell's input size (FullyConnected flattens). */
export function featureSize(x: NDArray): number {
  let n = 1;
  for (let i = 1; i < x.shape.length; i++) n *= x.shape[i] as number;
  return n;
}
