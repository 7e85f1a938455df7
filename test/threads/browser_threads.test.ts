// Threads in headless Chromium: the pool runs on Web Workers when the page is
// cross-origin isolated (COOP/COEP), with results bitwise equal to one thread; without
// those headers ready() falls back to the single-thread build, says why in backendInfo,
// warns once, and does not throw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, ROOT, serveStatic, withChromium } from '../runtimes/harness.mjs';

type PageResult = {
  error?: string;
  info?: { build: string; threads: number; threadsFallback: string | null };
  poolThreads?: number;
  same?: boolean;
  warnings?: string[];
  isolated?: boolean;
};

const missing = chromiumMissing();
if (missing) console.log(`browser thread tests skipped: ${missing}`);

async function load(url: string): Promise<PageResult> {
  return withChromium(async (browser) => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as { result?: unknown }).result !== undefined, null, { timeout: 30_000 });
    return (await page.evaluate(() => (window as { result?: unknown }).result)) as PageResult;
  });
}

describe.skipIf(missing !== null)('threads in Chromium', () => {
  const servers: { url: string; close(): Promise<void> }[] = [];
  beforeAll(async () => {
    servers.push(await serveStatic(ROOT, { isolated: true }), await serveStatic(ROOT, { isolated: false }));
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('cross-origin isolated: two threads on Web Workers, bitwise equal to one thread', async () => {
    const r = await load(`${servers[0]!.url}test/threads/browser/page.html?threads=2`);
    expect(r.error).toBeUndefined();
    expect(r.isolated).toBe(true);
    expect(r.info).toMatchObject({ build: 'simd-threads', threads: 2, threadsFallback: null });
    expect(r.poolThreads).toBe(2);
    expect(r.same).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it('without COOP/COEP: falls back to the single-thread build, reports why, warns once', async () => {
    const r = await load(`${servers[1]!.url}test/threads/browser/page.html?threads=2`);
    expect(r.error).toBeUndefined();
    expect(r.isolated).toBe(false);
    expect(r.info).toMatchObject({ build: 'simd', threads: 1 });
    expect(r.info!.threadsFallback).toMatch(/SharedArrayBuffer|cross-origin isolated/);
    expect(r.poolThreads).toBe(1);
    expect(r.same).toBe(true);
    expect(r.warnings!.length).toBe(1);
  });
});
