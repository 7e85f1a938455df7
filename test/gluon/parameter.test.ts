// Parameter, ParameterDict and mx.init (spec §1.2, §3, §4; test_gluon.py test_parameter*,
// test_shared_parameters_with_non_default_initializer).

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeferredInitializationError, nn, Parameter, ParameterDict, rnn } from '../../ts/gluon/index.js';
import { autograd, ready } from '../../ts/index.js';
import * as init from '../../ts/init/index.js';
import { resetNameCounters } from '../../ts/name.js';
import * as nd from '../../ts/ndarray/index.js';
import { seed } from '../../ts/random.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

describe('Parameter', () => {
  it('test_parameter: xavier init, shape, data, setData', () => {
    const p = new Parameter('weight', { shape: [10, 10] });
    p.initialize({ init: 'xavier' });
    expect(p.data().shape).toEqual([10, 10]);
    const s = Math.sqrt(3 / 10);
    expect(Array.from(p.data().data).every((v) => Math.abs(v) <= s)).toBe(true);
    p.setData(nd.ones([10, 10]));
    expect(Array.from(p.data().data).every((v) => v === 1)).toBe(true);
    expect(() => p.setData(nd.ones([10, 9]))).toThrow(/incompatible/);
    expect(String(p)).toBe("Parameter weight (shape=(10, 10), dtype=<class 'numpy.float32'>)");
  });

  it('deferred shapes read 0; data() throws until the shape is known; errors are clear', () => {
    const p = new Parameter('w', { shape: [4, 0], allowDeferredInit: true });
    expect(p.shape).toEqual([4, 0]);
    expect(() => p.data()).toThrow(/has not been initialized\. Note/);
    p.initialize();
    expect(() => p.data()).toThrow(DeferredInitializationError);
    p.shape = [4, 3];
    p._finishDeferredInit();
    expect(p.data().shape).toEqual([4, 3]);
    expect(() => new Parameter('v', { shape: [0] }).initialize()).toThrow(
      "Cannot initialize Parameter 'v' because it has invalid shape: (0,).",
    );
    expect(() => new Parameter('u', { shape: [2], gradReq: 'sometimes' as never })).toThrow(/grad_req/);
  });

  it('version counter bumps on initialize, setData and load', () => {
    const p = new Parameter('w', { shape: [2] });
    const v0 = p.version;
    p.initialize();
    p.setData(nd.ones([2]));
    p._loadInit(nd.zeros([2]));
    expect(p.version).toBe(v0 + 3);
  });
  it("a layer's weight gradient stays bound across calls outside record, setData, gradReq and other arrays' attachGrad", () => {
    // Dense(2, inUnits 3): y = x W^T + b, so d sum(y) / dW[i, j] = sum over rows of x[:, j].
    const dense = new nn.Dense(2, { inUnits: 3 });
    dense.initialize();
    const x = nd.array([1, 2, 3, -1, 0.5, 4], [2, 3]);
    const gradOfSum = () => {
      autograd.backward(autograd.record(() => dense.forward(x).sum()));
      return Array.from(dense.weight.grad().toFloat32Array());
    };
    const want = [0, 2.5, 7, 0, 2.5, 7];
    dense.forward(x);
    dense.forward(x);
    expect(gradOfSum()).toEqual(want);
    dense.forward(x); // nothing recorded after this call: a new array must still be bound
    dense.weight.setData(nd.array([1, 0, 0, 0, 1, 0], [2, 3]));
    expect(Array.from(dense.forward(x).toFloat32Array())).toEqual([1, 2, -1, 0.5]);
    dense.weight.zeroGrad();
    expect(gradOfSum()).toEqual(want);
    nd.ones([2]).attachGrad();
    dense.weight.gradReq = 'null';
    dense.forward(x);
    dense.weight.gradReq = 'write';
    dense.weight.zeroGrad();
    expect(gradOfSum()).toEqual(want);
  });
});

