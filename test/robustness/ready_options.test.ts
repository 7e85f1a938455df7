// Findings 7 and 9 of issue 13: ready({ threads }) is checked against the real limit before
// any worker starts, and ready()'s report stays true after shutdown().
import { describe, expect, it } from 'vitest';
import mx from '../../ts/index.js';

describe('ready() options and reports', () => {
  it('threads beyond the pool limit (64) are refused at once, naming the limit (finding 7)', async () => {
    const t0 = Date.now();
    await expect(mx.ready({ threads: 1000 })).rejects.toThrow(
      /ready\(options\): threads must be an integer from 1 to 64, got 1000/,
    );
    await expect(mx.ready({ threads: 65 })).rejects.toThrow(RangeError);
    await expect(mx.ready({ threads: 0 })).rejects.toThrow(RangeError);
    await expect(mx.ready({ threads: 1.5 })).rejects.toThrow(RangeError);
    await expect(mx.ready({ cacheBytes: Number.NaN })).rejects.toThrow(/cacheBytes/);
    await expect(mx.ready({ relaxedSimd: 'yes' as never })).rejects.toThrow(/relaxedSimd must be/);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(mx.backendInfo()).toBeNull(); // nothing started
  });

  it('after shutdown(), ready() reports what runs, and ready({ threads: 1 }) is satisfied (finding 9)', async () => {
    const started = await mx.ready({ threads: 2 });
    expect(started.threads).toBe(2);
    mx.shutdown();
    expect(mx.backendInfo()!.threads).toBe(1);
    expect((await mx.ready()).threads).toBe(1);
    expect((await mx.ready({ threads: 1 })).threads).toBe(1);
    expect(mx.backendInfo()!.threadsFallback).toMatch(/shutdown/);
    await expect(mx.ready({ threads: 2 })).rejects.toThrow(
      /runs 1 thread\(s\) now \(mx.shutdown\(\) stopped the worker pool\); the pool does not restart/,
    );
  });
});
