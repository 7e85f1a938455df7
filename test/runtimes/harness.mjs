// Per-runtime tests of the packed package: `npm pack` once, then for each runtime a fresh
// temporary project that installs the tarball (`npm install <tarball>`, nothing else) and runs
// the same smoke script (smoke/smoke.mjs). Used by runtimes.test.ts (vitest) and by
// `node test/runtimes/run.mjs [runtime...]` (a readable report).
//
// Runtimes come from test/runtimes/tools (pinned npm packages: node 22, 24 and the newest, deno, bun, vite, webpack,
// workerd, esbuild; installed on first use with `npm ci`), Chromium from Debian (/usr/bin/chromium,
// installed by scripts/setup.sh) driven by playwright-core.

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { serve } from '../../examples/serve.mjs';
import { makeFixture } from './smoke/make-fixture.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HERE = fileURLToPath(new URL('./', import.meta.url));
export const TOOLS = path.join(HERE, 'tools');
const SMOKE = path.join(HERE, 'smoke');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Runs a command; resolves { code, stdout, stderr, ms } (never rejects on exit code). */
export function run(cmd, args, { cwd = ROOT, timeout = 120_000, env = {} } = {}) {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { cwd, timeout, maxBuffer: 64 << 20, env: { ...process.env, ...env }, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number' && !err.killed) return reject(err);
        const code = err ? (err.killed ? `killed after ${timeout} ms` : err.code) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - t0 });
      },
    );
    child.stdin?.end();
  });
}

