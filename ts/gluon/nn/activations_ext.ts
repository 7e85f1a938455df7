// nn.LeakyReLU, PReLU, ELU, SELU, GELU, Swish (python/mxnet/gluon/nn/activations.py; the
// Activation layer is in activations.ts).

import { Constant, type InitLike } from '../../init/initializer.js';
import type * as nd from '../../ndarray/index.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { describe } from '../../util/describe.js';
import { AssertionError } from '../../util/errors.js';
import { type PositionalArgs, parseArgs } from '../../util/options.js';
import { type BlockOptions, HybridBlock } from '../block.js';
import type { Parameter, ParameterDict } from '../parameter.js';

type BlockOpts = { prefix: string | null; params: ParameterDict | null };

function numberArg(where: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v))
    throw new TypeError(`${where}: ${what} must be a number, got ${describe(v)}`);
  return v;
}

/** Options of `LeakyReLU(alpha, { prefix, params })`. */
export interface LeakyReLUOptions extends BlockOptions {
  /** The slope below 0, at least 0 (required: positionally or here). */
  alpha?: number;
}

/**
 * `LeakyReLU(alpha)`: x for x >= 0, alpha * x below.
 * Gluon note: the repr prints alpha as JavaScript does (`LeakyReLU(1)` where Python, given
 * `1.0`, prints `LeakyReLU(1.0)`); JavaScript has no separate int and float.
 */
