// Fused RNN/LSTM/GRU layers: MXNet 1.9.1 fixtures (fused_*, api_lstm100x3), spec §12
// numerical anchors, the fused == unfused-cells matrix (test_fused_*_layer), valid lengths
// (spec §8.10), bidirectional vs flipped input (test_layer_bidirectional), return conventions,
// state-shape errors, deferred shapes and repr.

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RnnMode } from '../../ts/backend/rnn.js';
import { HybridBlock } from '../../ts/gluon/block.js';
import { rnn } from '../../ts/gluon/index.js';
import type { _RNNLayer } from '../../ts/gluon/rnn/rnn_layer.js';
import { ready } from '../../ts/index.js';
import * as mxinit from '../../ts/init/index.js';
import { resetNameCounters } from '../../ts/name.js';
import * as nd from '../../ts/ndarray/index.js';
import { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, expectCloseList, fixture, input, out, outList, setParams } from './helpers.js';
import { refFused } from './reference_rnn.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

function makeLayer(
  mode: RnnMode,
  H: number,
  L: number,
  bi: boolean,
  layout: 'TNC' | 'NTC',
  extra: Record<string, unknown> = {},
): _RNNLayer {
  const kw = { numLayers: L, layout, bidirectional: bi, ...extra };
  switch (mode) {
    case 'rnn_relu':
      return new rnn.RNN(H, { activation: 'relu', ...kw });
    case 'rnn_tanh':
      return new rnn.RNN(H, { activation: 'tanh', ...kw });
    case 'lstm':
      return new rnn.LSTM(H, kw);
    default:
      return new rnn.GRU(H, kw);
  }
}

describe('fused layers vs MXNet (fixtures fused_*)', () => {
  for (const mode of ['rnn_relu', 'rnn_tanh', 'lstm', 'gru'] as const) {
    for (const L of [1, 2]) {
      for (const dir of ['uni', 'bi']) {
        for (const layout of ['TNC', 'NTC'] as const) {
          const name = `fused_${mode}_l${L}_${dir}_${layout}`;
          it(name, () => {
            const f = fixture(name);
            const layer = makeLayer(mode, 3, L, dir === 'bi', layout);
            expect(layer.prefix).toBe(f.prefix);
            expect([...layer.collectParams().keys()]).toEqual(f.names);
            expect([...layer._collectParamsWithPrefix().keys()]).toEqual(f.structural);
            expect(String(layer)).toBe(f.repr_before_forward);
            layer.initialize();
            setParams(layer, f);
            const x = input(f, 'x');
            const o = layer.forward(x);
            expect(o instanceof NDArray).toBe(true);
            expectClose(o as NDArray, out(f, 'out_no_states'), 1e-5, 'out_no_states');
            const states = mode === 'lstm' ? [input(f, 'h0'), input(f, 'c0')] : [input(f, 'h0')];
            const r = layer.forward(x, states) as [NDArray, NDArray[]];
            expect(Array.isArray(r) && r.length === 2).toBe(true);
            expectClose(r[0], out(f, 'out'), 1e-5, 'out');
            expectCloseList(r[1], outList(f, 'states'), 1e-5, 'states');
            expect(String(layer)).toBe(f.repr);
          });
        }
      }
    }
  }
  for (const L of [1, 2]) {
    for (const dir of ['uni', 'bi']) {
      const name = `fused_lstmp_l${L}_${dir}_TNC`;
      it(`${name} (projection)`, () => {
        const f = fixture(name);
        const layer = new rnn.LSTM(5, { numLayers: L, bidirectional: dir === 'bi', projectionSize: 3 });
        expect([...layer.collectParams().keys()]).toEqual(f.names);
        expect([...layer._collectParamsWithPrefix().keys()]).toEqual(f.structural);
        layer.initialize();
        setParams(layer, f);
        const x = input(f, 'x');
        expectClose(layer.forward(x) as NDArray, out(f, 'out_no_states'), 1e-5, 'out_no_states');
        const [o, s] = layer.forward(x, [input(f, 'h0'), input(f, 'c0')]) as [NDArray, NDArray[]];
        expectClose(o, out(f, 'out'), 1e-5, 'out');
        expectCloseList(s, outList(f, 'states'), 1e-5, 'states');
        expect(String(layer)).toBe(f.repr);
      });
    }
  }
});

