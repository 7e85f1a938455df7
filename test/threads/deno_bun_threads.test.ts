// The worker pool in Deno and Bun (module Web Workers over one shared memory): two threads,
// bitwise equal to one, and the process exits after mx.shutdown(). Uses dist/ (npm test
// builds it) and the pinned runtimes of test/runtimes/tools.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTools, ROOT, run, TOOLS } from '../runtimes/harness.mjs';

const script = path.join(ROOT, 'test/threads/scripts/pool_smoke.mjs');
const runtimes: [string, string, string[]][] = [
  ['deno', path.join(TOOLS, 'node_modules/.bin/deno'), ['run', `--allow-read=${ROOT}`, script]],
  ['bun', path.join(TOOLS, 'node_modules/.bin/bun'), [script]],
];

describe('worker pool in Deno and Bun', () => {
  let toolsError: string | null = null;
  beforeAll(async () => {
    toolsError = await ensureTools();
  }, 300_000);

  for (const [name, bin, args] of runtimes) {
    it(`${name}: threads: 2, bitwise equal to one thread, exits after shutdown()`, async () => {
      expect(toolsError).toBeNull();
      const r = await run(bin, args, { timeout: 30_000 });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}');
      expect(out.info).toMatchObject({ build: 'simd-threads', threads: 2, threadsFallback: null });
      expect(out.same).toBe(true);
    });
  }
});
