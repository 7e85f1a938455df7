// Operators a graph may hold beyond the exported models' (indexing, slicing, broadcasting,
// ordering, ranges, norms, comparisons, unary math), each alone in a graph that MXNet 1.9.1
// wrote and ran (fixture: test/fixtures/mxnet_symbol/operators.json, written by
// test/fixtures/gen_symbol_fixtures.py `operators()`): this executor reads MXNet's attribute
// strings and computes MXNet's outputs from the same inputs.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SymbolBlock } from '../../ts/gluon/index.js';
import mx, { ready } from '../../ts/index.js';
import { NDArray } from '../../ts/ndarray/ndarray.js';
import { groupToJson, type MxSymbol, withNamePrefix } from '../../ts/symbol/symbol.js';
import { expectClose, type Tensor, toNd } from '../gluon/helpers.js';

beforeAll(async () => {
  await ready({ threads: 1 });
});

interface OperatorCase {
  case: string;
  python: string;
  json: string;
  inputs: { name: string; tensor: Tensor }[];
  outputs: Tensor[];
  /** The gradients of MXNet's backward from `head_grads` (differentiable cases). */
  head_grads?: Tensor[];
  grads?: { name: string; tensor: Tensor }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/mxnet_symbol/operators.json', import.meta.url), 'utf8'),
) as { mxnet: string; cases: OperatorCase[] };

function run(c: OperatorCase): NDArray[] {
  const net = new SymbolBlock(
    c.json,
    c.inputs.map((i) => i.name),
  );
  const r = net.forward(...c.inputs.map((i) => toNd(i.tensor)));
  return r instanceof NDArray ? [r] : r;
}

describe('graph operators against MXNet 1.9.1 (mxnet_symbol/operators.json)', () => {
  it('holds the cases it was written with', () => {
    expect(fixture.mxnet).toBe('1.9.1');
    expect(fixture.cases.length).toBeGreaterThanOrEqual(60);
  });
  for (const c of fixture.cases) {
    it(`${c.case}: ${c.python}`, () => {
      const outs = run(c);
      expect(outs.length, `${c.case}: number of outputs`).toBe(c.outputs.length);
      outs.forEach((o, i) => {
        expectClose(o, c.outputs[i] as Tensor, 1e-5, `${c.case} output ${i}`);
      });
    });
  }
});

describe('graph operators: gradients against MXNet 1.9.1 (mxnet_symbol/operators.json head_grads)', () => {
  for (const c of fixture.cases.filter((k) => k.grads !== undefined)) {
    it(`${c.case}: ${c.python}`, () => {
      const net = new SymbolBlock(
        c.json,
        c.inputs.map((i) => i.name),
      );
      const xs = c.inputs.map((i) => toNd(i.tensor));
      const wrt = new Set((c.grads ?? []).map((g) => g.name));
      c.inputs.forEach((inp, k) => {
        if (wrt.has(inp.name)) (xs[k] as NDArray).attachGrad();
      });
      const outs = mx.autograd.record(() => {
        const r = net.forward(...xs);
        return r instanceof NDArray ? [r] : r;
      });
      mx.autograd.backward(outs, (c.head_grads ?? []).map(toNd));
      for (const g of c.grads ?? []) {
        const x = xs[c.inputs.findIndex((i) => i.name === g.name)] as NDArray;
        expectClose(x.grad as NDArray, g.tensor, 1e-4, `${c.case}: gradient of ${g.name}`);
      }
    });
  }
});