describe('spec §12 numerical anchors (weights One, biases zero)', () => {
  const x = () => nd.ones([2, 2, 2]);
  it('test_lstm_cpu_inference: LSTM(2, 6 layers, bidirectional) and its _unfuse()', () => {
    const model = new rnn.LSTM(2, { numLayers: 6, bidirectional: true });
    const cells = model._unfuse();
    model.initialize(new mxinit.One());
    const a = 0.72045636;
    const b = 0.95215213;
    const want = [a, a, b, b, a, a, b, b, b, b, a, a, b, b, a, a];
    expectClose(model.forward(x()) as NDArray, want, 1e-5);
    const [u] = cells.unroll(2, x(), { layout: 'TNC', mergeOutputs: true });
    expectClose(u as NDArray, want, 1e-5);
  });
  for (const [name, make, t0] of [
    [
      'GRU(2, 6 layers, bi)',
      () => new rnn.GRU(2, { numLayers: 6, bidirectional: true }),
      [0.20197524, 0.20197524, 0.32965561, 0.32965561],
    ],
    [
      'RNN(2, 6 layers, tanh, bi)',
      () => new rnn.RNN(2, { numLayers: 6, activation: 'tanh', bidirectional: true }),
      [0.99932746, 0.99932746, 0.99998764, 0.99998764],
    ],
    ['RNN(2, 2 layers, relu, bi)', () => new rnn.RNN(2, { numLayers: 2, bidirectional: true }), [16, 16, 48, 48]],
  ] as const) {
    it(name, () => {
      const layer = make();
      layer.initialize(new mxinit.One());
      const o = layer.forward(x()) as NDArray;
      const t1 = [t0[2], t0[3], t0[0], t0[1]];
      expectClose(o.get(0).get(0), [...t0], 1e-5, 't0');
      expectClose(o.get(1).get(0), t1, 1e-5, 't1');
    });
  }
});

describe('fused layer == unrolled cells (test_fused_*_layer, check_rnn_consistency)', () => {
  for (const mode of ['lstm', 'gru', 'rnn_relu', 'rnn_tanh'] as const) {
    for (const L of [1, 2, 3, 4]) {
      for (const bi of [false, true]) {
        it(`${mode} x ${L} layer(s) ${bi ? 'bidirectional' : 'unidirectional'}`, () => {
          const H = 8;
          const fused = makeLayer(mode, H, L, bi, 'NTC', { inputSize: 8 });
          const stack = fused._unfuse();
          fused.initialize(new mxinit.Normal(mode.startsWith('rnn') ? 0.3 : 1));
          // Same Parameter objects by full name (the stack shares the layer's dict).
          expect(
            [...stack.collectParams().values()].every((p) => fused.collectParams().getByFullName(p.name) === p),
          ).toBe(true);
          const x = nd.random.normal(0, 1, [1, 5, 8]);
          const begin = fused.beginState(1, { func: (o: { shape: number[] }) => nd.random.uniform(-1, 1, o.shape) });
          const [fo, fs] = fused.forward(x, begin) as [NDArray, NDArray[]];
          // cell states: [l0_h, l0_c, r0_h, r0_c, l1_h, ...] from the fused (L*D, N, H) rows
          const D = bi ? 2 : 1;
          const cellBegin: NDArray[] = [];
          for (let r = 0; r < L * D; r++) for (const s of begin) cellBegin.push(s.get(r).reshape([1, H]));
          const [so, ss] = stack.unroll(5, x, { beginState: cellBegin, layout: 'NTC', mergeOutputs: true });
          expectClose(fo, Array.from((so as NDArray).data), 1e-4, 'outputs');
          const n = begin.length;
          fs.forEach((s, j) => {
            const stacked = nd.concat(
              ss.filter((_v, k) => k % n === j).map((v) => v.expandDims(0)),
              { dim: 0 },
            );
            expectClose(s, Array.from(stacked.data), 1e-4, `state ${j}`);
          });
        });
      }
    }
  }
});

