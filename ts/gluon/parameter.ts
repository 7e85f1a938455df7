// Parameter and ParameterDict (python/mxnet/gluon/parameter.py): deferred shapes (unknown
// dimensions read 0), initialisation with MXNet's "own initializer wins" rule, shared dicts,
// and the loading seam (`_loadInit`, `_loadDict`) used by the .params reader.

import { bindVariable, tapeWrites, type Variable, variableOf } from '../autograd/tape.js';
import { create as createInit, Initializer, type InitLike, initEquals, Uniform } from '../init/initializer.js';
import { NDArray, shapeStr } from '../ndarray/ndarray.js';
import { checkBool } from '../ndarray/ops/common.js';
import { dropOwed, fillUniformOwed, owesFills, settleOwed } from '../random.js';
import { describe } from '../util/describe.js';
import { AssertionError, RuntimeError, ValueError, warn } from '../util/errors.js';
import {
  type Context,
  checkCtx,
  checkDtype,
  checkNumber,
  type Float32,
  type PositionalArgs,
  parseArgs,
} from '../util/options.js';
import {
  type DtypeSource,
  loadParameterDict,
  loadParameterDictArrays,
  type ParamsSource,
  saveParameterDict,
} from './params_io.js';

/** Thrown by `Parameter.data()` while the shape is still unknown (MXNet's class of the same name). */
export class DeferredInitializationError extends Error {
  /** `'DeferredInitializationError'`. */
  override name = 'DeferredInitializationError';
}

/** How gradients are written: 'write', 'add' (accumulate) or 'null' (none). */
export type GradReq = 'write' | 'add' | 'null';

interface DeferredInit {
  init: InitLike;
  defaultInit: InitLike;
  data: NDArray | null;
}

/**
 * Options of `Parameter(name, gradReq='write', shape=null, dtype='float32', lrMult=1, wdMult=1,
 * init=null, allowDeferredInit=false, differentiable=true, stype='default', gradStype='default')`
 * and of `ParameterDict.get(name, options)`.
 */
export interface ParameterOptions {
  /** How gradients are written: 'write' (default), 'add' or 'null'. */
  gradReq?: GradReq;
  /** The shape; 0 marks a dimension that is inferred later (deferred initialisation). */
  shape?: number | readonly number[] | null;
  /** Only 'float32'. */
  dtype?: Float32 | null;
  /** Learning-rate multiplier (default 1). */
  lrMult?: number;
  /** Weight-decay multiplier (default 1). */
  wdMult?: number;
  /** This parameter's own initializer (it wins over the one given to `initialize`). */
  init?: InitLike | null;
  /** Allow initialisation before the shape is known (deferred to the first forward). */
  allowDeferredInit?: boolean;
  /** Whether the parameter gets gradients (false forces gradReq 'null'). */
  differentiable?: boolean;
  /** Only 'default' (dense storage). */
  stype?: 'default';
  /** Only 'default' (dense storage). */
  gradStype?: 'default';
}

/** Options of `Parameter.initialize(init=null, ctx=null, defaultInit=Uniform(), forceReinit=false)`. */
export interface ParameterInitializeOptions {
  /** Wins over the parameter's own initializer and `defaultInit`. */
  init?: InitLike | null;
  /** Accepted for compatibility: cpu only. */
  ctx?: Context | readonly Context[] | null;
  /** Used when neither `init` nor the parameter's own initializer is set. */
  defaultInit?: InitLike;
  /** Re-initialise an initialised parameter (otherwise a warning and nothing changes). */
  forceReinit?: boolean;
}

/** Options of `initialize(init=Uniform(), ctx=null, verbose=false, forceReinit=false)` (Block, ParameterDict). */
export interface InitializeOptions {
  /** The default for parameters without their own initializer. */
  init?: InitLike | null;
  /** Accepted for compatibility: cpu only. */
  ctx?: Context | readonly Context[] | null;
  /** Accepted for compatibility (MXNet prints the initializers). */
  verbose?: boolean;
  /** Re-initialise initialised parameters (otherwise a warning and nothing changes). */
  forceReinit?: boolean;
}

/** Options of `ParameterDict.save(filename=null, stripPrefix='')`. */
export interface ParameterDictSaveOptions {
  /** Node/Deno/Bun: also write the bytes to this path. */
  filename?: string | null;
  /** Removed from the start of every name (each name must start with it). */
  stripPrefix?: string;
}

