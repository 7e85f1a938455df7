// Runs a symbol graph node by node in topological order. Each node's outputs are computed once;
// an intermediate is dropped as soon as its last consumer has run (NDArrays are JS-owned, so
// dropping the reference frees it). Nodes that depend only on parameters (the flattened RNN
// parameter vector, for one) are computed once and kept while the parameter arrays are the
// same, so a fused layer's packed kernel is reused across calls.

import { isRecording } from '../autograd/tape.js';
import { NDArray, type Shape, shapeStr, zerosOf } from '../ndarray/ndarray.js';
import { ValueError } from '../util/errors.js';
import { AttrReader } from './attrs.js';
import type { EntryRef, SymbolGraph } from './graph.js';
import { type ForwardContext, isKnown, type NodeSlot, type PreparedOp, type PShape, ShapeIO } from './op.js';
import { OPERATORS } from './operators.js';

/** Names of the operators the graph executor runs, sorted. */
export function supportedOperators(): string[] {
  return [...OPERATORS.keys()].sort();
}

/** Operators of `graph` (and its subgraphs) that the table lacks: [op, node name]. */
function missingOperators(graph: SymbolGraph): [string, string][] {
  const out: [string, string][] = [];
  for (const n of graph.nodes) {
    if (n.op !== 'null' && !OPERATORS.has(n.op)) out.push([n.op, n.name]);
    for (const g of n.subgraphs) out.push(...missingOperators(g));
  }
  return out;
}

/** A prepared graph: operators parsed, use counts and constant nodes known. */
export class GraphExecutor {
  private readonly ops: (PreparedOp | null)[];
  private readonly slots: NodeSlot[];
  private readonly subs: GraphExecutor[][];
  private readonly uses: number[];
  private readonly constant: boolean[];
  private readonly needsShapes: boolean;
  private readonly shapeCache = new Map<string, PShape[][]>();
  private constBound: (NDArray | undefined)[] = [];
  private readonly constValues = new Map<number, NDArray[]>();

  /**
   * `constVars`: variable nodes bound to parameters (same arrays across calls). Throws, before
   * anything runs, when an operator is missing: naming it, its node and the supported list.
   */
  constructor(
    readonly where: string,
    readonly graph: SymbolGraph,
    constVars: ReadonlySet<number> = new Set(),
  ) {
    const missing = missingOperators(graph);
    if (missing.length > 0) {
      const list = missing.map(([op, name]) => `'${op}' (node '${name}')`).join(', ');
      throw new ValueError(
        `${where}: operator ${list} is not supported; supported operators: ${supportedOperators().join(', ')}`,
      );
    }
    const nodes = graph.nodes;
    this.ops = nodes.map((n) => {
      if (n.op === 'null') return null;
      const r = new AttrReader(`${where}: ${n.op} node '${n.name}'`, n.attrs);
      return (OPERATORS.get(n.op) as NonNullable<ReturnType<typeof OPERATORS.get>>)(r, n, graph);
    });
    const checkEntry = (reader: string, e: EntryRef): void => {
      const src = this.ops[e.node];
      const count = src === null || src === undefined ? 1 : src.numOutputs;
      if (e.index >= count)
        throw new ValueError(
          `${where}: ${reader} reads output ${e.index} of '${nodes[e.node]?.name}', which has ${count}`,
        );
    };
    nodes.forEach((n, i) => {
      if (this.ops[i] !== null) for (const e of n.inputs) checkEntry(`node '${n.name}'`, e);
    });
    for (const h of graph.heads) checkEntry('the graph (heads)', h);
    this.slots = nodes.map(() => ({ value: null }));
    this.subs = nodes.map((n) =>
      n.subgraphs.map((g, k) => new GraphExecutor(`${where}: ${n.op} node '${n.name}' subgraph ${k}`, g)),
    );
    this.uses = nodes.map(() => 0);
    for (const n of nodes) for (const e of n.inputs) (this.uses[e.node] as number)++;
    for (const h of graph.heads) (this.uses[h.node] as number)++;
    this.constant = [];
    nodes.forEach((n, i) => {
      const p = this.ops[i];
      this.constant[i] =
        p === null
          ? constVars.has(i)
          : p?.deterministic === true && n.inputs.length > 0 && n.inputs.every((e) => this.constant[e.node]);
    });
    this.needsShapes = this.ops.some((p) => p?.needsShapes === true);
  }

