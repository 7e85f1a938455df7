// Messages that name an option say it the TypeScript way (`forceReinit: true`, not Python's
// `force_reinit=True`); the load errors' option names are checked in test/io/model_files.test.ts.

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import mx, { ready } from '../../ts/index.js';

beforeAll(async () => {
  await ready();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('option names in messages', () => {
  it("initialize twice warns with 'forceReinit: true'", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const dense = new mx.gluon.nn.Dense(2, { inUnits: 3, prefix: 'd_' });
    dense.initialize();
    dense.initialize();
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      "gluon-rnn-wasm: Parameter 'd_weight' is already initialized, ignoring. Set forceReinit: true to re-initialize.",
      "gluon-rnn-wasm: Parameter 'd_bias' is already initialized, ignoring. Set forceReinit: true to re-initialize.",
    ]);
    warn.mockClear();
    dense.initialize({ forceReinit: true });
    expect(warn).not.toHaveBeenCalled();
  });
});