describe('valid lengths (useSequenceLength, spec §8.10)', () => {
  for (const mode of ['lstm', 'gru', 'rnn_tanh'] as const) {
    for (const layout of ['TNC', 'NTC'] as const) {
      it(`${mode} ${layout} bidirectional: each sample equals a run of its valid prefix`, () => {
        const layer = makeLayer(mode, 7, 2, true, layout, { useSequenceLength: true, inputSize: 5 });
        const ref = makeLayer(mode, 7, 2, true, layout, { inputSize: 5 });
        layer.initialize(new mxinit.Uniform(0.5));
        ref.initialize();
        const lp = [...layer.collectParams().values()];
        lp.forEach((p, i) => {
          const q = [...ref.collectParams().values()][i];
          q?.setData(nd.array(p.data().data, p.shape));
        });
        const T = 11;
        const N = 5;
        const x = nd.random.uniform(-1, 1, layout === 'TNC' ? [T, N, 5] : [N, T, 5]);
        const lengths = [1, 11, 4, 7, 2];
        const [o, s] = layer.forward(x, layer.beginState(N), nd.array(lengths)) as [NDArray, NDArray[]];
        const tAxis = layout.indexOf('T');
        const nAxis = layout.indexOf('N');
        lengths.forEach((len, b) => {
          const xb = x.sliceAxis(nAxis, b, b + 1).sliceAxis(tAxis, 0, len);
          const [ro, rs] = ref.forward(xb, ref.beginState(1)) as [NDArray, NDArray[]];
          const mine = o.sliceAxis(nAxis, b, b + 1);
          expectClose(mine.sliceAxis(tAxis, 0, len), Array.from(ro.data), 1e-5, `sample ${b}`);
          expect(Array.from(mine.sliceAxis(tAxis, len, T).data).every((v) => v === 0)).toBe(true);
          s.forEach((st, j) => {
            expectClose(st.sliceAxis(1, b, b + 1), Array.from((rs[j] as NDArray).data), 1e-5, `state ${j} sample ${b}`);
          });
        });
        expect(() => layer.forward(x)).toThrow(/sequenceLength/);
        expect(() => ref.forward(x, null, nd.array(lengths))).toThrow(/useSequenceLength/);
        expect(() => layer.forward(x, null, nd.array([0, 1, 1, 1, 1]))).toThrow(/sequenceLength\[0\]/);
      });
    }
  }
});

