// The benchmark's layer shapes and their data. Every process (driver and each system's
// worker) derives the same weights and input from (config, seed), so nothing but the config
// name crosses a process boundary before the outputs come back.

/** Gate blocks per cell: LSTM i,f,g,o; GRU r,z,n (reset-after); RNN one (tanh). */
export const GATES = { lstm: 4, gru: 3, rnn_tanh: 1 };
/** State tensors per layer: LSTM [h, c]; GRU and RNN [h]. */
export const STATE_COUNT = { lstm: 2, gru: 1, rnn_tanh: 1 };

// Input (T, N, C) in TNC layout; `layers` stacked layers of H units, two directions when
// `bidir`; output (T, N, D*H). `stream`: token by token, one runtime call per step with the
// states fed back (T steps of a batch of N), from zero states in every timed call.
// `mode: 'dense'`: a language model's output layer (Gluon nn.Dense, ONNX Gemm) applied token by
// token: V units over C features, T calls of a batch of N, no states; output (T, N, V).
export const CONFIGS = {
  small_lstm: { mode: 'lstm', H: 128, layers: 1, T: 32, N: 1, C: 64, bidir: false },
  medium_lstm: { mode: 'lstm', H: 256, layers: 2, T: 64, N: 16, C: 128, bidir: false },
  large_lstm: { mode: 'lstm', H: 512, layers: 2, T: 128, N: 64, C: 512, bidir: false },
  medium_gru: { mode: 'gru', H: 256, layers: 2, T: 64, N: 16, C: 128, bidir: false },
  medium_rnn: { mode: 'rnn_tanh', H: 256, layers: 2, T: 64, N: 16, C: 128, bidir: false },
  medium_lstm_bi: { mode: 'lstm', H: 256, layers: 2, T: 64, N: 16, C: 128, bidir: true },
  stream_lstm: { mode: 'lstm', H: 256, layers: 2, T: 64, N: 1, C: 128, bidir: false, stream: true },
  stream_gru: { mode: 'gru', H: 256, layers: 2, T: 64, N: 1, C: 128, bidir: false, stream: true },
  stream_lstm_small: { mode: 'lstm', H: 128, layers: 1, T: 64, N: 1, C: 64, bidir: false, stream: true },
  stream_decoder: { mode: 'dense', V: 10000, T: 64, N: 1, C: 256, stream: true },
};

export const SEED = 20261206;

/** Directions of a config (1 or 2). */
export const dirs = (cfg) => (cfg.bidir ? 2 : 1);
/** Input width of layer l. */
export const layerInput = (cfg, l) => (l === 0 ? cfg.C : dirs(cfg) * cfg.H);

/** Multiply-adds x 2 of every GEMM in one forward call (the pointwise gate math not counted). */
export function flopsPerCall(cfg) {
  if (cfg.mode === 'dense') return cfg.T * 2 * cfg.N * cfg.C * cfg.V;
  let f = 0;
  for (let l = 0; l < cfg.layers; l++) {
    f += dirs(cfg) * cfg.T * 2 * cfg.N * (layerInput(cfg, l) + cfg.H) * GATES[cfg.mode] * cfg.H;
  }
  return f;
}

/** Float32 bytes of all weights and biases: what a token-by-token step reads once per token. */
export function weightBytes(cfg) {
  if (cfg.mode === 'dense') return 4 * cfg.V * (cfg.C + 1);
  let b = 0;
  for (let l = 0; l < cfg.layers; l++) {
    b += dirs(cfg) * 4 * GATES[cfg.mode] * cfg.H * (layerInput(cfg, l) + cfg.H + 2);
  }
  return b;
}

/** A xorshift128+ stream of uniform floats in [0, 1): the same numbers in every process. */
function uniformSource(seed) {
  let s0 = BigInt(seed) | 1n;
  let s1 = 0x9e3779b97f4a7c15n ^ BigInt(seed);
  const mask = (1n << 64n) - 1n;
  return () => {
    let a = s0;
    const b = s1;
    s0 = b;
    a ^= (a << 23n) & mask;
    a ^= a >> 17n;
    a ^= b ^ (b >> 26n);
    s1 = a;
    return Number(((a + b) & mask) >> 11n) / 2 ** 53;
  };
}

function fill(next, n, scale) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * next() - 1) * scale;
  return out;
}

/**
 * Weights in MXNet Gluon's own layout (what `rnn.LSTM/GRU/RNN` hold and save):
 * `weights[l][d]` = { i2h_weight (G*H, C_l), h2h_weight (G*H, H), i2h_bias (G*H), h2h_bias (G*H) },
 * uniform in ±1/sqrt(H) (PyTorch's and Keras' default scale); input x uniform in ±1. A 'dense'
 * config's `weights` = { weight (V, C), bias (V) }, as nn.Dense holds them.
 */
export function makeData(name) {
  const cfg = CONFIGS[name];
  if (!cfg) throw new Error(`unknown config ${name} (${Object.keys(CONFIGS).join(', ')})`);
  const next = uniformSource(SEED + Object.keys(CONFIGS).indexOf(name));
  if (cfg.mode === 'dense') {
    // weight (V, C) as nn.Dense holds it, bias (V); both uniform in ±1/sqrt(C)
    const k = 1 / Math.sqrt(cfg.C);
    const weights = { weight: fill(next, cfg.V * cfg.C, k), bias: fill(next, cfg.V, k) };
    return { name, cfg, weights, x: fill(next, cfg.T * cfg.N * cfg.C, 1) };
  }
  const G = GATES[cfg.mode];
  const k = 1 / Math.sqrt(cfg.H);
  const weights = [];
  for (let l = 0; l < cfg.layers; l++) {
    const cin = layerInput(cfg, l);
    const perDir = [];
    for (let d = 0; d < dirs(cfg); d++) {
      perDir.push({
        i2h_weight: fill(next, G * cfg.H * cin, k),
        h2h_weight: fill(next, G * cfg.H * cfg.H, k),
        i2h_bias: fill(next, G * cfg.H, k),
        h2h_bias: fill(next, G * cfg.H, k),
      });
    }
    weights.push(perDir);
  }
  return { name, cfg, weights, x: fill(next, cfg.T * cfg.N * cfg.C, 1) };
}

/** The T per-step inputs (N*C each) of a streaming config, made once outside the timed calls. */
export function stepInputs({ cfg, x }) {
  const n = cfg.N * cfg.C;
  return Array.from({ length: cfg.T }, (_, t) => x.slice(t * n, (t + 1) * n));
}

/**
 * What a system returns for the accuracy check. Whole-sequence configs: the output (T, N, D*H).
 * Streaming configs: every step's output (T, N, H), then h_n of each layer (N, H) and, for LSTM,
 * c_n of each layer: the states after the last step must be right too. A 'dense' config: the
 * logits of every call (T, N, V).
 */
export function checkedOutput(cfg, y, hPerLayer = [], cPerLayer = []) {
  if (!cfg.stream || cfg.mode === 'dense') return y;
  const parts = [y, ...hPerLayer, ...(STATE_COUNT[cfg.mode] === 2 ? cPerLayer : [])];
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Gate blocks of rows x cols each, taken from `src` in the order `order` (source block indices). */
export function pickGates(src, rows, cols, order) {
  const blk = rows * cols;
  const out = new Float32Array(order.length * blk);
  order.forEach((g, i) => {
    out.set(src.subarray(g * blk, (g + 1) * blk), i * blk);
  });
  return out;
}

/** Row-major (r, c) -> (c, r). */
export function transpose(src, r, c) {
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = src[i * c + j];
  return out;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