function must(r, what) {
  if (r.code !== 0) {
    throw new Error(`${what} failed (${r.code}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  }
  return r;
}

/** The pinned Node lines of tools/package.json beside the system Node, by runtime name. */
export const NODE_LINES = {
  node22: path.join(TOOLS, 'node_modules/node22/bin/node'),
  node24: path.join(TOOLS, 'node_modules/node24/bin/node'),
  'node-latest': path.join(TOOLS, 'node_modules/node/bin/node'),
};
const toolBin = {
  deno: path.join(TOOLS, 'node_modules/.bin/deno'),
  bun: path.join(TOOLS, 'node_modules/.bin/bun'),
  vite: path.join(TOOLS, 'node_modules/vite/bin/vite.js'),
  workerd: path.join(TOOLS, 'node_modules/.bin/workerd'),
  esbuild: path.join(TOOLS, 'node_modules/.bin/esbuild'),
};

let toolsPromise = null;
/** Installs the pinned runtimes once (npm ci in test/runtimes/tools); resolves an error text or null. */
export function ensureTools() {
  toolsPromise ??= (async () => {
    const stamp = path.join(TOOLS, 'node_modules/.package-lock.json');
    const lock = path.join(TOOLS, 'package-lock.json');
    if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= fs.statSync(lock).mtimeMs) return null;
    console.log('runtimes: installing pinned runtimes (npm ci in test/runtimes/tools)…');
    const r = await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: TOOLS, timeout: 300_000 });
    return r.code === 0 ? null : `npm ci in test/runtimes/tools failed: ${r.stderr.slice(-2000)}`;
  })();
  return toolsPromise;
}

let workDir = null;
export function work() {
  workDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'gluon-rnn-wasm-runtimes-'));
  return workDir;
}
export function cleanup() {
  if (workDir && !process.env.KEEP_RUNTIME_PROJECTS) fs.rmSync(workDir, { recursive: true, force: true });
  workDir = null;
}

let packPromise = null;
/** `npm pack` of the built package (dist/ must exist: `npm run build`); resolves the tarball path. */
export function pack() {
  packPromise ??= (async () => {
    for (const f of ['dist/backend/bundle.js', 'dist/index.d.ts', 'dist/backend/generated/simd/gluon_wasm_bg.wasm']) {
      if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
    }
    const dest = path.join(work(), 'pack');
    fs.mkdirSync(dest, { recursive: true });
    const r = must(await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest]), 'npm pack');
    const info = JSON.parse(r.stdout)[0];
    fs.writeFileSync(path.join(work(), 'fixture.json'), JSON.stringify(makeFixture()));
    return { tarball: path.join(dest, info.filename), size: info.size, files: info.files.length };
  })();
  return packPromise;
}

/** A fresh project that installs only the tarball, plus the smoke files. */
export async function makeProject(name, { files = [], pkg = {} } = {}) {
  const { tarball } = await pack();
  const dir = path.join(work(), name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: `smoke-${name}`, private: true, type: 'module', ...pkg }, null, 2),
  );
  must(
    await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'], {
      cwd: dir,
    }),
    `npm install <tarball> (${name})`,
  );
  fs.copyFileSync(path.join(work(), 'fixture.json'), path.join(dir, 'fixture.json'));
  for (const f of ['smoke.mjs', ...files]) {
    const [src, dest] = Array.isArray(f) ? f : [f, f];
    fs.copyFileSync(path.join(SMOKE, src), path.join(dir, dest));
  }
  return dir;
}

function parseResult(r, what, tag = 'SMOKE-RESULT ') {
  const line = r.stdout.split('\n').find((l) => l.startsWith(tag));
  if (!line) {
    throw new Error(
      `${what}: no ${tag.trim()} line (exit ${r.code}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`,
    );
  }
  return JSON.parse(line.slice(tag.length));
}

/**
 * Runs a smoke entry as a child process: the result line must appear within `timeout`, and the
 * process must then exit by itself within EXIT_GRACE_MS (a library that keeps a script alive,
 * e.g. through worker threads, is a failure a user would hit).
 */
const EXIT_GRACE_MS = 10_000;
function runSmokeProcess(cmd, args, cwd, timeout = 90_000) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let exitTimer = null;
    let verdict = null;
    const kill = (why) => {
      verdict ??= why;
      child.kill('SIGKILL');
    };
    const overall = setTimeout(() => kill(`no result within ${timeout} ms`), timeout);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!exitTimer && stdout.includes('SMOKE-RESULT ')) {
        exitTimer = setTimeout(
          () =>
            kill(`the process did not exit by itself within ${EXIT_GRACE_MS / 1000} s after the smoke script finished`),
          EXIT_GRACE_MS,
        );
      }
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => {
      clearTimeout(overall);
      clearTimeout(exitTimer);
      resolve({ code: verdict ?? code, hung: verdict, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

async function serverRuntime(name, cmd, args) {
  const dir = await makeProject(name, { files: ['run-smoke.mjs'] });
  const r = await runSmokeProcess(cmd, [...args, 'run-smoke.mjs'], dir);
  const result = parseResult(r, name);
  if (r.hung) {
    result.ok = false;
    result.checks.push({ name: 'process exits after the script', ok: false, detail: r.hung });
  } else if (r.code !== 0) {
    result.ok = false;
    result.checks.push({ name: 'exit code 0', ok: false, detail: `exit ${r.code}: ${r.stderr.slice(-2000)}` });
  } else {
    result.checks.push({ name: 'process exits after the script', ok: true, detail: `${r.ms} ms in all` });
  }
  return result;
}

/**
 * A static file server on 127.0.0.1 (the examples' server); cross-origin isolated (COOP/COEP,
 * so shared memory is allowed) unless `isolated: false`.
 */
export function serveStatic(root, { isolated = true } = {}) {
  return serve(0, root, { isolated });
}

/** Why Chromium cannot run here, or null. */
export function chromiumMissing() {
  return fs.existsSync(CHROMIUM)
    ? null
    : `${CHROMIUM} not found (Debian package chromium; scripts/setup.sh installs it; or set CHROMIUM_PATH)`;
}

/** Launches headless Chromium, runs fn(browser), closes it. */
export async function withChromium(fn) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

/** Opens url in a new page, waits for globalThis.__smoke, returns it (with the console's errors). */
async function smokeInPage(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => globalThis.__smoke !== undefined, null, { timeout: 60_000 });
    const result = await page.evaluate(() => globalThis.__smoke);
    if (errors.length) result.consoleErrors = errors;
    return result;
  } catch (e) {
    throw new Error(`${url}: ${e.message}\npage errors: ${errors.join('\n')}`);
  } finally {
    await page.close();
  }
}

/** A check that the page (served cross-origin isolated) ran the threaded build. */
function threadsCheck(result, name) {
  const b = result.backend ?? {};
  result.checks.push({
    name,
    ok: b.threads > 1,
    detail: b.threads > 1 ? `${b.build} x${b.threads}` : `single thread: ${b.threadsFallback}`,
  });
  return result;
}

// ---- the runtimes -------------------------------------------------------------------------

export const RUNTIMES = {
  async node20() {
    const major = Number(process.versions.node.split('.')[0]);
    if (major !== 20) return { skip: `the Node running the tests is ${process.version}, not 20` };
    return serverRuntime('node20', process.execPath, []);
  },
  // The LTS lines (npm's `node` package, aliased node22 / node24 in tools/package.json).
  async node22() {
    return serverRuntime('node22', NODE_LINES.node22, []);
  },
  async node24() {
    return serverRuntime('node24', NODE_LINES.node24, []);
  },
  async 'node-latest'() {
    return serverRuntime('node-latest', NODE_LINES['node-latest'], []);
  },
  async deno() {
    // Only the project folder is readable/writable: the package needs no other permission.
    return serverRuntime('deno', toolBin.deno, ['run', '--no-prompt', '--allow-read=.', '--allow-write=.']);
  },
  async bun() {
    return serverRuntime('bun', toolBin.bun, ['run']);
  },
  async chromium() {
    const missing = chromiumMissing();
    if (missing) return { skip: missing };
    const dir = await makeProject('chromium', { files: ['index.html', 'main.mjs'] });
    const srv = await serveStatic(dir);
    try {
      return await withChromium((b) => smokeInPage(b, srv.url));
    } finally {
      await srv.close();
    }
  },
  async vite() {
    const missing = chromiumMissing();
    if (missing) return { skip: `the Vite build is run in Chromium: ${missing}` };
    const dir = await makeProject('vite', { files: ['index.html', 'main.mjs'] });
    // A bundler needs no import map: the page is index.html with the bare import left to Vite.
    const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    fs.writeFileSync(path.join(dir, 'index.html'), html.replace(/<script type="importmap">[\s\S]*?<\/script>\s*/, ''));
    must(
      await run(process.execPath, [toolBin.vite, 'build', '--logLevel', 'warn'], { cwd: dir, timeout: 120_000 }),
      'vite build',
    );
    const assets = fs.readdirSync(path.join(dir, 'dist/assets'));
    const wasm = assets.filter((f) => f.endsWith('.wasm'));
    if (wasm.length === 0) throw new Error(`vite build emitted no .wasm asset: ${assets.join(', ')}`);
    const srv = await serveStatic(path.join(dir, 'dist'));
    try {
      const result = await withChromium((b) => smokeInPage(b, srv.url));
      result.viteAssets = assets;
      // Vite emits the pool's worker because ts/backend/pool.ts spawns it with the literal
      // `new Worker(new URL('./pool_worker.js', import.meta.url), { type: 'module' })`.
      return threadsCheck(result, 'threads in the Vite build');
    } finally {
      await srv.close();
    }
  },
  async 'vite-dev'() {
    const missing = chromiumMissing();
    if (missing) return { skip: `the Vite dev server is loaded in Chromium: ${missing}` };
    const dir = await makeProject('vite-dev', { files: ['index.html', 'main.mjs', 'vite.config.mjs'] });
    const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    fs.writeFileSync(path.join(dir, 'index.html'), html.replace(/<script type="importmap">[\s\S]*?<\/script>\s*/, ''));
    const port = await freePort();
    const { child: server, log } = startServer(
      process.execPath,
      [toolBin.vite, '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
      dir,
    );
    try {
      const url = `http://127.0.0.1:${port}/`;
      await waitForHttp(url, 60_000, server, { name: 'vite', body: (r) => r.text() }).catch((e) => {
        throw new Error(`${e.message}\n${log()}`);
      });
      const result = await withChromium((b) => smokeInPage(b, url)).catch((e) => {
        throw new Error(`${e.message}\nvite: ${log()}`);
      });
      return threadsCheck(result, 'threads under the Vite dev server');
    } finally {
      server.kill();
    }
  },
  async webpack() {
    const missing = chromiumMissing();
    if (missing) return { skip: `the webpack build is run in Chromium: ${missing}` };
    const dir = await makeProject('webpack', { files: ['index.html', 'main.mjs', 'webpack-build.mjs'] });
    must(await run(process.execPath, ['webpack-build.mjs', TOOLS], { cwd: dir, timeout: 180_000 }), 'webpack build');
    const assets = fs.readdirSync(path.join(dir, 'dist'));
    if (!assets.some((f) => f.endsWith('.wasm')))
      throw new Error(`webpack emitted no .wasm asset: ${assets.join(', ')}`);
    const srv = await serveStatic(path.join(dir, 'dist'));
    try {
      const result = await withChromium((b) => smokeInPage(b, srv.url));
      result.webpackAssets = assets;
      return threadsCheck(result, 'threads in the webpack build');
    } finally {
      await srv.close();
    }
  },
  async types() {
    // Stored as .ts.txt so that the repository's own tsc does not compile it. The type tests
    // (test/types: expectTypeOf and @ts-expect-error) get `expect-type`, vitest's own copy.
    const typeTests = fs.readdirSync(path.join(ROOT, 'test/types')).filter((f) => f.endsWith('.test-d.ts'));
    const dir = await makeProject('types', {
      files: [['api-examples.ts.txt', 'api-examples.ts'], ...typeTests.map((f) => [`../../types/${f}`, f])],
    });
    const fromVitest = createRequire(createRequire(path.join(ROOT, 'package.json')).resolve('vitest/package.json'));
    const expectType = path.dirname(fromVitest.resolve('expect-type/package.json'));
    fs.symlinkSync(expectType, path.join(dir, 'node_modules/expect-type'), 'dir');
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const out = [];
    for (const [moduleKind, resolution] of [
      ['nodenext', 'nodenext'],
      ['esnext', 'bundler'],
    ]) {
      const config = {
        compilerOptions: {
          strict: true,
          target: 'es2022',
          module: moduleKind,
          moduleResolution: resolution,
          lib: ['es2022', 'dom'],
          types: [],
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['api-examples.ts', ...typeTests],
      };
      const cfg = `tsconfig.${resolution}.json`;
      fs.writeFileSync(path.join(dir, cfg), JSON.stringify(config, null, 2));
      must(await run(process.execPath, [tsc, '-p', cfg], { cwd: dir }), `tsc --strict (${resolution})`);
      out.push({
        name: `tsc --strict, moduleResolution ${resolution}`,
        ok: true,
        detail: `no errors in api-examples.ts, ${typeTests.join(', ')}`,
      });
    }
    return {
      runtime: `TypeScript ${JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/typescript/package.json'))).version}`,
      ok: true,
      checks: out,
    };
  },
};

// ---- workerd (issue 8): a real Worker on loopback ----------------------------------------

/** A long-running server process; `log()` is the end of its stdout and stderr, for errors. */
function startServer(cmd, args, cwd) {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => {
    log += d;
  });
  child.stderr.on('data', (d) => {
    log += d;
  });
  return { child, log: () => log.slice(-3000) };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200 (then returns its body, JSON by default) or `child` exits. */
async function waitForHttp(url, ms, child, { name = 'workerd', body = (r) => r.json() } = {}) {
  const until = Date.now() + ms;
  let last = '';
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (r.ok) return body(r);
      last = `HTTP ${r.status}: ${await r.text()}`;
    } catch (e) {
      last = String(e.message ?? e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${ms} ms (${last})`);
}

function maxDiff(a, b) {
  if (JSON.stringify(a.shape) !== JSON.stringify(b.shape)) return Infinity;
  let d = 0;
  for (let i = 0; i < a.data.length; i++) d = Math.max(d, Math.abs(a.data[i] - b.data[i]));
  return d;
}

/** The same requests against a model server (workerd or the Edge Runtime), checked against Node. */
async function exercise(call, dir, checks) {
  const golden = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'test/fixtures/mxnet/api_seq_embed_lstm_dense.json'), 'utf8'),
  );
  const post = (body) =>
    call('/predict', {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
  const inputs = [
    [
      [1, 1, 1],
      [1, 1, 1],
    ],
    [[0], [29], [7], [13], [2], [5], [17], [23]],
    Array.from({ length: 12 }, (_, t) => Array.from({ length: 4 }, (_, n) => (t * 7 + n * 3) % 30)),
  ];
  const answers = [];
  for (const ids of inputs) answers.push(await post({ ids }));
  const ref = parseResult(
    await run(process.execPath, ['node-ref.mjs', JSON.stringify(inputs)], { cwd: dir, timeout: 60_000 }),
    'node-ref',
    'NODE-REF ',
  );
  inputs.forEach((ids, i) => {
    const a = answers[i];
    const d = a.status === 200 ? maxDiff(a.json, ref[i]) : Infinity;
    checks.push({
      name: `POST /predict ${ids.length}x${ids[0].length} ids == Node's output`,
      ok: a.status === 200 && d <= 1e-6,
      detail: a.status === 200 ? `max |diff| ${d.toExponential(2)}` : `HTTP ${a.status} ${JSON.stringify(a.json)}`,
    });
  });
  const dm = maxDiff(answers[0].json, golden.outputs.out_ones);
  checks.push({
    name: "ones([2, 3]) == MXNet 1.9.1's out_ones",
    ok: dm <= 1e-5,
    detail: `max |diff| ${dm.toExponential(2)}`,
  });

  const badCases = [
    ['malformed JSON', '{"ids": [[1, 2'],
    [
      'wrong input length',
      {
        ids: [
          [1, 2, 3],
          [4, 5],
        ],
      },
    ],
    ['empty ids', { ids: [] }],
    ['token id out of range', { ids: [[1, 30]] }],
    ['not an object', '[1, 2, 3]'],
  ];
  for (const [what, body] of badCases) {
    const r = await post(body);
    checks.push({
      name: `400 for ${what}`,
      ok: r.status === 400 && typeof r.json.error === 'string' && r.json.error.length > 10,
      detail: `HTTP ${r.status} ${JSON.stringify(r.json)}`,
    });
  }
  const again = await post({ ids: inputs[0] });
  const da = again.status === 200 ? maxDiff(again.json, ref[0]) : Infinity;
  checks.push({ name: 'still serving after bad requests', ok: da <= 1e-6, detail: `HTTP ${again.status}` });
}

