// Operator gradients against MXNet 1.9.1's autograd (fixture mxnet_training/ops.json, written by
// test/fixtures/gen_training_fixtures.py): each case is rebuilt here by name, recorded, and
// differentiated with MXNet's head gradient; output and every gradient within 1e-4 relative.

import { beforeAll, describe, expect, it } from 'vitest';
import { autograd, nd, ready } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, toNd } from '../gluon/helpers.js';
import { trainingFixture } from './training_fixtures.js';

beforeAll(async () => {
  await ready();
});

type In = Record<string, NDArray>;
const I = (i: In, k: string): NDArray => i[k] as NDArray;

const CASES: Record<string, (i: In, moving: { mean: NDArray; var: NDArray } | null) => NDArray> = {
  broadcast_add: (i) => nd.broadcast_add(I(i, 'a'), I(i, 'b')),
  broadcast_sub: (i) => nd.broadcast_sub(I(i, 'a'), I(i, 'b')),
  broadcast_mul: (i) => nd.broadcast_mul(I(i, 'a'), I(i, 'b')),
  broadcast_div: (i) => nd.broadcast_div(I(i, 'a'), nd.add(I(i, 'b'), 2)),
  elemwise_arith: (i) => {
    const [a, b] = [I(i, 'a'), I(i, 'b')];
    const t = nd.sub(nd.mul(nd.add(a, b), a), nd.div(b, nd.add(nd.mul(a, a), 1)));
    return nd.add(nd.sub(t, nd.mul(2, a)), nd.div(1, nd.add(b, 3)));
  },
  dot: (i) => nd.dot(I(i, 'a'), I(i, 'b')),
  dot_ta: (i) => nd.dot(I(i, 'a'), I(i, 'b'), { transposeA: true }),
  dot_tb: (i) => nd.dot(I(i, 'a'), I(i, 'b'), { transposeB: true }),
  dot_tab: (i) => nd.dot(I(i, 'a'), I(i, 'b'), true, true),
  batch_dot: (i) => nd.batch_dot(I(i, 'a'), I(i, 'b'), { transposeB: true }),
  fully_connected: (i) => nd.FullyConnected(I(i, 'x'), I(i, 'w'), I(i, 'b'), 5),
  fully_connected_noflatten: (i) =>
    nd.FullyConnected(I(i, 'x'), I(i, 'w'), I(i, 'b'), { numHidden: 5, flatten: false }),
  embedding: (i) => nd.Embedding(I(i, 'd'), I(i, 'w'), 6, 4),
  activation_relu: (i) => nd.Activation(I(i, 'x'), 'relu'),
  activation_sigmoid: (i) => nd.Activation(I(i, 'x'), 'sigmoid'),
  activation_tanh: (i) => nd.Activation(I(i, 'x'), 'tanh'),
  activation_softrelu: (i) => nd.Activation(I(i, 'x'), 'softrelu'),
  activation_softsign: (i) => nd.Activation(I(i, 'x'), 'softsign'),
  softmax: (i) => nd.softmax(I(i, 'x'), { axis: -1 }),
  softmax_axis1_temp: (i) => nd.softmax(I(i, 'x'), { axis: 1, temperature: 2 }),
  log_softmax: (i) => nd.log_softmax(I(i, 'x'), { axis: -1 }),
  log_softmax_axis0: (i) => nd.log_softmax(I(i, 'x'), { axis: 0 }),
  sum_axis1: (i) => nd.sum(I(i, 'x'), { axis: 1 }),
  sum_all: (i) => nd.sum(I(i, 'x')),
  mean_exclude: (i) => nd.mean(I(i, 'x'), { axis: 0, exclude: true }),
  mean_keepdims: (i) => nd.mean(I(i, 'x'), { axis: [0, 2], keepdims: true }),
  max_axis2: (i) => nd.max(I(i, 'x'), { axis: 2 }),
  reshape: (i) => nd.mul(nd.reshape(I(i, 'x'), { shape: [0, -1] }), 2),
  transpose: (i) => nd.transpose(I(i, 'x'), { axes: [2, 0, 1] }),
  slice: (i) => nd.slice(I(i, 'x'), { begin: [null, 1], end: [null, 3] }),
  slice_step: (i) => nd.slice(I(i, 'x'), [1, null, 3], [null, null, 0], [1, 2, -2]),
  slice_axis: (i) => nd.slice_axis(I(i, 'x'), { axis: 2, begin: 1, end: 3 }),
  concat: (i) => nd.concat(I(i, 'a'), I(i, 'b'), { dim: 2 }),
  stack: (i) => nd.stack([I(i, 'a'), I(i, 'b')], { axis: 1 }),
  split: (i) => {
    const p = nd.split(I(i, 'x'), 2, { axis: 2 });
    return nd.mul(p[1] as NDArray, p[0] as NDArray);
  },
  split_squeeze: (i) => nd.split(I(i, 'x'), 3, { axis: 1, squeezeAxis: true })[2] as NDArray,
  expand_dims: (i) => nd.mul(nd.expand_dims(I(i, 'x'), 1), 3),
  exp: (i) => nd.exp(I(i, 'x')),
  log: (i) => nd.log(I(i, 'x')),
  square: (i) => nd.square(I(i, 'x')),
  sqrt: (i) => nd.sqrt(I(i, 'x')),
  abs: (i) => nd.abs(I(i, 'x')),
  clip: (i) => nd.clip(I(i, 'x'), -0.5, 0.5),
  layer_norm: (i) => nd.LayerNorm(I(i, 'x'), I(i, 'g'), I(i, 'b'), { axis: -1, eps: 1e-5 }),
  layer_norm_axis1: (i) => nd.LayerNorm(I(i, 'x'), I(i, 'g'), I(i, 'b'), { axis: 1 }),
  batch_norm_train: (i, m) =>
    nd.BatchNorm(I(i, 'x'), I(i, 'g'), I(i, 'b'), m?.mean as NDArray, m?.var as NDArray, {
      eps: 1e-3,
      momentum: 0.9,
      fixGamma: false,
    }),
  batch_norm_train_fixgamma: (i, m) =>
    nd.BatchNorm(I(i, 'x'), I(i, 'g'), I(i, 'b'), m?.mean as NDArray, m?.var as NDArray, {
      eps: 1e-3,
      momentum: 0.9,
      fixGamma: true,
    }),
  sequence_mask: (i) => nd.SequenceMask(I(i, 'x'), I(i, 'l'), true, -1),
  sequence_last: (i) => nd.SequenceLast(I(i, 'x'), I(i, 'l'), true),
  sequence_last_axis1: (i) => nd.SequenceLast(I(i, 'x'), I(i, 'l'), true, 1),
  pick: (i) => nd.pick(I(i, 'x'), I(i, 'i'), { axis: -1 }),
  where: (i) => nd.where(I(i, 'c'), I(i, 'x'), I(i, 'y')),
  where_rows: (i) => nd.where(I(i, 'c'), I(i, 'x'), I(i, 'y')),
};

