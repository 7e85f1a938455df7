// Typed wrappers over the wasm recurrent kernels: a fused stack (RNN/LSTM/GRU layer) and a
// single-step cell. Weights are copied into wasm and packed once per kernel; callers build
// a new kernel when a parameter's data changes and dispose the old one.

import type { CellKernel as WasmCell, FusedRnn as WasmFused } from './generated/simd/gluon_wasm.js';
import { backend } from './index.js';

export type RnnMode = 'rnn_relu' | 'rnn_tanh' | 'lstm' | 'gru';

export interface FusedRnnSpec {
  mode: RnnMode;
  hidden: number;
  numLayers: number;
  bidirectional: boolean;
  inputSize: number;
  projection: number | null;
  clip: { min: number; max: number; nan: boolean } | null;
}

const EMPTY = new Float32Array(0);

function concat(parts: Float32Array[]): Float32Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float32Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export class FusedRnnKernel {
  readonly spec: FusedRnnSpec;
  private handle: WasmFused | null;

  /** `weights[layer * D + dir]` = [i2h_weight, h2h_weight, i2h_bias, h2h_bias, h2r_weight?]. */
  constructor(spec: FusedRnnSpec, weights: Float32Array[][]) {
    this.spec = { ...spec };
    const c = spec.clip;
    this.handle = new (backend().FusedRnn)(
      spec.mode,
      spec.hidden,
      spec.numLayers,
      spec.bidirectional,
      spec.inputSize,
      spec.projection ?? 0,
      c !== null,
      c?.min ?? 0,
      c?.max ?? 0,
      c?.nan ?? false,
      concat(weights.flat()),
    );
  }

  forward(
    x: Float32Array,
    layout: 'TNC' | 'NTC',
    T: number,
    N: number,
    h0: Float32Array | null,
    c0: Float32Array | null,
    validLength: Float32Array | Int32Array | null,
  ): { out: Float32Array; hn: Float32Array; cn: Float32Array | null } {
    if (this.handle === null) throw new Error('FusedRnnKernel: used after dispose()');
    const s = this.spec;
    const vl = validLength === null ? EMPTY : Float32Array.from(validLength);
    const buf = this.handle.forward(layout === 'NTC', T, N, x, h0 ?? EMPTY, c0 ?? EMPTY, vl);
    const hp = s.projection ?? s.hidden;
    const dirs = s.bidirectional ? 2 : 1;
    const outLen = T * N * dirs * hp;
    const hnLen = s.numLayers * dirs * N * hp;
    return {
      out: buf.subarray(0, outLen),
      hn: buf.subarray(outLen, outLen + hnLen),
      cn: s.mode === 'lstm' ? buf.subarray(outLen + hnLen) : null,
    };
  }

  dispose(): void {
    this.handle?.free();
    this.handle = null;
  }
}

export class CellKernel {
  readonly mode: RnnMode;
  readonly hidden: number;
  private handle: WasmCell | null;

  constructor(
    mode: RnnMode,
    hidden: number,
    inputSize: number,
    i2hW: Float32Array,
    h2hW: Float32Array,
    i2hB: Float32Array,
    h2hB: Float32Array,
  ) {
    this.mode = mode;
    this.hidden = hidden;
    this.handle = new (backend().CellKernel)(mode, hidden, inputSize, i2hW, h2hW, i2hB, h2hB);
  }

  step(
    x: Float32Array,
    N: number,
    h: Float32Array,
    c: Float32Array | null,
  ): { h: Float32Array; c: Float32Array | null } {
    if (this.handle === null) throw new Error('CellKernel: used after dispose()');
    const buf = this.handle.step(N, x, h, c ?? EMPTY);
    const n = N * this.hidden;
    return { h: buf.subarray(0, n), c: this.mode === 'lstm' ? buf.subarray(n) : null };
  }

  dispose(): void {
    this.handle?.free();
    this.handle = null;
  }
}
