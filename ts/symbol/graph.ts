// MXNet 1.x symbol JSON (what `Symbol.tojson()` / `HybridBlock.export` write; nnvm's JSON graph,
// 3rdparty/tvm/nnvm/src/pass/saveload_json.cc): `nodes` in topological order, each with `op`,
// `name`, string `attrs` (`param` in files before MXNet 0.9, `attr` in some), `inputs` as
// [node, output, version] entries and optional `subgraphs`; `heads` (the outputs); `attrs.mxnet_version` = ['int', 10901].

import { ValueError } from '../util/errors.js';
import type { StringAttrs } from './attrs.js';

/** One input of a node: output `index` of node `node`. */
export interface EntryRef {
  /** Index of the producing node in `SymbolGraph.nodes`. */
  readonly node: number;
  /** Which output of that node. */
  readonly index: number;
  /** nnvm's version of a variable entry (bumped by operators that mutate it, e.g. BatchNorm's statistics). */
  readonly version: number;
}

/** A node of the graph: a variable (`op === 'null'`) or an operator call. */
export interface SymbolNode {
  /** MXNet's operator name ('RNN', 'FullyConnected', ...), or 'null' for a variable. */
  readonly op: string;
  /** The node's name (a variable's name is the parameter or input name). */
  readonly name: string;
  /** Attributes as MXNet stores them: every value a string. */
  readonly attrs: StringAttrs;
  /** The node's inputs, in the operator's argument order. */
  readonly inputs: readonly EntryRef[];
  /** Subgraphs of control-flow operators (`_foreach`, `_while_loop`, `_cond`). */
  readonly subgraphs: readonly SymbolGraph[];
}

/** A parsed symbol graph. */
export interface SymbolGraph {
  /** Nodes in topological order (every input refers to an earlier node). */
  readonly nodes: readonly SymbolNode[];
  /** Indices of the variable nodes, in node order (MXNet's `list_inputs()` order). */
  readonly argNodes: readonly number[];
  /** The graph's outputs. */
  readonly heads: readonly EntryRef[];
  /** `mxnet_version` of the file (e.g. 10901), or null when absent. */
  readonly mxnetVersion: number | null;
  /** The file's `node_row_ptr` (running count of each node's outputs, hidden ones included), or null. */
  readonly nodeRowPtr: readonly number[] | null;
}

function fail(where: string, msg: string): never {
  throw new ValueError(`${where}: ${msg}`);
}

function entryOf(where: string, v: unknown, nodeCount: number, before: number): EntryRef {
  if (!Array.isArray(v) || v.length < 2 || v.length > 3 || !v.every((x) => Number.isInteger(x) && x >= 0))
    fail(where, `an entry must be [node, output, version] with non-negative integers, got ${JSON.stringify(v)}`);
  const [node, index, version] = v as number[];
  if ((node as number) >= Math.min(nodeCount, before))
    fail(where, `entry ${JSON.stringify(v)} refers to node ${node}, which does not come before it (${before} nodes)`);
  return { node: node as number, index: index as number, version: version ?? 0 };
}

function attrsOf(where: string, raw: Record<string, unknown>): StringAttrs {
  const a = raw.attrs ?? raw.attr ?? raw.param ?? {};
  if (typeof a !== 'object' || a === null || Array.isArray(a))
    fail(where, `attrs must be an object, got ${JSON.stringify(a)}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a as Record<string, unknown>)) {
    // MXNet's reader accepts only strings (dmlc JSON reads std::map<string, string>).
    if (typeof v !== 'string') fail(where, `attribute '${k}' must be a string, got ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out;
}

/** The graphs `graphFromJson` made: the only objects a SymbolBlock takes as a parsed graph. */
const parsedGraphs = new WeakSet<object>();

/** True for a graph `parseSymbolJson` made (a SymbolBlock's `graph`). */
export function isParsedGraph(g: unknown): g is SymbolGraph {
  return typeof g === 'object' && g !== null && parsedGraphs.has(g);
}

/** Parses one graph object (the file's top level or a subgraph). */
export function graphFromJson(where: string, json: unknown): SymbolGraph {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail(where, `a symbol graph must be a JSON object, got ${JSON.stringify(json)?.slice(0, 80)}`);
  const g = json as Record<string, unknown>;
  if (!Array.isArray(g.nodes)) fail(where, "a symbol graph needs a 'nodes' array");
  if (!Array.isArray(g.heads)) fail(where, "a symbol graph needs a 'heads' array");
  const rawNodes = g.nodes as unknown[];
  const nodes: SymbolNode[] = rawNodes.map((rn, i) => {
    const w = `${where}: node ${i}`;
    if (typeof rn !== 'object' || rn === null) fail(w, 'must be an object');
    const r = rn as Record<string, unknown>;
    if (typeof r.op !== 'string' || typeof r.name !== 'string') fail(w, "needs string 'op' and 'name'");
    if (!Array.isArray(r.inputs)) fail(w, "needs an 'inputs' array");
    const nw = `${where}: node '${r.name}'`;
    const subs = Array.isArray(r.subgraphs)
      ? (r.subgraphs as unknown[]).map((s, k) => graphFromJson(`${nw} subgraph ${k}`, s))
      : [];
    return {
      op: r.op,
      name: r.name,
      attrs: attrsOf(nw, r),
      inputs: (r.inputs as unknown[]).map((e) => entryOf(nw, e, rawNodes.length, i)),
      subgraphs: subs,
    };
  });
  // The variables in node order: MXNet's `list_inputs()` order (nodes are stored depth-first
  // from the heads), which `_foreach`'s input locations index. The file's `arg_nodes` is not
  // needed (nnvm rebuilds it when loading).
  const argNodes = nodes.flatMap((n, i) => (n.op === 'null' ? [i] : []));
  const heads = (g.heads as unknown[]).map((e) => entryOf(`${where}: heads`, e, nodes.length, nodes.length));
  let version: number | null = null;
  const ga = g.attrs as Record<string, unknown> | undefined;
  const mv = ga?.mxnet_version;
  if (Array.isArray(mv) && typeof mv[1] === 'number') version = mv[1];
  const rp = g.node_row_ptr;
  const nodeRowPtr =
    Array.isArray(rp) && rp.length === nodes.length + 1 && rp.every((v) => Number.isInteger(v) && v >= 0)
      ? (rp as number[])
      : null;
  const graph = { nodes, argNodes, heads, mxnetVersion: version, nodeRowPtr };
  parsedGraphs.add(graph);
  return graph;
}

/** Parses symbol JSON text (`model-symbol.json`). */
export function parseSymbolJson(where: string, text: string): SymbolGraph {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValueError(`${where}: the symbol is not valid JSON (${(e as Error).message})`);
  }
  return graphFromJson(where, json);
}
