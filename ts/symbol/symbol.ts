// Symbols for tracing (python/mxnet/symbol/symbol.py): each operator call appends a node to a
// graph whose attributes are the strings MXNet writes, named by the current name scope
// (python/mxnet/name.py: NameManager and Prefix). `graphOf(heads)` orders the nodes as nnvm's
// DFSVisit does (post-order from the heads, inputs in order), which is the order of MXNet's
// `-symbol.json`. Every node is checked against the operator table (ts/symbol/operators.ts):
// its attributes are parsed there, so an unknown or malformed attribute throws when traced.

import { describe } from '../util/describe.js';
import { ValueError } from '../util/errors.js';
import { AttrReader, type StringAttrs } from './attrs.js';
import type { EntryRef, SymbolGraph, SymbolNode } from './graph.js';
import { graphToJson } from './json_writer.js';
import { OPERATORS } from './operators.js';

/** A traced node: a variable (`op === 'null'`) or an operator call. */
interface TracedNode {
  readonly op: string;
  readonly name: string;
  readonly attrs: StringAttrs;
  readonly inputs: readonly MxSymbol[];
  /** Outputs a consumer may read. */
  readonly numOutputs: number;
  /** All outputs, hidden ones included (BatchNorm's mean and variance, ...): `node_row_ptr`. */
  readonly totalOutputs: number;
}

/** One output of a traced node. Operators of `mx.sym` take and return Symbols. */
export class MxSymbol {
  /** @internal */
  constructor(
    /** @internal The traced node this symbol is an output of. */
    readonly _node: TracedNode,
    /** @internal Which of the node's outputs. */
    readonly _index: number,
  ) {}

  /** The node's name (MXNet's `sym.name`). */
  get name(): string {
    return this._node.name;
  }

  /** Python `sym.list_arguments()`: the variables this symbol reads, in graph order. */
  listArguments(): string[] {
    const g = graphOf([this]);
    return g.argNodes.map((i) => (g.nodes[i] as SymbolNode).name);
  }

  /** Python `sym.tojson()`: the graph as MXNet 1.9.1 writes `-symbol.json`. */
  toJson(): string {
    return groupToJson([this]);
  }

  // Methods as NDArray's and Python Symbol's (the same operators as the mx.sym functions).

  /** `x.reshape(shape, { reverse })` (a number for Python's `x.reshape(-1)`). */
  reshape(shape: readonly number[] | number, options?: { reverse?: boolean }): MxSymbol {
    return methods().reshape(this, shape, options ?? {});
  }
  /** `x.transpose(axes?)`. */
  transpose(axes?: readonly number[] | null): MxSymbol {
    return axes === undefined || axes === null ? methods().transpose(this) : methods().transpose(this, axes);
  }
  /** `x.swapaxes(dim1, dim2)` (`SwapAxis`). */
  swapaxes(dim1: number, dim2: number): MxSymbol {
    return methods().swapaxes(this, dim1, dim2);
  }
  /** `x.expandDims(axis)` (`expand_dims`). */
  expandDims(axis: number): MxSymbol {
    return methods().expand_dims(this, axis);
  }
  /** `x.softmax({ axis, temperature })`. */
  softmax(options?: { axis?: number; temperature?: number | null }): MxSymbol {
    return methods().softmax(this, options ?? {});
  }
  /** `x.sum({ axis, keepdims, exclude })`. */
  sum(options?: { axis?: number | readonly number[] | null; keepdims?: boolean; exclude?: boolean }): MxSymbol {
    return methods().sum(this, options ?? {});
  }
  /** `x.mean({ axis, keepdims, exclude })`. */
  mean(options?: { axis?: number | readonly number[] | null; keepdims?: boolean; exclude?: boolean }): MxSymbol {
    return methods().mean(this, options ?? {});
  }
  /** `x.relu()`. */
  relu(): MxSymbol {
    return methods().relu(this);
  }
  /** `x.sigmoid()`. */
  sigmoid(): MxSymbol {
    return methods().sigmoid(this);
  }
  /** `x.tanh()`. */
  tanh(): MxSymbol {
    return methods().tanh(this);
  }
  /** Python `x + y`: `elemwise_add`, or `_plus_scalar` with a number. */
  add(other: MxSymbol | number): MxSymbol {
    return methods().add(this, other);
  }
  /** Python `x - y`: `elemwise_sub`, or `_minus_scalar` with a number. */
  sub(other: MxSymbol | number): MxSymbol {
    return methods().sub(this, other);
  }
  /** Python `x * y`: `elemwise_mul`, or `_mul_scalar` with a number. */
  mul(other: MxSymbol | number): MxSymbol {
    return methods().mul(this, other);
  }
  /** Python `x / y`: `elemwise_div`, or `_div_scalar` with a number. */
  div(other: MxSymbol | number): MxSymbol {
    return methods().div(this, other);
  }

  /** Python's repr: `<Symbol name>`. */
  toString(): string {
    return `<MxSymbol ${this.name}>`;
  }
}

