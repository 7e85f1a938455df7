// nn.BatchNorm, LayerNorm, Flatten, Lambda, HybridLambda: the normalisation and utility layers of
// python/mxnet/gluon/nn/basic_layers.py (Dense, Embedding, Dropout and the containers are in
// basic_layers.ts).

import type { InitLike } from '../../init/initializer.js';
import * as ndModule from '../../ndarray/index.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { describe } from '../../util/describe.js';
import { checkNumber, type PositionalArgs, parseArgs } from '../../util/options.js';
import { Block, type BlockOptions, HybridBlock } from '../block.js';
import type { Parameter, ParameterDict } from '../parameter.js';

type Nd = typeof ndModule;

/** Python's repr() of a float: 1e-05, 0.001, 0.9, 1.0. */
export function pyFloatRepr(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = x.toExponential().split('e') as [string, string];
    const ex = Number(e);
    return `${m}e${ex < 0 ? '-' : '+'}${String(Math.abs(ex)).padStart(2, '0')}`;
  }
  return String(x);
}

const pyBool = (b: boolean): string => (b ? 'True' : 'False');

function checkPositiveOrZero(where: string, what: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 0)
    throw new RangeError(`${where}: ${what} must be a non-negative integer, got ${describe(v)}`);
  return v as number;
}

