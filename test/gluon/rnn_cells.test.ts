// Recurrent cells against MXNet 1.9.1 fixtures (test/fixtures/mxnet/cell_*, bidirectional_*,
// residual_gru, zoneout_dropout_stack, hybridsequential_*), spec §7 and §12 anchors, and the
// cell tests of test_gluon_rnn.py (names, shapes, residual goldens, fill_shape, unroll layouts).

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rnn } from '../../ts/gluon/index.js';
import type { RecurrentCell } from '../../ts/gluon/rnn/base_cell.js';
import { ready } from '../../ts/index.js';
import * as mxinit from '../../ts/init/index.js';
import { resetNameCounters } from '../../ts/name.js';
import * as nd from '../../ts/ndarray/index.js';
import { NDArray } from '../../ts/ndarray/ndarray.js';
import {
  checkMerges,
  checkSeq,
  expectClose,
  expectCloseList,
  type Fixture,
  fixture,
  input,
  inputList,
  out,
  outList,
  setParams,
} from './helpers.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

const CELLS: Record<string, () => RecurrentCell> = {
  rnn_tanh: () => new rnn.RNNCell(4),
  rnn_relu: () => new rnn.RNNCell(4, { activation: 'relu' }),
  lstm: () => new rnn.LSTMCell(4),
  gru: () => new rnn.GRUCell(4),
};

function checkFixtureNames(cell: RecurrentCell, f: Fixture): void {
  expect(cell.prefix).toBe(f.prefix);
  expect([...cell.collectParams().keys()]).toEqual(f.names);
  if (f.structural) expect([...cell._collectParamsWithPrefix().keys()]).toEqual(f.structural);
  if (f.repr_before_forward) expect(String(cell)).toBe(f.repr_before_forward);
}

/** A cell fixture's begin states: s0 (and s1 for the LSTM). */
function fixtureStates(f: Fixture, kind: string): NDArray[] {
  return kind === 'lstm' ? [input(f, 's0'), input(f, 's1')] : [input(f, 's0')];
}

/** `count` random (N, C) steps of uniform(0, 1), as the test_gluon_rnn.py shape tests use. */
function randomSteps(count: number, shape: number[]): NDArray[] {
  return Array.from({ length: count }, () => nd.random.uniform(0, 1, shape));
}

function expectStepShapes(outs: NDArray | NDArray[], count: number, shape: number[]): void {
  expect((outs as NDArray[]).map((o) => o.shape)).toEqual(Array.from({ length: count }, () => shape));
}

/** A cell's four parameter names under `prefix`, sorted. */
function cellParamNames(prefix: string): string[] {
  return ['h2h_bias', 'h2h_weight', 'i2h_bias', 'i2h_weight'].map((n) => prefix + n);
}

describe('cell step (fixtures cell_step_*)', () => {
  for (const kind of Object.keys(CELLS)) {
    it(`${kind}: cell(x, states) and cell(x, beginState(N)) match MXNet`, () => {
      const f = fixture(`cell_step_${kind}`);
      const cell = (CELLS[kind] as () => RecurrentCell)();
      checkFixtureNames(cell, f);
      cell.initialize();
      setParams(cell, f);
      const x = input(f, 'x');
      const [o, s] = cell.forward(x, fixtureStates(f, kind));
      expectClose(o, out(f, 'out'), 1e-5, 'out');
      expectCloseList(s, outList(f, 'states'), 1e-5, 'states');
      const [oz, sz] = cell.forward(x, cell.beginState(x.shape[0] as number));
      expectClose(oz, out(f, 'out_zero'), 1e-5, 'out_zero');
      expectCloseList(sz, outList(f, 'states_zero'), 1e-5, 'states_zero');
      expect(cell.stateInfo(3)).toEqual(f.state_info);
      expect(String(cell)).toBe(f.repr);
    });
  }
});