/** The operators the methods call (mx.sym, bound by ts/symbol/sym_ops.ts when it loads). */
type Methods = Record<
  | 'reshape'
  | 'transpose'
  | 'swapaxes'
  | 'expand_dims'
  | 'softmax'
  | 'sum'
  | 'mean'
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'add'
  | 'sub'
  | 'mul'
  | 'div',
  (...args: never[]) => MxSymbol
>;
let boundMethods: Methods | null = null;

function methods(): Record<keyof Methods, (...args: unknown[]) => MxSymbol> {
  if (boundMethods === null) throw new Error('mx.sym is not loaded');
  return boundMethods as unknown as Record<keyof Methods, (...args: unknown[]) => MxSymbol>;
}

/** @internal Called once by ts/symbol/sym_ops.ts. */
export function bindSymbolMethods(m: Methods): void {
  boundMethods = m;
}

/** Python's str() of an attribute value, as symbol creation stores it. */
export function pyAttr(where: string, key: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  if (typeof v === 'number') return pyNumber(v);
  if (Array.isArray(v) && v.every((d) => typeof d === 'number' || d === null)) {
    const item = (d: number | null): string => (d === null ? 'None' : pyNumber(d));
    return v.length === 1 ? `(${item(v[0])},)` : `(${v.map(item).join(', ')})`;
  }
  throw new TypeError(
    `${where}: attribute '${key}' must be a number, boolean, string, null or tuple of numbers and nulls, got ${describe(v)}`,
  );
}

/**
 * A number as Python writes it: integers as ints ('2'), others as `repr(float)` ('0.5', '1e-05').
 * Gluon note: JavaScript has one number type, so 1.0 is written '1' (MXNet parses both).
 */
