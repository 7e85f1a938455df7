// The fused layers (RNN, LSTM, GRU) under autograd.record(): one training forward in wasm that
// keeps its reserve space, recorded as ONE tape node whose backward is the wasm BPTT
// (crates/kernels/src/rnn/bptt.rs), as MXNet's fused RNN op records one node with cuDNN's
// reserve space (src/operator/rnn-inl.h). state_clip_nan has no backward: for it rnn_layer.ts
// keeps the differentiable-op path (rnn_layer_ops.ts), which refuses it with a clear error.

import { tape } from '../../autograd/tape.js';
import { concat, type FusedRnnSpec, FusedRnnTrainer } from '../../backend/rnn.js';
import * as nd from '../../ndarray/index.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { nextUniform } from '../../random.js';

/** Whether the fused training kernel handles `spec` (else the op path does). */
export function fusedTrainSupported(spec: FusedRnnSpec): boolean {
  return !(spec.clip?.nan ?? false);
}

/** A layer's training handle, rebuilt when its spec changes or the budget released it. */
export class TrainerSlot {
  private trainer: FusedRnnTrainer | null = null;

  /** The live trainer for `spec`. */
  get(spec: FusedRnnSpec): FusedRnnTrainer {
    const t = this.trainer;
    if (t !== null && !t.released && sameSpec(t.spec, spec)) return t;
    t?.dispose();
    this.trainer = new FusedRnnTrainer(spec);
    return this.trainer;
  }

  /** Frees the handle (and its reserve space) now. */
  dispose(): void {
    this.trainer?.dispose();
    this.trainer = null;
  }
}

function sameSpec(a: FusedRnnSpec, b: FusedRnnSpec): boolean {
  return (
    a.mode === b.mode &&
    a.hidden === b.hidden &&
    a.numLayers === b.numLayers &&
    a.bidirectional === b.bidirectional &&
    a.inputSize === b.inputSize &&
    a.projection === b.projection &&
    a.clip?.min === b.clip?.min &&
    a.clip?.max === b.clip?.max &&
    a.clip?.nan === b.clip?.nan
  );
}

/** What the training forward needs besides the spec. */
export interface TrainForwardArgs {
  inputs: NDArray;
  layout: 'TNC' | 'NTC';
  T: number;
  N: number;
  /** Begin states [h] or [h, c]; empty for zeros. */
  states: readonly NDArray[];
  /** The checked valid lengths, or null. */
  validLength: Float32Array | null;
  /** The inter-layer dropout rate, applied when `training`. */
  dropout: number;
  training: boolean;
}

/**
 * Dropout masks between layers, drawn as nd.Dropout draws them (same generator and order as
 * rnn_layer_ops.ts: layer by layer over the (T, N, D*H) input): `bernoulli(1-p) / (1-p)`
 * (src/operator/nn/dropout-inl.h).
 */
function dropoutMasks(spec: FusedRnnSpec, T: number, N: number, p: number): Float32Array {
  const D = spec.bidirectional ? 2 : 1;
  const masks = new Float32Array((spec.numLayers - 1) * T * N * D * (spec.projection ?? spec.hidden));
  const keep = 1 - p;
  const scale = 1 / keep;
  for (let i = 0; i < masks.length; i++) masks[i] = (nextUniform() < keep ? 1 : 0) * scale;
  return masks;
}

/**
 * The fused layer's forward under record: `[output, hn, cn]` as fusedForwardOps returns them,
 * views of one recorded node. `weights[layer * D + dir]` = [i2h_w, h2h_w, i2h_b, h2h_b, h2r_w?].
 */
export function fusedForwardTrain(
  spec: FusedRnnSpec,
  slot: TrainerSlot,
  weights: readonly (readonly NDArray[])[],
  a: TrainForwardArgs,
): { out: NDArray; hn: NDArray; cn: NDArray | null } {
  const params = weights.flat();
  const flatW = concat(params.map((w) => w.data));
  return fusedForwardTrainFlat(
    spec,
    slot,
    flatW,
    params,
    (dw) => {
      const dws: Float32Array[] = [];
      let at = 0;
      for (const w of params) {
        dws.push(dw.subarray(at, at + w.size));
        at += w.size;
      }
      return dws;
    },
    a,
  );
}

/**
 * {@link fusedForwardTrain} on weights already packed in the kernel's order (per layer and
 * direction: i2h_w, h2h_w, i2h_b, h2h_b, h2r_w?): `paramInputs` are the arrays the weights come
 * from (the tape inputs after data and states) and `paramGrads` turns the kernel's packed weight
 * gradient into one gradient per entry of `paramInputs`.
 */
export function fusedForwardTrainFlat(
  spec: FusedRnnSpec,
  slot: TrainerSlot,
  flatW: Float32Array,
  paramInputs: readonly NDArray[],
  paramGrads: (dw: Float32Array) => Float32Array[],
  a: TrainForwardArgs,
): { out: NDArray; hn: NDArray; cn: NDArray | null } {
  const { T, N } = a;
  const D = spec.bidirectional ? 2 : 1;
  const H = spec.hidden;
  const lstm = spec.mode === 'lstm';
  const masks = a.training && a.dropout > 0 && spec.numLayers > 1 ? dropoutMasks(spec, T, N, a.dropout) : null;
  const h0 = a.states[0] ?? null;
  const c0 = lstm ? (a.states[1] ?? null) : null;
  const x = a.inputs.data;
  const run = () =>
    slot.get(spec).forward(flatW, x, a.layout, T, N, h0?.data ?? null, c0?.data ?? null, a.validLength, masks);
  const r = run();
  let generation = r.generation;
  const outLen = r.out.length;
  const sLen = r.hn.length;
  const cLen = r.cn?.length ?? 0;
  const flat = concat(r.cn === null ? [r.out, r.hn] : [r.out, r.hn, r.cn]);
  const node = tape('RNN', [a.inputs, h0, c0, ...paramInputs], new NDArray(flat, [flat.length]), () => (g) => {
    // Another training forward of this layer (or the memory budget) replaced the reserve
    // space: recompute it from the same inputs, masks and weights (deterministic).
    if (slot.get(spec).savedGeneration !== generation) generation = run().generation;
    const b = slot
      .get(spec)
      .backward(
        generation,
        flatW,
        g.subarray(0, outLen),
        g.subarray(outLen, outLen + sLen),
        lstm ? g.subarray(outLen + sLen) : null,
        T,
        N,
      );
    return [b.dx, h0 === null ? null : b.dh0, c0 === null ? null : b.dc0, ...paramGrads(b.dw)];
  });
  const part = (begin: number, end: number, shape: number[]) => nd.reshape(nd.slice_axis(node, 0, begin, end), shape);
  const hp = spec.projection ?? H;
  const outShape = a.layout === 'TNC' ? [T, N, D * hp] : [N, T, D * hp];
  return {
    out: part(0, outLen, outShape),
    hn: part(outLen, outLen + sLen, [spec.numLayers * D, N, hp]),
    cn: lstm ? part(outLen + sLen, outLen + sLen + cLen, [spec.numLayers * D, N, H]) : null,
  };
}
