// mx.init (python/mxnet/initializer.py): the initializers Gluon parameters use. Gluon always
// calls `_initWeight` of the parameter's own initializer (else the global one), never the
// weight/bias name-suffix dispatch of `Initializer.__call__` (spec §3.2).

import { fillUniform, nextNormal, nextUniform } from '../random.js';
import { describe } from '../util/describe.js';
import { isPlainObject, type PositionalArgs, parseArgs, pyJson } from '../util/options.js';

/** What an initializer fills: row-major float32 data of a known shape. */
export interface InitTarget {
  /** The values to fill, row-major. */
  readonly data: Float32Array;
  /** The parameter's shape. */
  readonly shape: readonly number[];
}

/**
 * `initWeight`'s target checked before anything is written: a Float32Array `data` holding as
 * many elements as `shape`, a list of integer dimensions, says (an NDArray qualifies).
 */
function checkTarget(init: Initializer, arr: InitTarget): void {
  const shape = (arr as Partial<InitTarget> | null)?.shape;
  const data = (arr as Partial<InitTarget> | null)?.data;
  if (
    !Array.isArray(shape) ||
    !shape.every((d) => Number.isSafeInteger(d) && d >= 0) ||
    !(data instanceof Float32Array) ||
    data.length !== shape.reduce((a, b) => a * b, 1)
  )
    throw new TypeError(
      `init.${init.constructor.name}.initWeight: arr must have a Float32Array data of as many elements as its shape says (an NDArray), got ${describe(arr)}`,
    );
}

const registry = new Map<string, (kw: Record<string, unknown>) => Initializer>();

/**
 * Base of the initializers (`mx.init.Initializer`): `initWeight(name, arr)` fills a
 * parameter's data. Subclass it for a custom initializer, or pass one of Gluon's names
 * (`'zeros'`, `'xavier'`, ...) wherever an initializer is expected.
 */
export abstract class Initializer {
  /** Registered name (`'uniform'`, `'xavier'`, ...). */
  abstract readonly kind: string;
  /** Constructor arguments with Python's names, for equality and `dumps()`. */
  protected abstract get kwargs(): Record<string, unknown>;

  constructor() {
    // Gluon note: MXNet can make its base Initializer (whose _init_weight then raises); here it is abstract.
    if (new.target === Initializer)
      throw new TypeError(
        'Initializer is abstract: use Zero, One, Constant, Uniform, Normal, Xavier, MSRAPrelu, Orthogonal, LSTMBias or a subclass',
      );
  }

  /** Fills `arr` in place; `name` is the parameter's full name (for error messages). */
  abstract initWeight(name: string, arr: InitTarget): void;

  /**
   * @internal `[lo, hi]` when `initWeight(name, arr)` of this exact initializer is one uniform
   * fill of `arr` from U(lo, hi) and nothing else (a Parameter may then owe the draws:
   * `fillUniformOwed`), after the checks `initWeight` makes (throwing as it would);
   * otherwise null, and `initWeight` runs instead.
   */
  _uniformRange(_name: string, _shape: readonly number[]): readonly [number, number] | null {
    return null;
  }

  /**
   * JSON form `'["xavier", {"rnd_type": "uniform", ...}]'` as Python's `dumps()`: the class
   * name in lower case and the arguments, in `json.dumps`'s layout. Gluon note: a number is
   * written as JavaScript holds it (`1`, where Python may have kept `1.0`).
   */
  dumps(): string {
    return pyJson([this.constructor.name.toLowerCase(), this.kwargs]);
  }

  /** Python's `Initializer.__eq__`: same class and same arguments. */
  equals(other: unknown): boolean {
    return other instanceof Initializer && other.constructor === this.constructor && other.dumps() === this.dumps();
  }

  /** The same as `dumps()`. */
  toString(): string {
    return this.dumps();
  }
}

function register(name: string, make: (kw: Record<string, unknown>) => Initializer, ...aliases: string[]): void {
  registry.set(name, make);
  for (const a of aliases) registry.set(a, make);
}

