// Names, structural save keys, shapes and reprs against MXNet 1.9.1 (fixture naming.json: each
// entry was built in a fresh NameManager), plus the Block machinery tests of test_gluon.py.

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Block, HybridBlock } from '../../ts/gluon/block.js';
import { nn, ParameterDict, rnn } from '../../ts/gluon/index.js';
import { ready } from '../../ts/index.js';
import { resetNameCounters } from '../../ts/name.js';
import * as nd from '../../ts/ndarray/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { fixture } from './helpers.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

/** The TypeScript translation of each Python `build` of naming.json. */
const BUILDS: Record<string, () => Block | ParameterDict> = {
  'rnn.LSTM(100, 3)': () => new rnn.LSTM(100, 3),
  'net = nn.Sequential()\nwith net.name_scope():\n    net.add(nn.Embedding(30, 10))\n    net.add(rnn.LSTM(20))\n    net.add(nn.Dense(5, flatten=False))':
    () => {
      const net = new nn.Sequential();
      net.nameScope(() => {
        net.add(new nn.Embedding(30, 10));
        net.add(new rnn.LSTM(20));
        net.add(new nn.Dense(5, { flatten: false }));
      });
      return net;
    },
  'net = rnn.SequentialRNNCell()\nwith net.name_scope():\n    net.add(rnn.LSTMCell(20))\n    net.add(rnn.LSTMCell(20))':
    () => {
      const net = new rnn.SequentialRNNCell();
      net.nameScope(() => {
        net.add(new rnn.LSTMCell(20));
        net.add(new rnn.LSTMCell(20));
      });
      return net;
    },
  "rnn.LSTMCell(128, input_size=128, prefix='rnnmodel2_lstm0_')": () =>
    new rnn.LSTMCell(128, { inputSize: 128, prefix: 'rnnmodel2_lstm0_' }),
  'rnn.GRU(100, 3)': () => new rnn.GRU(100, 3),
  "rnn.GRU(100, num_layers=3, layout='NTC')": () => new rnn.GRU(100, { numLayers: 3, layout: 'NTC' }),
  'rnn.LSTM(100, num_layers=2, bidirectional=True)': () => new rnn.LSTM(100, { numLayers: 2, bidirectional: true }),
  'rnn.LSTM(100, num_layers=2, projection_size=40)': () => new rnn.LSTM(100, { numLayers: 2, projectionSize: 40 }),
  'rnn.LSTM(100, num_layers=2, bidirectional=True, projection_size=40)': () =>
    new rnn.LSTM(100, { numLayers: 2, bidirectional: true, projectionSize: 40 }),
  "rnn.LSTMCell(100, prefix='rnn_')": () => new rnn.LSTMCell(100, { prefix: 'rnn_' }),
  "nn.Dense(128, prefix='test_')": () => new nn.Dense(128, { prefix: 'test_' }),
  "net = nn.HybridSequential(prefix='test_')\nwith net.name_scope():\n    net.add(nn.Dense(10))\n    net.add(nn.Dropout(0.5))":
    () => {
      const net = new nn.HybridSequential({ prefix: 'test_' });
      net.nameScope(() => {
        net.add(new nn.Dense(10));
        net.add(new nn.Dropout(0.5));
      });
      return net;
    },
  "net = gluon.ParameterDict('net_')\nnet.get('w0')\nnet.get('w1')": () => {
    const d = new ParameterDict('net_');
    d.get('w0');
    d.get('w1');
    return d;
  },
  'net = nn.Sequential()\na = rnn.LSTM(10)\nb = rnn.LSTMCell(10)\nnet.add(a)\nnet.add(b)': () => {
    const net = new nn.Sequential();
    const a = new rnn.LSTM(10);
    const b = new rnn.LSTMCell(10);
    net.add(a);
    net.add(b);
    return net;
  },
  'net = nn.Sequential()\nwith net.name_scope():\n    net.add(nn.Embedding(40, 30))\n    net.add(rnn.LSTM(30))\n    net.add(nn.Dense(40))':
    () => {
      const net = new nn.Sequential();
      net.nameScope(() => {
        net.add(new nn.Embedding(40, 30));
        net.add(new rnn.LSTM(30));
        net.add(new nn.Dense(40));
      });
      return net;
    },
  "net = nn.Sequential(prefix='net1_')\nwith net.name_scope():\n    net.add(nn.Dense(10, in_units=5))": () => {
    const net = new nn.Sequential({ prefix: 'net1_' });
    net.nameScope(() => net.add(new nn.Dense(10, { inUnits: 5 })));
    return net;
  },
  'rnn.LSTM(100, num_layers=3)': () => new rnn.LSTM(100, { numLayers: 3 }),
  'rnn.LSTM(10)': () => new rnn.LSTM(10),
  "rnn.GRU(10, num_layers=2, layout='NTC', dropout=0.5, bidirectional=True)": () =>
    new rnn.GRU(10, { numLayers: 2, layout: 'NTC', dropout: 0.5, bidirectional: true }),
  'rnn.RNN(100)': () => new rnn.RNN(100),
  "rnn.RNN(100, activation='tanh', dropout=0.2)": () => new rnn.RNN(100, { activation: 'tanh', dropout: 0.2 }),
  'rnn.RNNCell(100)': () => new rnn.RNNCell(100),
  "rnn.RNNCell(100, activation='relu', input_size=7)": () => new rnn.RNNCell(100, { activation: 'relu', inputSize: 7 }),
  'rnn.LSTMCell(100)': () => new rnn.LSTMCell(100),
  'rnn.GRUCell(100)': () => new rnn.GRUCell(100),
  'rnn.ZoneoutCell(rnn.RNNCell(100), zoneout_outputs=0.5, zoneout_states=0.5)': () =>
    new rnn.ZoneoutCell(new rnn.RNNCell(100), { zoneoutOutputs: 0.5, zoneoutStates: 0.5 }),
  'rnn.ResidualCell(rnn.GRUCell(150))': () => new rnn.ResidualCell(new rnn.GRUCell(150)),
  'rnn.BidirectionalCell(rnn.LSTMCell(100), rnn.LSTMCell(100))': () =>
    new rnn.BidirectionalCell(new rnn.LSTMCell(100), new rnn.LSTMCell(100)),
  'rnn.DropoutCell(0.5)': () => new rnn.DropoutCell(0.5),
  'net = rnn.HybridSequentialRNNCell()\nwith net.name_scope():\n    net.add(rnn.LSTMCell(100))\n    net.add(rnn.DropoutCell(0.5))':
    () => {
      const net = new rnn.HybridSequentialRNNCell();
      net.nameScope(() => {
        net.add(new rnn.LSTMCell(100));
        net.add(new rnn.DropoutCell(0.5));
      });
      return net;
    },
  'net = rnn.SequentialRNNCell()\nwith net.name_scope():\n    net.add(rnn.ZoneoutCell(rnn.LSTMCell(10), 0.1, 0.1))\n    net.add(rnn.ResidualCell(rnn.LSTMCell(10)))':
    () => {
      const net = new rnn.SequentialRNNCell();
      net.nameScope(() => {
        net.add(new rnn.ZoneoutCell(new rnn.LSTMCell(10), 0.1, 0.1));
        net.add(new rnn.ResidualCell(new rnn.LSTMCell(10)));
      });
      return net;
    },
  'net = rnn.HybridSequentialRNNCell()\nwith net.name_scope():\n    net.add(rnn.BidirectionalCell(rnn.LSTMCell(5), rnn.LSTMCell(5)))\n    net.add(rnn.GRUCell(3))':
    () => {
      const net = new rnn.HybridSequentialRNNCell();
      net.nameScope(() => {
        net.add(new rnn.BidirectionalCell(new rnn.LSTMCell(5), new rnn.LSTMCell(5)));
        net.add(new rnn.GRUCell(3));
      });
      return net;
    },
  'rnn.LSTM(100, num_layers=3)._unfuse()': () => new rnn.LSTM(100, { numLayers: 3 })._unfuse(),
  'rnn.GRU(10, num_layers=2, bidirectional=True, dropout=0.3)._unfuse()': () =>
    new rnn.GRU(10, { numLayers: 2, bidirectional: true, dropout: 0.3 })._unfuse(),
  "nn.Dense(128, activation='tanh')": () => new nn.Dense(128, { activation: 'tanh' }),
  'nn.Dense(3, in_units=10)': () => new nn.Dense(3, { inUnits: 10 }),
  'nn.Embedding(10, 100)': () => new nn.Embedding(10, 100),
  'nn.Dropout(0.5)': () => new nn.Dropout(0.5),
  "nn.Activation('relu')": () => new nn.Activation('relu'),
};