describe('cell unroll (fixtures cell_unroll_*)', () => {
  for (const kind of Object.keys(CELLS)) {
    for (const layout of ['NTC', 'TNC'] as const) {
      for (const vl of ['', '_vl']) {
        it(`${kind} ${layout}${vl}: mergeOutputs true/false/null and defaults`, () => {
          const f = fixture(`cell_unroll_${kind}_${layout}${vl}`);
          const cell = (CELLS[kind] as () => RecurrentCell)();
          cell.initialize();
          setParams(cell, f);
          const x = input(f, 'x');
          const begin = fixtureStates(f, kind);
          const validLength = vl ? input(f, 'valid_length') : null;
          checkMerges(f, (m) => cell.unroll(4, x, { beginState: begin, layout, mergeOutputs: m, validLength }));
          const [outs, states] = cell.unroll(4, x, { layout, validLength });
          checkSeq(outs, f, 'outputs_default');
          expectCloseList(states, outList(f, 'states_default'), 1e-5, 'states_default');
        });
      }
    }
  }
});

describe('containers (fixtures)', () => {
  for (const vl of ['', '_vl']) {
    it(`hybridsequential_2lstm_unroll${vl}: unroll and one step`, () => {
      const f = fixture(`hybridsequential_2lstm_unroll${vl}`);
      const net = new rnn.HybridSequentialRNNCell();
      net.nameScope(() => {
        net.add(new rnn.LSTMCell(4));
        net.add(new rnn.LSTMCell(3));
      });
      checkFixtureNames(net, f);
      net.initialize();
      setParams(net, f);
      const x = input(f, 'x');
      const begin = inputList(f, 'begin_state');
      const validLength = vl ? input(f, 'valid_length') : null;
      checkMerges(f, (m) => net.unroll(4, x, { beginState: begin, layout: 'NTC', mergeOutputs: m, validLength }));
      const [so, ss] = net.forward(x.swapaxes(0, 1).get(0), begin);
      expectClose(so, out(f, 'step_out'), 1e-5, 'step_out');
      expectCloseList(ss, outList(f, 'step_states'), 1e-5, 'step_states');
      expect(String(net)).toBe(f.repr);
    });
  }

  for (const layout of ['NTC', 'TNC'] as const) {
    for (const vl of ['', '_vl']) {
      it(`bidirectional_lstm_${layout}${vl}`, () => {
        const f = fixture(`bidirectional_lstm_${layout}${vl}`);
        const cell = new rnn.BidirectionalCell(
          new rnn.LSTMCell(3, { prefix: 'l0_' }),
          new rnn.LSTMCell(3, { prefix: 'r0_' }),
        );
        checkFixtureNames(cell, f);
        cell.initialize();
        setParams(cell, f);
        const x = input(f, 'x');
        const begin = inputList(f, 'begin_state');
        const validLength = vl ? input(f, 'valid_length') : null;
        checkMerges(f, (m) => cell.unroll(4, x, { beginState: begin, layout, mergeOutputs: m, validLength }));
        expect(String(cell)).toBe(f.repr);
        expect(() => cell.forward(x, begin)).toThrow('Bidirectional cannot be stepped. Please use unroll');
      });
    }
  }

  it('residual_gru: step and unroll with/without valid_length', () => {
    const f = fixture('residual_gru');
    const cell = new rnn.ResidualCell(new rnn.GRUCell(4));
    checkFixtureNames(cell, f);
    cell.initialize();
    setParams(cell, f);
    const x = input(f, 'x');
    const s0 = input(f, 's0');
    const [so, ss] = cell.forward(x.swapaxes(0, 1).get(0), [s0]);
    expectClose(so, out(f, 'step_out'), 1e-5, 'step_out');
    expectCloseList(ss, outList(f, 'step_states'), 1e-5, 'step_states');
    for (const vl of ['', '_vl']) {
      const validLength = vl ? input(f, 'valid_length') : null;
      checkMerges(f, (m) => cell.unroll(3, x, { beginState: [s0], mergeOutputs: m, validLength }), vl);
    }
    expect(String(cell)).toBe(f.repr);
  });

  it('zoneout_dropout_stack: zoneout and dropout are identity at inference', () => {
    const f = fixture('zoneout_dropout_stack');
    const net = new rnn.SequentialRNNCell();
    net.nameScope(() => {
      net.add(new rnn.ZoneoutCell(new rnn.LSTMCell(3), { zoneoutOutputs: 0.5, zoneoutStates: 0.5 }));
      net.add(new rnn.DropoutCell(0.5));
      net.add(new rnn.LSTMCell(2));
    });
    checkFixtureNames(net, f);
    net.initialize();
    setParams(net, f);
    const x = input(f, 'x');
    checkMerges(f, (m) => net.unroll(3, x, { mergeOutputs: m }));
    const [zo, zs] = net.get(0).unroll(3, x, { mergeOutputs: true });
    expectClose(zo as NDArray, out(f, 'zoneout_outputs'), 1e-5, 'zoneout_outputs');
    expectCloseList(zs, outList(f, 'zoneout_states'), 1e-5, 'zoneout_states');
    const [dout, dstates] = net.get(1).unroll(3, x, { mergeOutputs: true });
    expectClose(dout as NDArray, out(f, 'dropout_outputs'), 1e-5, 'dropout_outputs');
    expect(dstates).toEqual([]);
    expect(String(net)).toBe(f.repr);
  });
});

