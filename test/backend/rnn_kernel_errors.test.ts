// Wrong shapes or lengths passed to the recurrent kernels come back as errors that name
// the argument, and the instance stays usable (no trap).
import { beforeAll, describe, expect, it } from 'vitest';
import { CellKernel, FusedRnnKernel, type FusedRnnSpec } from '../../ts/backend/rnn.js';
import mx from '../../ts/index.js';

const spec: FusedRnnSpec = {
  mode: 'lstm',
  hidden: 3,
  numLayers: 1,
  bidirectional: false,
  inputSize: 2,
  projection: null,
  clip: null,
};
const weights = () => [[new Float32Array(24), new Float32Array(36), new Float32Array(12), new Float32Array(12)]];

describe('recurrent kernels reject bad input without trapping', () => {
  beforeAll(async () => {
    await mx.ready();
  });

  it('weights of the wrong length name the parameter', () => {
    const w = weights();
    w[0]![1] = new Float32Array(35);
    expect(() => new FusedRnnKernel(spec, w)).toThrow(/l0_h2h_weight|weights/);
    expect(() => new FusedRnnKernel({ ...spec, mode: 'lstmx' as never }, weights())).toThrow(/mode/);
  });

  it('input, states and valid lengths of the wrong size name the argument', () => {
    const k = new FusedRnnKernel(spec, weights());
    const x = new Float32Array(4 * 2 * 2);
    expect(() => k.forward(x.subarray(1), 'TNC', 4, 2, null, null, null)).toThrow(
      /input: expected 16 elements, got 15/,
    );
    expect(() => k.forward(x, 'TNC', 4, 2, new Float32Array(5), null, null)).toThrow(/h0: expected 6 elements, got 5/);
    expect(() => k.forward(x, 'TNC', 4, 2, null, new Float32Array(7), null)).toThrow(/c0: expected 6 elements, got 7/);
    expect(() => k.forward(x, 'TNC', 4, 2, null, null, Float32Array.of(1))).toThrow(/valid_length: expected 2/);
    expect(() => k.forward(x, 'TNC', 4, 2, null, null, Float32Array.of(0, 2))).toThrow(/valid_length\[0\] = 0/);
    expect(() => k.forward(x, 'TNC', 4, 2, null, null, Float32Array.of(2, 5))).toThrow(/valid_length\[1\] = 5/);
    // still usable
    const r = k.forward(x, 'TNC', 4, 2, null, null, Float32Array.of(4, 2));
    expect(r.out.length).toBe(4 * 2 * 3);
    k.dispose();
    expect(() => k.forward(x, 'TNC', 4, 2, null, null, null)).toThrow(/used after it was released/);
  });

  it('a cell step with a wrong-size state names it', () => {
    const c = new CellKernel(
      'gru',
      3,
      2,
      new Float32Array(18),
      new Float32Array(27),
      new Float32Array(9),
      new Float32Array(9),
    );
    expect(() => c.step(new Float32Array(4), 2, new Float32Array(5), null)).toThrow(/h: expected 6 elements, got 5/);
    expect(() => c.step(new Float32Array(4), 2, new Float32Array(6), new Float32Array(6))).toThrow(/only LSTMCell/);
    expect(c.step(new Float32Array(4), 2, new Float32Array(6), null).h.length).toBe(6);
  });
});
