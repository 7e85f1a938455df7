// mx.nd operators against MXNet 1.9.1: every call recorded in test/fixtures/mxnet_ops/op_*.json
// (gen_operator_fixtures.py) is replayed as a function and, where Python has it, as an NDArray
// method; outputs within 1e-5, errors thrown with the argument/shape MXNet's message names.

import { beforeAll, describe, expect, it } from 'vitest';
import mx, { ready } from '../../ts/index.js';
import { opFixture, opFixtureNames, runCase } from './op_fixtures.js';

beforeAll(async () => {
  await ready();
});

describe('mx.nd operators vs MXNet 1.9.1 (test/fixtures/mxnet_ops)', () => {
  const names = opFixtureNames();
  it('has the fixtures', () => {
    expect(names.length).toBeGreaterThan(50);
  });
  for (const file of names) {
    const f = opFixture(file);
    describe(`op_${file}.json: nd.${f.op}`, () => {
      for (const c of f.cases) {
        it(c.name, () => {
          runCase(f.op, c);
        });
      }
    });
  }
});

describe('options and aliases', () => {
  const nd = mx.nd;
  it('clip takes { aMin, aMax } (it used to ignore them) and positional bounds; unknown keys throw', () => {
    const x = nd.array([-3, -0.5, 0, 2, 9]);
    expect(Array.from(nd.clip(x, { aMin: -1, aMax: 1 }).data)).toEqual([-1, -0.5, 0, 1, 1]);
    expect(Array.from(nd.clip(x, -1, 1).data)).toEqual([-1, -0.5, 0, 1, 1]);
    expect(Array.from(x.clip({ aMin: 0, aMax: 2 }).data)).toEqual([0, 0, 0, 2, 2]);
    expect(() => nd.clip(x, { aMin: -1 } as never)).toThrow(/aMax/);
    expect(() => nd.clip(x, { a_min: -1, a_max: 1 } as never)).toThrow(/unknown option 'a_min'.*aMin/);
  });
  it('unknown option keys throw for the new operators', () => {
    const x = nd.array([[1, 2, 3]]);
    expect(() => nd.softmax(x, { axsi: 0 } as never)).toThrow(/unknown option 'axsi'/);
    expect(() => nd.topk(x, { k: 1, ret_typ: 'both' } as never)).toThrow(/unknown option 'ret_typ'.*retTyp/);
    expect(() => nd.sum(x, { keepDims: true } as never)).toThrow(/unknown option 'keepDims'/);
    expect(() => nd.reshape(x, { shape: [3], revers: true } as never)).toThrow(/unknown option 'revers'/);
  });
  it('MXNet names and the earlier short names are the same operations', () => {
    const a = nd.array([
      [1, 2],
      [3, 4],
    ]);
    const b = nd.array([[2], [4]]);
    expect(nd.subtract(a, b).toArray()).toEqual(nd.sub(a, b).toArray());
    expect(nd.multiply(a, b).toArray()).toEqual(nd.mul(a, b).toArray());
    expect(nd.divide(a, b).toArray()).toEqual(nd.div(a, b).toArray());
    expect(nd.expandDims(a, 1).shape).toEqual(nd.expand_dims(a, { axis: 1 }).shape);
    expect(nd.sliceAxis(a, 1, 1, null).toArray()).toEqual(nd.slice_axis(a, { axis: 1, begin: 1, end: null }).toArray());
    expect(nd.swapaxes(a, { dim1: 0, dim2: 1 }).toArray()).toEqual(a.transpose().toArray());
  });
  it('log_softmax refuses useLength (MXNet 1.9.1 has no length input for it)', () => {
    expect(() => nd.log_softmax(nd.array([[1, 2]]), { useLength: true })).toThrow(/length/);
  });
  it('softmax refuses a length array without useLength, and useLength without one', () => {
    const x = nd.array([[1, 2, 3]]);
    expect(() => nd.softmax(x, nd.array([2]))).toThrow(/useLength/);
    expect(() => nd.softmax(x, { useLength: true })).toThrow(/length/);
  });
});

