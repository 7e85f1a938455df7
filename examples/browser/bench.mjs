// Benchmark page: gluon-rnn-wasm, ONNX Runtime Web and TensorFlow.js measured live in this
// browser, on the Node benchmark's configs, weights, models and method (bench/peers/):
//   - per config, every system builds its layer from the same seeded weights and input
//     (lib/configs.mjs) and its first output is checked against the float64 reference
//     (lib/reference.mjs), again after the timed calls;
//   - untimed calls for warm-ms, two estimate calls set K (the calls per round, about
//     target-ms of work), then rounds interleave the systems with the order rotated each round;
//   - reported: median and minimum ms over all timed calls, GFLOP/s at the median, µs per token
//     for the streaming configs, and the median over rounds of the per-round time ratio to this
//     package.
// Everything runs on this page's main thread, one system at a time.
// URL parameters: configs=a,b  systems=gluon,ort-web,tfjs-wasm  rounds=5  target-ms=150
//   warm-ms=300  gap-ms=20  threads=N  quick (small_lstm + stream_lstm_small, one short round)
import { CONFIGS, flopsPerCall, makeData, median } from '../../bench/peers/lib/configs.mjs';
import { maxAbsDiff, referenceChecked, TOLERANCE, toleranceOf } from '../../bench/peers/lib/reference.mjs';
import { drawChart, resultsTable } from './bench-chart.mjs';
import { INSTALL, loadSystem, peerInstall, SYSTEM_IDS } from './bench-peers.mjs';

const $ = (id) => document.getElementById(id);
const state = {
  done: false,
  /** One row per finished config and system. */
  rows: [],
  /** Per system id: { label, info } or { label, error }. */
  systems: {},
  peers: null,
  settings: null,
  error: null,
};
globalThis.__bench = state;

const COLORS = { gluon: '#2f5d8a', 'ort-web': '#c8553d', 'tfjs-wasm': '#e0a458' };
const NAMES = { gluon: 'gluon-rnn-wasm', 'ort-web': 'ONNX Runtime Web', 'tfjs-wasm': 'TensorFlow.js wasm' };
// large_lstm is left out unless asked for: its float64 reference alone takes minutes
const DEFAULT_CONFIGS = Object.keys(CONFIGS).filter((c) => c !== 'large_lstm');