describe('layer behaviour', () => {
  it('test_layer_bidirectional: fused bidirectional == forward net + backward net on flipped input', () => {
    for (const proj of [null, 3]) {
      resetNameCounters();
      const net = new rnn.LSTM(7, { bidirectional: true, prefix: 'lstm_', projectionSize: proj, inputSize: 5 });
      class RefBiLSTM extends HybridBlock {
        declare fwd: _RNNLayer;
        declare bwd: _RNNLayer;
        constructor() {
          super({ prefix: 'lstm_' });
          this.nameScope(() => {
            this.fwd = this.registerChild(
              new rnn.LSTM(7, { prefix: 'l0', projectionSize: proj, inputSize: 5 }),
              '_lstm_fwd',
            );
            this.bwd = this.registerChild(
              new rnn.LSTM(7, { prefix: 'r0', projectionSize: proj, inputSize: 5 }),
              '_lstm_bwd',
            );
          });
        }
        override forward(x: NDArray): NDArray {
          const f = this.fwd.forward(x) as NDArray;
          const b = nd.flip(this.bwd.forward(nd.flip(x, 0)) as NDArray, 0);
          return nd.concat(f, b, { dim: 2 });
        }
      }
      const ref = new RefBiLSTM();
      net.initialize(new mxinit.Uniform(0.5));
      ref.initialize();
      const refParams = ref.collectParams();
      for (const [k, p] of net.collectParams().entries()) {
        refParams.getByFullName(k.replace('l0', 'l0l0').replace('r0', 'r0l0')).setData(p.data());
      }
      const data = nd.random.uniform(0, 1, [11, 10, 5]);
      expectClose(net.forward(data) as NDArray, Array.from(ref.forward(data).data), 1e-5);
    }
  });

  it('return conventions and state shapes (run_rnn_layers)', () => {
    const x = nd.ones([8, 3, 20]);
    for (const [layer, states, outC] of [
      [new rnn.RNN(10, 2), null, 10],
      [new rnn.RNN(10, 2, { bidirectional: true }), [nd.ones([4, 3, 10])], 20],
      [new rnn.LSTM(10, 2), null, 10],
      [new rnn.LSTM(10, 2, { bidirectional: true }), [nd.ones([4, 3, 10]), nd.ones([4, 3, 10])], 20],
      [new rnn.GRU(10, 2, { dropout: 0.5 }), null, 10],
      [new rnn.GRU(10, 2, { bidirectional: true }), nd.ones([4, 3, 10]), 20],
    ] as const) {
      layer.initialize();
      const bare = layer.forward(x) as NDArray;
      expect(bare instanceof NDArray).toBe(true);
      expect(bare.shape).toEqual([8, 3, outC]);
      if (states !== null) {
        const r = layer.forward(x, states as NDArray | NDArray[]);
        expect(Array.isArray(r) && r.length === 2).toBe(true);
        layer.hybridize();
        const r2 = layer.forward(x, states as NDArray | NDArray[]) as [NDArray, NDArray[]];
        expect(r2[0].data).toEqual((r as [NDArray, NDArray[]])[0].data);
      }
    }
  });

  it("state shape validation uses MXNet's message", () => {
    const layer = new rnn.LSTM(10, { numLayers: 2 });
    layer.initialize();
    const x = nd.ones([5, 3, 4]);
    expect(() => layer.forward(x, [nd.zeros([1, 3, 10]), nd.zeros([2, 3, 10])])).toThrow(
      'Invalid recurrent state shape. Expecting (2, 3, 10), got (1, 3, 10).',
    );
    expect(() => layer.forward(x, [nd.zeros([2, 3, 10])])).toThrow(/expected 2 state/);
    const p = new rnn.LSTM(10, { numLayers: 2, projectionSize: 4, bidirectional: true });
    expect(p.stateInfo(3).map((i) => i.shape)).toEqual([
      [4, 3, 4],
      [4, 3, 10],
    ]);
  });

  it('test_layer_fill_shape and repr', () => {
    const layer = new rnn.LSTM(10);
    layer.hybridize();
    layer.initialize();
    expect(String(layer)).toBe('LSTM(None -> 10, TNC)');
    layer.forward(nd.ones([3, 2, 7]));
    expect(layer.l0_i2h_weight.shape[1]).toBe(7);
    expect(String(layer)).toBe('LSTM(7 -> 10, TNC)');
    expect(() => layer.forward(nd.ones([3, 2, 8]))).toThrow(/8 features/);
    expect(String(new rnn.GRU(10, { numLayers: 2, layout: 'NTC', dropout: 0.5, bidirectional: true }))).toBe(
      'GRU(None -> 10, NTC, num_layers=2, dropout=0.5, bidirectional)',
    );
    expect(String(new rnn.RNN(100, { activation: 'tanh', dropout: 0.2 }))).toBe('RNN(None -> 100, TNC, dropout=0.2)');
  });

  it('constructor options: positional and trailing object forms; invalid values throw', () => {
    const a = new rnn.GRU(100, 3);
    const b = new rnn.GRU(100, { numLayers: 3, layout: 'NTC' });
    expect(String(a)).toBe('GRU(None -> 100, TNC, num_layers=3)');
    expect(String(b)).toBe('GRU(None -> 100, NTC, num_layers=3)');
    expect(() => new rnn.GRU(100, { projectionSize: 3 } as never)).toThrow(/unknown option 'projectionSize'/);
    expect(() => new rnn.LSTM(10, { layout: 'NCT' } as never)).toThrow(
      "Invalid layout NCT; must be one of ['TNC' or 'NTC']",
    );
    expect(() => new rnn.LSTM(10, { stateClipMin: -1 })).toThrow(/both stateClipMin and stateClipMax/);
    expect(() => new rnn.RNN(10, { activation: 'sigmoid' } as never)).toThrow(/activation/);
    expect(() => new rnn.LSTM(10, { dtype: 'float16' } as never)).toThrow(/float32/);
    expect(() => new rnn.LSTM(10).cast('float16')).toThrow(/float32/);
  });

  it('LSTM state clipping (cuDNN semantics): returned c stays within bounds, no NaN', () => {
    const layer = new rnn.LSTM(16, {
      projectionSize: 4,
      inputSize: 5,
      bidirectional: true,
      stateClipMin: -0.5,
      stateClipMax: 0.5,
      stateClipNan: true,
    });
    layer.initialize(new mxinit.Uniform(2));
    const x = nd.random.uniform(-3, 3, [20, 4, 5]);
    const [, [h, c]] = layer.forward(x, [nd.random.uniform(0, 1, [2, 4, 4]), nd.random.uniform(0, 1, [2, 4, 16])]) as [
      NDArray,
      NDArray[],
    ];
    expect(h?.shape).toEqual([2, 4, 4]);
    expect(Array.from((c as NDArray).data).every((v) => v >= -0.5 && v <= 0.5)).toBe(true);
    expect(() => layer._unfuse()).toThrow(/projection/);
  });

  it('fused output agrees with the float64 reference for random weights (multi-layer, projection)', () => {
    const layer = new rnn.LSTM(6, { numLayers: 3, bidirectional: true, projectionSize: 4, layout: 'NTC' });
    layer.initialize(new mxinit.Xavier());
    const x = nd.random.uniform(-1, 1, [3, 7, 5]);
    const o = layer.forward(x) as NDArray;
    const params = [...layer.collectParams().values()];
    const groups: Float32Array[][] = [];
    for (let i = 0; i < params.length; i += 5) groups.push(params.slice(i, i + 5).map((p) => p.data().data));
    const r = refFused(
      { mode: 'lstm', hidden: 6, numLayers: 3, bidirectional: true, inputSize: 5, projection: 4, clip: null },
      groups,
      x.data,
      'NTC',
      7,
      3,
      null,
      null,
      null,
    );
    expectClose(o, Array.from(r.out), 1e-5);
  });
});