export function pyNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return String(v);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  const [mant, expStr] = v.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp >= -4 && exp < 16) return String(v);
  const e = Math.abs(exp);
  return `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
}

/** Python's NameManager (`Prefix` when `prefix` is set): automatic names hint + counter. */
class NameManager {
  private readonly counter = new Map<string, number>();
  constructor(readonly prefix: string) {}
  get(name: string | null, hint: string): string {
    if (name !== null) return this.prefix + name;
    const n = this.counter.get(hint) ?? 0;
    this.counter.set(hint, n + 1);
    return `${this.prefix}${hint}${n}`;
  }
}

let currentNames = new NameManager('');

/**
 * Runs `fn` with a fresh `Prefix(prefix)` name manager, as a Block's `name_scope()` does while
 * its `hybrid_forward` traces (python/mxnet/gluon/block.py, `_BlockScope.__enter__`).
 */
export function withNamePrefix<T>(prefix: string, fn: () => T): T {
  const old = currentNames;
  currentNames = new NameManager(prefix);
  try {
    return fn();
  } finally {
    currentNames = old;
  }
}

/** Outputs MXNet 1.9.1 (pip, oneDNN build) gives an operator beyond the visible ones. */
function hiddenOutputs(op: string, attrs: StringAttrs): number {
  switch (op) {
    case 'BatchNorm':
    case 'LayerNorm':
      return 2;
    case 'Dropout':
    case 'L2Normalization': // the norms
    case 'sort': // topk's indices (ordering_op.cc)
      return 1;
    case 'topk':
      return attrs.ret_typ === 'value' ? 1 : 0;
    case 'LeakyReLU':
      return attrs.act_type === 'rrelu' ? 1 : 0;
    case 'Pooling': {
      // oneDNN's max pooling keeps a workspace output (channels-first layouts only).
      const max = (attrs.pool_type ?? 'max') === 'max';
      const layout = attrs.layout ?? 'None';
      return max && (layout === 'None' || layout.startsWith('NC')) ? 1 : 0;
    }
    default:
      return 0;
  }
}

const EMPTY_GRAPH: SymbolGraph = { nodes: [], argNodes: [], heads: [], mxnetVersion: null, nodeRowPtr: null };

/**
 * The `__init__` an operator gives the variables it reads, by input index, unless they have
 * one (`FSetInputVarAttrOnCompose`: BatchNorm's moving statistics in batch_norm.cc, PReLU's
 * gamma in leaky_relu.cc).
 */
const INPUT_VAR_INIT: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  BatchNorm: { 3: '["zero", {}]', 4: '["one", {}]' },
  LeakyReLU: { 1: '["Constant", {"value": 0.25}]' },
};

/** Sets `__init__` on a variable node that has none, keeping its attributes sorted (std::map). */
function setVarInit(node: TracedNode, init: string): void {
  const attrs = node.attrs as Record<string, string>;
  if (node.op !== 'null' || attrs.__init__ !== undefined) return;
  const all = Object.entries({ ...attrs, __init__: init }).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const k of Object.keys(attrs)) delete attrs[k];
  for (const [k, v] of all) attrs[k] = v;
}

/**
 * Appends an operator node: `given` its inputs, or a function of the node's full name and
 * sorted attributes that makes them (where missing inputs become variables); `attrs` are
 * MXNet's (snake_case keys, string values), `name` an explicit name (prefixed by the current
 * scope) or null for `hint` + counter. The attributes are parsed by the operator table, so an
 * unknown operator or attribute throws here.
 */
export function makeNode(
  where: string,
  op: string,
  given: readonly MxSymbol[] | ((full: string, attrs: StringAttrs) => MxSymbol[]),
  attrs: Record<string, string>,
  name: string | null,
  hint: string,
): MxSymbol[] {
  const factory = OPERATORS.get(op);
  if (factory === undefined) throw new ValueError(`${where}: operator '${op}' is not supported`);
  if (Array.isArray(given))
    for (const [i, s] of given.entries())
      if (!(s instanceof MxSymbol)) throw new TypeError(`${where}: input ${i} must be a MxSymbol, got ${describe(s)}`);
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(attrs).sort()) sorted[k] = attrs[k] as string;
  const full = currentNames.get(name, hint);
  const inputs = typeof given === 'function' ? given(full, sorted) : given;
  // The probe's entries stand for the inputs by number only: factories check how many a node has.
  const entries = inputs.map((_s, i) => ({ node: i, index: 0, version: 0 }));
  const probe: SymbolNode = { op, name: full, attrs: sorted, inputs: entries, subgraphs: [] };
  const prepared = factory(new AttrReader(`${where} (${op} node '${full}')`, sorted), probe, EMPTY_GRAPH);
  for (const [i, init] of Object.entries(INPUT_VAR_INIT[op] ?? {})) {
    const input = inputs[Number(i)];
    if (input !== undefined) setVarInit(input._node, init);
  }
  const node: TracedNode = {
    op,
    name: full,
    attrs: sorted,
    inputs: [...inputs],
    numOutputs: prepared.numOutputs,
    totalOutputs: prepared.numOutputs + hiddenOutputs(op, sorted),
  };
  return Array.from({ length: prepared.numOutputs }, (_v, i) => new MxSymbol(node, i));
}

/** A variable node (`mx.sym.var(name, attr)`): its name is taken as given (no scope prefix). */
export function makeVar(name: string, attrs: Record<string, string> = {}): MxSymbol {
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(attrs).sort()) sorted[k] = attrs[k] as string;
  return new MxSymbol({ op: 'null', name, attrs: sorted, inputs: [], numOutputs: 1, totalOutputs: 1 }, 0);
}

/** The graph of `heads` in nnvm's DFS post-order (the node order of MXNet's `-symbol.json`). */
export function graphOf(heads: readonly MxSymbol[]): SymbolGraph & { rowPtr: number[] } {
  const index = new Map<TracedNode, number>();
  const order: TracedNode[] = [];
  // Iterative post-order (unrolled cells make deep graphs).
  for (const h of heads) {
    const stack: [TracedNode, number][] = [[h._node, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [TracedNode, number];
      const [n, i] = top;
      if (index.has(n)) {
        stack.pop();
        continue;
      }
      if (i < n.inputs.length) {
        top[1] = i + 1;
        const child = (n.inputs[i] as MxSymbol)._node;
        if (!index.has(child)) stack.push([child, 0]);
        continue;
      }
      stack.pop();
      index.set(n, order.length);
      order.push(n);
    }
  }
  const names = new Map<string, TracedNode>();
  for (const n of order) {
    if (n.op !== 'null') continue;
    const seen = names.get(n.name);
    if (seen !== undefined && seen !== n) throw new ValueError(`graph: two different variables are named '${n.name}'`);
    names.set(n.name, n);
  }
  const entry = (s: MxSymbol): EntryRef => ({
    node: index.get(s._node) as number,
    index: s._index,
    // nnvm bumps a variable's version when an operator mutates it (BatchNorm's moving statistics).
    version: 0,
  });
  const nodes: SymbolNode[] = order.map((n) => ({
    op: n.op,
    name: n.name,
    attrs: n.attrs,
    inputs: n.inputs.map((s, k) => {
      const e = entry(s);
      return n.op === 'BatchNorm' && k >= 3 && s._node.op === 'null' ? { ...e, version: 1 } : e;
    }),
    subgraphs: [],
  }));
  const rowPtr = [0];
  for (const n of order) rowPtr.push((rowPtr[rowPtr.length - 1] as number) + n.totalOutputs);
  return {
    nodes,
    argNodes: nodes.flatMap((n, i) => (n.op === 'null' ? [i] : [])),
    heads: heads.map(entry),
    mxnetVersion: null,
    nodeRowPtr: rowPtr,
    rowPtr,
  };
}

/** `Group(heads).tojson()`: MXNet 1.9.1's `-symbol.json` text. */
export function groupToJson(heads: readonly MxSymbol[]): string {
  const g = graphOf(heads);
  return graphToJson(g, () => g.rowPtr);
}