/**
 * Options of `ParameterDict.load(source, ctx=null, allowMissing=false, ignoreExtra=false,
 * restorePrefix='', castDtype=false, dtypeSource='current')`.
 */
export interface ParameterDictLoadOptions {
  /** Accepted for compatibility: cpu only. */
  ctx?: Context | readonly Context[] | null;
  /** Leave parameters the file does not have untouched instead of throwing. */
  allowMissing?: boolean;
  /** Skip arrays of the file that the dict does not have instead of throwing. */
  ignoreExtra?: boolean;
  /** Prepended to every key of the file ('arg:'/'aux:' stripped first). */
  restorePrefix?: string;
  /** Convert arrays of another dtype (float16, float64, int*) to float32 instead of throwing. */
  castDtype?: boolean;
  /** Which dtype wins with `castDtype`: 'current' (float32); 'saved' throws for non-float32 arrays. */
  dtypeSource?: DtypeSource;
}

const PARAM_ARGS = [
  'gradReq',
  'shape',
  'dtype',
  'lrMult',
  'wdMult',
  'init',
  'allowDeferredInit',
  'differentiable',
  'stype',
  'gradStype',
] as const;

function normShape(where: string, s: unknown): number[] | null {
  if (s === null || s === undefined) return null;
  const arr = typeof s === 'number' ? [s] : (s as number[]);
  if (!Array.isArray(arr) || arr.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new TypeError(`${where}: shape must be an integer or an array of integers (0 = unknown), got ${describe(s)}`);
  }
  const shape = arr.map((d) => Math.max(d, 0));
  const known = shape.reduce((a, d) => (d > 0 ? a * d : a), 1);
  if (known > MAX_PARAM_ELEMENTS) {
    throw new RangeError(
      `${where}: shape ${shapeStr(shape)} has ${known} elements; the kernels hold at most 2^29 (2 GiB of float32, the wasm32 limit for one buffer)`,
    );
  }
  return shape;
}

/** The largest parameter a wasm32 kernel can hold: one 2 GiB buffer of float32. */
const MAX_PARAM_ELEMENTS = 2 ** 29;

/** A parameter's data must have a known shape: a 0 dimension means "unknown" in MXNet. */
function checkKnown(where: string, data: NDArray): void {
  if (data.shape.some((d) => d === 0)) {
    throw new ValueError(
      `${where}: data of shape ${shapeStr(data.shape)} has a 0 dimension; a parameter's data needs every dimension known (> 0)`,
    );
  }
}

function checkInit(where: string, init: unknown): InitLike | null {
  if (init === null || init === undefined) return null;
  if (init instanceof Initializer) return init;
  if (typeof init === 'string') {
    createInit(init); // validates the name now rather than at initialisation
    return init;
  }
  throw new TypeError(`${where}: init must be an Initializer or an initializer name, got ${describe(init)}`);
}

/** `req` when it is a gradient request, else MXNet's ValueError. */
function checkGradReq(req: unknown): GradReq {
  if (req !== 'write' && req !== 'add' && req !== 'null')
    throw new ValueError(
      `grad_req must be one of 'write', 'add', or 'null', but got ${typeof req === 'string' ? `'${req}'` : describe(req)}`,
    );
  return req;
}

/** A weight or bias: a name, a (possibly partly unknown) shape, an initializer and data. */
export class Parameter {
  /** The full name (`lstm0_l0_i2h_weight`): the key MXNet's files use. */
  readonly name: string;
  /** This parameter's own initializer; `null` uses the one passed to `initialize()`. */
  init: InitLike | null;
  /** Whether initialisation may wait for a shape that the first forward fills in. */
  allowDeferredInit: boolean;
  /** Learning-rate multiplier: the optimizer scales this parameter's learning rate by it. */
  lrMult: number;
  /** Weight-decay multiplier: the optimizer scales this parameter's weight decay by it. */
  wdMult: number;
  /** False for parameters that never take gradients (their `gradReq` is then 'null'). */
  differentiable: boolean;
  /** Bumped whenever the data changes (initialize, setData, load); kernels re-pack on change. */
  version = 0;
  /**
   * @internal The shape as declared (0 = deferred): the `__shape__` that `export` writes, as
   * MXNet's `Parameter.var()` records it when the graph is first built during deferred init.
   */
  readonly _declaredShape: readonly number[] | null;
  private _shape: number[] | null;
  private _gradReq: GradReq;
  private readonly _dtypeRepr: string;
  /**
   * The data. Its values may still be owed by the generator (`fillUniformOwed`): read them
   * through `_live` (which settles them), test it against null directly, replace it through
   * `#replaceData`.
   */
  #data: NDArray | null = null;
  private _deferredInit: DeferredInit | null = null;
  /** The gradient buffer and its freshness, shared by every data array this parameter had. */
  private _var: Variable | null = null;
  /** The live array `_live` last saw bound to a variable, and `tapeWrites()` then. */
  private _bound: NDArray | null = null;
  private _boundAt = -1;

