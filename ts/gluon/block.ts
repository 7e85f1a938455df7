// Block and HybridBlock (python/mxnet/gluon/block.py): prefixes and name scopes, children,
// parameter collection, initialisation, deferred shape inference, and Gluon's __repr__.

import type { InitLike } from '../init/initializer.js';
import { nextName } from '../name.js';
import * as nd from '../ndarray/index.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { MxSymbol } from '../symbol/symbol.js';
import { type ExportedGraph, exportBlock, type HybridExportOptions, traceBlock } from '../symbol/trace.js';
import { describe } from '../util/describe.js';
import { indent, NotImplementedError, ValueError } from '../util/errors.js';
import { type Context, checkCtx, checkDtype, type PositionalArgs, parseArgs } from '../util/options.js';
import { type InitializeOptions, Parameter, ParameterDict } from './parameter.js';
import {
  blockParamsForSave,
  type DtypeSource,
  type LoadOptions,
  loadBlockArrays,
  loadBlockParameters,
  type ParamsSource,
  saveBlockParameters,
} from './params_io.js';

/** @internal Key of a Block option that overrides `_alias()` (the prefix hint). */
export const ALIAS: unique symbol = Symbol('gluon.alias');

/** Options of every Block constructor (Python's `prefix=None, params=None`). */
export interface BlockOptions {
  /** Prefix of the block's parameter and child names; default: a unique name from the class. */
  prefix?: string | null;
  /** A ParameterDict whose Parameters this block shares. */
  params?: ParameterDict | null;
  /** @internal */
  [ALIAS]?: string;
}

/**
 * Arguments of `Block(prefix=null, params=null)` and of the containers that take nothing else:
 * positionally, or in one options object. A custom block can forward them:
 * `constructor(...args: BlockArgs) { super(...args); }`.
 */
export type BlockArgs = PositionalArgs<[], [prefix: string | null, params: ParameterDict | null], BlockOptions>;

/** Options of `saveParameters(filename=null, deduplicate=false)`. */
export interface SaveParametersOptions {
  /** Node/Deno/Bun: also write the bytes to this path. */
  filename?: string | null;
  /** Save a Parameter shared under several names once (under its last name). */
  deduplicate?: boolean;
}

/**
 * Options of `loadParameters(source, ctx=null, allowMissing=false, ignoreExtra=false,
 * castDtype=false, dtypeSource='current')`.
 */
export interface LoadParametersOptions {
  /** Accepted for compatibility: cpu only. */
  ctx?: Context | readonly Context[] | null;
  /** Leave parameters the file does not have untouched instead of throwing. */
  allowMissing?: boolean;
  /** Skip arrays of the file that the block does not have instead of throwing. */
  ignoreExtra?: boolean;
  /** Convert arrays of another dtype (float16, float64, int*) to float32 instead of throwing. */
  castDtype?: boolean;
  /** Which dtype wins with `castDtype`: 'current' (float32); 'saved' throws for non-float32 arrays. */
  dtypeSource?: DtypeSource;
}

/**
 * Options of `hybridize(active=true, ...)`. Accepted for compatibility: there is no graph to
 * cache, so results are the same either way; a partitioning `backend` throws.
 */
export interface HybridizeOptions {
  /** Turn hybridization on (default true); results are the same either way. */
  active?: boolean;
  /** A partitioning backend: not supported (throws). */
  backend?: string | null;
  /** Options of the partitioning backend (unused without one). */
  backendOpts?: Record<string, unknown> | null;
  /** Accepted for compatibility (there is no cached graph to clear). */
  clear?: boolean;
  /** Accepted for compatibility (no graph partitioning). */
  partitionIfDynamic?: boolean;
  /** Accepted for compatibility (memory is planned by the kernels). */
  staticAlloc?: boolean;
  /** Accepted for compatibility (shapes are handled per call). */
  staticShape?: boolean;
  /** Accepted for compatibility (no graph inlining). */
  inlineLimit?: number;
  /** Accepted for compatibility (no operator bulking). */
  forwardBulkSize?: number | null;
  /** Accepted for compatibility (no backward pass). */
  backwardBulkSize?: number | null;
}

