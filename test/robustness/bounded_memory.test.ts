// Finding 6 of issue 13: models dropped without dispose() keep wasm memory bounded. The packed
// weights of all layers live under one budget (ready({ cacheBytes })); past it the least
// recently used are released and re-packed on their next use.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../ts/backend/index.js';
import { cacheStats } from '../../ts/backend/packed_cache.js';
import type { Block } from '../../ts/gluon/block.js';
import mx from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';

const BUDGET = 8 * 2 ** 20;

describe('bounded memory without dispose()', () => {
  beforeAll(async () => {
    await mx.ready({ threads: 1, cacheBytes: BUDGET });
  });

  /** 1,000 cycles of `make()` -> initialize -> forward(x) -> drop: the wasm heap stops growing. */
  function cyclesStayBounded(make: () => Block, x: NDArray): void {
    const memory = () => backend().heap_live_bytes();
    let atWarm = 0;
    for (let i = 0; i < 1000; i++) {
      const b = make();
      b.initialize();
      b.forward(x);
      if (i === 300) atWarm = memory();
      expect(cacheStats().bytes).toBeLessThanOrEqual(BUDGET + 2 ** 20);
    }
    // the live heap holds at most the budget plus one kernel, and does not creep
    expect(memory()).toBeLessThanOrEqual(atWarm + 2 ** 20);
    expect(memory()).toBeLessThan(BUDGET + 4 * 2 ** 20);
  }

  it('1,000 create -> forward -> drop cycles of LSTM(128, input 64): wasm memory stops growing', () => {
    cyclesStayBounded(() => new mx.gluon.rnn.LSTM(128, { inputSize: 64 }), mx.nd.random.uniform(-1, 1, [4, 2, 64]));
  });

  it('1,000 create -> forward -> drop cycles of Dense(512, inUnits 512): wasm memory stops growing', () => {
    cyclesStayBounded(() => new mx.gluon.nn.Dense(512, { inUnits: 512 }), mx.nd.random.uniform(-1, 1, [2, 512]));
  });

  it('the JS heap stays flat too: nothing keeps dropped kernels reachable until the event loop turns', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const x = mx.nd.random.uniform(-1, 1, [4, 2, 8]);
    const cycles = (n: number) => {
      for (let i = 0; i < n; i++) {
        const l = new mx.gluon.rnn.LSTM(16, { inputSize: 8 });
        l.initialize();
        l.forward(x);
      }
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const warm = cycles(5000);
    // a finalizer holding each dropped kernel kept about 230 bytes a cycle: 2.3 MB here
    expect(cycles(10_000) - warm).toBeLessThan(2 ** 20);
  });

  it('an evicted layer re-packs on its next use with the same outputs; dispose() frees at once', () => {
    const keep = new mx.gluon.rnn.GRU(32, { inputSize: 8 });
    keep.initialize();
    const x = mx.nd.random.uniform(-1, 1, [3, 2, 8]);
    const want = Array.from(keep.forward(x).data);
    for (let i = 0; i < 200; i++) {
      const l = new mx.gluon.rnn.LSTM(128, { inputSize: 64 });
      l.initialize();
      l.forward(mx.nd.zeros([1, 1, 64]));
    }
    expect(Array.from(keep.forward(x).data)).toEqual(want);
    const before = cacheStats();
    keep.dispose();
    expect(cacheStats().kernels).toBe(before.kernels - 1);
    expect(cacheStats().bytes).toBeLessThan(before.bytes);
  });
});
