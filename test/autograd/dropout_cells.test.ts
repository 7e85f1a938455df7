// Train-mode randomness of the recurrent modifiers: DropoutCell, ZoneoutCell and
// VariationalDropoutCell act under record()/trainMode() with MXNet's semantics (scaling 1/(1-p),
// zoneout mixing the previous and the new values, one variational mask per sequence), and are
// their base cells at inference. Masks come from mx.random.seed's generator, so statistics are
// tested, not MXNet's bits.

import { beforeAll, describe, expect, it } from 'vitest';
import mx, { autograd, gluon, nd, ready } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';

beforeAll(async () => {
  await ready();
  mx.random.seed(11);
});

const { rnn } = gluon;

describe('DropoutCell', () => {
  it('drops with rate p and scales by 1/(1-p) in training; identity at inference', () => {
    const cell = new rnn.DropoutCell(0.4);
    const x = nd.ones([20, 50, 10]); // NTC
    const [inf] = cell.unroll(50, x, { mergeOutputs: true });
    expect(Array.from((inf as NDArray).data).every((v) => v === 1)).toBe(true);
    const [out] = autograd.trainMode(() => cell.unroll(50, x, { mergeOutputs: true }));
    const d = (out as NDArray).data;
    const zeros = d.filter((v) => v === 0).length / d.length;
    expect(zeros).toBeGreaterThan(0.38);
    expect(zeros).toBeLessThan(0.42);
    expect(d.every((v) => v === 0 || v === Math.fround(1 / 0.6))).toBe(true);
  });
});

describe('ZoneoutCell', () => {
  it('each unit keeps its previous value with probability p in training; the base cell at inference', () => {
    const base = new rnn.RNNCell(64, { inputSize: 8 });
    const cell = new rnn.ZoneoutCell(base, { zoneoutOutputs: 0.3, zoneoutStates: 0.6 });
    cell.initialize(new mx.init.Uniform(0.5));
    const T = 6;
    const x = nd.random.uniform(-1, 1, [T, 16, 8]);
    const steps = nd.split(x, T, { axis: 0, squeezeAxis: true });
    // Inference equals the base cell.
    cell.reset();
    const [o0] = cell.forward(steps[0] as NDArray, cell.beginState(16));
    const [b0] = cell._withBase((b) => b.forward(steps[0] as NDArray, cell.beginState(16)));
    expect(Array.from(o0.data)).toEqual(Array.from(b0.data));
    cell.reset();
    let states = cell.beginState(16);
    let prev = nd.zeros([16, 64]);
    let keptOut = 0;
    let keptState = 0;
    let total = 0;
    for (let t = 0; t < T; t++) {
      const [fresh, freshStates] = cell._withBase((b) => b.forward(steps[t] as NDArray, states));
      const [out, next] = autograd.trainMode(() => cell.forward(steps[t] as NDArray, states));
      for (let i = 0; i < out.size; i++) {
        const o = out.data[i] as number;
        const n = fresh.data[i] as number;
        const p = prev.data[i] as number;
        expect(o === n || o === p).toBe(true);
        if (o === p && o !== n) keptOut++;
        const s = (next[0] as NDArray).data[i] as number;
        const sn = (freshStates[0] as NDArray).data[i] as number;
        const sp = (states[0] as NDArray).data[i] as number;
        expect(s === sn || s === sp).toBe(true);
        if (s === sp && s !== sn) keptState++;
        total++;
      }
      prev = out;
      states = next;
    }
    expect(keptOut / total).toBeGreaterThan(0.25);
    expect(keptOut / total).toBeLessThan(0.35);
    expect(keptState / total).toBeGreaterThan(0.55);
    expect(keptState / total).toBeLessThan(0.65);
  });
});

describe('VariationalDropoutCell', () => {
  it('one output mask per sequence, shared by every step; the base cell at inference', () => {
    const base = new rnn.GRUCell(200, { inputSize: 4 });
    const cell = new gluon.contrib.rnn.VariationalDropoutCell(base, { dropOutputs: 0.5, dropStates: 0.2 });
    cell.initialize(new mx.init.Uniform(0.5));
    const x = nd.random.uniform(-1, 1, [3, 5, 4]); // NTC
    const [inf] = cell.unroll(5, x, { mergeOutputs: true });
    const [plain] = cell._withBase((b) => b.unroll(5, x, { mergeOutputs: true }));
    expect(Array.from((inf as NDArray).data)).toEqual(Array.from((plain as NDArray).data));
    const [out] = autograd.trainMode(() => cell.unroll(5, x, { mergeOutputs: false }));
    const masks = (out as NDArray[]).map((o) => Array.from(o.data, (v) => v === 0));
    for (const m of masks) expect(m).toEqual(masks[0]);
    const frac = (masks[0] as boolean[]).filter(Boolean).length / (masks[0] as boolean[]).length;
    expect(frac).toBeGreaterThan(0.4);
    expect(frac).toBeLessThan(0.6);
  });
});
