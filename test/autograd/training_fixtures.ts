// Reader of the training fixtures test/fixtures/mxnet_training/<group>.json, written by
// test/fixtures/gen_training_fixtures.py from MXNet 1.9.1.

import { readFileSync } from 'node:fs';
import type { Tensor } from '../gluon/helpers.js';

/** One recorded case: inputs, head gradient, forward output and the gradients MXNet computed. */
export interface TrainingCase {
  name: string;
  inputs: Record<string, Tensor>;
  params?: Record<string, Tensor>;
  head_grad?: Tensor;
  output?: Tensor;
  grads?: Record<string, Tensor>;
  [k: string]: unknown;
}

/** One fixture file. */
export interface TrainingFixture {
  group: string;
  cases: TrainingCase[];
}

/** Reads `test/fixtures/mxnet_training/<group>.json`. */
export function trainingFixture(group: string): TrainingFixture {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/mxnet_training/${group}.json`, import.meta.url), 'utf8'),
  ) as TrainingFixture;
}