function settings(search) {
  const p = new URLSearchParams(search);
  const quick = p.has('quick');
  const list = (key, known, fallback) => {
    if (!p.has(key)) return fallback;
    const items = p.get(key).split(',').filter(Boolean);
    for (const i of items) if (!known.includes(i)) throw new Error(`?${key}: unknown '${i}' (${known.join(', ')})`);
    if (items.length === 0) throw new Error(`?${key}: expected a comma-separated list, got ''`);
    return items;
  };
  const number = (key, fallback, min) => {
    if (!p.has(key)) return fallback;
    const v = Number(p.get(key));
    if (!(Number.isFinite(v) && v >= min)) throw new Error(`?${key}: expected a number >= ${min}, got '${p.get(key)}'`);
    return v;
  };
  const isolated = globalThis.crossOriginIsolated === true;
  // the package's own default in a browser: the core count, up to 4 (one without shared memory)
  const defaultThreads = isolated ? Math.min(navigator.hardwareConcurrency || 1, 4) : 1;
  const known = new Set(['configs', 'systems', 'rounds', 'target-ms', 'warm-ms', 'gap-ms', 'threads', 'quick']);
  for (const k of p.keys())
    if (!known.has(k)) throw new Error(`unknown URL parameter '${k}' (${[...known].join(', ')})`);
  return {
    configs: list('configs', Object.keys(CONFIGS), quick ? ['small_lstm', 'stream_lstm_small'] : DEFAULT_CONFIGS),
    systems: SYSTEM_IDS.filter((id) => list('systems', SYSTEM_IDS, SYSTEM_IDS).includes(id)),
    rounds: Math.round(number('rounds', quick ? 1 : 5, 1)),
    targetMs: number('target-ms', quick ? 20 : 150, 0),
    warmMs: number('warm-ms', quick ? 30 : 300, 0),
    gapMs: number('gap-ms', 20, 0),
    threads: Math.round(number('threads', defaultThreads, 1)),
    isolated,
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const firstLine = (e) => String(e?.message ?? e).split('\n')[0];

// ---- loading

function describe(id, info, asked) {
  if (id === 'gluon') {
    const b = info.backend;
    return `${info.package}: ${b.build}${b.relaxedSimd ? ' (relaxed SIMD)' : ''}, ${b.threads} thread(s)${b.threadsFallback ? ` (${b.threadsFallback})` : ''}`;
  }
  if (id === 'ort-web')
    return `${info.package}: wasm execution provider (SIMD), env.wasm.numThreads ${info.numThreads}`;
  const kept = info.threads < asked ? ` (asked for ${asked}: setThreadsCount(${asked}), the backend kept fewer)` : '';
  return `${info.package}: backend ${info.backend}${info.simd ? ' (SIMD)' : ' (no SIMD)'}, ${info.threads} thread(s)${kept}`;
}

async function loadSystems(opt) {
  const loaded = [];
  for (const id of opt.systems) {
    const entry = { id, color: COLORS[id], label: NAMES[id] };
    if (id !== 'gluon' && !state.peers.installed) {
      state.systems[id] = { label: entry.label, error: 'not installed' };
      continue;
    }
    $('status').textContent = `loading ${entry.label}…`;
    try {
      const t0 = performance.now();
      entry.system = await loadSystem(id, opt.threads);
      const loadMs = performance.now() - t0;
      const threads =
        id === 'gluon'
          ? entry.system.info.backend.threads
          : (entry.system.info.numThreads ?? entry.system.info.threads);
      entry.label = `${NAMES[id]} ×${threads}t`;
      state.systems[id] = { label: entry.label, info: entry.system.info, loadMs };
      loaded.push(entry);
    } catch (e) {
      state.systems[id] = { label: entry.label, error: String(e?.stack ?? e) };
    }
  }
  $('systems').innerHTML = opt.systems
    .map((id) => {
      const s = state.systems[id];
      const text = s.error
        ? `<span class="bad">${s.error === 'not installed' ? 'not installed' : `failed to load: ${firstLine(s.error)}`}</span>`
        : describe(id, s.info, opt.isolated ? opt.threads : 1);
      return `<li><b>${NAMES[id]}</b>: ${text}</li>`;
    })
    .join('');
  return loaded;
}

// ---- one config (bench/peers/driver.mjs runConfig, in one page)

async function runConfig(c, systems, opt, redraw) {
  const { cfg } = c;
  const F = flopsPerCall(cfg);
  $('status').textContent = `${c.name}: float64 reference…`;
  await sleep(0);
  const data = makeData(c.name);
  const ref = referenceChecked(data);
  c.limit = toleranceOf(ref).limit;
  c.active = true;
  const models = {};
  for (const s of systems) {
    const r = { times: [], roundMedians: [] };
    c.results[s.id] = r;
    $('status').textContent = `${c.name}: building ${s.label}…`;
    await sleep(0);
    try {
      const t0 = performance.now();
      const model = await s.system.build(data);
      const t1 = performance.now();
      await model.run();
      r.buildMs = t1 - t0;
      r.firstMs = performance.now() - t1;
      r.maxAbsDiff = maxAbsDiff(model.checked(), ref);
      // untimed calls first (the JIT has to see the JS around each runtime), then the estimate
      const until = performance.now() + opt.warmMs;
      while (performance.now() < until) await model.run();
      const est = [];
      for (let i = 0; i < 2; i++) {
        const t = performance.now();
        await model.run();
        est.push(performance.now() - t);
      }
      const e = Math.min(...est);
      r.calls = Math.max(1, Math.min(50, Math.round(opt.targetMs / e)));
      r.warm = e < 300;
      models[s.id] = model;
    } catch (e) {
      r.error = String(e?.stack ?? e);
    }
    redraw();
  }
  const timed = systems.filter((s) => models[s.id]);
  for (let round = 0; round < opt.rounds; round++) {
    for (let i = 0; i < timed.length; i++) {
      const s = timed[(i + round) % timed.length];
      const r = c.results[s.id];
      if (r.error) continue;
      $('status').textContent = `${c.name}: round ${round + 1}/${opt.rounds}, ${s.label}`;
      await sleep(opt.gapMs);
      try {
        const model = models[s.id];
        if (r.warm) await model.run();
        const times = [];
        for (let k = 0; k < r.calls; k++) {
          const t0 = performance.now();
          await model.run();
          times.push(performance.now() - t0);
        }
        r.times.push(...times);
        r.roundMedians[round] = median(times);
      } catch (e) {
        r.error = String(e?.stack ?? e);
        continue;
      }
      summarize(c, F);
      redraw();
    }
  }
  // one more call after the timed ones must give the same result
  for (const s of timed) {
    const r = c.results[s.id];
    if (!r.error) {
      try {
        await models[s.id].run();
        r.maxAbsDiff = Math.max(r.maxAbsDiff, maxAbsDiff(models[s.id].checked(), ref));
      } catch (e) {
        r.error = String(e?.stack ?? e);
      }
      r.accurate = r.maxAbsDiff <= c.limit;
    }
    await models[s.id].free();
  }
  c.active = false;
  summarize(c, F);
  redraw();
}

/** Medians so far, GFLOP/s, µs per token and the per-round time ratio to gluon-rnn-wasm. */
function summarize(c, F) {
  const base = c.results.gluon;
  for (const r of Object.values(c.results)) {
    if (r.error || r.times.length === 0) continue;
    r.medianMs = median(r.times);
    r.minMs = Math.min(...r.times);
    r.gflops = F / (r.medianMs * 1e6);
    r.n = r.times.length;
    if (c.cfg.stream) r.usPerToken = (r.medianMs * 1e3) / c.cfg.T;
    r.ratio =
      base && !base.error
        ? median(r.roundMedians.map((m, i) => m / base.roundMedians[i]).filter(Number.isFinite))
        : Number.NaN;
  }
}

// ---- main

async function main() {
  const opt = settings(location.search);
  state.settings = opt;
  $('threads').textContent = `${opt.threads}${opt.isolated ? '' : ' (not cross-origin isolated)'}`;
  $('tolerance').textContent = TOLERANCE.toExponential();
  state.peers = await peerInstall();
  if (!state.peers.installed && opt.systems.some((id) => id !== 'gluon')) {
    const have = Object.entries(state.peers.found)
      .map(([n, v]) => `${n} ${v ?? 'missing'} (pinned ${state.peers.pins[n]})`)
      .join(', ');
    $('peers').innerHTML =
      `The peers are not installed (${have || 'bench/peers/package.json not found'}). Run <code>${INSTALL}</code> ` +
      "in the repository (it installs bench/peers/package.json's pinned versions into bench/peers/node_modules), then " +
      'reload. Meanwhile this package is measured alone.';
  }
  const systems = await loadSystems(opt);
  const chartSystems = opt.systems.map((id) => ({ id, color: COLORS[id], label: state.systems[id].label }));
  const configs = opt.configs.map((name) => ({ name, cfg: CONFIGS[name], limit: Number.NaN, results: {} }));
  const redraw = () => {
    drawChart($('chart'), configs, chartSystems);
    $('table').innerHTML = resultsTable(configs, chartSystems, NAMES.gluon);
  };
  redraw();
  for (const c of configs) {
    await runConfig(c, systems, opt, redraw);
    for (const s of systems) {
      const r = c.results[s.id];
      state.rows.push(
        r.error
          ? { config: c.name, system: s.id, error: r.error }
          : {
              config: c.name,
              system: s.id,
              medianMs: r.medianMs,
              minMs: r.minMs,
              gflops: r.gflops,
              usPerToken: r.usPerToken,
              ratio: r.ratio,
              calls: r.n,
              maxAbsDiff: r.maxAbsDiff,
              limit: c.limit,
              accurate: r.accurate,
            },
      );
    }
  }
  const bad = state.rows.filter((r) => r.error || !r.accurate);
  $('status').textContent = bad.length ? `done; ${bad.length} failure(s), see the table` : 'done';
  state.done = true;
}

main().catch((e) => {
  state.error = String(e?.stack ?? e);
  state.done = true;
  $('status').textContent = 'failed';
  $('error').textContent = state.error;
});
