// The fused layers (RNN, LSTM, GRU) on differentiable nd operators: used for state_clip_nan under
// autograd.record() (everything else records rnn_layer_train.ts's fused node) and in training
// mode with inter-layer dropout outside a recording; also the tests' reference for that node. Layer by layer, direction by direction, with the native kernel's math
// (src/operator/rnn_impl.h): gates [i, f, g, o] (LSTM) and [r, z, n] (GRU, reset after the h2h
// product), projection r = h Wr^T, state clipping of c, cuDNN's valid-length semantics, and
// dropout on every layer's output but the last.

import type { FusedRnnSpec } from '../../backend/rnn.js';
import * as nd from '../../ndarray/index.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { NotImplementedError } from '../../util/errors.js';

/** What the op path needs besides the kernel's spec. */
export interface OpsForwardArgs {
  /** (T, N, C) in TNC, or (N, T, C) in NTC. */
  inputs: NDArray;
  layout: 'TNC' | 'NTC';
  /** Begin states [h] or [h, c] as (L*D, N, ·); empty for zeros. */
  states: readonly NDArray[];
  /** Per-sample valid lengths (already checked to lie in [1, T]), or null. */
  sequenceLength: NDArray | null;
  /** The inter-layer dropout rate (acts in training mode only, through nd.Dropout). */
  dropout: number;
}

function cellStep(
  spec: FusedRnnSpec,
  i2h: NDArray,
  h: NDArray,
  c: NDArray | null,
  w: readonly NDArray[],
): [NDArray, NDArray | null] {
  const H = spec.hidden;
  const G = spec.mode === 'lstm' ? 4 : spec.mode === 'gru' ? 3 : 1;
  const h2h = nd.FullyConnected(h, w[1] as NDArray, w[3] as NDArray, G * H);
  if (spec.mode === 'lstm') {
    const [gi, gf, gg, go] = nd.split(nd.add(i2h, h2h), 4, { axis: 1 }) as [NDArray, NDArray, NDArray, NDArray];
    let cn = nd.add(nd.mul(nd.sigmoid(gf), c as NDArray), nd.mul(nd.sigmoid(gi), nd.tanh(gg)));
    if (spec.clip !== null) cn = nd.clip(cn, spec.clip.min, spec.clip.max);
    let hn = nd.mul(nd.sigmoid(go), nd.tanh(cn));
    if (spec.projection !== null)
      hn = nd.FullyConnected(hn, w[4] as NDArray, null, { noBias: true, numHidden: spec.projection });
    return [hn, cn];
  }
  if (spec.mode === 'gru') {
    const [ir, iz, inn] = nd.split(i2h, 3, { axis: 1 }) as [NDArray, NDArray, NDArray];
    const [hr, hz, hn] = nd.split(h2h, 3, { axis: 1 }) as [NDArray, NDArray, NDArray];
    const r = nd.sigmoid(nd.add(ir, hr));
    const z = nd.sigmoid(nd.add(iz, hz));
    const n = nd.tanh(nd.add(inn, nd.mul(r, hn)));
    return [nd.add(nd.mul(nd.sub(1, z), n), nd.mul(z, h)), null];
  }
  const pre = nd.add(i2h, h2h);
  return [spec.mode === 'rnn_tanh' ? nd.tanh(pre) : nd.relu(pre), null];
}

/** One direction of one layer over (T, N, C) input: outputs (T, N, H') and the final states. */
function runDirection(
  spec: FusedRnnSpec,
  x: NDArray,
  w: readonly NDArray[],
  h0: NDArray,
  c0: NDArray | null,
  vl: NDArray | null,
  reverse: boolean,
): { out: NDArray; h: NDArray; c: NDArray | null } {
  const T = x.shape[0] as number;
  const G = spec.mode === 'lstm' ? 4 : spec.mode === 'gru' ? 3 : 1;
  // cuDNN's valid lengths: the reverse direction starts at each sample's last valid step.
  const src = reverse ? (vl === null ? nd.flip(x, 0) : nd.SequenceReverse(x, vl, true)) : x;
  const i2hAll = nd.FullyConnected(src, w[0] as NDArray, w[2] as NDArray, {
    numHidden: G * spec.hidden,
    flatten: false,
  });
  const steps = nd.split(i2hAll, T, { axis: 0, squeezeAxis: true });
  let h = h0;
  let c = c0;
  const hs: NDArray[] = [];
  const cs: NDArray[] = [];
  for (let t = 0; t < T; t++) {
    [h, c] = cellStep(spec, steps[t] as NDArray, h, c, w);
    hs.push(h);
    if (c !== null) cs.push(c);
  }
  let out = nd.stack(hs, { axis: 0 });
  if (vl !== null) {
    h = nd.SequenceLast(out, vl, true);
    if (c !== null) c = nd.SequenceLast(nd.stack(cs, { axis: 0 }), vl, true);
    out = nd.SequenceMask(out, vl, true, 0);
  }
  if (reverse) out = vl === null ? nd.flip(out, 0) : nd.SequenceReverse(out, vl, true);
  return { out, h, c };
}

/**
 * The fused layer's forward on nd operators: `[output, hn, cn]` with output in the input's
 * layout, hn (L*D, N, P or H) and cn (L*D, N, H) for LSTM (null otherwise). `weights` holds, per
 * (layer, direction) in the order layer*D + dir, [i2h_w, h2h_w, i2h_b, h2h_b, h2r_w?].
 */
export function fusedForwardOps(
  spec: FusedRnnSpec,
  weights: readonly (readonly NDArray[])[],
  a: OpsForwardArgs,
): { out: NDArray; hn: NDArray; cn: NDArray | null } {
  if (spec.clip?.nan)
    throw new NotImplementedError('LSTM: stateClipNan is not supported under autograd.record() (no backward)');
  const D = spec.bidirectional ? 2 : 1;
  let x = a.layout === 'NTC' ? nd.swapaxes(a.inputs, 0, 1) : a.inputs;
  const N = x.shape[1] as number;
  const hOut = spec.projection ?? spec.hidden;
  const zerosH = nd.zeros([N, hOut]);
  const zerosC = nd.zeros([N, spec.hidden]);
  const hState =
    a.states[0] === undefined ? null : nd.split(a.states[0], spec.numLayers * D, { axis: 0, squeezeAxis: true });
  const cState =
    spec.mode !== 'lstm' || a.states[1] === undefined
      ? null
      : nd.split(a.states[1], spec.numLayers * D, { axis: 0, squeezeAxis: true });
  const hn: NDArray[] = [];
  const cn: NDArray[] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    if (l > 0 && a.dropout > 0) x = nd.Dropout(x, a.dropout);
    const outs: NDArray[] = [];
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const h0 = hState === null ? zerosH : (hState[k] as NDArray);
      const c0 = spec.mode !== 'lstm' ? null : cState === null ? zerosC : (cState[k] as NDArray);
      const r = runDirection(spec, x, weights[k] as NDArray[], h0, c0, a.sequenceLength, d === 1);
      outs.push(r.out);
      hn.push(r.h);
      if (r.c !== null) cn.push(r.c);
    }
    x = D === 1 ? (outs[0] as NDArray) : nd.concat(outs, { dim: 2 });
  }
  return {
    out: a.layout === 'NTC' ? nd.swapaxes(x, 0, 1) : x,
    hn: nd.stack(hn, { axis: 0 }),
    cn: cn.length === 0 ? null : nd.stack(cn, { axis: 0 }),
  };
}
