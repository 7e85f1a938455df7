// Same-process A/B of whole package builds: two or more copies of dist/ (for example the one of
// the last commit, copied aside before `npm run build`) imported side by side in one Node
// process, each with its own wasm instance on one thread, their fused-layer calls alternated
// round by round in rotated order. The package's wasm is not the bench crate's: the wasm crate
// around the kernels changes what LLVM and wasm-opt inline, and a change can be neutral in
// `crates/kernels/wasm-bench/ab.mjs` and 3% slower here (docs/performance-log.md, session 7).
//
//   node [--experimental-wasm-relaxed-simd] bench/ab_dist.mjs /path/to/distA /path/to/distB \
//     ['[["lstm",H,N,T,C,layers],["dot",S],["dense",U,C,m],...]'] [rounds] [--threads=2]
//
// T = 1 runs tokens with the states fed back; ["dot", S] times `nd.dot` of two S x S arrays,
// ["dense", units, in, m] `nn.Dense(units)` on m rows, ["call", "layer" | "cell" | "stream"]
// the summary's no-work calls (bench/no_work_calls.mjs). `--threads=k` starts each copy's pool on k threads
// (default 1). Prints each copy's median µs per call and the median over rounds of its time
// ratio to the first copy (> 1: faster than the first).

import { noWorkCalls } from './no_work_calls.mjs';
import { median } from './stats.mjs';

const args = process.argv.slice(2);
const dists = args.filter((a) => !a.startsWith('[') && !a.startsWith('--') && !/^\d+$/.test(a));
const cfgs = JSON.parse(
  args.find((a) => a.startsWith('[')) ?? '[["lstm",128,1,32,64,1],["lstm",128,1,1,64,1],["lstm",256,1,1,128,2]]',
);
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 31);
const threads = Number(args.find((a) => a.startsWith('--threads='))?.slice('--threads='.length) ?? 1);
if (dists.length < 2) throw new Error('ab_dist.mjs: give at least two dist/ folders');

const GATES = { rnn_relu: 1, rnn_tanh: 1, lstm: 4, gru: 3 };
const copies = [];
for (const d of dists) {
  const url = new URL(`file://${d.startsWith('/') ? d : `${process.cwd()}/${d}`}/`);
  const { FusedRnnKernel } = await import(new URL('backend/rnn.js', url).href);
  const mx = (await import(new URL('index.js', url).href)).default;
  await mx.ready({ threads });
  copies.push({ name: d, FusedRnnKernel, mx });
}

function rand(n, seed) {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** One case: its label, the FLOPs of one call, one runner per copy and a cleanup. */
function makeCase(cfg) {
  if (cfg[0] === 'dot') {
    const S = cfg[1];
    const [a, b] = [rand(S * S, 1), rand(S * S, 2)];
    const runners = copies.map(({ mx }) => {
      const [x, y] = [mx.nd.array(a, [S, S]), mx.nd.array(b, [S, S])];
      return (reps) => {
        for (let r = 0; r < reps; r++) mx.nd.dot(x, y);
      };
    });
    return { label: `dot ${S}^3`, flops: 2 * S ** 3, runners, dispose() {} };
  }
  if (cfg[0] === 'dense') {
    // Dense(units, in): its forward on m rows, the weight packed once.
    const [, units, inUnits, m] = cfg;
    const x = rand(m * inUnits, 3);
    const runners = copies.map(({ mx }) => {
      const net = new mx.gluon.nn.Dense(units, { inUnits });
      net.initialize();
      const xs = mx.nd.array(x, [m, inUnits]);
      return (reps) => {
        for (let r = 0; r < reps; r++) net.forward(xs);
      };
    });
    return { label: `dense ${units}x${inUnits} m${m}`, flops: 2 * units * inUnits * m, runners, dispose() {} };
  }
  if (cfg[0] === 'call') {
    // The summary probe's no-work calls (bench/no_work_calls.mjs), 10^4 a round.
    const calls = copies.map(({ mx }) => noWorkCalls(mx));
    const runners = calls.map((c) => {
      const f = c[cfg[1]];
      return (reps) => {
        for (let r = 0; r < reps; r++) f();
      };
    });
    return {
      label: `no-work ${cfg[1]} call`,
      reps: 1e4,
      runners,
      dispose: () => {
        for (const c of calls) c.dispose();
      },
    };
  }
  const [mode, H, N, T, C, L] = cfg;
  const spec = { mode, hidden: H, numLayers: L, bidirectional: false, inputSize: C, projection: null, clip: null };
  const g = GATES[mode];
  const kernels = copies.map(({ FusedRnnKernel }) => {
    let seed = 1;
    const weights = [];
    for (let l = 0; l < L; l++) {
      const ni = l === 0 ? C : H;
      const scaled = (n) => rand(n, seed++).map((v) => v * 0.1);
      weights.push([scaled(g * H * ni), scaled(g * H * H), rand(g * H, seed++), rand(g * H, seed++)]);
    }
    return new FusedRnnKernel(spec, weights);
  });
  const x = rand(T * N * C, 7);
  const lstm = mode === 'lstm';
  const runners = kernels.map((k) => (reps) => {
    let h = new Float32Array(L * N * H);
    let c = lstm ? new Float32Array(L * N * H) : null;
    for (let r = 0; r < reps; r++) {
      const o = k.forward(x, 'TNC', T, N, h, c, null);
      if (T === 1) [h, c] = [o.hn, o.cn];
    }
  });
  return {
    label: `${mode} H${H} N${N} T${T} C${C} L${L}`,
    flops: 2 * T * N * g * H * (C + H) * L,
    runners,
    dispose: () => {
      for (const k of kernels) k.dispose();
    },
  };
}

for (const cfg of cfgs) {
  // A round is ~2e7 flops of a case's work, or the calls it asks for (`reps`).
  const { label, flops, reps: fixedReps, runners, dispose } = makeCase(cfg);
  const reps = fixedReps ?? Math.max(1, Math.round(2e7 / flops));
  const until = performance.now() + 1000;
  while (performance.now() < until) for (const run of runners) run(reps);
  const us = runners.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < runners.length; j++) {
      const i = (j + round) % runners.length;
      const t0 = performance.now();
      runners[i](reps);
      us[i].push(((performance.now() - t0) / reps) * 1e3);
    }
  }
  // The ratio is the median of each round's own ratio: these VMs drift in speed between
  // rounds, and a pair measured within one round shares the drift.
  const cols = dists.map((d, i) => {
    const ratio = median(us[i].map((t, r) => us[0][r] / t));
    return `${d} ${median(us[i]).toFixed(2)} µs${i ? ` (${ratio.toFixed(3)}x)` : ''}`;
  });
  console.log(`${label}: ${cols.join(' | ')}`);
  dispose();
}