interface Entry {
  build: string;
  prefix?: string;
  names?: string[];
  structural?: string[];
  shapes?: Record<string, number[] | null>;
  repr?: string;
  forward?: string;
  forward_shape?: number[];
  repr_after_forward?: string;
  shapes_after_forward?: Record<string, number[]>;
  apply_names?: string[];
  params_repr?: string;
}

describe('naming.json (MXNet 1.9.1 names, structural keys, shapes, reprs)', () => {
  const entries = (fixture('naming') as unknown as { entries: Entry[] }).entries;
  for (const e of entries) {
    const make = BUILDS[e.build];
    const title = e.build.split('\n').join(' / ');
    if (make === undefined) {
      // nn.Conv2D is outside this package's scope.
      it.skip(`${title} (not in scope)`, () => {});
      continue;
    }
    it(title, () => {
      const b = make();
      if (b instanceof ParameterDict) {
        expect([...b.keys()]).toEqual(e.names);
        expect(String(b)).toBe(e.repr);
        return;
      }
      if (e.prefix !== undefined) expect(b.prefix).toBe(e.prefix);
      const params = b.collectParams();
      if (e.names) expect([...params.keys()]).toEqual(e.names);
      if (e.structural) expect([...b._collectParamsWithPrefix().keys()]).toEqual(e.structural);
      if (e.shapes)
        for (const [k, s] of Object.entries(e.shapes)) expect(params.getByFullName(k).shape, k).toEqual(s ?? []);
      expect(String(b)).toBe(e.repr);
      if (e.apply_names) {
        const seen: string[] = [];
        b.apply((blk) => seen.push(blk.name));
        expect(seen).toEqual(e.apply_names);
      }
      if (e.params_repr) expect(String(params)).toBe(e.params_repr);
      if (e.forward) {
        const shape = /nd\.ones\(\(([\d, ]+)\)\)/.exec(e.forward)?.[1]?.split(',').map(Number) as number[];
        b.initialize();
        const o = b.forward(nd.ones(shape)) as NDArray;
        expect(o.shape).toEqual(e.forward_shape);
        expect(String(b)).toBe(e.repr_after_forward);
        for (const [k, s] of Object.entries(e.shapes_after_forward ?? {}))
          expect(params.getByFullName(k).shape, k).toEqual(s);
      }
    });
  }
});

