// TensorFlow.js on its wasm backend (SIMD; one thread: tfjs-backend-wasm runs threads only in
// browsers). The layers are written from tfjs ops, as tf.layers computes them (per step: the
// input and the state multiplied by their weights, then the gate math), inside tf.tidy, because
// tf.layers has only the reset-before GRU while MXNet's GRU applies the reset after the h2h
// product.
// Gates are reordered so that one sigmoid covers all sigmoid gates: LSTM i,f,o,g; GRU r,z,n.
// A 'dense' config (a decoder): tf.fused.matMul of x with W^T and the bias, per token.
// Browser-safe: the benchmark page (examples/browser/bench.mjs) loads tfjs's browser bundles,
// sets the wasm paths and thread count, and passes { tf, wasm }.
import { checkedOutput, dirs, GATES, layerInput, pickGates, stepInputs, transpose } from '../lib/configs.mjs';

/**
 * TensorFlow.js on its wasm backend. `loaded`: { tf, wasm } from a browser page, already set to
 * `threads` (default: import both, in Node, where the backend has one thread).
 */
export async function tfjsWasmSystem(threads, loaded) {
  let tf = loaded?.tf;
  let wasm = loaded?.wasm;
  if (!loaded) {
    if (threads !== 1) throw new Error('tfjs-backend-wasm has no threads under Node (browsers only)');
    tf = await import('@tensorflow/tfjs');
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  }
  if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') failed");
  await tf.ready();
  const threaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return {
    info: {
      package: `@tensorflow/tfjs@${tf.version.tfjs} + tfjs-backend-wasm@${wasm.version_wasm}`,
      backend: tf.getBackend(),
      simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
      threads: threaded ? wasm.getThreadsCount() : 1,
    },
    build: (data) => build(tf, data),
  };
}

const ORDER = { lstm: [0, 1, 3, 2], gru: [0, 1, 2], rnn_tanh: [0] };

/** Per layer and direction: W (C_l, G*H), U (H, G*H) and biases, as tensors kept for the model's life. */
function weightTensors(tf, { cfg, weights }) {
  const { mode, H } = cfg;
  const G = GATES[mode];
  const order = ORDER[mode];
  return weights.map((perDir, l) =>
    perDir.map((w) => {
      const cin = layerInput(cfg, l);
      const bi = pickGates(w.i2h_bias, H, 1, order);
      const bh = pickGates(w.h2h_bias, H, 1, order);
      const t = {
        W: tf.tensor2d(transpose(pickGates(w.i2h_weight, H, cin, order), G * H, cin), [cin, G * H]),
        U: tf.tensor2d(transpose(pickGates(w.h2h_weight, H, H, order), G * H, H), [H, G * H]),
      };
      if (mode === 'gru') {
        // r and z take both biases; n takes b_in outside and b_hn inside the reset product
        t.bx = tf.tensor1d(bi.map((v, i) => (i < 2 * H ? v + bh[i] : v)));
        t.bh = tf.tensor1d(bh.subarray(2 * H));
      } else {
        t.bx = tf.tensor1d(bi.map((v, i) => v + bh[i]));
      }
      return t;
    }),
  );
}

/** One step from the gate pre-activations of the input (gx, bias included) and state h (and c). */
function step(tf, mode, H, w, gx, h, c) {
  if (mode === 'rnn_tanh') return { h: tf.tanh(tf.add(gx, tf.matMul(h, w.U))) };
  if (mode === 'lstm') {
    const g = tf.add(gx, tf.matMul(h, w.U));
    const [sig, cand] = tf.split(g, [3 * H, H], 1);
    const [i, f, o] = tf.split(tf.sigmoid(sig), 3, 1);
    const c2 = tf.add(tf.mul(f, c), tf.mul(i, tf.tanh(cand)));
    return { h: tf.mul(o, tf.tanh(c2)), c: c2 };
  }
  const [xrz, xn] = tf.split(gx, [2 * H, H], 1);
  const [hrz, hn] = tf.split(tf.matMul(h, w.U), [2 * H, H], 1);
  const [r, z] = tf.split(tf.sigmoid(tf.add(xrz, hrz)), 2, 1);
  const n = tf.tanh(tf.add(xn, tf.mul(r, tf.add(hn, w.bh))));
  return { h: tf.add(n, tf.mul(z, tf.sub(h, n))) }; // (1 - z) n + z h
}

