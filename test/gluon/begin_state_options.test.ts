// beginState's keyword options (issue 12's porting friction): a misspelt key names itself and
// the known keys (`batchSize`, `func`, nd.zeros's `ctx` and `dtype`) instead of surfacing as an
// unknown nd.zeros option; keys for a `func` of one's own are still passed on to it.

import { beforeAll, describe, expect, it } from 'vitest';
import mx, { ready } from '../../ts/index.js';

const { nd, gluon } = mx;

beforeAll(async () => {
  await ready();
});

describe('beginState options', () => {
  const cells = () => [
    new gluon.rnn.LSTMCell(4, { inputSize: 3 }),
    new gluon.rnn.GRU(4),
    new gluon.rnn.ZoneoutCell(new gluon.rnn.GRUCell(4)),
    (() => {
      const s = new gluon.rnn.SequentialRNNCell();
      s.add(new gluon.rnn.RNNCell(4));
      return s;
    })(),
  ];

  it('a snake_case key names itself and the camelCase key', () => {
    for (const c of cells()) {
      expect(() => c.beginState({ batch_size: 32 } as never)).toThrow(
        /beginState: unknown option 'batch_size' \(did you mean 'batchSize'\?\); expected one of: batchSize, func, ctx, dtype/,
      );
    }
  });

  it('an unknown key with the default func names the known keys', () => {
    const c = new gluon.rnn.LSTMCell(4);
    expect(() => c.beginState(2, { batchsize: 2 } as never)).toThrow(
      "LSTMCell.beginState: unknown option 'batchsize'; expected one of: batchSize, func, ctx, dtype (ctx and dtype go to nd.zeros, the default func)",
    );
    expect(() => c.beginState(2, { shape: [2, 4] } as never)).toThrow(/unknown option 'shape'/);
  });

  it('the options of nd.zeros and of a func of one own still reach it', () => {
    const c = new gluon.rnn.LSTMCell(4);
    const z = c.beginState({ batchSize: 2, dtype: 'float32', ctx: 'cpu(0)' });
    expect(z.map((s) => s.shape)).toEqual([
      [2, 4],
      [2, 4],
    ]);
    const u = c.beginState(2, { func: nd.random.uniform, low: 5, high: 6 });
    expect(u.every((s) => s.data.every((v) => v >= 5 && v < 6))).toBe(true);
    const u2 = c.beginState(2, nd.random.uniform, { low: -3, high: -2 });
    expect(u2.every((s) => s.data.every((v) => v >= -3 && v < -2))).toBe(true);
    expect(() => c.beginState(2, { func: nd.random.uniform, loww: 5 })).toThrow(
      /nd\.random\.uniform: unknown option 'loww'/,
    );
    expect(() => c.beginState(2, { func: nd.ones, batch_size: 3 })).toThrow(
      /unknown option 'batch_size' \(did you mean 'batchSize'\?\); expected one of: batchSize, func, or options of func/,
    );
  });
});
