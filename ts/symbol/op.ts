// What the graph executor needs of one operator: output count, shape inference in MXNet's
// style (shapes with 0 for unknown dimensions, refined in both directions until nothing
// changes; src/executor/infer_graph_attr_pass.cc), and forward on NDArrays.

import type { NDArray } from '../ndarray/ndarray.js';
import { shapeStr } from '../ndarray/ndarray.js';
import { ValueError } from '../util/errors.js';
import type { AttrReader } from './attrs.js';
import type { SymbolGraph, SymbolNode } from './graph.js';

/** A partly known shape: null when even the rank is unknown; 0 marks an unknown dimension. */
export type PShape = number[] | null;

/** True when the shape and all its dimensions are known. */
export function isKnown(s: PShape): s is number[] {
  return s?.every((d) => d > 0) ?? false;
}

/** The input and output shapes of one node during inference; `set*` merge and record changes. */
export class ShapeIO {
  /** Set when any merge refined a shape. */
  changed = false;

  constructor(
    readonly where: string,
    readonly ins: PShape[],
    readonly outs: PShape[],
    /** Shape inference of the node's subgraph `k` given its input shapes (control-flow operators). */
    readonly inferSubgraph: (k: number, ins: readonly PShape[]) => { ins: PShape[]; outs: PShape[] },
  ) {}

  private merge(list: PShape[], i: number, want: PShape, what: string): void {
    if (want === null || i >= list.length) return;
    const cur = list[i] ?? null;
    if (cur === null) {
      list[i] = [...want];
      this.changed = true;
      return;
    }
    if (cur.length !== want.length)
      throw new ValueError(`${this.where}: ${what} ${i} has shape ${shapeStr(cur)}, inferred ${shapeStr(want)}`);
    for (let k = 0; k < cur.length; k++) {
      const a = cur[k] as number;
      const b = want[k] as number;
      if (b === 0 || a === b) continue;
      if (a !== 0)
        throw new ValueError(`${this.where}: ${what} ${i} has shape ${shapeStr(cur)}, inferred ${shapeStr(want)}`);
      cur[k] = b;
      this.changed = true;
    }
  }

  /** Refines input `i` with `s`. */
  setIn(i: number, s: PShape): void {
    this.merge(this.ins, i, s, 'input');
  }

  /** Refines output `i` with `s`. */
  setOut(i: number, s: PShape): void {
    this.merge(this.outs, i, s, 'output');
  }
}

/** What a running node may ask of the executor. */
export interface ForwardContext {
  /** The node's output shapes from inference (0 = unknown), or null when the graph needed none. */
  readonly outShapes: readonly PShape[] | null;
  /** Per-node state kept across calls (packed kernels); released by `dispose`. */
  readonly slot: NodeSlot;
  /** Runs subgraph `k` of this node on `inputs` (in the subgraph's `argNodes` order). */
  runSubgraph(k: number, inputs: readonly NDArray[]): NDArray[];
}

/** Per-node state across calls. */
export interface NodeSlot {
  /** Anything the operator keeps (a packed kernel). */
  value: { dispose(): void } | null;
}

/** The node's state as a `Kind`, made on first use (whatever else the slot held is disposed). */
export function slotOf<T extends { dispose(): void }>(ctx: ForwardContext, Kind: new () => T): T {
  const v = ctx.slot.value;
  if (v instanceof Kind) return v;
  v?.dispose();
  const s = new Kind();
  ctx.slot.value = s;
  return s;
}

/** One node's operator with its attributes parsed. */
export interface PreparedOp {
  /** How many outputs the node has. */
  readonly numOutputs: number;
  /** False for operators whose result varies between calls with the same inputs. */
  readonly deterministic: boolean;
  /** Shape inference: refine `io.ins` / `io.outs`; null means "run forward on zeros once inputs are known". */
  readonly infer: ((io: ShapeIO) => void) | null;
  /** True when forward reads `ctx.outShapes` (a `_zeros` with a deferred dimension). */
  readonly needsShapes?: boolean;
  /** Computes the outputs. */
  forward(ins: readonly NDArray[], ctx: ForwardContext): NDArray[];
}

/** Parses a node's attributes (all read through `r`; unknown ones throw) and returns its operator. */
export type OpFactory = (r: AttrReader, node: SymbolNode, graph: SymbolGraph) => PreparedOp;
