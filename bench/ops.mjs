// Softmax + top-k (k = 5) over a 32k vocabulary at batch 1 and 16, and a Conv1D front end
// (Conv1D(64, kernel 5, padding 2) on (16, 40, 200) NCW): this package beside ONNX Runtime Web
// and TensorFlow.js (wasm backends, one thread each), on the same data, in the same process and
// run. Every system's output is checked against a float64 computation written here (top-k:
// the same indices, values within 1e-5; Conv1D: within 1e-5 x max(1, max|y|)), and so against
// each other. Rounds rotate the systems' order; each round times calls for about --target-ms
// per system. Reported: the median over rounds of each system's per-round median, and the
// median over rounds of the per-round ratio peer / gluon (above 1: this package is faster).
// Run: `npm run bench` (part of it) or `node bench/ops.mjs [--rounds 5] [--target-ms 200]`.
import mx from '../dist/index.js';
import { ensurePeers } from './peers.mjs';
import { median } from './stats.mjs';

const TOLERANCE = 1e-5;
const VOCAB = 32_000;
const K = 5;
const CONV = { N: 16, C: 40, W: 200, O: 64, K: 5, pad: 2 };

function parseArgs(argv) {
  const o = { rounds: 5, targetMs: 200 };
  for (let i = 0; i < argv.length; i++) {
    const v = Number(argv[i + 1]);
    if (argv[i] === '--rounds' && Number.isInteger(v) && v > 0) o.rounds = v;
    else if (argv[i] === '--target-ms' && v > 0) o.targetMs = v;
    else
      throw new Error(
        `bench/ops.mjs: unknown or bad option '${argv[i]} ${argv[i + 1] ?? ''}' (--rounds n, --target-ms ms)`,
      );
    i++;
  }
  return o;
}

/** Uniform floats in [lo, hi) from a fixed 32-bit LCG: the same data for every system. */
function uniform(n, lo, hi, seed) {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 4294967296;
  }
  return out;
}

/** float64 softmax + top-k of each row: { values, indices } (B * k each). */
function topkReference(x, B, V, k) {
  const values = new Float64Array(B * k);
  const indices = new Float64Array(B * k);
  for (let b = 0; b < B; b++) {
    const row = x.subarray(b * V, (b + 1) * V);
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let sum = 0;
    for (const v of row) sum += Math.exp(v - max);
    const order = Array.from(row.keys()).sort((i, j) => row[j] - row[i] || i - j);
    for (let j = 0; j < k; j++) {
      indices[b * k + j] = order[j];
      values[b * k + j] = Math.exp(row[order[j]] - max) / sum;
    }
  }
  return { values, indices };
}

/** float64 Conv1D (NCW, stride 1, zero padding), Y (N, O, W'). */
function convReference({ N, C, W, O, K: KW, pad }, x, w, bias) {
  const Wo = W + 2 * pad - KW + 1;
  const y = new Float64Array(N * O * Wo);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let t = 0; t < Wo; t++) {
        let acc = bias[o];
        for (let c = 0; c < C; c++)
          for (let k = 0; k < KW; k++) {
            const s = t + k - pad;
            if (s >= 0 && s < W) acc += w[(o * C + c) * KW + k] * x[(n * C + c) * W + s];
          }
        y[(n * O + o) * Wo + t] = acc;
      }
  return y;
}

