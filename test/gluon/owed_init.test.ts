// A Parameter's uniform initialisation is drawn when its values are first read, or when the
// generator is next used (ts/random.ts `fillUniformOwed`): every value, and every later draw,
// must be what drawing at `initialize()` gives. The reference draws at once with the same
// seed (`fillUniformJs`, in initialisation order).

import { beforeAll, describe, expect, it } from 'vitest';
import { nn, Parameter, rnn } from '../../ts/gluon/index.js';
import { ready } from '../../ts/index.js';
import * as init from '../../ts/init/index.js';
import type { InitTarget } from '../../ts/init/initializer.js';
import * as nd from '../../ts/ndarray/index.js';
import { fillUniformJs, nextNormal, nextUniform, owesFills, seed } from '../../ts/random.js';

beforeAll(async () => {
  await ready({ threads: 1 });
});

/** Uniform draws in order, drawn at once: `[lo, hi, n]` each. */
function drawnAtOnce(s: number, fills: readonly (readonly [number, number, number])[]): Float32Array[] {
  seed(s);
  return fills.map(([lo, hi, n]) => {
    const a = new Float32Array(n);
    fillUniformJs(a, lo, hi);
    return a;
  });
}

const values = (p: Parameter) => p.data().toFloat32Array();

describe('owed uniform initialisation', () => {
  it('values read in any order equal drawing at initialize(); later draws follow them', () => {
    // Two Dense layers' weights (global Uniform(0.07)); their biases are zeros (no draws).
    const make = () => [new nn.Dense(3, { inUnits: 5 }), new nn.Dense(70, { inUnits: 100 })];
    const [want1, want2] = drawnAtOnce(11, [
      [-0.07, 0.07, 15],
      [-0.07, 0.07, 7000],
    ]);
    const after = nextUniform();
    seed(11);
    const [d1, d2] = make() as [nn.Dense, nn.Dense];
    d1.initialize();
    d2.initialize();
    expect(owesFills()).toBe(true);
    expect(values(d2.weight)).toEqual(want2); // the second first: the first is drawn before it
    expect(owesFills()).toBe(false);
    expect(values(d1.weight)).toEqual(want1);
    expect(nextUniform()).toBe(after);
  });

  it('weights replaced before a read cost no draws there, and still advance the generator for later draws', () => {
    const [, want2] = drawnAtOnce(12, [
      [-0.07, 0.07, 4 * 8 * 6],
      [-0.07, 0.07, 4 * 8 * 8],
    ]);
    const after = [nextUniform(), nextNormal()];
    seed(12);
    const lstm = new rnn.LSTMCell(8, { inputSize: 6 });
    lstm.initialize();
    lstm.i2h_weight.setData(nd.ones([32, 6])); // its owed fill is dropped
    expect(owesFills()).toBe(true); // h2h_weight's is still owed
    expect(values(lstm.h2h_weight)).toEqual(want2);
    expect(values(lstm.i2h_weight)).toEqual(new Float32Array(32 * 6).fill(1));
    lstm.h2h_weight.setData(nd.zeros([32, 8]));
    expect([nextUniform(), nextNormal()]).toEqual(after);
  });

  it('a forward with loaded weights draws nothing; the next draw still comes after the dropped fills', () => {
    drawnAtOnce(13, [[-0.07, 0.07, 4 * 16 * 16 + 4 * 16 * 16]]);
    const after = nextUniform();
    seed(13);
    const layer = new rnn.LSTM(16, { inputSize: 16 });
    layer.initialize();
    for (const p of layer.collectParams().values()) p.setData(nd.ones(p.shape));
    expect(owesFills()).toBe(false);
    const out = layer.forward(nd.ones([2, 1, 16])).toFloat32Array();
    expect(out.every((v) => v > 0.7 && v < 1)).toBe(true);
    expect(nextUniform()).toBe(after);
  });

  it('seed() draws owed values from the old stream first', () => {
    const [want1] = drawnAtOnce(14, [[-0.07, 0.07, 20]]);
    const [want2] = drawnAtOnce(15, [[-0.07, 0.07, 20]]);
    seed(14);
    const d1 = new nn.Dense(4, { inUnits: 5 });
    d1.initialize();
    seed(15);
    const d2 = new nn.Dense(4, { inUnits: 5 });
    d2.initialize();
    expect(values(d2.weight)).toEqual(want2);
    expect(values(d1.weight)).toEqual(want1);
  });

  it('Xavier (uniform) is owed with its scale; normal draws and subclasses draw at once', () => {
    const scale = Math.sqrt(3 / ((10 + 20) / 2));
    const [want] = drawnAtOnce(16, [[-scale, scale, 200]]);
    seed(16);
    const x = new Parameter('x', { shape: [20, 10], init: new init.Xavier() });
    x.initialize();
    expect(owesFills()).toBe(true);
    expect(values(x)).toEqual(want);
    expect(() => new Parameter('v', { shape: [5], init: new init.Xavier() }).initialize()).toThrow(
      /Xavier initializer cannot be applied to vector v/,
    );
    expect(owesFills()).toBe(false);
    new Parameter('n', { shape: [4, 4], init: new init.Xavier({ rndType: 'gaussian' }) }).initialize();
    expect(owesFills()).toBe(false);
    // A subclass that writes after the fill keeps its write.
    class FirstOne extends init.Uniform {
      override initWeight(name: string, arr: InitTarget): void {
        super.initWeight(name, arr);
        arr.data[0] = 1;
      }
    }
    const p = new Parameter('p', { shape: [3, 3], init: new FirstOne() });
    p.initialize();
    expect(owesFills()).toBe(false);
    expect(values(p)[0]).toBe(1);
  });

  it('saved files hold the drawn values', () => {
    seed(17);
    const a = new nn.Dense(3, { inUnits: 4 });
    a.initialize();
    const saved = a.saveParameters(); // before anything else read the weight
    const b = new nn.Dense(3, { inUnits: 4 });
    b.loadParameters(saved);
    const [want] = drawnAtOnce(17, [[-0.07, 0.07, 12]]);
    expect(values(b.weight)).toEqual(want);
    expect(values(a.weight)).toEqual(want);
  });

  it('many initialised and dropped models without a draw keep the owed list bounded', () => {
    seed(18);
    for (let i = 0; i < 5000; i++) {
      const d = new nn.Dense(2, { inUnits: 2 });
      d.initialize();
      d.weight.setData(nd.zeros([2, 2]));
    }
    // 5000 dropped fills of 4 values: the first 4097 were drawn when the list outgrew 4096.
    drawnAtOnce(18, [[-0.07, 0.07, 5000 * 4]]);
    const want = nextUniform();
    seed(18);
    for (let i = 0; i < 5000; i++) {
      const d = new nn.Dense(2, { inUnits: 2 });
      d.initialize();
      d.weight.setData(nd.zeros([2, 2]));
    }
    expect(nextUniform()).toBe(want);
  });
});
