// Finite-difference checks of the backward of operators that the MXNet fixtures
// (mxnet_training/ops.json) do not cover: the loss sum(w * f(x)) is differentiated by the tape
// and by central differences, for every input element.

import { beforeAll, describe, it } from 'vitest';
import { nd, ready } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { det, fdCheck } from '../helpers/fd_check.js';

beforeAll(async () => {
  await ready();
});

type Case = { inputs: NDArray[]; f: (...x: NDArray[]) => NDArray };

const CASES: Record<string, () => Case> = {
  tile: () => ({ inputs: [det([2, 3], 1)], f: (x) => nd.tile(x, [2, 1, 2]) }),
  repeat: () => ({ inputs: [det([2, 3], 2)], f: (x) => nd.repeat(x, 3, 1) }),
  repeat_flat: () => ({ inputs: [det([2, 3], 3)], f: (x) => nd.repeat(x, 2) }),
  take: () => ({ inputs: [det([4, 3], 4)], f: (x) => nd.take(x, nd.array([3, 0, 3, 1]), 0) }),
  flip: () => ({ inputs: [det([3, 4], 5)], f: (x) => nd.flip(x, 1) }),
  sequence_reverse: () => ({
    inputs: [det([4, 2, 3], 6)],
    f: (x) => nd.SequenceReverse(x, nd.array([3, 1]), true),
  }),
  maximum: () => ({ inputs: [det([3, 4], 7), det([4], 8)], f: (a, b) => nd.broadcast_maximum(a, b) }),
  minimum_scalar: () => ({ inputs: [det([3, 4], 9)], f: (a) => nd.minimum(a, 0.2) }),
  power: () => ({ inputs: [det([3, 4], 10, 0.5, 2), det([3, 4], 11)], f: (a, b) => nd.broadcast_power(a, b) }),
  squeeze_swapaxes: () => ({ inputs: [det([2, 1, 3], 12)], f: (x) => nd.swapaxes(nd.squeeze(x), 0, 1) }),
  methods: () => ({
    inputs: [det([3, 4], 13)],
    f: (x) => nd.add(nd.add(x.relu(), x.sigmoid()), nd.add(x.tanh(), x.abs())),
  }),
  method_views: () => ({
    inputs: [det([3, 4, 2], 14)],
    f: (x) => nd.concat(x.get(2).reshape(1, 8), x.transpose([2, 0, 1]).reshape(3, 8).sliceAxis(0, 1, 3), { dim: 0 }),
  }),
  flatten_expand: () => ({ inputs: [det([2, 3, 2], 15)], f: (x) => nd.Flatten(x).expandDims(0) }),
  softmax_length: () => ({
    inputs: [det([2, 5], 16)],
    f: (x) => nd.softmax(x, nd.array([3, 5]), { axis: -1, useLength: true }),
  }),
  min_reduce: () => ({ inputs: [det([3, 4], 17)], f: (x) => nd.min(x, { axis: 1, keepdims: true }) }),
  sequence_mask_no_length: () => ({ inputs: [det([3, 2], 18)], f: (x) => nd.SequenceMask(x) }),
};

describe('operator backward vs central finite differences', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(name, () => {
      const { inputs, f } = make();
      fdCheck(name, inputs, f);
    });
  }
});
