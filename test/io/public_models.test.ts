// Every public MXNet-written file in test/fixtures/public-params loads into the model it came
// from (README there; docs/reference/params-format.md §5), and the model's outputs agree with an
// independent float64 computation (written here, from the arrays in the same file) on a fixed input.
//
//   A. NER BiLSTM-CRF (MXNet ~1.0 Gluon save_params): Embedding(612, 5) -> LSTM(2, bidirectional)
//      -> Dense(7), legacy full-name keys with the model prefix 'bilstm_crf0_' stripped:
//      Block.loadParameters takes the legacy path (restore prefix = the block's prefix).
//   B. relay-bench RNNCell / GRUCell / LSTMCell(128, input_size=128) (MXNet 1.3.1 export, 'arg:'
//      keys with full names): collectParams().load(bytes, { restorePrefix: '' }).

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HybridRecurrentCell } from '../../ts/gluon/rnn/base_cell.js';
import mx, { ready } from '../../ts/index.js';
import { resetNameCounters } from '../../ts/name.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, sameBytes } from '../gluon/helpers.js';
import { publicParams } from './fixtures.js';
import { BiLSTM_CRF } from './models.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

const { rnn } = mx.gluon;

// ------------------------------------------------------------------------------------ float64 reference

type W = Map<string, { shape: number[]; data: Float64Array }>;

function weights(bytes: Uint8Array, strip = ''): W {
  const d = mx.nd.load(bytes) as Record<string, NDArray>;
  return new Map(
    Object.entries(d).map(([k, v]) => [k.replace(strip, ''), { shape: v.shape, data: Float64Array.from(v.data) }]),
  );
}