/** Largest |got - want| over max(1, max|want|); throws when it is over TOLERANCE. */
function check(what, got, want) {
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} outputs, expected ${want.length}`);
  let scale = 1;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  let err = 0;
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
  if (!(err / scale <= TOLERANCE)) throw new Error(`${what}: differs from the float64 reference by ${err / scale}`);
  return err / scale;
}

function checkTopk(what, got, want) {
  for (let i = 0; i < want.indices.length; i++)
    if (got.indices[i] !== want.indices[i])
      throw new Error(`${what}: top-k index ${i} is ${got.indices[i]}, the float64 reference has ${want.indices[i]}`);
  return check(what, got.values, want.values);
}

/** Per-call times (ms) of `fn` (sync or async) after two warm-up calls, for about targetMs. */
async function timeCalls(fn, targetMs, minCalls = 5) {
  await fn();
  await fn();
  const times = [];
  const start = performance.now();
  while (times.length < minCalls || performance.now() - start < targetMs) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/** The package's side of each case, public API only. */
function gluonCases() {
  return {
    softmaxTopk(x, B, V, k) {
      const X = mx.nd.array(x).reshape([B, V]);
      return {
        run() {
          const [values, indices] = mx.nd.topk(mx.nd.softmax(X, { axis: -1 }), { k, retTyp: 'both' });
          return { values: values.toFloat32Array(), indices: indices.toFloat32Array() };
        },
        free() {},
      };
    },
    conv1d({ N, C, W, O, K: KW, pad }, x, weight, bias) {
      const conv = new mx.gluon.nn.Conv1D(O, KW, { padding: pad, inChannels: C });
      conv.initialize();
      conv.weight.setData(mx.nd.array(weight).reshape([O, C, KW]));
      conv.bias.setData(mx.nd.array(bias));
      const X = mx.nd.array(x).reshape([N, C, W]);
      return { run: () => conv.forward(X).toFloat32Array(), free() {} };
    },
  };
}

export async function runOpsBench(argv = []) {
  const opts = parseArgs(argv);
  ensurePeers();
  const { ortOps, tfjsOps, swapLast } = await import('./peers/lib/ops.mjs');
  const info = await mx.ready({ threads: 1 });
  const systems = [
    ['gluon', gluonCases(), `gluon-rnn-wasm ${info.build}, 1 thread`],
    ...(await ortOps(1).then((s) => [['ort-web', s, `${s.info}, wasm EP, 1 thread`]])),
    ...(await tfjsOps().then((s) => [['tfjs-wasm', s, `${s.info}, 1 thread`]])),
  ];
  const cases = [];
  for (const B of [1, 16]) {
    const x = uniform(B * VOCAB, -8, 8, 14 + B);
    cases.push({
      name: `softmax + top-${K}, batch ${B} x ${VOCAB}`,
      make: (s) => s.softmaxTopk(x, B, VOCAB, K),
      verify: (() => {
        const want = topkReference(x, B, VOCAB, K);
        return (id, out) => checkTopk(id, out, want);
      })(),
    });
  }
  {
    const { N, C, W, O, K: KW } = CONV;
    const x = uniform(N * C * W, -1, 1, 3);
    const bound = 1 / Math.sqrt(C * KW);
    const weight = uniform(O * C * KW, -bound, bound, 4);
    const bias = uniform(O, -bound, bound, 5);
    const want = convReference(CONV, x, weight, bias);
    const Wo = W; // 'same' padding
    cases.push({
      name: `Conv1D(${O}, kernel ${KW}, padding ${CONV.pad}) on (${N}, ${C}, ${W}) NCW`,
      make: (s) => s.conv1d(CONV, x, weight, bias),
      // tfjs answers channels-last (N, W', O): compare in NCW.
      verify: (id, out) => check(id, id === 'tfjs-wasm' ? swapLast(out, N, Wo, O) : out, want),
    });
  }

  console.log(
    `\nDecoding and front-end operators beside their peers (${opts.rounds} rounds, ~${opts.targetMs} ms each):`,
  );
  for (const [id, , what] of systems) console.log(`  ${id}: ${what}`);
  const rows = [];
  for (const c of cases) {
    const runs = [];
    for (const [id, s] of systems) {
      const r = await c.make(s);
      const err = c.verify(id, await r.run());
      runs.push({ id, r, err, medians: [] });
    }
    for (let round = 0; round < opts.rounds; round++) {
      for (let j = 0; j < runs.length; j++) {
        const run = runs[(j + round) % runs.length];
        run.medians.push(median(await timeCalls(() => run.r.run(), opts.targetMs)));
      }
    }
    const base = runs[0];
    for (const run of runs) {
      const ratios = run.medians.map((m, i) => m / base.medians[i]);
      rows.push({ case: c.name, id: run.id, ms: median(run.medians), ratio: median(ratios), err: run.err });
      run.r.free();
    }
  }
  console.log('\n| operation | system | median ms | peer / gluon | max error vs float64 |');
  console.log('|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.case} | ${r.id} | ${r.ms.toFixed(3)} | ${r.id === 'gluon' ? '1' : `${r.ratio.toFixed(2)}x`} | ${r.err.toExponential(1)} |`,
    );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await runOpsBench(process.argv.slice(2));