describe('graph operators: refusals', () => {
  const one = (op: string, attrs: Record<string, string>, inputs = 1): string =>
    JSON.stringify({
      nodes: [
        ...Array.from({ length: inputs }, (_, i) => ({ op: 'null', name: `x${i}`, inputs: [] })),
        { op, name: 'n', attrs, inputs: Array.from({ length: inputs }, (_, i) => [i, 0, 0]) },
      ],
      arg_nodes: Array.from({ length: inputs }, (_, i) => i),
      heads: [[inputs, 0, 0]],
    });
  const names = (k: number): string[] => Array.from({ length: k }, (_, i) => `x${i}`);

  it("take mode 'raise' refuses an index out of range and takes the rest", () => {
    const net = new SymbolBlock(one('take', { mode: 'raise' }, 2), names(2));
    const a = mx.nd.array([1, 2, 3], [3]);
    expect(() => net.forward(a, mx.nd.array([0, 3], [2]))).toThrow(/index 3 is out of range \[0, 3\) \(mode 'raise'\)/);
    expect(Array.from((net.forward(a, mx.nd.array([2, 0], [2])) as NDArray).data)).toEqual([3, 1]);
  });

  it('refuses attributes it does not implement, naming them', () => {
    expect(() =>
      new SymbolBlock(one('pick', { axis: 'None' }, 2), names(2)).forward(mx.nd.ones([2]), mx.nd.ones([1])),
    ).toThrow(/axis None is not supported/);
    const inferRange = JSON.stringify({
      nodes: [
        { op: '_arange', name: 'r', attrs: { start: '1', infer_range: 'True' }, inputs: [] },
        { op: 'null', name: 'x0', inputs: [] },
        {
          op: 'broadcast_add',
          name: 'n',
          inputs: [
            [0, 0, 0],
            [1, 0, 0],
          ],
        },
      ],
      arg_nodes: [1],
      heads: [[2, 0, 0]],
    });
    expect(() => new SymbolBlock(inferRange, names(1)).forward(mx.nd.zeros([1]))).toThrow(
      /infer_range = True is not supported/,
    );
    expect(() => new SymbolBlock(one('norm', { ord: '3' }), names(1)).forward(mx.nd.ones([2]))).toThrow(
      /ord must be 1 or 2/,
    );
    expect(() => new SymbolBlock(one('reverse', {}), names(1)).forward(mx.nd.ones([2]))).toThrow(
      /attribute 'axis' is required/,
    );
    expect(() =>
      new SymbolBlock(one('slice', { begin: '(0, x)', end: '(1,)' }), names(1)).forward(mx.nd.ones([2])),
    ).toThrow(/attribute 'begin' must be a tuple of integers or 'None'/);
    expect(() =>
      new SymbolBlock(one('broadcast_to', { shape: '(3, 2)' }), names(1)).forward(mx.nd.ones([2, 2])),
    ).toThrow(/cannot broadcast \(2, 2\) to \(3, 2\)/);
    // Python's `a > b` and `a ** b` on symbols: one shape, no broadcasting
    for (const op of ['_greater', '_power'])
      expect(() => new SymbolBlock(one(op, {}, 2), names(2)).forward(mx.nd.ones([3]), mx.nd.ones([1]))).toThrow(
        new RegExp(`${op}: operands must have one shape, got \\(3,\\) and \\(1,\\)`),
      );
  });
});