  /** `Parameter(name, gradReq='write', shape=null, dtype='float32', lrMult=1, wdMult=1, init=null, allowDeferredInit=false, ...)`. */
  constructor(
    name: string,
    ...args: PositionalArgs<
      [],
      [
        gradReq: GradReq,
        shape: number | readonly number[] | null,
        dtype: Float32 | null,
        lrMult: number,
        wdMult: number,
        init: InitLike | null,
        allowDeferredInit: boolean,
        differentiable: boolean,
        stype: 'default',
        gradStype: 'default',
      ],
      ParameterOptions
    >
  );
  constructor(name: string, ...args: unknown[]) {
    const o = parseArgs<ParameterOptions>('Parameter', args, PARAM_ARGS, {
      gradReq: 'write',
      lrMult: 1,
      wdMult: 1,
      allowDeferredInit: false,
      differentiable: true,
      stype: 'default',
      gradStype: 'default',
    });
    if (typeof name !== 'string') throw new TypeError(`Parameter: name must be a string, got ${describe(name)}`);
    checkDtype(`Parameter '${name}'`, o.dtype);
    if (o.stype !== 'default' || o.gradStype !== 'default') {
      throw new TypeError(
        `Parameter '${name}': only stype 'default' is supported, got stype '${String(o.stype)}', gradStype '${String(o.gradStype)}'`,
      );
    }
    this.name = name;
    this._shape = normShape(`Parameter '${name}'`, o.shape);
    this._declaredShape = this._shape === null ? null : [...this._shape];
    // Gluon note: the dtype prints as Python passes it: 'float32' when given as a string
    // (layers), numpy's class when left to the default (cells).
    this._dtypeRepr = o.dtype === 'float32' ? 'float32' : "<class 'numpy.float32'>";
    this.init = checkInit(`Parameter '${name}'`, o.init);
    this.allowDeferredInit = !!o.allowDeferredInit;
    this.lrMult = checkNumber(`Parameter '${name}'`, 'lrMult', o.lrMult);
    this.wdMult = checkNumber(`Parameter '${name}'`, 'wdMult', o.wdMult);
    this.differentiable = !!o.differentiable;
    this._gradReq = 'write';
    this.gradReq = (o.differentiable ? o.gradReq : 'null') as GradReq;
  }

  /** Always 'float32'. */
  get dtype(): 'float32' {
    return 'float32';
  }

  /** How `backward` writes this parameter's gradient: 'write' (default), 'add' or 'null' (none). */
  get gradReq(): GradReq {
    return this._gradReq;
  }
  /** Sets `gradReq` ('write', 'add' or 'null'; other values throw a ValueError). */
  set gradReq(req: GradReq) {
    checkGradReq(req);
    this._gradReq = this.differentiable ? req : 'null';
    if (this._var !== null) this._var.req = this._gradReq;
  }

  /** The shape; unknown (deferred) dimensions read 0, as in MXNet. */
  get shape(): number[] {
    return this._shape === null ? [] : [...this._shape];
  }
  /** @internal Dimension `i` of {@link shape} without copying the shape (per-call checks). */
  _dim(i: number): number {
    return this._shape?.[i] ?? 0;
  }
  /** Fills unknown dimensions; known dimensions must match (MXNet's shape setter). */
  set shape(newShape: readonly number[]) {
    const ns = normShape(`Parameter '${this.name}'`, newShape) as number[];
    if (this._shape === null) {
      this._shape = ns;
      return;
    }
    const cur = this._shape;
    if (cur.length !== ns.length || !ns.every((d, i) => cur[i] === 0 || cur[i] === d)) {
      throw new AssertionError(`Expected shape ${shapeStr(ns)} is incompatible with given shape ${shapeStr(cur)}.`);
    }
    this._shape = ns;
  }
  /** True when the shape is known (no 0 dimension). */
  get shapeIsKnown(): boolean {
    return this._shape?.every((d) => d > 0) ?? false;
  }
  /** True after `initialize` completed (data exists). */
  get isInitialized(): boolean {
    return this.#data !== null;
  }
  /** True while initialisation waits for the shape. */
  get isDeferred(): boolean {
    return this._deferredInit !== null;
  }