RUNTIMES.workerd = async () => {
  const dir = await makeProject('workerd', {
    files: [
      ['../workerd/worker.mjs', 'worker.mjs'],
      ['../workerd/model-server.mjs', 'model-server.mjs'],
      ['../workerd/config.capnp', 'config.capnp'],
      ['../workerd/node-ref.mjs', 'node-ref.mjs'],
    ],
  });
  fs.copyFileSync(
    path.join(ROOT, 'test/fixtures/mxnet/bin/api_seq_embed_lstm_dense.params'),
    path.join(dir, 'model.params'),
  );
  const checks = [];
  // The bundle a user would deploy: esbuild resolves the package with the `workerd` condition.
  must(
    await run(
      toolBin.esbuild,
      [
        'worker.mjs',
        '--bundle',
        '--format=esm',
        '--platform=neutral',
        '--conditions=workerd',
        '--main-fields=module,main',
        '--loader:.wasm=copy',
        '--loader:.params=copy',
        '--asset-names=[name]',
        '--outdir=out',
        '--log-level=warning',
      ],
      { cwd: dir },
    ),
    'esbuild bundle of the Worker',
  );
  const size = (f) => fs.statSync(path.join(dir, 'out', f)).size;
  const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(dir, 'out', f))).length;
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  const bundle = {
    workerJs: size('worker.js'),
    wasm: size('gluon_wasm_bg.wasm'),
    gzipTotal: gz('worker.js') + gz('gluon_wasm_bg.wasm'),
  };
  checks.push({
    name: 'esbuild bundle (--conditions=workerd)',
    ok: true,
    detail: `worker.js ${kib(bundle.workerJs)} + .wasm ${kib(bundle.wasm)} (gzip ${kib(bundle.gzipTotal)} together)`,
  });

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { child, log } = startServer(
    toolBin.workerd,
    ['serve', 'config.capnp', '--socket-addr', `http=127.0.0.1:${port}`],
    dir,
  );
  const hardStop = setTimeout(() => child.kill('SIGKILL'), 120_000); // bounded, whatever happens
  let version = 'workerd';
  try {
    const v = await run(toolBin.workerd, ['--version'], { timeout: 10_000 });
    version = v.stdout.trim() || version;
    const health = await waitForHttp(`${base}/health`, 30_000, child);
    checks.push({
      name: 'Worker starts, ready({ wasmModule })',
      ok: health.backend?.build === 'simd',
      detail: JSON.stringify(health),
    });

    const call = async (p, init = {}) => {
      const r = await fetch(`${base}${p}`, { ...init, signal: AbortSignal.timeout(15_000) });
      return { status: r.status, json: await r.json() };
    };
    await exercise(call, dir, checks);
  } catch (e) {
    checks.push({ name: 'workerd', ok: false, detail: `${e.stack ?? e}\nworkerd log:\n${log()}` });
  } finally {
    clearTimeout(hardStop);
    child.kill('SIGTERM');
    await new Promise((r) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        r(undefined);
      }, 5000);
      child.once('close', () => {
        clearTimeout(t);
        r(undefined);
      });
    });
  }
  return { runtime: version, ok: checks.every((c) => c.ok), checks, bundle };
};

