// `npm run sizes`: what a user downloads and deploys, measured from the built package (dist/;
// run `npm run build` first) and printed as a Markdown table for the README:
// - the tarball `npm pack` makes (what `npm install` fetches) and its unpacked size;
// - each .wasm build, raw and gzipped;
// - a minimal Cloudflare Worker (an LSTM behind `fetch`) bundled by esbuild from the installed
//   tarball with `--conditions=workerd`, as test/runtimes/harness.mjs bundles the workerd test's
//   Worker: the JavaScript and the .wasm it deploys, raw and gzipped.
// esbuild is the version pinned in test/runtimes/tools (installed there on first use).
// `npm run sizes -- --write-readme` also puts the table into README.md (between its markers).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { ensureTools, TOOLS } from '../test/runtimes/harness.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const GENERATED = path.join(ROOT, 'dist/backend/generated');
const BUILDS = ['simd', 'simd-threads', 'relaxed', 'relaxed-threads'];

const WORKER = `import mx from 'gluon-rnn-wasm';

let layer = null;
export default {
  async fetch(request) {
    if (layer === null) {
      await mx.ready();
      layer = new mx.gluon.rnn.LSTM(20);
      layer.initialize();
    }
    const { x } = await request.json(); // (T, N, C)
    return Response.json(layer.forward(mx.nd.array(x)).toArray());
  },
};
`;

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const gzipSize = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

function sh(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Replaces the README's table between its `sizes:start` / `sizes:end` markers. */
function writeReadme(table) {
  const file = path.join(ROOT, 'README.md');
  const text = fs.readFileSync(file, 'utf8');
  const re = /(<!-- sizes:start[^>]*-->)[\s\S]*?(<!-- sizes:end -->)/;
  if (!re.test(text)) throw new Error('README.md has no <!-- sizes:start --> ... <!-- sizes:end --> markers');
  fs.writeFileSync(
    file,
    text.replace(re, (_m, a, b) => `${a}\n${table}\n${b}`),
  );
  console.log('\nREADME.md: sizes table updated');
}

async function main() {
  for (const b of BUILDS) {
    if (!fs.existsSync(path.join(GENERATED, b, 'gluon_wasm_bg.wasm'))) {
      throw new Error(`dist/backend/generated/${b}/gluon_wasm_bg.wasm is missing: run \`npm run build\` first`);
    }
  }
  const toolsError = await ensureTools();
  if (toolsError) throw new Error(toolsError);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gluon-rnn-wasm-sizes-'));
  try {
    const rows = [];

    const packed = JSON.parse(sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT))[0];
    const tarball = path.join(work, packed.filename);
    rows.push([
      `\`npm pack\` tarball (${packed.entryCount} files, ${kib(packed.unpackedSize)} unpacked)`,
      kib(packed.size),
      '(it is gzipped)',
    ]);

    for (const b of BUILDS) {
      const f = path.join(GENERATED, b, 'gluon_wasm_bg.wasm');
      rows.push([`\`${b}\` .wasm`, kib(fs.statSync(f).size), kib(gzipSize(f))]);
    }

    // The tarball installed as npm would (it has no dependencies), then the Worker bundled.
    const app = path.join(work, 'worker');
    const pkg = path.join(app, 'node_modules/gluon-rnn-wasm');
    fs.mkdirSync(pkg, { recursive: true });
    sh('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1'], work);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    fs.writeFileSync(path.join(app, 'worker.mjs'), WORKER);
    const esbuild = path.join(TOOLS, 'node_modules/.bin/esbuild');
    const esbuildVersion = sh(esbuild, ['--version'], app).trim();
    // Unminified (wrangler's default) and minified.
    for (const minify of [false, true]) {
      const out = minify ? 'out-min' : 'out';
      sh(
        esbuild,
        [
          'worker.mjs',
          '--bundle',
          ...(minify ? ['--minify'] : []),
          '--format=esm',
          '--platform=neutral',
          '--conditions=workerd',
          '--main-fields=module,main',
          '--loader:.wasm=copy',
          '--asset-names=[name]',
          `--outdir=${out}`,
          '--log-level=warning',
        ],
        app,
      );
      const js = path.join(app, out, 'worker.js');
      const wasm = path.join(app, out, 'gluon_wasm_bg.wasm');
      const jsSize = fs.statSync(js).size;
      const wasmSize = fs.statSync(wasm).size;
      rows.push([
        `minimal Worker, esbuild ${esbuildVersion}${minify ? ' `--minify`' : ''}: worker.js + .wasm`,
        `${kib(jsSize)} + ${kib(wasmSize)}`,
        `${kib(gzipSize(js) + gzipSize(wasm))} together`,
      ]);
    }

    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    const table = [
      `gluon-rnn-wasm ${version}, ${new Date().toISOString().slice(0, 10)} (\`npm run sizes\`)`,
      '',
      '| what | size | gzip -9 |',
      '|---|---|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
    console.log(table);
    if (process.argv.includes('--write-readme')) writeReadme(table);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`sizes: ${e.message}`);
  process.exit(1);
});
