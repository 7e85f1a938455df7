// An independent float64 transcription of the recurrent arithmetic (spec §5, §8.6-8.10),
// with the same interface as ts/backend/rnn.ts: a test oracle for the wasm kernels.

export interface RefSpec {
  mode: 'rnn_relu' | 'rnn_tanh' | 'lstm' | 'gru';
  hidden: number;
  numLayers: number;
  bidirectional: boolean;
  inputSize: number;
  projection: number | null;
  clip: { min: number; max: number; nan: boolean } | null;
}

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
export function refStep(
  spec: Pick<RefSpec, 'mode' | 'hidden' | 'projection' | 'clip'>,
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
  spec: RefSpec,
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

/** Same interface as ts/backend/rnn.ts FusedRnnKernel (float64 inside, float32 out). */
export class FusedRnnKernel {
  constructor(
    private readonly spec: RefSpec,
    private readonly weights: Float32Array[][],
  ) {}
  forward(
    x: Float32Array,
    layout: 'TNC' | 'NTC',
    T: number,
    N: number,
    h0: Float32Array | null,
    c0: Float32Array | null,
    validLength: Int32Array | null,
  ) {
    const r = refFused(this.spec, this.weights, x, layout, T, N, h0, c0, validLength);
    return { out: Float32Array.from(r.out), hn: Float32Array.from(r.hn), cn: r.cn ? Float32Array.from(r.cn) : null };
  }
  dispose(): void {}
}

/** Same interface as ts/backend/rnn.ts CellKernel. */
export class CellKernel {
  private readonly w: Float32Array[];
  constructor(
    private readonly mode: RefSpec['mode'],
    private readonly hidden: number,
    private readonly inputSize: number,
    i2hW: Float32Array,
    h2hW: Float32Array,
    i2hB: Float32Array,
    h2hB: Float32Array,
  ) {
    this.w = [i2hW, h2hW, i2hB, h2hB];
  }
  step(x: Float32Array, N: number, h: Float32Array, c: Float32Array | null) {
    const H = this.hidden;
    const ho = new Float32Array(N * H);
    const co = c ? new Float32Array(N * H) : null;
    for (let n = 0; n < N; n++) {
      const [hn, cn] = refStep(
        { mode: this.mode, hidden: H, projection: null, clip: null },
        this.w,
        this.inputSize,
        x,
        n * this.inputSize,
        Float64Array.from(h.subarray(n * H, (n + 1) * H)),
        c ? Float64Array.from(c.subarray(n * H, (n + 1) * H)) : null,
      );
      ho.set(hn, n * H);
      if (co && cn) co.set(cn, n * H);
    }
    return { h: ho, c: co };
  }
  dispose(): void {}
}