export class LeakyReLU extends HybridBlock {
  static override readonly gluonName: string = 'LeakyReLU';
  private readonly _alpha: number;
  constructor(
    ...args: PositionalArgs<[alpha: number], [], LeakyReLUOptions> | [options: LeakyReLUOptions & { alpha: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<{ alpha: number } & BlockOpts>(
      'nn.LeakyReLU',
      args,
      ['alpha', 'prefix', 'params'],
      { prefix: null, params: null },
      ['alpha'],
    );
    const alpha = numberArg('nn.LeakyReLU', 'alpha', o.alpha);
    if (!(alpha >= 0))
      throw new AssertionError(
        `nn.LeakyReLU: Slope coefficient for LeakyReLU must be no less than 0, got alpha ${alpha}`,
      );
    super({ prefix: o.prefix, params: o.params });
    this._alpha = alpha;
  }
  /** Python `act(x)`. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }
  override hybridForward(F: typeof nd, x: NDArray): NDArray {
    return F.LeakyReLU(x, { actType: 'leaky', slope: this._alpha });
  }
  override toString(): string {
    return `LeakyReLU(${String(this._alpha)})`;
  }
}

/** Options of `PReLU(alphaInitializer=Constant(0.25), inChannels=1, { prefix, params })`. */
export interface PReLUOptions extends BlockOptions {
  /** Initializer of the slopes (default Constant(0.25)). */
  alphaInitializer?: InitLike;
  /** How many slopes: 1, or the size of input axis 1 (default 1). */
  inChannels?: number;
}

/** `PReLU(alphaInitializer=Constant(0.25), inChannels=1)`: LeakyReLU with learned slopes `alpha` (per channel, axis 1). */
export class PReLU extends HybridBlock {
  static override readonly gluonName: string = 'PReLU';
  /** The learned slope of negative inputs. */
  declare alpha: Parameter;
  constructor(...args: PositionalArgs<[], [alphaInitializer: InitLike, inChannels: number], PReLUOptions>);
  constructor(...args: unknown[]) {
    const o = parseArgs<{ alphaInitializer: InitLike; inChannels: number } & BlockOpts>(
      'nn.PReLU',
      args,
      ['alphaInitializer', 'inChannels', 'prefix', 'params'],
      { alphaInitializer: new Constant(0.25), inChannels: 1, prefix: null, params: null },
    );
    if (!Number.isInteger(o.inChannels) || o.inChannels < 1)
      throw new RangeError(`nn.PReLU: inChannels must be a positive integer, got ${describe(o.inChannels)}`);
    super({ prefix: o.prefix, params: o.params });
    this.nameScope(() => {
      this.alpha = this.params.get('alpha', { shape: [o.inChannels], init: o.alphaInitializer });
    });
  }
  /** Python `act(x)`. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }
  override hybridForward(F: typeof nd, x: NDArray, params: Record<string, NDArray>): NDArray {
    return F.LeakyReLU(x, params.alpha as NDArray, { actType: 'prelu' });
  }
}

/** Options of `ELU(alpha=1.0, { prefix, params })`. */
export interface ELUOptions extends BlockOptions {
  /** Scale of the negative side (default 1). */
  alpha?: number;
}

/** `ELU(alpha=1.0)`: x for x > 0, alpha * (exp(x) - 1) below. */
export class ELU extends HybridBlock {
  static override readonly gluonName: string = 'ELU';
  private readonly _alpha: number;
  constructor(...args: PositionalArgs<[], [alpha: number], ELUOptions>);
  constructor(...args: unknown[]) {
    const o = parseArgs<{ alpha: number } & BlockOpts>('nn.ELU', args, ['alpha', 'prefix', 'params'], {
      alpha: 1,
      prefix: null,
      params: null,
    });
    const alpha = numberArg('nn.ELU', 'alpha', o.alpha);
    super({ prefix: o.prefix, params: o.params });
    this._alpha = alpha;
  }
  /** Python `act(x)`. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }
  override hybridForward(F: typeof nd, x: NDArray): NDArray {
    return F.LeakyReLU(x, { actType: 'elu', slope: this._alpha });
  }
}

/** `SELU()`: lambda * (x for x > 0, alpha * (exp(x) - 1) below), Klambauer et al.'s constants. */
export class SELU extends HybridBlock {
  static override readonly gluonName: string = 'SELU';
  /** `SELU({ prefix, params })`. */
  constructor(...args: PositionalArgs<[], [], BlockOptions>) {
    super(...(args as [BlockOptions?]));
  }
  /** Python `act(x)`. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }
  override hybridForward(F: typeof nd, x: NDArray): NDArray {
    return F.LeakyReLU(x, { actType: 'selu' });
  }
}

/** `GELU()`: 0.5 x (1 + erf(x / sqrt 2)), the exact (erf) form MXNet uses. */
export class GELU extends HybridBlock {
  static override readonly gluonName: string = 'GELU';
  /** `GELU({ prefix, params })`. */
  constructor(...args: PositionalArgs<[], [], BlockOptions>) {
    super(...(args as [BlockOptions?]));
  }
  /** Python `act(x)`. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }
  override hybridForward(F: typeof nd, x: NDArray): NDArray {
    return F.LeakyReLU(x, { actType: 'gelu' });
  }
}

/** Options of `Swish(beta=1.0, { prefix, params })`. */
export interface SwishOptions extends BlockOptions {
  /** The sigmoid's input scale (default 1). */
  beta?: number;
}

/** `Swish(beta=1.0)`: x * sigmoid(beta * x). */
export class Swish extends HybridBlock {
  static override readonly gluonName: string = 'Swish';
  private readonly _beta: number;
  constructor(...args: PositionalArgs<[], [beta: number], SwishOptions>);
  constructor(...args: unknown[]) {
    const o = parseArgs<{ beta: number } & BlockOpts>('nn.Swish', args, ['beta', 'prefix', 'params'], {
      beta: 1,
      prefix: null,
      params: null,
    });
    const beta = numberArg('nn.Swish', 'beta', o.beta);
    super({ prefix: o.prefix, params: o.params });
    this._beta = beta;
  }
  /** Python `act(x)`. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }
  override hybridForward(F: typeof nd, x: NDArray): NDArray {
    return F.multiply(x, F.sigmoid(F.multiply(x, this._beta)));
  }
}