describe('operator gradients vs MXNet 1.9.1 (mxnet_training/ops.json)', () => {
  const f = trainingFixture('ops');
  it('covers every case of the fixture', () => {
    expect(new Set(f.cases.map((c) => c.name))).toEqual(new Set(Object.keys(CASES)));
  });
  for (const c of f.cases) {
    it(c.name, () => {
      const build = CASES[c.name];
      if (build === undefined) throw new Error(`no builder for ${c.name}`);
      const inputs: In = {};
      for (const [k, t] of Object.entries(c.inputs)) inputs[k] = toNd(t);
      for (const k of Object.keys(c.grads ?? {})) I(inputs, k).attachGrad();
      const mv = c.moving_in as { mean: { shape: number[]; data: number[] }; var: { shape: number[]; data: number[] } };
      const moving = mv === undefined ? null : { mean: toNd(mv.mean), var: toNd(mv.var) };
      const y = autograd.record(() => build(inputs, moving));
      expectClose(y, c.output as never, 1e-4, `${c.name} output`);
      y.backward(toNd(c.head_grad as never));
      for (const [k, g] of Object.entries(c.grads ?? {})) {
        expectClose(I(inputs, k).grad as NDArray, g, 1e-4, `${c.name} grad ${k}`);
      }
      if (moving !== null) {
        const mo = c.moving_out as { mean: never; var: never };
        expectClose(moving.mean, mo.mean, 1e-4, 'moving mean');
        expectClose(moving.var, mo.var, 1e-4, 'moving var');
      }
    });
  }
});
