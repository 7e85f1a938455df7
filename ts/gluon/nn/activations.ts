// nn.Activation (python/mxnet/gluon/nn/activations.py).

import type * as nd from '../../ndarray/index.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { ACTIVATIONS } from '../../ndarray/ops.js';
import { parseArgs } from '../../util/options.js';
import { ALIAS, HybridBlock } from '../block.js';
import type { ParameterDict } from '../parameter.js';

/** `Activation(activation)`: relu, sigmoid, tanh, softrelu or softsign; prefix hint = the name. */
export class Activation extends HybridBlock {
  static override readonly gluonName: string = 'Activation';
  private readonly _actType: string;

  constructor(...args: unknown[]) {
    const o = parseArgs<{ activation: string; prefix: string | null; params: ParameterDict | null }>(
      'nn.Activation',
      args,
      ['activation', 'prefix', 'params'],
      { prefix: null, params: null },
      ['activation'],
    );
    if (typeof o.activation !== 'string' || ACTIVATIONS[o.activation] === undefined) {
      throw new TypeError(
        `nn.Activation: activation must be one of ${Object.keys(ACTIVATIONS).join(', ')}, got ${String(o.activation)}`,
      );
    }
    super({ prefix: o.prefix, params: o.params, [ALIAS]: o.activation });
    this._actType = o.activation;
  }

  override hybridForward(F: typeof nd, x: NDArray): NDArray {
    return F.Activation(x, this._actType);
  }

  override toString(): string {
    return `Activation(${this._actType})`;
  }
}
