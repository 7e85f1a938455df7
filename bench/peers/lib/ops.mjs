// The decoding and front-end operators of bench/ops.mjs in ONNX Runtime Web and TensorFlow.js
// (wasm backends), started as bench/peers/systems/*.mjs start them: softmax + top-k over a
// vocabulary, and a Conv1D. ONNX graphs are written as bytes with lib/onnx.mjs's messages.
import fs from 'node:fs';
import { floatValue, initializer, message, model, node } from './onnx.mjs';

const version = (p) =>
  JSON.parse(fs.readFileSync(new URL(`../node_modules/${p}/package.json`, import.meta.url))).version;

/** ValueInfoProto of an int64 tensor (TopK's indices): TypeProto.tensor_type {elem_type 7, shape}. */
function int64Value(name, dims) {
  const shape = message(dims.map((d) => [1, 'msg', message([[1, 'int', d]])]));
  const tensorType = message([
    [1, 'int', 7],
    [2, 'msg', shape],
  ]);
  return message([
    [1, 'string', name],
    [2, 'msg', message([[1, 'msg', tensorType]])],
  ]);
}

/** X (B, V) -> Softmax(axis -1) -> TopK(k, largest, sorted) -> Values (B, k), Indices (B, k) int64. */
export function softmaxTopkModel(B, V, k) {
  return model({
    nodes: [node('Softmax', ['X'], ['P'], { axis: -1 }), node('TopK', ['P', 'K'], ['Values', 'Indices'], { axis: -1 })],
    inits: [initializer('K', [1], BigInt64Array.of(BigInt(k)))],
    inputs: [floatValue('X', [B, V])],
    outputs: [floatValue('Values', [B, k]), int64Value('Indices', [B, k])],
  });
}

/** X (N, C, W) -> Conv(W (O, C, K), B (O), pads p, stride 1) -> Y (N, O, W + 2p - K + 1), NCW as MXNet. */
export function conv1dModel({ N, C, W, O, K, pad }, weight, bias) {
  return model({
    nodes: [
      node('Conv', ['X', 'W', 'B'], ['Y'], {
        kernel_shape: [K],
        pads: [pad, pad],
        strides: [1],
        dilations: [1],
        group: 1,
      }),
    ],
    inits: [initializer('W', [O, C, K], weight), initializer('B', [O], bias)],
    inputs: [floatValue('X', [N, C, W])],
    outputs: [floatValue('Y', [N, O, W + 2 * pad - K + 1])],
  });
}

/** ONNX Runtime Web on its wasm execution provider (SIMD), `threads` threads. */
export async function ortOps(threads) {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  const session = (bytes) =>
    ort.InferenceSession.create(bytes, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    });
  return {
    info: `onnxruntime-web@${version('onnxruntime-web')}`,
    /** `run()` resolves { values, indices } (Float32Array, indices as numbers). */
    async softmaxTopk(x, B, V, k) {
      const s = await session(softmaxTopkModel(B, V, k));
      const X = new ort.Tensor('float32', x, [B, V]);
      return {
        async run() {
          const out = await s.run({ X });
          return { values: out.Values.data, indices: Float64Array.from(out.Indices.data, Number) };
        },
        free: () => s.release(),
      };
    },
    /** `run()` resolves Y (N, O, W') as a Float32Array. */
    async conv1d(shape, x, weight, bias) {
      const s = await session(conv1dModel(shape, weight, bias));
      const X = new ort.Tensor('float32', x, [shape.N, shape.C, shape.W]);
      return { run: async () => (await s.run({ X })).Y.data, free: () => s.release() };
    },
  };
}

/** (N, C, W) -> (N, W, C) and back: TensorFlow.js's conv1d is channels-last. */
export function swapLast(a, N, R, S) {
  const out = new Float32Array(a.length);
  for (let n = 0; n < N; n++)
    for (let r = 0; r < R; r++) for (let s = 0; s < S; s++) out[(n * S + s) * R + r] = a[(n * R + r) * S + s];
  return out;
}

/** TensorFlow.js on tfjs-backend-wasm (SIMD; one thread under Node). */
export async function tfjsOps() {
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') failed");
  await tf.ready();
  return {
    info: `@tensorflow/tfjs@${version('@tensorflow/tfjs')} + tfjs-backend-wasm@${version('@tensorflow/tfjs-backend-wasm')}`,
    softmaxTopk(x, B, V, k) {
      const X = tf.tensor2d(x, [B, V]);
      return {
        run() {
          const [v, i] = tf.tidy(() => {
            const { values, indices } = tf.topk(tf.softmax(X), k);
            return [values, indices];
          });
          const out = { values: v.dataSync(), indices: Float64Array.from(i.dataSync()) };
          v.dispose();
          i.dispose();
          return out;
        },
        free: () => X.dispose(),
      };
    },
    /**
     * tf.conv1d is channels-last (NWC input, (K, C, O) filter), so it gets its own layout, made
     * once outside the timed call (its fastest path); `run()` returns Y in NWC.
     */
    conv1d({ N, C, W, O, K, pad }, x, weight, bias) {
      if (2 * pad !== K - 1)
        throw new Error(`tfjs conv1d: 'same' padding needs pad = (K - 1) / 2, got pad ${pad}, K ${K}`);
      const X = tf.tensor3d(swapLast(x, N, C, W), [N, W, C]);
      const filt = new Float32Array(K * C * O); // (O, C, K) -> (K, C, O)
      for (let o = 0; o < O; o++)
        for (let c = 0; c < C; c++) for (let k = 0; k < K; k++) filt[(k * C + c) * O + o] = weight[(o * C + c) * K + k];
      const F = tf.tensor3d(filt, [K, C, O]);
      const Bv = tf.tensor1d(bias);
      return {
        run() {
          const y = tf.tidy(() => tf.add(tf.conv1d(X, F, 1, 'same'), Bv));
          const out = y.dataSync();
          y.dispose();
          return out;
        },
        free() {
          for (const t of [X, F, Bv]) t.dispose();
        },
      };
    },
  };
}
