// Shared test helpers: MXNet 1.9.1 fixtures (test/fixtures/mxnet/*.json, see its README) and
// closeness checks with the fixture tolerance (1e-5 relative to max(1, |x|)), and a model builder.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Block } from '../../ts/gluon/block.js';
import { nn, rnn } from '../../ts/gluon/index.js';
import * as nd from '../../ts/ndarray/index.js';
import { NDArray } from '../../ts/ndarray/ndarray.js';

export interface Tensor {
  shape: number[];
  data: number[];
}

export interface Fixture {
  case: string;
  build: string;
  prefix?: string;
  names?: string[];
  structural?: string[];
  repr?: string;
  repr_before_forward?: string;
  params?: Record<string, Tensor>;
  params_file?: string;
  inputs: Record<string, Tensor | Tensor[]>;
  outputs: Record<string, Tensor | Tensor[] | string>;
  types?: Record<string, string>;
  state_info?: unknown;
  [k: string]: unknown;
}

const FIXTURES = new URL('../fixtures/mxnet/', import.meta.url);

/** Reads `test/fixtures/mxnet/<name>.json`. */
export function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as Fixture;
}

export function fixtureBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(rel, FIXTURES)));
}

export function toNd(t: Tensor): NDArray {
  return nd.array(Float32Array.from(t.data), t.shape);
}

export function input(f: Fixture, key: string): NDArray {
  return toNd(f.inputs[key] as Tensor);
}
export function inputList(f: Fixture, key: string): NDArray[] {
  return (f.inputs[key] as Tensor[]).map(toNd);
}

/** Sets every parameter of `block` from the fixture's `params` (by full name). */
export function setParams(block: Block, f: Fixture): void {
  const params = block.collectParams();
  const given = f.params ?? {};
  expect(new Set(Object.keys(given))).toEqual(new Set(params.keys()));
  for (const [name, p] of params.entries()) {
    const t = given[name] as Tensor;
    if (!p.isInitialized && !p.isDeferred) p.initialize();
    p.setData(toNd(t));
  }
}

/** `Sequential(Embedding(vocab, emb), LSTM(hidden, layers), Dense(units, flatten=False))` in one name scope. */
export function seqEmbedLstmDense(
  vocab: number,
  emb: number,
  hidden: number,
  layers: number,
  units: number,
): nn.Sequential {
  const net = new nn.Sequential();
  net.nameScope(() => {
    net.add(new nn.Embedding(vocab, emb));
    net.add(new rnn.LSTM(hidden, layers));
    net.add(new nn.Dense(units, { flatten: false }));
  });
  return net;
}

/** Byte-for-byte equality of two files (ours against MXNet's). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

export function expectClose(actual: NDArray | number[], expected: Tensor | number[], tol = 1e-5, what = ''): void {
  const a = actual instanceof NDArray ? actual : null;
  const ad = a ? a.data : Float32Array.from(actual as number[]);
  const ed = Array.isArray(expected) ? expected : expected.data;
  if (a && !Array.isArray(expected)) expect(a.shape, `${what} shape`).toEqual(expected.shape);
  expect(ad.length, `${what} size`).toBe(ed.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < ed.length; i++) {
    const e = ed[i] as number;
    const err = Math.abs((ad[i] as number) - e) / Math.max(1, Math.abs(e));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(
    worst,
    `${what}: worst relative error at flat index ${at} (got ${ad[at]}, want ${ed[at]})`,
  ).toBeLessThanOrEqual(tol);
}

export function expectCloseList(actual: NDArray[], expected: Tensor[], tol = 1e-5, what = ''): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  actual.forEach((a, i) => {
    expectClose(a, expected[i] as Tensor, tol, `${what}[${i}]`);
  });
}

export function out(f: Fixture, key: string): Tensor {
  return f.outputs[key] as Tensor;
}
export function outList(f: Fixture, key: string): Tensor[] {
  return f.outputs[key] as Tensor[];
}

export function checkSeq(actual: NDArray | NDArray[], f: Fixture, key: string): void {
  const type = f.types?.[key];
  if (type === 'list') {
    expect(Array.isArray(actual), `${key} is a list`).toBe(true);
    expectCloseList(actual as NDArray[], outList(f, key), 1e-5, key);
  } else {
    expect(actual instanceof NDArray, `${key} is a tensor`).toBe(true);
    expectClose(actual as NDArray, out(f, key), 1e-5, key);
  }
}

const MERGES = [
  [true, 'True'],
  [false, 'False'],
  [null, 'None'],
] as const;

/**
 * Unrolls with mergeOutputs true, false and null and checks the fixture's
 * `outputs_merge_<Key><suffix>` and `states_merge_<Key><suffix>`; where the fixture records
 * MXNet failing (type 'error'), the unroll must throw.
 */
export function checkMerges(
  f: Fixture,
  unroll: (mergeOutputs: boolean | null) => [NDArray | NDArray[], NDArray[]],
  suffix = '',
): void {
  for (const [m, key] of MERGES) {
    const k = `${key}${suffix}`;
    if (f.types?.[`outputs_merge_${k}`] === 'error') {
      expect(() => unroll(m)).toThrow(/mergeOutputs/);
      continue;
    }
    const [outs, states] = unroll(m);
    checkSeq(outs, f, `outputs_merge_${k}`);
    expectCloseList(states, outList(f, `states_merge_${k}`), 1e-5, `states_merge_${k}`);
  }
}