/** `_BlockScope` (block.py:45-96): the per-parent prefix counters of a name scope. */
class BlockScope {
  static current: BlockScope | null = null;
  readonly counter = new Map<string, number>();
  constructor(readonly block: Block) {}

  static create(prefix: string | null, params: ParameterDict | null, hint: string): [string, ParameterDict] {
    const current = BlockScope.current;
    if (current === null) {
      const p = prefix ?? `${nextName(hint)}_`;
      return [p, params === null ? new ParameterDict(p) : new ParameterDict(params.prefix, params)];
    }
    let p = prefix;
    if (p === null) {
      const count = current.counter.get(hint) ?? 0;
      p = `${hint}${count}_`;
      current.counter.set(hint, count + 1);
    }
    const parent = current.block.params;
    const dict =
      params === null
        ? new ParameterDict(parent.prefix + p, parent._sharedDict)
        : new ParameterDict(params.prefix, params);
    return [current.block.prefix + p, dict];
  }
}

interface ChildEntry {
  name: string | null;
  index: string;
  block: Block;
}

/**
 * Python's `type(self).__name__`. Minifiers rename JavaScript classes, so Gluon's classes
 * state their name (`static gluonName`); a user's subclass without its own falls back to
 * the JavaScript class name, as Python would print the subclass's name.
 */
export function className(b: object): string {
  const c = b.constructor as { gluonName?: string; name: string };
  return Object.hasOwn(c, 'gluonName') && c.gluonName ? c.gluonName : c.name;
}

/** Whether `v` is an NDArray or a Symbol, or an array holding one at any depth. */
function hasArray(v: unknown): boolean {
  return v instanceof nd.NDArray || v instanceof MxSymbol || (Array.isArray(v) && v.some(hasArray));
}

/** The base of every layer and model. Override `forward`. */
export class Block {
  /** The Python class name that `toString()` (Gluon's `repr`) and error messages print. */
  static readonly gluonName: string = 'Block';
  private readonly _prefix: string;
  private readonly _name: string;
  private readonly _paramDict: ParameterDict;
  private readonly _emptyPrefix: boolean;
  private readonly _scope: BlockScope;
  private readonly _childList: ChildEntry[] = [];
  /** @internal True after `hybridize()` (execution is identical either way). */
  protected _active = false;
  /** @internal Which arguments of the last forward call were arrays (what `export` traces as inputs). */
  _lastCallInputs: readonly boolean[] | null = null;
  /** The last `_regParams` answer (a true private field: not an own enumerable property). */
  #regParams: Map<string, Parameter> | null = null;
  /** Its keys and values in order, checked against the own properties without a Map lookup. */
  #regLists: { readonly keys: readonly string[]; readonly values: readonly Parameter[] } = { keys: [], values: [] };

  /** `Block(prefix=null, params=null)`, or `Block({ prefix, params })`. */
  constructor(...args: BlockArgs);
  constructor(...args: unknown[]) {
    const last = args[args.length - 1] as BlockOptions | undefined;
    const alias = typeof last === 'object' && last !== null ? last[ALIAS] : undefined;
    const o = parseArgs<{ prefix: string | null; params: ParameterDict | null }>('Block', args, ['prefix', 'params'], {
      prefix: null,
      params: null,
    });
    if (o.prefix !== null && typeof o.prefix !== 'string')
      throw new TypeError(`Block: prefix must be a string, got ${describe(o.prefix)}`);
    if (o.params !== null && !(o.params instanceof ParameterDict))
      throw new TypeError(`Block: params must be a ParameterDict, got ${describe(o.params)}`);
    this._emptyPrefix = o.prefix === '';
    [this._prefix, this._paramDict] = BlockScope.create(o.prefix, o.params, alias ?? this._alias());
    this._name = this._prefix.endsWith('_') ? this._prefix.slice(0, -1) : this._prefix;
    this._scope = new BlockScope(this);
  }