function build(tf, data) {
  const { cfg } = data;
  if (cfg.mode === 'dense') return decoder(tf, data);
  const w = weightTensors(tf, data);
  const model = cfg.stream ? streaming(tf, w, data) : sequence(tf, w, data);
  return {
    ...model,
    free() {
      model.dispose?.();
      for (const perDir of w) for (const t of perDir) for (const v of Object.values(t)) v.dispose();
    },
  };
}

function sequence(tf, w, data) {
  const { cfg } = data;
  const { mode, H, T, N, C } = cfg;
  const D = dirs(cfg);
  // The input as T tensors (N, C), made once. tfjs-backend-wasm slices rows of a large tensor
  // slowly (milliseconds each), so the steps never slice: every layer's input stays one tensor
  // per step, and the input projection is one fused matMul per step.
  const xs = stepInputs(data).map((xt) => tf.tensor2d(xt, [N, C]));
  const zeros = tf.zeros([N, H]);
  const forward = () => {
    let inputs = xs;
    for (let l = 0; l < cfg.layers; l++) {
      const outs = [];
      for (let d = 0; d < D; d++) {
        const { W, bx } = w[l][d];
        const hs = new Array(T);
        let h = zeros;
        let c = zeros;
        for (let s = 0; s < T; s++) {
          const t = d === 0 ? s : T - 1 - s;
          const gx = tf.fused.matMul({ a: inputs[t], b: W, bias: bx });
          ({ h, c } = step(tf, mode, H, w[l][d], gx, h, c));
          hs[t] = h;
        }
        outs.push(hs);
      }
      inputs = D === 1 ? outs[0] : outs[0].map((f, t) => tf.concat([f, outs[1][t]], 1));
    }
    return tf.concat(inputs, 0); // (T*N, D*H)
  };
  let last = null;
  return {
    run() {
      const y = tf.tidy(forward);
      last = y.dataSync();
      y.dispose();
      return last;
    },
    checked: () => last,
    dispose() {
      for (const t of xs) t.dispose();
      zeros.dispose();
    },
  };
}

function streaming(tf, w, data) {
  const { cfg } = data;
  const { mode, H, T, N, C, layers } = cfg;
  const xs = stepInputs(data);
  const zeros = tf.zeros([N, H]);
  const ys = new Float32Array(T * N * H);
  let states = null; // per layer { h, c } after the last step
  const release = (st) => {
    for (const s of st ?? []) for (const v of [s.h, s.c]) if (v && v !== zeros) v.dispose();
  };
  return {
    run() {
      release(states);
      let st = Array.from({ length: layers }, () => ({ h: zeros, c: zeros }));
      for (let t = 0; t < T; t++) {
        const next = tf.tidy(() => {
          let input = tf.tensor2d(xs[t], [N, C]);
          return st.map((s, l) => {
            const { W, bx } = w[l][0];
            const out = step(tf, mode, H, w[l][0], tf.fused.matMul({ a: input, b: W, bias: bx }), s.h, s.c);
            input = out.h;
            return out;
          });
        });
        ys.set(next[layers - 1].h.dataSync(), t * N * H);
        release(st);
        st = next;
      }
      states = st;
      return ys;
    },
    checked: () =>
      checkedOutput(
        cfg,
        ys,
        states.map((s) => s.h.dataSync()),
        states.map((s) => s.c?.dataSync()),
      ),
    dispose() {
      release(states);
      zeros.dispose();
    },
  };
}

/**
 * A 'dense' config: per token the fused matMul of x (N, C) with W^T (C, V), transposed once here,
 * and the bias. tfjs-backend-wasm 4.22.0 ran W (V, C) with `transposeB` 6x slower, and with
 * the fused bias its results were wrong (0.3 off the reference); unfused it was right.
 */
function decoder(tf, data) {
  const { cfg, weights } = data;
  const { T, N, C, V } = cfg;
  const W = tf.tensor2d(transpose(weights.weight, V, C), [C, V]);
  const b = tf.tensor1d(weights.bias);
  const xs = stepInputs(data);
  const ys = new Float32Array(T * N * V);
  return {
    run() {
      for (let t = 0; t < T; t++) {
        const y = tf.tidy(() => tf.fused.matMul({ a: tf.tensor2d(xs[t], [N, C]), b: W, bias: b }));
        ys.set(y.dataSync(), t * N * V);
        y.dispose();
      }
      return ys;
    },
    checked: () => ys,
    free() {
      W.dispose();
      b.dispose();
    },
  };
}
