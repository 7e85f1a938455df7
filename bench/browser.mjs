// The live bench page (examples/browser/bench.html) in headless Chromium: gluon-rnn-wasm, ONNX
// Runtime Web and TensorFlow.js measured in one browser, from the pinned peers in
// bench/peers/node_modules (installed first, as the Node benchmark does). Fails unless every
// system gave a result on every config and every result passed the float64 accuracy check.
//   node bench/browser.mjs [--configs a,b] [--rounds N] [--target-ms MS] [--warm-ms MS] [--threads N]
// (the page's defaults, but one thread per system unless --threads). `npm run bench` runs it
// after the Node benchmark with the same --configs, --rounds, --target-ms and --warm-ms.
// Results: bench/results/browser-<time>.json and a screenshot beside it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../examples/serve.mjs';
import { chromiumMissing, withChromium } from '../test/runtimes/harness.mjs';
import { ensurePeers } from './peers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SYSTEMS = ['gluon', 'ort-web', 'tfjs-wasm'];

/** The page's URL parameters this script passes on (the rest keep the page's defaults). */
export const PAGE_OPTIONS = ['--configs', '--rounds', '--target-ms', '--warm-ms', '--threads'];

/**
 * { configs, rounds, ... } from `--name value` pairs; with `lenient`, other options (and the
 * value after them) are skipped: `npm run bench` passes the peer benchmark's options along.
 */
export function parseArgs(argv, { lenient = false } = {}) {
  const o = { threads: '1' }; // the Node benchmark's baseline, and the same for all three
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!PAGE_OPTIONS.includes(a)) {
      if (!lenient) throw new Error(`unknown option ${a} (${PAGE_OPTIONS.join(', ')})`);
      continue;
    }
    const v = argv[++i];
    if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
    o[a.slice(2)] = v;
  }
  return o;
}

const f = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : '-');

/** Opens the page, waits for it to finish, checks the rows; resolves the page's state. Throws on a failure. */
export async function runBrowserBench(opt) {
  const missing = chromiumMissing();
  if (missing) {
    console.log(`bench/browser: skipped: ${missing}`);
    return null;
  }
  if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) throw new Error('bench/browser: dist/ is missing');
  ensurePeers();
  const srv = await serve(0, root);
  const query = Object.entries(opt)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  const out = path.join(root, 'bench', 'results', `browser-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  try {
    return await withChromium(async (browser) => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      const url = `${srv.url}examples/browser/bench.html?${query}`;
      console.log(`\n# the live bench page in Chromium: ${url}`);
      await page.goto(url);
      await page.waitForFunction(() => globalThis.__bench?.done, null, { timeout: 20 * 60_000, polling: 500 });
      const st = await page.evaluate(() => globalThis.__bench);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await page.screenshot({ path: `${out}.png`, fullPage: true });
      fs.writeFileSync(
        `${out}.json`,
        JSON.stringify({ url: query, userAgent: await page.evaluate(() => navigator.userAgent), ...st }, null, 1),
      );
      const failures = check(st, errors);
      // what a visitor reads: one 'pass' per config and system in the accuracy column, no MISMATCH
      const shown = await page.$$eval('#table td:last-child', (cells) => cells.map((c) => c.textContent ?? ''));
      const passed = shown.filter((t) => t.startsWith('pass')).length;
      const want = (st.settings?.configs?.length ?? 0) * SYSTEMS.length;
      if (passed !== want) failures.push(`table: ${passed} accuracy cells read 'pass', expected ${want}`);
      for (const s of Object.values(st.systems ?? {})) {
        console.log(`- ${s.label}: ${s.error ? `error ${s.error.split('\n')[0]}` : JSON.stringify(s.info)}`);
      }
      console.log('\n| config | system | median ms | us/token | GFLOP/s | x gluon time | max abs diff (limit) |');
      console.log('|---|---|---|---|---|---|---|');
      for (const r of st.rows) {
        console.log(
          r.error
            ? `| ${r.config} | ${r.system} | error: ${r.error.split('\n')[0].slice(0, 100)} |`
            : `| ${r.config} | ${r.system} | ${f(r.medianMs, 3)} | ${f(r.usPerToken, 1)} | ${f(r.gflops, 1)} | ${f(r.ratio, 2)} | ` +
                `${r.maxAbsDiff.toExponential(1)} (${r.limit.toExponential(1)})${r.accurate ? '' : ' MISMATCH'} |`,
        );
      }
      console.log(`\n# wrote ${path.relative(root, out)}.json and .png`);
      if (failures.length) throw new Error(`bench/browser: ${failures.length} failure(s):\n  ${failures.join('\n  ')}`);
      return st;
    });
  } finally {
    await srv.close();
  }
}

/** Every config has an accurate result of every system, and the page raised no error. */
function check(st, errors) {
  const failures = [];
  const configs = st.settings?.configs ?? [];
  if (configs.length === 0) failures.push('page: no configs');
  if (st.error) failures.push(`page: ${st.error.split('\n')[0]}`);
  if (!st.peers?.installed) failures.push(`peers not installed: ${JSON.stringify(st.peers)}`);
  for (const e of errors) failures.push(`console: ${e.split('\n')[0]}`);
  for (const c of configs) {
    for (const s of SYSTEMS) {
      const r = st.rows.find((x) => x.config === c && x.system === s);
      if (!r) failures.push(`${c} ${s}: no result`);
      else if (r.error) failures.push(`${c} ${s}: ${r.error.split('\n')[0]}`);
      else if (!(r.gflops > 0)) failures.push(`${c} ${s}: no timing`);
      else if (r.accurate !== true) failures.push(`${c} ${s}: max |diff| ${r.maxAbsDiff} > ${r.limit}`);
    }
  }
  return failures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await Promise.resolve()
    .then(() => runBrowserBench(parseArgs(process.argv.slice(2))))
    .catch((e) => {
      console.error(e.message);
      process.exitCode = 1;
    });
}