RUNTIMES['edge-runtime'] = async () => {
  const dir = await makeProject('edge-runtime', {
    files: [
      ['../workerd/edge-entry.mjs', 'edge-entry.mjs'],
      ['../workerd/model-server.mjs', 'model-server.mjs'],
      ['../workerd/node-ref.mjs', 'node-ref.mjs'],
    ],
  });
  fs.copyFileSync(
    path.join(ROOT, 'test/fixtures/mxnet/bin/api_seq_embed_lstm_dense.params'),
    path.join(dir, 'model.params'),
  );
  const checks = [];
  must(
    await run(
      toolBin.esbuild,
      [
        'edge-entry.mjs',
        '--bundle',
        '--format=iife',
        '--platform=neutral',
        '--conditions=edge-light',
        '--main-fields=module,main',
        '--loader:.params=binary',
        '--target=es2022',
        '--outfile=out/edge.js',
        '--log-level=error',
      ],
      { cwd: dir },
    ),
    'esbuild bundle for the Edge Runtime',
  );
  const require = createRequire(path.join(TOOLS, 'package.json'));
  const { EdgeRuntime } = require('edge-runtime');
  const version = require('edge-runtime/package.json').version;
  // The host compiles the module (resolved through the package's "./simd.wasm" export) and
  // injects it; inside, code generation from bytes stays disabled (EdgeRuntime's default).
  const wasmFile = createRequire(path.join(dir, 'package.json')).resolve('gluon-rnn-wasm/simd.wasm');
  const module = await WebAssembly.compile(fs.readFileSync(wasmFile));
  const runtime = new EdgeRuntime({
    initialCode: fs.readFileSync(path.join(dir, 'out/edge.js'), 'utf8'),
    codeGeneration: { strings: false, wasm: false },
    extend: (ctx) => Object.assign(ctx, { GLUON_WASM: module }),
  });
  const forbidden = await runtime
    .evaluate(
      'WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => "allowed", (e) => String(e))',
    )
    .catch((e) => String(e));
  checks.push({
    name: 'the sandbox forbids compiling wasm from bytes',
    ok: forbidden !== 'allowed',
    detail: String(forbidden).slice(0, 160),
  });
  const call = async (p, init = {}) => {
    const r = await runtime.dispatchFetch(`http://edge.local${p}`, init);
    return { status: r.status, json: await r.json() };
  };
  try {
    const health = await call('/health');
    checks.push({
      name: 'ready({ wasmModule }) in the Edge Runtime',
      ok: health.status === 200 && health.json.backend?.build === 'simd',
      detail: JSON.stringify(health.json),
    });
    await exercise(call, dir, checks);
  } catch (e) {
    checks.push({ name: 'edge-runtime', ok: false, detail: String(e.stack ?? e) });
  }
  return { runtime: `edge-runtime ${version}`, ok: checks.every((c) => c.ok), checks };
};

