// ONNX Runtime Web, wasm execution provider (SIMD; 1 or 2 threads through env.wasm.numThreads),
// on ONNX models built from the benchmark's weights (lib/onnx.mjs): its native LSTM / GRU /
// RNN operators, the fastest path ONNX offers for these layers.
// Whole sequence: `session.run({ X })`, the input tensor made once; the timed call includes
// reading Y. Streaming: a one-step model whose state outputs feed the next run's state inputs.
// Browser-safe: the benchmark page (examples/browser/bench.mjs) passes the module it loaded.
import { checkedOutput, stepInputs } from '../lib/configs.mjs';
import { decoderModel, sequenceModel, stepModel, stepStateNames } from '../lib/onnx.mjs';

/** ONNX Runtime Web on `threads` wasm threads; `ort`: the loaded module (default: import it, in Node). */
export async function ortWebSystem(threads, ort) {
  ort ??= await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  return {
    info: { package: `onnxruntime-web@${ort.env.versions.web}`, numThreads: threads },
    build: (data) => build(ort, data),
  };
}

async function build(ort, data) {
  const { cfg } = data;
  const dense = cfg.mode === 'dense';
  const bytes = dense ? decoderModel(data) : cfg.stream ? stepModel(data) : sequenceModel(data);
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  // what the runtime settled on once its wasm module started (it falls back to 1 thread when it must)
  const effective = { numThreads: ort.env.wasm.numThreads, modelBytes: bytes.length };
  const model = dense
    ? decoder(ort, session, data)
    : cfg.stream
      ? streaming(ort, session, data)
      : sequence(ort, session, data);
  return { ...model, effective, free: () => session.release() };
}

function sequence(ort, session, { cfg, x }) {
  const X = new ort.Tensor('float32', x, [cfg.T, cfg.N, cfg.C]);
  let last = null;
  return {
    async run() {
      last = (await session.run({ X })).Y.data;
      return last;
    },
    checked: () => last,
  };
}

function streaming(ort, session, data) {
  const { cfg } = data;
  const { T, N, C, H, layers } = cfg;
  const xs = stepInputs(data);
  const names = Array.from({ length: layers }, (_, l) => stepStateNames(cfg, l)).flat();
  const zeros = names.map(() => new ort.Tensor('float32', new Float32Array(N * H), [1, N, H]));
  const ys = new Float32Array(T * N * H);
  let states = zeros;
  return {
    async run() {
      states = zeros;
      for (let t = 0; t < T; t++) {
        const feeds = { X: new ort.Tensor('float32', xs[t], [1, N, C]) };
        names.forEach(([input], i) => {
          feeds[input] = states[i];
        });
        const out = await session.run(feeds);
        ys.set(out.Y.data, t * N * H);
        states = names.map(([, output]) => out[output]);
      }
      return ys;
    },
    checked() {
      const S = cfg.mode === 'lstm' ? 2 : 1;
      const h = Array.from({ length: layers }, (_, l) => states[l * S].data);
      const c = S === 2 ? Array.from({ length: layers }, (_, l) => states[l * S + 1].data) : [];
      return checkedOutput(cfg, ys, h, c);
    },
  };
}

/** A 'dense' config: one Gemm run per token, its logits read back. */
function decoder(ort, session, data) {
  const { T, N, C, V } = data.cfg;
  const xs = stepInputs(data);
  const ys = new Float32Array(T * N * V);
  return {
    async run() {
      for (let t = 0; t < T; t++) {
        const out = await session.run({ X: new ort.Tensor('float32', xs[t], [N, C]) });
        ys.set(out.Y.data, t * N * V);
      }
      return ys;
    },
    checked: () => ys,
  };
}
