// gluon.Trainer and the optimizers against MXNet 1.9.1 (fixture mxnet_training/trainer.json,
// written by test/fixtures/gen_training_fixtures.py): three steps of each optimizer configuration
// reproduce MXNet's parameters within 1e-4; stale gradients, unknown optimizers and options
// throw before anything changes; saveStates/loadStates round-trip; clipGlobalNorm
// (mxnet_training/clip_global_norm.json).

import { beforeAll, describe, expect, it } from 'vitest';
import { autograd, gluon, lr_scheduler, nd, random, ready, ValueError } from '../../ts/index.js';
import { resetNameCounters } from '../../ts/name.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, type Tensor, toNd } from '../gluon/helpers.js';
import { trainingFixture } from './training_fixtures.js';

beforeAll(async () => {
  await ready();
});

const SCHEDULERS: Record<string, () => lr_scheduler.LRScheduler> = {
  factor: () => new lr_scheduler.FactorScheduler({ step: 1, factor: 0.5, baseLr: 0.2 }),
  multifactor: () => new lr_scheduler.MultiFactorScheduler([1, 2], { factor: 0.5, baseLr: 0.01 }),
  poly: () => new lr_scheduler.PolyScheduler(4, { baseLr: 0.1, pwr: 2 }),
  cosine: () =>
    new lr_scheduler.CosineScheduler({ maxUpdate: 5, baseLr: 0.1, finalLr: 0.01, warmupSteps: 1, warmupBeginLr: 0.02 }),
};

function buildNet(): InstanceType<typeof gluon.nn.HybridSequential> {
  resetNameCounters();
  const net = new gluon.nn.HybridSequential({ prefix: 'net_' });
  net.nameScope(() => {
    net.add(new gluon.nn.Dense(4, { inUnits: 3, activation: 'tanh' }));
    net.add(new gluon.nn.Dense(2, { inUnits: 4 }));
  });
  net.initialize();
  return net;
}

function setup(c: { params?: Record<string, Tensor>; mults?: unknown }) {
  const net = buildNet();
  const params = net.collectParams();
  for (const [k, p] of params.entries()) p.setData(toNd((c.params as Record<string, Tensor>)[k] as Tensor));
  for (const [k, [lr, wd]] of Object.entries((c.mults ?? {}) as Record<string, [number, number]>)) {
    params.get(k).lrMult = lr;
    params.get(k).wdMult = wd;
  }
  return { net, params };
}

function lossStep(net: ReturnType<typeof buildNet>, x: NDArray, label: NDArray): void {
  const l2 = new gluon.loss.L2Loss();
  autograd.record(() => l2.forward(net.forward(x) as NDArray, label)).backward();
}

describe('Trainer steps vs MXNet 1.9.1 (mxnet_training/trainer.json)', () => {
  const f = trainingFixture('trainer');
  for (const c of f.cases) {
    it(c.name, () => {
      const { net, params } = setup(c);
      const opts: Record<string, unknown> = { ...(c.optimizer_params as object) };
      if (c.scheduler !== null) opts.lr_scheduler = (SCHEDULERS[c.scheduler as string] as () => unknown)();
      const trainer = new gluon.Trainer(params, c.optimizer as string, opts);
      const x = toNd(c.inputs.x as Tensor);
      const label = toNd(c.inputs.label as Tensor);
      (c.steps as Record<string, Tensor>[]).forEach((want, s) => {
        lossStep(net, x, label);
        trainer.step(5);
        expect(trainer.learningRate).toBeCloseTo((c.learning_rates as number[])[s] as number, 7);
        for (const [k, t] of Object.entries(want))
          expectClose(params.get(k).data(), t, 1e-4, `${c.name} step ${s + 1} ${k}`);
      });
    });
  }
});

