// SymbolBlock (python/mxnet/gluon/block.py): a Block around an MXNet symbol graph, so that models
// saved with `net.hybridize(); net(x); net.export('model')` run with no model code:
// `SymbolBlock.imports('model-symbol.json', ['data'], 'model-0000.params')`.

import { saveNDArrayFile } from '../io/params.js';
import { NDArray } from '../ndarray/ndarray.js';
import { parseTuple } from '../symbol/attrs.js';
import { GraphExecutor } from '../symbol/executor.js';
import { isParsedGraph, parseSymbolJson, type SymbolGraph } from '../symbol/graph.js';
import { graphToJson } from '../symbol/json_writer.js';
import { isKnown } from '../symbol/op.js';
import { MxSymbol } from '../symbol/symbol.js';
import { describe } from '../util/describe.js';
import { ValueError } from '../util/errors.js';
import { readBytes, writeBytes } from '../util/files.js';
import { type Context, checkCtx, type PositionalArgs, parseArgs } from '../util/options.js';
import { HybridBlock } from './block.js';
import type { Parameter } from './parameter.js';
import { loadParameterDict, type ParamsSource } from './params_io.js';

/** Options of `SymbolBlock.imports(symbol, inputNames, params=null, ctx=null, allowMissing=false, ignoreExtra=false)`. */
export interface ImportsOptions {
  /** The `.params` file: a path (Node/Deno/Bun), bytes or an ArrayBuffer; null leaves the parameters uninitialised. */
  params?: ParamsSource | null;
  /** Accepted for compatibility: cpu only. */
  ctx?: Context | readonly Context[] | null;
  /** Leave parameters the file does not have uninitialised instead of throwing. */
  allowMissing?: boolean;
  /** Skip arrays of the file that the graph does not use instead of throwing. */
  ignoreExtra?: boolean;
}

/** Options of `SymbolBlock.export(path=null, epoch=0)`. */
export interface ExportOptions {
  /** Node/Deno/Bun: also write `path-symbol.json` and `path-%04d.params` (epoch, 4 digits). */
  path?: string | null;
  /** The epoch number in the parameter file's name (default 0). */
  epoch?: number;
}

/** What `export` returns: the `-symbol.json` text and the `.params` bytes. */
export interface ExportedModel {
  /** The graph, as MXNet 1.9.1 writes `-symbol.json`. */
  symbol: string;
  /** The parameters, keyed `arg:<name>` / `aux:<name>` as MXNet's export writes them. */
  params: Uint8Array;
}

