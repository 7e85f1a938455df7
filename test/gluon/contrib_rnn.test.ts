// mx.gluon.contrib.rnn against MXNet 1.9.1: LSTMPCell (fixtures contrib_lstmp_*, the fused LSTM
// layer with projectionSize, test_gluon_contrib.py's test_lstmp) and VariationalDropoutCell at
// inference (fixtures contrib_vardrop_*).

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contrib, rnn } from '../../ts/gluon/index.js';
import { ready } from '../../ts/index.js';
import * as mxinit from '../../ts/init/index.js';
import { resetNameCounters } from '../../ts/name.js';
import * as nd from '../../ts/ndarray/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { checkMerges, expectClose, expectCloseList, fixture, input, out, outList, setParams } from './helpers.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

describe('contrib.rnn.LSTMPCell', () => {
  it('one step with given states and with beginState matches MXNet (contrib_lstmp_step)', () => {
    const f = fixture('contrib_lstmp_step');
    const cell = new contrib.rnn.LSTMPCell(4, 3);
    expect(cell.prefix).toBe(f.prefix);
    expect([...cell.collectParams().keys()]).toEqual(f.names);
    expect([...cell._collectParamsWithPrefix().keys()]).toEqual(f.structural);
    expect(String(cell)).toBe(f.repr_before_forward);
    cell.initialize();
    setParams(cell, f);
    const x = input(f, 'x');
    const [o, s] = cell.forward(x, [input(f, 's0'), input(f, 's1')]);
    expectClose(o, out(f, 'out'), 1e-5, 'out');
    expectCloseList(s, outList(f, 'states'), 1e-5, 'states');
    expect(s[0]).toBe(o); // Python returns next_r, [next_r, next_c]
    const [oz, sz] = cell.forward(x, cell.beginState(3));
    expectClose(oz, out(f, 'out_zero'), 1e-5, 'out_zero');
    expectCloseList(sz, outList(f, 'states_zero'), 1e-5, 'states_zero');
    expect(cell.stateInfo(3)).toEqual(f.state_info);
    expect(String(cell)).toBe(f.repr);
  });

  for (const layout of ['NTC', 'TNC'] as const) {
    for (const vl of ['', '_vl']) {
      it(`unroll ${layout}${vl}, mergeOutputs true/false/null (contrib_lstmp_unroll_${layout}${vl})`, () => {
        const f = fixture(`contrib_lstmp_unroll_${layout}${vl}`);
        const cell = new contrib.rnn.LSTMPCell(4, 3);
        cell.initialize();
        setParams(cell, f);
        const x = input(f, 'x');
        const beginState = [input(f, 's0'), input(f, 's1')];
        const validLength = vl ? input(f, 'valid_length') : null;
        checkMerges(f, (m) => cell.unroll(4, x, { beginState, layout, mergeOutputs: m, validLength }));
      });
    }
  }

  it('test_lstmp: sorted names and unroll(3) shapes (contrib_lstmp_test_lstmp)', () => {
    const f = fixture('contrib_lstmp_test_lstmp');
    const cell = new contrib.rnn.LSTMPCell(100, 64, { prefix: 'rnn_' });
    expect([...cell.collectParams().keys()].sort()).toEqual(f.names);
    cell.initialize();
    const [outs] = cell.unroll(
      3,
      Array.from({ length: 3 }, () => nd.ones([10, 50])),
    );
    expect((outs as NDArray[]).map((o) => o.shape)).toEqual(f.outputs.output_shapes);
    expect(String(cell)).toBe(f.repr);
  });

  it('equals the fused LSTM layer with projectionSize, weight for weight', () => {
    const [H, P, C, T, N] = [6, 4, 5, 7, 3];
    const layer = new rnn.LSTM(H, { inputSize: C, projectionSize: P, prefix: 'l_' });
    const cell = new contrib.rnn.LSTMPCell(H, P, { inputSize: C, prefix: 'c_' });
    layer.initialize(new mxinit.Uniform(0.4));
    cell.initialize();
    for (const n of ['i2h_weight', 'h2h_weight', 'h2r_weight', 'i2h_bias', 'h2h_bias']) {
      cell
        .collectParams()
        .get(`c_${n}`)
        .setData(layer.collectParams().get(`l_l0_${n}`).data());
    }
    const x = nd.random.uniform(-1, 1, [T, N, C]);
    const r0 = nd.random.uniform(-1, 1, [1, N, P]);
    const c0 = nd.random.uniform(-1, 1, [1, N, H]);
    const [y, [rT, cT]] = layer.forward(x, [r0, c0]) as [NDArray, NDArray[]];
    const [outs, states] = cell.unroll(T, x, {
      layout: 'TNC',
      mergeOutputs: true,
      beginState: [r0.reshape([N, P]), c0.reshape([N, H])],
    });
    expect(Array.from((outs as NDArray).data)).toEqual(Array.from(y.data));
    expect(Array.from((states[0] as NDArray).data)).toEqual(Array.from((rT as NDArray).data));
    expect(Array.from((states[1] as NDArray).data)).toEqual(Array.from((cT as NDArray).data));
  });

  it('rejects bad sizes and states by name', () => {
    expect(() => new contrib.rnn.LSTMPCell(...([4] as unknown as [number, number]))).toThrow(/projectionSize/);
    expect(() => new contrib.rnn.LSTMPCell(4, 0)).toThrow(/projectionSize must be a positive integer, got 0/);
    const cell = new contrib.rnn.LSTMPCell(4, 3, { inputSize: 5 });
    cell.initialize();
    const x = nd.ones([2, 5]);
    expect(() => cell.forward(x, [nd.ones([2, 4]), nd.ones([2, 4])])).toThrow(
      /LSTMPCell: state 0 must have shape \(2, 3\), got \(2, 4\)/,
    );
    expect(() => cell.forward(x, [nd.ones([2, 3])])).toThrow(/expected 2 states, got 1/);
    expect(() => cell.forward(nd.ones([2, 6]), cell.beginState(2))).toThrow(
      /5 features per sample, got shape \(2, 6\)/,
    );
  });
});