export const RUNTIME_NAMES = Object.keys(RUNTIMES);

/** Runs one runtime: { name, status: 'pass'|'fail'|'skip', reason?, result?, ms }. */
export async function runRuntime(name) {
  const t0 = Date.now();
  try {
    const toolsErr = [
      'node22',
      'node24',
      'node-latest',
      'deno',
      'bun',
      'vite',
      'vite-dev',
      'webpack',
      'workerd',
      'edge-runtime',
    ].includes(name)
      ? await ensureTools()
      : null;
    if (toolsErr) return { name, status: 'fail', reason: toolsErr, ms: Date.now() - t0 };
    const result = await RUNTIMES[name]();
    if (result.skip) return { name, status: 'skip', reason: result.skip, ms: Date.now() - t0 };
    const failed = (result.checks ?? []).filter((c) => !c.ok);
    const ok = result.ok !== false && failed.length === 0 && !(result.consoleErrors?.length > 0);
    return {
      name,
      status: ok ? 'pass' : 'fail',
      reason: ok
        ? undefined
        : [...failed.map((c) => `${c.name}: ${c.detail}`), ...(result.consoleErrors ?? [])].join('\n'),
      result,
      ms: Date.now() - t0,
    };
  } catch (e) {
    return { name, status: 'fail', reason: String(e?.stack ?? e), ms: Date.now() - t0 };
  }
}

export function format(r) {
  const head = `${r.status.toUpperCase().padEnd(4)} ${r.name.padEnd(12)} ${(r.ms / 1000).toFixed(1).padStart(5)} s  ${r.result?.runtime ?? ''}`;
  const lines = [head];
  for (const c of r.result?.checks ?? [])
    lines.push(`       ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail && c.ok ? `: ${c.detail}` : ''}`);
  if (r.reason)
    lines.push(`       ${r.status === 'skip' ? 'reason' : 'error'}: ${r.reason.split('\n').join('\n       ')}`);
  return lines.join('\n');
}
