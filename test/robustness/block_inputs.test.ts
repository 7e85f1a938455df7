// Wrong inputs to Gluon blocks throw an Error that names the block and what it got, instead of a
// TypeError from deep inside (found by random calls over every block of mx.gluon, session 14),
// and the block works afterwards.
import { beforeAll, describe, expect, it } from 'vitest';
import mx, { ready } from '../../ts/index.js';

beforeAll(async () => {
  await ready({ threads: 1 });
});

describe('Gluon block inputs', () => {
  const { nd } = mx;
  const { nn, rnn } = mx.gluon;

  it('a HybridBlock without any NDArray input says so, as MXNet does', () => {
    const d = new nn.Dense(3);
    d.initialize();
    const call = d.forward as (...a: unknown[]) => unknown;
    expect(() => call.call(d)).toThrow(
      /Dense\.forward: In HybridBlock, there must be one NDArray or one Symbol in the input/,
    );
    expect(() => call.call(d, 5)).toThrow(/Got \(5\)/);
    expect(d.forward(nd.ones([2, 4])).shape).toEqual([2, 3]);
  });

  it('deferred shapes come from an NDArray input with enough dimensions', () => {
    const d = new nn.Dense(3);
    d.initialize();
    const call = d.forward as (...a: unknown[]) => unknown;
    expect(() => call.call(d, [nd.ones([2, 3]), nd.ones([2, 3])])).toThrow(
      /Dense\.forward: the input must be an NDArray, got an array of length 2 \[NDArray, NDArray\]/,
    );
    expect(() => d.forward(nd.array(new Float32Array([1]), []))).toThrow(/at least 1 dimension\(s\).*got shape \(\)/);
    for (const b of [new nn.BatchNorm(), new nn.LayerNorm(), new nn.Conv1D(2, 3)]) {
      b.initialize();
      expect(() => (b.forward as (...a: unknown[]) => unknown).call(b, [nd.ones([2, 3, 4])])).toThrow(
        /forward: the input must be an NDArray, got an array of length 1/,
      );
    }
    expect(d.forward(nd.ones([2, 4])).shape).toEqual([2, 3]);
  });

  it('a built-in layer given more inputs than it takes says how many it takes', () => {
    for (const [b, x] of [
      [new nn.Dense(3), nd.ones([2, 4])],
      [new nn.PReLU(), nd.ones([2, 4])],
      [new nn.LayerNorm(), nd.ones([2, 4])],
    ] as const) {
      b.initialize();
      const call = b.forward as (...a: unknown[]) => unknown;
      expect(() => call.call(b, x, nd.ones([2]))).toThrow(/forward: takes 1 input\(s\), got 2/);
      expect(() => call.call(b, x, null, nd.ones([2]))).toThrow(/takes 1 input\(s\), got 3/);
      expect((b.forward(x) as { shape: number[] }).shape).toEqual([2, b instanceof nn.Dense ? 3 : 4]);
    }
  });

  it('modifier cells name what they got instead of a cell', () => {
    const make = [
      (c: unknown) => new rnn.ResidualCell(c as never),
      (c: unknown) => new rnn.ZoneoutCell(c as never),
      (c: unknown) => new rnn.BidirectionalCell(c as never, c as never),
    ];
    expect(() => make[0]?.(null)).toThrow(/^ResidualCell\(baseCell\): expected a recurrent cell, got null/);
    for (const f of make) {
      expect(() => f(null)).toThrow(/expected a recurrent cell, got null/);
      expect(() => f(undefined)).toThrow(/expected a recurrent cell, got undefined/);
      expect(() => f(new nn.Dense(2))).toThrow(/expected a recurrent cell, got Dense/);
    }
  });

  it('Dropout and DropoutCell take axes as an array', () => {
    expect(() => new nn.Dropout(0.5, 1 as never)).toThrow(/nn\.Dropout: axes must be an array of integer axes, got 1/);
    expect(() => new rnn.DropoutCell(0.5, [0.5] as never)).toThrow(/DropoutCell: axes must be an array/);
    expect(String(new nn.Dropout(0.5, [1]))).toBe('Dropout(p = 0.5, axes=(1,))');
  });

  it('a RecurrentStream needs a recurrent layer or cell', () => {
    const S = rnn.RecurrentStream as unknown as new (...a: unknown[]) => unknown;
    expect(() => new S()).toThrow(/RecurrentStream: expected a recurrent layer or cell .* got undefined/);
    expect(() => new S('NTC')).toThrow(/got "NTC"/);
  });
});
