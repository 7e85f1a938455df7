// Time to first result of the built package (dist/): import, `ready({ threads: 1 })`, building
// small_lstm (bench/startup_measure.mjs) and its first forward call, each repetition in a fresh
// Node process and in a fresh headless Chromium page (cold HTTP cache, new renderer), medians.
// Node: the running one, then the LTS lines and the newest Node the runtime tests pin
// (test/runtimes/tools, installed on first use).
// `node bench/startup.mjs [--reps N] [--entry <file under the repo>] [--no-browser] [--this-node]`;
// the default entry is the file the package's "." export resolves to. Prints a Markdown table.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measureStartup } from './startup_measure.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const entry = opt('--entry', pkg.exports['.'].default.replace(/^\.\//, ''));
const reps = Number(opt('--reps', '7'));
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps: expected a positive integer, got ${reps}`);

if (args.includes('--child')) {
  const r = await measureStartup(() => import(pathToFileURL(path.join(ROOT, entry)).href));
  console.log(JSON.stringify(r));
  process.exit(0);
}

if (!fs.existsSync(path.join(ROOT, entry))) throw new Error(`${entry} is missing: run \`npm run build\` first`);
const PHASES = ['importMs', 'readyMs', 'buildMs', 'firstMs', 'totalMs'];
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summarize = (runs) => Object.fromEntries(PHASES.map((k) => [k, median(runs.map((r) => r[k]))]));

function nodeRuns(node) {
  const runs = [];
  for (let i = 0; i < reps; i++) {
    const r = spawnSync(node, [fileURLToPath(import.meta.url), '--child', '--entry', entry], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`startup child failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  return runs;
}

async function chromiumRuns() {
  const { chromiumMissing, serveStatic, withChromium } = await import('../test/runtimes/harness.mjs');
  const missing = chromiumMissing();
  if (missing) return { skipped: missing };
  const srv = await serveStatic(ROOT, { isolated: false });
  try {
    return await withChromium(async (browser) => {
      const runs = [];
      for (let i = 0; i < reps; i++) {
        const context = await browser.newContext(); // a cold HTTP cache each time
        const page = await context.newPage();
        await page.goto(`${srv.url}bench/startup_measure.mjs`);
        // A string: the page imports the measuring module, then times the package's import.
        const script = `import('/bench/startup_measure.mjs').then((m) => m.measureStartup(() => import('/${entry}')))`;
        runs.push(await page.evaluate(script));
        await context.close();
      }
      return { runs };
    });
  } finally {
    await srv.close();
  }
}

const rows = [['Node', process.version, summarize(nodeRuns(process.execPath))]];
if (!args.includes('--this-node')) {
  const { ensureTools, NODE_LINES } = await import('../test/runtimes/harness.mjs');
  const failed = await ensureTools();
  if (failed) console.warn(`startup: the other Node lines skipped: ${failed}`);
  for (const node of failed ? [] : Object.values(NODE_LINES)) {
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    rows.push(['Node', version, summarize(nodeRuns(node))]);
  }
}
if (!args.includes('--no-browser')) {
  const c = await chromiumRuns();
  if (c.skipped) console.warn(`startup: Chromium skipped: ${c.skipped}`);
  else rows.push(['Chromium', 'headless', summarize(c.runs)]);
}
const f = (x) => x.toFixed(1);
console.log(
  [
    `## Time to first result (${entry}, small_lstm, 1 thread, median of ${reps} fresh processes / pages)`,
    '',
    '| runtime | import ms | ready() ms | build ms | first call ms | total ms |',
    '|---|---|---|---|---|---|',
    ...rows.map(([rt, v, m]) => `| ${rt} ${v} | ${PHASES.map((k) => f(m[k])).join(' | ')} |`),
  ].join('\n'),
);
