// The fused layers under autograd.record() record one node whose backward is the wasm BPTT
// (ts/gluon/rnn/rnn_layer_train.ts, crates/kernels/src/rnn/bptt.rs). Its outputs and every
// gradient (input, begin states, each Parameter) must equal those of the differentiable-op path
// (ts/gluon/rnn/rnn_layer_ops.ts, itself checked against MXNet's gradients and finite
// differences) over a configuration table; inter-layer dropout must draw the same masks from
// mx.random; two forwards of one layer in one recording must both differentiate correctly.

import { beforeAll, describe, expect, it } from 'vitest';
import type { FusedRnnSpec } from '../../ts/backend/rnn.js';
import { fusedForwardOps } from '../../ts/gluon/rnn/rnn_layer_ops.js';
import mx, { autograd, gluon, init, nd, ready } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { lcgArray } from '../helpers/fd_check.js';

beforeAll(async () => {
  await ready();
});

const { rnn } = gluon;
type Layer = InstanceType<typeof rnn.LSTM> | InstanceType<typeof rnn.GRU> | InstanceType<typeof rnn.RNN>;

interface Config {
  name: string;
  spec: FusedRnnSpec;
  layout: 'TNC' | 'NTC';
  states: boolean;
  useLength: boolean;
  dropout?: number;
}

const base = { numLayers: 1, bidirectional: false, inputSize: 4, projection: null, clip: null } as const;
const CONFIGS: Config[] = [
  { name: 'LSTM', spec: { ...base, mode: 'lstm', hidden: 5 }, layout: 'TNC', states: false, useLength: false },
  {
    name: 'LSTM 2 layers bidirectional NTC, begin states',
    spec: { ...base, mode: 'lstm', hidden: 6, numLayers: 2, bidirectional: true },
    layout: 'NTC',
    states: true,
    useLength: false,
  },
  {
    name: 'LSTM valid lengths, clipping',
    spec: { ...base, mode: 'lstm', hidden: 5, numLayers: 2, clip: { min: -0.3, max: 0.3, nan: false } },
    layout: 'TNC',
    states: true,
    useLength: true,
  },
  {
    name: 'LSTMP 2 layers bidirectional, valid lengths',
    spec: { ...base, mode: 'lstm', hidden: 7, projection: 3, numLayers: 2, bidirectional: true },
    layout: 'NTC',
    states: true,
    useLength: true,
  },
  {
    name: 'GRU 2 layers bidirectional',
    spec: { ...base, mode: 'gru', hidden: 9, numLayers: 2, bidirectional: true },
    layout: 'TNC',
    states: true,
    useLength: true,
  },
  { name: 'GRU NTC', spec: { ...base, mode: 'gru', hidden: 4 }, layout: 'NTC', states: false, useLength: false },
  {
    name: 'RNN tanh 3 layers',
    spec: { ...base, mode: 'rnn_tanh', hidden: 3, numLayers: 3 },
    layout: 'TNC',
    states: true,
    useLength: false,
  },
  {
    name: 'RNN relu bidirectional, valid lengths',
    spec: { ...base, mode: 'rnn_relu', hidden: 8, bidirectional: true },
    layout: 'NTC',
    states: false,
    useLength: true,
  },
];

function build(c: Config, dropout = 0): Layer {
  const s = c.spec;
  const common = {
    numLayers: s.numLayers,
    bidirectional: s.bidirectional,
    layout: c.layout,
    inputSize: s.inputSize,
    useSequenceLength: c.useLength,
    dropout,
  };
  if (s.mode === 'lstm') {
    return new rnn.LSTM(s.hidden, {
      ...common,
      ...(s.projection === null ? {} : { projectionSize: s.projection }),
      ...(s.clip === null ? {} : { stateClipMin: s.clip.min, stateClipMax: s.clip.max }),
    });
  }
  if (s.mode === 'gru') return new rnn.GRU(s.hidden, common);
  return new rnn.RNN(s.hidden, { ...common, activation: s.mode === 'rnn_relu' ? 'relu' : 'tanh' });
}

/** The layer's parameters per (layer, direction): [i2h_w, h2h_w, i2h_b, h2h_b, h2r_w?]. */
function groups(layer: Layer, spec: FusedRnnSpec): NDArray[][] {
  const params = [...layer.collectParams().entries()];
  const names = ['i2h_weight', 'h2h_weight', 'i2h_bias', 'h2h_bias', ...(spec.projection ? ['h2r_weight'] : [])];
  const out: NDArray[][] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    for (const j of ['l', 'r'].slice(0, spec.bidirectional ? 2 : 1)) {
      out.push(
        names.map((n) => {
          const hit = params.find(([k]) => k.endsWith(`${j}${l}_${n}`));
          if (hit === undefined) throw new Error(`no parameter ${j}${l}_${n}`);
          return hit[1]._live();
        }),
      );
    }
  }
  return out;
}

