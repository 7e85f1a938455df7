// Findings 4 and 5 of issue 13: a call that cannot fit in wasm memory is refused with a
// RangeError before anything is copied (no trap, no leak), and the next call works.
// Zero-filled typed arrays are lazily committed by the OS, so multi-GiB inputs cost little here.
import { beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../ts/backend/index.js';
import mx from '../../ts/index.js';

describe('sizes that cannot fit', () => {
  beforeAll(async () => {
    await mx.ready({ threads: 1 });
  });

  it('an array larger than the runtime can allocate is a RangeError naming the call and the shape', () => {
    const shape = [1, 2 ** 27, 128]; // 2^34 floats, 64 GiB
    expect(() => mx.nd.zeros(shape)).toThrow(
      /^nd\.zeros: shape \(1, 134217728, 128\) holds 17179869184 elements \(68719476736 bytes\), more than this runtime can allocate/,
    );
    expect(() => mx.nd.full(shape, 2)).toThrow(/^nd\.full: shape \(1, 134217728, 128\) holds/);
    expect(() => mx.nd.random.uniform(0, 1, shape)).toThrow(/^nd\.random\.uniform: shape \(1, 134217728, 128\) holds/);
    const lstm = new mx.gluon.rnn.LSTM(128, { inputSize: 4 });
    expect(() => lstm.beginState(2 ** 27)).toThrow(RangeError);
    expect(Array.from(mx.nd.zeros([2]).data)).toEqual([0, 0]);
  });

  it('an input of 2^30 floats (4 GiB) is refused before any copy, and nothing leaks (finding 5)', () => {
    const lstm = new mx.gluon.rnn.LSTM(4, { inputSize: 1, layout: 'NTC' });
    lstm.initialize();
    const small = mx.nd.ones([1, 3, 1]);
    const want = Array.from(lstm.forward(small).data);
    const live = backend().heap_live_bytes();
    const big = mx.nd.zeros([1, 2 ** 30, 1]);
    for (let i = 0; i < 30; i++) {
      expect(() => lstm.forward(big)).toThrow(RangeError);
    }
    expect(() => lstm.forward(big)).toThrow(/forward: one buffer of \d+\.0 MiB is more than the 2048\.0 MiB/);
    expect(backend().heap_live_bytes()).toBe(live);
    expect(Array.from(lstm.forward(small).data)).toEqual(want);
  });

  it('outputs larger than wasm memory can hold are refused with what they need and what is free (finding 4)', () => {
    // 2^27 steps x 16 units: a 1 GiB-element output (8 GiB) from a 512 MiB input.
    const lstm = new mx.gluon.rnn.LSTM(16, { inputSize: 1 });
    lstm.initialize();
    expect(() => lstm.forward(mx.nd.zeros([2 ** 27, 1, 1]))).toThrow(/forward: one buffer of 8704\.0 MiB/);
    // A call's inputs and outputs share one staging buffer: x 1.6 GiB, h0 and c0 0.6 GiB
    // each, and 1.9 GiB of output, hn and cn
    const N = 2 ** 20;
    const big = new mx.gluon.rnn.LSTM(160, { inputSize: 400 });
    big.initialize();
    const states = [mx.nd.zeros([1, N, 160]), mx.nd.zeros([1, N, 160])];
    expect(() => big.forward(mx.nd.zeros([1, N, 400]), states)).toThrow(/forward: one buffer of 4800\.0 MiB/);
    const [out] = big.forward(mx.nd.ones([1, 2, 400]), [mx.nd.zeros([1, 2, 160]), mx.nd.zeros([1, 2, 160])]);
    expect(out.shape).toEqual([1, 2, 160]);
  });

  it("the issue's case: LSTM(256), input 16, N = 64, T = 31,000 is refused, then the layer works", () => {
    const lstm = new mx.gluon.rnn.LSTM(256, { inputSize: 16 });
    lstm.initialize();
    expect(() => lstm.forward(mx.nd.zeros([31_000, 64, 16]))).toThrow(RangeError);
    expect(lstm.forward(mx.nd.ones([3, 64, 16])).shape).toEqual([3, 64, 256]);
  });

  it('an output sized by a parameter or by broadcasting, too large to allocate, is a RangeError naming the call and the shape', () => {
    const { nd } = mx;
    const big = 2 ** 40;
    const cases: [() => unknown, string][] = [
      [() => nd.one_hot(nd.array([1, 2]), big), 'nd.one_hot: shape (2, 1099511627776)'],
      [() => nd.tile(nd.ones([2, 3]), [2 ** 20, 2 ** 20]), 'nd.tile: shape (2097152, 3145728)'],
      [() => nd.repeat(nd.ones([2, 3]), big), 'nd.repeat: shape (6597069766656,)'],
      [() => nd.arange(0, big), 'nd.arange: shape (1099511627776,)'],
      [
        () => nd.broadcast_add(nd.zeros([2 ** 20, 1]), nd.zeros([1, 2 ** 20])),
        'nd.broadcast_add: shape (1048576, 1048576)',
      ],
      [
        () => nd.batch_dot(nd.zeros([1, 2 ** 20, 1]), nd.zeros([1, 1, 2 ** 20])),
        'nd.batch_dot: shape (1, 1048576, 1048576)',
      ],
      [() => nd.Embedding(nd.zeros([2 ** 20]), nd.zeros([2, 2 ** 20])), 'nd.Embedding: shape (1048576, 1048576)'],
      [() => nd.random.multinomial(nd.array([[0.5, 0.5]]), [big]), 'nd.random.multinomial: shape (1, 1099511627776)'],
    ];
    for (const [call, start] of cases) {
      expect(call).toThrow(RangeError);
      expect(call).toThrow(
        new RegExp(
          `^${start.replace(/[().]/g, '\\$&')} holds \\d+ elements \\(\\d+ bytes\\), more than this runtime can allocate`,
        ),
      );
    }
    expect(Array.from(nd.one_hot(nd.array([1]), 3).data)).toEqual([0, 1, 0]);
    expect(() => nd.arange(0, Number.POSITIVE_INFINITY)).toThrow(/^nd\.arange: stop must be finite, got Infinity$/);
    expect(() => nd.arange(Number.NaN)).toThrow(/^nd\.arange: start must be a number, got NaN$/);
    expect(() => nd.arange(0, 4, Number.NEGATIVE_INFINITY)).toThrow(/^nd\.arange: step must be finite/);
    expect(Array.from(nd.arange(0, 4, 2).data)).toEqual([0, 2]);
  });

  it('a matrix product too large for wasm memory is refused (nd.dot)', () => {
    const a = mx.nd.zeros([2 ** 15, 2 ** 15]); // 4 GiB
    expect(() => mx.nd.dot(a, mx.nd.zeros([2 ** 15, 1]))).toThrow(/dot: one buffer of 4096\.0 MiB/);
    expect(mx.nd.dot(mx.nd.ones([2, 3]), mx.nd.ones([3, 2])).toArray()).toEqual([
      [3, 3],
      [3, 3],
    ]);
  });
});