describe('ParameterDict', () => {
  it('test_parameter_dict: keys in order, get merges shapes, repr', () => {
    const d = new ParameterDict('net_');
    d.get('w0', { shape: [0, 3], allowDeferredInit: true });
    d.get('w1');
    expect([...d.keys()]).toEqual(['net_w0', 'net_w1']);
    expect(d.get('w0', { shape: [5, 0] }).shape).toEqual([5, 3]);
    expect(() => d.get('w0', { shape: [6, 3] })).toThrow(/Cannot retrieve Parameter 'net_w0'/);
    expect(d.get('net_w0')).toBe(d.get('w0'));
  });

  it('test_parameter_str: the dict repr', () => {
    const net = new nn.Sequential({ prefix: 'net1_' });
    net.nameScope(() => net.add(new nn.Dense(10, { inUnits: 5 })));
    const lines = String(net.collectParams()).split('\n');
    expect(lines[0]).toBe('net1_ (');
    expect(lines[1]).toContain('net1_dense0_weight');
    expect(lines[1]).toContain('(10, 5)');
    expect(lines[1]).toContain('float32');
    expect(lines[2]).toContain('net1_dense0_bias');
    expect(lines[3]).toBe(')');
  });

  it('_loadDict: arg:/aux: prefixes, restorePrefix, missing and extra names, atomic on error', () => {
    const cell = new rnn.LSTMCell(3, { inputSize: 2, prefix: 'rnnmodel2_lstm0_' });
    const params = cell.collectParams();
    const arrays = new Map<string, nd.NDArray>([
      ['arg:rnnmodel2_lstm0_i2h_weight', nd.ones([12, 2])],
      ['arg:rnnmodel2_lstm0_h2h_weight', nd.ones([12, 3])],
      ['arg:rnnmodel2_lstm0_i2h_bias', nd.ones([12])],
      ['aux:rnnmodel2_lstm0_h2h_bias', nd.ones([12])],
    ]);
    params._loadDict(arrays);
    expect(Array.from(cell.h2h_bias.data().data).every((v) => v === 1)).toBe(true);
    const stripped = new Map(
      [...arrays].map(([k, v]) => [k.slice(4).replace('rnnmodel2_', ''), v] as [string, nd.NDArray]),
    );
    params._loadDict(stripped, { restorePrefix: 'rnnmodel2_' });
    const fewer = new Map([...arrays].slice(0, 3));
    expect(() => params._loadDict(fewer)).toThrow(/Parameter 'rnnmodel2_lstm0_h2h_bias' is missing in param_dict/);
    params._loadDict(fewer, { allowMissing: true });
    const extra = new Map([...arrays, ['arg:foo', nd.ones([1])] as [string, nd.NDArray]]);
    expect(() => params._loadDict(extra)).toThrow(/Parameter 'foo' loaded from param_dict is not present/);
    params._loadDict(extra, { ignoreExtra: true });
    const before = cell.i2h_weight.data().toFloat32Array();
    const bad = new Map(arrays);
    bad.set('arg:rnnmodel2_lstm0_i2h_weight', nd.zeros([12, 2]));
    bad.set('aux:rnnmodel2_lstm0_h2h_bias', nd.zeros([13]));
    expect(() => params._loadDict(bad)).toThrow(
      "Failed loading Parameter 'rnnmodel2_lstm0_h2h_bias' from saved params: shape incompatible expected (12,) vs saved (13,)",
    );
    expect(cell.i2h_weight.data().toFloat32Array()).toEqual(before);
  });
});

