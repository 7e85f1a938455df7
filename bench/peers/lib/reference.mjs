// The float64 reference every system is checked against: MXNet's recurrent layers written out
// in plain JavaScript (no runtime under test involved). Gate math as MXNet 1.9.1 defines it
// (src/operator/rnn_impl.h; python/mxnet/gluon/rnn/rnn_cell.py):
//   LSTM  i,f,o = sigmoid, g = tanh;  c' = f c + i g;  h' = o tanh(c')
//   GRU   r,z = sigmoid(W x + b_i + U h + b_h);  n = tanh(W_n x + b_in + r (U_n h + b_hn));
//         h' = (1 - z) n + z h                    (reset applied after the h2h product)
//   RNN   h' = tanh(W x + b_i + U h + b_h)
// Bidirectional layers run the second direction from t = T-1 down and concatenate [fwd, bwd].
// Streaming configs are checked against the same whole-sequence pass plus its final states; a
// 'dense' config (a decoder) against x W^T + b.
import { dirs, GATES, layerInput } from './configs.mjs';

const sigmoid = (v) => 1 / (1 + Math.exp(-v));

/** Outputs further than this x max(1, max|ref|) from the float64 reference fail the run. */
export const TOLERANCE = 1e-5;

/** The accuracy limit of a reference: TOLERANCE x max(1, max|ref|). */
export function toleranceOf(ref) {
  let maxRef = 0;
  for (const v of ref) maxRef = Math.max(maxRef, Math.abs(v));
  return { maxRef, limit: TOLERANCE * Math.max(1, maxRef) };
}

/** Largest |y - ref|; Infinity when the lengths differ or y is missing, NaN counts as a mismatch. */
export function maxAbsDiff(y, ref) {
  if (!y || y.length !== ref.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(y[i] - ref[i]);
    if (!(d <= m)) m = d;
  }
  return m;
}

/** One direction of one layer over the whole sequence: writes h_t into out at column offset. */
function runDirection(cfg, w, xin, cin, reverse, out, outWidth, offset) {
  const { mode, H, T, N } = cfg;
  const G = GATES[mode];
  const gh = G * H;
  const h = new Float64Array(N * H);
  const c = new Float64Array(N * H);
  const gx = new Float64Array(gh);
  const gr = new Float64Array(gh);
  const hNew = new Float64Array(H);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    for (let n = 0; n < N; n++) {
      const xo = (t * N + n) * cin;
      const ho = n * H;
      for (let r = 0; r < gh; r++) {
        let a = w.i2h_bias[r];
        const wo = r * cin;
        for (let k = 0; k < cin; k++) a += w.i2h_weight[wo + k] * xin[xo + k];
        gx[r] = a;
        let b = w.h2h_bias[r];
        const uo = r * H;
        for (let k = 0; k < H; k++) b += w.h2h_weight[uo + k] * h[ho + k];
        gr[r] = b;
      }
      for (let j = 0; j < H; j++) {
        if (mode === 'lstm') {
          const i = sigmoid(gx[j] + gr[j]);
          const f = sigmoid(gx[H + j] + gr[H + j]);
          const g = Math.tanh(gx[2 * H + j] + gr[2 * H + j]);
          const o = sigmoid(gx[3 * H + j] + gr[3 * H + j]);
          c[ho + j] = f * c[ho + j] + i * g;
          hNew[j] = o * Math.tanh(c[ho + j]);
        } else if (mode === 'gru') {
          const r = sigmoid(gx[j] + gr[j]);
          const z = sigmoid(gx[H + j] + gr[H + j]);
          const nn = Math.tanh(gx[2 * H + j] + r * gr[2 * H + j]);
          hNew[j] = (1 - z) * nn + z * h[ho + j];
        } else {
          hNew[j] = Math.tanh(gx[j] + gr[j]);
        }
      }
      h.set(hNew, ho);
      out.set(hNew, (t * N + n) * outWidth + offset);
    }
  }
  return { h, c };
}

/**
 * Whole-sequence forward in float64. -> { y: Float64Array (T, N, D*H), h: per layer (N*H, the
 * forward direction's final state), c: same for LSTM }.
 */
export function referenceForward({ cfg, weights, x }) {
  const D = dirs(cfg);
  let xin = Float64Array.from(x);
  const hs = [];
  const cs = [];
  for (let l = 0; l < cfg.layers; l++) {
    const out = new Float64Array(cfg.T * cfg.N * D * cfg.H);
    for (let d = 0; d < D; d++) {
      const fin = runDirection(cfg, weights[l][d], xin, layerInput(cfg, l), d === 1, out, D * cfg.H, d * cfg.H);
      if (d === 0) {
        hs.push(fin.h);
        cs.push(fin.c);
      }
    }
    xin = out;
  }
  return { y: xin, h: hs, c: cs };
}

/** A 'dense' config's logits (T*N rows of V): x W^T + b. */
function referenceDense({ cfg, weights, x }) {
  const { V, C } = cfg;
  const rows = cfg.T * cfg.N;
  const y = new Float64Array(rows * V);
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < V; v++) {
      let s = weights.bias[v];
      for (let k = 0; k < C; k++) s += x[r * C + k] * weights.weight[v * C + k];
      y[r * V + v] = s;
    }
  }
  return y;
}

/** The reference in the shape `checkedOutput` gives a system's result. */
export function referenceChecked(data) {
  if (data.cfg.mode === 'dense') return referenceDense(data);
  const { y, h, c } = referenceForward(data);
  if (!data.cfg.stream) return y;
  const parts = [y, ...h, ...(data.cfg.mode === 'lstm' ? c : [])];
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
