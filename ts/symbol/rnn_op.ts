// The fused `RNN` operator (src/operator/rnn-inl.h) on the package's fused kernel, as
// ts/gluon/rnn/rnn_layer.ts runs it. Inputs: data (T, N, C), the flat parameter vector,
// state (L*D, N, P or H), state_cell (LSTM), sequence_length (with use_sequence_length).
// The flat vector is packed as python/mxnet/gluon/rnn/rnn_layer.py `_forward_kernel` concatenates
// it: every weight first (layer, direction, [i2h, h2h, h2r]), then every bias (layer, direction,
// [i2h, h2h]).

import { isRecording, isTraining, refuseGrad } from '../autograd/tape.js';
import { FusedRnnKernel, type FusedRnnSpec, type RnnMode } from '../backend/rnn.js';
import { fusedForwardTrainFlat, fusedTrainSupported, TrainerSlot } from '../gluon/rnn/rnn_layer_train.js';
import { NDArray, shapeStr } from '../ndarray/ndarray.js';
import { ValueError } from '../util/errors.js';
import type { AttrReader } from './attrs.js';
import { type ForwardContext, type OpFactory, type PreparedOp, type ShapeIO, slotOf } from './op.js';

const GATES: Record<RnnMode, number> = { rnn_relu: 1, rnn_tanh: 1, lstm: 4, gru: 3 };

interface RnnAttrs {
  mode: RnnMode;
  hidden: number;
  numLayers: number;
  dirs: number;
  projection: number | null;
  clip: FusedRnnSpec['clip'];
  /** Dropout between layers (applied in training mode). */
  p: number;
  stateOutputs: boolean;
  useSequenceLength: boolean;
}

function parseRnn(r: AttrReader): RnnAttrs {
  const mode = r.choice<RnnMode>('mode', ['rnn_relu', 'rnn_tanh', 'lstm', 'gru']);
  const hidden = r.int('state_size');
  const numLayers = r.int('num_layers');
  const bidirectional = r.bool('bidirectional', false);
  const p = r.float('p', 0);
  const stateOutputs = r.bool('state_outputs', false);
  const projection = r.optInt('projection_size');
  const lo = r.optFloat('lstm_state_clip_min');
  const hi = r.optFloat('lstm_state_clip_max');
  const nan = r.bool('lstm_state_clip_nan', false);
  const useSequenceLength = r.bool('use_sequence_length', false);
  if (!(p >= 0 && p < 1)) throw new ValueError(`${r.where}: p must be in [0, 1), got ${p}`);
  if (hidden <= 0 || numLayers <= 0)
    throw new ValueError(`${r.where}: state_size and num_layers must be positive, got ${hidden} and ${numLayers}`);
  if (projection !== null && mode !== 'lstm')
    throw new ValueError(`${r.where}: projection_size needs mode 'lstm', got '${mode}'`);
  if ((lo === null) !== (hi === null))
    throw new ValueError(`${r.where}: lstm_state_clip_min and lstm_state_clip_max go together, got ${lo} and ${hi}`);
  return {
    mode,
    hidden,
    numLayers,
    dirs: bidirectional ? 2 : 1,
    projection: projection === 0 ? null : projection,
    clip: lo !== null && hi !== null ? { min: lo, max: hi, nan } : null,
    p,
    stateOutputs,
    useSequenceLength,
  };
}

/** Sizes of each (layer, direction)'s weights: [i2h, h2h, h2r?] element counts and shapes. */
function weightShapes(a: RnnAttrs, inputSize: number): { weights: number[][][]; biases: number[][] } {
  const G = GATES[a.mode] * a.hidden;
  const out = a.projection ?? a.hidden;
  const weights: number[][][] = [];
  const biases: number[][] = [];
  for (let l = 0; l < a.numLayers; l++) {
    const ni = l === 0 ? inputSize : out * a.dirs;
    for (let d = 0; d < a.dirs; d++) {
      const w = [
        [G, ni],
        [G, out],
      ];
      if (a.projection !== null) w.push([a.projection, a.hidden]);
      weights.push(w);
      biases.push([G, G]);
    }
  }
  return { weights, biases };
}

