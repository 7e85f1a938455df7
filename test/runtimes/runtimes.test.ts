// The package from `npm pack`, installed into a fresh project per runtime, runs the same smoke
// script (test/runtimes/smoke/smoke.mjs) in Node 20, Node 22 and 24 (LTS), the newest Node, Deno, Bun, headless
// Chromium, a Vite build, Vite's dev server and a webpack build; and a consumer project
// type-checks docs/design/api.md's examples.
// A runtime that cannot run here is skipped with its reason printed, never silently.
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, format, RUNTIME_NAMES, runRuntime } from './harness.mjs';

describe('packed package in each runtime', () => {
  afterAll(() => cleanup());
  for (const name of RUNTIME_NAMES) {
    it(name, async (ctx) => {
      const r = await runRuntime(name);
      console.log(format(r));
      if (r.status === 'skip') {
        console.warn(`SKIPPED runtime ${name}: ${r.reason}`);
        ctx.skip();
      }
      expect(r.status, r.reason).toBe('pass');
    }, 240_000);
  }
});
