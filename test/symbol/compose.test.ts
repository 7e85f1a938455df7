// mx.sym calls that leave inputs out write the graph MXNet 1.9.1 writes: nnvm's compose makes each
// missing input a variable named '<node>_<input>' that carries the node's attributes, and gives
// BatchNorm's moving statistics and PReLU's gamma an __init__ (fixture:
// test/fixtures/mxnet_symbol/compose.json, written by test/fixtures/gen_symbol_fixtures.py).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import mx, { ready } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import type { MxSymbol } from '../../ts/symbol/symbol.js';

beforeAll(async () => {
  await ready({ threads: 1 });
});

const fixture = JSON.parse(readFileSync(new URL('../fixtures/mxnet_symbol/compose.json', import.meta.url), 'utf8')) as {
  cases: { case: string; python: string; json: string }[];
  dumps: { python: string; dumps: string }[];
};

const { sym } = mx;
/** The fixture's Python calls, written with this package's API. */
const CALLS: Record<string, () => MxSymbol> = {
  fc: () => sym.FullyConnected(sym.var('data'), { numHidden: 2, name: 'fc' }),
  fc_no_bias: () => sym.FullyConnected(sym.var('data'), { numHidden: 2, noBias: true, name: 'fc' }),
  fc_weight_given: () =>
    sym.FullyConnected(sym.var('data'), sym.var('w'), { numHidden: 3, name: 'fc', attr: { __lr_mult__: '2' } }),
  fc_bias_given: () =>
    sym.FullyConnected(sym.var('data'), { bias: sym.var('b'), numHidden: 2, flatten: false, name: 'fc' }),
  relu_no_data: () => sym.relu({ name: 'r' }),
  batchnorm: () => sym.BatchNorm(sym.var('data'), { eps: 0.01, fixGamma: false, name: 'bn' }),
  batchnorm_given: () =>
    sym.BatchNorm(sym.var('data'), sym.var('g'), sym.var('b'), sym.var('mm'), sym.var('mv'), { name: 'bn' }),
  prelu: () => sym.LeakyReLU(sym.var('data'), { actType: 'prelu', name: 'pr' }),
  leaky: () => sym.LeakyReLU(sym.var('data'), { actType: 'leaky', slope: 0.1, name: 'lr' }),
  // sym.RNN returns every visible output: one here, as Python's Symbol
  rnn_lstm: () => sym.RNN(sym.var('data'), { mode: 'lstm', stateSize: 2, numLayers: 1, name: 'rnn' })[0] as MxSymbol,
  rnn_gru_lengths: () =>
    sym.RNN(sym.var('data'), {
      mode: 'gru',
      stateSize: 2,
      numLayers: 1,
      useSequenceLength: true,
      name: 'rnn',
    })[0] as MxSymbol,
  softmax_length: () => sym.softmax(sym.var('data'), { useLength: true, name: 'sm' }),
  sequence_mask: () => sym.SequenceMask(sym.var('data'), { useSequenceLength: true, name: 'mask' }),
  convolution: () => sym.Convolution(sym.var('data'), { kernel: [3], numFilter: 2, name: 'conv' }),
  embedding: () => sym.Embedding(sym.var('data'), { inputDim: 3, outputDim: 2, name: 'emb' }),
  layernorm: () => sym.LayerNorm(sym.var('data'), { name: 'ln' }),
  dot: () => sym.dot(sym.var('data'), { name: 'd' }),
  where: () => sym.where(sym.var('c'), { name: 'w' }),
  var_options: () =>
    sym.var('w', {
      shape: [2, 3],
      lrMult: 2,
      wdMult: 0.5,
      dtype: 'float32',
      init: new mx.init.Xavier({ magnitude: 3 }),
    }),
  var_init_name: () =>
    sym.FullyConnected(sym.var('x'), sym.var('w', { init: 'zeros', attr: { __foo__: 'y' } }), {
      numHidden: 2,
      noBias: true,
      name: 'fc',
    }),
};

/** The fixture's initializers, in its order. */
const INITIALIZERS = [
  new mx.init.Xavier({ magnitude: 3 }),
  new mx.init.Constant(0.25),
  new mx.init.Uniform(),
  new mx.init.Normal(0.5),
  new mx.init.Orthogonal(),
  new mx.init.LSTMBias(2),
  new mx.init.MSRAPrelu(),
  new mx.init.Zero(),
  new mx.init.One(),
];

describe('mx.sym: inputs left out become variables, as MXNet 1.9.1 composes them (mxnet_symbol/compose.json)', () => {
  it('covers every case of the fixture', () => {
    expect(fixture.cases.map((c) => c.case).sort()).toEqual(Object.keys(CALLS).sort());
  });
  for (const c of fixture.cases) {
    it(`${c.case}: ${c.python}`, () => {
      expect(CALLS[c.case]?.().toJson()).toBe(c.json);
    });
  }

  it("Initializer.dumps() writes Python's text, which init.create reads back", () => {
    expect(INITIALIZERS.map((i) => i.dumps())).toEqual(fixture.dumps.map((d) => d.dumps));
    for (const i of INITIALIZERS) expect(mx.init.create(i.dumps()).equals(i)).toBe(true);
    expect(() => mx.init.create('[bad')).toThrow(/init\.create: malformed initializer JSON "\[bad"/);
  });

  it('sym.var checks its options, naming them', () => {
    expect(() => sym.var('w', { lrMult: 'a' as never })).toThrow(/sym\.var: lrMult must be a number, got "a"/);
    expect(() => sym.var('w', { dtype: 'float16' as never })).toThrow(/sym\.var: dtype must be 'float32'/);
    expect(() => sym.var('w', { init: 5 as never })).toThrow(
      /sym\.var: init must be an Initializer or an initializer name, got 5/,
    );
  });

  it('a graph with made variables runs in a SymbolBlock, its variables its parameters', () => {
    const net = new mx.gluon.SymbolBlock(CALLS.fc?.() as MxSymbol, 'data');
    expect([...net.collectParams().keys()]).toEqual(['fc_weight', 'fc_bias']);
    net.initialize(new mx.init.Constant(0.5));
    expect((net.forward(mx.nd.array([1, 2, 3], [1, 3])) as NDArray).toArray()).toEqual([[3.5, 3.5]]);
  });
});