describe('docs/design/api.md seed example LSTM(100, 3) (fixture api_lstm100x3)', () => {
  it('shapes, begin states and MXNet outputs for the same weights', async () => {
    const f = fixture('api_lstm100x3');
    const layer = new rnn.LSTM(100, 3);
    layer.initialize();
    expect(String(layer)).toBe('LSTM(None -> 100, TNC, num_layers=3)');
    const input = nd.random.uniform(0, 1, [5, 3, 10]);
    const output = layer.forward(input) as NDArray;
    expect(output.shape).toEqual([5, 3, 100]);
    const h0 = nd.random.uniform(0, 1, [3, 3, 100]);
    const c0 = nd.random.uniform(0, 1, [3, 3, 100]);
    const [out2, [hn, cn]] = layer.forward(input, [h0, c0]) as [NDArray, NDArray[]];
    expect(out2.shape).toEqual([5, 3, 100]);
    expect(hn?.shape).toEqual([3, 3, 100]);
    expect(cn?.shape).toEqual([3, 3, 100]);
    // MXNet's outputs for MXNet's weights (bin/api_lstm100x3.params, structural keys).
    const { load } = await import('../../ts/io/nd_io.js');
    const { fixtureBytes } = await import('./helpers.js');
    const loaded = load(fixtureBytes(f.params_file as string)) as Record<string, NDArray>;
    layer._loadParameterDict(new Map(Object.entries(loaded)), { source: f.params_file as string });
    const x =
      input === undefined
        ? null
        : nd.array(
            Float32Array.from((f.inputs.x as { data: number[] }).data),
            (f.inputs.x as { shape: number[] }).shape,
          );
    expectClose(layer.forward(x as NDArray) as NDArray, out(f, 'out_no_states'), 1e-5, 'out_no_states');
    const [o, s] = layer.forward(x as NDArray, [
      nd.array(Float32Array.from((f.inputs.h0 as { data: number[] }).data), [3, 3, 100]),
      nd.array(Float32Array.from((f.inputs.c0 as { data: number[] }).data), [3, 3, 100]),
    ]) as [NDArray, NDArray[]];
    expectClose(o, out(f, 'out'), 1e-5, 'out');
    expectCloseList(s, outList(f, 'states'), 1e-5, 'states');
    expect(String(layer)).toBe(f.repr);
  });
});
