// examples/browser in headless Chromium: the text-generation demo loads MXNet's .params,
// generates text, reproduces MXNet's own greedy continuation, its train panel trains a char-LSTM
// live and saves a .params that loads back, and the bench page draws its chart. Screenshots go to
// test-results/ (kept as test artifacts, ignored by git).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrainer, loadTrained } from '../../examples/browser/training.mjs';
import mx, { ready } from '../../ts/index.js';
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
interface TrainState {
  running: boolean;
  steps: number;
  losses: number[];
  stepsPerSecond: number;
  saved: { bytes: number; evalLoss: number; steps: number } | null;
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

  it('train panel: the loss falls as it trains live, the page stays responsive, the saved .params loads back', async () => {
    await ready();
    await withChromium(async (browser) => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1100 }, acceptDownloads: true });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${srv.url}examples/browser/?length=20`);
      await page.waitForFunction(() => (globalThis as { __demo?: DemoState }).__demo?.done, null, { timeout: 60_000 });
      await page.click('#train-start');
      const train = () => page.evaluate(() => (globalThis as { __train?: TrainState }).__train as TrainState);
      await page.waitForFunction(() => ((globalThis as { __train?: TrainState }).__train?.steps ?? 0) >= 5, null, {
        timeout: 60_000,
      });
      // While it trains, the page answers within a chunk or two (each chunk is ~50 ms of steps).
      const t0 = Date.now();
      await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
      const latencyMs = Date.now() - t0;
      expect(latencyMs).toBeLessThan(1000);
      await page.waitForFunction(() => ((globalThis as { __train?: TrainState }).__train?.steps ?? 0) >= 60, null, {
        timeout: 120_000,
      });
      await page.click('#train-stop');
      await page.waitForFunction(() => (globalThis as { __train?: TrainState }).__train?.running === false);
      const st = await train();
      expect(st.error).toBeNull();
      const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
      const first = mean(st.losses.slice(0, 10));
      const last = mean(st.losses.slice(-10));
      expect(st.losses[0]).toBeGreaterThan(3.6); // ~ln(46): untrained
      expect(last).toBeLessThan(first - 0.5);
      expect(await page.textContent('#train-steps')).toBe(String(st.steps));
      // The curve is drawn: many inked pixels in the canvas.
      const inked = await page.evaluate(() => {
        const c = document.getElementById('loss-curve') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
        return n;
      });
      expect(inked).toBeGreaterThan(1000);
      await page.screenshot({ path: path.join(OUT, 'browser-train.png'), fullPage: true });
      // "save .params" downloads saveParameters() of the stopped model.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#train-save')]);
      expect(download.suggestedFilename()).toBe('charlstm-trained.params');
      const bytes = new Uint8Array(fs.readFileSync((await download.path()) as string));
      const saved = (await train()).saved;
      expect(saved?.bytes).toBe(bytes.byteLength);
      // It loads back in the page and here (Node, the TypeScript sources) with the same loss.
      const inPage = await page.evaluate(
        (b) => (globalThis as { demo?: { loadTrained(b: Uint8Array): number } }).demo!.loadTrained(new Uint8Array(b)),
        [...bytes],
      );
      expect(Math.abs(inPage - (saved?.evalLoss as number))).toBeLessThan(1e-5);
      const corpus = fs.readFileSync(path.join(ROOT, 'examples/browser/train/corpus.txt'), 'utf8');
      const here = createTrainer(mx, corpus);
      const loaded = loadTrained(mx, here.vocab, bytes);
      expect(Math.abs(here.evalLoss(loaded) - (saved?.evalLoss as number))).toBeLessThan(1e-4);
      expect(here.evalLoss(loaded)).toBeLessThan(here.evalLoss() - 0.3); // trained beats a fresh model
      expect(errors).toEqual([]);
      console.log(
        `browser train: ${st.steps} steps at ${st.stepsPerSecond.toFixed(1)} steps/s, loss ${first.toFixed(3)} -> ` +
          `${last.toFixed(3)} (mean of 10), page latency ${latencyMs} ms, saved ${bytes.byteLength} bytes; ` +
          'screenshot test-results/browser-train.png',
      );
    });
  }, 240_000);

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