describe('nd.where (MXNet WhereOpShape: x and y alike; condition alike or a row vector)', () => {
  const { nd } = mx;
  const x = nd.array([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const y = nd.zeros([3, 2]);
  it('a vector condition picks whole rows (the fixture where_rows covers the gradients)', () => {
    expect(nd.where(nd.array([1, 0, 2]), x, y).toArray()).toEqual([
      [1, 2],
      [0, 0],
      [5, 6],
    ]);
  });
  it('names the argument and both shapes when they do not fit', () => {
    expect(() => (nd.where as (...a: unknown[]) => unknown)(x, x)).toThrow(
      /nd\.where: y must be an NDArray, got undefined/,
    );
    expect(() => nd.where(x, x, nd.zeros([2, 3]))).toThrow(
      /x and y must have the same shape, got \(3, 2\) and \(2, 3\)/,
    );
    expect(() => nd.where(nd.zeros([6]), x, y)).toThrow(/condition must have x's shape \(3, 2\) .* got \(6,\)/);
    expect(() => nd.where(nd.zeros([2, 3]), x, y)).toThrow(/condition must have x's shape/);
  });
});

describe('API contract examples (docs/design/api.md, Operators)', () => {
  const nd = mx.nd;
  it('the documented calls run and return what MXNet returns', () => {
    const logits = nd.array([
      [1, 3, 2],
      [0, -1, 4],
    ]);
    expect(nd.softmax(logits, { axis: -1, temperature: 0.8 }).shape).toEqual([2, 3]);
    const [values, indices] = nd.topk(logits, { axis: -1, k: 2, retTyp: 'both', isAscend: false });
    expect(values.toArray()).toEqual([
      [3, 2],
      [4, 0],
    ]);
    expect(indices.toArray()).toEqual([
      [1, 2],
      [2, 0],
    ]);
    const x = nd.ones([2, 3, 4]);
    expect(nd.sum(x, { axis: [0, 2], keepdims: true }).toArray()).toEqual([[[8], [8], [8]]]);
    expect(nd.reshape(x, { shape: [0, -1] }).shape).toEqual([2, 12]);
    expect(logits.softmax({ axis: -1 }).shape).toEqual([2, 3]);
    expect(logits.argmax({ axis: 1 }).toArray()).toEqual([1, 2]);
    expect(logits.logSoftmax().shape).toEqual([2, 3]);
    expect(logits.max().asScalar()).toBe(4);
  });
});

describe('topk over a vocabulary', () => {
  const nd = mx.nd;
  it('k of 32k: the largest values in order, and their indices (fixtures cover the tie order)', () => {
    mx.random.seed(11);
    const x = nd.random.uniform(-4, 4, [2, 32000]);
    const [v, i] = nd.topk(x, { k: 5, retTyp: 'both' });
    const sorted = nd.sort(x, { isAscend: false });
    expect(Array.from(v.data)).toEqual(Array.from(nd.slice_axis(sorted, -1, 0, 5).data));
    const at = Array.from(i.data, (ix, j) => x.data[Math.floor(j / 5) * 32000 + ix] as number);
    expect(at).toEqual(Array.from(v.data));
  });
});

describe('nd.random.multinomial', () => {
  const nd = mx.nd;
  it('is reproducible for a seed and follows the distribution', () => {
    const p = nd.softmax(nd.array([[0, 1, 2, 3]]), { temperature: 0.8 });
    mx.random.seed(7);
    const a = nd.random.multinomial(p, { shape: 2000 });
    mx.random.seed(7);
    const b = nd.random.multinomial(p, { shape: 2000 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(a.shape).toEqual([1, 2000]);
    const counts = [0, 0, 0, 0];
    for (const v of a.data) counts[v] = (counts[v] as number) + 1;
    counts.forEach((c, j) => {
      expect(Math.abs(c / 2000 - (p.data[j] as number))).toBeLessThan(0.04);
    });
  });
  it('never draws a zero-probability category; getProb is the log-probability of each draw', () => {
    const p = nd.array([
      [0.5, 0, 0.5],
      [0, 0.25, 0.75],
    ]);
    mx.random.seed(3);
    const [s, lp] = nd.random.multinomial(p, { shape: [50], getProb: true });
    expect(s.shape).toEqual([2, 50]);
    for (let i = 0; i < 50; i++) {
      expect(s.data[i]).not.toBe(1);
      expect(s.data[50 + i]).not.toBe(0);
      const row = i < 50 ? 0 : 1;
      expect(lp.data[i]).toBeCloseTo(Math.log(p.data[row * 3 + (s.data[i] as number)] as number), 6);
    }
  });
  it('rejects dtype int32 (ids are float32 here) and unknown options', () => {
    const p = nd.array([0.5, 0.5]);
    expect(() => nd.random.multinomial(p, { dtype: 'int32' } as never)).toThrow(/dtype/);
    expect(() => nd.random.multinomial(p, { getprob: true } as never)).toThrow(/unknown option/);
  });
});
