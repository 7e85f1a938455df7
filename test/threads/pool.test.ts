// The worker pool of the threaded build: results are bitwise identical for any thread
// count, for SGEMM (split by column blocks) and fused layers (split by batch rows).
import { beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../ts/backend/index.js';
import type { FusedRnnSpec } from '../../ts/backend/rnn.js';
import mx from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { fusedKernel, rand, sgemmOnce, withThreads } from './helpers.js';

const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

describe('worker pool (2 threads)', () => {
  beforeAll(async () => {
    await mx.ready({ threads: 2 });
  });

  it('runs the threaded build with two threads', () => {
    expect(mx.backendInfo()).toMatchObject({ build: 'simd-threads', threads: 2, threadsFallback: null });
    expect(backend().pool_threads()).toBe(2);
  });

  it('SGEMM: bitwise identical for 1 and 2 threads (all transposes, ragged sizes, beta)', () => {
    for (const [m, n, k] of [
      [256, 256, 256],
      [129, 517, 67],
      [64, 1000, 33],
      [1, 4096, 300],
    ] as const) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          for (const beta of [0, 0.5]) {
            const one = withThreads(1, () => sgemmOnce(m, n, k, ta, tb, beta));
            const two = sgemmOnce(m, n, k, ta, tb, beta);
            expect(bits(two), `m=${m} n=${n} k=${k} ta=${ta} tb=${tb} beta=${beta}`).toEqual(bits(one));
          }
        }
      }
    }
  });

  const specs: [string, FusedRnnSpec, 'TNC' | 'NTC'][] = [
    [
      'LSTM 2 layers',
      { mode: 'lstm', hidden: 64, numLayers: 2, bidirectional: false, inputSize: 48, projection: null, clip: null },
      'TNC',
    ],
    [
      'GRU bidirectional NTC',
      { mode: 'gru', hidden: 33, numLayers: 2, bidirectional: true, inputSize: 17, projection: null, clip: null },
      'NTC',
    ],
    [
      'RNN tanh',
      { mode: 'rnn_tanh', hidden: 96, numLayers: 3, bidirectional: false, inputSize: 40, projection: null, clip: null },
      'TNC',
    ],
    [
      'LSTMP + clip',
      {
        mode: 'lstm',
        hidden: 48,
        numLayers: 2,
        bidirectional: true,
        inputSize: 24,
        projection: 20,
        clip: { min: -0.5, max: 0.5, nan: true },
      },
      'TNC',
    ],
  ];
  for (const [name, spec, layout] of specs) {
    it(`fused ${name}: bitwise identical for 1 and 2 threads, with states and valid lengths`, () => {
      const kernel = fusedKernel(spec, 11);
      const [T, N] = [23, 19];
      const D = spec.bidirectional ? 2 : 1;
      const P = spec.projection ?? spec.hidden;
      const x = rand(T * N * spec.inputSize, 5);
      const h0 = rand(spec.numLayers * D * N * P, 6);
      const c0 = spec.mode === 'lstm' ? rand(spec.numLayers * D * N * spec.hidden, 7) : null;
      const lengths = Float32Array.from({ length: N }, (_, b) => 1 + ((b * 7) % T));
      for (const [h, c, vl] of [
        [null, null, null],
        [h0, c0, lengths],
      ] as const) {
        const one = withThreads(1, () => kernel.forward(x, layout, T, N, h, c, vl));
        const two = kernel.forward(x, layout, T, N, h, c, vl);
        expect(bits(two.out)).toEqual(bits(one.out));
        expect(bits(two.hn)).toEqual(bits(one.hn));
        if (one.cn) expect(bits(two.cn!)).toEqual(bits(one.cn));
      }
      kernel.dispose();
    });
  }

  it('small batches (1 and 3) split each step by unit blocks: bitwise identical', () => {
    // H = 256: one step is N * 4H * (H + C) multiply-adds, above the kernels' 2^18 threshold.
    const spec: FusedRnnSpec = {
      mode: 'lstm',
      hidden: 256,
      numLayers: 2,
      bidirectional: true,
      inputSize: 64,
      projection: null,
      clip: null,
    };
    const kernel = fusedKernel(spec, 21);
    for (const N of [1, 3]) {
      const T = 9;
      const x = rand(T * N * spec.inputSize, 4);
      const one = withThreads(1, () => kernel.forward(x, 'TNC', T, N, null, null, null));
      const two = kernel.forward(x, 'TNC', T, N, null, null, null);
      expect(bits(two.out)).toEqual(bits(one.out));
      expect(bits(two.hn)).toEqual(bits(one.hn));
      expect(bits(two.cn!)).toEqual(bits(one.cn!));
    }
    kernel.dispose();
  });

  it('the public layer gives the same output as the single-thread build would', () => {
    const layer = new mx.gluon.rnn.LSTM(64, { numLayers: 2, inputSize: 32 });
    layer.initialize();
    const x = mx.nd.array(rand(30 * 16 * 32, 9), [30, 16, 32]);
    const one = withThreads(1, () => (layer.forward(x) as NDArray).toFloat32Array());
    const two = (layer.forward(x) as NDArray).toFloat32Array();
    expect(bits(two)).toEqual(bits(one));
  });

  it('training: the fused backward (per-step and batched GEMMs split by columns) gives bitwise the same gradients', () => {
    // Big enough that every per-step GEMM of the forward and the backward reaches the split
    // threshold (16 rows x 1024 gate columns x 256).
    const layer = new mx.gluon.rnn.LSTM(256, { numLayers: 2, inputSize: 64 });
    layer.initialize();
    const x = mx.nd.array(rand(6 * 16 * 64, 12), [6, 16, 64]);
    const grads = () => {
      x.attachGrad();
      const y = mx.autograd.record(() => (layer.forward(x) as NDArray).square().sum());
      y.backward();
      const params = [...layer.collectParams().values()];
      return [x.grad!.toFloat32Array(), ...params.map((p) => p.grad().toFloat32Array())];
    };
    const one = withThreads(1, grads);
    const two = grads();
    expect(two.length).toBe(one.length);
    for (const [i, g] of two.entries()) expect(bits(g), `gradient ${i}`).toEqual(bits(one[i] as Float32Array));
  });
});
