// The recurrent-layer benchmark: this package beside ONNX Runtime Web and TensorFlow.js, on the
// same weights, in the same run. Method (README.md here):
//   - every system runs in its own process (worker.mjs), fresh for each config; the driver
//     talks to one at a time, so only one system computes at any moment;
//   - each output is checked against a float64 forward pass written in JS (lib/reference.mjs);
//   - rounds interleave the systems (order rotated every round); per round each system makes
//     K timed calls (about --target-ms of work); reported: the median over all timed calls and,
//     per pair, the median over rounds of the per-round ratio of medians.
// Options: --configs a,b  --systems gluon-1t,...  --rounds 5  --target-ms 150  --no-init
//          --init-reps 3  --warm-ms 300  --gap-ms 20  --out <file prefix>
// Exit status 1 when a system fails or an output differs from the reference.
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIGS, flopsPerCall, makeData, median, weightBytes } from './lib/configs.mjs';
import { maxAbsDiff, referenceChecked, TOLERANCE, toleranceOf } from './lib/reference.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

// system id -> worker kind and threads
export const SYSTEMS = {
  'gluon-1t': ['gluon', 1],
  'gluon-2t': ['gluon', 2],
  'gluon-fwd-1t': ['gluon-fwd', 1],
  'ort-web-1t': ['ort-web', 1],
  'ort-web-2t': ['ort-web', 2],
  'tfjs-wasm': ['tfjs-wasm', 1],
};
const BASELINES = ['gluon-1t', 'ort-web-1t'];
/** Systems that differ from another only token by token (gluon-fwd-1t: `forward` per token, not `stream()`). */
const STREAM_ONLY = new Set(['gluon-fwd-1t']);

function parseArgs(argv) {
  const o = {
    configs: Object.keys(CONFIGS),
    systems: Object.keys(SYSTEMS),
    rounds: 5,
    targetMs: 150,
    init: true,
    initReps: 3,
    warmMs: 300,
    gapMs: 20,
    out: path.join(HERE, 'results', new Date().toISOString().replace(/[:.]/g, '-')),
  };
  const list = (v, known, what) => {
    const items = v.split(',').filter(Boolean);
    for (const i of items) if (!known.includes(i)) throw new Error(`unknown ${what} '${i}' (${known.join(', ')})`);
    return items;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    const number = () => {
      const v = Number(value());
      if (!(v >= 0)) throw new Error(`${a} needs a number >= 0, got ${argv[i]}`);
      return v;
    };
    if (a === '--configs') o.configs = list(value(), Object.keys(CONFIGS), 'config');
    else if (a === '--systems') o.systems = list(value(), Object.keys(SYSTEMS), 'system');
    else if (a === '--rounds') o.rounds = Math.max(1, Math.round(number()));
    else if (a === '--target-ms') o.targetMs = number();
    else if (a === '--no-init') o.init = false;
    else if (a === '--init-reps') o.initReps = Math.round(number());
    else if (a === '--warm-ms') o.warmMs = number();
    else if (a === '--gap-ms') o.gapMs = number();
    else if (a === '--out') o.out = path.resolve(value());
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

// ---- workers

// Node 20 keeps relaxed SIMD behind a V8 flag; every worker gets the same engine, so each
// runtime may use the fastest wasm its engine allows.
// The probes the summary divides by (bench/gemm.mjs --probes-only) run with the same flags.
export const NODE_FLAGS = process.versions.node.startsWith('20.') ? ['--experimental-wasm-relaxed-simd'] : [];

class Worker {
  constructor(system) {
    const [kind, threads] = SYSTEMS[system];
    this.system = system;
    this.t0 = performance.now();
    this.log = [];
    this.proc = fork(path.join(HERE, 'worker.mjs'), [kind, String(threads)], {
      execArgv: NODE_FLAGS,
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const s of [this.proc.stdout, this.proc.stderr]) s.on('data', (b) => this.log.push(String(b)));
    this.waiting = [];
    this.proc.on('message', (m) => this.waiting.shift()?.(m));
    this.exited = new Promise((resolve) =>
      this.proc.on('exit', (code) => {
        this.dead = true;
        const why = `worker exited (${code}): ${this.log.join('').trim().split('\n').slice(-5).join(' | ')}`;
        for (const w of this.waiting.splice(0)) w({ error: why, ready: false });
        resolve(code);
      }),
    );
    this.ready = new Promise((resolve) => this.waiting.push(resolve)).then((m) => ({
      ...m,
      wallMs: performance.now() - this.t0,
    }));
  }
  request(msg) {
    if (this.dead) return Promise.resolve({ error: 'worker is gone' });
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.proc.send(msg);
    });
  }
  async close() {
    const r = this.dead ? {} : await this.request({ op: 'exit' });
    await this.exited;
    return r;
  }
}

// ---- measurement helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const firstLine = (e) => String(e).split('\n')[0];

/** The float64 reference of a config, computed once and kept in .cache/ (same seed, same numbers). */
function reference(name) {
  const hash = createHash('sha256');
  for (const f of ['lib/configs.mjs', 'lib/reference.mjs']) hash.update(fs.readFileSync(path.join(HERE, f)));
  const file = path.join(HERE, '.cache', `${name}-${hash.digest('hex').slice(0, 12)}.f64`);
  if (fs.existsSync(file)) {
    const b = fs.readFileSync(file);
    return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
  }
  const t0 = performance.now();
  const ref = referenceChecked(makeData(name));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, new Uint8Array(ref.buffer));
  console.error(`  float64 reference of ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s (cached)`);
  return ref;
}

