// Training steps per second of a 2-layer LSTM language model, here and in TensorFlow.js (wasm
// backend) on the same model in the same run: Embedding(V, E) -> LSTM(H, 2 layers) -> Dense(V),
// softmax cross-entropy (mean over T*N), one Adam step each iteration (forward + backward + update).
// Both start from the same weights (a fixed generator, MXNet's layouts) and train on the same
// batch; the first steps' losses are printed side by side as the check that the models are one.
// Then the memory (RSS, JS heap, wasm memory / tfjs tensors) over many steps, to show it stays
// bounded: the small model's 10^4 steps (a leak grows per step whatever the sizes; the full
// model's 10^4 steps would take hours). Each system runs in its own child processes, so their
// memory is their own.
//
// Run: `npm run bench` (part of it) or `node bench/train.mjs [--small] [--steps N] [--mem-steps N]
// [--mem-full] [--threads N] [--systems gluon,tfjs-wasm]`. --mem-full: the memory part on the full
// model (10^4 steps take about 35 minutes here, so `npm run bench` runs the small one). Full: H 256, T 64, N 16, V 64, E 64, 10 timed
// steps; memory over 10^4 steps of the small model. --small: H 64, T 16, N 8, E 32, 20 timed steps,
// memory over 300 steps. --mem-steps 0 skips the memory part. --threads: this package's worker
// threads (default 1: tfjs-backend-wasm has no threads under Node).
// The losses of steps 2 and 3 differ by ~1e-4: tf.train.adam adds epsilon to the bias-corrected
// sqrt(v), MXNet's adam to the uncorrected one (python/mxnet/optimizer/optimizer.py, Adam).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ensurePeers } from './peers.mjs';
import { median } from './stats.mjs';

const FULL = { V: 64, E: 64, H: 256, T: 64, N: 16, layers: 2, lr: 0.001, steps: 10 };
const SMALL = { ...FULL, E: 32, H: 64, T: 16, N: 8, steps: 20 };
const WARMUP = 2;
const SAMPLES = 10; // memory samples over the run

function parseArgs(argv) {
  const o = {
    small: false,
    steps: null,
    memSteps: null,
    memFull: false,
    threads: 1,
    systems: ['gluon', 'tfjs-wasm'],
    child: null,
    phase: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`bench/train.mjs: ${a} needs a value`);
      return v;
    };
    if (a === '--small') o.small = true;
    else if (a === '--steps') o.steps = Number(value());
    else if (a === '--mem-steps') o.memSteps = Number(value());
    else if (a === '--mem-full') o.memFull = true;
    else if (a === '--threads') o.threads = Number(value());
    else if (a === '--systems') o.systems = value().split(',');
    else if (a === '--child') o.child = value();
    else if (a === '--phase') o.phase = value();
    else throw new Error(`bench/train.mjs: unknown argument ${a}`);
  }
  for (const s of o.systems)
    if (!(s in SYSTEMS)) throw new Error(`bench/train.mjs: unknown system ${s} (gluon, tfjs-wasm)`);
  return o;
}

/** A fixed generator (LCG), so both processes make the same weights and batch. */
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Weights in MXNet's layouts (LSTM gates i, f, g, o; weights (out, in)) and the batch's ids. */
function makeData(cfg) {
  const rnd = lcg(17);
  const u = (n, scale) => Float32Array.from({ length: n }, () => (rnd() * 2 - 1) * scale);
  const { V, E, H, T, N } = cfg;
  const layers = Array.from({ length: cfg.layers }, (_, l) => {
    const cin = l === 0 ? E : H;
    const s = 1 / Math.sqrt(H);
    return { i2h_weight: u(4 * H * cin, s), h2h_weight: u(4 * H * H, s), i2h_bias: u(4 * H, s), h2h_bias: u(4 * H, s) };
  });
  const ids = () => Int32Array.from({ length: T * N }, () => Math.floor(rnd() * V));
  return {
    embedding: u(V * E, 0.1),
    layers,
    dense_weight: u(V * H, 1 / Math.sqrt(H)),
    dense_bias: u(V, 0.01),
    x: ids(), // (T, N) row-major: step t is x[t*N .. t*N+N)
    y: ids(),
  };
}

// ------------------------------------------------------------------------------------- this package