describe('contrib.rnn.VariationalDropoutCell (inference)', () => {
  const CASES = {
    contrib_vardrop_states: () =>
      new contrib.rnn.VariationalDropoutCell(new rnn.LSTMCell(4), {
        dropInputs: 0.5,
        dropStates: 0.5,
        dropOutputs: 0.5,
      }),
    contrib_vardrop_nostates: () =>
      new contrib.rnn.VariationalDropoutCell(new rnn.GRUCell(4), { dropInputs: 0.3, dropOutputs: 0.2 }),
  };
  for (const [name, make] of Object.entries(CASES)) {
    it(`${name}: names, repr, a step and unrolls with validLength match MXNet`, () => {
      const f = fixture(name);
      const cell = make();
      expect(cell.prefix).toBe(f.prefix);
      expect(String(cell)).toBe(f.repr_before_forward);
      cell.initialize();
      setParams(cell, f);
      expect([...cell.collectParams().keys()]).toEqual(f.names);
      const x = input(f, 'x');
      const begin = name.endsWith('_states') ? [input(f, 's0'), input(f, 's1')] : [input(f, 's0')];
      const [o, s] = cell.forward(x.get(0), begin);
      expectClose(o, out(f, 'step_out'), 1e-5, 'step_out');
      expectCloseList(s, outList(f, 'step_states'), 1e-5, 'step_states');
      const validLength = input(f, 'valid_length');
      checkMerges(f, (m) => cell.unroll(4, x, { beginState: begin, layout: 'TNC', mergeOutputs: m, validLength }));
      expect(String(cell)).toBe(f.repr);
    });
  }

  it('refuses state dropout on bidirectional and sequential cells, and bad rates, by name', () => {
    const bi = new rnn.BidirectionalCell(new rnn.LSTMCell(3), new rnn.LSTMCell(3));
    expect(() => new contrib.rnn.VariationalDropoutCell(bi, { dropStates: 0.5 })).toThrow(/variational state dropout/);
    const seq = new rnn.SequentialRNNCell();
    expect(() => new contrib.rnn.VariationalDropoutCell(seq, 0, 0.5)).toThrow(/cannot wrap a SequentialRNNCell/);
    expect(() => new contrib.rnn.VariationalDropoutCell(new rnn.GRUCell(3), { dropOutputs: 1.5 })).toThrow(
      /dropOutputs must be a rate in \[0, 1\], got 1.5/,
    );
    // Without state dropout both wrap fine (MXNet's asserts only concern dropStates).
    expect(String(new contrib.rnn.VariationalDropoutCell(bi, 0.1))).toBe(
      'VariationalDropoutCell(p_out = 0.0, p_state = 0.0)',
    );
  });
});