  /** The prefix hint: the lower-cased class name unless a class overrides it. */
  protected _alias(): string {
    return className(this).toLowerCase();
  }

  /** Prefix of this block's parameter and child names (e.g. 'lstm0_'). */
  get prefix(): string {
    return this._prefix;
  }
  /** The prefix without its trailing '_'. */
  get name(): string {
    return this._name;
  }
  /** This block's own ParameterDict (children's parameters are not in it). */
  get params(): ParameterDict {
    return this._paramDict;
  }

  /**
   * `with block.name_scope():` as `block.nameScope(() => { ... })`: blocks created inside get
   * this block's prefix and per-parent counters. Returns the callback's result.
   */
  nameScope<T>(fn: () => T): T {
    if (typeof fn !== 'function')
      throw new TypeError(`${this.constructor.name}.nameScope: fn must be a function, got ${describe(fn)}`);
    if (this._emptyPrefix) return fn();
    const old = BlockScope.current;
    BlockScope.current = this._scope;
    try {
      return fn();
    } finally {
      BlockScope.current = old;
    }
  }

  /** @internal True for HybridBlocks (also hybrid recurrent cells). */
  _isHybrid(): boolean {
    return false;
  }

  /**
   * Registers `block` as a child and returns it. Without `name`, the child is named after the
   * property of `this` that holds it (Python's attribute name), else by its index ('0', '1', ...).
   * Pass Python's attribute name explicitly when the TypeScript property is spelled differently
   * (`registerChild(cell, 'base_cell')`): it becomes part of the saved parameter names.
   */
  registerChild<B extends Block>(block: B, name?: string | null): B {
    if (!(block instanceof Block)) throw new TypeError(`registerChild: expected a Block, got ${describe(block)}`);
    const index = String(this._childList.length);
    if (name !== undefined && name !== null) {
      const at = this._childList.findIndex((c) => c.name === name);
      if (at >= 0) {
        (this._childList[at] as ChildEntry).block = block;
        return block;
      }
    }
    this._childList.push({ name: name ?? null, index, block });
    return block;
  }

  /** The children by name, in registration order (Python's `_children`). */
  get _children(): Map<string, Block> {
    const out = new Map<string, Block>();
    const own = Object.entries(this);
    for (const c of this._childList) {
      let name = c.name;
      if (name === null) {
        const hit = own.find(([, v]) => v === c.block);
        name = hit ? hit[0] : c.index;
      }
      out.set(name, c.block);
    }
    return out;
  }

  /** Parameters held by properties of this block, by property name (Python's `_reg_params`). */
  get _regParams(): Map<string, Parameter> {
    this._regParamLists();
    return this.#regParams as Map<string, Parameter>;
  }

  /**
   * @internal {@link _regParams}'s keys and values as two lists in its order (the Map's
   * iterators cost a forward call more than these).
   */
  _regParamLists(): { readonly keys: readonly string[]; readonly values: readonly Parameter[] } {
    // Python registers a Parameter attribute in __setattr__; here the own properties are the
    // truth. The last answer is reused while they hold the same Parameters (checked without
    // allocating: this runs on every forward call).
    if (this.#regParams !== null) {
      // The same Parameters under the same keys, in the Map's order: for-in visits the own
      // properties in the order Object.entries (below) lists them.
      const { keys, values } = this.#regLists;
      let i = 0;
      for (const k in this) {
        const v: unknown = this[k];
        if (!(v instanceof Parameter)) continue;
        if (i === keys.length || keys[i] !== k || values[i] !== v) {
          i = -1;
          break;
        }
        i++;
      }
      if (i === keys.length) return this.#regLists;
    }
    const out = new Map<string, Parameter>();
    for (const [k, v] of Object.entries(this)) if (v instanceof Parameter) out.set(k, v);
    this.#regParams = out;
    this.#regLists = { keys: [...out.keys()], values: [...out.values()] };
    return this.#regLists;
  }