  /**
   * `node_row_ptr` of this graph: the file's when it had one, else the running count of the
   * nodes' outputs (the visible ones: MXNet's reader does not use this field).
   */
  rowPtr(): number[] {
    if (this.graph.nodeRowPtr !== null) return [...this.graph.nodeRowPtr];
    const out = [0];
    for (const p of this.ops)
      out.push((out[out.length - 1] as number) + (p === null || p === undefined ? 1 : p.numOutputs));
    return out;
  }

  /** `rowPtr()` of `g`: this graph or one of its subgraphs (at any depth); null when `g` is neither. */
  rowPtrOf(g: SymbolGraph): number[] | null {
    if (g === this.graph) return this.rowPtr();
    for (const subs of this.subs) {
      for (const e of subs) {
        const r = e.rowPtrOf(g);
        if (r !== null) return r;
      }
    }
    return null;
  }

  /** Releases the packed kernels the nodes hold (rebuilt on the next call). */
  dispose(): void {
    for (const s of this.slots) {
      s.value?.dispose();
      s.value = null;
    }
    for (const subs of this.subs) for (const e of subs) e.dispose();
    this.constValues.clear();
    this.constBound = [];
  }

  /**
   * MXNet's shape inference: `vars` gives the variables' shapes; every node's output shapes
   * are refined (forward and backward) until nothing changes. Returns per-node output shapes.
   */
  inferShapes(vars: ReadonlyMap<number, PShape>): { outs: PShape[][]; vars: Map<number, PShape> } {
    const nodes = this.graph.nodes;
    const outs: PShape[][] = nodes.map((_n, i) => {
      const p = this.ops[i];
      if (p === null || p === undefined) return [vars.get(i) ?? null];
      return new Array<PShape>(p.numOutputs).fill(null);
    });
    for (let pass = 0; pass <= nodes.length; pass++) {
      let changed = false;
      nodes.forEach((n, i) => {
        const p = this.ops[i];
        if (p === null || p === undefined) return;
        const ins = n.inputs.map((e) => (outs[e.node] as PShape[])[e.index] ?? null);
        const io = new ShapeIO(`${this.where}: ${n.op} node '${n.name}'`, ins, outs[i] as PShape[], (k, subIns) =>
          this.sub(i, k).inferArgs(subIns),
        );
        if (p.infer !== null) p.infer(io);
        else if (ins.every(isKnown) && !(outs[i] as PShape[]).every(isKnown)) inferByRunning(p, io, ins as number[][]);
        n.inputs.forEach((e, k) => {
          (outs[e.node] as PShape[])[e.index] = io.ins[k] ?? null;
        });
        changed ||= io.changed;
      });
      if (!changed) break;
    }
    const varShapes = new Map<number, PShape>();
    this.graph.argNodes.forEach((i) => {
      varShapes.set(i, (outs[i] as PShape[])[0] ?? null);
    });
    return { outs, vars: varShapes };
  }

  /** Shape inference from the inputs in `argNodes` order (a subgraph's interface). */
  inferArgs(ins: readonly PShape[]): { ins: PShape[]; outs: PShape[] } {
    const vars = new Map<number, PShape>();
    this.graph.argNodes.forEach((n, k) => {
      const s = ins[k] ?? null;
      vars.set(n, s === null ? null : [...s]);
    });
    const r = this.inferShapes(vars);
    return {
      ins: this.graph.argNodes.map((n) => r.vars.get(n) ?? null),
      outs: this.graph.heads.map((h) => (r.outs[h.node] as PShape[])[h.index] ?? null),
    };
  }

