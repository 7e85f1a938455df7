// nn layers against MXNet 1.9.1 (fixtures dense_1..6, embedding, sequential_embedding_lstm_dense,
// api_seq_embed_lstm_dense) and test_gluon.py's test_basic / test_dense.

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nn } from '../../ts/gluon/index.js';
import mx, { ready } from '../../ts/index.js';
import { resetNameCounters } from '../../ts/name.js';
import * as nd from '../../ts/ndarray/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, fixture, fixtureBytes, input, out, seqEmbedLstmDense, setParams } from './helpers.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

const DENSE: Record<string, () => nn.Dense> = {
  dense_1: () => new nn.Dense(5),
  dense_2: () => new nn.Dense(5, { flatten: false }),
  dense_3: () => new nn.Dense(5, { activation: 'tanh' }),
  dense_4: () => new nn.Dense(5, { activation: 'relu', flatten: false }),
  dense_5: () => new nn.Dense(5, { useBias: false, flatten: false }),
  dense_6: () => new nn.Dense(5, { activation: 'sigmoid', inUnits: 12 }),
};

describe('nn.Dense / nn.Embedding vs MXNet', () => {
  for (const [name, make] of Object.entries(DENSE)) {
    it(name, () => {
      const f = fixture(name);
      const net = make();
      expect([...net.collectParams().keys()]).toEqual(f.names);
      expect([...net._collectParamsWithPrefix().keys()]).toEqual(f.structural);
      if (f.repr_before_forward) expect(String(net)).toBe(f.repr_before_forward);
      net.initialize();
      setParams(net, f);
      expectClose(net.forward(input(f, 'x')) as NDArray, out(f, 'out'), 1e-5);
      expect(String(net)).toBe(f.repr);
    });
  }
  it('embedding: truncation and clipping of ids', () => {
    const f = fixture('embedding');
    const net = new nn.Embedding(6, 3);
    net.initialize();
    setParams(net, f);
    expectClose(net.forward(input(f, 'x')) as NDArray, out(f, 'out'), 1e-6);
    expect(String(net)).toBe(f.repr);
  });
});

describe('Sequential models vs MXNet', () => {
  it('sequential_embedding_lstm_dense', () => {
    const f = fixture('sequential_embedding_lstm_dense');
    const net = seqEmbedLstmDense(7, 4, 3, 2, 5);
    expect([...net.collectParams().keys()]).toEqual(f.names);
    expect([...net._collectParamsWithPrefix().keys()]).toEqual(f.structural);
    expect(String(net)).toBe(f.repr_before_forward);
    net.initialize();
    setParams(net, f);
    expectClose(net.forward(input(f, 'x')) as NDArray, out(f, 'out'), 1e-5);
    expect(String(net)).toBe(f.repr);
  });

  it('docs/design/api.md seed example: Sequential(Embedding, LSTM, Dense) (fixture api_seq_embed_lstm_dense)', async () => {
    const f = fixture('api_seq_embed_lstm_dense');
    const net = new mx.gluon.nn.Sequential();
    net.nameScope(() => {
      net.add(new mx.gluon.nn.Embedding(30, 10));
      net.add(new mx.gluon.rnn.LSTM(20));
      net.add(new mx.gluon.nn.Dense(5, { flatten: false }));
    });
    net.initialize();
    const o = net.forward(mx.nd.ones([2, 3])) as NDArray;
    expect(o.shape).toEqual([2, 3, 5]);
    const params = net.collectParams();
    expect([...params.keys()]).toEqual(f.names);
    params.get('sequential0_lstm0_l0_i2h_weight').setData(mx.nd.zeros([80, 10]));
    expect(Array.from(params.get('sequential0_lstm0_l0_i2h_weight').data().data).every((v) => v === 0)).toBe(true);
    // MXNet's outputs for MXNet's weights, loaded from the .params file MXNet wrote.
    const loaded = mx.nd.load(fixtureBytes(f.params_file as string)) as Record<string, NDArray>;
    net._loadParameterDict(new Map(Object.entries(loaded)));
    expectClose(net.forward(mx.nd.ones([2, 3])) as NDArray, out(f, 'out_ones'), 1e-5, 'out_ones');
    expectClose(net.forward(input(f, 'x')) as NDArray, out(f, 'out_ids'), 1e-5, 'out_ids');
    expect(String(net)).toBe(f.repr);
  });

  it('test_basic: Sequential of Dense/Dropout/Activation shapes; setattr gradReq', () => {
    const model = new nn.Sequential();
    model.add(new nn.Dense(128, { activation: 'tanh', inUnits: 10, flatten: false }));
    model.add(new nn.Dropout(0.5));
    model.add(new nn.Dense(64, { activation: 'tanh', inUnits: 256 }));
    model.add(new nn.Dense(32, { inUnits: 64 }));
    model.add(new nn.Activation('relu'));
    model.initialize();
    expect((model.forward(nd.zeros([32, 2, 10])) as NDArray).shape).toEqual([32, 32]);
    model.collectParams().setattr('gradReq', 'null');
    expect([...model.collectParams().values()].every((p) => p.gradReq === 'null')).toBe(true);
  });

  it('test_dense: names and flatten shapes', () => {
    const a = new nn.Dense(128, { activation: 'tanh', inUnits: 10, flatten: false, prefix: 'test_' });
    expect([...a.collectParams().keys()]).toEqual(['test_weight', 'test_bias']);
    a.initialize();
    expect((a.forward(nd.ones([2, 3, 10])) as NDArray).shape).toEqual([2, 3, 128]);
    const b = new nn.Dense(128, { activation: 'relu', inUnits: 30, flatten: true, prefix: 'test2_' });
    b.initialize();
    expect((b.forward(nd.ones([17, 2, 5, 3])) as NDArray).shape).toEqual([17, 128]);
  });

  it('test_hybrid_stale_cache: changing children after hybridize changes the result', () => {
    const net = new nn.HybridSequential();
    net.nameScope(() =>
      net.add(new nn.Dense(10, { weightInitializer: 'zeros', biasInitializer: 'ones', flatten: false })),
    );
    net.hybridize();
    net.initialize();
    expect((net.forward(nd.ones([2, 3, 5])) as NDArray).shape).toEqual([2, 3, 10]);
    net.add(new nn.Dense(30));
    net.initialize();
    expect((net.forward(nd.ones([2, 3, 5])) as NDArray).shape).toEqual([2, 30]);
  });

  it('Dropout is the identity at inference; bad options throw', () => {
    const x = nd.random.uniform(0, 1, [4, 5]);
    expect((new nn.Dropout(0.5).forward(x) as NDArray).data).toEqual(x.data);
    expect(() => new nn.Activation('gelu' as never)).toThrow(/activation must be one of/);
    expect(() => new nn.Embedding(10, 4, { sparseGrad: true } as never)).toThrow(/sparseGrad/);
    expect(() => new nn.Dense(4, { in_units: 3 } as never)).toThrow(/did you mean 'inUnits'/);
  });
});