  /** @internal Merge used by ParameterDict.get: returns false when known dims conflict. */
  _mergeShape(want: number[]): boolean {
    if (this._shape === null) {
      this._shape = want;
      return true;
    }
    const cur = this._shape;
    if (cur.length !== want.length) return false;
    const merged: number[] = [];
    for (let i = 0; i < cur.length; i++) {
      const a = want[i] as number;
      const b = cur[i] as number;
      if (a !== b && a > 0 && b > 0) return false;
      merged.push(a === 0 ? b : a);
    }
    this._shape = merged;
    return true;
  }

  /**
   * `initialize(init=null, ctx=null, defaultInit=Uniform(), forceReinit=false)`: the
   * parameter's own `init` wins over `defaultInit`; `init` (when given) wins over both.
   * A plain uniform draw (`Uniform`, `Xavier` with uniform draws) is made when the values
   * are first read or the generator is next used, in the order asked: the same values as
   * drawing at once, and none drawn for weights loaded or set right after.
   */
  initialize(
    ...args: PositionalArgs<
      [],
      [init: InitLike | null, ctx: Context | readonly Context[] | null, defaultInit: InitLike, forceReinit: boolean],
      ParameterInitializeOptions
    >
  ): void;
  initialize(...args: unknown[]): void {
    const o = parseArgs<{ init: InitLike | null; ctx: unknown; defaultInit: InitLike; forceReinit: boolean }>(
      'Parameter.initialize',
      args,
      ['init', 'ctx', 'defaultInit', 'forceReinit'],
      { init: null, defaultInit: new Uniform(), forceReinit: false },
    );
    checkCtx('Parameter.initialize', o.ctx);
    checkInit('Parameter.initialize(init)', o.init);
    checkInit('Parameter.initialize(defaultInit)', o.defaultInit);
    if (this.#data !== null && !o.forceReinit) {
      warn(`Parameter '${this.name}' is already initialized, ignoring. Set forceReinit: true to re-initialize.`);
      return;
    }
    this.#replaceData(null);
    const init = o.init ?? this.init ?? o.defaultInit;
    this._deferredInit = { init, defaultInit: o.defaultInit, data: null };
    if (!this.shapeIsKnown) {
      if (this.allowDeferredInit) return;
      this._deferredInit = null;
      throw new ValueError(
        `Cannot initialize Parameter '${this.name}' because it has invalid shape: ${shapeStr(this.shape)}.`,
      );
    }
    this._finishDeferredInit();
  }

  /** @internal Materialises a pending deferred initialisation (shape must be known by now). */
  _finishDeferredInit(): void {
    const d = this._deferredInit;
    if (d === null) return;
    if (!this.shapeIsKnown) {
      throw new AssertionError(
        `Cannot initialize Parameter '${this.name}' because it has invalid shape: ${shapeStr(this.shape)}. Please specify in_units, in_channels, etc for \`Block\`s.`,
      );
    }
    this._deferredInit = null;
    let data = d.data;
    if (data === null) {
      data = new NDArray(new Float32Array(this.shape.reduce((a, b) => a * b, 1)), this.shape);
      const init = createInit(d.init);
      // A plain uniform fill is owed until read: weights loaded right after initialize()
      // then cost no draws (an LSTM's are most of a cold start's initialize()).
      const range = init._uniformRange(this.name, data.shape);
      if (range === null) init.initWeight(this.name, data);
      else fillUniformOwed(data.data, range[0], range[1]);
    } else {
      data = new NDArray(data.data.slice(), this.shape);
    }
    this.#replaceData(data);
    this.version++;
  }

