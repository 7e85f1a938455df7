// Typed wrappers over the wasm row-wise kernels (crates/kernels/src/norm.rs, order.rs):
// softmax / log-softmax, layer normalisation and topk/sort index orders along contiguous rows.

import { backend, ensureRoom, guarded } from './index.js';

const EMPTY = new Float32Array(0);

/**
 * Softmax (or log-softmax) of each row of `n` values of `x`, inputs divided by `temperature`;
 * `lengths` (integers in [0, n], one per row) limit each row, whose other outputs are 0.
 */
export function softmaxRows(
  x: Float32Array,
  n: number,
  lengths: Float32Array | null,
  temperature: number,
  log: boolean,
): Float32Array {
  const what = log ? 'log_softmax' : 'softmax';
  ensureRoom(what, (2 * x.length + (lengths?.length ?? 0)) * 4, x.length * 4, null);
  return guarded(what, () => backend().softmax_rows(x, n, lengths ?? EMPTY, temperature, log));
}

/** Layer normalisation of each row of `gamma.length` values: output, and each row's mean and std. */
export function layerNormRows(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  eps: number,
): { out: Float32Array; mean: Float32Array; std: Float32Array } {
  const rows = gamma.length === 0 ? 0 : x.length / gamma.length;
  ensureRoom('LayerNorm', (2 * x.length + 2 * rows + 2 * gamma.length) * 4, x.length * 4, null);
  const buf = guarded('LayerNorm', () => backend().layer_norm_rows(x, gamma, beta, eps));
  return {
    out: buf.subarray(0, x.length),
    mean: buf.subarray(x.length, x.length + rows),
    std: buf.subarray(x.length + rows),
  };
}

/**
 * The first `k` indices of each row of `n` values of `x` in MXNet's topk/sort order (equal
 * values included), `k` per row; errors name the operator `what`.
 */
export function orderRows(what: string, x: Float32Array, n: number, k: number, ascend: boolean): Uint32Array {
  ensureRoom(what, (x.length + (n === 0 ? 0 : (x.length / n) * k) + n) * 4, x.length * 4, null);
  return guarded(what, () => backend().order_rows(x, n, k, ascend));
}