interface Inputs {
  x: NDArray;
  st: NDArray[];
  len: NDArray | null;
}

function inputs(c: Config): Inputs {
  const [T, N] = [4, 3];
  const s = c.spec;
  const D = s.bidirectional ? 2 : 1;
  const st = c.states
    ? [
        lcgArray([s.numLayers * D, N, s.projection ?? s.hidden], 11),
        ...(s.mode === 'lstm' ? [lcgArray([s.numLayers * D, N, s.hidden], 12)] : []),
      ]
    : [];
  return {
    x: lcgArray(c.layout === 'TNC' ? [T, N, s.inputSize] : [N, T, s.inputSize], 1),
    st,
    len: c.useLength ? nd.array([4, 2, 3]) : null,
  };
}

/** The fused layer's heads: [out, hn, cn?]. */
function fused(layer: Layer, a: Inputs): NDArray[] {
  const st = a.st.length > 0 ? a.st : null;
  const [out, states] = (layer as InstanceType<typeof rnn.LSTM>).forward(a.x, st ?? layer.beginState(3), a.len);
  return [out, ...states];
}

/** The same through the differentiable-op path. */
function ops(layer: Layer, c: Config, a: Inputs, dropout = 0): NDArray[] {
  const r = fusedForwardOps(c.spec, groups(layer, c.spec), {
    inputs: a.x,
    layout: c.layout,
    states: a.st.length > 0 ? a.st : layer.beginState(3),
    sequenceLength: a.len,
    dropout,
  });
  return r.cn === null ? [r.out, r.hn] : [r.out, r.hn, r.cn];
}

/** Runs `f` recorded and differentiates the heads against fixed weights; the results. */
function grads(layer: Layer, a: Inputs, f: () => NDArray[], train = true): Float32Array[] {
  a.x.attachGrad();
  for (const s of a.st) s.attachGrad();
  const heads = autograd.record(f, { trainMode: train });
  autograd.backward(
    heads,
    heads.map((h, i) => lcgArray(h.shape, 100 + i)),
  );
  return [
    ...heads.map((h) => h.data.slice()),
    (a.x.grad as NDArray).data.slice(),
    ...a.st.map((s) => (s.grad as NDArray).data.slice()),
    ...[...layer.collectParams().values()].map((p) => p.grad().data.slice()),
  ];
}

function expectAllClose(got: Float32Array[], want: Float32Array[], tol: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, k) => {
    const w = want[k] as Float32Array;
    expect(g.length, `array ${k}`).toBe(w.length);
    for (let i = 0; i < g.length; i++) {
      const e = Math.abs((g[i] as number) - (w[i] as number)) / Math.max(1, Math.abs(w[i] as number));
      if (!(e <= tol)) expect.fail(`array ${k}[${i}]: fused ${g[i]}, ops ${w[i]}`);
    }
  });
}

describe('fused training node vs the differentiable-op path', () => {
  for (const c of CONFIGS) {
    it(c.name, () => {
      mx.random.seed(3);
      const layer = build(c);
      layer.initialize(new init.Uniform(0.5));
      const a = inputs(c);
      const got = grads(layer, a, () => fused(layer, a));
      const want = grads(layer, a, () => ops(layer, c, a));
      expectAllClose(got, want, 1e-5);
    });
  }

  it('inter-layer dropout draws the same masks from mx.random as nd.Dropout', () => {
    const c = CONFIGS[1] as Config;
    const layer = build(c, 0.4);
    layer.initialize(new init.Uniform(0.5));
    const a = inputs(c);
    mx.random.seed(9);
    const got = grads(layer, a, () => fused(layer, a));
    mx.random.seed(9);
    const want = grads(layer, a, () => ops(layer, c, a, 0.4));
    expectAllClose(got, want, 1e-5);
    // Some units were dropped: the output differs from the one without dropout.
    const plain = grads(layer, a, () => fused(layer, a), false);
    expect(Array.from(plain[0] as Float32Array)).not.toEqual(Array.from(got[0] as Float32Array));
  });

  it('two forwards of one layer in one recording (the first backward recomputes its reserve space)', () => {
    const c = CONFIGS[3] as Config;
    mx.random.seed(4);
    const layer = build(c);
    layer.initialize(new init.Uniform(0.5));
    const a = inputs(c);
    const b = { ...inputs(c), x: lcgArray(a.x.shape as number[], 77) };
    const twice = (f: (x: Inputs) => NDArray[]) => () => {
      const [o1] = f(a) as [NDArray];
      const [o2] = f(b) as [NDArray];
      return [nd.add(o1, nd.mul(o2, 2))];
    };
    const got = grads(
      layer,
      a,
      twice((x) => fused(layer, x)),
    );
    const want = grads(
      layer,
      a,
      twice((x) => ops(layer, c, x)),
    );
    expectAllClose(got, want, 1e-5);
  });
});
