// SGEMM throughput of the built package next to the measured wasm SIMD peak of the same
// runtime, in the same run, the load bandwidth that bounds batch-1 (token-by-token) steps, and
// the per-call overhead of a token step (a layer call with almost no work). Run: `npm run bench`
// (all) or `node bench/gemm.mjs`; `--probes-only` prints the probes as JSON (for the summary).

import { backend } from '../dist/backend/index.js';
import mx from '../dist/index.js';
import { noWorkCalls } from './no_work_calls.mjs';
import { CONFIGS, weightBytes } from './peers/lib/configs.mjs';
import { median, timeCalls } from './stats.mjs';

/** The token-by-token configs whose weight streaming the bandwidth probe bounds. */
const STREAM_CONFIGS = Object.keys(CONFIGS).filter((k) => CONFIGS[k].stream);

function filled(n, seed) {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    a[i] = (s / 2 ** 32) * 2 - 1;
  }
  return a;
}

/**
 * GFLOP/s of the engine's SIMD multiply-add peak: the faster of the 12-chain f32x4 loop and the
 * GEMM's register tile over L1-resident panels (the fastest round of each; on some CPUs the
 * GEMM-shaped loop is the faster, and a peak a kernel can exceed would flatter it).
 */
export function measurePeak(rounds = 7) {
  const b = backend();
  const fastest = (run, flops, n) => {
    run(Math.ceil(n / 200));
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      run(n);
      best = Math.min(best, performance.now() - t0);
    }
    // The fastest round: background load only ever slows a round down.
    return flops(n) / (best * 1e6);
  };
  return Math.max(
    fastest(
      (n) => b.simd_peak_probe(n),
      (n) => b.simd_peak_probe_flops(n),
      2_000_000,
    ),
    fastest(
      (n) => b.simd_tile_probe(n),
      (n) => b.simd_tile_probe_flops(n),
      9_000,
    ),
  );
}

/** Median ms of `mx.nd.dot` on size^3 with the pool limited to `threads`, over `rounds`. */
function gemmRound(a, b, threads, targetMs) {
  backend().pool_set_threads(threads);
  return median(timeCalls(() => mx.nd.dot(a, b), targetMs));
}

/**
 * One process, the 1- and 2-thread runs and the peak probe interleaved round by round: these
 * VMs change speed within a process and between processes (up to 1.5x), so only ratios
 * measured side by side are meaningful. `fraction` is the median over rounds of the round's
 * GEMM rate over the probe measured just before it.
 */
export function measureGemm(size, maxThreads, rounds = 5, targetMs = 150) {
  const a = mx.nd.array(filled(size * size, 1), [size, size]);
  const b = mx.nd.array(filled(size * size, 2), [size, size]);
  const flops = 2 * size ** 3;
  const per = Array.from({ length: maxThreads }, () => ({ ms: [], fraction: [] }));
  for (let r = 0; r < rounds; r++) {
    const peak = measurePeak(3);
    for (let t = 1; t <= maxThreads; t++) {
      const ms = gemmRound(a, b, t, targetMs);
      per[t - 1].ms.push(ms);
      per[t - 1].fraction.push(flops / (ms * 1e6) / (peak * t));
    }
  }
  backend().pool_set_threads(maxThreads);
  return per.map((p, i) => ({
    size,
    threads: i + 1,
    ms: median(p.ms),
    gflops: flops / (median(p.ms) * 1e6),
    fraction: median(p.fraction),
  }));
}

export async function runGemmBench(threads = 2) {
  const info = await mx.ready({ threads });
  const peak = measurePeak();
  const rows = [256, 1024].flatMap((s) => measureGemm(s, info.threads));
  const peakAfter = measurePeak();
  const p = Math.max(peak, peakAfter);
  console.log(
    `\nSGEMM (${info.build}${info.relaxedSimd ? `, relaxed SIMD, kernels for ${backend().wasm_order_kept() ? 'an engine that keeps' : 'engines that reorder'} wasm's order` : ''}, Node ${process.versions.node}); wasm SIMD peak of one core measured in this run: ${p.toFixed(1)} GFLOP/s (before ${peak.toFixed(1)}, after ${peakAfter.toFixed(1)})`,
  );
  console.log(
    '| M=N=K | threads | median ms | GFLOP/s | fraction of peak (x threads; per round, vs the probe just before) | speed-up vs 1 thread |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    const one = rows.find((o) => o.size === r.size && o.threads === 1);
    console.log(
      `| ${r.size} | ${r.threads} | ${r.ms.toFixed(3)} | ${r.gflops.toFixed(1)} | ${r.fraction.toFixed(2)} | ${(one.ms / r.ms).toFixed(2)} |`,
    );
  }
  console.log(
    "\nLoad bandwidth of one core over buffers the size of the streaming configs' weights (f32x4 loads, fastest of 7 rounds):",
  );
  const bandwidth = measureStreamBounds();
  for (const b of bandwidth) {
    console.log(
      `- ${b.name}: ${(b.bytes / 2 ** 20).toFixed(2)} MiB of weights per token; ${b.gbs.toFixed(1)} GB/s, so at least ${b.boundUs.toFixed(1)} us per token`,
    );
  }
  printDecoder(
    measureDecoder(
      info.threads,
      bandwidth.find((b) => b.name === 'stream_decoder'),
    ),
  );
  const overhead = measureCallOverhead();
  console.log(
    `\nPer-call overhead (one token through LSTM(1) and LSTMCell(1), input 1, states fed back; median of 7 rounds of ${overhead.calls} calls): layer ${overhead.layerUs.toFixed(2)} us, cell ${overhead.cellUs.toFixed(2)} us, layer.stream() ${overhead.streamUs.toFixed(2)} us`,
  );
  return { peak: p, rows, bandwidth, overhead };
}