function fillNormal(a: Float32Array, mu: number, sigma: number): void {
  for (let i = 0; i < a.length; i++) a[i] = mu + sigma * nextNormal();
}

/** `Zero()` (also `'zeros'`): fills with 0. */
export class Zero extends Initializer {
  readonly kind = 'zeros';
  protected get kwargs(): Record<string, unknown> {
    return {};
  }
  initWeight(_name: string, arr: InitTarget): void {
    checkTarget(this, arr);
    arr.data.fill(0);
  }
}

/** `One()` (also `'ones'`): fills with 1. */
export class One extends Initializer {
  readonly kind = 'ones';
  protected get kwargs(): Record<string, unknown> {
    return {};
  }
  initWeight(_name: string, arr: InitTarget): void {
    checkTarget(this, arr);
    arr.data.fill(1);
  }
}

/** What `Constant` fills with: a number, an array-like of the parameter's size, or an NDArray. */
export type ConstantValue =
  | number
  | ArrayLike<number>
  | {
      /** Row-major values of the parameter's size (an NDArray qualifies). */
      data: Float32Array;
    };

/** Options of `Constant(value)`. */
export interface ConstantOptions {
  /** Required: positionally or here. */
  value?: ConstantValue;
}

/** `Constant(value)`: a number, or an array-like of the parameter's size (row-major). */
export class Constant extends Initializer {
  readonly kind = 'constant';
  /** The value filled in. */
  readonly value: ConstantValue;
  constructor(...args: [value: ConstantValue] | [options: ConstantOptions & { value: ConstantValue }]);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ value: Constant['value'] }>('init.Constant', args, ['value'], {}, ['value']);
    this.value = o.value;
  }
  protected get kwargs(): Record<string, unknown> {
    const v = this.value;
    return { value: typeof v === 'number' ? v : Array.from('data' in v ? v.data : (v as ArrayLike<number>)) };
  }
  initWeight(name: string, arr: InitTarget): void {
    checkTarget(this, arr);
    const v = this.value;
    if (typeof v === 'number') {
      arr.data.fill(v);
      return;
    }
    const src = 'data' in v && v.data instanceof Float32Array ? v.data : (v as ArrayLike<number>);
    if (src.length !== arr.data.length) {
      throw new RangeError(
        `init.Constant: value has ${src.length} elements but parameter '${name}' has ${arr.data.length}`,
      );
    }
    arr.data.set(src);
  }
}

/** Options of `Uniform(scale=0.07)`. */
export interface UniformInitOptions {
  /** Half-width of the interval: draws from U(-scale, scale) (default 0.07). */
  scale?: number;
}

/** `Uniform(scale=0.07)`: U(-scale, scale). Gluon's global default initializer. */
export class Uniform extends Initializer {
  readonly kind = 'uniform';
  /** Values are drawn from U(-scale, scale). */
  readonly scale: number;
  constructor(...args: PositionalArgs<[], [scale: number], UniformInitOptions>);
  constructor(...args: unknown[]) {
    super();
    this.scale = parseArgs<{ scale: number }>('init.Uniform', args, ['scale'], { scale: 0.07 }).scale;
  }
  protected get kwargs(): Record<string, unknown> {
    return { scale: this.scale };
  }
  initWeight(_name: string, arr: InitTarget): void {
    checkTarget(this, arr);
    fillUniform(arr.data, -this.scale, this.scale);
  }
  override _uniformRange(): readonly [number, number] | null {
    // A subclass may write after the fill: only this class's own initWeight is known.
    return Object.getPrototypeOf(this) === Uniform.prototype ? [-this.scale, this.scale] : null;
  }
}

/** Options of `Normal(sigma=0.01)`. */
export interface NormalInitOptions {
  /** Standard deviation (default 0.01). */
  sigma?: number;
}