/** y = W x + b for W (m, n), x (n). */
function affine(w: W, wk: string, bk: string, x: Float64Array): Float64Array {
  const W = w.get(wk)!;
  const b = w.get(bk)!.data;
  const [m, n] = W.shape as [number, number];
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i]!;
    for (let j = 0; j < n; j++) s += W.data[i * n + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** One step of MXNet's cells (gluon/rnn/rnn_cell.py): gates = i2h(x) + h2h(h). */
function cellStep(kind: 'rnn' | 'gru' | 'lstm', w: W, pre: string, x: Float64Array, h: Float64Array, c: Float64Array) {
  const gi = affine(w, `${pre}i2h_weight`, `${pre}i2h_bias`, x);
  const gh = affine(w, `${pre}h2h_weight`, `${pre}h2h_bias`, h);
  const H = h.length;
  const nh = new Float64Array(H);
  const nc = new Float64Array(H);
  for (let k = 0; k < H; k++) {
    if (kind === 'rnn') nh[k] = Math.tanh(gi[k]! + gh[k]!);
    else if (kind === 'gru') {
      // [reset, update, new]: n = tanh(i2h_n + r * h2h_n), h' = (1 - z) n + z h
      const r = sigmoid(gi[k]! + gh[k]!);
      const z = sigmoid(gi[H + k]! + gh[H + k]!);
      const n = Math.tanh(gi[2 * H + k]! + r * gh[2 * H + k]!);
      nh[k] = (1 - z) * n + z * h[k]!;
    } else {
      // [in, forget, transform, out]
      const g = (q: number) => gi[q * H + k]! + gh[q * H + k]!;
      nc[k] = sigmoid(g(1)) * c[k]! + sigmoid(g(0)) * Math.tanh(g(2));
      nh[k] = sigmoid(g(3)) * Math.tanh(nc[k]!);
    }
  }
  return [nh, nc] as const;
}

// ------------------------------------------------------------------------------------ A. NER BiLSTM-CRF

describe('A. NER BiLSTM-CRF (MXNet ~1.0 save_params, legacy full-name keys)', () => {
  it('loads through the legacy path into its model and matches a float64 computation', () => {
    const bytes = publicParams('ner-bilstm-crf-model.params');
    const net = new BiLSTM_CRF();
    expect(net.prefix).toBe('bilstm_crf0_');
    expect([...net.collectParams().keys()]).toEqual([...Object.keys(mx.nd.load(bytes)).map((k) => `bilstm_crf0_${k}`)]);
    net.loadParameters(bytes); // no '.' in any key: ParameterDict.load with restore_prefix 'bilstm_crf0_'
    expect(net.hidden2tag.weight.shape).toEqual([7, 4]); // in_units filled from the file

    const ids = [
      [3, 611, 0],
      [17, 5, 42],
      [250, 600, 1],
      [99, 8, 8],
      [0, 310, 77],
      [12, 13, 14],
    ];
    const [T, N] = [ids.length, 3];
    const y = net.forward(mx.nd.array(ids)) as NDArray;

    const w = weights(bytes);
    const emb = w.get('embedding0_weight')!.data;
    const H = 2;
    const hs = [new Array<Float64Array>(T), new Array<Float64Array>(T)];
    const expected: number[] = [];
    for (let n = 0; n < N; n++) {
      for (const [dir, pre] of [
        [0, 'lstm0_l0_'],
        [1, 'lstm0_r0_'],
      ] as const) {
        let h: Float64Array = new Float64Array(H);
        let c: Float64Array = new Float64Array(H);
        for (let s = 0; s < T; s++) {
          const t = dir === 0 ? s : T - 1 - s;
          const id = ids[t]![n]!;
          [h, c] = cellStep('lstm', w, pre, emb.subarray(id * 5, id * 5 + 5), h, c);
          hs[dir]![t] = h;
        }
      }
      for (let t = 0; t < T; t++) {
        const feat = Float64Array.from([...hs[0]![t]!, ...hs[1]![t]!]);
        const scores = affine(w, 'dense0_weight', 'dense0_bias', feat);
        scores.forEach((v, k) => {
          expected[(t * N + n) * 7 + k] = v;
        });
      }
    }
    expectClose(y, { shape: [T * N, 7], data: expected }, 1e-5, 'NER tag scores');
    // and the file goes back out byte-identical through ParameterDict.save(stripPrefix)
    const again = net.collectParams().save({ stripPrefix: 'bilstm_crf0_' });
    expect(sameBytes(again, bytes)).toBe(true);
  });
});

// ------------------------------------------------------------------------------------ B. relay-bench cells

const CELLS = [
  ['rnn', 'relay-bench-rnn_i128_h128-0001.params', 'rnnmodel0_rnn0_'],
  ['gru', 'relay-bench-gru_i128_h128-0001.params', 'rnnmodel1_gru0_'],
  ['lstm', 'relay-bench-lstm_i128_h128-0001.params', 'rnnmodel2_lstm0_'],
] as const;

describe('B. relay-bench cells (MXNet 1.3.1 export, arg: keys)', () => {
  for (const [kind, file, prefix] of CELLS) {
    it(`${kind}: collectParams().load(bytes, { restorePrefix: '' }) and 4 steps match float64`, () => {
      const bytes = publicParams(file);
      const Ctor = { rnn: rnn.RNNCell, gru: rnn.GRUCell, lstm: rnn.LSTMCell }[kind];
      const cell: HybridRecurrentCell = new Ctor(128, { inputSize: 128, prefix });
      cell.collectParams().load(bytes, { restorePrefix: '', allowMissing: false, ignoreExtra: false });
      // a cell whose prefix differs cannot take the file (MXNet's message)
      expect(() => new Ctor(128, { inputSize: 128, prefix: 'x_' }).collectParams().load(bytes)).toThrow(
        /Parameter 'x_i2h_weight' is missing in file: <bytes>/,
      );

      const N = 2;
      const T = 4;
      const xs = Array.from({ length: T }, () => mx.nd.random.uniform(-1, 1, [N, 128]));
      let states = cell.beginState(N).map((s) => mx.nd.random.uniform(-0.5, 0.5, s.shape));
      const w = weights(bytes, 'arg:');
      const refH = Array.from({ length: N }, (_, n) =>
        Float64Array.from(states[0]!.data.subarray(n * 128, n * 128 + 128)),
      );
      const refC = Array.from({ length: N }, (_, n) =>
        kind === 'lstm' ? Float64Array.from(states[1]!.data.subarray(n * 128, n * 128 + 128)) : new Float64Array(128),
      );
      for (let t = 0; t < T; t++) {
        const [out, next] = cell.forward(xs[t]!, states) as [NDArray, NDArray[]];
        states = next;
        const expected: number[] = [];
        for (let n = 0; n < N; n++) {
          const x = Float64Array.from(xs[t]!.data.subarray(n * 128, n * 128 + 128));
          const [h, c] = cellStep(kind, w, prefix, x, refH[n]!, refC[n]!);
          refH[n] = h;
          refC[n] = c;
          expected.push(...h);
        }
        expectClose(out, { shape: [N, 128], data: expected }, 1e-5, `${kind} step ${t}`);
      }
      // saved back with the exporter's names ('arg:' + full name) the bytes are MXNet's
      const names = Object.keys(mx.nd.load(bytes));
      const back = mx.nd.save(
        new Map(names.map((k) => [k, cell.collectParams().get(k.slice(4)).data()] as [string, NDArray])),
      );
      expect(sameBytes(back, bytes)).toBe(true);
    });
  }
});