describe('initializers (spec §3.2, §4)', () => {
  it("a parameter's own initializer beats the global one (biases stay 0 under One)", () => {
    const layer = new rnn.LSTM(3, { inputSize: 2 });
    layer.initialize(new init.One());
    expect(Array.from(layer.l0_i2h_weight.data().data).every((v) => v === 1)).toBe(true);
    expect(Array.from(layer.l0_i2h_bias.data().data).every((v) => v === 0)).toBe(true);
  });

  it('the default global initializer is Uniform(0.07)', () => {
    const d = new nn.Dense(200, { inUnits: 100 });
    d.initialize();
    const w = Array.from(d.weight.data().data);
    expect(w.every((v) => Math.abs(v) <= 0.07)).toBe(true);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.06);
  });

  it('Xavier on a vector without its own init raises; Xavier options', () => {
    const p = new Parameter('b', { shape: [4] });
    expect(() => p.initialize(null, null, new init.Xavier())).toThrow(
      'Xavier initializer cannot be applied to vector b. It requires at least 2D.',
    );
    const w = new Parameter('w', { shape: [20, 30] });
    w.initialize(new init.Xavier('gaussian', 'in', 2));
    const vals = Array.from(w.data().data);
    const std = Math.sqrt(vals.reduce((s, v) => s + v * v, 0) / vals.length);
    expect(Math.abs(std - Math.sqrt(2 / 30))).toBeLessThan(0.03);
    expect(() => new init.Xavier({ rndType: 'cauchy' } as never)).toThrow(/rndType/);
  });

  it('Orthogonal gives orthonormal rows or columns (scaled)', () => {
    for (const shape of [
      [6, 4],
      [4, 6],
    ]) {
      const p = new Parameter('q', { shape });
      p.initialize(new init.Orthogonal({ scale: 1 }));
      const [r, c] = shape as [number, number];
      const a = p.data().data;
      const n = Math.min(r, c);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < Math.max(r, c); k++)
            s +=
              r >= c
                ? (a[k * c + i] as number) * (a[k * c + j] as number)
                : (a[i * c + k] as number) * (a[j * c + k] as number);
          expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('string names, JSON form, Constant, LSTMBias, Normal', () => {
    for (const [name, cls] of [
      ['zeros', init.Zero],
      ['Zero', init.Zero],
      ['ones', init.One],
      ['one', init.One],
      ['uniform', init.Uniform],
      ['normal', init.Normal],
      ['xavier', init.Xavier],
      ['orthogonal', init.Orthogonal],
      ['lstmbias', init.LSTMBias],
      ['msraprelu', init.MSRAPrelu],
    ] as const) {
      expect(init.create(name)).toBeInstanceOf(cls);
    }
    const x = init.create('["xavier", {"rnd_type": "gaussian", "factor_type": "out", "magnitude": 2}]') as init.Xavier;
    expect([x.rndType, x.factorType, x.magnitude]).toEqual(['gaussian', 'out', 2]);
    expect(() => init.create('bogus')).toThrow(/unknown initializer 'bogus'/);
    const p = new Parameter('c', { shape: [2, 2], init: new init.Constant(-10) });
    p.initialize();
    expect(Array.from(p.data().data)).toEqual([-10, -10, -10, -10]);
    const b = new Parameter('b', { shape: [8], init: 'lstmbias' });
    b.initialize();
    expect(Array.from(b.data().data)).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    seed(7);
    const n = new Parameter('n', { shape: [1000] });
    n.initialize(new init.Normal(0.5));
    const v = Array.from(n.data().data);
    expect(Math.abs(Math.sqrt(v.reduce((s, e) => s + e * e, 0) / v.length) - 0.5)).toBeLessThan(0.05);
  });

  it('test_shared_parameters_with_non_default_initializer: same object, equal initializers', () => {
    const d1 = new ParameterDict('s_');
    const p1 = d1.get('param', { shape: [2], init: new init.Constant(-10) });
    const d2 = new ParameterDict('s_', d1);
    const p2 = d2.get('param', { shape: [2], init: new init.Constant(-10) });
    expect(p2).toBe(p1);
    expect(() => d2.get('param', { init: new init.Constant(3) })).toThrow(/attribute 'init'/);
  });

  it('forceReinit and the seeded generator', () => {
    const d = new nn.Dense(3, { inUnits: 2 });
    seed(42);
    d.initialize();
    const a = d.weight.data().toFloat32Array();
    seed(42);
    d.initialize(undefined, { forceReinit: true });
    expect(d.weight.data().toFloat32Array()).toEqual(a);
    d.initialize(new init.Zero(), { forceReinit: true });
    expect(Array.from(d.weight.data().data).every((v) => v === 0)).toBe(true);
  });
});