  /**
   * A copy of the data; throws before initialisation (DeferredInitializationError while
   * deferred). To change the parameter, use `setData`.
   */
  data(ctx?: unknown): NDArray {
    checkCtx('Parameter.data', ctx);
    // Gluon note: MXNet returns the parameter's own array, so writing into it changes the
    // parameter. Here what `forward` computes with is a packed copy in wasm memory, rebuilt
    // when `version` changes, and a raw write into a Float32Array cannot bump it: a copy keeps
    // the running model and `saveParameters` from ever disagreeing. Change data with `setData`.
    return this._live().copy();
  }

  /** @internal The parameter's own array (not a copy): for the package's code, which never writes into it. */
  _live(): NDArray {
    const d = this.#data;
    if (d !== null) {
      if (owesFills()) settleOwed();
      // The live array is the autograd variable: ops recorded on it send gradients to `grad()`.
      // Looked up again only for a new array or after the tape changed: these lookups were
      // a few percent of a no-work forward call.
      if (this._gradReq !== 'null' && (d !== this._bound || this._boundAt !== tapeWrites())) {
        if (variableOf(d) === undefined) bindVariable(d, this._variable());
        this._bound = d;
        this._boundAt = tapeWrites();
      }
      return d;
    }
    if (this._deferredInit !== null) {
      throw new DeferredInitializationError(
        `Parameter '${this.name}' has not been initialized yet because initialization was deferred. Actual initialization happens during the first forward pass. Please pass one batch of data through the network before accessing Parameters. You can also avoid deferred initialization by specifying in_units, num_features, etc., for network layers.`,
      );
    }
    throw new Error(
      `Parameter '${this.name}' has not been initialized. Note that you should initialize parameters and create Trainer with Block.collect_params() instead of Block.params because the later does not include Parameters of nested child Blocks`,
    );
  }

  /** `[data()]` (one context). */
  listData(): NDArray[] {
    return [this.data()];
  }
  /** `['cpu(0)']`: the one device. */
  listCtx(): string[] {
    return ['cpu(0)'];
  }

  /** Copies `data` into the parameter (filling unknown dimensions). */
  setData(data: NDArray): void {
    if (!(data instanceof NDArray))
      throw new TypeError(`Parameter '${this.name}'.setData: expected an NDArray, got ${describe(data)}`);
    checkKnown(`Parameter '${this.name}'.setData`, data);
    this.shape = data.shape;
    if (this.#data === null) {
      if (this._deferredInit === null) throw new AssertionError(`Parameter '${this.name}' has not been initialized`);
      this._deferredInit = { ...this._deferredInit, data: data.copy() };
      return;
    }
    this.#replaceData(new NDArray(data.data.slice(), this.shape));
    this.version++;
  }

  /** @internal Validation half of `_loadInit` (MXNet's messages); throws, changes nothing. */
  _checkLoad(data: NDArray): void {
    checkKnown(`Failed loading Parameter '${this.name}' from saved params`, data);
    const cur = this._shape;
    if (cur !== null && cur.length > 0) {
      const ok = cur.length === data.ndim && cur.every((d, i) => d === 0 || d === data.shape[i]);
      if (!ok) {
        throw new AssertionError(
          `Failed loading Parameter '${this.name}' from saved params: shape incompatible expected ${shapeStr(cur)} vs saved ${shapeStr(data.shape)}`,
        );
      }
    }
  }

  /**
   * @internal MXNet's `_load_init`: validates the shape, fills unknown dimensions from `data`,
   * and sets the data (initialising the parameter if needed; a pending deferred init is dropped).
   */
  _loadInit(data: NDArray): void {
    this._checkLoad(data);
    this._shape = [...data.shape];
    this._deferredInit = null;
    this.#replaceData(new NDArray(data.data.slice(), data.shape));
    this.version++;
  }

  /** @internal Marks the data as changed in place (an optimizer update), so kernels re-pack it. */
  _touched(): void {
    this.version++;
  }

  /** @internal The gradient record (allocated with the data's shape on first use). */
  _variable(): Variable {
    const d = this._live0();
    if (this._var === null || (this._var.grad !== null && this._var.grad.size !== d.size)) {
      this._var = { grad: new NDArray(new Float32Array(d.size), d.shape), req: this._gradReq, fresh: false };
    }
    return this._var;
  }

  /** The data for its size and shape (its values may be owed): without `_live`'s variable binding. */
  private _live0(): NDArray {
    return this.#data ?? this._live(); // _live throws the not-initialized errors
  }

