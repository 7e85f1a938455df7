// Found by `npm run fuzz` (FUZZ_SEED=20261219, one thread): a kernel's first call packs its
// weights, which can grow the wasm memory and so detach the package's cached view of it (an
// unshared memory's old buffer is detached when it grows); a call that then stages nothing
// (zero sizes) was handed the detached view and failed with a TypeError.
import { beforeAll, describe, expect, it } from 'vitest';
import { wasmMemoryStats } from '../../ts/backend/index.js';
import mx from '../../ts/index.js';

/** A hidden size whose two weight matrices (H x H each) hold more bytes than the memory has now. */
function outgrowingHidden(): number {
  return Math.ceil(Math.sqrt(wasmMemoryStats().memoryBytes / 8)) + 64;
}

describe('a zero-size first call whose weight packing grows the memory (one thread: unshared memory)', () => {
  beforeAll(async () => {
    await mx.ready({ threads: 1 });
    const warm = new mx.gluon.rnn.LSTM(4, { inputSize: 3 });
    warm.initialize();
    warm.forward(mx.nd.ones([2, 1, 3])); // the cached view now covers the whole memory
  });

  for (const [T, N] of [
    [1, 0],
    [0, 2],
    [0, 0],
  ] as const) {
    it(`a fused layer, T = ${T}, N = ${N}, then a normal call`, () => {
      const H = outgrowingHidden();
      const before = wasmMemoryStats().memoryBytes;
      const layer = new mx.gluon.rnn.RNN(H, { inputSize: H, activation: 'relu' });
      layer.initialize();
      expect(layer.forward(mx.nd.zeros([T, N, H])).shape).toEqual([T, N, H]);
      expect(wasmMemoryStats().memoryBytes).toBeGreaterThan(before);
      const y = layer.forward(mx.nd.ones([1, 2, H]));
      expect(y.shape).toEqual([1, 2, H]);
      expect(y.data.every(Number.isFinite)).toBe(true);
      layer.dispose();
    });
  }

  it('a cell, N = 0, then a normal call', () => {
    const H = outgrowingHidden();
    const before = wasmMemoryStats().memoryBytes;
    const cell = new mx.gluon.rnn.RNNCell(H, { inputSize: H });
    cell.initialize();
    const [out] = cell.forward(mx.nd.zeros([0, H]), cell.beginState(0));
    expect(out.shape).toEqual([0, H]);
    expect(wasmMemoryStats().memoryBytes).toBeGreaterThan(before);
    const [out2] = cell.forward(mx.nd.ones([2, H]), cell.beginState(2));
    expect(out2.data.every(Number.isFinite)).toBe(true);
    cell.dispose();
  });
});
