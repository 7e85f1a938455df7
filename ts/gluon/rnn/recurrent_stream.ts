// Token by token through a fused layer or a basic cell, an addition to Gluon (Python calls the
// block with one step and feeds the returned states back). The stream keeps its rows' states in
// two arrays laid out as the kernel writes a step (a layer's `[output | h | c]`, a cell's
// `[h | c]`, whose h is the output) and swaps them after each step: a step copies its input and
// the states into wasm memory and the outputs out, and makes no array. The states stay in
// JavaScript, so a new kernel (changed parameters, a replaced wasm instance) takes them up, and
// a step that throws leaves them as they were.

import { MAX_BUFFER_BYTES } from '../../backend/index.js';
import { NDArray, shapeSize, shapeStr } from '../../ndarray/ndarray.js';
import { describe } from '../../util/describe.js';
import { isPlainObject, parseArgs } from '../../util/options.js';
import { type Block, className } from '../block.js';
import { hasShape, type StateInfo } from './base_cell.js';

/** @internal What a stream runs: a fused layer or a basic cell (their `stream()`). */
export interface StreamHost extends Block {
  stateInfo(batchSize: number): StateInfo[];
  /** Throws, naming `where`, for a block that cannot run token by token. */
  _assertStreamable(where: string): void;
  /** Null when an NDArray of `shape` holds one token of N rows, else the shapes it takes. */
  _streamInput(shape: readonly number[], N: number): string | null;
  /** A step's output size for N rows, and whether it is the first state (a cell's h). */
  _streamOutput(N: number): { size: number; inStates: boolean };
  /** One step of N rows of C features from `states` into `into`, all of the step's outputs. */
  _streamStep(where: string, x: Float32Array, N: number, C: number, states: Float32Array, into: Float32Array): void;
}

/** All of one step's outputs, and views of its output and its states, made once. */
interface StepBuffer {
  all: Float32Array;
  output: Float32Array;
  states: Float32Array;
}

function stepBuffer(stateSize: number, outputSize: number, inStates: boolean): StepBuffer {
  const all = new Float32Array(stateSize + (inStates ? 0 : outputSize));
  const states = inStates ? all : all.subarray(outputSize);
  return { all, output: all.subarray(0, outputSize), states };
}

/** Options of `layer.stream()` and `cell.stream()`. */
export interface RecurrentStreamOptions {
  /** Rows per token, N (default 1). */
  batchSize?: number;
  /**
   * The first token's states as `forward` takes them: `[h]` (RNN, GRU) or `[h, c]` (LSTM), each
   * (numLayers, N, H) for a layer (h is P wide with a projection), (N, H) for a cell. Default:
   * zeros.
   */
  states?: NDArray | NDArray[];
}

/**
 * A recurrent layer or cell run one token at a time (`layer.stream()`, `cell.stream()`):
 * `step(x)` is `forward(x, states)` with one step and the states of the previous one, to the
 * bit, without the arrays `forward` makes on every call. The block's current parameters are
 * used at each step.
 */
export class RecurrentStream {
  /** Rows per token, N. */
  readonly batchSize: number;
  /** Values in one step's output: N * H (N * P for a layer with a projection). */
  readonly outputSize: number;
  private readonly host: StreamHost;
  private readonly where: string;
  private readonly stepWhere: string;
  private readonly shapes: (readonly number[])[];
  /** The outputs of the last step (its states are the next step's), and the other buffer. */
  private cur: StepBuffer;
  private spare: StepBuffer;

