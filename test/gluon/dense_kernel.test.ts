// nn.Dense's packed kernel (ts/backend/dense.ts): the weight stays packed in wasm memory
// between calls and is re-packed when a parameter changes. Fixture dense_decoder (MXNet 1.9.1:
// 600 features, more than one KC slice, 37 units, a batch and a single row); the rest compares
// with nd.FullyConnected, which packs on every call.

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cacheStats } from '../../ts/backend/packed_cache.js';
import { nn } from '../../ts/gluon/index.js';
import mx, { ready } from '../../ts/index.js';
import { resetNameCounters } from '../../ts/name.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, fixture, input, out, setParams } from './helpers.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

const bits = (a: NDArray) => Array.from(new Uint32Array(a.data.slice().buffer));

/** nd.FullyConnected with the layer's current parameters (the unpacked path). */
function reference(d: nn.Dense, x: NDArray, flatten: boolean): NDArray {
  const b = d.bias?.data() ?? null;
  return mx.nd.FullyConnected(x, d.weight.data(), b, d.weight.shape[0] as number, b === null, flatten);
}

describe('nn.Dense through its packed kernel', () => {
  it('dense_decoder: a batch and a single row as MXNet computes them; a row is the same alone or in the batch', () => {
    const f = fixture('dense_decoder');
    const d = new nn.Dense(37, { flatten: false, inUnits: 600 });
    expect(String(d)).toBe(f.repr_before_forward);
    d.initialize();
    setParams(d, f);
    const y = d.forward(input(f, 'x'));
    expectClose(y, out(f, 'out'), 1e-5);
    const row = d.forward(input(f, 'row'));
    expectClose(row, out(f, 'out_row'), 1e-5);
    expect(bits(row)).toEqual(bits(y).slice(0, 37));
    expect(String(d)).toBe(f.repr);
  });

  it('the bits of nd.FullyConnected from 5 rows on, within 1e-5 of it below (its few-row path sums in another order)', () => {
    for (const [rows, inUnits, units, flatten] of [
      [5, 64, 9, true],
      [17, 515, 33, false],
      [64, 256, 8, true],
      [1, 256, 1000, false],
      [3, 7, 1, true],
    ] as const) {
      const d = new nn.Dense(units, { inUnits, flatten });
      d.initialize({ init: new mx.init.Uniform(0.5) });
      d.bias?.setData(mx.nd.random.uniform(-1, 1, [units]));
      const x = mx.nd.random.uniform(-1, 1, flatten ? [rows, inUnits] : [rows, 1, inUnits]);
      const got = d.forward(x);
      const want = reference(d, x, flatten);
      expect(got.shape).toEqual(want.shape);
      if (rows > 4) expect(bits(got), `${rows}x${inUnits} -> ${units}`).toEqual(bits(want));
      else expectClose(got, Array.from(want.data), 1e-5, `${rows}x${inUnits} -> ${units}`);
    }
  });

  it('sees every change of its parameters: setData, loadParameters, initialize(forceReinit), a Trainer step', () => {
    const d = new nn.Dense(6, { inUnits: 4 });
    d.initialize();
    const x = mx.nd.random.uniform(-1, 1, [5, 4]);
    const same = () => expect(bits(d.forward(x))).toEqual(bits(reference(d, x, true)));
    same();
    d.weight.setData(mx.nd.random.uniform(-1, 1, [6, 4]));
    same();
    (d.bias as NonNullable<typeof d.bias>).setData(mx.nd.ones([6]));
    same();
    const saved = d.saveParameters();
    d.initialize({ forceReinit: true, init: new mx.init.Uniform(2) });
    same();
    d.loadParameters(saved);
    same();
    const trainer = new mx.gluon.Trainer(d.collectParams(), 'sgd', { learning_rate: 0.5 });
    const before = bits(d.forward(x));
    mx.autograd.record(() => {
      d.forward(x).sum().backward();
    });
    trainer.step(1);
    same();
    expect(bits(d.forward(x))).not.toEqual(before);
  });

  it('under autograd.record() too: the tape differentiates it, gradients as nd.FullyConnected gives them', () => {
    const d = new nn.Dense(3, { inUnits: 5, flatten: false });
    d.initialize();
    const x = mx.nd.random.uniform(-1, 1, [2, 4, 5]);
    x.attachGrad();
    mx.autograd.record(() => {
      d.forward(x).square().sum().backward();
    });
    const w = d.weight.data();
    const b = (d.bias as NonNullable<typeof d.bias>).data();
    const wr = w.copy();
    const br = b.copy();
    const xr = x.copy();
    for (const a of [wr, br, xr]) a.attachGrad();
    mx.autograd.record(() => {
      mx.nd.FullyConnected(xr, wr, br, 3, false, false).square().sum().backward();
    });
    expect(bits(d.weight.grad())).toEqual(bits(wr.grad as NDArray));
    expect(bits((d.bias as NonNullable<typeof d.bias>).grad())).toEqual(bits(br.grad as NDArray));
    expect(bits(x.grad as NDArray)).toEqual(bits(xr.grad as NDArray));
  });

  it('names a wrong input, keeps working, and handles an empty batch and NaN like nd.FullyConnected', () => {
    const d = new nn.Dense(4, { inUnits: 3, flatten: false });
    d.initialize();
    expect(() => d.forward(mx.nd.ones([2, 5]))).toThrow(
      /nd\.FullyConnected: input \(2, 5\) has 5 features but weight \(4, 3\) expects 3/,
    );
    const empty = d.forward(mx.nd.zeros([0, 3]));
    expect(empty.shape).toEqual([0, 4]);
    const nan = d.forward(mx.nd.array([[Number.NaN, 0, 0]]));
    expect(Array.from(nan.data).every(Number.isNaN)).toBe(true);
    const x = mx.nd.random.uniform(-1, 1, [6, 3]);
    expect(bits(d.forward(x))).toEqual(bits(reference(d, x, false)));
  });

  it('holds its packed weight under the cache budget; dispose() frees it and the next call re-packs', () => {
    const d = new nn.Dense(64, { inUnits: 32 });
    d.initialize();
    const x = mx.nd.random.uniform(-1, 1, [8, 32]);
    const want = bits(d.forward(x));
    const held = cacheStats();
    d.dispose();
    expect(cacheStats().kernels).toBe(held.kernels - 1);
    expect(cacheStats().bytes).toBeLessThanOrEqual(held.bytes - 64 * 32 * 4);
    expect(bits(d.forward(x))).toEqual(want);
  });
});
