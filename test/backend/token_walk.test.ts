// Token-by-token calls of stacks whose weights outgrow a core's L2 cache take the mirrored
// weight walk every other call (crates/kernels/src/rnn/token.rs: all recurrent products
// first, the last layer's first), on one thread or with each step's hidden units split over
// two (each core then mirrors its own share). Each token must still give the bits of the same
// step of a whole-sequence call, outputs and final states, whichever walk it took; through the
// kernel and through the public `layer.stream()`.
import { beforeAll, describe, expect, it } from 'vitest';
import type { FusedRnnSpec } from '../../ts/backend/rnn.js';
import mx from '../../ts/index.js';
import { fusedKernel, rand, withThreads } from '../threads/helpers.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

beforeAll(async () => {
  await mx.ready();
});

/** Tokens of `spec` on `threads` threads against the whole sequence, bitwise. */
function tokensMatchTheSequence(spec: FusedRnnSpec, threads: number): void {
  withThreads(threads, () => {
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
  });
}

const spec = (mode: FusedRnnSpec['mode'], hidden: number, inputSize: number): FusedRnnSpec => ({
  mode,
  hidden,
  numLayers: 2,
  bidirectional: false,
  inputSize,
  projection: null,
  clip: null,
});

describe('tokens of a stack larger than L2 (mirrored walk every other call)', () => {
  // One thread. Weights: LSTM 3.5 MiB, GRU 2.6 MiB, RNN 4 MiB (the mirrored walk runs from 2
  // to 8 MiB per core).
  for (const s of [spec('lstm', 256, 128), spec('gru', 256, 128), spec('rnn_tanh', 512, 512)]) {
    it(`${s.mode} H${s.hidden}, one thread: each token equals that step of the sequence, bitwise`, () =>
      tokensMatchTheSequence(s, 1));
  }
  // Two threads, each step's units split: 4-8 MiB of weights, 2-4 MiB per core.
  for (const s of [spec('lstm', 384, 256), spec('gru', 384, 384), spec('rnn_tanh', 512, 512)]) {
    it(`${s.mode} H${s.hidden}, two threads: each token equals that step of the sequence, bitwise`, () =>
      tokensMatchTheSequence(s, 2));
  }
});

describe('layer.stream() over a stack larger than L2', () => {
  for (const threads of [1, 2]) {
    it(`LSTM H384, 2 layers, ${threads} thread(s): each step equals that step of forward over the sequence, bitwise`, () =>
      withThreads(threads, () => {
        const [T, N, C, H] = [5, 2, 256, 384];
        const net = new mx.gluon.rnn.LSTM(H, { numLayers: 2, inputSize: C });
        net.initialize();
        const x = mx.nd.array(rand(T * N * C, 3), [T, N, C]);
        const [whole, last] = net.forward(x, net.beginState(N));
        const s = net.stream({ batchSize: N });
        const y = new Float32Array(s.outputSize);
        for (let t = 0; t < T; t++) {
          s.step(x.data.subarray(t * N * C, (t + 1) * N * C), y);
          expect(bits(y), `token ${t}`).toEqual(bits(whole.data.subarray(t * N * H, (t + 1) * N * H)));
        }
        expect(s.states().map((a) => bits(a.data))).toEqual(last.map((a) => bits(a.data)));
        net.dispose();
      }));
  }
});
