// Same-process A/B of two wasm-bench builds (the machines are too noisy to compare runs in
// separate processes): both modules are loaded in one Node process and their fused-layer
// calls alternate; prints each build's GF/s and the median of per-pair time ratios A/B
// (> 1: B is faster).
//
//   node [--experimental-wasm-relaxed-simd] ab.mjs A.wasm B.wasm ['[[mode,H,N,T,I],...]'] [pairs]
//   mode: 0 LSTM, 1 GRU, 2 RNN-tanh (one layer)
// Build each side as bench.mjs says; for the FMA builds use
// RUSTFLAGS='-C target-feature=+simd128,+relaxed-simd' and pass the flag above.
import fs from 'fs';
const load = async (p) => (await WebAssembly.instantiate(fs.readFileSync(p))).instance.exports;
const A = await load(process.argv[2]), B = await load(process.argv[3]);
const cfgs = JSON.parse(process.argv[4] || '[[0,256,16,64,128],[1,256,16,64,128],[2,256,16,64,128],[0,128,1,32,64]]');
const reps = Number(process.argv[5] || 31);
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
for (const [mode, h, n, t, i] of cfgs) {
  A.setup_rnn(mode, h, n, t, i); B.setup_rnn(mode, h, n, t, i);
  const g = [4, 3, 1][mode]; const fl = 2 * t * n * g * h * (i + h); const it = Math.max(1, Math.round(3e7 / fl));
  for (let w = 0; w < 3; w++) { A.run_rnn(n, t, it); B.run_rnn(n, t, it); }
  const ta = [], tb = [], ratio = [];
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now(); A.run_rnn(n, t, it); const a = performance.now() - t0;
    t0 = performance.now(); B.run_rnn(n, t, it); const b = performance.now() - t0;
    ta.push(a); tb.push(b); ratio.push(a / b);
  }
  const gf = (x) => (fl * it / x / 1e6).toFixed(1);
  console.log(`${['lstm', 'gru', 'rnn'][mode]} H${h} N${n} T${t} I${i}: A ${gf(med(ta))} (best ${gf(Math.min(...ta))}) B ${gf(med(tb))} (best ${gf(Math.min(...tb))}) GF/s; A/B time ratio median ${med(ratio).toFixed(3)}, best-vs-best ${(Math.min(...ta) / Math.min(...tb)).toFixed(3)}`);
}