async function gluonSystem(cfg, threads) {
  const mx = (await import('../dist/index.js')).default;
  const { wasmMemoryStats } = await import('../dist/backend/index.js');
  const backend = await mx.ready({ threads });
  const d = makeData(cfg);
  const { V, E, H, T, N } = cfg;
  const net = new mx.gluon.nn.Sequential();
  net.add(new mx.gluon.nn.Embedding(V, E));
  net.add(new mx.gluon.rnn.LSTM(H, { numLayers: cfg.layers, inputSize: E }));
  net.add(new mx.gluon.nn.Dense(V, { flatten: false, inUnits: H }));
  net.initialize();
  const set = new Map([
    ['0.weight', [d.embedding, [V, E]]],
    ['2.weight', [d.dense_weight, [V, H]]],
    ['2.bias', [d.dense_bias, [V]]],
  ]);
  d.layers.forEach((w, l) => {
    set.set(`1._unfused.${l}.i2h_weight`, [w.i2h_weight, [4 * H, l === 0 ? E : H]]);
    set.set(`1._unfused.${l}.h2h_weight`, [w.h2h_weight, [4 * H, H]]);
    set.set(`1._unfused.${l}.i2h_bias`, [w.i2h_bias, [4 * H]]);
    set.set(`1._unfused.${l}.h2h_bias`, [w.h2h_bias, [4 * H]]);
  });
  const params = net._collectParamsWithPrefix(); // structural names, as MXNet's _collect_params_with_prefix
  if (params.size !== set.size) throw new Error(`gluon: ${params.size} parameters, ${set.size} given`);
  for (const [k, [data, shape]] of set) {
    const p = params.get(k);
    if (p === undefined) throw new Error(`gluon: no parameter ${k} (${[...params.keys()].join(', ')})`);
    p.setData(mx.nd.array(data, shape));
  }
  const trainer = new mx.gluon.Trainer(net.collectParams(), 'adam', { learning_rate: cfg.lr });
  const lossFn = new mx.gluon.loss.SoftmaxCrossEntropyLoss();
  const x = mx.nd.array(Float32Array.from(d.x), [T, N]);
  const y = mx.nd.array(Float32Array.from(d.y), [T, N]);
  return {
    info: `gluon-rnn-wasm (dist/), ${backend.build}, ${backend.threads} thread(s)`,
    step() {
      const loss = mx.autograd.record(() => lossFn.forward(net.forward(x), y).mean());
      loss.backward();
      trainer.step(1);
      return loss.asScalar();
    },
    memory: () => ({ wasmMB: wasmMemoryStats().memoryBytes / 2 ** 20 }),
  };
}

// ------------------------------------------------------------------------- TensorFlow.js, wasm backend

async function tfjsSystem(cfg) {
  ensurePeers();
  const req = createRequire(new URL('./peers/package.json', import.meta.url));
  const tf = await import(req.resolve('@tensorflow/tfjs'));
  await import(req.resolve('@tensorflow/tfjs-backend-wasm'));
  if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') failed");
  await tf.ready();
  const version = req('@tensorflow/tfjs/package.json').version;
  const d = makeData(cfg);
  const { V, E, H, T, N } = cfg;
  const v = (data, shape) => tf.variable(tf.tensor(data, shape));
  const emb = v(d.embedding, [V, E]);
  const layers = d.layers.map((w, l) => ({
    Wi: v(w.i2h_weight, [4 * H, l === 0 ? E : H]),
    Wh: v(w.h2h_weight, [4 * H, H]),
    bi: v(w.i2h_bias, [4 * H]),
    bh: v(w.h2h_bias, [4 * H]),
  }));
  const Wd = v(d.dense_weight, [V, H]);
  const bd = v(d.dense_bias, [V]);
  // The inputs per step (the wasm backend slices rows slowly; see peers/systems/tfjs-wasm.mjs), one-hot:
  // the embedding is a one-hot product, because tf.gather's gradient needs UnsortedSegmentSum,
  // which tfjs-backend-wasm does not have.
  const xs = Array.from({ length: T }, (_, t) => tf.oneHot(tf.tensor1d(d.x.subarray(t * N, (t + 1) * N), 'int32'), V));
  const labels = tf.oneHot(tf.tensor1d(d.y, 'int32'), V); // (T*N, V), rows in (t, n) order
  const zeros = tf.zeros([N, H]);
  const loss = () => {
    let inputs = xs.map((oneHot) => tf.matMul(oneHot, emb)); // (N, E) per step
    for (const w of layers) {
      const b = tf.add(w.bi, w.bh);
      let h = zeros;
      let c = zeros;
      inputs = inputs.map((xt) => {
        const g = tf.add(tf.add(tf.matMul(xt, w.Wi, false, true), tf.matMul(h, w.Wh, false, true)), b);
        const [i, f, gg, o] = tf.split(g, 4, 1); // MXNet's gate order
        c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(gg)));
        h = tf.mul(tf.sigmoid(o), tf.tanh(c));
        return h;
      });
    }
    const logits = tf.add(tf.matMul(tf.concat(inputs, 0), Wd, false, true), bd); // (T*N, V)
    return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1)));
  };
  // tf.train.adam(lr, beta1, beta2, epsilon): MXNet's defaults.
  const opt = tf.train.adam(cfg.lr, 0.9, 0.999, 1e-8);
  return {
    info: `@tensorflow/tfjs@${version} + tfjs-backend-wasm, SIMD ${await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')}, 1 thread`,
    step() {
      const l = opt.minimize(loss, true);
      const value = l.dataSync()[0];
      l.dispose();
      return value;
    },
    memory: () => ({ tensors: tf.memory().numTensors, tfMB: tf.memory().numBytes / 2 ** 20 }),
  };
}

