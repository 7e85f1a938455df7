// mx.autograd semantics (python/mxnet/autograd.py): scopes and flags, attachGrad / grad /
// backward / detach, gradReq 'write' and 'add', Parameter.grad and zeroGrad, the errors for
// arrays outside a graph and freed graphs, and that inference is untouched by the tape.

import { beforeAll, describe, expect, it } from 'vitest';
import mx, { AutogradError, autograd, gluon, nd, RuntimeError, ready } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';

beforeAll(async () => {
  await ready();
});

describe('scopes', () => {
  it('record sets recording and training and returns the callback value', () => {
    expect(autograd.isRecording()).toBe(false);
    expect(autograd.isTraining()).toBe(false);
    const v = autograd.record(() => [autograd.isRecording(), autograd.isTraining()]);
    expect(v).toEqual([true, true]);
    expect(autograd.record(() => autograd.isTraining(), { trainMode: false })).toBe(false);
    expect(autograd.isRecording()).toBe(false);
  });
  it('pause, trainMode and predictMode nest as in Python', () => {
    autograd.record(() => {
      expect(autograd.pause(() => [autograd.isRecording(), autograd.isTraining()])).toEqual([false, false]);
      expect(autograd.pause(() => autograd.isTraining(), { trainMode: true })).toBe(true);
      expect(autograd.predictMode(() => [autograd.isRecording(), autograd.isTraining()])).toEqual([true, false]);
    });
    expect(autograd.trainMode(() => [autograd.isRecording(), autograd.isTraining()])).toEqual([false, true]);
  });
  it('restores the flags when the callback throws', () => {
    expect(() =>
      autograd.record(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(autograd.isRecording()).toBe(false);
  });
  it('rejects async callbacks and unknown options', () => {
    expect(() => autograd.record(async () => 1)).toThrow(/synchronous/);
    expect(() => autograd.record(() => 1, { train: true } as never)).toThrow(/unknown option 'train'/);
  });
});

describe('attachGrad, backward, detach', () => {
  it('computes d(sum(x*x))/dx = 2x', () => {
    const x = nd.array([1, -2, 3]);
    x.attachGrad();
    expect(x.grad?.toArray()).toEqual([0, 0, 0]);
    const y = autograd.record(() => nd.sum(nd.mul(x, x)));
    y.backward();
    expect(x.grad?.toArray()).toEqual([2, -4, 6]);
  });
  it("gradReq 'add' accumulates across backward calls, 'write' overwrites", () => {
    const x = nd.array([1, 2]);
    x.attachGrad('add');
    for (let i = 0; i < 3; i++) autograd.record(() => nd.mul(x, 3)).backward();
    expect(x.grad?.toArray()).toEqual([9, 9]);
    const w = nd.array([1, 2]);
    w.attachGrad();
    for (let i = 0; i < 3; i++) autograd.record(() => nd.mul(w, 3)).backward();
    expect(w.grad?.toArray()).toEqual([3, 3]);
  });
  it('backward on an array outside any recorded graph throws an AutogradError', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    const y = nd.mul(x, 2); // not recorded
    expect(() => y.backward()).toThrow(AutogradError);
    expect(() => y.backward()).toThrow(/not in a computational graph/);
    const z = autograd.record(() => nd.mul(nd.array([1]), 2)); // no input needs a gradient
    expect(() => z.backward()).toThrow(AutogradError);
  });
  it('a graph is freed by backward unless retainGraph', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    const y = autograd.record(() => nd.sum(nd.square(x)));
    y.backward(null, { retainGraph: true });
    y.backward();
    expect(x.grad?.toArray()).toEqual([2, 4]);
    expect(() => y.backward()).toThrow(/freed by a previous backward/);
    expect(() => autograd.backward([y])).toThrow(AutogradError);
  });
  it("Python's positional forms work too", () => {
    expect(autograd.record(() => autograd.isTraining(), false)).toBe(false);
    expect(autograd.pause(() => autograd.isTraining(), true)).toBe(true);
    const x = nd.array([1, 2]);
    x.attachGrad({ gradReq: 'add' });
    const y = autograd.record(() => nd.sum(nd.mul(x, x)));
    y.backward(null, true); // retain_graph=True
    autograd.backward([y], null, true);
    y.backward(nd.array([1]), { trainMode: false });
    expect(x.grad?.toArray()).toEqual([6, 12]);
    expect(() => x.attachGrad('write', 'row_sparse' as never)).toThrow(/stype must be 'default'/);
    expect(() => y.backward(null, 'yes' as never)).toThrow(/retainGraph must be a boolean/);
  });
  it('detach cuts the graph; a head gradient scales', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    const y = autograd.record(() => nd.add(nd.mul(x, x), nd.mul(x.detach(), 10)));
    expect(() => y.backward(nd.array([1, 2, 3]))).toThrow(RangeError);
    y.backward(nd.array([1, 0.5]));
    expect(x.grad?.toArray()).toEqual([2, 2]);
  });
  it('autograd.backward takes several heads with head gradients', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    const [a, b] = autograd.record(() => [nd.mul(x, 2), nd.mul(x, x)]);
    autograd.backward([a as NDArray, b as NDArray], [nd.array([1, 1]), nd.array([1, 1])]);
    expect(x.grad?.toArray()).toEqual([4, 6]);
  });
  it('operators without a backward refuse arrays that need a gradient while recording', () => {
    // The graph's fused RNN with lstm_state_clip_nan: the training kernel has no backward for it.
    const rnn = {
      nodes: [
        ...['data', 'parameters', 'state', 'state_cell'].map((name) => ({ op: 'null', name, inputs: [] })),
        {
          op: 'RNN',
          name: 'rnn0',
          attrs: {
            mode: 'lstm',
            state_size: '2',
            num_layers: '1',
            lstm_state_clip_min: '-1',
            lstm_state_clip_max: '1',
            lstm_state_clip_nan: 'True',
          },
          inputs: [0, 1, 2, 3].map((k) => [k, 0, 0]),
        },
      ],
      arg_nodes: [0, 1, 2, 3],
      node_row_ptr: [0, 1, 2, 3, 4, 5],
      heads: [[4, 0, 0]],
      attrs: { mxnet_version: ['int', 10901] },
    };
    const net = gluon.SymbolBlock.imports(JSON.stringify(rnn), ['data', 'parameters', 'state', 'state_cell']);
    const ins = [nd.ones([2, 1, 1]), nd.ones([40]), nd.zeros([1, 1, 2]), nd.zeros([1, 1, 2])] as const;
    ins[1].attachGrad();
    expect(() => autograd.record(() => net.forward(...ins))).toThrow(AutogradError);
    expect(() => autograd.record(() => net.forward(...ins))).toThrow(/RNN.*has no backward/);
    expect((net.forward(...ins) as NDArray).shape).toEqual([2, 1, 2]); // outside record nothing changes
    const consts = [nd.ones([2, 1, 1]), nd.ones([40]), nd.zeros([1, 1, 2]), nd.zeros([1, 1, 2])] as const;
    expect((autograd.record(() => net.forward(...consts)) as NDArray).shape).toEqual([2, 1, 2]); // constants are fine
  });
  it('predict-mode operators return the same arrays as before (no tape)', () => {
    const x = nd.array([-1, 0.5, 2]);
    const plain = [nd.relu(x), nd.softmax(x), nd.Dropout(x, 0.5)];
    const recorded = autograd.record(() => [nd.relu(x), nd.softmax(x)]);
    expect(plain[2]).toBe(x); // Dropout outside training is the identity
    expect(Array.from((recorded[0] as NDArray).data)).toEqual(Array.from((plain[0] as NDArray).data));
    expect(Array.from((recorded[1] as NDArray).data)).toEqual(Array.from((plain[1] as NDArray).data));
  });
});

