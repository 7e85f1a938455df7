// The fused layers under autograd.record() record one node whose backward is the wasm BPTT
// (ts/gluon/rnn/rnn_layer_train.ts; state_clip_nan alone stays on rnn_layer_ops.ts). For the
// configurations MXNet's CPU build cannot differentiate (LSTM projection, valid lengths,
// state clipping), the recorded forward must equal the fused kernel's forward, and the gradients
// must match central finite differences. Inter-layer dropout acts in training mode only.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../ts/gluon/block.js';
import mx, { autograd, gluon, init, nd, ready } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose } from '../gluon/helpers.js';
import { centralDiffAt, lcgArray } from '../helpers/fd_check.js';

beforeAll(async () => {
  await ready();
});

const { rnn } = gluon;

interface Config {
  name: string;
  build: () => InstanceType<typeof rnn.LSTM> | InstanceType<typeof rnn.GRU> | InstanceType<typeof rnn.RNN>;
  states: number[][];
  useLength: boolean;
}

const CONFIGS: Config[] = [
  {
    name: 'LSTM projection, 2 layers, bidirectional, begin states',
    build: () => new rnn.LSTM(5, { numLayers: 2, bidirectional: true, projectionSize: 3, inputSize: 4 }),
    states: [
      [4, 3, 3],
      [4, 3, 5],
    ],
    useLength: false,
  },
  {
    name: 'LSTM valid lengths, bidirectional, NTC',
    build: () =>
      new rnn.LSTM(5, { numLayers: 2, bidirectional: true, layout: 'NTC', inputSize: 4, useSequenceLength: true }),
    states: [],
    useLength: true,
  },
  {
    name: 'GRU valid lengths, begin states',
    build: () => new rnn.GRU(4, { numLayers: 2, inputSize: 4, useSequenceLength: true }),
    states: [[2, 3, 4]],
    useLength: true,
  },
  {
    name: 'LSTM state clipping',
    build: () => new rnn.LSTM(5, { inputSize: 4, stateClipMin: -0.3, stateClipMax: 0.3 }),
    states: [],
    useLength: false,
  },
];

function run(layer: Block, x: NDArray, st: NDArray[], len: NDArray | null): NDArray[] {
  const l = layer as InstanceType<typeof rnn.LSTM>;
  if (st.length === 0 && len === null) return [l.forward(x)];
  const [out, states] = len === null ? l.forward(x, st) : l.forward(x, st.length ? st : l.beginState(3), len);
  return [out, ...states];
}

describe('fused layers under record(): forward equals the kernel, gradients equal finite differences', () => {
  for (const cfg of CONFIGS) {
    it(cfg.name, () => {
      mx.random.seed(5); // deterministic weights: no finite-difference probe straddles a clip boundary
      const layer = cfg.build();
      layer.initialize(new init.Uniform(0.5));
      const ntc = layer.toString().includes('NTC');
      const x = lcgArray(ntc ? [3, 4, 4] : [4, 3, 4], 1);
      const st = cfg.states.map((s, i) => lcgArray(s, 10 + i));
      const len = cfg.useLength ? nd.array([4, 2, 3]) : null;
      const plain = run(layer, x, st, len);
      x.attachGrad();
      for (const s of st) s.attachGrad();
      const heads = autograd.record(() => run(layer, x, st, len));
      heads.forEach((h, i) => {
        expectClose(
          h,
          { shape: (plain[i] as NDArray).shape, data: Array.from((plain[i] as NDArray).data) },
          1e-5,
          `head ${i}`,
        );
      });
      const weights = heads.map((h, i) => lcgArray(h.shape, 100 + i));
      autograd.backward(heads, weights);
      // The probes write into the live weights: touching them makes the kernel re-pack.
      const loss = (): number => {
        for (const p of layer.collectParams().values()) p._touched();
        return run(layer, x, st, len).reduce((acc, h, i) => {
          let s = acc;
          const w = (weights[i] as NDArray).data;
          for (let k = 0; k < h.size; k++) s += (h.data[k] as number) * (w[k] as number);
          return s;
        }, 0);
      };
      const targets: [string, NDArray, NDArray][] = [
        ['x', x, x.grad as NDArray],
        ...st.map((s, i) => [`state${i}`, s, s.grad as NDArray] as [string, NDArray, NDArray]),
        ...[...layer.collectParams().entries()].map(([k, p]) => [k, p._live(), p.grad()] as [string, NDArray, NDArray]),
      ];
      const eps = 1e-3;
      for (const [what, arr, grad] of targets) {
        for (let probe = 0; probe < 4; probe++) {
          const i = (probe * 7919 + 13) % arr.size;
          const fd = centralDiffAt(arr, i, eps, loss);
          expect(
            Math.abs((grad.data[i] as number) - fd),
            `${what}[${i}]: analytic ${grad.data[i]}, fd ${fd}`,
          ).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
        }
      }
    });
  }
});

describe('inter-layer dropout of the fused layers', () => {
  it('acts in training mode only; predict mode is the fused kernel, bitwise', () => {
    const layer = new rnn.LSTM(6, { numLayers: 2, dropout: 0.5, inputSize: 4 });
    layer.initialize();
    const x = lcgArray([5, 2, 4], 3);
    const a = layer.forward(x);
    const b = layer.forward(x);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const rec = autograd.record(() => layer.forward(x), { trainMode: false });
    expectClose(rec, { shape: a.shape, data: Array.from(a.data) }, 1e-5, 'record without training');
    const t1 = autograd.trainMode(() => layer.forward(x));
    const t2 = autograd.trainMode(() => layer.forward(x));
    expect(Array.from(t1.data)).not.toEqual(Array.from(t2.data));
    expect(Array.from(t1.data)).not.toEqual(Array.from(a.data));
  });
});