  /**
   * All parameters of this block and its children, as a ParameterDict with this block's
   * prefix; `select` is a regex matched at the start of each full name (Python `re.match`).
   */
  collectParams(select?: string | RegExp | null): ParameterDict {
    const ret = new ParameterDict(this.params.prefix);
    const re =
      select === undefined || select === null || select === ''
        ? null
        : new RegExp(`^(?:${typeof select === 'string' ? select : select.source})`);
    if (re === null) ret.update(this.params);
    else ret.update([...this.params.entries()].filter(([k]) => re.test(k)));
    for (const child of this._children.values()) ret.update(child.collectParams(select));
    return ret;
  }

  /**
   * @internal Structural names (`rnn._unfused.0.i2h_weight`, `0.weight`): the keys that
   * `saveParameters` writes and `loadParameters` matches.
   */
  _collectParamsWithPrefix(prefix = ''): Map<string, Parameter> {
    const pre = prefix ? `${prefix}.` : '';
    const ret = new Map<string, Parameter>();
    for (const [k, v] of this._regParams) ret.set(pre + k, v);
    for (const [name, child] of this._children) {
      for (const [k, v] of child._collectParamsWithPrefix(pre + name)) ret.set(k, v);
    }
    return ret;
  }

  /**
   * @internal What `saveParameters(deduplicate)` writes: structural name -> data, in MXNet's
   * order; with `deduplicate` a shared Parameter appears once, under its last name.
   */
  _paramsForSave(deduplicate = false): Map<string, NDArray> {
    return blockParamsForSave(this, deduplicate);
  }

  /**
   * @internal `load_parameters` after decoding: `loaded` maps saved names to arrays. Keys
   * without any '.' take the legacy path (`collectParams()` with `restorePrefix = this.prefix`).
   * Validates everything before changing anything (see params_io.ts).
   */
  _loadParameterDict(loaded: Map<string, NDArray>, opts: LoadOptions = {}): void {
    loadBlockArrays(this, loaded, opts);
  }

  /**
   * `saveParameters(filename?, deduplicate=false)`: MXNet `.params` bytes keyed by structural
   * names (spec §2.5, §8.12; fused layers as `_unfused.{layer}.[l_cell.|r_cell.]...`),
   * byte-identical to MXNet's file; with a filename (Node/Deno/Bun) the file is also written.
   */
  saveParameters(
    ...args: PositionalArgs<[], [filename: string | null, deduplicate: boolean], SaveParametersOptions>
  ): Uint8Array;
  saveParameters(...args: unknown[]): Uint8Array {
    const o = parseArgs<{ filename: string | null; deduplicate: boolean }>(
      'saveParameters',
      args,
      ['filename', 'deduplicate'],
      { filename: null, deduplicate: false },
    );
    if (o.filename !== null && typeof o.filename !== 'string')
      throw new TypeError(`saveParameters: filename must be a string path, got ${describe(o.filename)}`);
    return saveBlockParameters(this, o.filename, !!o.deduplicate);
  }