/** Python's `_common_prefix` (gluon/block.py): the longest prefix all names share. */
function commonPrefix(names: readonly string[]): string {
  if (names.length === 0) return '';
  let prefix = names[0] as string;
  for (const name of names) {
    let i = 0;
    while (i < prefix.length && i < name.length && prefix[i] === name[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

/** The graph's variables fed by an operator's auxiliary (non-gradient) inputs: BatchNorm's moving statistics. */
function auxVariables(graph: SymbolGraph): Set<number> {
  const aux = new Set<number>();
  for (const n of graph.nodes) {
    if (n.op !== 'BatchNorm') continue;
    for (const e of n.inputs.slice(3, 5)) if (graph.nodes[e.node]?.op === 'null') aux.add(e.node);
  }
  return aux;
}

function symbolText(where: string, symbol: unknown): string {
  if (typeof symbol !== 'string')
    throw new TypeError(`${where}: symbol must be the JSON text or a path to -symbol.json, got ${typeof symbol}`);
  if (symbol.trimStart().startsWith('{')) return symbol;
  return new TextDecoder().decode(readBytes(where, symbol));
}

/**
 * A Block that runs an MXNet 1.x symbol graph (`-symbol.json`) on the package's kernels.
 * Parameters are named as in the file (`arg:`/`aux:` stripped); `forward(...inputs)` takes the
 * inputs in `inputNames` order and returns one NDArray, or an array for several outputs.
 */
export class SymbolBlock extends HybridBlock {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'SymbolBlock';
  /** The parsed graph. */
  readonly graph: SymbolGraph;
  /** The graph's input names, in `forward`'s argument order. */
  readonly inputNames: readonly string[];
  private readonly _executor: GraphExecutor;
  private readonly _inputNodes: number[];
  private readonly _paramNodes: [number, Parameter][];
  /** The parameters' versions when the nodes' kernels were last valid (see `_releaseStaleKernels`). */
  private _seenVersions: number[] = [];

  /**
   * `SymbolBlock(symbol, inputNames)`: `symbol` is the graph's JSON text, an `mx.sym` Symbol
   * (Python's `SymbolBlock(outputs, inputs)`) or another SymbolBlock's `graph`;
   * every variable that is not an input becomes a Parameter. Throws for an operator the package
   * does not run, naming it, its node and the supported operators.
   */
  constructor(symbol: string | MxSymbol | SymbolGraph, inputNames: string | readonly string[]) {
    const where = 'SymbolBlock';
    super({ prefix: '' });
    let graph: SymbolGraph;
    if (typeof symbol === 'string') graph = parseSymbolJson(where, symbolText(where, symbol));
    else if (symbol instanceof MxSymbol) graph = parseSymbolJson(where, symbol.toJson());
    else if (isParsedGraph(symbol)) graph = symbol;
    else
      throw new TypeError(
        `${where}: symbol must be the graph's JSON text, a path to -symbol.json, an mx.sym Symbol or a SymbolBlock's graph, got ${describe(symbol)}`,
      );
    const names: unknown[] =
      typeof inputNames === 'string' ? [inputNames] : Array.isArray(inputNames) ? [...inputNames] : [];
    if (names.length === 0 || !names.every((n): n is string => typeof n === 'string'))
      throw new TypeError(
        `${where}: inputNames must be a string or a non-empty array of strings, got ${describe(inputNames)}`,
      );
    const vars = new Map<string, number>();
    for (const i of graph.argNodes) vars.set((graph.nodes[i] as { name: string }).name, i);
    const inputNodes = names.map((n) => {
      const i = vars.get(n);
      if (i === undefined)
        throw new ValueError(
          `${where}: input name '${n}' is not a variable of the graph; its variables are: ${[...vars.keys()].join(', ')}`,
        );
      return i;
    });
    if (new Set(names).size !== names.length)
      throw new ValueError(`${where}: inputNames repeat a name: ${names.join(', ')}`);
    const inputs = new Set(inputNodes);
    const aux = auxVariables(graph);
    const order = [...graph.argNodes.filter((i) => !aux.has(i)), ...graph.argNodes.filter((i) => aux.has(i))];
    const paramNodes: [number, Parameter][] = [];
    for (const i of order) {
      if (inputs.has(i)) continue;
      const name = (graph.nodes[i] as { name: string }).name;
      const p = this.params.get(name, { allowDeferredInit: true, gradReq: aux.has(i) ? 'null' : 'write' });
      paramNodes.push([i, p]);
    }
    this.graph = graph;
    this.inputNames = names;
    this._inputNodes = inputNodes;
    this._paramNodes = paramNodes;
    this._executor = new GraphExecutor(where, graph, new Set(paramNodes.map(([i]) => i)));
  }

  /**
   * `SymbolBlock.imports(symbol, inputNames, params=null, ctx=null, allowMissing=false,
   * ignoreExtra=false)`: `symbol` is the `-symbol.json` text or its path, `params` the
   * `.params` bytes or path (paths in Node/Deno/Bun only).
   */
  static imports(
    symbol: string,
    inputNames: string | readonly string[],
    ...args: PositionalArgs<
      [],
      [
        params: ParamsSource | null,
        ctx: Context | readonly Context[] | null,
        allowMissing: boolean,
        ignoreExtra: boolean,
      ],
      ImportsOptions
    >
  ): SymbolBlock;
  static imports(symbol: unknown, inputNames: unknown, ...args: unknown[]): SymbolBlock {
    const where = 'SymbolBlock.imports';
    const o = parseArgs<{ params: unknown; ctx: unknown; allowMissing: boolean; ignoreExtra: boolean }>(
      where,
      args,
      ['params', 'ctx', 'allowMissing', 'ignoreExtra'],
      { params: null, allowMissing: false, ignoreExtra: false },
    );
    checkCtx(where, o.ctx);
    const block = new SymbolBlock(symbolText(where, symbol), inputNames as string | readonly string[]);
    if (o.params !== null && o.params !== undefined) {
      // Gluon note: MXNet loads with cast_dtype=True, dtype_source='saved'; everything here is
      // float32, so other dtypes in the file are converted to float32.
      loadParameterDict(block.params, o.params, {
        allowMissing: !!o.allowMissing,
        ignoreExtra: !!o.ignoreExtra,
        castDtype: true,
        dtypeSource: 'current',
        restorePrefix: '',
      });
    }
    return block;
  }

  /**
   * `export(path=null, epoch=0)` (HybridBlock.export in gluon/block.py): the graph as MXNet
   * 1.9.1 writes it and the parameters under `arg:`/`aux:` keys, which MXNet's
   * `SymbolBlock.imports` loads. With a path (Node/Deno/Bun) also writes `path-symbol.json`
   * and `path-%04d.params`.
   */
  override export(...args: PositionalArgs<[], [path: string | null, epoch: number], ExportOptions>): ExportedModel;
  override export(...args: unknown[]): ExportedModel {
    const where = 'SymbolBlock.export';
    const o = parseArgs<{ path: unknown; epoch: unknown }>(where, args, ['path', 'epoch'], { path: null, epoch: 0 });
    if (o.path !== null && typeof o.path !== 'string')
      throw new TypeError(`${where}: path must be a string or null, got ${describe(o.path)}`);
    if (!Number.isInteger(o.epoch) || (o.epoch as number) < 0 || (o.epoch as number) > 9999)
      throw new RangeError(`${where}: epoch must be an integer in [0, 9999], got ${describe(o.epoch)}`);
    const exec = this._executor;
    const symbol = graphToJson(this.graph, (g) => exec.rowPtrOf(g) ?? exec.rowPtr());
    const aux = auxVariables(this.graph);
    const auxNames = new Set([...aux].map((i) => (this.graph.nodes[i] as { name: string }).name));
    const names: string[] = [];
    const arrays: { shape: readonly number[]; data: Float32Array }[] = [];
    for (const [name, p] of this.collectParams().entries()) {
      const v = p._live();
      names.push(`${auxNames.has(name) ? 'aux' : 'arg'}:${name}`);
      arrays.push({ shape: v.shape, data: v.data });
    }
    const params = saveNDArrayFile({ names, arrays });
    if (o.path !== null) {
      writeBytes(where, `${o.path}-symbol.json`, new TextEncoder().encode(symbol));
      writeBytes(where, `${o.path}-${String(o.epoch).padStart(4, '0')}.params`, params);
    }
    return { symbol, params };
  }

  /** Parameters by name without the names' common prefix (Python's `_reg_params`): the keys `saveParameters` writes. */
  override get _regParams(): Map<string, Parameter> {
    const all = [...this.params.entries()];
    const n = commonPrefix(all.map(([k]) => k)).length;
    return new Map(all.map(([k, p]) => [k.slice(n), p]));
  }

  /** Runs the graph on the inputs (in `inputNames` order): one NDArray, or an array for several outputs. */
  override forward(...inputs: NDArray[]): NDArray | NDArray[];
  override forward(...inputs: unknown[]): NDArray | NDArray[] {
    const where = 'SymbolBlock.forward';
    if (inputs.length !== this._inputNodes.length)
      throw new ValueError(
        `${where}: expected ${this._inputNodes.length} input(s) (${this.inputNames.join(', ')}), got ${inputs.length}`,
      );
    const bound: (NDArray | undefined)[] = new Array(this.graph.nodes.length);
    inputs.forEach((x, k) => {
      if (!(x instanceof NDArray))
        throw new TypeError(`${where}: input '${this.inputNames[k]}' must be an NDArray, got ${describe(x)}`);
      bound[this._inputNodes[k] as number] = x;
    });
    if (this._paramNodes.some(([, p]) => !p.isInitialized && p.isDeferred)) this._finishDeferred(bound);
    for (const [i, p] of this._paramNodes) bound[i] = p._live();
    this._releaseStaleKernels();
    const outs = this._executor.run(bound);
    return outs.length === 1 ? (outs[0] as NDArray) : outs;
  }

  /**
   * The nodes' packed kernels hold copies of the parameters they were built from. An optimizer
   * step changes a parameter's array in place (only its `version` moves), so on any version
   * change since the last call they are released and rebuilt from the current arrays.
   */
  private _releaseStaleKernels(): void {
    const seen = this._seenVersions;
    const nodes = this._paramNodes;
    let stale = seen.length !== nodes.length;
    for (let k = 0; !stale && k < nodes.length; k++) stale = seen[k] !== (nodes[k] as [number, Parameter])[1].version;
    if (!stale) return;
    this._executor.dispose();
    this._seenVersions = nodes.map(([, p]) => p.version);
  }

  /**
   * Deferred initialisation (`_deferred_infer_shape` in gluon/block.py): the parameters'
   * shapes from shape inference over the graph, starting from the inputs, the parameters'
   * known shapes and the variables' `__shape__` attributes (0 = unknown).
   */
  private _finishDeferred(bound: readonly (NDArray | undefined)[]): void {
    const vars = new Map<number, number[] | null>();
    for (const i of this._inputNodes) vars.set(i, [...(bound[i] as NDArray).shape]);
    for (const [i, p] of this._paramNodes) {
      const attr = (this.graph.nodes[i] as { attrs: Readonly<Record<string, string>> }).attrs.__shape__;
      const own = p.shape.length > 0 ? p.shape : null;
      vars.set(i, own ?? (attr === undefined ? null : parseTuple(attr)));
    }
    const inferred = this._executor.inferShapes(vars).vars;
    for (const [i, p] of this._paramNodes) {
      const s = inferred.get(i) ?? null;
      if (isKnown(s) && !p.isInitialized) p.shape = s;
    }
    for (const [, p] of this._paramNodes) p._finishDeferredInit();
  }

  /** Python's SymbolBlock repr: `SymbolBlock(\n<Symbol name> : inputs -> outputs\n)`. */
  override toString(): string {
    const heads = this.graph.heads.map((h) => (this.graph.nodes[h.node] as { name: string }).name);
    const sym = heads.length === 1 ? `<Symbol ${heads[0]}>` : `<Symbol group [${heads.join(', ')}]>`;
    return `SymbolBlock(\n${sym} : ${this.inputNames.length} -> ${heads.length}\n)`;
  }

  protected override _disposeKernels(): void {
    this._executor.dispose();
  }
}
