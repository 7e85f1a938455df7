// Each vitest file runs in its own fork, so here the backend has never been readied.
import { describe, expect, it } from 'vitest';
import mx from '../../ts/index.js';

describe('compute before ready()', () => {
  it('throws an error that says to await ready()', () => {
    expect(mx.backendInfo()).toBeNull();
    expect(() => mx.nd.dot(mx.nd.ones([2, 2]), mx.nd.ones([2, 2]))).toThrow(/await mx\.ready\(\)/);
  });

  it('ready() rejects unknown options and bad thread counts by name', async () => {
    await expect(mx.ready({ thread: 2 } as never)).rejects.toThrow(/unknown option 'thread'/);
    await expect(mx.ready({ threads: 0 })).rejects.toThrow(/threads must be an integer from 1 to 64, got 0/);
  });
});

describe('ready() called again', () => {
  it('returns the same info without options, rejects different options by name', async () => {
    const info = await mx.ready({ threads: 1 });
    await expect(mx.ready()).resolves.toEqual(info);
    await expect(mx.ready({ threads: 1 })).resolves.toEqual(info);
    await expect(mx.ready({ threads: 2 })).rejects.toThrow(/already called with .*"threads":1.*cannot switch/);
    await expect(mx.ready({ threads: 1, relaxedSimd: info.relaxedSimd })).resolves.toEqual(info);
    await expect(mx.ready({ threads: 1, relaxedSimd: !info.relaxedSimd })).rejects.toThrow(/cannot switch/);
  });
});

describe('docs/design/api.md start-up lines, in sequence', () => {
  it('ready({ threads: n }) after ready() resolves when n threads are already running', async () => {
    const info = await mx.ready();
    await expect(mx.ready({ threads: info.threads })).resolves.toEqual(info);
  });
});
