// Writes a symbol graph as MXNet 1.9.1 writes `-symbol.json`: nnvm's JSONGraph / JSONNode
// (3rdparty/tvm/nnvm/src/pass/saveload_json.cc) through dmlc's JSONWriter (dmlc-core
// include/dmlc/json.h): objects on several lines unless a map has at most one entry, arrays on
// one line unless they hold more than 10 items or non-POD items (nodes, subgraphs), ", " before
// each line break, two spaces per level, attributes sorted by key.

import type { SymbolGraph } from './graph.js';

/** MXNet 1.9.1's version number as its files record it. */
export const MXNET_VERSION = 10901;

/** A JSON value with dmlc's layout decisions made explicit. */
type Value = string | number | readonly Value[] | MultiLineArray | MapValue | StructValue;

/** An array dmlc writes one item per line (items of a non-POD type). */
class MultiLineArray {
  constructor(readonly items: readonly Value[]) {}
}

/** A std::map: sorted keys, on several lines when it has more than one entry. */
class MapValue {
  constructor(readonly entries: readonly [string, Value][]) {}
}

/** A struct's Save: keys in the given order, always on several lines. */
class StructValue {
  constructor(readonly entries: readonly [string, Value][]) {}
}

class Writer {
  private out = '';
  private readonly scopes: { multi: boolean; count: number }[] = [];

  private sep(): void {
    const top = this.scopes[this.scopes.length - 1];
    if (top === undefined || top.multi) this.out += `\n${' '.repeat(this.scopes.length * 2)}`;
  }

  private begin(open: string, multi: boolean): void {
    this.out += open;
    this.scopes.push({ multi, count: 0 });
  }

  private end(close: string): void {
    const s = this.scopes.pop() as { multi: boolean; count: number };
    if (s.multi && s.count !== 0) this.sep();
    this.out += close;
  }

  private array(items: readonly Value[], multi: boolean): void {
    this.begin('[', multi);
    for (const v of items) {
      const top = this.scopes[this.scopes.length - 1] as { count: number };
      if (top.count !== 0) this.out += ', ';
      top.count++;
      this.sep();
      this.value(v);
    }
    this.end(']');
  }

  private object(entries: readonly [string, Value][], multi: boolean): void {
    this.begin('{', multi);
    for (const [k, v] of entries) {
      const top = this.scopes[this.scopes.length - 1] as { count: number };
      if (top.count !== 0) this.out += ', ';
      this.sep();
      this.out += `${JSON.stringify(k)}: `;
      top.count++;
      this.value(v);
    }
    this.end('}');
  }

  value(v: Value): void {
    if (typeof v === 'string') this.out += JSON.stringify(v);
    else if (typeof v === 'number') this.out += String(v);
    else if (v instanceof MultiLineArray) this.array(v.items, true);
    else if (v instanceof MapValue) this.object(v.entries, v.entries.length > 1);
    else if (v instanceof StructValue) this.object(v.entries, true);
    else this.array(v, v.length > 10);
  }

  text(): string {
    return this.out;
  }
}

function nodeValue(g: SymbolGraph, i: number, rowPtr: (g: SymbolGraph) => number[]): StructValue {
  const n = g.nodes[i] as SymbolGraph['nodes'][number];
  const entries: [string, Value][] = [
    ['op', n.op],
    ['name', n.name],
  ];
  const keys = Object.keys(n.attrs).sort();
  if (keys.length > 0)
    entries.push(['attrs', new MapValue(keys.map((k): [string, Value] => [k, n.attrs[k] as string]))]);
  entries.push(['inputs', n.inputs.map((e) => [e.node, e.index, e.version])]);
  if (n.subgraphs.length > 0)
    entries.push(['subgraphs', new MultiLineArray(n.subgraphs.map((s) => graphValue(s, rowPtr, false)))]);
  return new StructValue(entries);
}

function graphValue(g: SymbolGraph, rowPtr: (g: SymbolGraph) => number[], top: boolean): StructValue {
  const entries: [string, Value][] = [
    ['nodes', new MultiLineArray(g.nodes.map((_n, i) => nodeValue(g, i, rowPtr)))],
    ['arg_nodes', g.argNodes.slice()],
    ['node_row_ptr', rowPtr(g)],
    ['heads', g.heads.map((h) => [h.node, h.index, h.version])],
  ];
  if (top) entries.push(['attrs', new MapValue([['mxnet_version', ['int', MXNET_VERSION]]])]);
  return new StructValue(entries);
}

/**
 * The graph as MXNet 1.9.1's `Symbol.tojson()` text. `rowPtr` gives `node_row_ptr` of each
 * graph (the running count of its nodes' outputs, hidden ones included).
 */
export function graphToJson(graph: SymbolGraph, rowPtr: (g: SymbolGraph) => number[]): string {
  const w = new Writer();
  w.value(graphValue(graph, rowPtr, true));
  return w.text();
}
