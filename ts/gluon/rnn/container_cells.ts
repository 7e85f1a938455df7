// SequentialRNNCell, HybridSequentialRNNCell, BidirectionalCell (rnn_cell.py:682-832, 1018-1092).

import * as nd from '../../ndarray/index.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { sym } from '../../symbol/sym_ops.js';
import { MxSymbol } from '../../symbol/symbol.js';
import { AssertionError, indent, NotImplementedError } from '../../util/errors.js';
import type { PositionalArgs } from '../../util/options.js';
import type { Block, BlockArgs } from '../block.js';
import { className } from '../block.js';
import {
  asCell,
  assertNotModified,
  type BeginStateArgs,
  cellsBeginState,
  cellsStateInfo,
  defaultBeginState,
  HybridRecurrentCell,
  type MergeOutputs,
  parseUnroll,
  RecurrentCell,
  type StateInfo,
  type UnrollArgs,
  type UnrollOutputs,
} from './base_cell.js';
import { formatSequence, maskSequenceVariableLength, reverseSequences, type Seq } from './sequence.js';

function cellsOf(self: Block): RecurrentCell[] {
  return [...self._children.values()].map((c) => asCell(className(self), c));
}

/** SequentialRNNCell's __repr__: unlike Block's, Python does not indent the child lines. */
function seqRepr(self: Block): string {
  const lines = [...self._children].map(([i, m]) => `(${i}): ${indent(m.toString(), 2)}`);
  return `${className(self)}(\n${lines.join('\n')}\n)`;
}

/** Python `cell[i]` (negative counts from the end). */
function cellAt(self: Block, i: number): RecurrentCell {
  const c = cellsOf(self)[i < 0 ? i + self._children.size : i];
  if (c === undefined)
    throw new RangeError(`${className(self)}: index ${i} out of range for ${self._children.size} cells`);
  return c;
}

/** `_cells_begin_state` of the children, refused while a modifier cell wraps `self`. */
function childrenBeginState(self: RecurrentCell, args: unknown[]): NDArray[] {
  assertNotModified(self);
  return cellsBeginState(cellsOf(self), args);
}

/** One step through every child in order; states are the children's, concatenated. */
function stepCells(self: Block, inputs: NDArray, states: NDArray[]): [NDArray, NDArray[]] {
  const cells = cellsOf(self);
  if (cells.some((c) => c instanceof BidirectionalCell))
    throw new AssertionError('Bidirectional cannot be stepped. Please use unroll');
  let x = inputs;
  let p = 0;
  const next: NDArray[] = [];
  for (const cell of cells) {
    const n = cell.stateInfo().length;
    const [out, st] = cell.forward(x, states.slice(p, p + n));
    p += n;
    x = out;
    next.push(...st);
  }
  return [x, next];
}

/** Unrolls each child over the whole sequence in turn (spec §6.1). */
function unrollCells(self: RecurrentCell, args: unknown[]): [Seq, NDArray[]] {
  const o = parseUnroll(`${className(self)}.unroll`, args);
  self.reset();
  const { inputs, batchSize } = formatSequence(o.length, o.inputs, o.layout, null);
  const cells = cellsOf(self);
  const begin = o.beginState ?? defaultBeginState(self, o.inputs, batchSize);
  let x: Seq = inputs;
  let p = 0;
  const next: NDArray[] = [];
  cells.forEach((cell, i) => {
    const n = cell.stateInfo().length;
    const [out, st] = cell.unroll(o.length, x, {
      beginState: begin.slice(p, p + n),
      layout: o.layout,
      mergeOutputs: i < cells.length - 1 ? null : o.mergeOutputs,
      validLength: o.validLength,
    });
    p += n;
    x = out;
    next.push(...st);
  });
  return [x, next];
}

/**
 * Stacks cells: a step runs each in turn; `unroll` unrolls each over the whole sequence.
 * The type parameter is the cells' type, so `get(i)` keeps it (default any RecurrentCell).
 */