  /** Sets the data; an owed fill of the array it replaces is not written. */
  #replaceData(data: NDArray | null): void {
    if (this.#data !== null && this.#data !== data) dropOwed(this.#data.data);
    this.#data = data;
  }

  /**
   * `grad()`: the live gradient array (not a copy; what `clipGlobalNorm` and the optimizer act
   * on). Throws for gradReq 'null' and before initialisation, as MXNet.
   */
  grad(ctx?: unknown): NDArray {
    checkCtx('Parameter.grad', ctx);
    if (this._gradReq === 'null') {
      throw new RuntimeError(`Cannot get gradient array for Parameter '${this.name}' because grad_req='null'`);
    }
    return this._variable().grad as NDArray;
  }

  /** `[grad()]` (one context). */
  listGrad(): NDArray[] {
    return [this.grad()];
  }

  /** Sets the gradient buffer to zeros (`zero_grad`); nothing happens for gradReq 'null'. */
  zeroGrad(): void {
    if (this._gradReq === 'null' || this.#data === null) return;
    this._variable().grad?.data.fill(0);
  }

  /** Only 'float32' is supported. */
  cast(dtype: string): void {
    checkDtype(`Parameter '${this.name}'.cast`, dtype);
  }

  /** Gluon's `repr`: `Parameter lstm0_l0_i2h_weight (shape=(80, 10), dtype=float32)`. */
  toString(): string {
    return `Parameter ${this.name} (shape=${this._shape === null ? 'None' : shapeStr(this._shape)}, dtype=${this._dtypeRepr})`;
  }
}

/** What {@link ParameterDict.setattr} can set on every Parameter. */
export type SettableAttribute = 'gradReq' | 'lrMult' | 'wdMult' | 'init' | 'allowDeferredInit';

/** The check of each value `ParameterDict.setattr` sets. */
const SETTABLE: Readonly<Record<SettableAttribute, (v: unknown) => unknown>> = {
  gradReq: checkGradReq,
  lrMult: (v: unknown) => checkNumber('ParameterDict.setattr', 'lrMult', v),
  wdMult: (v: unknown) => checkNumber('ParameterDict.setattr', 'wdMult', v),
  init: (v: unknown) => checkInit('ParameterDict.setattr', v),
  allowDeferredInit: (v: unknown) => checkBool('ParameterDict.setattr', 'allowDeferredInit', v),
};

/**
 * An ordered dict of Parameters with a name prefix, optionally sharing another dict's
 * Parameters (`params=` of a Block).
 */
export class ParameterDict {
  /** Prepended by `get(name)` to make full names. */
  readonly prefix: string;
  private readonly _params = new Map<string, Parameter>();
  private readonly _shared: ParameterDict | null;

  constructor(prefix = '', shared: ParameterDict | null = null) {
    if (typeof prefix !== 'string')
      throw new TypeError(`ParameterDict: prefix must be a string, got ${describe(prefix)}`);
    if (shared !== null && !(shared instanceof ParameterDict))
      throw new TypeError(`ParameterDict: shared must be a ParameterDict or null, got ${describe(shared)}`);
    this.prefix = prefix;
    this._shared = shared;
  }

  /** @internal The dict this one shares Parameters with. */
  get _sharedDict(): ParameterDict | null {
    return this._shared;
  }

  private _getImpl(name: string): Parameter | undefined {
    const own = this._params.get(name);
    if (own !== undefined) return own;
    const sh = this._shared?._params.get(name);
    if (sh !== undefined) {
      this._params.set(name, sh);
      return sh;
    }
    return undefined;
  }

