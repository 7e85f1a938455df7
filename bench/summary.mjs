// Reads a peer-harness result (.json) and prints the issue targets: gluon vs ONNX Runtime
// Web and TensorFlow.js (ratios measured per round in the same run), GFLOP/s and the
// fraction of the wasm SIMD peak measured in this run.

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
];

/** Speed-up of `sys` over `base`: median over rounds of (base round median / sys round median). */
function speedup(cfg, sys, base) {
  const a = cfg.systems[sys]?.roundMedians;
  const b = cfg.systems[base]?.roundMedians;
  if (!a?.length || !b?.length || a.length !== b.length) return null;
  const r = a.map((v, i) => b[i] / v).sort((x, y) => x - y);
  const m = r.length >> 1;
  return r.length % 2 ? r[m] : (r[m - 1] + r[m]) / 2;
}

export function summarize(result, peak) {
  const lines = [];
  lines.push(
    `\n## gluon-rnn-wasm summary (wasm SIMD peak measured in this run: ${peak.toFixed(1)} GFLOP/s per core)\n`,
  );
  lines.push('| config | system | median ms | GFLOP/s | fraction of peak | other cores busy |');
  lines.push('|---|---|---|---|---|---|');
  for (const [name, cfg] of Object.entries(result.configs)) {
    for (const sys of ['gluon-1t', 'gluon-2t']) {
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
  return lines.join('\n');
}
