// Benchmark page: times gluon-rnn-wasm's fused layers in this browser on the peer harness's
// layer shapes and draws them beside the peers' results (a JSON written by npm run bench).
import mx from 'gluon-rnn-wasm';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const quick = params.has('quick');
const state = { done: false, rows: [], error: null };
globalThis.__bench = state;

const OURS = 'gluon-rnn-wasm (this browser)';
const COLORS = ['#2f5d8a', '#c8553d', '#e0a458', '#588b8b', '#8d6a9f', '#93a8ac', '#6b4226', '#b5bd89', '#444'];

function gflopPerCall({ mode, H, layers, T, N, C, bidir }) {
  const gates = mode === 'lstm' ? 4 : mode === 'gru' ? 3 : 1;
  const D = bidir ? 2 : 1;
  let total = 0;
  for (let l = 0; l < layers; l++) {
    const input = l === 0 ? C : D * H;
    total += D * 2 * T * N * gates * H * (input + H);
  }
  return total / 1e9;
}

function makeLayer({ mode, H, layers, C, bidir }) {
  const o = { numLayers: layers, bidirectional: bidir, layout: 'TNC', inputSize: C };
  if (mode === 'lstm') return new mx.gluon.rnn.LSTM(H, o);
  if (mode === 'gru') return new mx.gluon.rnn.GRU(H, o);
  return new mx.gluon.rnn.RNN(H, { ...o, activation: mode === 'rnn_relu' ? 'relu' : 'tanh' });
}

const tick = () => new Promise((r) => setTimeout(r, 0));

async function measure(cfg) {
  const layer = makeLayer(cfg);
  layer.initialize();
  const x = mx.nd.random.uniform(-1, 1, [cfg.T, cfg.N, cfg.C]);
  layer.forward(x).toFloat32Array(); // warm-up
  const times = [];
  const budget = quick ? 150 : 1500;
  const start = performance.now();
  while (times.length < (quick ? 2 : 5) || (performance.now() - start < budget && times.length < 200)) {
    const t0 = performance.now();
    layer.forward(x).toFloat32Array();
    times.push(performance.now() - t0);
    if (times.length % 4 === 0) await tick();
  }
  times.sort((a, b) => a - b);
  const medianMs = times[times.length >> 1];
  return { medianMs, gflops: gflopPerCall(cfg) / (medianMs / 1000), calls: times.length };
}

function draw(canvas, configs, systems) {
  const ctx = canvas.getContext('2d');
  const rowH = 14;
  const groupGap = 18;
  const left = 150;
  const right = 60;
  const W = canvas.width;
  ctx.font = '12px system-ui, sans-serif';
  // legend rows first: they decide where the bars start
  const legend = [];
  let lx = left;
  let ly = 8;
  for (const s of systems) {
    const w = ctx.measureText(s).width + 30;
    if (lx + w > W - 10) {
      lx = left;
      ly += 18;
    }
    legend.push([s, lx, ly]);
    lx += w;
  }
  const top = ly + 32;
  const height = top + configs.length * (systems.length * rowH + groupGap) + 10;
  canvas.height = height;
  ctx.clearRect(0, 0, W, height);
  ctx.font = '12px system-ui, sans-serif';
  let max = 0;
  for (const c of configs) for (const s of systems) max = Math.max(max, c.systems[s]?.gflops ?? 0);
  const scale = (W - left - right) / (max || 1);
  legend.forEach(([s, x, yy], i) => {
    ctx.fillStyle = COLORS[i % COLORS.length];
    ctx.fillRect(x, yy, 10, 10);
    ctx.fillStyle = '#1d232b';
    ctx.fillText(s, x + 14, yy + 9);
  });
  let y = top;
  for (const c of configs) {
    ctx.fillStyle = '#1d232b';
    ctx.font = 'bold 12px system-ui, sans-serif';
    ctx.fillText(c.name, 8, y + (systems.length * rowH) / 2 + 4);
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#5b6470';
    ctx.fillText(
      `${c.cfg.mode} H${c.cfg.H} L${c.cfg.layers} T${c.cfg.T} N${c.cfg.N}`,
      8,
      y + (systems.length * rowH) / 2 + 18,
    );
    systems.forEach((s, i) => {
      const v = c.systems[s]?.gflops;
      if (v === undefined) return;
      ctx.fillStyle = COLORS[i % COLORS.length];
      ctx.fillRect(left, y + i * rowH, Math.max(1, v * scale), rowH - 3);
      ctx.fillStyle = '#1d232b';
      ctx.fillText(v.toFixed(1), left + v * scale + 4, y + i * rowH + 10);
    });
    y += systems.length * rowH + groupGap;
  }
}

function table(configs, systems) {
  const head = `<tr><th>config</th>${systems.map((s) => `<th>${s}</th>`).join('')}</tr>`;
  const rows = configs.map(
    (c) =>
      `<tr><td>${c.name}</td>${systems
        .map((s) => {
          const r = c.systems[s];
          return `<td>${r ? `${r.gflops.toFixed(1)} GFLOP/s<br><small>${r.medianMs.toFixed(2)} ms</small>` : '–'}</td>`;
        })
        .join('')}</tr>`,
  );
  return `<table>${head}${rows.join('')}</table>`;
}

async function main() {
  const info = await mx.ready();
  $('backend').textContent = `${info.build} · ${info.threads} thread${info.threads > 1 ? 's' : ''}`;
  const url = params.get('results') ?? 'bench/peers-node-2026-11-26.json';
  const peers = await fetch(url).then((r) => (r.ok ? r.json() : null));
  $('source').textContent = peers ? `${url} (${peers.started ?? ''}, ${peers.cpu ?? ''})` : `${url}: not found`;
  const names = quick
    ? ['small_lstm', 'medium_rnn']
    : ['small_lstm', 'medium_lstm', 'medium_gru', 'medium_rnn', 'medium_lstm_bi'];
  const configs = [];
  for (const name of names) {
    const p = peers?.configs?.[name];
    const cfg = p?.cfg ?? { small_lstm: { mode: 'lstm', H: 128, layers: 1, T: 32, N: 1, C: 64, bidir: false } }[name];
    if (!cfg) continue;
    const systems = {};
    for (const [s, r] of Object.entries(p?.systems ?? {})) {
      if (r?.gflops && r.medianMs) systems[`${s} (Node)`] = { gflops: r.gflops, medianMs: r.medianMs };
    }
    configs.push({ name, cfg, systems });
  }
  const systemsOf = () => {
    const all = new Set([OURS]);
    for (const c of configs) for (const s of Object.keys(c.systems)) all.add(s);
    return [...all];
  };
  for (const c of configs) {
    $('status').textContent = `measuring ${c.name}…`;
    await tick();
    c.systems[OURS] = await measure(c.cfg);
    state.rows.push({ config: c.name, ...c.systems[OURS] });
    draw($('chart'), configs, systemsOf());
    $('table').innerHTML = table(configs, systemsOf());
  }
  $('status').textContent = 'done';
  state.done = true;
}

main().catch((e) => {
  state.error = String(e?.stack ?? e);
  state.done = true;
  $('error').textContent = state.error;
});
