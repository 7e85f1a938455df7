// Runs the operator fixtures of test/fixtures/mxnet_ops/op_<name>.json (written by
// test/fixtures/gen_operator_fixtures.py from MXNet 1.9.1; format in test/fixtures/README.md):
// each recorded call is replayed as mx.nd.<op>(...args, { camelCaseKwargs }) and, where Python
// has the method, as x.<camelCaseMethod>(...rest, { ... }).

import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import * as nd from '../../ts/ndarray/index.js';
import { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, type Tensor } from '../gluon/helpers.js';

const DIR = new URL('../fixtures/mxnet_ops/', import.meta.url);

/** One recorded call of an operator. */
export interface OpCase {
  name: string;
  call: string;
  inputs: Record<string, Tensor>;
  args: unknown[];
  kwargs: Record<string, unknown>;
  output?: Tensor | Tensor[];
  error?: string;
  mentions?: string[];
  method?: string;
  via_method?: string;
}

/** One fixture file: all the calls of one operator. */
export interface OpFixture {
  op: string;
  description: string;
  method?: string;
  cases: OpCase[];
}

/** Reads `test/fixtures/mxnet_ops/op_<file>.json`. */
export function opFixture(file: string): OpFixture {
  return JSON.parse(readFileSync(new URL(`op_${file}.json`, DIR), 'utf8')) as OpFixture;
}

/** Every operator fixture file name (without `op_` and `.json`). */
export function opFixtureNames(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.startsWith('op_') && f.endsWith('.json'))
    .map((f) => f.slice(3, -5))
    .sort();
}

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function toNd(t: Tensor): NDArray {
  return nd.array(Float32Array.from(t.data), t.shape);
}

function resolve(c: OpCase): { args: unknown[]; kw: Record<string, unknown> } {
  const inputs: Record<string, NDArray> = {};
  for (const [k, t] of Object.entries(c.inputs)) inputs[k] = toNd(t);
  const args = c.args.map((a) =>
    a !== null && typeof a === 'object' && !Array.isArray(a) && 'input' in a
      ? inputs[(a as { input: string }).input]
      : a,
  );
  const kw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.kwargs)) kw[camel(k)] = v;
  return { args, kw };
}

function opFunction(op: string): (...a: unknown[]) => unknown {
  let f: unknown = nd;
  for (const part of op.split('.')) f = (f as Record<string, unknown>)[part];
  if (typeof f !== 'function') throw new Error(`mx.nd.${op} is not exported`);
  return f as (...a: unknown[]) => unknown;
}

function compare(got: unknown, want: Tensor | Tensor[], what: string): void {
  if (Array.isArray(want)) {
    expect(Array.isArray(got), `${what}: expected a list of ${want.length} arrays`).toBe(true);
    const list = got as NDArray[];
    expect(list.length, `${what} length`).toBe(want.length);
    want.forEach((w, i) => {
      compare(list[i], w, `${what}[${i}]`);
    });
    return;
  }
  expect(got, `${what}: expected an NDArray`).toBeInstanceOf(NDArray);
  expectClose(got as NDArray, want, 1e-5, what);
}

/** Replays one case: output within 1e-5 of MXNet, or an error naming what MXNet's names. */
export function runCase(op: string, c: OpCase): void {
  const { args, kw } = resolve(c);
  const full = Object.keys(kw).length > 0 ? [...args, kw] : args;
  const what = `${c.name}: ${c.call}`;
  const viaMethod = c.via_method !== undefined;
  const invoke = viaMethod
    ? () => {
        const self = args[0] as NDArray;
        const m = (self as unknown as Record<string, (...a: unknown[]) => unknown>)[camel(c.via_method as string)];
        return m?.apply(self, full.slice(1));
      }
    : () => opFunction(op)(...full);
  if (c.error !== undefined) {
    let message = '';
    expect(() => {
      try {
        invoke();
      } catch (e) {
        message = (e as Error).message;
        throw e;
      }
    }, `${what} should throw (MXNet: ${c.error})`).toThrow();
    for (const m of c.mentions ?? []) expect(message, `${what}: message should mention '${m}'`).toContain(m);
    return;
  }
  compare(invoke(), c.output as Tensor | Tensor[], what);
  if (c.method !== undefined && !viaMethod) {
    const self = args[0] as NDArray;
    const m = (self as unknown as Record<string, (...a: unknown[]) => unknown>)[camel(c.method)];
    expect(typeof m, `${what}: NDArray.${camel(c.method)} should exist`).toBe('function');
    compare(m?.apply(self, full.slice(1)), c.output as Tensor | Tensor[], `${what} (as x.${camel(c.method)})`);
  }
}