describe('spec §7 worked example (fixture bidirectional_relu_ones_spec7)', () => {
  it('relu RNNCell with unit weights, valid_length [2, 3]', () => {
    const f = fixture('bidirectional_relu_ones_spec7');
    const net = new rnn.BidirectionalCell(
      new rnn.RNNCell(1, { activation: 'relu', inputSize: 1, prefix: 'a_' }),
      new rnn.RNNCell(1, { activation: 'relu', inputSize: 1, prefix: 'b_' }),
    );
    expect([...net.collectParams().keys()]).toEqual(f.names);
    net.initialize(new mxinit.One());
    const x = input(f, 'x');
    const vl = input(f, 'valid_length');
    const [o, s] = net.unroll(3, x, { validLength: vl, mergeOutputs: true });
    expectClose(o as NDArray, out(f, 'out'), 0);
    expectCloseList(s, outList(f, 'states'), 0);
    const [lo, ls] = (net._children.get('l_cell') as RecurrentCell).unroll(3, x, {
      validLength: vl,
      mergeOutputs: true,
    });
    expectClose(lo as NDArray, out(f, 'l_out'), 0);
    expectCloseList(ls, outList(f, 'l_states'), 0);
    expect((o as NDArray).toArray()).toEqual([
      [
        [1, 3],
        [3, 2],
        [0, 0],
      ],
      [
        [1, 6],
        [3, 5],
        [6, 3],
      ],
    ]);
  });
});

