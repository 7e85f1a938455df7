// The operator and layer fixtures of MXNet 1.9.1 in headless Chromium: a representative subset
// of test/fixtures/mxnet_ops (softmax, log_softmax, topk, reshape's special codes, LayerNorm,
// Convolution (1D), batch_dot, and the Conv1D and LayerNorm layers) replayed by
// test/runtimes/browser_ops.mjs against the built package (dist/), within 1e-5 as in Node.
// Cross-origin isolated (the threaded SIMD build) and not (the single-thread SIMD build).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumMissing, ROOT, serveStatic, withChromium } from './harness.mjs';

const missing = chromiumMissing();
if (missing) console.warn(`SKIPPED browser operator fixtures: ${missing}`);

const OPS = ['softmax', 'log_softmax', 'topk', 'reshape', 'LayerNorm', 'Convolution', 'batch_dot'];
const LAYERS = fs
  .readdirSync(path.join(ROOT, 'test/fixtures/mxnet_ops'))
  .filter((f) => /^layer_(conv1d|layernorm)_.*\.json$/.test(f))
  .sort();

interface Result {
  name: string;
  ok: boolean;
  worst?: number;
  detail?: string;
}
interface PageRun {
  backend: { build: string; simd: boolean; threads: number };
  results: Result[];
}

async function runInChromium(isolated: boolean): Promise<PageRun> {
  expect(fs.existsSync(path.join(ROOT, 'dist/index.js')), 'dist/ is missing: run `npm run build`').toBe(true);
  const srv = await serveStatic(ROOT, { isolated });
  try {
    return await withChromium(async (browser) => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      // Any page of the server gives the origin (and its isolation headers) to import from.
      await page.goto(`${srv.url}test/runtimes/browser_ops.mjs`);
      // A string, not a function: vitest would rewrite a function's import() for Node.
      const script = `(async () => {
        const mx = (await import('/dist/index.js')).default;
        const { replayLayers, replayOps } = await import('/test/runtimes/browser_ops.mjs');
        const backend = await mx.ready();
        const load = (f) => fetch('/test/fixtures/mxnet_ops/' + f).then((r) => r.json());
        const opFixtures = await Promise.all(${JSON.stringify(OPS)}.map((o) => load('op_' + o + '.json')));
        const layerFixtures = await Promise.all(${JSON.stringify(LAYERS)}.map(load));
        return { backend, results: [...replayOps(mx, opFixtures), ...replayLayers(mx, layerFixtures)] };
      })()`;
      const run = (await page.evaluate(script)) as PageRun;
      expect(errors).toEqual([]);
      return run;
    });
  } finally {
    await srv.close();
  }
}

function expectAllPass(run: PageRun, what: string) {
  const failed = run.results.filter((r) => !r.ok);
  expect(failed, `${what}: ${failed.map((r) => `${r.name}: ${r.detail ?? ''} ${r.worst ?? ''}`).join('\n')}`).toEqual(
    [],
  );
  // Every operator and layer fixture of the subset ran.
  for (const op of OPS) expect(run.results.some((r) => r.name.startsWith(`${op}/`))).toBe(true);
  expect(run.results.filter((r) => r.name.startsWith('layer/')).length).toBe(LAYERS.length);
  expect(run.results.length).toBeGreaterThan(100);
  const worst = Math.max(...run.results.map((r) => r.worst ?? 0));
  console.log(
    `Chromium (${run.backend.build} x${run.backend.threads}): ${run.results.length} fixture checks within 1e-5 of MXNet 1.9.1 (worst ${worst.toExponential(1)})`,
  );
}

describe.skipIf(missing !== null)('operator fixtures in Chromium', () => {
  it('cross-origin isolated (threaded SIMD build)', async () => {
    const run = await runInChromium(true);
    expect(run.backend.simd).toBe(true);
    expect(run.backend.threads).toBeGreaterThan(1);
    expectAllPass(run, 'isolated');
  }, 120_000);

  it('not isolated (single-thread SIMD build)', async () => {
    const run = await runInChromium(false);
    expect(run.backend.simd).toBe(true);
    expect(run.backend.threads).toBe(1);
    expectAllPass(run, 'not isolated');
  }, 120_000);
});
