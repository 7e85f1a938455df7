// Tracing a HybridBlock into a symbol graph (python/mxnet/gluon/block.py: `_get_graph`,
// `HybridBlock.forward` on Symbols, `export`): the inputs become variables ('data', or 'data0',
// 'data1', ...), each Parameter a variable with MXNet's attributes, and `hybridForward` runs
// with F = mx.sym inside the block's name prefix. Built-in layers whose Python
// `hybrid_forward` names its operators ('fwd') or builds the fused RNN op register their
// symbolic forward here (ts/gluon/symbolic_layers.ts).

import type { Block } from '../gluon/block.js';
import type { Parameter } from '../gluon/parameter.js';
import { saveNDArrayFile } from '../io/params.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { describe } from '../util/describe.js';
import { ValueError } from '../util/errors.js';
import { writeBytes } from '../util/files.js';
import { isPlainObject, parseArgs, pyFloat } from '../util/options.js';
import { sym } from './sym_ops.js';
import { graphOf, groupToJson, MxSymbol, makeVar, pyAttr, withNamePrefix } from './symbol.js';

/** Options of `HybridBlock.export(path=null, epoch=0)`. */
export interface HybridExportOptions {
  /** Node/Deno/Bun: also write `path-symbol.json` and `path-%04d.params` (epoch, 4 digits). */
  path?: string | null;
  /** The epoch number in the parameter file's name (default 0). */
  epoch?: number;
  /**
   * Names of the graph's inputs; default 'data' (one input) or 'data0', 'data1', ... (as
   * MXNet), as many as the last `forward` call took.
   */
  inputNames?: readonly string[] | null;
}

/** What `export` returns: the `-symbol.json` text and the `.params` bytes. */
export interface ExportedGraph {
  /** The graph, as MXNet 1.9.1 writes `-symbol.json`. */
  symbol: string;
  /** The parameters, keyed `arg:<name>` / `aux:<name>` as MXNet's export writes them. */
  params: Uint8Array;
}

/**
 * A built-in layer's symbolic forward: `scoped(fn)` runs `fn` inside the block's name prefix
 * (anything created outside it, like an RNN layer's begin states, is named in the caller's).
 */
export type SymbolicForward = (
  block: Block,
  x: MxSymbol,
  args: readonly unknown[],
  params: Readonly<Record<string, MxSymbol>>,
  scoped: <T>(fn: () => T) => T,
) => unknown;

// biome-ignore lint/complexity/noBannedTypes: keyed by class constructors
const FORWARDS = new Map<Function, SymbolicForward>();

/** Registers the symbolic forward of a built-in layer class (and its subclasses). */
// biome-ignore lint/complexity/noBannedTypes: keyed by class constructors
export function registerSymbolicForward(cls: Function, fn: SymbolicForward): void {
  FORWARDS.set(cls, fn);
}

function forwardOf(block: Block): SymbolicForward | null {
  let proto = Object.getPrototypeOf(block) as { constructor: unknown } | null;
  while (proto !== null) {
    // biome-ignore lint/complexity/noBannedTypes: see above
    const f = FORWARDS.get(proto.constructor as Function);
    if (f !== undefined) return f;
    proto = Object.getPrototypeOf(proto) as { constructor: unknown } | null;
  }
  return null;
}

let paramVars = new WeakMap<Parameter, MxSymbol>();

/** Python `Parameter.var()`: the parameter's variable, with the attributes MXNet stores. */
export function paramVar(p: Parameter): MxSymbol {
  let v = paramVars.get(p);
  if (v === undefined) {
    const attrs: Record<string, string> = { __dtype__: '0', __storage_type__: '0' };
    attrs.__lr_mult__ = pyFloat(p.lrMult);
    attrs.__wd_mult__ = pyFloat(p.wdMult);
    if (p.init !== null) attrs.__init__ = typeof p.init === 'string' ? p.init : p.init.dumps();
    // Gluon note: the declared shape (0 = deferred), which MXNet records when the graph is
    // first built during deferred initialisation (the usual `initialize(); net(x); export()`).
    if (p._declaredShape !== null) attrs.__shape__ = pyAttr('Parameter.var', 'shape', [...p._declaredShape]);
    v = makeVar(p.name, attrs);
    paramVars.set(p, v);
  }
  return v;
}

/**
 * `block(x, ...args)` with Symbols: the registered symbolic forward of a built-in layer, else
 * `hybridForward(mx.sym, x, ...args, params)` inside the block's name prefix.
 */
export function traceBlock(block: Block, x: MxSymbol, args: readonly unknown[]): unknown {
  const params: Record<string, MxSymbol> = {};
  for (const [k, p] of block._regParams) params[k] = paramVar(p);
  const scoped = <T>(fn: () => T): T => withNamePrefix(block.prefix, fn);
  const f = forwardOf(block);
  if (f !== null) return f(block, x, args, params, scoped);
  return scoped(() => (block.hybridForward as (...a: unknown[]) => unknown)(sym, x, ...args, params));
}