describe('Parameter gradients', () => {
  it('grad() is the live buffer; zeroGrad clears it; gradReq null throws RuntimeError', () => {
    const dense = new gluon.nn.Dense(2, { inUnits: 3, prefix: 'd_' });
    dense.initialize();
    const x = nd.ones([4, 3]);
    const w = dense.collectParams().get('d_weight');
    const g = w.grad();
    autograd.record(() => nd.sum(dense.forward(x) as NDArray)).backward();
    expect(w.grad()).toBe(g);
    expect(Array.from(g.data)).toEqual(new Array(6).fill(4));
    expect(Array.from(dense.collectParams().get('d_bias').grad().data)).toEqual([4, 4]);
    dense.collectParams().zeroGrad();
    expect(Array.from(g.data)).toEqual(new Array(6).fill(0));
    w.gradReq = 'null';
    expect(() => w.grad()).toThrow(RuntimeError);
    expect(() => w.grad()).toThrow(/grad_req='null'/);
  });
  it("gradReq 'add' accumulates a parameter's gradient", () => {
    const dense = new gluon.nn.Dense(1, { inUnits: 2, prefix: 'a_' });
    dense.initialize();
    dense.collectParams().setattr('gradReq', 'add');
    for (let i = 0; i < 2; i++) autograd.record(() => nd.sum(dense.forward(nd.ones([1, 2])) as NDArray)).backward();
    expect(Array.from(dense.collectParams().get('a_bias').grad().data)).toEqual([2]);
  });
});

describe('Dropout in training mode', () => {
  it('drops with probability p and scales survivors by 1/(1-p)', () => {
    const x = nd.ones([200, 500]);
    x.attachGrad();
    const y = autograd.record(() => nd.Dropout(x, 0.3));
    let zeros = 0;
    let others = 0;
    const kept = Math.fround(1 / 0.7);
    for (const v of y.data) {
      if (v === 0) zeros++;
      else if (v !== kept) others++;
    }
    expect(others).toBe(0);
    expect(zeros / y.size).toBeGreaterThan(0.29);
    expect(zeros / y.size).toBeLessThan(0.31);
    y.backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual(Array.from(y.data)); // the gradient is the mask
  });
  it('shares one mask along axes', () => {
    const y = autograd.trainMode(() => nd.Dropout(nd.ones([50, 8, 6]), { p: 0.5, axes: [1] }));
    const d = y.data;
    for (let n = 0; n < 50; n++) {
      for (let c = 0; c < 6; c++) {
        const first = d[n * 48 + c];
        for (let t = 1; t < 8; t++) expect(d[n * 48 + t * 6 + c]).toBe(first);
      }
    }
  });
  it("mode 'always' drops at inference; p = 1 gives NaN as MXNet; p outside [0, 1] throws", () => {
    const y = nd.Dropout(nd.ones([1000]), { p: 0.5, mode: 'always' });
    expect(y.data.some((v) => v === 0)).toBe(true);
    expect(Array.from(autograd.trainMode(() => nd.Dropout(nd.ones([2]), 1)).data)).toEqual([Number.NaN, Number.NaN]);
    expect(() => nd.Dropout(nd.ones([2]), 1.5)).toThrow(/p must be a number in \[0, 1\]/);
  });
  it('follows mx.random.seed', () => {
    const draw = (): number[] => {
      mx.random.seed(7);
      return Array.from(autograd.trainMode(() => nd.Dropout(nd.ones([64]), 0.5)).data);
    };
    expect(draw()).toEqual(draw());
  });
});
