// Findings 2 and 3 of issue 13: a trap (here the test build's deliberate one) never poisons the
// process. The backend replaces the instance; layers built before it re-pack from their
// JavaScript-owned parameters; loadParameters, dispose and re-initialisation work; thousands
// of traps in a row change nothing. Runs the test-hooks build (target/test-hooks/).
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendTrapError, guarded, testHooks } from '../../ts/backend/index.js';
import mx from '../../ts/index.js';

const trap = () => guarded('test_trap', () => testHooks().test_trap());

describe('trap recovery (1 thread)', () => {
  beforeAll(async () => {
    await mx.ready({ threads: 1, relaxedSimd: false, wasmPath: 'target/test-hooks/' });
  });

  it('the trapping call throws BackendTrapError; every layer kind works afterwards, with the same outputs', () => {
    const lstm = new mx.gluon.rnn.LSTM(8, { inputSize: 4, layout: 'NTC', numLayers: 2 });
    const cell = new mx.gluon.rnn.GRUCell(6, { inputSize: 4 });
    const dense = new mx.gluon.nn.Dense(3, { inUnits: 4 });
    for (const b of [lstm, cell, dense]) b.initialize();
    const x = mx.nd.random.uniform(-1, 1, [3, 5, 4]);
    const x1 = mx.nd.random.uniform(-1, 1, [2, 4]);
    const before = [lstm.forward(x), cell.forward(x1, cell.beginState(2))[0], dense.forward(x1)].map((a) =>
      Array.from((a as { data: Float32Array }).data),
    );
    expect(trap).toThrow(BackendTrapError);
    expect(trap).toThrow(/trapped .*replaced and later calls work/);
    expect(mx.backendInfo()!.restarts).toBe(2);
    const after = [lstm.forward(x), cell.forward(x1, cell.beginState(2))[0], dense.forward(x1)].map((a) =>
      Array.from((a as { data: Float32Array }).data),
    );
    expect(after).toEqual(before);
    // the lifetime operations that failed after a trap before (finding 2)
    const bytes = lstm.saveParameters();
    lstm.loadParameters(bytes);
    lstm.initialize({ forceReinit: true });
    lstm.forward(x);
    lstm.dispose();
    lstm.loadParameters(bytes);
    expect(Array.from(lstm.forward(x).data)).toEqual(before[0]);
  });

  it('a trap in the middle of a sequence of calls: the next forward of an NTC layer works (finding 1 + 2)', () => {
    const lstm = new mx.gluon.rnn.LSTM(8, { inputSize: 4, layout: 'NTC' });
    lstm.initialize();
    lstm.forward(mx.nd.zeros([3, 0, 4]));
    expect(trap).toThrow(BackendTrapError);
    expect(lstm.forward(mx.nd.ones([3, 5, 4])).shape).toEqual([3, 5, 8]);
  });

  it('a trap between the steps of a layer.stream(): its states survive, the next step continues', () => {
    const lstm = new mx.gluon.rnn.LSTM(8, { inputSize: 4, numLayers: 2 });
    lstm.initialize();
    const s = lstm.stream({ batchSize: 2 });
    const ref = lstm.stream({ batchSize: 2 });
    const x = mx.nd.random.uniform(-1, 1, [2, 4]);
    s.step(x);
    ref.step(x);
    expect(trap).toThrow(BackendTrapError);
    expect(Array.from(s.step(x))).toEqual(Array.from(ref.step(x)));
  });

  it('3,000 traps in a row (each with a fresh layer) leave the process working (finding 3)', () => {
    const keep = new mx.gluon.rnn.GRU(8, { inputSize: 4 });
    keep.initialize();
    const x = mx.nd.random.uniform(-1, 1, [5, 2, 4]);
    const want = Array.from(keep.forward(x).data);
    for (let i = 0; i < 3000; i++) {
      const l = new mx.gluon.rnn.LSTM(8, { inputSize: 4, layout: 'NTC' });
      l.initialize();
      l.forward(mx.nd.ones([3, 2, 4]));
      expect(trap).toThrow(BackendTrapError);
    }
    expect(Array.from(keep.forward(x).data)).toEqual(want);
    expect(mx.backendInfo()!.threads).toBe(1);
  });
});