const SYSTEMS = { gluon: gluonSystem, 'tfjs-wasm': tfjsSystem };

// ------------------------------------------------------------------------------------------ running

/**
 * In a child: 'time' runs the warm-up and the timed steps; 'memory' trains for `steps` steps and
 * samples the memory SAMPLES times.
 */
async function runChild(name, phase, cfg, threads) {
  const sys = await SYSTEMS[name](cfg, threads);
  if (phase === 'time') {
    const times = [];
    const losses = [];
    for (let i = 1; i <= WARMUP + cfg.steps; i++) {
      const t0 = performance.now();
      const l = sys.step();
      const ms = performance.now() - t0;
      if (i <= 3) losses.push(l);
      if (i > WARMUP) times.push(ms);
    }
    return { name, info: sys.info, medianMs: median(times), times, losses };
  }
  const mem = [];
  const every = Math.max(1, Math.floor(cfg.steps / SAMPLES));
  let last = Number.NaN;
  for (let i = 1; i <= cfg.steps; i++) {
    last = sys.step();
    if (i % every === 0 || i === cfg.steps) {
      const m = process.memoryUsage();
      mem.push({ step: i, rssMB: m.rss / 2 ** 20, heapMB: m.heapUsed / 2 ** 20, ...sys.memory() });
    }
  }
  return { name, info: sys.info, mem, lastLoss: last };
}

/** Runs one phase of one system in a fresh Node process; its JSON result. */
function child(name, phase, cfgArgs) {
  const args = [fileURLToPath(import.meta.url), ...cfgArgs, '--child', name, '--phase', phase];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`bench/train.mjs: ${name} (${phase}) failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const cfg = { ...(o.small ? SMALL : FULL) };
  if (o.steps !== null) cfg.steps = o.steps;
  const memSteps = o.memSteps ?? (o.small ? 300 : 10_000);
  if (o.child !== null) {
    const c = o.phase === 'memory' ? { ...(o.memFull ? FULL : SMALL), steps: memSteps } : cfg;
    process.stdout.write(`${JSON.stringify(await runChild(o.child, o.phase, c, o.threads))}\n`);
    return;
  }
  const name = (c) => `Embedding(${c.V}, ${c.E}) -> LSTM(${c.H}, 2 layers) -> Dense(${c.V}); T ${c.T}, N ${c.N}`;
  console.log(
    `\nTraining a 2-layer LSTM language model, ${name(cfg)}: softmax cross-entropy + Adam (lr ${cfg.lr}), ` +
      `${cfg.steps} timed steps after ${WARMUP} warm-up.`,
  );
  const own = process.argv.slice(2).filter((a, i, all) => a !== '--systems' && all[i - 1] !== '--systems');
  const timed = o.systems.map((s) => child(s, 'time', own));
  console.log('| system | median ms / step | steps / s | losses of steps 1-3 |');
  console.log('|---|---|---|---|');
  for (const r of timed)
    console.log(
      `| ${r.info} | ${r.medianMs.toFixed(1)} | ${(1000 / r.medianMs).toFixed(2)} | ${r.losses.map((l) => l.toFixed(5)).join(', ')} |`,
    );
  const [a, b] = timed;
  if (a && b)
    console.log(
      `${a.name} / ${b.name} steps per second: ${(b.medianMs / a.medianMs).toFixed(2)}x ` +
        `(first-step losses differ by ${Math.abs(a.losses[0] - b.losses[0]).toExponential(1)})`,
    );
  if (memSteps === 0) return;
  console.log(`\nMemory over ${memSteps} training steps of ${name(o.memFull ? FULL : SMALL)}:`);
  for (const s of o.systems) {
    const r = child(s, 'memory', own);
    const keys = Object.keys(r.mem[0]).filter((k) => k !== 'step');
    console.log(`\n${r.info}:\n| step | ${keys.join(' | ')} |\n|---|${keys.map(() => '---|').join('')}`);
    for (const m of r.mem) console.log(`| ${m.step} | ${keys.map((k) => Number(m[k]).toFixed(1)).join(' | ')} |`);
    const mid = r.mem[Math.floor(r.mem.length / 2)];
    const end = r.mem.at(-1);
    console.log(
      `from step ${mid.step} to ${end.step}: RSS ${(end.rssMB - mid.rssMB).toFixed(1)} MB, ` +
        `JS heap ${(end.heapMB - mid.heapMB).toFixed(1)} MB; loss at the end ${r.lastLoss.toFixed(4)}`,
    );
  }
}

await main();