/** `Normal(sigma=0.01)`: N(0, sigma). */
export class Normal extends Initializer {
  readonly kind = 'normal';
  /** The standard deviation. */
  readonly sigma: number;
  constructor(...args: PositionalArgs<[], [sigma: number], NormalInitOptions>);
  constructor(...args: unknown[]) {
    super();
    this.sigma = parseArgs<{ sigma: number }>('init.Normal', args, ['sigma'], { sigma: 0.01 }).sigma;
  }
  protected get kwargs(): Record<string, unknown> {
    return { sigma: this.sigma };
  }
  initWeight(_name: string, arr: InitTarget): void {
    checkTarget(this, arr);
    fillNormal(arr.data, 0, this.sigma);
  }
}

/** Xavier's fan: the average of fan-in and fan-out, or one of them. */
export type FactorType = 'avg' | 'in' | 'out';

/** Options of `Xavier(rndType='uniform', factorType='avg', magnitude=3)`. */
export interface XavierOptions {
  /** Distribution: 'uniform' (default) or 'gaussian'. */
  rndType?: 'uniform' | 'gaussian';
  /** Fan used for the scale: 'avg' (default), 'in' or 'out'. */
  factorType?: FactorType;
  /** Scale factor (default 3). */
  magnitude?: number;
}

/** `Xavier(rndType='uniform', factorType='avg', magnitude=3)`. */
export class Xavier extends Initializer {
  readonly kind: string = 'xavier';
  /** 'uniform' or 'gaussian'. */
  readonly rndType: string;
  /** The fan the scale divides by: 'avg' of fan-in and fan-out, 'in' or 'out'. */
  readonly factorType: string;
  /** Scale: `sqrt(magnitude / fan)`. */
  readonly magnitude: number;
  constructor(
    ...args: PositionalArgs<
      [],
      [rndType: 'uniform' | 'gaussian', factorType: FactorType, magnitude: number],
      XavierOptions
    >
  );
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ rndType: string; factorType: string; magnitude: number }>(
      'init.Xavier',
      args,
      ['rndType', 'factorType', 'magnitude'],
      { rndType: 'uniform', factorType: 'avg', magnitude: 3 },
    );
    if (o.rndType !== 'uniform' && o.rndType !== 'gaussian')
      throw new RangeError(`init.Xavier: rndType must be 'uniform' or 'gaussian', got '${o.rndType}'`);
    if (!['avg', 'in', 'out'].includes(o.factorType))
      throw new RangeError(`init.Xavier: factorType must be 'avg', 'in' or 'out', got '${o.factorType}'`);
    this.rndType = o.rndType;
    this.factorType = o.factorType;
    this.magnitude = Number(o.magnitude);
  }
  protected get kwargs(): Record<string, unknown> {
    return { rnd_type: this.rndType, factor_type: this.factorType, magnitude: this.magnitude };
  }
  initWeight(name: string, arr: InitTarget): void {
    checkTarget(this, arr);
    const scale = this._scale(name, arr.shape);
    if (this.rndType === 'uniform') fillUniform(arr.data, -scale, scale);
    else fillNormal(arr.data, 0, scale);
  }
  override _uniformRange(name: string, shape: readonly number[]): readonly [number, number] | null {
    if (this.rndType !== 'uniform' || Object.getPrototypeOf(this) !== Xavier.prototype) return null;
    const scale = this._scale(name, shape);
    return [-scale, scale];
  }
  /** The draws' scale for a weight of `shape`; throws for a vector. */
  private _scale(name: string, shape: readonly number[]): number {
    if (shape.length < 2) {
      throw new RangeError(`Xavier initializer cannot be applied to vector ${name}. It requires at least 2D.`);
    }
    let hw = 1;
    for (const d of shape.slice(2)) hw *= d;
    const fanIn = (shape[1] as number) * hw;
    const fanOut = (shape[0] as number) * hw;
    const factor = this.factorType === 'avg' ? (fanIn + fanOut) / 2 : this.factorType === 'in' ? fanIn : fanOut;
    return Math.sqrt(this.magnitude / factor);
  }
}