describe('mx.sym writes these operators as MXNet 1.9.1 does (mxnet_symbol/operators.json)', () => {
  const { sym } = mx;
  const [a, b, i] = [sym.var('a'), sym.var('b'), sym.var('i')];
  /** The fixture's mx.sym calls in this package's API (the rest use Python's operator syntax). */
  const CALLS: Record<string, () => MxSymbol | MxSymbol[]> = {
    take: () => sym.take(a, i),
    take_axis1_wrap: () => sym.take(a, i, { axis: 1, mode: 'wrap' }),
    pick: () => sym.pick(a, i, { axis: 1 }),
    pick_keepdims_wrap: () => sym.pick(a, i, { axis: 0, keepdims: true, mode: 'wrap' }),
    one_hot: () => sym.one_hot(i, { depth: 4 }),
    one_hot_values: () => sym.one_hot(i, { depth: 5, onValue: 2, offValue: -1 }),
    gather_nd: () => sym.gather_nd(a, i),
    slice: () => sym.slice(a, { begin: [0, 1], end: [null, 3] }),
    slice_step: () => sym.slice(a, { begin: [null, 3], end: [null, null], step: [2, -1] }),
    reverse: () => sym.reverse(a, { axis: 1 }),
    reverse_axes: () => sym.reverse(a, { axis: [0, 2] }),
    tile: () => sym.tile(a, { reps: [2, 1, 3] }),
    repeat_axis: () => sym.repeat(a, { repeats: 2, axis: 1 }),
    repeat_flat: () => sym.repeat(a, { repeats: 3 }),
    broadcast_to: () => sym.broadcast_to(a, { shape: [2, 0, 4] }),
    broadcast_like: () => sym.broadcast_like(a, b),
    broadcast_like_axes: () => sym.broadcast_like(a, b, { lhsAxes: [0], rhsAxes: [1] }),
    broadcast_axis: () => sym.broadcast_axis(a, { axis: [0, 2], size: [2, 3] }),
    reshape_like: () => sym.reshape_like(a, b),
    slice_like: () => sym.slice_like(a, b, { axes: [1] }),
    topk: () => sym.topk(a, { k: 2 }),
    topk_both_ascend: () => sym.topk(a, { axis: 0, k: 2, retTyp: 'both', isAscend: true }),
    topk_value: () => sym.topk(a, { k: 3, retTyp: 'value', axis: null }),
    topk_mask: () => sym.topk(a, { k: 2, retTyp: 'mask' }),
    sort: () => sym.sort(a, { axis: 0, isAscend: false }),
    argsort: () => sym.argsort(a),
    arange: () => sym.broadcast_add(sym.arange(2, { stop: 8, step: 1.5 }), a),
    arange_repeat: () => sym.broadcast_add(sym.arange(5, { repeat: 2 }), a),
    arange_like: () => sym.contrib.arange_like(a, { axis: 1 }),
    arange_like_all: () => sym.contrib.arange_like(a, { start: 1, step: 0.5 }),
    prod: () => sym.prod(a, { axis: 1 }),
    norm: () => sym.norm(a),
    norm_l1_axis: () => sym.norm(a, { ord: 1, axis: 1, keepdims: true }),
    l2_normalization: () => sym.L2Normalization(a),
    l2_normalization_channel: () => sym.L2Normalization(a, { mode: 'channel', eps: 0.5 }),
    div_sqrt_dim: () => sym.contrib.div_sqrt_dim(a),
    power_fn: () => sym.power(a, b),
    power_fn_scalar: () => sym.power(a, 3),
    power_fn_rscalar: () => sym.power(2, a),
    negative: () => sym.negative(a),
    erf: () => sym.erf(a),
    logical_not: () => sym.logical_not(a),
    add_n: () => sym.add_n(a, b, sym.var('c')),
    hard_sigmoid: () => sym.hard_sigmoid(a),
    hard_sigmoid_params: () => sym.hard_sigmoid(a, { alpha: 0.5, beta: 0.25 }),
    smooth_l1: () => sym.smooth_l1(a, { scalar: 1.5 }),
    softmin: () => sym.softmin(a, { axis: 0 }),
    logical_and: () => sym.broadcast_logical_and(a, b),
    logical_or: () => sym.broadcast_logical_or(a, b),
    logical_xor: () => sym.broadcast_logical_xor(a, b),
    ...Object.fromEntries(
      (['reciprocal', 'rsqrt', 'log1p', 'expm1', 'floor', 'ceil', 'round', 'rint', 'trunc', 'fix'] as const).map(
        (f) => [f, () => sym[f](a)],
      ),
    ),
    ...Object.fromEntries((['sin', 'cos', 'log2', 'log10', 'cbrt'] as const).map((f) => [f, () => sym[f](a)])),
  };
  const json = (s: MxSymbol | MxSymbol[]): string => (Array.isArray(s) ? groupToJson(s) : s.toJson());

  it('covers every case written with an mx.sym call', () => {
    const called = fixture.cases.filter((c) => c.python.startsWith('sym.')).map((c) => c.case);
    expect(Object.keys(CALLS).sort()).toEqual(called.sort());
  });
  for (const c of fixture.cases.filter((k) => CALLS[k.case] !== undefined)) {
    it(`${c.case}: ${c.python}`, () => {
      expect(withNamePrefix('', () => json((CALLS[c.case] as () => MxSymbol | MxSymbol[])()))).toBe(c.json);
    });
  }
});
