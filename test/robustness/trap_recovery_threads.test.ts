// Trap recovery in the threaded build: the instance and its workers are replaced, the call
// that trapped throws, later calls work at once on the calling thread, and the pool comes
// back with its threads. Runs the test-hooks build (target/test-hooks/).
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendTrapError, guarded, testHooks } from '../../ts/backend/index.js';
import mx from '../../ts/index.js';
import { until } from '../threads/helpers.js';

describe('trap recovery (2 threads)', () => {
  beforeAll(async () => {
    await mx.ready({ threads: 2, relaxedSimd: false, wasmPath: 'target/test-hooks/' });
  });

  it('replaces instance and pool; outputs stay bitwise identical before, during and after the restart', async () => {
    const lstm = new mx.gluon.rnn.LSTM(64, { inputSize: 32, numLayers: 2 });
    lstm.initialize();
    const x = mx.nd.random.uniform(-1, 1, [20, 16, 32]); // large enough to split over threads
    const want = Array.from(lstm.forward(x).data);
    expect(() => guarded('test_trap', () => testHooks().test_trap())).toThrow(BackendTrapError);
    expect(Array.from(lstm.forward(x).data)).toEqual(want);
    await until(() => mx.backendInfo()!.threads === 2, 10_000);
    expect(mx.backendInfo()!.threadsFallback).toBeNull();
    expect(Array.from(lstm.forward(x).data)).toEqual(want);
    expect((await mx.ready()).threads).toBe(2);
  });
});