  /**
   * `loadParameters(source, ctx=null, allowMissing=false, ignoreExtra=false, castDtype=false,
   * dtypeSource='current')`: `source` is a path (Node/Deno/Bun), bytes or an ArrayBuffer.
   * Files whose keys have no '.' take MXNet's legacy full-name path (restore prefix = this
   * block's prefix, 'arg:'/'aux:' stripped). Loading fills deferred shapes. Atomic: on any
   * error nothing changes. Non-float32 arrays need `castDtype: true` (converted to float32);
   * `dtypeSource: 'saved'` throws for them (parameters are float32).
   */
  loadParameters(
    source: ParamsSource,
    ...args: PositionalArgs<
      [],
      [
        ctx: Context | readonly Context[] | null,
        allowMissing: boolean,
        ignoreExtra: boolean,
        castDtype: boolean,
        dtypeSource: DtypeSource,
      ],
      LoadParametersOptions
    >
  ): void;
  loadParameters(source: unknown, ...args: unknown[]): void {
    const o = parseArgs<{
      ctx: unknown;
      allowMissing: boolean;
      ignoreExtra: boolean;
      castDtype: boolean;
      dtypeSource: string;
    }>('loadParameters', args, ['ctx', 'allowMissing', 'ignoreExtra', 'castDtype', 'dtypeSource'], {
      allowMissing: false,
      ignoreExtra: false,
      castDtype: false,
      dtypeSource: 'current',
    });
    checkCtx('loadParameters', o.ctx);
    loadBlockParameters(this, source, o);
  }

  /**
   * `initialize(init=Uniform(0.07), ctx=null, verbose=false, forceReinit=false)` on every
   * parameter of this block and its children (a parameter's own initializer wins).
   */
  initialize(
    ...args: PositionalArgs<
      [],
      [init: InitLike | null, ctx: Context | readonly Context[] | null, verbose: boolean, forceReinit: boolean],
      InitializeOptions
    >
  ): void;
  initialize(...args: unknown[]): void {
    this.collectParams().initialize(...(args as Parameters<ParameterDict['initialize']>));
  }

  /**
   * Accepted for compatibility; results are identical either way (no cached graph).
   * Options: `hybridize(active=true, { staticAlloc, staticShape, ... })`.
   */
  hybridize(
    ...args: PositionalArgs<
      [],
      [
        active: boolean,
        backend: string | null,
        backendOpts: Record<string, unknown> | null,
        clear: boolean,
        partitionIfDynamic: boolean,
        staticAlloc: boolean,
        staticShape: boolean,
        inlineLimit: number,
        forwardBulkSize: number | null,
        backwardBulkSize: number | null,
      ],
      HybridizeOptions
    >
  ): void;
  hybridize(...args: unknown[]): void {
    const o = parseArgs<{
      active: boolean;
      backend: unknown;
      backendOpts: unknown;
      clear: boolean;
      partitionIfDynamic: boolean;
      staticAlloc: boolean;
      staticShape: boolean;
      inlineLimit: number;
      forwardBulkSize: number;
      backwardBulkSize: number;
    }>(
      'hybridize',
      args,
      [
        'active',
        'backend',
        'backendOpts',
        'clear',
        'partitionIfDynamic',
        'staticAlloc',
        'staticShape',
        'inlineLimit',
        'forwardBulkSize',
        'backwardBulkSize',
      ],
      { active: true },
    );
    // Gluon note: there is no graph to partition, so a backend throws (docs/design/api.md rule 9).
    if (o.backend !== undefined && o.backend !== null)
      throw new TypeError(`hybridize: partitioning backends are not supported, got backend ${String(o.backend)}`);
    this._active = !!o.active;
    for (const c of this._children.values()) c.hybridize(...(args as Parameters<Block['hybridize']>));
  }

  /** Only 'float32' (the one dtype this package computes in); others throw. */
  cast(dtype: string): void {
    for (const c of this._children.values()) c.cast(dtype);
    checkDtype(`${className(this)}.cast`, dtype);
    for (const p of this.params.values()) p.cast(dtype);
  }