function checkBoolean(where: string, what: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${what} must be a boolean, got ${describe(v)}`);
  return v;
}

/**
 * Options of `BatchNorm(axis=1, momentum=0.9, epsilon=1e-5, center=true, scale=true,
 * useGlobalStats=false, betaInitializer='zeros', gammaInitializer='ones',
 * runningMeanInitializer='zeros', runningVarianceInitializer='ones', inChannels=0, { prefix, params })`.
 */
export interface BatchNormOptions extends BlockOptions {
  /** The channel axis (default 1). */
  axis?: number;
  /** The running-average momentum (a training setting; kept for the repr and the signature). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  epsilon?: number;
  /** Add beta (default true); false keeps beta fixed at its initial value. */
  center?: boolean;
  /** Multiply by gamma (default true); false reads gamma as 1 (MXNet's fix_gamma). */
  scale?: boolean;
  /** Use the running statistics (inference always does here). */
  useGlobalStats?: boolean;
  /** Initializer of beta (default 'zeros'). */
  betaInitializer?: InitLike;
  /** Initializer of gamma (default 'ones'). */
  gammaInitializer?: InitLike;
  /** Initializer of running_mean (default 'zeros'). */
  runningMeanInitializer?: InitLike;
  /** Initializer of running_var (default 'ones'). */
  runningVarianceInitializer?: InitLike;
  /** Channels; 0 infers them from the first input. */
  inChannels?: number;
}

interface BatchNormArgs {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  useGlobalStats: boolean;
  betaInitializer: InitLike;
  gammaInitializer: InitLike;
  runningMeanInitializer: InitLike;
  runningVarianceInitializer: InitLike;
  inChannels: number;
  prefix: string | null;
  params: ParameterDict | null;
}

/**
 * `BatchNorm(axis=1, momentum=0.9, epsilon=1e-5, center=true, scale=true, ...)`: per-channel
 * (x - running_mean) / sqrt(running_var + epsilon) * gamma + beta. Parameters `gamma`, `beta`
 * and the auxiliary `running_mean`, `running_var` (gradReq 'null'), named as in MXNet.
 * In training mode the batch statistics are used and the running ones updated with `momentum`
 * during backward, as MXNet 1.x does (see `nd.BatchNorm`).
 */
export class BatchNorm extends HybridBlock {
  static override readonly gluonName: string = 'BatchNorm';
  /** The learned scale, one value per normalised channel. */
  declare gamma: Parameter;
  /** The learned shift, one value per normalised channel. */
  declare beta: Parameter;
  // Python's attribute names: they are the structural keys save_parameters writes.
  /** The running mean of the inputs, per channel (what inference normalises with). */
  declare running_mean: Parameter;
  /** The running variance of the inputs, per channel (what inference normalises with). */
  declare running_var: Parameter;
  private readonly _axis: number;
  private readonly _eps: number;
  private readonly _momentum: number;
  private readonly _scale: boolean;
  private readonly _useGlobalStats: boolean;

  constructor(
    ...args: PositionalArgs<
      [],
      [
        axis: number,
        momentum: number,
        epsilon: number,
        center: boolean,
        scale: boolean,
        useGlobalStats: boolean,
        betaInitializer: InitLike,
        gammaInitializer: InitLike,
        runningMeanInitializer: InitLike,
        runningVarianceInitializer: InitLike,
        inChannels: number,
      ],
      BatchNormOptions
    >
  );
  constructor(...args: unknown[]) {
    const where = 'nn.BatchNorm';
    const o = parseArgs<BatchNormArgs>(
      where,
      args,
      [
        'axis',
        'momentum',
        'epsilon',
        'center',
        'scale',
        'useGlobalStats',
        'betaInitializer',
        'gammaInitializer',
        'runningMeanInitializer',
        'runningVarianceInitializer',
        'inChannels',
        'prefix',
        'params',
      ],
      {
        axis: 1,
        momentum: 0.9,
        epsilon: 1e-5,
        center: true,
        scale: true,
        useGlobalStats: false,
        betaInitializer: 'zeros',
        gammaInitializer: 'ones',
        runningMeanInitializer: 'zeros',
        runningVarianceInitializer: 'ones',
        inChannels: 0,
        prefix: null,
        params: null,
      },
    );
    if (!Number.isInteger(o.axis)) throw new TypeError(`${where}: axis must be an integer, got ${describe(o.axis)}`);
    const eps = checkNumber(where, 'epsilon', o.epsilon);
    const momentum = checkNumber(where, 'momentum', o.momentum);
    const center = checkBoolean(where, 'center', o.center);
    const scale = checkBoolean(where, 'scale', o.scale);
    const useGlobalStats = checkBoolean(where, 'useGlobalStats', o.useGlobalStats);
    const c = checkPositiveOrZero(where, 'inChannels', o.inChannels);
    super({ prefix: o.prefix, params: o.params });
    this._axis = o.axis;
    this._eps = eps;
    this._momentum = momentum;
    this._scale = scale;
    this._useGlobalStats = useGlobalStats;
    this.gamma = this.params.get('gamma', {
      gradReq: scale ? 'write' : 'null',
      shape: [c],
      init: o.gammaInitializer,
      allowDeferredInit: true,
      differentiable: scale,
    });
    this.beta = this.params.get('beta', {
      gradReq: center ? 'write' : 'null',
      shape: [c],
      init: o.betaInitializer,
      allowDeferredInit: true,
      differentiable: center,
    });
    this.running_mean = this.params.get('running_mean', {
      gradReq: 'null',
      shape: [c],
      init: o.runningMeanInitializer,
      allowDeferredInit: true,
      differentiable: false,
    });
    this.running_var = this.params.get('running_var', {
      gradReq: 'null',
      shape: [c],
      init: o.runningVarianceInitializer,
      allowDeferredInit: true,
      differentiable: false,
    });
  }

  override _inferShape(input: NDArray): void {
    const x = this._shapeSource(input);
    const ax = this._axis < 0 ? this._axis + x.ndim : this._axis;
    const c = x.shape[ax];
    if (c === undefined)
      throw new RangeError(`BatchNorm: axis ${this._axis} is out of range for input of shape [${x.shape.join(', ')}]`);
    for (const p of [this.gamma, this.beta, this.running_mean, this.running_var]) p.shape = [c];
  }

  /** Python `bn(x)`. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }

  override hybridForward(F: Nd, x: NDArray, params: Record<string, NDArray>): NDArray {
    return F.BatchNorm(
      x,
      params.gamma as NDArray,
      params.beta as NDArray,
      params.running_mean as NDArray,
      params.running_var as NDArray,
      {
        axis: this._axis,
        eps: this._eps,
        momentum: this._momentum,
        fixGamma: !this._scale,
        useGlobalStats: this._useGlobalStats,
      },
    );
  }

  override toString(): string {
    const c = this.gamma.shape[0];
    return `BatchNorm(axis=${this._axis}, eps=${pyFloatRepr(this._eps)}, momentum=${pyFloatRepr(this._momentum)}, fix_gamma=${pyBool(!this._scale)}, use_global_stats=${pyBool(this._useGlobalStats)}, in_channels=${c ? c : 'None'})`;
  }
}

/**
 * Options of `LayerNorm(axis=-1, epsilon=1e-5, center=true, scale=true, betaInitializer='zeros',
 * gammaInitializer='ones', inChannels=0, { prefix, params })`.
 */
export interface LayerNormOptions extends BlockOptions {
  /** The axis to normalise over (default -1). */
  axis?: number;
  /** Added to the variance (default 1e-5). */
  epsilon?: number;
  /** Whether beta is trained (default true; it is applied either way, as in MXNet). */
  center?: boolean;
  /** Whether gamma is trained (default true; it is applied either way, as in MXNet). */
  scale?: boolean;
  /** Initializer of beta (default 'zeros'). */
  betaInitializer?: InitLike;
  /** Initializer of gamma (default 'ones'). */
  gammaInitializer?: InitLike;
  /** Size of `axis`; 0 infers it from the first input. */
  inChannels?: number;
}

/**
 * `LayerNorm(axis=-1, epsilon=1e-5, center=true, scale=true, ...)`: (x - mean) / sqrt(var +
 * epsilon) * gamma + beta over one axis, with parameters `gamma` and `beta`.
 */
export class LayerNorm extends HybridBlock {
  static override readonly gluonName: string = 'LayerNorm';
  /** The learned scale, one value per normalised channel. */
  declare gamma: Parameter;
  /** The learned shift, one value per normalised channel. */
  declare beta: Parameter;
  private readonly _axis: number;
  private readonly _eps: number;
  private readonly _center: boolean;
  private readonly _scale: boolean;

  constructor(
    ...args: PositionalArgs<
      [],
      [
        axis: number,
        epsilon: number,
        center: boolean,
        scale: boolean,
        betaInitializer: InitLike,
        gammaInitializer: InitLike,
        inChannels: number,
      ],
      LayerNormOptions
    >
  );
  constructor(...args: unknown[]) {
    const where = 'nn.LayerNorm';
    const o = parseArgs<{
      axis: number;
      epsilon: number;
      center: boolean;
      scale: boolean;
      betaInitializer: InitLike;
      gammaInitializer: InitLike;
      inChannels: number;
      prefix: string | null;
      params: ParameterDict | null;
    }>(
      where,
      args,
      ['axis', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'inChannels', 'prefix', 'params'],
      {
        axis: -1,
        epsilon: 1e-5,
        center: true,
        scale: true,
        betaInitializer: 'zeros',
        gammaInitializer: 'ones',
        inChannels: 0,
        prefix: null,
        params: null,
      },
    );
    if (!Number.isInteger(o.axis)) throw new TypeError(`${where}: axis must be an integer, got ${describe(o.axis)}`);
    const eps = checkNumber(where, 'epsilon', o.epsilon);
    const center = checkBoolean(where, 'center', o.center);
    const scale = checkBoolean(where, 'scale', o.scale);
    const c = checkPositiveOrZero(where, 'inChannels', o.inChannels);
    super({ prefix: o.prefix, params: o.params });
    this._axis = o.axis;
    this._eps = eps;
    this._center = center;
    this._scale = scale;
    this.gamma = this.params.get('gamma', {
      gradReq: scale ? 'write' : 'null',
      shape: [c],
      init: o.gammaInitializer,
      allowDeferredInit: true,
    });
    this.beta = this.params.get('beta', {
      gradReq: center ? 'write' : 'null',
      shape: [c],
      init: o.betaInitializer,
      allowDeferredInit: true,
    });
  }

  override _inferShape(input: NDArray): void {
    const x = this._shapeSource(input);
    const ax = this._axis < 0 ? this._axis + x.ndim : this._axis;
    const c = x.shape[ax];
    if (c === undefined)
      throw new RangeError(`LayerNorm: axis ${this._axis} is out of range for input of shape [${x.shape.join(', ')}]`);
    this.gamma.shape = [c];
    this.beta.shape = [c];
  }

  /** Python `ln(x)`. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }

  override hybridForward(F: Nd, x: NDArray, params: Record<string, NDArray>): NDArray {
    return F.LayerNorm(x, params.gamma as NDArray, params.beta as NDArray, { axis: this._axis, eps: this._eps });
  }

  override toString(): string {
    return `LayerNorm(eps=${pyFloatRepr(this._eps)}, axis=${this._axis}, center=${pyBool(this._center)}, scale=${pyBool(this._scale)}, in_channels=${this.gamma.shape[0]})`;
  }
}

/** `Flatten()`: (N, ...) -> (N, product of the rest). */
export class Flatten extends HybridBlock {
  static override readonly gluonName: string = 'Flatten';
  /** `Flatten({ prefix, params })`. */
  constructor(...args: PositionalArgs<[], [], BlockOptions>) {
    super(...(args as [BlockOptions?]));
  }
  /** Python `flatten(x)`. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }
  override hybridForward(F: Nd, x: NDArray): NDArray {
    return F.Flatten(x);
  }
  override toString(): string {
    return 'Flatten';
  }
}

/** The `mx.nd` functions a Lambda may name (every exported function of `mx.nd`). */
export type NdFunctionName = {
  [K in keyof typeof ndModule]: (typeof ndModule)[K] extends (...a: never[]) => unknown ? K : never;
}[keyof typeof ndModule] &
  string;

function ndFunction(where: string, name: string): (...a: unknown[]) => unknown {
  const f = (ndModule as unknown as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new TypeError(`${where}: Function name ${name} is not found in ndarray.`);
  return f as (...a: unknown[]) => unknown;
}

/** Python's `function.__name__`; an anonymous JS function prints as Python's '<lambda>'. */
function fnName(f: { name: string }): string {
  return f.name === '' ? '<lambda>' : f.name;
}

/**
 * `Lambda(function, prefix=null)`: a Block around an `mx.nd` function name (`'tanh'`) or any
 * function of the inputs.
 */
export class Lambda extends Block {
  static override readonly gluonName: string = 'Lambda';
  private readonly _func: (...a: unknown[]) => unknown;
  private readonly _funcName: string;

  constructor(fn: NdFunctionName | ((...args: NDArray[]) => unknown), prefix?: string | null);
  constructor(fn: NdFunctionName | ((...args: NDArray[]) => unknown), options: { prefix?: string | null });
  constructor(...args: unknown[]) {
    const where = 'nn.Lambda';
    const o = parseArgs<{ function: unknown; prefix: string | null }>(
      where,
      args,
      ['function', 'prefix'],
      { prefix: null },
      ['function'],
    );
    super({ prefix: o.prefix });
    if (typeof o.function === 'string') {
      this._func = ndFunction(where, o.function);
      this._funcName = o.function;
    } else if (typeof o.function === 'function') {
      this._func = o.function as (...a: unknown[]) => unknown;
      this._funcName = fnName(o.function);
    } else {
      throw new TypeError(
        `${where}: Unrecognized function in lambda: ${String(o.function)} of type ${typeof o.function}`,
      );
    }
  }

  /** Python `block(*args)`: the function applied to the inputs. */
  override forward(...args: unknown[]): unknown {
    return this._func(...args);
  }

  override toString(): string {
    return `Lambda(${this._funcName})`;
  }
}

/**
 * `HybridLambda(function, prefix=null)`: a HybridBlock around an `mx.nd` function name
 * (`'relu'`) or a function `(F, x, ...args) => ...` of `F` (= `mx.nd`) and the inputs.
 */
export class HybridLambda extends HybridBlock {
  static override readonly gluonName: string = 'HybridLambda';
  private readonly _func: (F: Nd, ...a: unknown[]) => unknown;
  private readonly _funcName: string;

  constructor(fn: NdFunctionName | ((F: Nd, x: NDArray, ...args: NDArray[]) => unknown), prefix?: string | null);
  constructor(
    fn: NdFunctionName | ((F: Nd, x: NDArray, ...args: NDArray[]) => unknown),
    options: { prefix?: string | null },
  );
  constructor(...args: unknown[]) {
    const where = 'nn.HybridLambda';
    const o = parseArgs<{ function: unknown; prefix: string | null }>(
      where,
      args,
      ['function', 'prefix'],
      { prefix: null },
      ['function'],
    );
    super({ prefix: o.prefix });
    if (typeof o.function === 'string') {
      const name = o.function;
      ndFunction(where, name);
      this._func = (F, ...a) => ndFunction(where, name).call(F, ...a);
      this._funcName = name;
    } else if (typeof o.function === 'function') {
      this._func = o.function as (F: Nd, ...a: unknown[]) => unknown;
      this._funcName = fnName(o.function);
    } else {
      throw new TypeError(
        `${where}: Unrecognized function in lambda: ${String(o.function)} of type ${typeof o.function}`,
      );
    }
  }

  /** Python `block(x, *args)`. */
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }

  override hybridForward(F: Nd, x: unknown, ...rest: unknown[]): unknown {
    // The trailing entry is the (empty) parameter object HybridBlock passes.
    return this._func(F, x, ...rest.slice(0, -1));
  }

  override toString(): string {
    return `HybridLambda(${this._funcName})`;
  }
}