  /** Runs the graph with `bound[nodeIndex]` for every variable node; returns the heads. */
  run(bound: readonly (NDArray | undefined)[]): NDArray[] {
    const nodes = this.graph.nodes;
    if (this.constBound.length !== bound.length || this.constant.some((c, i) => c && this.constBound[i] !== bound[i])) {
      this.constValues.clear();
      this.constBound = [...bound];
    }
    const shapes = this.needsShapes ? this.shapesFor(bound) : null;
    const values: (NDArray[] | undefined)[] = new Array(nodes.length);
    const left = [...this.uses];
    nodes.forEach((n, i) => {
      const p = this.ops[i];
      if (p === null || p === undefined) {
        const v = bound[i];
        if (v === undefined) throw new ValueError(`${this.where}: variable '${n.name}' has no value`);
        values[i] = [v];
        return;
      }
      // Under autograd.record() a node fed only by parameters is recomputed so that it is
      // recorded and gradients reach the parameters (fine-tuning an imported model).
      const folded = this.constant[i] === true && !isRecording();
      const cached = folded ? this.constValues.get(i) : undefined;
      if (cached !== undefined) {
        values[i] = cached;
      } else {
        const ins = n.inputs.map((e) => (values[e.node] as NDArray[])[e.index] as NDArray);
        const ctx: ForwardContext = {
          outShapes: shapes === null ? null : (shapes[i] ?? null),
          slot: this.slots[i] as NodeSlot,
          runSubgraph: (k, inputs) => this.sub(i, k).runArgs(inputs),
        };
        const outs = p.forward(ins, ctx);
        if (outs.length < p.numOutputs)
          throw new ValueError(`${this.where}: node '${n.name}' gave ${outs.length} outputs, expected ${p.numOutputs}`);
        values[i] = outs;
        if (folded) this.constValues.set(i, outs);
      }
      for (const e of n.inputs) {
        left[e.node] = (left[e.node] as number) - 1;
        if (left[e.node] === 0) values[e.node] = undefined;
      }
    });
    return this.graph.heads.map((h) => (values[h.node] as NDArray[])[h.index] as NDArray);
  }

  /** Runs the graph with its inputs in `argNodes` order (a subgraph's interface). */
  runArgs(inputs: readonly NDArray[]): NDArray[] {
    const bound: (NDArray | undefined)[] = new Array(this.graph.nodes.length);
    this.graph.argNodes.forEach((n, k) => {
      bound[n] = inputs[k];
    });
    return this.run(bound);
  }

  private sub(node: number, k: number): GraphExecutor {
    const e = this.subs[node]?.[k];
    if (e === undefined)
      throw new ValueError(`${this.where}: node '${this.graph.nodes[node]?.name}' has no subgraph ${k}`);
    return e;
  }

  private shapesFor(bound: readonly (NDArray | undefined)[]): PShape[][] {
    const key = this.graph.argNodes.map((i) => (bound[i] === undefined ? '?' : bound[i].shape.join(','))).join(';');
    let s = this.shapeCache.get(key);
    if (s === undefined) {
      const vars = new Map<number, PShape>();
      for (const i of this.graph.argNodes) {
        const b = bound[i];
        vars.set(i, b === undefined ? null : [...b.shape]);
      }
      s = this.inferShapes(vars).outs;
      if (this.shapeCache.size > 64) this.shapeCache.clear();
      this.shapeCache.set(key, s);
    }
    return s;
  }
}

/** Shape inference of an operator without its own: run it on zeros of the known input shapes. */
function inferByRunning(p: PreparedOp, io: ShapeIO, ins: readonly Shape[]): void {
  const zeros = ins.map((s) => new NDArray(zerosOf(s, io.where), s));
  const outs = p.forward(zeros, {
    outShapes: null,
    slot: { value: null },
    runSubgraph: () => {
      throw new ValueError(`${io.where}: cannot infer shapes (${ins.map((s) => shapeStr(s)).join(', ')})`);
    },
  });
  outs.forEach((o, k) => {
    io.setOut(k, [...o.shape]);
  });
}
