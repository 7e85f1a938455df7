// Findings 8 and 10 of issue 13: what forward computes with and what saveParameters writes
// never disagree; sizes and options that cannot work are refused where they are given.
import { beforeAll, describe, expect, it } from 'vitest';
import mx from '../../ts/index.js';

describe('parameters have one truth', () => {
  beforeAll(async () => {
    await mx.ready();
  });

  it('writing into data().data changes neither forward nor saveParameters; setData changes both (finding 8)', () => {
    const lstm = new mx.gluon.rnn.LSTM(4, { inputSize: 3 });
    lstm.initialize();
    const x = mx.nd.random.uniform(-1, 1, [2, 1, 3]);
    const out = Array.from(lstm.forward(x).data);
    const saved = lstm.saveParameters();
    const p = lstm.collectParams().get('l0_i2h_weight');
    p.data().data.fill(7); // a copy: the parameter is untouched
    expect(Array.from(lstm.forward(x).data)).toEqual(out);
    expect(lstm.saveParameters()).toEqual(saved);
    p.setData(mx.nd.full(p.shape, 0.5));
    expect(Array.from(lstm.forward(x).data)).not.toEqual(out);
    expect(lstm.saveParameters()).not.toEqual(saved);
    expect(Array.from(p.data().data)).toEqual(new Array(48).fill(0.5));
  });
});

/** An MXNet V2 NDArray-list file of zero-filled float32 arrays (nd.save refuses 0-size arrays). */
function paramsFile(arrays: [string, number[]][]): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number) => parts.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
  const u64 = (v: number) => {
    u32(v);
    u32(0);
  };
  u64(0x112);
  u64(0);
  u64(arrays.length);
  for (const [, shape] of arrays) {
    u32(0xf993fac9);
    u32(0); // dense
    u32(shape.length);
    for (const d of shape) u64(d);
    u32(1); // cpu
    u32(0);
    u32(0); // float32
    for (let i = 0; i < shape.reduce((a, b) => a * b, 1) * 4; i++) parts.push(0);
  }
  u64(arrays.length);
  for (const [name] of arrays) {
    u64(name.length);
    for (const ch of name) parts.push(ch.charCodeAt(0));
  }
  return Uint8Array.from(parts);
}

describe('sizes and options refused where they are given (finding 10)', () => {
  it('a .params file with a (32, 0) weight, and setData of a 0-size array, are refused', () => {
    const lstm = new mx.gluon.rnn.LSTM(8);
    lstm.initialize();
    const file = paramsFile([
      ['l0_i2h_weight', [32, 0]],
      ['l0_h2h_weight', [32, 8]],
      ['l0_i2h_bias', [32]],
      ['l0_h2h_bias', [32]],
    ]);
    expect(() => lstm.loadParameters(file)).toThrow(/l0_i2h_weight.*\(32, 0\) has a 0 dimension/);
    const x = mx.nd.ones([2, 1, 5]);
    expect(lstm.forward(x).shape).toEqual([2, 1, 8]); // still deferred, still usable
    const p = lstm.collectParams().get('l0_h2h_weight');
    expect(() => p.setData(mx.nd.zeros([32, 0]))).toThrow(/setData: data of shape \(32, 0\) has a 0 dimension/);
  });

  it('a layer too large for wasm32 fails at construction, naming the parameter and the limit', () => {
    expect(() => new mx.gluon.rnn.LSTM(2 ** 28)).toThrow(/l0_i2h_weight.*has 1073741824 elements.*2\^29/);
    expect(() => new mx.gluon.rnn.GRU(2 ** 14, { inputSize: 2 ** 14 })).toThrow(RangeError);
  });

  it('NaN options are refused', () => {
    expect(() => new mx.gluon.rnn.LSTM(8, { projectionSize: Number.NaN })).toThrow(/projectionSize/);
    expect(() => new mx.gluon.rnn.LSTM(8, { dropout: Number.NaN })).toThrow(/dropout/);
    expect(() => new mx.gluon.rnn.LSTM(8, { stateClipMin: Number.NaN, stateClipMax: 1 } as never)).toThrow(
      /stateClipMin/,
    );
  });

  it('non-numeric array contents are refused; echoed input is capped', () => {
    expect(() => mx.nd.array(['a'] as never)).toThrow(TypeError);
    const lstm = new mx.gluon.rnn.LSTM(8);
    let message = '';
    try {
      lstm.loadParameters(new Array(10_000).fill(1) as never);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/an array of length 10000/);
    expect(message.length).toBeLessThan(300);
  });
});