function paramSize(a: RnnAttrs, inputSize: number): number {
  const { weights, biases } = weightShapes(a, inputSize);
  let n = 0;
  for (const w of weights) for (const s of w) n += (s[0] as number) * (s[1] as number);
  for (const b of biases) for (const s of b) n += s;
  return n;
}

/** Splits the flat vector into the kernel's per-(layer, direction) [i2h_w, h2h_w, i2h_b, h2h_b, h2r_w?]. */
function splitParams(a: RnnAttrs, inputSize: number, flat: Float32Array): Float32Array[][] {
  const { weights, biases } = weightShapes(a, inputSize);
  let off = 0;
  const take = (n: number) => {
    const v = flat.subarray(off, off + n);
    off += n;
    return v;
  };
  const ws = weights.map((w) => w.map((s) => take((s[0] as number) * (s[1] as number))));
  const bs = biases.map((b) => b.map((n) => take(n)));
  return ws.map((w, i) => {
    const [i2h, h2h, h2r] = w as [Float32Array, Float32Array, Float32Array | undefined];
    const [bi, bh] = bs[i] as [Float32Array, Float32Array];
    return h2r === undefined ? [i2h, h2h, bi, bh] : [i2h, h2h, bi, bh, h2r];
  });
}

/**
 * The `RNN` node's state: the inference kernel (rebuilt when the parameter array or the input
 * size changes) and the training handle used under autograd.record().
 */
class RnnSlot {
  infer: { params: NDArray; inputSize: number; kernel: FusedRnnKernel } | null = null;
  readonly trainer = new TrainerSlot();
  dispose(): void {
    this.infer?.kernel.dispose();
    this.infer = null;
    this.trainer.dispose();
  }
}

/**
 * The kernel's packed weight gradient (per layer and direction: i2h_w, h2h_w, i2h_b, h2h_b,
 * h2r_w?) back in MXNet's flat layout (all weights, then all biases).
 */
function unpackGrad(a: RnnAttrs, inputSize: number, size: number, dw: Float32Array): Float32Array {
  const flat = new Float32Array(size);
  let at = 0;
  for (const part of splitParams(a, inputSize, flat).flat()) {
    part.set(dw.subarray(at, at + part.length));
    at += part.length;
  }
  return flat;
}

function infer(a: RnnAttrs, io: ShapeIO): void {
  const x = io.ins[0] ?? null;
  if (x === null) return;
  if (x.length !== 3) throw new ValueError(`${io.where}: data must be 3-d (T, N, C), got ${shapeStr(x)}`);
  const [T, N, C] = x as [number, number, number];
  const hp = a.projection ?? a.hidden;
  const LD = a.numLayers * a.dirs;
  io.setOut(0, [T, N, a.dirs * hp]);
  io.setIn(2, [LD, N, hp]);
  if (a.mode === 'lstm') io.setIn(3, [LD, N, a.hidden]);
  if (a.useSequenceLength) io.setIn(a.mode === 'lstm' ? 4 : 3, [N]);
  if (C > 0) io.setIn(1, [paramSize(a, C)]);
  if (a.stateOutputs) {
    io.setOut(1, [LD, N, hp]);
    if (a.mode === 'lstm') io.setOut(2, [LD, N, a.hidden]);
  }
}