  /**
   * `get(name, options?)`: the Parameter `prefix + name` (own or shared), created with
   * `options` when absent; existing attributes must agree (unknown shape dims merge).
   * Gluon note: as docs/design/api.md specifies, a full name also works (`params.get('dense0_weight')` on a
   * dict with prefix 'dense0_'): when `prefix + name` does not exist but `name` does, it is
   * returned (and nothing is created).
   */
  get(name: string, options?: ParameterOptions): Parameter {
    if (typeof name !== 'string')
      throw new TypeError(`ParameterDict.get: name must be a string, got ${describe(name)}`);
    const full = this.prefix + name;
    let p = this._getImpl(full);
    if (p === undefined && this._params.has(name) && options === undefined) return this._params.get(name) as Parameter;
    if (p === undefined) {
      p = new Parameter(full, { ...(options ?? {}) });
      this._params.set(full, p);
      return p;
    }
    for (const [k, v] of Object.entries(options ?? {})) {
      if (v === undefined || v === null) continue;
      if (k === 'shape') {
        const want = normShape(`ParameterDict.get('${name}')`, v) as number[];
        if (p._mergeShape(want)) continue;
        throw new AssertionError(
          `Cannot retrieve Parameter '${full}' because desired attribute does not match with stored for attribute 'shape': desired '${shapeStr(want)}' vs stored '${shapeStr(p.shape)}'.`,
        );
      }
      if (k === 'dtype') {
        checkDtype(`ParameterDict.get('${name}')`, v);
        continue;
      }
      // Python sets a stray `allow_deferred_init` attribute here (the real one is private),
      // so a second request never changes or checks it.
      if (k === 'allowDeferredInit') continue;
      const existing = (p as unknown as Record<string, unknown>)[k];
      if (existing === null || existing === undefined) {
        (p as unknown as Record<string, unknown>)[k] = v;
        continue;
      }
      if (!initEquals(v, existing) && v !== existing) {
        throw new AssertionError(
          `Cannot retrieve Parameter '${full}' because desired attribute does not match with stored for attribute '${k}': desired '${String(v)}' vs stored '${String(existing)}'.`,
        );
      }
    }
    return p;
  }

  /** Full names, in insertion (MXNet) order. */
  keys(): IterableIterator<string> {
    return this._params.keys();
  }
  /** The Parameters, in the order of `keys()`. */
  values(): IterableIterator<Parameter> {
    return this._params.values();
  }
  /** `[fullName, Parameter]` pairs, in the order of `keys()`. */
  entries(): IterableIterator<[string, Parameter]> {
    return this._params.entries();
  }
  /** Iterates over the full names, as Python's `for name in params`. */
  [Symbol.iterator](): IterableIterator<string> {
    return this._params.keys();
  }
  /** Whether a Parameter with this full name is in the dict (Python `name in params`). */
  has(fullName: string): boolean {
    return this._params.has(fullName);
  }
  /** The number of Parameters (Python `len(params)`). */
  get size(): number {
    return this._params.size;
  }
  /** Python `params[full_name]`. */
  getByFullName(fullName: string): Parameter {
    const p = this._params.get(fullName);
    if (p === undefined) throw new RangeError(`ParameterDict: no Parameter named '${fullName}'`);
    return p;
  }

  /** Copies `other`'s Parameters in; a different Parameter under an existing name throws. */
  update(other: ParameterDict | Iterable<[string, Parameter]>): void {
    const pairs = other instanceof ParameterDict ? other.entries() : other;
    const items = typeof pairs?.[Symbol.iterator] === 'function' && typeof pairs !== 'string' ? [...pairs] : null;
    if (
      items === null ||
      !items.every((e) => Array.isArray(e) && typeof e[0] === 'string' && e[1] instanceof Parameter)
    )
      throw new TypeError(
        `ParameterDict.update: other must be a ParameterDict or [name, Parameter] pairs, got ${describe(other)}`,
      );
    for (const [k, v] of items) {
      const cur = this._params.get(k);
      if (cur !== undefined && cur !== v) {
        throw new AssertionError(
          `Cannot update self with other because they have different Parameters with the same name '${k}'`,
        );
      }
    }
    for (const [k, v] of items) this._params.set(k, v);
  }

  /**
   * `initialize(init=Uniform(), ctx=null, verbose=false, forceReinit=false)`: `init` is the
   * default for Parameters without their own initializer.
   */
  initialize(
    ...args: PositionalArgs<
      [],
      [init: InitLike | null, ctx: Context | readonly Context[] | null, verbose: boolean, forceReinit: boolean],
      InitializeOptions
    >
  ): void;
  initialize(...args: unknown[]): void {
    const o = parseArgs<{ init: InitLike; ctx: unknown; verbose: boolean; forceReinit: boolean }>(
      'ParameterDict.initialize',
      args,
      ['init', 'ctx', 'verbose', 'forceReinit'],
      { init: new Uniform(), verbose: false, forceReinit: false },
    );
    const init = o.init ?? new Uniform();
    checkInit('ParameterDict.initialize(init)', init);
    for (const p of this._params.values()) p.initialize(null, o.ctx as Context | null, init, o.forceReinit);
  }