/** Options of `MSRAPrelu(factorType='avg', slope=0.25)`. */
export interface MSRAPreluOptions {
  /** Fan used for the scale: 'avg' (default), 'in' or 'out'. */
  factorType?: FactorType;
  /** The PReLU slope the gain is computed for (default 0.25). */
  slope?: number;
}

/** `MSRAPrelu(factorType='avg', slope=0.25)`: Xavier gaussian with magnitude 2/(1+slope^2). */
export class MSRAPrelu extends Xavier {
  override readonly kind = 'msraprelu';
  /** The PReLU slope the variance accounts for. */
  readonly slope: number;
  constructor(...args: PositionalArgs<[], [factorType: FactorType, slope: number], MSRAPreluOptions>);
  constructor(...args: unknown[]) {
    const o = parseArgs<{ factorType: string; slope: number }>('init.MSRAPrelu', args, ['factorType', 'slope'], {
      factorType: 'avg',
      slope: 0.25,
    });
    super('gaussian', o.factorType as FactorType, 2 / (1 + o.slope * o.slope));
    this.slope = o.slope;
  }
  protected override get kwargs(): Record<string, unknown> {
    return { factor_type: this.factorType, slope: this.slope };
  }
}

/** Options of `Orthogonal(scale=1.414, randType='uniform')`. */
export interface OrthogonalOptions {
  /** Multiplies the orthonormal matrix (default 1.414). */
  scale?: number;
  /** Distribution of the random matrix: 'uniform' (default) or 'normal'. */
  randType?: 'uniform' | 'normal';
}

/**
 * `Orthogonal(scale=1.414, randType='uniform')`: a (rows, prod(rest)) matrix with orthonormal
 * rows or columns, scaled. Gluon note: MXNet takes U or V of an SVD of a random matrix; this
 * port orthonormalises the random matrix by modified Gram-Schmidt (a QR), which gives the
 * same distribution of orthogonal matrices but not the same numbers.
 */
export class Orthogonal extends Initializer {
  readonly kind = 'orthogonal';
  /** Multiplies the orthogonal matrix. */
  readonly scale: number;
  /** Distribution of the random matrix that is orthogonalised: 'uniform' or 'normal'. */
  readonly randType: string;
  constructor(...args: PositionalArgs<[], [scale: number, randType: 'uniform' | 'normal'], OrthogonalOptions>);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs<{ scale: number; randType: string }>('init.Orthogonal', args, ['scale', 'randType'], {
      // biome-ignore lint/suspicious/noApproximativeNumericConstant: MXNet's literal default
      scale: 1.414,
      randType: 'uniform',
    });
    if (o.randType !== 'uniform' && o.randType !== 'normal')
      throw new RangeError(`init.Orthogonal: randType must be 'uniform' or 'normal', got '${o.randType}'`);
    this.scale = o.scale;
    this.randType = o.randType;
  }
  protected get kwargs(): Record<string, unknown> {
    return { scale: this.scale, rand_type: this.randType };
  }
  initWeight(name: string, arr: InitTarget): void {
    checkTarget(this, arr);
    if (arr.shape.length < 1) throw new RangeError(`init.Orthogonal: parameter '${name}' has no dimensions`);
    const nout = arr.shape[0] as number;
    const nin = arr.data.length / Math.max(nout, 1);
    const tmp = new Float64Array(nout * nin);
    for (let i = 0; i < tmp.length; i++) tmp[i] = this.randType === 'uniform' ? -1 + 2 * nextUniform() : nextNormal();
    // Orthonormalise the shorter side: columns when nout >= nin, else rows.
    const byRows = nout < nin;
    const count = byRows ? nout : nin;
    const len = byRows ? nin : nout;
    const at = (v: number, j: number): number => (byRows ? v * nin + j : j * nin + v);
    for (let v = 0; v < count; v++) {
      for (let u = 0; u < v; u++) {
        let d = 0;
        for (let j = 0; j < len; j++) d += (tmp[at(u, j)] as number) * (tmp[at(v, j)] as number);
        for (let j = 0; j < len; j++) tmp[at(v, j)] = (tmp[at(v, j)] as number) - d * (tmp[at(u, j)] as number);
      }
      let nrm = 0;
      for (let j = 0; j < len; j++) nrm += (tmp[at(v, j)] as number) ** 2;
      nrm = Math.sqrt(nrm) || 1;
      for (let j = 0; j < len; j++) tmp[at(v, j)] = (tmp[at(v, j)] as number) / nrm;
    }
    for (let i = 0; i < tmp.length; i++) arr.data[i] = this.scale * (tmp[i] as number);
  }
}