function forward(a: RnnAttrs, where: string, ins: readonly NDArray[], ctx: ForwardContext): NDArray[] {
  const [x, params, h0] = ins as [NDArray, NDArray, NDArray];
  const c0 = a.mode === 'lstm' ? (ins[3] as NDArray) : null;
  const lens = a.useSequenceLength ? (ins[a.mode === 'lstm' ? 4 : 3] as NDArray) : null;
  if (x.ndim !== 3) throw new ValueError(`${where}: data must be 3-d (T, N, C), got ${shapeStr(x.shape)}`);
  const [T, N, C] = x.shape as [number, number, number];
  const want = paramSize(a, C);
  if (params.size !== want)
    throw new ValueError(
      `${where}: the parameter vector has ${params.size} values, expected ${want} for input size ${C}`,
    );
  const hp = a.projection ?? a.hidden;
  const LD = a.numLayers * a.dirs;
  const check = (s: NDArray | null, shape: number[], what: string) => {
    if (s !== null && (s.ndim !== 3 || s.shape.some((d, i) => d !== shape[i])))
      throw new ValueError(`${where}: ${what} must be ${shapeStr(shape)}, got ${shapeStr(s.shape)}`);
  };
  check(h0, [LD, N, hp], 'state');
  check(c0, [LD, N, a.hidden], 'state_cell');
  let vl: Float32Array | null = null;
  if (lens !== null) {
    if (lens.size !== N)
      throw new ValueError(`${where}: sequence_length must have ${N} entries, got ${shapeStr(lens.shape)}`);
    vl = new Float32Array(N);
    for (let b = 0; b < N; b++) {
      const v = Math.trunc(lens.data[b] as number);
      if (!(v >= 1 && v <= T))
        throw new ValueError(`${where}: sequence_length[${b}] = ${String(lens.data[b])} must be in [1, ${T}]`);
      vl[b] = v;
    }
  }
  const held = slotOf(ctx, RnnSlot);
  const spec: FusedRnnSpec = {
    mode: a.mode,
    hidden: a.hidden,
    numLayers: a.numLayers,
    bidirectional: a.dirs === 2,
    inputSize: C,
    projection: a.projection,
    clip: a.clip,
  };
  if ((isRecording() || (isTraining() && a.p > 0)) && fusedTrainSupported(spec)) {
    // Under record: one tape node whose backward is the wasm BPTT, as gluon.rnn layers record
    // (rnn_layer_train.ts); gradients reach data, the flat parameter vector and the begin states.
    // The same kernel applies the inter-layer dropout `p` in training mode (rnn-inl.h).
    const packed = splitParams(a, C, params.data).flat();
    const flatW = new Float32Array(want);
    let at = 0;
    for (const part of packed) {
      flatW.set(part, at);
      at += part.length;
    }
    const r = fusedForwardTrainFlat(spec, held.trainer, flatW, [params], (dw) => [unpackGrad(a, C, want, dw)], {
      inputs: x,
      layout: 'TNC',
      T,
      N,
      states: c0 === null ? [h0] : [h0, c0],
      validLength: vl,
      dropout: a.p,
      training: isTraining(),
    });
    const outs = [r.out];
    if (a.stateOutputs) {
      outs.push(r.hn);
      if (r.cn !== null) outs.push(r.cn);
    }
    return outs;
  }
  // lstm_state_clip_nan has no backward in the training kernel: refuse rather than cut the
  // gradient silently.
  refuseGrad(where, [x, params, h0, c0]);
  let inf = held.infer;
  if (inf === null || inf.params !== params || inf.inputSize !== C || inf.kernel.released) {
    inf?.kernel.dispose();
    inf = { params, inputSize: C, kernel: new FusedRnnKernel(spec, splitParams(a, C, params.data)) };
    held.infer = inf;
  }
  const r = inf.kernel.forward(x.data, 'TNC', T, N, h0.data, c0 === null ? null : c0.data, vl);
  const out = [new NDArray(r.out, [T, N, a.dirs * hp])];
  if (a.stateOutputs) {
    out.push(new NDArray(r.hn, [LD, N, hp]));
    if (r.cn !== null) out.push(new NDArray(r.cn, [LD, N, a.hidden]));
  }
  return out;
}

/** The `RNN` operator. */
export const rnnOp: OpFactory = (r) => {
  const a = parseRnn(r);
  const op: PreparedOp = {
    numOutputs: a.stateOutputs ? (a.mode === 'lstm' ? 3 : 2) : 1,
    deterministic: a.p === 0,
    infer: (io) => infer(a, io),
    forward: (ins, ctx) => forward(a, r.where, ins, ctx),
  };
  return op;
};