/** Machine-wide busy CPU time and our processes' CPU time, in clock ticks. */
function cpuTicks(pids) {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
  let ours = 0;
  for (const pid of pids) {
    try {
      const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const x = st.slice(st.lastIndexOf(')') + 2).split(' ');
      ours += Number(x[11]) + Number(x[12]);
    } catch {
      // the process ended: its time is lost to the count, which then reads slightly high
    }
  }
  return { busy, ours, t: performance.now() };
}
const TICKS_PER_S = 100;

// ---- one config

async function runConfig(name, opt, failures) {
  const cfg = CONFIGS[name];
  const F = flopsPerCall(cfg);
  console.error(`\n# ${name} ${JSON.stringify(cfg)}: ${(F / 1e9).toFixed(4)} GFLOP per call`);
  const ref = reference(name);
  const { maxRef, limit } = toleranceOf(ref);
  const per = {};
  const workers = {};
  // gluon-fwd-1t differs only in its recurrent layers' token loop: a decoder runs the same calls
  for (const s of opt.systems.filter((x) => (cfg.stream && cfg.mode !== 'dense') || !STREAM_ONLY.has(x))) {
    const w = new Worker(s);
    const r = await w.ready;
    if (!r.ready) {
      per[s] = { error: `failed to load: ${r.error}` };
      failures.push(`${name} ${s}: ${firstLine(per[s].error)}`);
      await w.exited;
      continue;
    }
    workers[s] = w;
    per[s] = { info: r.info, loadMs: r.loadMs };
  }
  const pids = [process.pid, ...Object.values(workers).map((w) => w.proc.pid)];
  const cpu0 = cpuTicks(pids);
  for (const [s, w] of Object.entries(workers)) {
    const b = await w.request({ op: 'build', config: name });
    if (b.error) {
      per[s].error = b.error;
      failures.push(`${name} ${s}: build failed: ${firstLine(b.error)}`);
      continue;
    }
    const diff = maxAbsDiff(b.output, ref);
    Object.assign(per[s], { buildMs: b.buildMs, firstMs: b.firstMs, rssMB: b.rssMB, maxAbsDiff: diff, times: [] });
    per[s].roundMedians = [];
    // untimed calls first: the JS around each runtime (all of it, in tfjs and the streaming
    // loops) runs slowly until the JIT has seen it a few hundred times
    const est = await w.request({ op: 'time', calls: 2, warm: false, warmMs: opt.warmMs });
    if (est.error) {
      per[s].error = est.error;
      continue;
    }
    const e = Math.min(...est.times);
    per[s].calls = Math.max(1, Math.min(50, Math.round(opt.targetMs / e)));
    per[s].warm = e < 300; // slower calls need no warm call before each round
    console.error(
      `  ${s}: build ${b.buildMs.toFixed(1)} ms, first call ${b.firstMs.toFixed(2)} ms, ~${e.toFixed(3)} ms/call -> ` +
        `${per[s].calls} calls per round; max |diff| vs float64 ${diff.toExponential(2)} (limit ${limit.toExponential(1)})`,
    );
  }
  const timed = Object.keys(workers).filter((s) => !per[s].error);
  for (let r = 0; r < opt.rounds; r++) {
    for (let i = 0; i < timed.length; i++) {
      const s = timed[(i + r) % timed.length];
      if (per[s].error) continue;
      await sleep(opt.gapMs);
      const t = await workers[s].request({ op: 'time', calls: per[s].calls, warm: per[s].warm });
      if (t.error) {
        per[s].error = t.error;
        failures.push(`${name} ${s}: ${firstLine(t.error)}`);
        continue;
      }
      per[s].times.push(...t.times);
      per[s].roundMedians[r] = median(t.times);
    }
    console.error(
      `  round ${r + 1}/${opt.rounds}: ${timed.map((s) => `${s} ${per[s].roundMedians[r]?.toFixed(3) ?? '-'}`).join(', ')}`,
    );
  }
  const cpu1 = cpuTicks(pids);
  // a call after the timed ones must give the same result: nothing may carry over between calls
  for (const s of timed) {
    if (per[s].error) continue;
    const o = await workers[s].request({ op: 'output' });
    per[s].maxAbsDiffAfter = o.error ? Number.POSITIVE_INFINITY : maxAbsDiff(o.output, ref);
    per[s].accurate = Math.max(per[s].maxAbsDiff, per[s].maxAbsDiffAfter) <= limit;
    if (!per[s].accurate) {
      failures.push(
        `${name} ${s}: output differs from the float64 reference by ${Math.max(per[s].maxAbsDiff, per[s].maxAbsDiffAfter).toExponential(2)} > ${limit.toExponential(1)}`,
      );
    }
  }
  for (const [s, w] of Object.entries(workers)) {
    const r = await w.close();
    per[s].peakRssMB = r.maxRssMB;
    per[s].osThreads = r.osThreads;
  }
  for (const s of timed) {
    const p = per[s];
    if (p.error || p.times.length === 0) continue;
    p.medianMs = median(p.times);
    p.minMs = Math.min(...p.times);
    p.gflops = F / (p.medianMs * 1e6);
    p.n = p.times.length;
    if (cfg.stream) p.usPerToken = (p.medianMs * 1e3) / cfg.T;
    p.ratio = {};
    for (const b of BASELINES) {
      const base = per[b]?.roundMedians;
      if (!base?.length || per[b].error) continue;
      p.ratio[b] = median(p.roundMedians.map((m, i) => m / base[i]).filter(Number.isFinite));
    }
    delete p.times;
  }
  const otherCores = (cpu1.busy - cpu0.busy - (cpu1.ours - cpu0.ours)) / TICKS_PER_S / ((cpu1.t - cpu0.t) / 1000);
  return {
    cfg,
    gflopPerCall: F / 1e9,
    weightBytes: weightBytes(cfg),
    maxAbsRef: maxRef,
    tolerance: limit,
    otherCores,
    systems: per,
  };
}

