// nn.Activation (python/mxnet/gluon/nn/activations.py).

import type * as nd from '../../ndarray/index.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { ACTIVATIONS, type ActType } from '../../ndarray/ops.js';
import { describe } from '../../util/describe.js';
import { type PositionalArgs, parseArgs } from '../../util/options.js';
import { ALIAS, type BlockOptions, HybridBlock } from '../block.js';
import type { ParameterDict } from '../parameter.js';

/** Options of `Activation(activation, { prefix, params })`. */
export interface ActivationOptions extends BlockOptions {
  /** The activation (required: positionally or here). */
  activation?: ActType;
}

/** `Activation(activation)`: relu, sigmoid, tanh, softrelu or softsign; prefix hint = the name. */
export class Activation extends HybridBlock {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'Activation';
  private readonly _actType: ActType;

  constructor(
    ...args:
      | PositionalArgs<[activation: ActType], [], ActivationOptions>
      | [options: ActivationOptions & { activation: ActType }]
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<{ activation: ActType; prefix: string | null; params: ParameterDict | null }>(
      'nn.Activation',
      args,
      ['activation', 'prefix', 'params'],
      { prefix: null, params: null },
      ['activation'],
    );
    if (typeof o.activation !== 'string' || ACTIVATIONS[o.activation] === undefined) {
      throw new TypeError(
        `nn.Activation: activation must be one of ${Object.keys(ACTIVATIONS).join(', ')}, got ${describe(o.activation)}`,
      );
    }
    super({ prefix: o.prefix, params: o.params, [ALIAS]: o.activation });
    this._actType = o.activation;
  }

  /** Python `act(x)`. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }

  override hybridForward(F: typeof nd, x: NDArray): NDArray {
    return F.Activation(x, this._actType);
  }

  override toString(): string {
    return `Activation(${this._actType})`;
  }
}
