// The wasm kernel of a Dense layer (FullyConnected): the weight (units x inUnits) and bias
// packed once in wasm memory, so a call copies only its input and output. Its owner builds a
// new one when the parameters change (ts/gluon/rnn/kernel_cache.ts); the packed-weight cache
// may release it under memory pressure.

import type { DenseKernel as WasmDense } from './generated/simd/gluon_wasm.js';
import { backend, ensureRoom, guarded } from './index.js';
import { Kernel, rethrow } from './kernel.js';
import { touch } from './packed_cache.js';

const EMPTY = new Float32Array(0);

/** A packed `FullyConnected` weight and bias in wasm memory. */
export class DenseKernel extends Kernel<WasmDense> {
  readonly units: number;

  /** `weight` (units x inUnits, row-major as MXNet stores it); `bias` (units) or null. */
  constructor(units: number, inUnits: number, weight: Float32Array, bias: Float32Array | null) {
    super();
    this.units = units;
    const bytes = (weight.length + (bias?.length ?? 0)) * 4;
    // The weight is copied in, then packed beside it.
    ensureRoom('packing the Dense weight', 2 * bytes, weight.length * 4, null);
    this.handle = guarded(
      'packing the Dense weight',
      () => new (backend().DenseKernel)(units, inUnits, weight, bias ?? EMPTY),
    );
    touch(this);
  }

  /** `x (m x inUnits) W^T + b` as a new (m x units) array. */
  forward(x: Float32Array, m: number): Float32Array {
    const handle = this.live('DenseKernel');
    return this.staged('Dense', handle, [x], m * this.units, () => rethrow(handle.forward(m)));
  }
}