export class SequentialRNNCell<T extends RecurrentCell = RecurrentCell> extends RecurrentCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'SequentialRNNCell';
  /** `SequentialRNNCell(prefix=null, params=null)`. */
  constructor(...args: BlockArgs) {
    super(...args);
  }
  protected override _alias(): string {
    return 'sequentialrnncell';
  }
  /** Appends a cell (registered as child '0', '1', ...). */
  add(cell: T): void {
    this.registerChild(asCell('SequentialRNNCell.add', cell));
  }
  override stateInfo(batchSize = 0): StateInfo[] {
    return cellsStateInfo(cellsOf(this), batchSize);
  }
  override beginState(...args: BeginStateArgs): NDArray[];
  override beginState(...args: unknown[]): NDArray[] {
    return childrenBeginState(this, args);
  }
  override forward(inputs: NDArray, states: NDArray[]): [NDArray, NDArray[]] {
    this._counter++;
    return stepCells(this, inputs, states);
  }
  override unroll<M extends MergeOutputs = undefined>(...args: UnrollArgs<M>): [UnrollOutputs<M>, NDArray[]];
  override unroll(...args: unknown[]): [Seq, NDArray[]] {
    return unrollCells(this, args);
  }
  /** Python `cell[i]` (negative counts from the end). */
  get(i: number): T {
    return cellAt(this, i) as T;
  }
  /** Python `len(cell)`: the number of cells. */
  get length(): number {
    return this._children.size;
  }
  override toString(): string {
    return seqRepr(this);
  }
}

/** SequentialRNNCell of hybrid cells (usable inside a HybridBlock); `T` as for SequentialRNNCell. */
export class HybridSequentialRNNCell<T extends RecurrentCell = RecurrentCell> extends HybridRecurrentCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'HybridSequentialRNNCell';
  /** `HybridSequentialRNNCell(prefix=null, params=null)`. */
  constructor(...args: BlockArgs) {
    super(...args);
  }
  protected override _alias(): string {
    return 'hybridsequentialrnncell';
  }
  /** Appends a hybrid cell (registered as child '0', '1', ...). */
  add(cell: T): void {
    this.registerChild(asCell('HybridSequentialRNNCell.add', cell));
  }
  override stateInfo(batchSize = 0): StateInfo[] {
    return cellsStateInfo(cellsOf(this), batchSize);
  }
  override beginState(...args: BeginStateArgs): NDArray[];
  override beginState(...args: unknown[]): NDArray[] {
    return childrenBeginState(this, args);
  }
  override forward(inputs: NDArray, states: NDArray[]): [NDArray, NDArray[]] {
    this._counter++;
    return stepCells(this, inputs, states);
  }
  override unroll<M extends MergeOutputs = undefined>(...args: UnrollArgs<M>): [UnrollOutputs<M>, NDArray[]];
  override unroll(...args: unknown[]): [Seq, NDArray[]] {
    return unrollCells(this, args);
  }
  /** Python `cell[i]` (negative counts from the end). */
  get(i: number): T {
    return cellAt(this, i) as T;
  }
  /** Python `len(cell)`: the number of cells. */
  get length(): number {
    return this._children.size;
  }
  override toString(): string {
    return seqRepr(this);
  }
}

/** Options of `BidirectionalCell(lCell, rCell, outputPrefix='bi_')`. */
export interface BidirectionalCellOptions {
  /** Prefix of the output names in MXNet's symbolic graph (default 'bi_'). */
  outputPrefix?: string;
}

/**
 * `BidirectionalCell(lCell, rCell, outputPrefix='bi_')`: runs `lCell` forward and `rCell` over
 * the reversed sequence (only the valid prefix with `validLength`), concatenating outputs.
 * It cannot be stepped.
 */
