// Typed wrappers over the wasm recurrent kernels: a fused stack (RNN/LSTM/GRU layer) and a
// single-step cell. Weights are copied into wasm and packed once per kernel; callers build
// a new kernel when a parameter's data changes and dispose the old one. Every kernel is in
// the packed-weight cache (./packed_cache.ts), which may release it under memory pressure:
// `released` then tells the owner to build a new one.

import type {
  CellKernel as WasmCell,
  FusedRnn as WasmFused,
  RnnTrainer as WasmTrainer,
} from './generated/simd/gluon_wasm.js';
import { backend, ensureRoom, guarded } from './index.js';
import { Kernel, rethrow } from './kernel.js';
import { touch } from './packed_cache.js';

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

/** The spec as both wasm constructors take it: mode, sizes, projection (0: none), clipping. */
function specArgs(s: FusedRnnSpec): [RnnMode, number, number, boolean, number, number, boolean, number, number] {
  const c = s.clip;
  return [
    s.mode,
    s.hidden,
    s.numLayers,
    s.bidirectional,
    s.inputSize,
    s.projection ?? 0,
    c !== null,
    c?.min ?? 0,
    c?.max ?? 0,
  ];
}

function bytesOf(...arrays: ArrayLike<number>[]): { total: number; largest: number } {
  let total = 0;
  let largest = 0;
  for (const a of arrays) {
    total += a.length * 4;
    largest = Math.max(largest, a.length * 4);
  }
  return { total, largest };
}

/** The lengths of a fused stack's `[output | hn | cn]` for a (T, N) call (cn: LSTM only). */
function outputSizes(s: FusedRnnSpec, T: number, N: number): { out: number; hn: number; cn: number; total: number } {
  const dirs = s.bidirectional ? 2 : 1;
  const out = T * N * dirs * (s.projection ?? s.hidden);
  const hn = s.numLayers * dirs * N * (s.projection ?? s.hidden);
  const cn = s.mode === 'lstm' ? s.numLayers * dirs * N * s.hidden : 0;
  return { out, hn, cn, total: out + hn + cn };
}

/** `[output, hn, cn]` as copied out by `stagedParts` (cn: LSTM only). */
function namedOutputs(
  s: FusedRnnSpec,
  parts: Float32Array[],
): { out: Float32Array; hn: Float32Array; cn: Float32Array | null } {
  const [out, hn, cn] = parts as [Float32Array, Float32Array, Float32Array];
  return { out, hn, cn: s.mode === 'lstm' ? cn : null };
}