function flattenOutputs(where: string, out: unknown): MxSymbol[] {
  if (out instanceof MxSymbol) return [out];
  if (Array.isArray(out)) return out.flatMap((o) => flattenOutputs(where, o));
  throw new TypeError(
    `${where}: the traced forward must return Symbols (or nested arrays of them), got ${describe(out)}`,
  );
}

/** The graph's variables that an operator mutates (MXNet's auxiliary states): BatchNorm's moving statistics. */
function auxNames(heads: readonly MxSymbol[]): Set<string> {
  const g = graphOf(heads);
  const aux = new Set<string>();
  for (const n of g.nodes) {
    if (n.op !== 'BatchNorm') continue;
    for (const e of n.inputs.slice(3, 5)) {
      const v = g.nodes[e.node];
      if (v?.op === 'null') aux.add(v.name);
    }
  }
  return aux;
}

/**
 * `HybridBlock.export(path=null, epoch=0)`: traces the block with its inputs as variables and
 * returns MXNet 1.9.1's `-symbol.json` text and `.params` bytes (`arg:`/`aux:` keys, in
 * `collectParams()` order); with a path (Node/Deno/Bun) also writes both files.
 * `lastInputs` marks which arguments of the last `forward` call were arrays.
 */
export function exportBlock(
  block: Block,
  args: readonly unknown[],
  lastInputs: readonly boolean[] | null,
): ExportedGraph {
  const where = 'HybridBlock.export';
  if (args.length > 0 && !isPlainObject(args[args.length - 1]) && args.length > 2)
    throw new TypeError(`${where}: takes at most 2 positional arguments (path, epoch), got ${args.length}`);
  const o = parseArgs<{ path: unknown; epoch: unknown; inputNames: unknown }>(
    where,
    args,
    ['path', 'epoch', 'inputNames'],
    { path: null, epoch: 0, inputNames: null },
  );
  if (o.path !== null && typeof o.path !== 'string')
    throw new TypeError(`${where}: path must be a string or null, got ${describe(o.path)}`);
  if (!Number.isInteger(o.epoch) || (o.epoch as number) < 0 || (o.epoch as number) > 9999)
    throw new RangeError(`${where}: epoch must be an integer in [0, 9999], got ${describe(o.epoch)}`);
  let names: string[];
  let mask: boolean[];
  if (o.inputNames !== null) {
    if (
      !Array.isArray(o.inputNames) ||
      o.inputNames.length === 0 ||
      !o.inputNames.every((n) => typeof n === 'string' && n !== '')
    )
      throw new TypeError(`${where}: inputNames must be a non-empty array of names, got ${describe(o.inputNames)}`);
    names = [...(o.inputNames as string[])];
    mask =
      lastInputs !== null && lastInputs.filter(Boolean).length === names.length
        ? [...lastInputs]
        : names.map(() => true);
  } else {
    if (lastInputs === null)
      throw new ValueError(
        `${where}: run forward once before export (as Python's hybridize(); net(x); export()), or give inputNames`,
      );
    mask = [...lastInputs];
    const n = mask.filter(Boolean).length;
    names = n === 1 ? ['data'] : Array.from({ length: n }, (_v, i) => `data${i}`);
  }
  let k = 0;
  const inputs = mask.map((isInput) => (isInput ? sym.var(names[k++] as string) : null));
  while (inputs.length > 1 && inputs[inputs.length - 1] === null) inputs.pop();
  paramVars = new WeakMap();
  const out = (block.forward as (...a: unknown[]) => unknown)(...inputs);
  const heads = flattenOutputs(where, out);
  const symbol = groupToJson(heads);
  const g = graphOf(heads);
  const vars = new Set(g.argNodes.map((i) => g.nodes[i]?.name as string));
  const aux = auxNames(heads);
  const keys: string[] = [];
  const arrays: { shape: readonly number[]; data: Float32Array }[] = [];
  for (const [name, p] of block.collectParams().entries()) {
    // Python asserts every parameter is an argument or auxiliary state of the graph.
    if (!vars.has(name))
      throw new ValueError(
        `${where}: parameter '${name}' is not used by the traced graph (MXNet's export asserts this too)`,
      );
    const v: NDArray = p._live();
    keys.push(`${aux.has(name) ? 'aux' : 'arg'}:${name}`);
    arrays.push({ shape: v.shape, data: v.data });
  }
  const params = saveNDArrayFile({ names: keys, arrays });
  if (o.path !== null) {
    writeBytes(where, `${o.path}-symbol.json`, new TextEncoder().encode(symbol));
    writeBytes(where, `${o.path}-${String(o.epoch).padStart(4, '0')}.params`, params);
  }
  return { symbol, params };
}
