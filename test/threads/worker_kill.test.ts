// A pool worker killed from outside (terminate) between calls: the pool notices, degrades
// to one thread, reports it in backendInfo, and later calls neither hang nor fail.
import { describe, expect, it } from 'vitest';
import { poolForTests } from '../../ts/backend/index.js';
import mx from '../../ts/index.js';
import { sgemmOnce } from './helpers.js';

describe('worker killed between calls', () => {
  it('degrades to one thread and keeps computing the same results', async () => {
    await mx.ready({ threads: 2 });
    const before = sgemmOnce(300, 300, 300, true, false, 0.5);
    const pool = poolForTests();
    expect(pool?.liveWorkers.length).toBe(1);
    pool!.liveWorkers[0]!.terminate();
    const end = Date.now() + 5000;
    while (mx.backendInfo()!.threads !== 1) {
      if (Date.now() > end) throw new Error('the pool did not notice the dead worker');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(mx.backendInfo()!.threadsFallback).toMatch(/pool worker 1 exited/);
    expect(poolForTests()).toBeNull();
    expect(sgemmOnce(300, 300, 300, true, false, 0.5)).toEqual(before);
  });
});

describe('shutdown', () => {
  it('is idempotent after degradation and leaves the backend usable', () => {
    mx.shutdown();
    mx.shutdown();
    expect(mx.backendInfo()!.threads).toBe(1);
    expect(sgemmOnce(64, 64, 64, false, false, 0).length).toBe(64 * 64);
  });
});
