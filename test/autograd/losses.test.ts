// gluon.loss against MXNet 1.9.1 (fixture mxnet_training/losses.json, written by
// test/fixtures/gen_training_fixtures.py): each loss's value and the gradients of pred (and of
// label where it is dense) within 1e-4 relative; label shapes that do not fit throw.

import { beforeAll, describe, expect, it } from 'vitest';
import { autograd, gluon, nd, ready, ValueError } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, toNd } from '../gluon/helpers.js';
import { trainingFixture } from './training_fixtures.js';

beforeAll(async () => {
  await ready();
});

const L = gluon.loss;
type In = Record<string, NDArray>;
const I = (i: In, k: string): NDArray => i[k] as NDArray;

const CASES: Record<string, (i: In) => NDArray> = {
  softmax_ce_sparse: (i) => new L.SoftmaxCrossEntropyLoss().forward(I(i, 'pred'), I(i, 'label')),
  softmax_ce_axis1_sample_weight: (i) =>
    new L.SoftmaxCrossEntropyLoss({ axis: 1 }).forward(I(i, 'pred'), I(i, 'label'), I(i, 'sw')),
  softmax_ce_dense_from_logits_weight: (i) =>
    new L.SoftmaxCrossEntropyLoss({ sparseLabel: false, fromLogits: true, weight: 0.5 }).forward(
      I(i, 'pred'),
      I(i, 'label'),
    ),
  softmax_ce_batch_axis1: (i) => new L.SoftmaxCELoss({ batchAxis: 1 }).forward(I(i, 'pred'), I(i, 'label')),
  l2: (i) => new L.L2Loss().forward(I(i, 'pred'), I(i, 'label')),
  l2_weight_sample_weight: (i) => new L.L2Loss(2).forward(I(i, 'pred'), I(i, 'label'), I(i, 'sw')),
  l1_reshape_label_weight: (i) => new L.L1Loss({ weight: 0.5 }).forward(I(i, 'pred'), I(i, 'label')),
  sigmoid_bce_logits: (i) => new L.SigmoidBinaryCrossEntropyLoss().forward(I(i, 'pred'), I(i, 'label')),
  sigmoid_bce_logits_pos_weight: (i) => new L.SigmoidBCELoss().forward(I(i, 'pred'), I(i, 'label'), null, I(i, 'pw')),
  sigmoid_bce_from_sigmoid: (i) => new L.SigmoidBinaryCrossEntropyLoss(true).forward(I(i, 'pred'), I(i, 'label')),
  sigmoid_bce_from_sigmoid_pos_weight_sample_weight: (i) =>
    new L.SigmoidBinaryCrossEntropyLoss({ fromSigmoid: true, weight: 1.5 }).forward(
      I(i, 'pred'),
      I(i, 'label'),
      I(i, 'sw'),
      I(i, 'pw'),
    ),
  kldiv_from_logits: (i) => new L.KLDivLoss().forward(I(i, 'pred'), I(i, 'label')),
  kldiv_softmax_axis: (i) => new L.KLDivLoss(false, 1).forward(I(i, 'pred'), I(i, 'label')),
  ctc_ntc_padded_labels: (i) => new L.CTCLoss().forward(I(i, 'pred'), I(i, 'label')),
  ctc_tnc_lengths_weights: (i) =>
    new L.CTCLoss({ layout: 'TNC', weight: 0.5 }).forward(
      I(i, 'pred'),
      I(i, 'label'),
      I(i, 'pl'),
      I(i, 'll'),
      I(i, 'sw'),
    ),
  ctc_label_tn: (i) => new L.CTCLoss('NTC', 'TN').forward(I(i, 'pred'), I(i, 'label')),
  huber: (i) => new L.HuberLoss().forward(I(i, 'pred'), I(i, 'label')),
  huber_rho_sample_weight: (i) =>
    new L.HuberLoss({ rho: 0.5, weight: 0.7 }).forward(I(i, 'pred'), I(i, 'label'), I(i, 'sw')),
};

describe('losses vs MXNet 1.9.1 (mxnet_training/losses.json)', () => {
  const f = trainingFixture('losses');
  it('covers every case of the fixture', () => {
    expect(new Set(f.cases.map((c) => c.name))).toEqual(new Set(Object.keys(CASES)));
  });
  for (const c of f.cases) {
    it(c.name, () => {
      const inputs: In = {};
      for (const [k, t] of Object.entries(c.inputs)) inputs[k] = toNd(t);
      for (const k of Object.keys(c.grads ?? {})) I(inputs, k).attachGrad();
      const y = autograd.record(() => (CASES[c.name] as (i: In) => NDArray)(inputs));
      expectClose(y, c.output as never, 1e-4, `${c.name} loss`);
      y.backward(toNd(c.head_grad as never));
      for (const [k, g] of Object.entries(c.grads ?? {})) {
        expectClose(I(inputs, k).grad as NDArray, g, 1e-4, `${c.name} grad ${k}`);
      }
    });
  }
});

describe('loss arguments', () => {
  it('a label that does not fit the prediction throws a ValueError naming both shapes', () => {
    const pred = nd.ones([4, 5]);
    expect(() => new L.SoftmaxCrossEntropyLoss().forward(pred, nd.ones([5]))).toThrow(ValueError);
    expect(() => new L.SoftmaxCrossEntropyLoss().forward(pred, nd.ones([5]))).toThrow(/\(5,\).*\(4, 5\)/);
    expect(() => new L.L2Loss().forward(pred, nd.ones([3, 5]))).toThrow(/label of shape \(3, 5\)/);
  });
  it('CTCLoss rejects the blank as a label, labels of another batch size, and bad layouts', () => {
    const pred = nd.ones([2, 5, 4]); // NTC, blank = 3
    expect(() => new L.CTCLoss().forward(pred, nd.array([[0, 3]]))).toThrow(/label must be \(N, L\) = \(2, L\)/);
    const labels = nd.array([
      [0, 3],
      [1, -1],
    ]);
    expect(() => new L.CTCLoss().forward(pred, labels)).toThrow(/label\[0\]\[1\] = 3 is not a symbol/);
    expect(() => new L.CTCLoss('NCT' as never)).toThrow(/Only 'NTC' and 'TNC' layouts/);
  });
  it("unknown options throw; repr is Gluon's", () => {
    expect(() => new L.L2Loss({ wieght: 1 } as never)).toThrow(/unknown option 'wieght'/);
    expect(String(new L.L2Loss())).toBe('L2Loss(batch_axis=0, w=1.0)');
    expect(String(new L.HuberLoss())).toBe('HuberLoss(batch_axis=0, w=None)');
  });
});
