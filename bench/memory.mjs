// A million forward calls with no explicit release must run in bounded memory
// (docs/design/architecture.md decision 6). Samples RSS and the JS heap every 100,000 calls.
// Run: `npm run bench` (part of it) or `node bench/memory.mjs [calls]`.
import mx from '../dist/index.js';

export async function runMemoryBench(calls = 1_000_000) {
  await mx.ready({ threads: 1 });
  const layer = new mx.gluon.rnn.LSTM(8, { numLayers: 2, inputSize: 4, bidirectional: true });
  layer.initialize();
  const cell = new mx.gluon.rnn.GRUCell(8, { inputSize: 16 });
  cell.initialize();
  const x = mx.nd.random.uniform(-1, 1, [3, 2, 4]);
  const mb = (b) => (b / 2 ** 20).toFixed(1);
  const rows = [];
  const t0 = performance.now();
  for (let i = 1; i <= calls; i++) {
    const [out] = layer.forward(x, layer.beginState(2));
    cell.forward(out.get(0), cell.beginState(2));
    if (i % 100_000 === 0) {
      const m = process.memoryUsage();
      rows.push({ calls: i, rss: m.rss, heap: m.heapUsed, ext: m.external + m.arrayBuffers });
    }
  }
  const s = (performance.now() - t0) / 1000;
  console.log(
    `\nMemory over ${calls} forward calls (LSTM layer + GRUCell step each), ${s.toFixed(1)} s, no dispose():`,
  );
  console.log('| calls | RSS MB | JS heap MB | external + ArrayBuffers MB |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.calls} | ${mb(r.rss)} | ${mb(r.heap)} | ${mb(r.ext)} |`);
  const grow = rows.length > 2 ? rows.at(-1).rss - rows[1].rss : 0;
  console.log(`RSS growth from ${rows[1]?.calls ?? 0} to ${calls} calls: ${mb(grow)} MB`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runMemoryBench(Number(process.argv[2] ?? 1_000_000));