// ---- time to first result (fresh processes, small_lstm)

async function timeToFirstResult(opt, failures) {
  const out = {};
  const systems = opt.systems.filter((x) => !STREAM_ONLY.has(x));
  for (let r = 0; r < opt.initReps; r++) {
    for (let i = 0; i < systems.length; i++) {
      const s = systems[(i + r) % systems.length];
      if (out[s]?.error) continue;
      await sleep(opt.gapMs);
      const w = new Worker(s);
      const ready = await w.ready;
      const b = ready.ready ? await w.request({ op: 'build', config: 'small_lstm' }) : { error: ready.error };
      const wall = performance.now() - w.t0;
      await (ready.ready ? w.close() : w.exited);
      if (b.error) {
        out[s] = { error: b.error };
        failures.push(`time to first result ${s}: ${firstLine(b.error)}`);
        continue;
      }
      out[s] ??= { loadMs: [], buildMs: [], firstMs: [], wallMs: [] };
      out[s].loadMs.push(ready.loadMs);
      out[s].buildMs.push(b.buildMs);
      out[s].firstMs.push(b.firstMs);
      out[s].wallMs.push(wall);
    }
  }
  return Object.fromEntries(
    Object.entries(out).map(([s, v]) => [
      s,
      v.error ? v : Object.fromEntries(Object.entries(v).map(([k, a]) => [k, median(a)])),
    ]),
  );
}

// ---- report

const f = (x, d = 2) => (x === undefined || x === null || !Number.isFinite(x) ? '-' : x.toFixed(d));
const ms = (x) => (!Number.isFinite(x) ? '-' : x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(0));