/** Options of `LSTMBias(forgetBias=1.0)`. */
export interface LSTMBiasOptions {
  /** The forget-gate bias (default 1). */
  forgetBias?: number;
}

/** `LSTMBias(forgetBias=1.0)`: zeros, with the forget-gate slice [H:2H] set to forgetBias. */
export class LSTMBias extends Initializer {
  readonly kind = 'lstmbias';
  /** The value of the forget-gate biases. */
  readonly forgetBias: number;
  constructor(...args: PositionalArgs<[], [forgetBias: number], LSTMBiasOptions>);
  constructor(...args: unknown[]) {
    super();
    this.forgetBias = parseArgs<{ forgetBias: number }>('init.LSTMBias', args, ['forgetBias'], {
      forgetBias: 1.0,
    }).forgetBias;
  }
  protected get kwargs(): Record<string, unknown> {
    return { forget_bias: this.forgetBias };
  }
  initWeight(_name: string, arr: InitTarget): void {
    checkTarget(this, arr);
    arr.data.fill(0);
    const h = Math.trunc((arr.shape[0] as number) / 4);
    arr.data.fill(this.forgetBias, h, 2 * h);
  }
}

register('zeros', () => new Zero(), 'zero');
register('ones', () => new One(), 'one');
register('constant', (kw) => new Constant(kw as { value: ConstantValue }));
register('uniform', (kw) => new Uniform(kw));
register('normal', (kw) => new Normal(kw));
register('xavier', (kw) => new Xavier(kw));
register('msraprelu', (kw) => new MSRAPrelu(kw));
register('orthogonal', (kw) => new Orthogonal(kw));
register('lstmbias', (kw) => new LSTMBias(kw));

/** An initializer instance, or one of Gluon's registered names (`'zeros'`, `'ones'`, `'uniform'`, `'xavier'`, `'lstmbias'`, ...). */
export type InitLike = Initializer | string;

function camelKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())] = v;
  return out;
}

/**
 * `mx.init.create(init)`: an Initializer instance, a registered name (case-insensitive:
 * 'zeros', 'ones', 'uniform', 'normal', 'xavier', 'orthogonal', 'lstmbias', ...) or a JSON
 * `'["name", {kwargs}]'` string as written by `dumps()`.
 */
export function create(init: InitLike): Initializer;
export function create(init: unknown): Initializer {
  if (init instanceof Initializer) return init;
  if (typeof init !== 'string') {
    throw new TypeError(`init.create: expected an Initializer or an initializer name, got ${describe(init)}`);
  }
  let name = init;
  let kw: Record<string, unknown> = {};
  if (init.trim().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(init);
    } catch {
      parsed = null;
    }
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || !isPlainObject(parsed[1] ?? {}))
      throw new TypeError(`init.create: malformed initializer JSON ${describe(init)}`);
    name = parsed[0];
    kw = camelKeys((parsed[1] ?? {}) as Record<string, unknown>);
  }
  const make = registry.get(name.toLowerCase());
  if (make === undefined) {
    throw new RangeError(`init.create: unknown initializer '${name}'; known: ${[...registry.keys()].join(', ')}`);
  }
  return make(kw);
}

/** Python `==` between two `init` attributes (instances compare by class and arguments). */
export function initEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Initializer) return a.equals(b);
  return false;
}