  /** @internal Use `layer.stream(options)` or `cell.stream(options)`. */
  constructor(host: StreamHost, options: RecurrentStreamOptions = {}) {
    if (typeof (host as Partial<StreamHost> | null)?._assertStreamable !== 'function') {
      throw new TypeError(
        `RecurrentStream: expected a recurrent layer or cell (use layer.stream() or cell.stream()), got ${describe(host)}`,
      );
    }
    const where = `${className(host)}.stream`;
    if (!isPlainObject(options)) throw new TypeError(`${where}: options must be an object, got ${describe(options)}`);
    const o = parseArgs<RecurrentStreamOptions>(where, [options], ['batchSize', 'states'], {});
    const N = o.batchSize ?? 1;
    if (!Number.isInteger(N) || N <= 0)
      throw new RangeError(`${where}: batchSize must be a positive integer, got ${describe(N)}`);
    host._assertStreamable(where);
    this.host = host;
    this.batchSize = N;
    this.where = where;
    this.stepWhere = `${where}.step`;
    this.shapes = host.stateInfo(N).map((i) => i.shape);
    const out = host._streamOutput(N);
    this.outputSize = out.size;
    let stateSize = 0;
    for (const s of this.shapes) stateSize += shapeSize(s);
    // A step stages the states in and the outputs out in one wasm allocation: refuse a batch
    // that can never step before making its buffers.
    const staged = 4 * (2 * stateSize + (out.inStates ? 0 : out.size));
    if (staged > MAX_BUFFER_BYTES) {
      throw new RangeError(
        `${where}: batchSize ${N} needs ${staged} bytes of states and outputs per step, more than the ${MAX_BUFFER_BYTES} one wasm32 allocation holds`,
      );
    }
    this.cur = stepBuffer(stateSize, out.size, out.inStates);
    this.spare = stepBuffer(stateSize, out.size, out.inStates);
    if (o.states !== undefined) this.reset(o.states);
  }

  /**
   * Runs one token: `x` holds its N rows of C features, a Float32Array of N * C values or an
   * NDArray: (N, C), (1, N, C) or (N, 1, C) for a layer; (N, ...) for a cell, whose features
   * are flattened as in `forward`. The output, N rows of H (P with a projection), goes into
   * `out` when given (`outputSize` values), else into a new array; it is returned.
   */
  step(x: NDArray | Float32Array, out?: Float32Array): Float32Array {
    const w = this.stepWhere;
    const N = this.batchSize;
    let data: Float32Array;
    if (x instanceof NDArray) {
      const want = this.host._streamInput(x.shape, N);
      if (want !== null) throw new RangeError(`${w}: x must be ${want}, got ${shapeStr(x.shape)}`);
      data = x.data;
    } else if (x instanceof Float32Array) {
      data = x;
    } else {
      throw new TypeError(`${w}: x must be an NDArray or a Float32Array, got ${describe(x)}`);
    }
    const C = data.length / N;
    if (!Number.isInteger(C) || C === 0)
      throw new RangeError(`${w}: x must hold ${N} rows (batchSize) of C features, got ${data.length} values`);
    if (out !== undefined && !(out instanceof Float32Array && out.length === this.outputSize)) {
      const got = out instanceof Float32Array ? `${out.length} values` : String(out);
      throw new RangeError(`${w}: out must be a Float32Array of outputSize = ${this.outputSize} values, got ${got}`);
    }
    const next = this.spare;
    this.host._streamStep(w, data, N, C, this.cur.states, next.all);
    this.spare = this.cur;
    this.cur = next;
    if (out === undefined) return next.output.slice();
    out.set(next.output);
    return out;
  }

  /** Copies of the current states, shaped as `forward` returns them: `[h]` or `[h, c]`. */
  states(): NDArray[] {
    let at = 0;
    return this.shapes.map((shape) => {
      const n = shapeSize(shape);
      const s = new NDArray(this.cur.states.slice(at, at + n), shape);
      at += n;
      return s;
    });
  }

  /** Back to zero states, or to `states` (as the `states` option takes them). */
  reset(states?: NDArray | NDArray[]): void {
    if (states === undefined) {
      this.cur.states.fill(0);
      return;
    }
    const st = states instanceof NDArray ? [states] : states;
    if (!Array.isArray(st) || st.length !== this.shapes.length) {
      const got = Array.isArray(st) ? `${st.length}` : String(states);
      throw new RangeError(
        `${this.where}: states must be ${this.shapes.length} NDArray(s) of shapes ${this.shapes.map(shapeStr).join(', ')}, got ${got}`,
      );
    }
    st.forEach((s, i) => {
      const want = this.shapes[i] as readonly number[];
      if (!hasShape(s, want))
        throw new RangeError(
          `${this.where}: states[${i}] must be ${shapeStr(want)}, got ${s instanceof NDArray ? shapeStr(s.shape) : String(s)}`,
        );
    });
    let at = 0;
    for (const s of st) {
      this.cur.states.set(s.data, at);
      at += s.size;
    }
  }
}