export class BidirectionalCell extends HybridRecurrentCell {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'BidirectionalCell';
  /** Prefix of the output names in MXNet's symbolic graph (kept for fidelity; NDArrays have no names). */
  readonly outputPrefix: string;
  constructor(
    lCell: RecurrentCell,
    rCell: RecurrentCell,
    ...rest: PositionalArgs<[], [outputPrefix: string], BidirectionalCellOptions>
  );
  constructor(lCell: RecurrentCell, rCell: RecurrentCell, ...rest: unknown[]) {
    const o =
      rest.length > 0 && typeof rest[0] === 'object' && rest[0] !== null
        ? (rest[0] as { outputPrefix?: string })
        : { outputPrefix: rest[0] as string | undefined };
    for (const k of Object.keys(o))
      if (k !== 'outputPrefix')
        throw new TypeError(`BidirectionalCell: unknown option '${k}'; expected one of: outputPrefix`);
    super({ prefix: '', params: null });
    this.registerChild(asCell('BidirectionalCell(lCell)', lCell), 'l_cell');
    this.registerChild(asCell('BidirectionalCell(rCell)', rCell), 'r_cell');
    this.outputPrefix = o.outputPrefix ?? 'bi_';
  }
  protected override _alias(): string {
    return 'bidirectionalcell';
  }
  /** Throws: a bidirectional cell cannot be stepped (use `unroll`). */
  override forward(inputs: NDArray, states: NDArray[]): [NDArray, NDArray[]];
  override forward(_inputs: unknown, _states?: unknown): [NDArray, NDArray[]] {
    throw new NotImplementedError('Bidirectional cannot be stepped. Please use unroll');
  }
  override stateInfo(batchSize = 0): StateInfo[] {
    return cellsStateInfo(cellsOf(this), batchSize);
  }
  override beginState(...args: BeginStateArgs): NDArray[];
  override beginState(...args: unknown[]): NDArray[] {
    return childrenBeginState(this, args);
  }
  override unroll<M extends MergeOutputs = undefined>(...args: UnrollArgs<M>): [UnrollOutputs<M>, NDArray[]];
  override unroll(...args: unknown[]): [Seq, NDArray[]] {
    const { o, steps, axis, batchSize, vl, begin: states } = this._startUnroll(args);
    const reversedInputs = reverseSequences(steps, o.length, vl);
    const [lCell, rCell] = cellsOf(this) as [RecurrentCell, RecurrentCell];
    const nl = lCell.stateInfo(batchSize).length;
    const [lOut, lStates] = lCell.unroll(o.length, steps, {
      beginState: states.slice(0, nl),
      layout: o.layout,
      mergeOutputs: o.mergeOutputs,
      validLength: vl,
    });
    const [rOut, rStates] = rCell.unroll(o.length, reversedInputs, {
      beginState: states.slice(nl),
      layout: o.layout,
      mergeOutputs: false,
      validLength: vl,
    });
    const reversedR = reverseSequences(rOut as NDArray[], o.length, vl);
    let merge = o.mergeOutputs;
    let left: Seq = lOut;
    if (merge === null) {
      merge = !Array.isArray(lOut);
      if (merge && o.layout === 'NTC') {
        // Gluon note: MXNet 1.9.1 fails here (rnn_cell.py:1075-1083 re-stacks the merged
        // backward outputs along the wrong axis); this port throws a clear error instead.
        throw new NotImplementedError(
          "BidirectionalCell.unroll: layout 'NTC' with validLength and mergeOutputs=null fails in MXNet 1.9.1; pass mergeOutputs: true or false",
        );
      }
      left = formatSequence(null, lOut, o.layout, merge).inputs;
    }
    let outputs: Seq;
    if ((reversedR[0] as unknown) instanceof MxSymbol) {
      // Tracing: rnn_cell.py's concat nodes, named '<outputPrefix>out' or '<outputPrefix>t<i>'.
      const r = reversedR as unknown as MxSymbol[];
      const p = this.outputPrefix;
      outputs = (merge
        ? sym.concat(left as unknown as MxSymbol, sym.stack(r, { axis }), { dim: 2, name: `${p}out` })
        : (left as unknown as MxSymbol[]).map((l, i) =>
            sym.concat(l, r[i] as MxSymbol, { dim: 1, name: `${p}t${i}` }),
          )) as unknown as Seq;
    } else if (merge) {
      outputs = nd.concat(left as NDArray, nd.stack(reversedR, { axis }), { dim: 2 });
    } else {
      const ls = left as NDArray[];
      outputs = ls.map((l, i) => nd.concat(l, reversedR[i] as NDArray, { dim: 1 }));
    }
    if (vl !== null) outputs = maskSequenceVariableLength(outputs, o.length, vl, axis, merge);
    return [outputs, [...lStates, ...rStates]];
  }
  override toString(): string {
    const c = this._children;
    return `BidirectionalCell(forward=${String(c.get('l_cell'))}, backward=${String(c.get('r_cell'))})`;
  }
}
