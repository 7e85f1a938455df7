// mx.nd: creation, views, dot (mx.nd.dot N-d rules), concat/stack/split, broadcasting,
// activations, and the sequence operators (test_operator.py check_sequence_reverse arrays,
// sequence_mask / sequence_last NumPy references).

import { beforeAll, describe, expect, it } from 'vitest';
import mx, { ready } from '../../ts/index.js';
import { NDArray } from '../../ts/ndarray/ndarray.js';
import * as random from '../../ts/random.js';

const nd = mx.nd;

beforeAll(async () => {
  await ready();
});

describe('creation and NDArray methods', () => {
  it('array, zeros, ones, full, shape/size/ndim/dtype, toArray', () => {
    const x = nd.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(x.shape).toEqual([2, 3]);
    expect([x.size, x.ndim, x.dtype]).toEqual([6, 2, 'float32']);
    expect(x.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(nd.array(new Float32Array(6), [2, 3]).shape).toEqual([2, 3]);
    expect(Array.from(nd.full([2, 2], 0.5).data)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(nd.ones(3).data)).toEqual([1, 1, 1]);
    expect(nd.zeros({ shape: [2, 1] }).shape).toEqual([2, 1]);
    expect(() => nd.array([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => nd.array([['a']] as never)).toThrow(/expected numbers/);
    expect(() => nd.zeros([2, 3], { dtype: 'float16' } as never)).toThrow(/float32/);
    const c = x.toFloat32Array();
    c[0] = 99;
    expect(x.data[0]).toBe(1);
  });

  it('reshape with 0 and -1 (and -2, -3), transpose, get, slice', () => {
    const x = nd.array(
      Float32Array.from({ length: 24 }, (_v, i) => i),
      [2, 3, 4],
    );
    expect(x.reshape([-1, 4]).shape).toEqual([6, 4]);
    expect(x.reshape([0, -1]).shape).toEqual([2, 12]);
    expect(x.reshape([-3, 0]).shape).toEqual([6, 4]);
    expect(x.reshape([0, -2]).shape).toEqual([2, 3, 4]);
    expect(() => x.reshape([4, -2])).toThrow(/size 48/);
    expect(() => x.reshape([5, -1])).toThrow(/cannot reshape/);
    const t = x.transpose([1, 0, 2]);
    expect(t.shape).toEqual([3, 2, 4]);
    expect(t.get(1).get(1).toArray()).toEqual([16, 17, 18, 19]);
    expect(
      nd
        .array([
          [1, 2],
          [3, 4],
        ])
        .transpose()
        .toArray(),
    ).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(x.get(-1).shape).toEqual([3, 4]);
    expect(nd.array([1, 2, 3]).get(1).toArray()).toEqual([2]);
    expect(x.slice(1, 2).shape).toEqual([1, 3, 4]);
    expect(x.slice([null, 1], [null, 3]).shape).toEqual([2, 2, 4]);
    expect(x.swapaxes(0, 2).shape).toEqual([4, 3, 2]);
    expect(() => x.get(2)).toThrow(/out of bounds/);
  });

  it('random.uniform / normal are seedable', () => {
    random.seed(3);
    const a = nd.random.uniform(-1, 1, [5, 3, 10]);
    random.seed(3);
    const b = nd.random.uniform({ low: -1, high: 1, shape: [5, 3, 10] });
    expect(a.data).toEqual(b.data);
    expect(Array.from(a.data).every((v) => v >= -1 && v < 1)).toBe(true);
    const n = nd.random.normal(2, 0.5, [4000]);
    const mean = Array.from(n.data).reduce((s, v) => s + v, 0) / n.size;
    expect(Math.abs(mean - 2)).toBeLessThan(0.05);
    expect(() => nd.random.uniform(0, 1, [2], { sahpe: 3 } as never)).toThrow(/unknown option 'sahpe'/);
  });
});

describe('kernel outputs', () => {
  // The layers and cells build their outputs with ndarrayOver (ts/ndarray/ndarray.ts), which
  // skips the constructor's checks for the one array it makes.
  it('own their shapes, and the next NDArray is checked again', () => {
    const layer = new mx.gluon.rnn.LSTM(3, { inputSize: 2 });
    const cell = new mx.gluon.rnn.LSTMCell(3, { inputSize: 2 });
    layer.initialize();
    cell.initialize();
    const [out, [h, c]] = layer.forward(nd.ones([4, 1, 2]), layer.beginState(1)) as [NDArray, NDArray[]];
    expect([out.shape, h?.shape, c?.shape]).toEqual([
      [4, 1, 3],
      [1, 1, 3],
      [1, 1, 3],
    ]);
    (h as NDArray).shape[0] = 7; // a caller's edit of one output's shape reaches no other array
    const [, [h2]] = layer.forward(nd.ones([4, 1, 2]), layer.beginState(1)) as [NDArray, NDArray[]];
    expect(h2?.shape).toEqual([1, 1, 3]);
    expect(c?.shape).toEqual([1, 1, 3]);
    const [ch, [, cc]] = cell.forward(nd.ones([1, 2]), cell.beginState(1)) as [NDArray, NDArray[]];
    expect(ch.shape).not.toBe(cc?.shape);
    expect(() => new NDArray(new Float32Array(3), [2, 2])).toThrow(/data has 3 elements but shape \(2, 2\) needs 4/);
    expect(() => new NDArray(new Float32Array(2), [2, 1.5])).toThrow(/non-negative integers/);
  });
});

describe('operators', () => {
  it('dot: 2-d, transposes, N-d contraction, 1-d; errors name the shapes', () => {
    const a = nd.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = nd.array([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(nd.dot(a, b).toArray()).toEqual([
      [4, 5],
      [10, 11],
    ]);
    expect(nd.dot(a, a, true, false).toArray()).toEqual([
      [17, 22, 27],
      [22, 29, 36],
      [27, 36, 45],
    ]);
    expect(nd.dot(a, a, { transposeB: true }).toArray()).toEqual([
      [14, 32],
      [32, 77],
    ]);
    const x = nd.ones([2, 3, 4]);
    expect(nd.dot(x, nd.ones([4, 5])).shape).toEqual([2, 3, 5]);
    expect(nd.dot(x, nd.ones([5, 2]), true, true).shape).toEqual([3, 4, 5]);
    expect(nd.dot(nd.array([1, 2, 3]), nd.array([4, 5, 6])).toArray()).toEqual([32]);
    expect(() => nd.dot(a, a)).toThrow(/lhs \(2, 3\).*rhs \(2, 3\)/);
    expect(() => nd.dot(a, 3 as never)).toThrow(/rhs must be an NDArray/);
  });

  it('concat, stack, split', () => {
    const a = nd.array([
      [1, 2],
      [3, 4],
    ]);
    const b = nd.array([
      [5, 6],
      [7, 8],
    ]);
    expect(nd.concat(a, b, { dim: 1 }).toArray()).toEqual([
      [1, 2, 5, 6],
      [3, 4, 7, 8],
    ]);
    expect(nd.concat(a, b).shape).toEqual([2, 4]);
    expect(nd.concat([a, b], { dim: 0 }).shape).toEqual([4, 2]);
    expect(nd.stack([a, b], { axis: 0 }).shape).toEqual([2, 2, 2]);
    expect(nd.stack(a, b, { axis: 2 }).toArray()).toEqual([
      [
        [1, 5],
        [2, 6],
      ],
      [
        [3, 7],
        [4, 8],
      ],
    ]);
    const parts = nd.split(nd.concat(a, b, { dim: 1 }), 2, { axis: 1 });
    expect(parts.map((p) => p.toArray())).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expect(nd.split(a, 2, { axis: 0, squeezeAxis: true }).map((p) => p.shape)).toEqual([[2], [2]]);
    expect(() => nd.split(a, 3, { axis: 1 })).toThrow(/evenly divide/);
    // an empty axis divides into any number of parts, up to a bound on the arrays returned
    expect(nd.split(nd.zeros([0, 3]), 1000, { axis: 0 }).map((p) => p.shape)).toEqual(Array(1000).fill([0, 3]));
    expect(() => nd.split(nd.zeros([0, 3]), 2 ** 40, { axis: 0 })).toThrow(
      /^nd\.split: numOutputs 1099511627776 is more than the 1048576 arrays one call returns$/,
    );
    expect(() => nd.concat(a, nd.ones([3, 3]), { dim: 1 })).toThrow(/differ/);
  });

  it('add/sub/mul/div with broadcasting and scalars', () => {
    const a = nd.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(nd.add(a, nd.array([10, 20, 30])).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(nd.sub(a, nd.array([[1], [2]])).toArray()).toEqual([
      [0, 1, 2],
      [2, 3, 4],
    ]);
    expect(nd.mul(2, a).toArray()).toEqual([
      [2, 4, 6],
      [8, 10, 12],
    ]);
    expect(nd.div(a, 2).toArray()).toEqual([
      [0.5, 1, 1.5],
      [2, 2.5, 3],
    ]);
    expect(nd.mul(nd.ones([2, 1, 3]), nd.ones([4, 1])).shape).toEqual([2, 4, 3]);
    expect(() => nd.add(a, nd.ones([4]))).toThrow(
      /could not be broadcast together: lhs has shape \(2, 3\), rhs has shape \(4,\)/,
    );
  });

  it('activations', () => {
    const x = nd.array([-2, 0, 3]);
    const close = (y: { data: Float32Array }, want: number[]) =>
      want.forEach((w, i) => {
        expect(y.data[i]).toBeCloseTo(w, 6);
      });
    close(nd.relu(x), [0, 0, 3]);
    close(nd.sigmoid(x), [1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-3))]);
    close(nd.tanh(x), [Math.tanh(-2), 0, Math.tanh(3)]);
    close(nd.softrelu(x), [Math.log1p(Math.exp(-2)), Math.log(2), Math.log1p(Math.exp(3))]);
    close(nd.softsign(x), [-2 / 3, 0, 0.75]);
    close(nd.Activation(x, { actType: 'relu' }), [0, 0, 3]);
    expect(() => nd.Activation(x, 'gelu' as never)).toThrow(/actType must be one of/);
  });
});

describe('sequence operators', () => {
  const arr = () =>
    nd.array([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [7, 8, 9],
        [10, 11, 12],
      ],
      [
        [13, 14, 15],
        [16, 17, 18],
      ],
    ]);
  it('SequenceReverse: check_sequence_reverse arrays (padding stays in place)', () => {
    const arr1 = [
      [
        [13, 14, 15],
        [16, 17, 18],
      ],
      [
        [7, 8, 9],
        [10, 11, 12],
      ],
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ];
    expect(nd.SequenceReverse(arr()).toArray()).toEqual(arr1);
    expect(nd.SequenceReverse(arr(), nd.array([3, 3]), true).toArray()).toEqual(arr1);
    expect(nd.SequenceReverse(arr(), nd.array([2, 2]), true).toArray()).toEqual([
      [
        [7, 8, 9],
        [10, 11, 12],
      ],
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [13, 14, 15],
        [16, 17, 18],
      ],
    ]);
    expect(nd.SequenceReverse(arr(), nd.array([2, 3]), true).toArray()).toEqual([
      [
        [7, 8, 9],
        [16, 17, 18],
      ],
      [
        [1, 2, 3],
        [10, 11, 12],
      ],
      [
        [13, 14, 15],
        [4, 5, 6],
      ],
    ]);
    const r = nd.SequenceReverse(
      nd.array([
        [7, 8, 9],
        [16, 17, 5.4],
      ]),
      nd.array([1, 2, 2]),
      true,
    );
    r.data.forEach((v, i) => {
      expect(v).toBeCloseTo(([7, 17, 5.4, 16, 8, 9] as number[])[i] as number, 5);
    });
  });

  it('SequenceMask and SequenceLast (axis 0 and 1)', () => {
    expect(nd.SequenceMask(arr(), nd.array([1, 2]), true, -1).toArray()).toEqual([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [-1, -1, -1],
        [10, 11, 12],
      ],
      [
        [-1, -1, -1],
        [-1, -1, -1],
      ],
    ]);
    expect(nd.SequenceMask(arr(), nd.array([1, 2]), false).toArray()).toEqual(arr().toArray());
    expect(
      nd
        .SequenceMask(arr(), nd.array([1, 2, 3]), { useSequenceLength: true, axis: 1, value: 0.5 })
        .get(0)
        .toArray(),
    ).toEqual([
      [1, 2, 3],
      [0.5, 0.5, 0.5],
    ]);
    expect(nd.SequenceLast(arr()).toArray()).toEqual([
      [13, 14, 15],
      [16, 17, 18],
    ]);
    expect(nd.SequenceLast(arr(), nd.array([1, 2]), true).toArray()).toEqual([
      [1, 2, 3],
      [10, 11, 12],
    ]);
    expect(nd.SequenceLast(arr(), nd.array([2, 1, 2]), true, 1).toArray()).toEqual([
      [4, 5, 6],
      [7, 8, 9],
      [16, 17, 18],
    ]);
    expect(() => nd.SequenceLast(arr(), nd.array([0, 1]), true)).toThrow(/must be in \[1, 3\]/);
    expect(() => nd.SequenceReverse(arr(), nd.array([1, 2]), true, 1)).toThrow(/axis must be 0/);
  });
});

describe('memory', () => {
  it('many forward calls without any release run in bounded memory', () => {
    const layer = new mx.gluon.rnn.LSTM(16, { inputSize: 8 });
    layer.initialize();
    const x = nd.random.uniform(0, 1, [4, 2, 8]);
    layer.forward(x);
    const before = process.memoryUsage();
    for (let i = 0; i < 20000; i++) layer.forward(x);
    const after = process.memoryUsage();
    expect(after.heapUsed - before.heapUsed).toBeLessThan(64 * 1024 * 1024);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
    layer.dispose();
  });
});
