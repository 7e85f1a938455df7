// Reads a peer-harness result (.json) and prints the issue targets: gluon vs ONNX Runtime
// Web and TensorFlow.js (ratios measured per round in the same run), GFLOP/s and the
// fraction of the wasm SIMD peak, the streaming configs against their load-bandwidth bound,
// and the per-call overhead, all measured in this run (bench/gemm.mjs --probes-only).

const TARGETS = [
  // [config, system, baseline, minimum speed-up of system over baseline]
  ['small_lstm', 'gluon-1t', 'ort-web-1t', 2],
  ['medium_lstm', 'gluon-1t', 'ort-web-1t', 1.25],
  ['large_lstm', 'gluon-1t', 'ort-web-1t', 1.25],
  ['medium_gru', 'gluon-1t', 'ort-web-1t', 1.25],
  ['medium_rnn', 'gluon-1t', 'ort-web-1t', 2],
  ['medium_lstm_bi', 'gluon-1t', 'ort-web-1t', 1.25],
  ...['small_lstm', 'medium_lstm', 'large_lstm', 'medium_gru', 'medium_rnn', 'medium_lstm_bi'].map((c) => [
    c,
    'gluon-1t',
    'tfjs-wasm',
    3,
  ]),
  ['large_lstm', 'gluon-2t', 'gluon-1t', 1.7],
  ['large_lstm', 'gluon-2t', 'ort-web-2t', 1.25],
  ['small_lstm', 'gluon-2t', 'gluon-1t', 1],
  // Token by token.
  // Token by token (gluon: `layer.stream()`; gluon-fwd-1t: `forward` per token, for comparison).
  ...['gluon-1t', 'gluon-fwd-1t'].map((sys) => ['stream_lstm_small', sys, 'ort-web-1t', 3]),
  ...['stream_lstm', 'stream_gru'].flatMap((c) => [
    [c, 'gluon-1t', 'ort-web-1t', 1.8],
    [c, 'gluon-fwd-1t', 'ort-web-1t', 1.8],
    [c, 'gluon-1t', 'tfjs-wasm', 4],
    [c, 'gluon-2t', 'gluon-1t', 1.6],
  ]),
  ['medium_lstm', 'gluon-2t', 'gluon-1t', 1.85],
  ['large_lstm', 'gluon-2t', 'gluon-1t', 1.85],
];

/** Measured for the record, not issue targets: a decoder (Dense over a vocabulary) per token. */
const RECORDED = [
  ['stream_decoder', 'gluon-1t', 'ort-web-1t'],
  ['stream_decoder', 'gluon-1t', 'tfjs-wasm'],
  ['stream_decoder', 'gluon-2t', 'gluon-1t'],
];

/** Minimum fraction of the measured peak, per config, single thread. */
const PEAK_TARGETS = { small_lstm: 0.55, medium_lstm: 0.85, large_lstm: 0.85, medium_gru: 0.85, medium_rnn: 0.85 };
/**
 * The streaming configs whose weights outgrow a core's cache, so that streaming them bounds a
 * token (stream_lstm_small's fit in L2: it is bound by its arithmetic), and how far above
 * weight bytes / probed bandwidth their time per token may be.
 */
const BOUND_CONFIGS = ['stream_lstm', 'stream_gru'];
const BOUND_SLACK = 1.1;
/** Per-call overhead goal, microseconds. */
const OVERHEAD_US = 2;

const verdict = (ok, miss) => (ok ? 'met' : `missed by ${miss}`);

/** Speed-up of `sys` over `base`: median over rounds of (base round median / sys round median). */
function speedup(cfg, sys, base) {
  const a = cfg.systems[sys]?.roundMedians;
  const b = cfg.systems[base]?.roundMedians;
  if (!a?.length || !b?.length || a.length !== b.length) return null;
  const r = a.map((v, i) => b[i] / v).sort((x, y) => x - y);
  const m = r.length >> 1;
  return r.length % 2 ? r[m] : (r[m - 1] + r[m]) / 2;
}

