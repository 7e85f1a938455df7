// Issue 16: steady-state calls allocate nothing in wasm memory (inputs and outputs go through
// each kernel's staging area; the workspace is grown once), counted by the Rust allocator.
import { beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../ts/backend/index.js';
import mx from '../../ts/index.js';

function allocationsOf(f: () => void): number {
  const before = backend().heap_alloc_count();
  f();
  return backend().heap_alloc_count() - before;
}

describe('steady state, 2 threads (small calls run on the calling thread, large ones split)', () => {
  beforeAll(async () => {
    await mx.ready({ threads: 2 });
  });

  it('fused layers (with states and lengths, split over threads or not), cells and Dense: 0 allocations per call', () => {
    const lstm = new mx.gluon.rnn.LSTM(64, {
      inputSize: 16,
      numLayers: 2,
      bidirectional: true,
      useSequenceLength: true,
    });
    const gru = new mx.gluon.rnn.GRU(256, { inputSize: 32 }); // batch 1: split by units with 2 threads
    const cell = new mx.gluon.rnn.LSTMCell(32, { inputSize: 16 });
    const decoder = new mx.gluon.nn.Dense(1024, { inUnits: 256, flatten: false }); // a token: split by columns
    const dense = new mx.gluon.nn.Dense(8, { inUnits: 16 });
    for (const b of [lstm, gru, cell, decoder, dense]) b.initialize();
    const x = mx.nd.random.uniform(-1, 1, [12, 16, 16]);
    const states = lstm.beginState(16);
    const lengths = mx.nd.array(Array.from({ length: 16 }, (_, i) => 1 + (i % 12)));
    const x1 = mx.nd.random.uniform(-1, 1, [1, 1, 32]);
    const xc = mx.nd.random.uniform(-1, 1, [4, 16]);
    const run = () => {
      lstm.forward(x, states, lengths);
      gru.forward(x1);
      cell.forward(xc, cell.beginState(4));
      decoder.forward(gru.forward(x1));
      dense.forward(xc);
    };
    run(); // packs the weights and sizes the workspaces
    expect(
      allocationsOf(() => {
        for (let i = 0; i < 20; i++) run();
      }),
    ).toBe(0);
  });
});
