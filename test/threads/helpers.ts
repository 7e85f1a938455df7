// Shared by the thread-pool suites: deterministic data and fused-layer weights.
import { backend } from '../../ts/backend/index.js';
import { FusedRnnKernel, type FusedRnnSpec } from '../../ts/backend/rnn.js';

export function rand(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** Runs `f` with the pool limited to `threads` (1 = calling thread only), then restores it. */
export function withThreads<T>(threads: number, f: () => T): T {
  const b = backend();
  const before = b.pool_threads();
  b.pool_set_threads(threads);
  try {
    return f();
  } finally {
    b.pool_set_threads(before);
  }
}

export function sgemmOnce(m: number, n: number, k: number, ta: boolean, tb: boolean, beta: number): Float32Array {
  const a = rand(m * k, 1);
  const b = rand(k * n, 2);
  const c = rand(m * n, 3);
  backend().sgemm(ta, tb, m, n, k, 0.75, a, ta ? m : k, b, tb ? k : n, beta, c, n);
  return c;
}

export function fusedKernel(spec: FusedRnnSpec, seed: number): FusedRnnKernel {
  const g = { rnn_relu: 1, rnn_tanh: 1, lstm: 4, gru: 3 }[spec.mode];
  const H = spec.hidden;
  const P = spec.projection ?? H;
  const D = spec.bidirectional ? 2 : 1;
  const weights: Float32Array[][] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    for (let d = 0; d < D; d++) {
      const ni = l === 0 ? spec.inputSize : D * P;
      const w = [rand(g * H * ni, seed++), rand(g * H * P, seed++), rand(g * H, seed++), rand(g * H, seed++)];
      if (spec.projection !== null) w.push(rand(P * H, seed++));
      weights.push(w.map((a) => a.map((v) => v * 0.3)));
    }
  }
  return new FusedRnnKernel(spec, weights);
}

/** Resolves once `cond()` holds, polling every 10 ms; rejects after `ms`. */
export async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
