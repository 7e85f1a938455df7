// Token-by-token calls of stacks whose weights outgrow a core's L2 cache take the mirrored
// weight walk every other call (crates/kernels/src/rnn/token.rs: all recurrent products
// first, the last layer's first). Each token must still give the bits of the same step of a
// whole-sequence call, outputs and final states, whichever walk it took.
import { beforeAll, describe, expect, it } from 'vitest';
import type { FusedRnnSpec } from '../../ts/backend/rnn.js';
import mx from '../../ts/index.js';
import { fusedKernel, rand, withThreads } from '../threads/helpers.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

beforeAll(async () => {
  await mx.ready();
});

describe('tokens of a stack larger than L2 (mirrored walk every other call)', () => {
  // Weights: LSTM 3.5 MiB, GRU 2.6 MiB, RNN 4 MiB (the mirrored walk runs from 2 to 8 MiB).
  const specs: FusedRnnSpec[] = [
    { mode: 'lstm', hidden: 256, numLayers: 2, bidirectional: false, inputSize: 128, projection: null, clip: null },
    { mode: 'gru', hidden: 256, numLayers: 2, bidirectional: false, inputSize: 128, projection: null, clip: null },
    { mode: 'rnn_tanh', hidden: 512, numLayers: 2, bidirectional: false, inputSize: 512, projection: null, clip: null },
  ];
  for (const spec of specs) {
    // One thread: a step split over threads keeps each core's share of the weights cached
    // and walks them the plain way.
    it(`${spec.mode} H${spec.hidden}: each token equals that step of the sequence, bitwise`, () =>
      withThreads(1, () => {
        const kernel = fusedKernel(spec, 3);
        const lstm = spec.mode === 'lstm';
        const [T, C, H, L] = [6, spec.inputSize, spec.hidden, spec.numLayers];
        for (const N of [1, 3]) {
          const x = rand(T * N * C, 8 + N);
          const h0 = rand(L * N * H, 9);
          const c0 = lstm ? rand(L * N * H, 10) : null;
          const whole = kernel.forward(x, 'TNC', T, N, h0, c0, null);
          let [h, c] = [h0, c0];
          for (let t = 0; t < T; t++) {
            const step = kernel.forward(x.subarray(t * N * C, (t + 1) * N * C), 'TNC', 1, N, h, c, null);
            expect(bits(step.out), `N ${N} token ${t}`).toEqual(bits(whole.out.subarray(t * N * H, (t + 1) * N * H)));
            [h, c] = [step.hn, step.cn];
          }
          expect(bits(h), `N ${N} final h`).toEqual(bits(whole.hn));
          if (lstm) expect(bits(c as Float32Array), `N ${N} final c`).toEqual(bits(whole.cn as Float32Array));
        }
        kernel.dispose();
      }));
  }
});
