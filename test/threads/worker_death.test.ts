// A pool worker that dies is reported on the call that needed it, the pool degrades to
// one thread, and nothing hangs. (Own file: each vitest file gets a fresh process.)
import { beforeAll, describe, expect, it } from 'vitest';
import { testHooks } from '../../ts/backend/index.js';
import mx from '../../ts/index.js';
import { sgemmOnce, until, withThreads } from './helpers.js';

describe('worker death', () => {
  beforeAll(async () => {
    // The failing-worker hook exists only in the test build (target/test-hooks/).
    await mx.ready({ threads: 2, relaxedSimd: false, wasmPath: 'target/test-hooks/' });
  });

  it('a worker failing in the middle of a call: that call throws, the next ones work on 1 thread', async () => {
    // Large enough that the calling thread cannot finish both halves before worker 1 wakes,
    // even on a loaded machine.
    const want = withThreads(1, () => sgemmOnce(1200, 1200, 800, false, false, 0));
    testHooks().pool_debug_fail_worker(1);
    expect(() => sgemmOnce(1200, 1200, 800, false, false, 0)).toThrow(/worker 1 died while running part of this call/);
    await until(() => mx.backendInfo()!.threads === 1, 5000);
    expect(mx.backendInfo()!.threadsFallback).toMatch(/pool worker 1 .*running on 1 thread/);
    expect(sgemmOnce(1200, 1200, 800, false, false, 0)).toEqual(want);
  });
});