describe('Block machinery (test_gluon.py ports)', () => {
  it('test_collect_parameters: select is a regex anchored at the start', () => {
    const net = new nn.HybridSequential({ prefix: 'test_' });
    net.nameScope(() => {
      net.add(new nn.Dense(10, { activation: 'relu' }));
      net.add(new nn.Dense(10, { activation: 'relu' }));
    });
    expect(new Set(net.collectParams().keys())).toEqual(
      new Set(['test_dense0_weight', 'test_dense0_bias', 'test_dense1_weight', 'test_dense1_bias']),
    );
    expect([...net.collectParams('.*weight').keys()]).toEqual(['test_dense0_weight', 'test_dense1_weight']);
    expect([...net.collectParams('test_dense0_bias|test_dense1_bias').keys()]).toEqual([
      'test_dense0_bias',
      'test_dense1_bias',
    ]);
    expect([...net.collectParams('weight').keys()]).toEqual([]);
  });

  it('test_parameter_sharing: params= shares Parameters; structural names are prefix-independent', () => {
    class Net extends Block {
      declare dense0: nn.Dense;
      declare dense1: nn.Dense;
      constructor(opts: { prefix?: string; params?: ParameterDict; inUnits?: number }) {
        super({ prefix: opts.prefix, params: opts.params });
        this.nameScope(() => {
          this.dense0 = this.registerChild(new nn.Dense(5, { inUnits: opts.inUnits ?? 0 }));
          this.dense1 = this.registerChild(new nn.Dense(5, { inUnits: opts.inUnits ?? 0 }));
        });
      }
      override forward(x: NDArray): NDArray {
        return this.dense1.forward(this.dense0.forward(x)) as NDArray;
      }
    }
    const net1 = new Net({ prefix: 'net1_', inUnits: 5 });
    const net2 = new Net({ prefix: 'net2_', params: net1.collectParams() });
    net1.initialize();
    expect([...net2.collectParams().values()]).toEqual([...net1.collectParams().values()]);
    expect([...net2.collectParams().keys()]).toEqual([
      'net1_dense0_weight',
      'net1_dense0_bias',
      'net1_dense1_weight',
      'net1_dense1_bias',
    ]);
    const x = nd.ones([3, 5]);
    expect((net2.forward(x) as NDArray).data).toEqual((net1.forward(x) as NDArray).data);
    expect([...net1._collectParamsWithPrefix().keys()]).toEqual([
      'dense0.weight',
      'dense0.bias',
      'dense1.weight',
      'dense1.bias',
    ]);
    const net3 = new Net({ prefix: 'net3_' });
    net3._loadParameterDict(net1._paramsForSave());
    expect((net3.forward(x) as NDArray).data).toEqual((net1.forward(x) as NDArray).data);
  });

  it('test_fill_shape_load: loading fills deferred shapes; bad shapes leave parameters unchanged', () => {
    const a = new nn.Dense(4);
    a.initialize();
    a.forward(nd.ones([2, 6]));
    const b = new nn.Dense(4, { prefix: 'other_' });
    b._loadParameterDict(a._paramsForSave());
    expect(b.weight.shape).toEqual([4, 6]);
    const c = new nn.Dense(4, { inUnits: 5 });
    c.initialize();
    const before = c.weight.data().toFloat32Array();
    expect(() => c._loadParameterDict(a._paramsForSave())).toThrow(
      /shape incompatible expected \(4, 5\) vs saved \(4, 6\)/,
    );
    expect(c.weight.data().toFloat32Array()).toEqual(before);
    expect(() => c._loadParameterDict(new Map([['weight', nd.ones([4, 5])]]))).toThrow(/Parameter 'bias' is missing/);
    expect(() =>
      c._loadParameterDict(
        new Map([
          ['weight', nd.ones([4, 5])],
          ['bias', nd.ones([4])],
          ['x.y', nd.ones([1])],
        ]),
      ),
    ).toThrow(/'x.y' loaded from file/);
  });

  it('test_save_load_deduplicate: shared parameters are written once with deduplicate', () => {
    class Net extends Block {
      declare a: nn.Dense;
      declare b: nn.Dense;
      constructor() {
        super();
        this.nameScope(() => {
          this.a = this.registerChild(new nn.Dense(3, { inUnits: 3 }));
          this.b = this.registerChild(new nn.Dense(3, { inUnits: 3, params: this.a.params }));
        });
      }
    }
    const net = new Net();
    net.initialize();
    expect([...net._paramsForSave().keys()]).toEqual(['a.weight', 'a.bias', 'b.weight', 'b.bias']);
    expect([...net._paramsForSave(true).keys()]).toEqual(['b.weight', 'b.bias']);
    const other = new Net();
    other._loadParameterDict(net._paramsForSave(true));
    expect(other.a.weight.data().data).toEqual(net.a.weight.data().data);
  });

  it('test_sequential: indexing, negative index, slice with the same children', () => {
    const net = new nn.Sequential();
    const d1 = new nn.Dense(1);
    const d2 = new nn.Dense(2);
    const d3 = new nn.Dense(3);
    net.add(d1, d2, d3);
    expect(net.get(1)).toBe(d2);
    expect(net.get(-1)).toBe(d3);
    const s = net.slice(1, 3);
    expect(s.length).toBe(2);
    expect(s.get(0)).toBe(d2);
    expect(s instanceof nn.Sequential).toBe(true);
    expect(s.prefix).toBe(net.prefix);
  });

  it('HybridBlock: children must be hybrid; custom hybridForward gets params as one trailing object', () => {
    expect(() => new nn.HybridSequential().add(new nn.Sequential())).toThrow(
      /Children of HybridBlock must also be HybridBlock/,
    );
    class Scale extends HybridBlock {
      declare weight: ReturnType<ParameterDict['get']>;
      constructor() {
        super();
        this.weight = this.params.get('weight', { shape: [3], init: 'ones' });
      }
      override hybridForward(F: typeof nd, x: NDArray, params: Record<string, NDArray>): NDArray {
        return F.mul(x, params.weight as NDArray);
      }
    }
    const s = new Scale();
    expect(s.prefix).toBe('scale0_');
    s.initialize();
    expect((s.forward(nd.array([[1, 2, 3]])) as NDArray).toArray()).toEqual([[1, 2, 3]]);
    expect(s instanceof HybridBlock).toBe(true);
    expect(new rnn.LSTMCell(3) instanceof HybridBlock).toBe(true);
    expect(new rnn.SequentialRNNCell() instanceof HybridBlock).toBe(false);
  });

  it('a Parameter property registers when assigned, also after a forward (Python __setattr__)', () => {
    class Affine extends HybridBlock {
      declare a: unknown;
      declare b: unknown;
      declare c: unknown;
      seen: string[] = [];
      constructor() {
        super({ prefix: 'affine_' });
        this.a = this.params.get('a', { shape: [2], init: 'ones' });
        this.b = 'not a parameter';
        this.c = this.params.get('c', { shape: [2], init: 'zeros' });
      }
      override hybridForward(_F: typeof nd, x: NDArray, params: Record<string, NDArray>): NDArray {
        this.seen = Object.keys(params);
        return x;
      }
    }
    const m = new Affine();
    m.initialize();
    const x = nd.array([1, 2]);
    // What hybridForward got, then `_regParams`' keys and its Parameters' names.
    const keys = () => {
      m.forward(x);
      const reg = m._regParams;
      return `${m.seen} | ${[...reg.keys()]} | ${[...reg.values()].map((p) => p.name)}`;
    };
    expect(keys()).toBe('a,c | a,c | affine_a,affine_c');
    const [a, c] = [m.a, m.c];
    // Moved to another property, swapped, removed, added: each read anew.
    [m.b, m.a] = [a, 'moved'];
    expect(keys()).toBe('b,c | b,c | affine_a,affine_c');
    [m.b, m.c] = [c, a];
    expect(keys()).toBe('b,c | b,c | affine_c,affine_a');
    m.c = null;
    expect(keys()).toBe('b | b | affine_c');
    (m as unknown as { d: unknown }).d = a;
    expect(keys()).toBe('b,d | b,d | affine_c,affine_a');
    expect(keys()).toBe('b,d | b,d | affine_c,affine_a');
  });

  it('custom blocks: children are named after the property holding them', () => {
    class Model extends Block {
      declare encoder: rnn.LSTM;
      constructor() {
        super({ prefix: 'model_' });
        this.nameScope(() => {
          this.encoder = this.registerChild(new rnn.LSTM(4, { inputSize: 3 }));
        });
      }
    }
    expect([...new Model()._collectParamsWithPrefix().keys()][0]).toBe('encoder._unfused.0.i2h_weight');
  });

  it('test_save_load: two bidirectional LSTMs in a Sequential save under _unfused keys and reload', () => {
    const make = () => {
      const net = new nn.Sequential();
      net.nameScope(() => {
        net.add(new rnn.LSTM(20, 1, { bidirectional: true }));
        net.add(new rnn.LSTM(20, 1, { bidirectional: true }));
      });
      return net;
    };
    const a = make();
    a.initialize();
    const x = nd.random.uniform(0, 1, [5, 2, 10]);
    const ya = a.forward(x) as NDArray;
    const saved = a._paramsForSave();
    expect([...saved.keys()]).toContain('1._unfused.0.r_cell.i2h_weight');
    expect(saved.get('1._unfused.0.l_cell.i2h_weight')?.shape).toEqual([80, 40]);
    const b = make();
    b._loadParameterDict(saved);
    expect((b.forward(x) as NDArray).data).toEqual(ya.data);
  });

  it('cast: float32 only', () => {
    const net = new nn.Dense(2);
    net.cast('float32');
    expect(() => net.cast('float16')).toThrow(/float32/);
  });
});