/** The arrays one after the other in one new array. @internal */
export function concat(parts: readonly Float32Array[]): Float32Array {
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

/** A packed fused stack (Gluon `RNN`/`LSTM`/`GRU` layer) in wasm memory. */
export class FusedRnnKernel extends Kernel<WasmFused> {
  readonly spec: FusedRnnSpec;

  /** `weights[layer * D + dir]` = [i2h_weight, h2h_weight, i2h_bias, h2h_bias, h2r_weight?]. */
  constructor(spec: FusedRnnSpec, weights: Float32Array[][]) {
    super();
    this.spec = { ...spec };
    const flat = concat(weights.flat());
    // The flat copy goes in, then the packed copy is built beside it.
    ensureRoom('packing the layer weights', 2 * flat.length * 4, flat.length * 4, null);
    this.handle = guarded(
      'packing the layer weights',
      () => new (backend().FusedRnn)(...specArgs(spec), spec.clip?.nan ?? false, flat),
    );
    touch(this);
  }

  forward(
    x: Float32Array,
    layout: 'TNC' | 'NTC',
    T: number,
    N: number,
    h0: Float32Array | null,
    c0: Float32Array | null,
    validLength: Float32Array | null,
  ): { out: Float32Array; hn: Float32Array; cn: Float32Array | null } {
    const handle = this.live('FusedRnnKernel');
    const vl = validLength ?? EMPTY;
    const o = outputSizes(this.spec, T, N);
    const parts = this.stagedParts('forward', handle, [x, h0 ?? EMPTY, c0 ?? EMPTY, vl], [o.out, o.hn, o.cn], () =>
      rethrow(handle.forward(layout === 'NTC', T, N, x.length, h0?.length ?? 0, c0?.length ?? 0, vl.length)),
    );
    return namedOutputs(this.spec, parts);
  }

  /**
   * One step (T = 1) of `N` rows from `states` (`[h | c]`, as `into` holds them after a step)
   * into `into` (`[output | h | c]`, all of a step's outputs): no array is made.
   */
  step(x: Float32Array, N: number, states: Float32Array, into: Float32Array): void {
    const handle = this.live('FusedRnnKernel');
    const o = outputSizes(this.spec, 1, N);
    const hLen = o.hn;
    this.staged(
      'stream step',
      handle,
      [x, states],
      o.total,
      () => rethrow(handle.forward(false, 1, N, x.length, hLen, states.length - hLen, 0)),
      into,
    );
  }
}

/** A packed single-step cell (Gluon `RNNCell`/`LSTMCell`/`GRUCell`) in wasm memory. */
export class CellKernel extends Kernel<WasmCell> {
  readonly mode: RnnMode;
  readonly hidden: number;

  constructor(
    mode: RnnMode,
    hidden: number,
    inputSize: number,
    i2hW: Float32Array,
    h2hW: Float32Array,
    i2hB: Float32Array,
    h2hB: Float32Array,
  ) {
    super();
    this.mode = mode;
    this.hidden = hidden;
    const w = bytesOf(i2hW, h2hW, i2hB, h2hB);
    ensureRoom('packing the cell weights', 2 * w.total, w.largest, null);
    this.handle = guarded(
      'packing the cell weights',
      () => new (backend().CellKernel)(mode, hidden, inputSize, i2hW, h2hW, i2hB, h2hB),
    );
    touch(this);
  }

  step(
    x: Float32Array,
    N: number,
    h: Float32Array,
    c: Float32Array | null,
  ): { h: Float32Array; c: Float32Array | null } {
    const handle = this.live('CellKernel');
    const n = N * this.hidden;
    const lstm = this.mode === 'lstm';
    const parts = this.stagedParts('cell step', handle, [x, h, c ?? EMPTY], [n, lstm ? n : 0], () =>
      rethrow(handle.step(N, x.length, h.length, c?.length ?? 0)),
    );
    return { h: parts[0] as Float32Array, c: lstm ? (parts[1] as Float32Array) : null };
  }

  /** One step of `N` rows from `states` (`[h | c]`) into `into` (the next `[h | c]`): no array is made. */
  stepInto(x: Float32Array, N: number, states: Float32Array, into: Float32Array): void {
    const handle = this.live('CellKernel');
    const n = N * this.hidden;
    this.staged(
      'stream step',
      handle,
      [x, states],
      states.length,
      () => rethrow(handle.step(N, x.length, n, states.length - n)),
      into,
    );
  }
}

/** What a training forward returns: the outputs and the generation its backward must name. */
export interface TrainForwardResult {
  generation: number;
  out: Float32Array;
  hn: Float32Array;
  cn: Float32Array | null;
}

/** What a training backward returns; `dw` is in the flat weights' layout. */
export interface TrainBackwardResult {
  dx: Float32Array;
  dh0: Float32Array;
  dc0: Float32Array | null;
  dw: Float32Array;
}

/**
 * The training handle of a fused stack: a forward that keeps its reserve space in wasm memory
 * (one per handle, replaced by the next forward) and the backward through time over it.
 * Weights (flat, per (layer, dir) [i2h_weight, h2h_weight, i2h_bias, h2h_bias, h2r_weight?])
 * are passed with every call. Not for `clip.nan` (it has no backward).
 */
export class FusedRnnTrainer extends Kernel<WasmTrainer> {
  readonly spec: FusedRnnSpec;

  constructor(spec: FusedRnnSpec) {
    super();
    this.spec = { ...spec };
    this.handle = guarded('building the training kernel', () => new (backend().RnnTrainer)(...specArgs(spec)));
    touch(this);
  }

  /** The generation of the forward whose reserve space the handle holds (0: none or released). */
  get savedGeneration(): number {
    return this.released || this.handle === null ? 0 : this.handle.saved_generation();
  }

  /** `masks`: (L-1) time-major (T, N, D*H) dropout masks, or null. */
  forward(
    weights: Float32Array,
    x: Float32Array,
    layout: 'TNC' | 'NTC',
    T: number,
    N: number,
    h0: Float32Array | null,
    c0: Float32Array | null,
    validLength: Float32Array | null,
    masks: Float32Array | null,
  ): TrainForwardResult {
    const handle = this.live('FusedRnnTrainer');
    const vl = validLength ?? EMPTY;
    const m = masks ?? EMPTY;
    const o = outputSizes(this.spec, T, N);
    const ins = [weights, x, h0 ?? EMPTY, c0 ?? EMPTY, vl, m];
    // The reserve space grows with the call: about 8 floats per output value and layer.
    ensureRoom('training forward', 8 * o.out * 4 * this.spec.numLayers, o.out * 4 * 4, this);
    let generation = 0;
    const parts = this.stagedParts('training forward', handle, ins, [o.out, o.hn, o.cn], () => {
      generation = handle.forward(
        layout === 'NTC',
        T,
        N,
        weights.length,
        x.length,
        h0?.length ?? 0,
        c0?.length ?? 0,
        vl.length,
        m.length,
      );
    });
    return { generation, ...namedOutputs(this.spec, parts) };
  }

  /** Backward of forward `generation` (which must be `savedGeneration`); null state gradients are zeros. */
  backward(
    generation: number,
    weights: Float32Array,
    dout: Float32Array,
    dhn: Float32Array | null,
    dcn: Float32Array | null,
    T: number,
    N: number,
  ): TrainBackwardResult {
    const handle = this.live('FusedRnnTrainer');
    const s = this.spec;
    const dirs = s.bidirectional ? 2 : 1;
    const dxLen = T * N * s.inputSize;
    const sLen = s.numLayers * dirs * N * (s.projection ?? s.hidden);
    const dcLen = s.mode === 'lstm' ? s.numLayers * dirs * N * s.hidden : 0;
    const ins = [weights, dout, dhn ?? EMPTY, dcn ?? EMPTY];
    // The backward's scratch: about 4 floats per output value.
    ensureRoom('training backward', 4 * dout.length * 4, dout.length * 4 * 4, this);
    const lens = [dxLen, sLen, dcLen, weights.length];
    const [dx, dh0, dc0, dw] = this.stagedParts('training backward', handle, ins, lens, () =>
      handle.backward(generation, weights.length, dout.length, dhn?.length ?? 0, dcn?.length ?? 0),
    ) as [Float32Array, Float32Array, Float32Array, Float32Array];
    return { dx, dh0, dc0: s.mode === 'lstm' ? dc0 : null, dw };
  }
}
