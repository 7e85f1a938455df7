// The bench page's chart and table, redrawn from the results as they arrive (bench.mjs).
// A config is { name, cfg, limit, results: { [system id]: result } }; a result holds what the
// rounds measured so far (medianMs, gflops, usPerToken, ratio) and, once the config is done,
// the accuracy verdict (accurate, maxAbsDiff).

const INK = '#1d232b';
const MUTED = '#5b6470';
const BAD = '#a11';

const fixed = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const ms = (x) => (!Number.isFinite(x) ? '–' : x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(0));
const shape = (c) =>
  `${c.mode === 'dense' ? `dense V${c.V}` : `${c.mode} H${c.H} L${c.layers}`}${c.bidir ? ' bi' : ''} T${c.T} N${c.N} C${c.C}`;

/** One line of a bar's label: GFLOP/s, ms (and µs per token), the time ratio to this package, accuracy. */
function barLabel(r, stream, baseline) {
  const parts = [`${fixed(r.gflops, 1)} GFLOP/s`, `${ms(r.medianMs)} ms`];
  if (stream) parts.push(`${fixed(r.usPerToken, 1)} µs/token`);
  if (!baseline && Number.isFinite(r.ratio)) parts.push(`×${r.ratio.toFixed(2)} time`);
  if (r.accurate === false) parts.push('MISMATCH');
  return parts.join(' · ');
}

/** Grouped horizontal bars of GFLOP/s, one group per config, one bar per system (legend on top). */
export function drawChart(canvas, configs, systems) {
  const ctx = canvas.getContext('2d');
  const rowH = 18;
  const groupGap = 20;
  const left = 215;
  const W = canvas.width;
  ctx.font = '12px system-ui, sans-serif';
  const legend = [];
  let lx = left;
  let ly = 8;
  for (const s of systems) {
    const w = ctx.measureText(s.label).width + 30;
    if (lx + w > W - 10) {
      lx = left;
      ly += 18;
    }
    legend.push([s, lx, ly]);
    lx += w;
  }
  const top = ly + 30;
  canvas.height = top + Math.max(1, configs.length) * (systems.length * rowH + groupGap) + 10;
  ctx.clearRect(0, 0, W, canvas.height);
  ctx.font = '12px system-ui, sans-serif';
  let max = 0;
  for (const c of configs) for (const s of systems) max = Math.max(max, c.results[s.id]?.gflops ?? 0);
  // room on the right for the longest label
  const scale = (W - left - 330) / (max || 1);
  for (const [s, x, y] of legend) {
    ctx.fillStyle = s.color;
    ctx.fillRect(x, y, 10, 10);
    ctx.fillStyle = INK;
    ctx.fillText(s.label, x + 14, y + 9);
  }
  let y = top;
  for (const c of configs) {
    const mid = y + (systems.length * rowH) / 2;
    ctx.fillStyle = INK;
    ctx.font = 'bold 12px system-ui, sans-serif';
    ctx.fillText(c.name, 8, mid - 2);
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = MUTED;
    ctx.fillText(shape(c.cfg), 8, mid + 12);
    if (c.cfg.stream) ctx.fillText('token by token', 8, mid + 25);
    ctx.font = '12px system-ui, sans-serif';
    systems.forEach((s, i) => {
      const r = c.results[s.id];
      const by = y + i * rowH;
      if (!r || r.error || !Number.isFinite(r.gflops)) {
        ctx.fillStyle = r?.error ? BAD : MUTED;
        ctx.fillText(r?.error ? 'error (see the table)' : c.active ? 'measuring…' : '–', left + 4, by + 12);
        return;
      }
      const w = Math.max(1, r.gflops * scale);
      ctx.fillStyle = s.color;
      ctx.fillRect(left, by, w, rowH - 4);
      ctx.fillStyle = r.accurate === false ? BAD : INK;
      ctx.fillText(barLabel(r, c.cfg.stream, s.id === 'gluon'), left + w + 6, by + 11);
    });
    y += systems.length * rowH + groupGap;
  }
}

const esc = (s) => String(s).replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

function accuracyCell(r, limit) {
  if (r.accurate === undefined)
    return Number.isFinite(r.maxAbsDiff) ? `${r.maxAbsDiff.toExponential(1)} (first call)` : '…';
  const d = r.maxAbsDiff.toExponential(1);
  return r.accurate
    ? `<span class="ok">pass</span> ${d} ≤ ${limit.toExponential(1)}`
    : `<span class="bad">MISMATCH</span> ${d} > ${limit.toExponential(1)}`;
}

/** The numbers behind the chart, one row per config and system. */
export function resultsTable(configs, systems, baseline) {
  const head =
    '<tr><th>config</th><th>system</th><th>median ms</th><th>min ms</th><th>µs/token</th><th>GFLOP/s</th>' +
    `<th>× ${esc(baseline)} time</th><th>timed calls</th><th>max |diff| vs float64</th></tr>`;
  const rows = [];
  for (const c of configs) {
    for (const s of systems) {
      const r = c.results[s.id];
      if (!r) continue;
      const name = `<td>${esc(c.name)}</td><td>${esc(s.label)}</td>`;
      if (r.error) {
        rows.push(`<tr>${name}<td colspan="7" class="bad">${esc(r.error.split('\n')[0])}</td></tr>`);
        continue;
      }
      rows.push(
        `<tr>${name}<td>${ms(r.medianMs)}</td><td>${ms(r.minMs)}</td><td>${c.cfg.stream ? fixed(r.usPerToken, 1) : ''}</td>` +
          `<td>${fixed(r.gflops, 1)}</td><td>${fixed(r.ratio, 2)}</td><td>${r.n ?? 0}</td><td>${accuracyCell(r, c.limit)}</td></tr>`,
      );
    }
  }
  return `<table>${head}${rows.join('')}</table>`;
}