describe('test_gluon_rnn.py cell tests (inference ports)', () => {
  for (const [name, make, n] of [
    ['test_rnn', () => new rnn.RNNCell(100, { prefix: 'rnn_' }), 100],
    ['test_lstm', () => new rnn.LSTMCell(100, { prefix: 'rnn_' }), 100],
    ['test_gru', () => new rnn.GRUCell(100, { prefix: 'rnn_' }), 100],
  ] as const) {
    it(`${name}: names and unroll shapes`, () => {
      const cell = make();
      expect([...cell.collectParams().keys()].sort()).toEqual(cellParamNames('rnn_'));
      cell.initialize();
      const [outs] = cell.unroll(3, randomSteps(3, [10, 50]));
      expectStepShapes(outs, 3, [10, n]);
    });
  }

  it('test_residual: zero-weight GRUCell + input = ones', () => {
    const cell = new rnn.ResidualCell(new rnn.GRUCell(50, { prefix: 'rnn_' }));
    expect([...cell.collectParams().keys()].sort()).toEqual(cellParamNames('rnn_'));
    cell.initialize(new mxinit.Zero());
    const [outs] = cell.unroll(2, [nd.ones([10, 50]), nd.ones([10, 50])], { mergeOutputs: false });
    for (const o of outs as NDArray[]) expect(Array.from(o.data).every((v) => v === 1)).toBe(true);
  });

  it('test_residual_bidirectional: outputs 6 * ones', () => {
    const cell = new rnn.ResidualCell(
      new rnn.BidirectionalCell(new rnn.GRUCell(25, { prefix: 'rnn_l_' }), new rnn.GRUCell(25, { prefix: 'rnn_r_' })),
    );
    expect([...cell.collectParams().keys()].sort()).toEqual([...cellParamNames('rnn_l_'), ...cellParamNames('rnn_r_')]);
    cell.initialize(new mxinit.Zero());
    const x = nd.add(nd.ones([10, 50]), 5);
    const [outs] = cell.unroll(2, [x, x], { mergeOutputs: false });
    expectStepShapes(outs, 2, [10, 50]);
    for (const o of outs as NDArray[]) expect(Array.from(o.data).every((v) => v === 6)).toBe(true);
  });

  it('test_stack / test_hybridstack: names and shapes, bidirectional over stacks', () => {
    const cell = new rnn.SequentialRNNCell();
    for (let i = 0; i < 5; i++) {
      if (i === 1) cell.add(new rnn.ResidualCell(new rnn.LSTMCell(100, { prefix: `rnn_stack${i}_` })));
      else cell.add(new rnn.LSTMCell(100, { prefix: `rnn_stack${i}_` }));
    }
    const keys = [...cell.collectParams().keys()];
    for (let i = 0; i < 5; i++)
      for (const s of ['h2h_weight', 'h2h_bias', 'i2h_weight', 'i2h_bias'])
        expect(keys).toContain(`rnn_stack${i}_${s}`);
    cell.initialize();
    const [outs] = cell.unroll(3, randomSteps(3, [10, 50]));
    expectStepShapes(outs, 3, [10, 100]);

    const stack = (p: string) => {
      const s = new rnn.HybridSequentialRNNCell({ prefix: p });
      s.nameScope(() => {
        s.add(new rnn.LSTMCell(100));
        s.add(new rnn.LSTMCell(100));
      });
      return s;
    };
    const bi = new rnn.BidirectionalCell(stack('l_'), stack('r_'));
    bi.initialize();
    const [o] = bi.unroll(3, nd.random.uniform(0, 1, [10, 3, 100]), { layout: 'NTC', mergeOutputs: true });
    expect((o as NDArray).shape).toEqual([10, 3, 200]);
  });

  it('test_bidirectional: shapes', () => {
    const cell = new rnn.BidirectionalCell(
      new rnn.LSTMCell(100, { prefix: 'rnn_l0_' }),
      new rnn.LSTMCell(100, { prefix: 'rnn_r0_' }),
      'rnn_bi_',
    );
    cell.initialize();
    const [outs] = cell.unroll(3, randomSteps(3, [10, 50]));
    expectStepShapes(outs, 3, [10, 200]);
  });

  it('test_zoneout: shapes, and equal to the base cell at inference', () => {
    const base = new rnn.RNNCell(100, { prefix: 'rnn_' });
    const cell = new rnn.ZoneoutCell(base, { zoneoutOutputs: 0.5, zoneoutStates: 0.5 });
    cell.initialize();
    const inputs = randomSteps(3, [10, 50]);
    const [outs] = cell.unroll(3, inputs);
    expectStepShapes(outs, 3, [10, 100]);
    base._modified = false;
    const [ref] = base.unroll(3, inputs);
    base._modified = true;
    (outs as NDArray[]).forEach((o, i) => {
      expect(o.data).toEqual((ref as NDArray[])[i]?.data);
    });
    expect(() => base.beginState(10)).toThrow(/modifier cells/);
    expect(() => new rnn.ZoneoutCell(base)).toThrow(/already modified/);
  });

  it('test_unroll_layout: list inputs give per-step outputs for both layouts', () => {
    const cell = new rnn.HybridSequentialRNNCell();
    for (let i = 0; i < 5; i++) cell.add(i === 1 ? new rnn.ResidualCell(new rnn.LSTMCell(100)) : new rnn.LSTMCell(100));
    cell.initialize();
    const inputs = randomSteps(3, [10, 50]);
    for (const layout of ['TNC', 'NTC'] as const) {
      const [outs] = cell.unroll(3, inputs, { layout });
      expectStepShapes(outs, 3, [10, 100]);
    }
  });

  it('test_rnn_cells: merged outputs equal the stacked per-step outputs; hybridize changes nothing', () => {
    for (const make of [
      () => new rnn.LSTMCell(100, { inputSize: 200 }),
      () => new rnn.RNNCell(100, { inputSize: 200 }),
      () => new rnn.GRUCell(100, { inputSize: 200 }),
    ]) {
      const cell = make();
      cell.initialize();
      const x = nd.random.uniform(0, 1, [8, 3, 200]);
      const [a] = cell.unroll(3, x, { mergeOutputs: false });
      const [b] = cell.unroll(3, x, { mergeOutputs: true });
      cell.hybridize();
      const [c] = cell.unroll(3, x, { mergeOutputs: true });
      expect(nd.stack(a as NDArray[], { axis: 1 }).data).toEqual((b as NDArray).data);
      expect((c as NDArray).data).toEqual((b as NDArray).data);
    }
  });

  it('test_cell_fill_shape: the input size is inferred on the first call', () => {
    const cell = new rnn.LSTMCell(10);
    cell.hybridize();
    cell.initialize();
    expect(String(cell)).toBe('LSTMCell(None -> 40)');
    cell.unroll(3, nd.ones([2, 3, 7]));
    expect(cell.i2h_weight.shape[1]).toBe(7);
    expect(String(cell)).toBe('LSTMCell(7 -> 40)');
  });

  it('test_bidirectional_unroll_valid_length: T = 1 and 3', () => {
    for (const T of [1, 3]) {
      const cell = new rnn.BidirectionalCell(
        new rnn.LSTMCell(100, { prefix: 'rnn_l0_' }),
        new rnn.LSTMCell(100, { prefix: 'rnn_r0_' }),
        'lstm_bi_',
      );
      cell.initialize();
      const [o] = cell.unroll(T, nd.random.uniform(-1, 1, [10, T, 50]), {
        validLength: nd.full([10], T),
        layout: 'NTC',
        mergeOutputs: true,
      });
      expect((o as NDArray).shape).toEqual([10, T, 200]);
    }
  });

  it('test_rnn_unroll_variant_length: each sample equals a separate run of its valid prefix', () => {
    const lengths = [3, 10, 5, 6];
    const makers: [string, () => RecurrentCell][] = [
      ['RNNCell', () => new rnn.RNNCell(20)],
      ['LSTMCell', () => new rnn.LSTMCell(20)],
      ['GRUCell', () => new rnn.GRUCell(20)],
      ['Bidirectional', () => new rnn.BidirectionalCell(new rnn.LSTMCell(20), new rnn.LSTMCell(20))],
      [
        'Residual stack',
        () => {
          const s = new rnn.SequentialRNNCell();
          s.add(new rnn.ResidualCell(new rnn.RNNCell(20)));
          s.add(new rnn.ResidualCell(new rnn.RNNCell(20)));
          return s;
        },
      ],
    ];
    for (const [name, make] of makers) {
      const cell = make();
      cell.initialize();
      const data = nd.random.uniform(-1, 1, [4, 10, 20]);
      const vl = nd.array(lengths);
      const [outsNTC, statesNTC] = cell.unroll(10, data, { validLength: vl, layout: 'NTC', mergeOutputs: true });
      const [outsTNC] = cell.unroll(10, data.swapaxes(0, 1), { validLength: vl, layout: 'TNC' });
      expect(outsTNC instanceof NDArray, `${name}: mergeOutputs null with validLength gives a tensor`).toBe(true);
      expectClose((outsTNC as NDArray).swapaxes(0, 1), Array.from((outsNTC as NDArray).data), 1e-6, name);
      lengths.forEach((len, i) => {
        const [ref, refStates] = cell.unroll(len, data.sliceAxis(0, i, i + 1).sliceAxis(1, 0, len), {
          layout: 'NTC',
          mergeOutputs: true,
        });
        const mine = (outsNTC as NDArray).sliceAxis(0, i, i + 1);
        expectClose(mine.sliceAxis(1, 0, len), Array.from((ref as NDArray).data), 1e-4, `${name} sample ${i}`);
        expect(
          Array.from(mine.sliceAxis(1, len, 10).data).every((v) => v === 0),
          `${name} padding ${i}`,
        ).toBe(true);
        statesNTC.forEach((s, j) => {
          expectClose(s.sliceAxis(0, i, i + 1), Array.from((refStates[j] as NDArray).data), 1e-4, `${name} state ${j}`);
        });
      });
    }
  });

  it('test_lstm_forget_bias: LSTMBias sets the forget slice of i2h_bias', () => {
    const stack = new rnn.SequentialRNNCell();
    stack.add(new rnn.LSTMCell(100, { i2hBiasInitializer: new mxinit.LSTMBias(2.0), prefix: 'l0_' }));
    stack.add(new rnn.LSTMCell(100, { i2hBiasInitializer: new mxinit.LSTMBias(2.0), prefix: 'l1_' }));
    stack.initialize();
    const b = stack.collectParams().get('l0_i2h_bias').data().toArray() as number[];
    expect(b).toEqual([...Array(100).fill(0), ...Array(100).fill(2), ...Array(200).fill(0)]);
  });

  it('LSTMCell with activations given as functions runs on nd operators and equals the kernel', () => {
    const a = new rnn.LSTMCell(6, { inputSize: 5, prefix: 'a_' });
    const b = new rnn.LSTMCell(6, { inputSize: 5, prefix: 'b_', recurrentActivation: (x: NDArray) => nd.sigmoid(x) });
    a.initialize(new mxinit.Uniform(0.5));
    b.initialize();
    for (const n of ['i2h_weight', 'h2h_weight', 'i2h_bias', 'h2h_bias'] as const) b[n].setData(a[n].data());
    const x = nd.random.uniform(-1, 1, [3, 4, 5]);
    const [oa, sa] = a.unroll(4, x, { mergeOutputs: true });
    const [ob, sb] = b.unroll(4, x, { mergeOutputs: true });
    expectClose(ob as NDArray, Array.from((oa as NDArray).data), 1e-5);
    sb.forEach((s, i) => {
      expectClose(s, Array.from((sa[i] as NDArray).data), 1e-5);
    });
    const c = new rnn.LSTMCell(6, { inputSize: 5, activation: 'softsign', recurrentActivation: 'sigmoid' });
    c.initialize();
    expect((c.unroll(4, x, { mergeOutputs: true })[0] as NDArray).shape).toEqual([3, 4, 6]);
  });

  it('errors: wrong state count and shape, unroll length mismatch, modifier twice', () => {
    const cell = new rnn.LSTMCell(4, { inputSize: 3 });
    cell.initialize();
    expect(() => cell.forward(nd.ones([2, 3]), [nd.zeros([2, 4])])).toThrow(/expected 2 state/);
    expect(() => cell.forward(nd.ones([2, 3]), [nd.zeros([2, 5]), nd.zeros([2, 4])])).toThrow(/shape \(2, 4\)/);
    expect(() => cell.unroll(5, nd.ones([2, 3, 3]), { mergeOutputs: false })).toThrow(/length is 5/);
    expect(() => cell.unroll(3, nd.ones([2, 3, 3]), { validLength: nd.array([0, 3]) })).toThrow(/validLength\[0\]/);
    expect(() => new rnn.LSTMCell(4, { hidden_size: 3 } as never)).toThrow(
      /unknown option 'hidden_size' \(did you mean 'hiddenSize'\?\)/,
    );
  });
});

