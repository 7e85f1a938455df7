// mx.random's uniform fill in wasm (crates/kernels/src/random.rs) on the single-thread build:
// the same values as the JavaScript loop (ts/random.ts), so initializers give the same
// weights for a seed whether or not `ready()` has run.
import { describe, expect, it } from 'vitest';
import mx from '../../ts/index.js';
import { fillUniform, fillUniformJs, seed } from '../../ts/random.js';
import { expectSameStream, FILL_LENGTHS, FILL_SEEDS, fillAllocatesInWasm } from '../helpers/random_fill.js';

describe('fillUniform in wasm (single thread)', () => {
  it('fills in JavaScript before ready()', () => {
    seed(7);
    const got = new Float32Array(10_000);
    fillUniform(got, -0.5, 0.5);
    seed(7);
    const want = new Float32Array(10_000);
    fillUniformJs(want, -0.5, 0.5);
    expect(got).toEqual(want);
  });

  it('draws the same stream as the JavaScript loop', async () => {
    const info = await mx.ready({ threads: 1 });
    expect(info.build).toBe('simd');
    for (const n of FILL_LENGTHS) for (const s of FILL_SEEDS) expectSameStream(n, s, -0.07, 0.07);
    for (const [lo, hi] of [
      [0, 1],
      [-3.5, 1e-3],
      [2, 2],
      [1e-30, 1e30],
    ] as const)
      expectSameStream(70_000, 3, lo, hi);
  });

  it('runs in wasm from 4096 values, in JavaScript below', async () => {
    await mx.ready({ threads: 1 });
    expect(fillAllocatesInWasm(4096)).toBe(true);
    expect(fillAllocatesInWasm(4095)).toBe(false);
  });

  it("gives an LSTM's initialize() the weights of the JavaScript loop", async () => {
    await mx.ready({ threads: 1 });
    seed(11);
    const net = new mx.gluon.rnn.LSTM(128, { layout: 'TNC', inputSize: 64 });
    net.initialize();
    const params = net.collectParams();
    seed(11);
    for (const name of params.keys()) {
      const p = params.get(name);
      const want = new Float32Array(p.data().size);
      if (name.endsWith('weight')) fillUniformJs(want, -0.07, 0.07);
      expect(p.data().toFloat32Array(), name).toEqual(want);
    }
  });
});
