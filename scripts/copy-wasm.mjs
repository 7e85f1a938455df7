// After tsc: copy the generated wasm builds (glue .js, .d.ts, .wasm) into dist/.
import fs from 'node:fs';

const from = new URL('../ts/backend/generated/', import.meta.url);
const to = new URL('../dist/backend/generated/', import.meta.url);
if (!fs.existsSync(from)) {
  console.error('copy-wasm: ts/backend/generated is missing; run `npm run build:wasm` first');
  process.exit(1);
}
fs.rmSync(to, { recursive: true, force: true });
fs.cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.source-sha') });
// wasm-bindgen's declarations use `Symbol.dispose` (lib esnext.disposable); a consumer that
// type-checks declarations (skipLibCheck: false) with an ES2022 lib would fail on them, and
// nothing public depends on them: drop those members from the shipped .d.ts.
for (const build of fs.readdirSync(to)) {
  const dts = new URL(`${build}/gluon_wasm.d.ts`, to);
  if (fs.existsSync(dts)) {
    const text = fs.readFileSync(dts, 'utf8').replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, '');
    fs.writeFileSync(dts, text);
  }
}
console.log('copy-wasm: dist/backend/generated ready');
// The pool's worker scripts are plain JavaScript (they run from ts/ in tests as well).
for (const f of ['pool_worker.js', 'pool_worker_relaxed.js', 'pool_worker_serve.js']) {
  fs.copyFileSync(new URL(`../ts/backend/${f}`, import.meta.url), new URL(`../dist/backend/${f}`, import.meta.url));
}