export function report(result) {
  const L = [];
  L.push(`# Recurrent layers: gluon-rnn-wasm and its peers (${result.started})`, '');
  L.push(
    `${result.cpu}, ${result.cores} cores, Node ${result.node}${result.nodeFlags.length ? ` (${result.nodeFlags.join(' ')})` : ''}; ` +
      `${result.settings.rounds} rounds, systems interleaved, order rotated each round.`,
    '',
  );
  const systems = Object.entries(Object.values(result.configs)[0]?.systems ?? {});
  for (const [s, p] of systems) if (p.info) L.push(`- ${s}: ${JSON.stringify(p.info)}`);
  L.push('');
  for (const [name, R] of Object.entries(result.configs)) {
    const st = !!R.cfg.stream;
    L.push(
      `## ${name} (${R.cfg.mode === 'dense' ? `dense, V ${R.cfg.V}` : `${R.cfg.mode}, H ${R.cfg.H}, ${R.cfg.layers} layer(s)`}${R.cfg.bidir ? ', bidirectional' : ''}, ` +
        `T ${R.cfg.T}, N ${R.cfg.N}, C ${R.cfg.C}${st ? ', token by token' : ''}; ${f(R.gflopPerCall, 4)} GFLOP per call; ` +
        `other processes kept ${f(R.otherCores)} cores busy)`,
      '',
    );
    const bases = BASELINES.filter((b) => R.systems[b]?.roundMedians?.length);
    L.push(
      `| system | median ms | min ms |${st ? ' us/token |' : ''} GFLOP/s |${bases.map((b) => ` x ${b} |`).join('')} calls | max abs diff vs float64 | peak RSS MB |`,
    );
    L.push(`|---|---|---|${st ? '---|' : ''}---|${bases.map(() => '---|').join('')}---|---|---|`);
    for (const [s, p] of Object.entries(R.systems)) {
      if (p.error) {
        L.push(`| ${s} | error: ${firstLine(p.error).slice(0, 100)} |`);
        continue;
      }
      const diff = `${Math.max(p.maxAbsDiff, p.maxAbsDiffAfter ?? 0).toExponential(1)}${p.accurate ? '' : ' MISMATCH'}`;
      L.push(
        `| ${s} | ${ms(p.medianMs)} | ${ms(p.minMs)} |${st ? ` ${f(p.usPerToken, 1)} |` : ''} ${f(p.gflops, 1)} |` +
          `${bases.map((b) => ` ${f(p.ratio?.[b])} |`).join('')} ${p.n} | ${diff} | ${f(p.peakRssMB, 0)} |`,
      );
    }
    L.push('');
  }
  if (result.init) {
    L.push('## Time to first result (fresh process, small_lstm, median)', '');
    L.push('| system | import + start-up ms | build ms | first call ms | spawn to first result ms |');
    L.push('|---|---|---|---|---|');
    for (const [s, v] of Object.entries(result.init)) {
      L.push(
        v.error
          ? `| ${s} | error: ${firstLine(v.error).slice(0, 100)} |`
          : `| ${s} | ${f(v.loadMs, 1)} | ${f(v.buildMs, 1)} | ${f(v.firstMs, 2)} | ${f(v.wallMs, 0)} |`,
      );
    }
    L.push('');
  }
  L.push(
    '`x SYSTEM`: per round, median time of the row over median time of SYSTEM; the median over rounds (> 1: slower). ' +
      `Accuracy: every output (streaming: every step and the final states, also after the timed calls) within ` +
      `${TOLERANCE} x max(1, max|ref|) of the float64 reference.`,
  );
  return L.join('\n');
}

// ---- main

export async function main(argv) {
  const opt = parseArgs(argv);
  const failures = [];
  const result = {
    started: new Date().toISOString(),
    node: process.versions.node,
    nodeFlags: NODE_FLAGS,
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.cpus().length,
    settings: { ...opt, out: undefined },
    configs: {},
    init: null,
  };
  for (const c of opt.configs) result.configs[c] = await runConfig(c, opt, failures);
  if (opt.init && opt.initReps > 0) result.init = await timeToFirstResult(opt, failures);
  result.finished = new Date().toISOString();
  result.failures = failures;
  const text = report(result);
  fs.mkdirSync(path.dirname(opt.out), { recursive: true });
  fs.writeFileSync(`${opt.out}.json`, JSON.stringify(result, null, 1));
  fs.writeFileSync(`${opt.out}.md`, `${text}\n`);
  console.log(text);
  console.error(`\n# wrote ${opt.out}.json and .md`);
  if (failures.length) {
    console.error(`\n${failures.length} failure(s):\n${failures.map((x) => `  ${x}`).join('\n')}`);
    process.exitCode = 1;
  }
  return { result, out: opt.out };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2)).catch((e) => {
    console.error(`bench/peers: ${e.message}`);
    process.exitCode = 2;
  });
}