  /** Calls `fn` on every child (recursively, children first) and then on this block. */
  apply(fn: (block: Block) => void): this {
    if (typeof fn !== 'function')
      throw new TypeError(`${this.constructor.name}.apply: fn must be a function, got ${describe(fn)}`);
    for (const c of this._children.values()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Releases kernel resources (packed weights in wasm memory) of this block and its children. */
  dispose(): void {
    for (const c of this._children.values()) c.dispose();
    this._disposeKernels();
  }

  /** @internal Overridden by blocks that hold kernels. */
  protected _disposeKernels(): void {}

  /** Python `block(x, ...)`. Override in custom blocks. */
  forward(..._args: unknown[]): unknown {
    throw new NotImplementedError(`${className(this)}.forward is not implemented`);
  }

  /** HybridBlock computation: `hybridForward(F, x, ...args, params)`; `params` maps attribute names to data. */
  hybridForward(_F: typeof nd, ..._args: unknown[]): unknown {
    throw new NotImplementedError(`${className(this)}.hybridForward is not implemented`);
  }

  /**
   * @internal Fills unknown dimensions of this block's own parameters from the first
   * input(s). Blocks with deferred shapes override it.
   */
  _inferShape(..._args: unknown[]): void {
    const unknown = [...this.params.values()].filter((p) => !p.shapeIsKnown).map((p) => p.name);
    throw new ValueError(
      `${className(this)}: cannot infer the shapes of ${unknown.join(', ')}; give full shapes or override _inferShape(x, ...args)`,
    );
  }

  /**
   * @internal The input a built-in layer reads its deferred shapes from: an NDArray with at
   * least `minDims` dimensions, else an Error naming the layer and what it got.
   */
  protected _shapeSource(x: unknown, minDims = 1): NDArray {
    if (!(x instanceof nd.NDArray))
      throw new TypeError(`${className(this)}.forward: the input must be an NDArray, got ${describe(x)}`);
    if (x.ndim < minDims)
      throw new RangeError(
        `${className(this)}.forward: the input must have at least ${minDims} dimension(s) to infer the parameters' shapes from, got shape (${x.shape.join(', ')})`,
      );
    return x;
  }

  /** @internal First call with any of `used` still deferred: infer the shapes from the inputs, then initialise. */
  protected _finishDeferredFrom(used: Iterable<Parameter>, x: unknown, args: unknown[]): void {
    if (this._anyDeferred(used)) this._inferDeferred(x, args);
  }

  /** @internal Whether any of `used` still waits for its shape (deferred initialisation). */
  protected _anyDeferred(used: Iterable<Parameter>): boolean {
    let deferred = false;
    for (const p of used) deferred ||= !p.isInitialized && p.isDeferred;
    return deferred;
  }

  /** @internal Infers the deferred shapes from the inputs, then initialises the parameters. */
  protected _inferDeferred(x: unknown, args: unknown[]): void {
    this._inferShape(x, ...args);
    for (const p of this.params.values()) p._finishDeferredInit();
  }

  /** @internal HybridBlock.forward: deferred init, then `hybridForward(nd, x, ...args, params)`. */
  protected _callHybridForward(x: unknown, args: unknown[]): unknown {
    // Symbols trace the block into a graph (HybridBlock.export): ts/symbol/trace.ts.
    if (x instanceof MxSymbol) return traceBlock(this, x, args);
    // MXNet's HybridBlock.forward (gluon/block.py, _gather_type_ctx_info) asks the same.
    if (!hasArray(x) && !args.some(hasArray)) {
      throw new ValueError(
        `${className(this)}.forward: In HybridBlock, there must be one NDArray or one Symbol in the input. Please check the type of the args. Got (${[x, ...args].map(describe).join(', ')})`,
      );
    }
    const { keys, values } = this._regParamLists();
    // A built-in layer's hybridForward(F, x, ..., params) takes its parameters last: more
    // inputs than it declares would take their place (MXNet: a TypeError, "got multiple values
    // for argument"). Subclasses outside this package may declare rest parameters.
    const declared = this.hybridForward.length - 2;
    if (keys.length > 0 && declared >= 1 && 1 + args.length > declared && Object.hasOwn(this.constructor, 'gluonName'))
      throw new TypeError(`${className(this)}.forward: takes ${declared} input(s), got ${1 + args.length}`);
    this._recordCallInputs(x, args);
    this._finishDeferredFrom(values, x, args);
    const kw: Record<string, NDArray> = {};
    for (let i = 0; i < keys.length; i++) kw[keys[i] as string] = (values[i] as Parameter)._live();
    // Without a spread for the usual one or two inputs: this runs on every token.
    if (args.length === 0) return this.hybridForward(nd, x, kw);
    if (args.length === 1) return this.hybridForward(nd, x, args[0], kw);
    return this.hybridForward(nd, x, ...args, kw);
  }

  /** @internal Remembers which arguments were arrays (reallocating only when that changes). */
  protected _recordCallInputs(x: unknown, args: readonly unknown[]): void {
    const last = this._lastCallInputs;
    let same = last !== null && last.length === args.length + 1 && last[0] === x instanceof nd.NDArray;
    for (let i = 0; same && i < args.length; i++) same = last?.[i + 1] === args[i] instanceof nd.NDArray;
    if (!same) this._lastCallInputs = [x, ...args].map((a) => a instanceof nd.NDArray);
  }

  /** Gluon's __repr__: the class name and each child, indented. */
  toString(): string {
    const lines = [...this._children].map(([key, b]) => `  (${key}): ${indent(b.toString(), 2)}`);
    return `${className(this)}(\n${lines.join('\n')}\n)`;
  }
}

/** HybridBlock.register_child's check, shared with the hybrid recurrent cells (not HybridBlock subclasses here). */
export function assertHybridChild(block: unknown): void {
  if (!(block instanceof Block) || !block._isHybrid()) {
    throw new ValueError(
      `Children of HybridBlock must also be HybridBlock, but ${String(block)} has type ${(block as object | null)?.constructor?.name}. If you are using Sequential, please try HybridSequential instead.`,
    );
  }
}

/**
 * A Block whose computation is `hybridForward(F, x, ...args, params)`: `F` is `mx.nd` and
 * `params` maps parameter attribute names to their data.
 * Gluon note: Python passes the parameters as keyword arguments; here they come as one
 * trailing object (docs/design/api.md rule 2). `hybridize()` changes nothing: there is no graph to cache.
 */
export class HybridBlock extends Block {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'HybridBlock';
  /**
   * `x instanceof HybridBlock` is true for every hybrid block, including the hybrid recurrent
   * cells, which (as in Python) do not extend this class here.
   */
  static override [Symbol.hasInstance](x: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class tested (subclasses keep plain instanceof)
    if (this === HybridBlock) return x instanceof Block && x._isHybrid();
    // biome-ignore lint/complexity/noThisInStatic: see above
    return Function.prototype[Symbol.hasInstance].call(this, x);
  }

  override _isHybrid(): boolean {
    return true;
  }

  override registerChild<B extends Block>(block: B, name?: string | null): B {
    assertHybridChild(block);
    return super.registerChild(block, name);
  }

  override forward(x: unknown, ...args: unknown[]): unknown {
    return this._callHybridForward(x, args);
  }

  /**
   * `export(path=null, epoch=0)`: traces `hybridForward` with `F = mx.sym` (inputs 'data', or
   * 'data0', 'data1', ... as many as the last `forward` took) into the graph MXNet 1.9.1 writes,
   * and returns `{ symbol, params }` (`-symbol.json` text, `.params` bytes with `arg:`/`aux:`
   * keys) that MXNet's `SymbolBlock.imports` loads. With a path (Node/Deno/Bun) also writes
   * `path-symbol.json` and `path-%04d.params`.
   */
  export(...args: PositionalArgs<[], [path: string | null, epoch: number], HybridExportOptions>): ExportedGraph;
  export(...args: unknown[]): ExportedGraph {
    return exportBlock(this, args, this._lastCallInputs);
  }
}