describe('docs/design/api.md seed example: SequentialRNNCell of two LSTMCells', () => {
  it('beginState, one step, unroll with validLength', () => {
    const input = nd.random.uniform(0, 1, [5, 3, 10]);
    const cell = new rnn.SequentialRNNCell();
    cell.nameScope(() => {
      cell.add(new rnn.LSTMCell(20));
      cell.add(new rnn.LSTMCell(20));
    });
    cell.initialize();
    // docs/design/api.md writes beginState(32) with a batch of 3 inputs; MXNet rejects that mismatch as
    // well, so the step uses the batch size of the input.
    const states = cell.beginState(3);
    expect(states.map((s) => s.shape)).toEqual([
      [3, 20],
      [3, 20],
      [3, 20],
      [3, 20],
    ]);
    expect(cell.beginState(32)[0]?.shape).toEqual([32, 20]);
    const [o, s] = cell.forward(input.get(0), states);
    expect(o.shape).toEqual([3, 20]);
    expect(s.length).toBe(4);
    const [outputs, last] = cell.unroll(5, input, {
      layout: 'TNC',
      mergeOutputs: true,
      validLength: nd.array([5, 3, 2]),
    });
    expect((outputs as NDArray).shape).toEqual([5, 3, 20]);
    expect(last.map((x) => x.shape)).toEqual([
      [3, 20],
      [3, 20],
      [3, 20],
      [3, 20],
    ]);
    expect(Array.from((outputs as NDArray).get(4).get(2).data).every((v) => v === 0)).toBe(true);
    expect(() => cell.forward(input.get(0), cell.beginState(32))).toThrow(/shape \(3, 20\)/);
  });
});
