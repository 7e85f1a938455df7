// Finding 1 of issue 13: zero sizes on any axis, in any layout, give an empty result (never a
// trap), and the layer works afterwards. A TNC call with T = 0 was the reference that worked.
import { beforeAll, describe, expect, it } from 'vitest';
import mx from '../../ts/index.js';

const LAYERS = [
  ['RNN', (o: object) => new mx.gluon.rnn.RNN(8, o)],
  ['LSTM', (o: object) => new mx.gluon.rnn.LSTM(8, o)],
  ['GRU', (o: object) => new mx.gluon.rnn.GRU(8, o)],
] as const;

describe('zero sizes', () => {
  beforeAll(async () => {
    await mx.ready();
  });

  for (const [name, make] of LAYERS) {
    it(`${name}: NTC and TNC with T = 0 or N = 0, 1 and 2 layers, both directions, then a normal call`, () => {
      for (const numLayers of [1, 2]) {
        for (const bidirectional of [false, true]) {
          const ntc = make({ inputSize: 4, layout: 'NTC', numLayers, bidirectional });
          const tnc = make({ inputSize: 4, layout: 'TNC', numLayers, bidirectional });
          ntc.initialize();
          tnc.initialize();
          const dst = [...tnc.collectParams().values()];
          for (const [i, p] of [...ntc.collectParams().values()].entries()) dst[i]!.setData(p.data());
          const D = bidirectional ? 2 : 1;
          for (const [N, T] of [
            [3, 0],
            [0, 5],
            [0, 1],
            [0, 0],
          ] as const) {
            const a = ntc.forward(mx.nd.zeros([N, T, 4]));
            expect(a.shape).toEqual([N, T, 8 * D]);
            const b = tnc.forward(mx.nd.zeros([T, N, 4]));
            expect(b.shape).toEqual([T, N, 8 * D]);
          }
          // the next call works and both layouts agree
          const x = mx.nd.random.uniform(-1, 1, [3, 5, 4]);
          const y = ntc.forward(x);
          const z = tnc.forward(x.swapaxes(0, 1));
          expect(Array.from(y.swapaxes(0, 1).data)).toEqual(Array.from(z.data));
        }
      }
    });
  }

  it('T = 0 with begin states returns the begin states as final states (NTC and TNC)', () => {
    for (const layout of ['NTC', 'TNC'] as const) {
      const lstm = new mx.gluon.rnn.LSTM(8, { inputSize: 4, layout });
      lstm.initialize();
      const h0 = mx.nd.random.uniform(-1, 1, [1, 3, 8]);
      const c0 = mx.nd.random.uniform(-1, 1, [1, 3, 8]);
      const [out, [hn, cn]] = lstm.forward(mx.nd.zeros(layout === 'NTC' ? [3, 0, 4] : [0, 3, 4]), [h0, c0]) as [
        ReturnType<typeof mx.nd.zeros>,
        ReturnType<typeof mx.nd.zeros>[],
      ];
      expect(out.size).toBe(0);
      expect(Array.from(hn!.data)).toEqual(Array.from(h0.data));
      expect(Array.from(cn!.data)).toEqual(Array.from(c0.data));
    }
  });

  it('cells: a batch of 0 steps to empty outputs', () => {
    for (const cell of [
      new mx.gluon.rnn.LSTMCell(8, { inputSize: 4 }),
      new mx.gluon.rnn.GRUCell(8, { inputSize: 4 }),
      new mx.gluon.rnn.RNNCell(8, { inputSize: 4 }),
    ]) {
      cell.initialize();
      const [out] = cell.forward(mx.nd.zeros([0, 4]), cell.beginState(0));
      expect(out.shape).toEqual([0, 8]);
      const [out2] = cell.forward(mx.nd.ones([2, 4]), cell.beginState(2));
      expect(out2.shape).toEqual([2, 8]);
    }
  });
});
