// examples/browser in headless Chromium: the text-generation demo loads MXNet's .params,
// generates text, reproduces MXNet's own greedy continuation, and the bench page draws its
// chart. Screenshots go to test-results/ (kept as test artifacts, ignored by git).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, ROOT, serveStatic, withChromium } from './harness.mjs';

const OUT = path.join(ROOT, 'test-results');
const missing = chromiumMissing();
if (missing) console.warn(`SKIPPED browser demo tests: ${missing}`);

interface DemoState {
  done: boolean;
  text: string;
  tokensPerSecond: number;
  backend: { build: string; simd: boolean; threads: number } | null;
  error: string | null;
}
interface BenchState {
  done: boolean;
  rows: { config: string; medianMs: number; gflops: number }[];
  error: string | null;
}

describe.skipIf(missing !== null)('examples/browser in Chromium', () => {
  let srv: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    expect(fs.existsSync(path.join(ROOT, 'dist/index.js')), 'dist/ is missing: run `npm run build`').toBe(true);
    fs.mkdirSync(OUT, { recursive: true });
    srv = await serveStatic(ROOT);
  });
  afterAll(async () => srv?.close());

  it('demo: generates text from the MXNet-trained char LSTM and matches MXNet greedy decoding', async () => {
    const meta = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/browser/model/meta.json'), 'utf8'));
    await withChromium(async (browser) => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${srv.url}examples/browser/?length=240&seed=3`);
      await page.waitForFunction(() => (globalThis as { __demo?: DemoState }).__demo?.done, null, { timeout: 60_000 });
      const st = (await page.evaluate(() => (globalThis as { __demo?: DemoState }).__demo)) as DemoState;
      await page.screenshot({ path: path.join(OUT, 'browser-demo.png'), fullPage: true });
      expect(st.error).toBeNull();
      expect(errors).toEqual([]);
      expect(st.text.length).toBe(240);
      // The text is made of the model's vocabulary and reads like its corpus (words, spaces).
      for (const c of st.text) expect(meta.vocab).toContain(c);
      expect(st.text.split(/\s+/).length).toBeGreaterThan(20);
      expect(st.tokensPerSecond).toBeGreaterThan(0);
      expect(st.backend?.simd).toBe(true);
      const shown = await page.textContent('#output');
      expect(shown).toBe(`${meta.prompt}${st.text}`);
      expect(await page.textContent('#backend')).toMatch(/^simd/);
      expect(Number(await page.textContent('#speed'))).toBeGreaterThan(0);
      const greedy = await page.evaluate(
        ([p, n]) => (globalThis as { demo?: { greedy(p: string, n: number): string } }).demo!.greedy(p, n),
        [meta.prompt, meta.greedy.length] as [string, number],
      );
      expect(greedy).toBe(meta.greedy);
      // Beam search (topk + log_softmax) in the page equals MXNet's (model/decode.json).
      const decode = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/browser/model/decode.json'), 'utf8'));
      const c = decode.cases[0];
      const beam = await page.evaluate(
        ([p, n, k]) =>
          (globalThis as { demo?: { beamSearch(p: string, n: number, k: number): { text: string } } }).demo!.beamSearch(
            p,
            n,
            k,
          ).text,
        [c.prime, c.beam.text.length, decode.beams] as [string, number, number],
      );
      expect(beam).toBe(c.beam.text);
      // The page's own decoding options give the same texts.
      for (const [query, want] of [
        ['decoding=greedy&length=100', meta.greedy.slice(0, 100)],
        [`decoding=beam&beams=${decode.beams}&length=${c.beam.text.length}`, c.beam.text],
      ] as [string, string][]) {
        await page.goto(`${srv.url}examples/browser/?${query}`);
        await page.waitForFunction(() => (globalThis as { __demo?: DemoState }).__demo?.done, null, {
          timeout: 60_000,
        });
        const run = (await page.evaluate(() => (globalThis as { __demo?: DemoState }).__demo)) as DemoState;
        expect(run.error).toBeNull();
        expect(run.text, query).toBe(want);
        expect(await page.textContent('#output')).toBe(`${meta.prompt}${want}`);
      }
      expect(errors).toEqual([]);
      console.log(
        `browser demo: ${st.backend?.build} x${st.backend?.threads}, ${st.tokensPerSecond.toFixed(0)} tokens/s; ` +
          `greedy == MXNet 1.9.1's (${greedy.length} chars); screenshot test-results/browser-demo.png`,
      );
    });
  }, 120_000);

  it('bench page: measures the layers and draws the chart', async () => {
    await withChromium(async (browser) => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${srv.url}examples/browser/bench.html?quick`);
      await page.waitForFunction(() => (globalThis as { __bench?: BenchState }).__bench?.done, null, {
        timeout: 90_000,
      });
      const st = (await page.evaluate(() => (globalThis as { __bench?: BenchState }).__bench)) as BenchState;
      await page.screenshot({ path: path.join(OUT, 'bench-chart.png'), fullPage: true });
      expect(st.error).toBeNull();
      expect(errors).toEqual([]);
      expect(st.rows.length).toBeGreaterThanOrEqual(2);
      for (const r of st.rows) expect(r.gflops).toBeGreaterThan(0);
      // The chart has bars: some non-background pixels in the canvas.
      const inked = await page.evaluate(() => {
        const c = document.getElementById('chart') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
        return n;
      });
      expect(inked).toBeGreaterThan(1000);
    });
  }, 120_000);
});
