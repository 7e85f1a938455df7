// Models created, used once and dropped, a million times, with no dispose() and no gc(): the
// packed-weight budget (ready({ cacheBytes })) must keep wasm memory at a fixed size.
// Prints wasm memory, the live Rust heap and RSS every 100,000 cycles.
// Run: `npm run bench` (part of it) or `node bench/lifecycle.mjs [cycles]`.
import { wasmMemoryStats } from '../dist/backend/index.js';
import { cacheStats } from '../dist/backend/packed_cache.js';
import mx from '../dist/index.js';

export async function runLifecycleBench(cycles = 1_000_000) {
  await mx.ready({ threads: 1, cacheBytes: 32 * 2 ** 20 });
  const x = mx.nd.random.uniform(-1, 1, [4, 2, 8]);
  const mb = (b) => (b / 2 ** 20).toFixed(1);
  const rows = [];
  const t0 = performance.now();
  for (let i = 1; i <= cycles; i++) {
    const layer = new mx.gluon.rnn.LSTM(16, { inputSize: 8 });
    layer.initialize();
    layer.forward(x);
    if (i % (cycles / 10) === 0)
      rows.push({
        i,
        ...wasmMemoryStats(),
        cache: cacheStats(),
        rss: process.memoryUsage().rss,
        heap: process.memoryUsage().heapUsed,
      });
  }
  const s = (performance.now() - t0) / 1000;
  console.log(
    `\n${cycles} create -> forward -> drop cycles of LSTM(16, input 8), no dispose(), no gc(): ${s.toFixed(1)} s`,
  );
  console.log('| cycles | wasm memory MB | live Rust heap MB | cached kernels | cache MB | JS heap MB | RSS MB |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.i} | ${mb(r.memoryBytes)} | ${mb(r.heapLiveBytes)} | ${r.cache.kernels} | ${mb(r.cache.bytes)} | ${mb(r.heap)} | ${mb(r.rss)} |`,
    );
  const grew = rows.at(-1).memoryBytes - rows[0].memoryBytes;
  console.log(`wasm memory growth from ${rows[0].i} to ${cycles} cycles: ${mb(grew)} MB`);
  return grew;
}

if (import.meta.url === `file://${process.argv[1]}`) await runLifecycleBench(Number(process.argv[2] ?? 1_000_000));
