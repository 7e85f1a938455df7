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
console.log('copy-wasm: dist/backend/generated ready');