  /**
   * Sets an attribute on every Parameter (`setattr('gradReq', 'null')`): one of gradReq,
   * lrMult, wdMult, init, allowDeferredInit. The value is checked before any is set.
   */
  setattr<K extends SettableAttribute>(name: K, value: Parameter[K]): void;
  setattr(name: string, value: unknown): void {
    // Gluon note: Python sets any attribute; the others here are methods, read-only or
    // per-Parameter (shape), and setting them on every Parameter would break them.
    if (typeof name !== 'string' || !Object.hasOwn(SETTABLE, name))
      throw new TypeError(
        `ParameterDict.setattr: name must be one of ${Object.keys(SETTABLE).join(', ')}, got ${describe(name)}`,
      );
    const v = SETTABLE[name as SettableAttribute](value);
    for (const p of this._params.values()) (p as unknown as Record<string, unknown>)[name] = v;
  }

  /** Sets every parameter's gradient buffer to zeros (`zero_grad`). */
  zeroGrad(): void {
    for (const p of this._params.values()) p.zeroGrad();
  }

  /**
   * `save(filename?, stripPrefix='')`: MXNet `.params` bytes keyed by full names (minus
   * `stripPrefix`), byte-identical to MXNet's; with a filename (Node/Deno/Bun) the file is
   * also written.
   */
  save(
    ...args: PositionalArgs<[], [filename: string | null, stripPrefix: string], ParameterDictSaveOptions>
  ): Uint8Array;
  save(...args: unknown[]): Uint8Array {
    const o = parseArgs<{ filename: string | null; stripPrefix: string }>(
      'ParameterDict.save',
      args,
      ['filename', 'stripPrefix'],
      { filename: null, stripPrefix: '' },
    );
    if (o.filename !== null && typeof o.filename !== 'string')
      throw new TypeError(`ParameterDict.save: filename must be a string path, got ${describe(o.filename)}`);
    return saveParameterDict(this, o.filename, String(o.stripPrefix));
  }

  /**
   * `load(source, ctx=null, allowMissing=false, ignoreExtra=false, restorePrefix='',
   * castDtype=false, dtypeSource='current')`: `source` is a path (Node/Deno/Bun), bytes or an
   * ArrayBuffer; keys may carry 'arg:'/'aux:'. Atomic: on any error nothing changes.
   */
  load(
    source: ParamsSource,
    ...args: PositionalArgs<
      [],
      [
        ctx: Context | readonly Context[] | null,
        allowMissing: boolean,
        ignoreExtra: boolean,
        restorePrefix: string,
        castDtype: boolean,
        dtypeSource: DtypeSource,
      ],
      ParameterDictLoadOptions
    >
  ): void;
  load(source: unknown, ...args: unknown[]): void {
    const o = parseArgs<{
      ctx: unknown;
      allowMissing: boolean;
      ignoreExtra: boolean;
      restorePrefix: string;
      castDtype: boolean;
      dtypeSource: string;
    }>(
      'ParameterDict.load',
      args,
      ['ctx', 'allowMissing', 'ignoreExtra', 'restorePrefix', 'castDtype', 'dtypeSource'],
      { allowMissing: false, ignoreExtra: false, restorePrefix: '', castDtype: false, dtypeSource: 'current' },
    );
    checkCtx('ParameterDict.load', o.ctx);
    if (typeof o.restorePrefix !== 'string')
      throw new TypeError(`ParameterDict.load: restorePrefix must be a string, got ${describe(o.restorePrefix)}`);
    loadParameterDict(this, source, o);
  }

  /**
   * @internal `load_dict` (parameter.py): `arrays` keyed by saved names ('arg:'/'aux:' are
   * stripped, `restorePrefix` prepended). Atomic. `source` names the file in messages.
   */
  _loadDict(
    arrays: Iterable<[string, NDArray]>,
    opts: { allowMissing?: boolean; ignoreExtra?: boolean; restorePrefix?: string; source?: string } = {},
  ): void {
    loadParameterDictArrays(this, arrays, opts);
  }

  /** Gluon's `repr`: the prefix and one line per Parameter. */
  toString(): string {
    const name = this.prefix ? `${this.prefix} ` : '';
    const lines = [...this._params.values()].map((p) => `  ${p.toString()}`);
    return `${name}(\n${lines.join('\n')}\n)`;
  }
}
