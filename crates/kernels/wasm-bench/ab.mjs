// Same-process A/B of wasm-bench builds (the machines are too noisy to compare runs in separate
// processes): every build is instantiated several times in one Node process, all instances
// are warmed up, then their fused-layer calls alternate round by round, each round in a
// rotated order. Prints each build's median time per call over all its instances and rounds,
// its GF/s, and the time ratio to the first build (> 1: faster than the first).
//
//   node [--experimental-wasm-relaxed-simd] ab.mjs A.wasm B.wasm [C.wasm ...] ['[[mode,H,N,T,I],...]'] [rounds]
//   mode: 0 LSTM, 1 GRU, 2 RNN-tanh (one layer); INSTANCES=3, WARM_MS=500 and ORDER_KEPT=0 in the
//   environment (ORDER_KEPT=1: the FMA kernels as the package runs them under V8 13.6+, bench.mjs)
// Build each side as bench.mjs says; for the FMA builds use
// RUSTFLAGS='-C target-feature=+simd128,+relaxed-simd' and pass the flag above.
//
// Why several instances and a warm-up:
// - Each instance has its own memory, hence its own physical pages. With a working set near
//   the L2 size, instances of one build differed by 5% (27% for one of 18: LSTM H256 batch 1,
//   1.5 MiB of weights in a 2 MiB L2); one instance per build measures its pages as much as
//   the code.
// - V8 runs a function in its baseline tier (Liftoff) until the optimised code is ready, and
//   a wasm call already running keeps its tier. The first tens of milliseconds of a
//   `run_rnn` loop ran 2.1x slower (LSTM H128 batch 1: 17 against 8.1 µs per call).
import fs from 'fs';

const args = process.argv.slice(2);
const files = args.filter((a) => a.endsWith('.wasm'));
const rest = args.filter((a) => !a.endsWith('.wasm'));
const cfgs = JSON.parse(rest[0] || '[[0,256,16,64,128],[1,256,16,64,128],[2,256,16,64,128],[0,128,1,32,64]]');
const rounds = Number(rest[1] || 21);
const instances = Number(process.env.INSTANCES || 3);
const warmMs = Number(process.env.WARM_MS || 500);
if (files.length < 2) throw new Error('ab.mjs: give at least two .wasm builds');

const runs = [];
for (const [build, f] of files.entries()) {
  const bytes = fs.readFileSync(f);
  for (let k = 0; k < instances; k++) {
    const e = (await WebAssembly.instantiate(bytes)).instance.exports;
    e.set_order_kept(Number(process.env.ORDER_KEPT ?? 0));
    runs.push({ build, e });
  }
}
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1];
};

for (const [mode, h, n, t, i] of cfgs) {
  const g = [4, 3, 1][mode];
  const flops = 2 * t * n * g * h * (i + h);
  const it = Math.max(1, Math.round(3e7 / flops));
  for (const r of runs) r.e.setup_rnn(mode, h, n, t, i);
  const until = performance.now() + warmMs;
  while (performance.now() < until) for (const r of runs) r.e.run_rnn(n, t, it);
  const us = files.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let q = 0; q < runs.length; q++) {
      const r = runs[(q + round) % runs.length];
      const t0 = performance.now();
      r.e.run_rnn(n, t, it);
      us[r.build].push(((performance.now() - t0) / it) * 1e3);
    }
  }
  const med = us.map(median);
  const cols = files.map((f, b) => {
    const ratio = b === 0 ? '' : `, ${(med[0] / med[b]).toFixed(3)}x`;
    return `${f.split('/').pop()} ${med[b].toFixed(2)} µs (${(flops / med[b] / 1e3).toFixed(1)} GF/s${ratio})`;
  });
  console.log(`${['lstm', 'gru', 'rnn'][mode]} H${h} N${n} T${t} I${i}: ${cols.join(' | ')}`);
}
