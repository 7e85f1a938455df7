// `node test/runtimes/run.mjs [runtime...]`: packs the built package and runs the smoke script
// in each runtime (default: all), printing a report. Runtimes: node20, node22, node24, node-latest, deno, bun,
// chromium, vite, vite-dev, webpack, types, workerd, edge-runtime. Exit code 1 when any
// runtime fails (a skip prints its reason).
import { cleanup, format, pack, RUNTIME_NAMES, runRuntime } from './harness.mjs';

const names = process.argv.slice(2).length ? process.argv.slice(2) : RUNTIME_NAMES;
for (const n of names)
  if (!RUNTIME_NAMES.includes(n)) throw new Error(`unknown runtime ${n} (${RUNTIME_NAMES.join(', ')})`);
const t0 = Date.now();
const p = await pack();
console.log(`packed ${p.tarball} (${(p.size / 1024).toFixed(0)} KiB, ${p.files} files)`);
let failed = 0;
for (const n of names) {
  const r = await runRuntime(n);
  if (r.status === 'fail') failed++;
  console.log(format(r));
}
cleanup();
console.log(`${names.length} runtimes in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${failed} failed`);
process.exitCode = failed ? 1 : 0;