describe('Trainer errors leave everything unchanged', () => {
  it('a stale gradient throws before any parameter is updated; ignoreStaleGrad skips it', () => {
    const net = buildNet();
    const params = net.collectParams();
    const trainer = new gluon.Trainer(params, 'sgd', { learning_rate: 0.1 });
    const x = nd.ones([2, 3]);
    lossStep(net, x, nd.zeros([2, 2]));
    trainer.step(2);
    // Only the first layer gets a fresh gradient now.
    const d0 = net.get(0) as InstanceType<typeof gluon.nn.Dense>;
    autograd.record(() => nd.sum(d0.forward(x) as NDArray)).backward();
    const before = [...params.values()].map((p) => Array.from(p.data().data));
    expect(() => trainer.step(2)).toThrow(ValueError);
    expect(() => trainer.step(2)).toThrow(/net_dense1_weight.*has not been updated by backward/);
    expect([...params.values()].map((p) => Array.from(p.data().data))).toEqual(before);
    trainer.step(2, { ignoreStaleGrad: true });
    const after = [...params.values()].map((p) => Array.from(p.data().data));
    expect(after[0]).not.toEqual(before[0]);
    expect(after[2]).toEqual(before[2]);
  });
  it('unknown optimizers and options throw', () => {
    const params = buildNet().collectParams();
    expect(() => new gluon.Trainer(params, 'sgdd')).toThrow(/Cannot find optimizer sgdd/);
    expect(() => new gluon.Trainer(params, 'adam', { learningrate: 0.1 })).toThrow(/unknown option 'learningrate'/);
    expect(() => new gluon.Trainer(params, 'adam', { beta3: 0.1 })).toThrow(ValueError);
    expect(() => new gluon.Trainer(params, 'sgd', {}, { kvstore: 'dist_sync' as never })).toThrow(/kvstore/);
  });
  it('setLearningRate; a scheduler owns the rate', () => {
    const params = buildNet().collectParams();
    const t = new gluon.Trainer(params, 'sgd', { learningRate: 0.5 });
    t.setLearningRate(0.25);
    expect(t.learningRate).toBe(0.25);
    const s = new gluon.Trainer(params, 'sgd', { lrScheduler: new lr_scheduler.FactorScheduler(2) });
    expect(() => s.setLearningRate(0.1)).toThrow(/LRScheduler of the optimizer has already been defined/);
  });
});

describe('saveStates / loadStates', () => {
  it('continuing from saved states equals not stopping', () => {
    const x = nd.array([
      [0.1, -0.2, 0.3],
      [0.5, 0.4, -0.6],
    ]);
    const label = nd.array([
      [0.2, -0.1],
      [0.0, 0.3],
    ]);
    const runA = buildNet();
    const init = new Map([...runA.collectParams().entries()].map(([k, p]) => [k, p.data()]));
    const ta = new gluon.Trainer(runA.collectParams(), 'adam', { learningRate: 0.05 });
    for (let i = 0; i < 4; i++) {
      lossStep(runA, x, label);
      ta.step(2);
    }
    const runB = buildNet();
    for (const [k, p] of runB.collectParams().entries()) p.setData(init.get(k) as NDArray);
    const tb = new gluon.Trainer(runB.collectParams(), 'adam', { learningRate: 0.05 });
    for (let i = 0; i < 2; i++) {
      lossStep(runB, x, label);
      tb.step(2);
    }
    const saved = tb.saveStates();
    const weights = runB.saveParameters();
    const runC = buildNet();
    runC.loadParameters(weights);
    const tc = new gluon.Trainer(runC.collectParams(), 'adam', { learningRate: 0.05 });
    tc.loadStates(saved);
    for (let i = 0; i < 2; i++) {
      lossStep(runC, x, label);
      tc.step(2);
    }
    for (const [k, p] of runC.collectParams().entries()) {
      expect(Array.from(p.data().data), k).toEqual(Array.from(runA.collectParams().get(k).data().data));
    }
    expect(() => tc.loadStates(nd.save({ a: nd.ones([1]) }))).toThrow(/not a file written by Trainer.saveStates/);
  });

  it('counts that are not counts and a state without its index are refused, and nothing changes', () => {
    const net = buildNet();
    const t = new gluon.Trainer(net.collectParams(), 'adam', { learningRate: 0.05 });
    lossStep(net, nd.ones([2, 3]), nd.zeros([2, 2]));
    t.step(2);
    const saved = t.saveStates();
    const name = [...net.collectParams().keys()][0] as string;
    const edit = (key: string, value: NDArray) => {
      const d = nd.load(saved) as Record<string, NDArray>;
      d[key] = value;
      return nd.save(d);
    };
    for (const [key, value, message] of [
      [
        'num_update',
        nd.array([Number.NaN]),
        /Trainer\.loadStates: entry 'num_update' must be a count of updates \(an integer >= 0\), got NaN/,
      ],
      ['num_update', nd.array([1.5]), /entry 'num_update' must be a count of updates/],
      [`count:${name}`, nd.array([-1]), new RegExp(`entry 'count:${name}' must be a count of updates`)],
      [`count:${name}`, nd.zeros([2]), /Trainer\.loadStates: entry 'count:.*' must hold one count, got shape \(2,\)/],
      [`state:${name}`, nd.zeros([2]), /Trainer\.loadStates: state 'state:.*' has no index \(state:<name>:<index>\)/],
    ] as const) {
      expect(() => t.loadStates(edit(key, value)), key).toThrow(message);
      expect(t.optimizer.numUpdate).toBe(1);
    }
    t.loadStates(saved);
    lossStep(net, nd.ones([2, 3]), nd.zeros([2, 2]));
    t.step(2);
    expect(t.optimizer.numUpdate).toBe(2);
  });
});