/** A word-level language model's output layer: the peer harness's stream_decoder. */
const DECODER = { units: CONFIGS.stream_decoder.V, inUnits: CONFIGS.stream_decoder.C };

/**
 * One token through the decoder, batch 1, on 1..maxThreads threads: `nn.Dense` (its weight
 * packed in wasm memory once) against `nd.FullyConnected` on the same weight (copied in and
 * packed by every call), and `bound`, stream_decoder's from `measureStreamBounds` (reading the
 * weights once at the load bandwidth of a buffer of their size). Medians of 7 rounds, the two
 * interleaved round by round.
 */
export function measureDecoder(maxThreads, bound = streamBound('stream_decoder')) {
  const { units, inUnits } = DECODER;
  const dense = new mx.gluon.nn.Dense(units, { inUnits, flatten: false });
  dense.initialize();
  const w = dense.weight.data();
  const b = dense.bias.data();
  const x = mx.nd.random.uniform(-1, 1, [1, inUnits]);
  const rows = [];
  for (let t = 1; t <= maxThreads; t++) {
    backend().pool_set_threads(t);
    const ours = [];
    const fc = [];
    for (let r = 0; r < 8; r++) {
      const a = median(timeCalls(() => dense.forward(x), 40));
      const c = median(timeCalls(() => mx.nd.FullyConnected(x, w, b, units), 40));
      if (r > 0) {
        ours.push(a * 1000);
        fc.push(c * 1000);
      }
    }
    rows.push({ threads: t, denseUs: median(ours), fullyConnectedUs: median(fc) });
  }
  backend().pool_set_threads(maxThreads);
  dense.dispose();
  return { ...DECODER, bytes: bound.bytes, gbs: bound.gbs, boundUs: bound.boundUs, rows };
}

function printDecoder(d) {
  console.log(
    `\nDecoder per token: Dense(${d.units}, in ${d.inUnits}) on one row, ${(d.bytes / 2 ** 20).toFixed(2)} MiB of weights; one core reads a buffer that size at ${d.gbs.toFixed(1)} GB/s, so at least ${d.boundUs.toFixed(0)} us (medians of 7 rounds):`,
  );
  console.log(
    '| threads | nn.Dense (packed once) us | nd.FullyConnected (packs every call) us | ratio | bound / Dense (1 thread) |',
  );
  console.log('|---|---|---|---|---|');
  for (const r of d.rows) {
    console.log(
      `| ${r.threads} | ${r.denseUs.toFixed(0)} | ${r.fullyConnectedUs.toFixed(0)} | ${(r.fullyConnectedUs / r.denseUs).toFixed(2)}x | ${r.threads === 1 ? (d.boundUs / r.denseUs).toFixed(2) : '-'} |`,
    );
  }
}

/**
 * A batch-1 step streams every weight once: weight bytes / the load bandwidth of a buffer of
 * the same size (same cache level) bounds a token from below, per streaming config.
 */
export function measureStreamBounds() {
  return STREAM_CONFIGS.map(streamBound);
}

/** One streaming config's weight bytes, the bandwidth probed over that many, and the bound. */
function streamBound(name) {
  const bytes = weightBytes(CONFIGS[name]);
  const bw = measureBandwidth(bytes / 2 ** 20);
  return { name, bytes, ...bw, boundUs: (bytes / (bw.gbs * 1e9)) * 1e6 };
}

/**
 * Microseconds per call of a token step that does almost no work, through the public API as a
 * streaming caller uses it: `layer.forward(x, states)` and `cell.forward(x, states)` with the
 * returned states fed back, and `stream.step(x, out)` of `layer.stream()` (median of 7 rounds).
 */
export function measureCallOverhead(calls = 20000) {
  const c = noWorkCalls(mx);
  const perCall = (f) => {
    const us = [];
    for (let r = 0; r < 8; r++) {
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) f();
      if (r > 0) us.push(((performance.now() - t0) * 1000) / calls); // round 0 warms up
    }
    return median(us);
  };
  const layerUs = perCall(c.layer);
  const cellUs = perCall(c.cell);
  const streamUs = perCall(c.stream);
  c.dispose();
  return { calls, layerUs, cellUs, streamUs };
}

/** GB/s of summing a `mib` MiB buffer (about 256 MiB read per round), fastest of `rounds`. */
export function measureBandwidth(mib, rounds = 7) {
  const probe = new (backend().BandwidthProbe)(Math.round((mib * 2 ** 20) / 4));
  const passes = Math.max(1, Math.round(256 / mib));
  probe.stream(1);
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    probe.stream(passes);
    times.push(performance.now() - t0);
  }
  probe.free();
  return { mib, rounds, gbs: (passes * mib * 2 ** 20) / (Math.min(...times) * 1e6) };
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes('--probes-only')) {
  await mx.ready({ threads: 1 });
  const peak = measurePeak();
  const build = mx.backendInfo().build;
  console.log(JSON.stringify({ build, peak, bandwidth: measureStreamBounds(), overhead: measureCallOverhead() }));
} else if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes('--decoder-only')) {
  const info = await mx.ready({ threads: 2 });
  printDecoder(measureDecoder(info.threads));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--threads');
  await runGemmBench(i > 0 ? Number(process.argv[i + 1]) : 2);
}
