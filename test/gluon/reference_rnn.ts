// An independent float64 transcription of the recurrent arithmetic (spec §5, §8.6-8.10), taking
// the fused kernel's spec and weight layout (ts/backend/rnn.ts): a test oracle for the wasm kernels.

import type { FusedRnnSpec } from '../../ts/backend/rnn.js';

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** y (rows) = W (rows x cols) x + b. */
function affine(
  W: ArrayLike<number>,
  b: ArrayLike<number> | null,
  x: ArrayLike<number>,
  xOff: number,
  rows: number,
  cols: number,
): Float64Array {
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = b ? (b[r] as number) : 0;
    for (let c = 0; c < cols; c++) s += (W[r * cols + c] as number) * (x[xOff + c] as number);
    y[r] = s;
  }
  return y;
}

/** One step for one sample. Returns [h (output, projected when P), c]. */
function refStep(
  spec: Pick<FusedRnnSpec, 'mode' | 'hidden' | 'projection' | 'clip'>,
  w: ArrayLike<number>[],
  ni: number,
  x: ArrayLike<number>,
  xOff: number,
  h: Float64Array,
  c: Float64Array | null,
): [Float64Array, Float64Array | null] {
  const H = spec.hidden;
  const hr = spec.projection ?? H;
  const [Wi, Wh, bi, bh, Whr] = w as [
    ArrayLike<number>,
    ArrayLike<number>,
    ArrayLike<number>,
    ArrayLike<number>,
    ArrayLike<number> | undefined,
  ];
  const G = spec.mode === 'lstm' ? 4 : spec.mode === 'gru' ? 3 : 1;
  const a = affine(Wi, bi, x, xOff, G * H, ni);
  const b = affine(Wh, bh, h, 0, G * H, hr);
  if (spec.mode === 'rnn_relu' || spec.mode === 'rnn_tanh') {
    const out = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      const v = (a[j] as number) + (b[j] as number);
      out[j] = spec.mode === 'rnn_relu' ? Math.max(v, 0) : Math.tanh(v);
    }
    return [out, null];
  }
  if (spec.mode === 'gru') {
    const out = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      const r = sig((a[j] as number) + (b[j] as number));
      const z = sig((a[H + j] as number) + (b[H + j] as number));
      const n = Math.tanh((a[2 * H + j] as number) + r * (b[2 * H + j] as number));
      out[j] = (1 - z) * n + z * (h[j] as number);
    }
    return [out, null];
  }
  const hn = new Float64Array(H);
  const cn = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    const g = (k: number): number => (a[k * H + j] as number) + (b[k * H + j] as number);
    let cj = sig(g(1)) * ((c as Float64Array)[j] as number) + sig(g(0)) * Math.tanh(g(2));
    if (spec.clip) {
      if (Number.isNaN(cj)) cj = spec.clip.nan ? spec.clip.max : cj;
      cj = Math.min(Math.max(cj, spec.clip.min), spec.clip.max);
    }
    cn[j] = cj;
    hn[j] = sig(g(3)) * Math.tanh(cj);
  }
  if (spec.projection !== null && Whr) return [affine(Whr, null, hn, 0, spec.projection, H), cn];
  return [hn, cn];
}

/** Fused layer forward over (T, N, C) or (N, T, C); returns out and final states like the kernel. */
export function refFused(
  spec: FusedRnnSpec,
  weights: ArrayLike<number>[][],
  x: ArrayLike<number>,
  layout: 'TNC' | 'NTC',
  T: number,
  N: number,
  h0: ArrayLike<number> | null,
  c0: ArrayLike<number> | null,
  validLength: ArrayLike<number> | null,
): { out: Float64Array; hn: Float64Array; cn: Float64Array | null } {
  const D = spec.bidirectional ? 2 : 1;
  const H = spec.hidden;
  const hr = spec.projection ?? H;
  const L = spec.numLayers;
  const lstm = spec.mode === 'lstm';
  // layer input in TNC
  let ni = spec.inputSize;
  let inp = new Float64Array(T * N * ni);
  for (let t = 0; t < T; t++)
    for (let n = 0; n < N; n++)
      for (let k = 0; k < ni; k++) {
        inp[(t * N + n) * ni + k] = x[(layout === 'TNC' ? t * N + n : n * T + t) * ni + k] as number;
      }
  const hn = new Float64Array(L * D * N * hr);
  const cn = lstm ? new Float64Array(L * D * N * H) : null;
  for (let l = 0; l < L; l++) {
    const out = new Float64Array(T * N * D * hr);
    for (let d = 0; d < D; d++) {
      const idx = l * D + d;
      const w = weights[idx] as ArrayLike<number>[];
      for (let n = 0; n < N; n++) {
        const len = validLength ? (validLength[n] as number) : T;
        let h: Float64Array = new Float64Array(hr);
        let c: Float64Array | null = lstm ? new Float64Array(H) : null;
        for (let j = 0; j < hr; j++) h[j] = h0 ? (h0[(idx * N + n) * hr + j] as number) : 0;
        if (c) for (let j = 0; j < H; j++) c[j] = c0 ? (c0[(idx * N + n) * H + j] as number) : 0;
        for (let s = 0; s < len; s++) {
          const t = d === 0 ? s : len - 1 - s;
          [h, c] = refStep(spec, w, ni, inp, (t * N + n) * ni, h, c) as [Float64Array, Float64Array | null];
          for (let j = 0; j < hr; j++) out[(t * N + n) * D * hr + d * hr + j] = h[j] as number;
        }
        hn.set(h, (idx * N + n) * hr);
        if (cn && c) cn.set(c, (idx * N + n) * H);
      }
    }
    inp = out;
    ni = D * hr;
  }
  const res = new Float64Array(T * N * ni);
  for (let t = 0; t < T; t++)
    for (let n = 0; n < N; n++)
      for (let k = 0; k < ni; k++) {
        res[(layout === 'TNC' ? t * N + n : n * T + t) * ni + k] = inp[(t * N + n) * ni + k] as number;
      }
  return { out: res, hn, cn };
}