/** `probes`: { peak, bandwidth: [{ name, boundUs, gbs }], overhead: { layerUs, cellUs, streamUs } }. */
export function summarize(result, probes) {
  const { peak } = probes;
  const lines = [];
  lines.push(
    `\n## gluon-rnn-wasm summary (wasm SIMD peak of the ${probes.build} build measured in this run: ${peak.toFixed(1)} GFLOP/s per core)\n`,
  );
  lines.push('| config | system | median ms | GFLOP/s | fraction of peak | other cores busy |');
  lines.push('|---|---|---|---|---|---|');
  for (const [name, cfg] of Object.entries(result.configs)) {
    for (const sys of ['gluon-1t', 'gluon-2t', 'gluon-fwd-1t']) {
      const s = cfg.systems[sys];
      if (!s?.medianMs) continue;
      const threads = sys === 'gluon-2t' ? 2 : 1;
      lines.push(
        `| ${name} | ${sys} | ${s.medianMs.toPrecision(4)} | ${s.gflops.toFixed(1)} | ${(s.gflops / (peak * threads)).toFixed(2)} | ${cfg.otherCores?.toFixed(2) ?? '?'} |`,
      );
    }
  }
  lines.push('\n| target | measured speed-up | goal | |');
  lines.push('|---|---|---|---|');
  for (const [c, sys, base, goal] of TARGETS) {
    const cfg = result.configs[c];
    if (!cfg) continue;
    const s = speedup(cfg, sys, base);
    const verdict =
      s === null ? 'not measured' : s >= goal ? 'met' : `missed by ${(((goal - s) / goal) * 100).toFixed(0)}%`;
    lines.push(`| ${c}: ${sys} vs ${base} | ${s === null ? '-' : `${s.toFixed(2)}x`} | >= ${goal}x | ${verdict} |`);
  }
  for (const [c, sys, base] of RECORDED) {
    const s = result.configs[c] ? speedup(result.configs[c], sys, base) : null;
    if (s !== null) lines.push(`| ${c}: ${sys} vs ${base} (not a goal) | ${s.toFixed(2)}x | | |`);
  }
  for (const [c, goal] of Object.entries(PEAK_TARGETS)) {
    const s = result.configs[c]?.systems['gluon-1t'];
    if (!s?.gflops) continue;
    const f = s.gflops / peak;
    lines.push(
      `| ${c}: gluon-1t fraction of peak | ${f.toFixed(2)} | >= ${goal} | ${verdict(f >= goal, (goal - f).toFixed(2))} |`,
    );
  }
  for (const b of probes.bandwidth.filter((p) => BOUND_CONFIGS.includes(p.name) || p.name === 'stream_decoder')) {
    const cfg = result.configs[b.name];
    const s = cfg?.systems['gluon-1t'];
    if (!s?.medianMs) continue;
    const us = s.usPerToken;
    const r = us / b.boundUs;
    const what = `${b.name}: gluon-1t us/token over weight bytes / ${b.gbs.toFixed(1)} GB/s (${b.boundUs.toFixed(1)} us)`;
    lines.push(
      BOUND_CONFIGS.includes(b.name)
        ? `| ${what} | ${r.toFixed(2)} | <= ${BOUND_SLACK} | ${verdict(r <= BOUND_SLACK, `${((r / BOUND_SLACK - 1) * 100).toFixed(0)}%`)} |`
        : `| ${what} (not a goal) | ${r.toFixed(2)} | | |`,
    );
  }
  const o = probes.overhead;
  lines.push(
    `| per-call overhead, layer / cell (us) | ${o.layerUs.toFixed(2)} / ${o.cellUs.toFixed(2)} | <= ${OVERHEAD_US} | ${verdict(Math.max(o.layerUs, o.cellUs) <= OVERHEAD_US, `${((Math.max(o.layerUs, o.cellUs) / OVERHEAD_US - 1) * 100).toFixed(0)}%`)} |`,
  );
  lines.push(`| per-call overhead of layer.stream() step (us; not a goal) | ${o.streamUs.toFixed(2)} | | |`);
  return lines.join('\n');
}