describe('clipGlobalNorm vs MXNet 1.9.1 (mxnet_training/clip_global_norm.json)', () => {
  it('two_arrays', () => {
    const c = trainingFixture('clip_global_norm').cases[0] as unknown as {
      inputs: Record<string, Tensor>;
      max_norm: number;
      norm: number;
      outputs: Record<string, Tensor>;
    };
    const a = toNd(c.inputs.a as Tensor);
    const b = toNd(c.inputs.b as Tensor);
    const norm = gluon.utils.clipGlobalNorm([a, b], c.max_norm);
    expect(Math.abs(norm - c.norm) / c.norm).toBeLessThan(1e-5);
    expectClose(a, c.outputs.a as Tensor, 1e-5, 'a');
    expectClose(b, c.outputs.b as Tensor, 1e-5, 'b');
  });
});

describe('the docs/design/api.md training loop', () => {
  it('an Embedding -> LSTM -> Dense model learns (loss falls) with SoftmaxCrossEntropyLoss and Adam', () => {
    random.seed(1);
    const net = new gluon.nn.Sequential();
    net.nameScope(() => {
      net.add(new gluon.nn.Embedding(12, 8));
      net.add(new gluon.rnn.LSTM(16, { layout: 'NTC' }));
      net.add(new gluon.nn.Dense(12, { flatten: false }));
    });
    net.initialize();
    const loss = new gluon.loss.SoftmaxCrossEntropyLoss();
    const trainer = new gluon.Trainer(net.collectParams(), 'adam', { learningRate: 0.05, wd: 1e-4 });
    // Predict the next id of a cyclic sequence.
    const x = nd.array([
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ]);
    const y = nd.array([
      [1, 2, 3, 4, 5, 6],
      [7, 8, 9, 10, 11, 0],
    ]);
    const losses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const L = autograd.record(() => loss.forward(net.forward(x) as NDArray, y));
      L.backward();
      trainer.step(2);
      losses.push(nd.mean(L).asScalar());
    }
    expect(losses[29] as number).toBeLessThan((losses[0] as number) * 0.3);
    // Inference after training runs on the fused kernel with the updated weights.
    const pred = (net.forward(x) as NDArray).argmax({ axis: -1 });
    expect(pred.toArray()).toEqual(y.toArray());
  });
});
