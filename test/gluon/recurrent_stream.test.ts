// layer.stream() and cell.stream(): token by token through a fused layer or a basic cell.
// Against MXNet 1.9.1 (fixtures fused_{rnn_relu,rnn_tanh,lstm,gru}_l2_uni_{TNC,NTC},
// fused_lstmp_l2_uni_TNC and cell_unroll_{rnn_relu,rnn_tanh,lstm,gru}_TNC: the whole sequence
// from its begin states, stepped one token at a time), bitwise against `forward` with one step
// and the states fed back, and the errors and failed calls that must leave a stream as it was.

import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as autograd from '../../ts/autograd/index.js';
import { rnn } from '../../ts/gluon/index.js';
import type { RecurrentStreamOptions } from '../../ts/gluon/rnn/recurrent_stream.js';
import type { _RNNLayer } from '../../ts/gluon/rnn/rnn_layer.js';
import mx, { ready } from '../../ts/index.js';
import { resetNameCounters } from '../../ts/name.js';
import * as nd from '../../ts/ndarray/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, expectCloseList, fixture, input, out, outList, setParams } from './helpers.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

/** Token t's rows of a (T, N, C) or (N, T, C) sequence, as (N, C) values. */
function token(x: NDArray, layout: 'TNC' | 'NTC', t: number): Float32Array {
  const [a, b, C] = x.shape as [number, number, number];
  if (layout === 'TNC') return x.data.slice(t * b * C, (t + 1) * b * C);
  const rows = new Float32Array(a * C);
  for (let n = 0; n < a; n++) rows.set(x.data.subarray((n * b + t) * C, (n * b + t + 1) * C), n * C);
  return rows;
}

/** The stream's outputs of every token, laid out as `forward`'s output in `layout`. */
function streamAll(s: rnn.RecurrentStream, x: NDArray, layout: 'TNC' | 'NTC', width: number): NDArray {
  const T = x.shape[layout === 'TNC' ? 0 : 1] as number;
  const N = s.batchSize;
  const y = new Float32Array(T * N * width);
  const o = new Float32Array(N * width);
  for (let t = 0; t < T; t++) {
    s.step(token(x, layout, t), o);
    for (let n = 0; n < N; n++) {
      const at = layout === 'TNC' ? (t * N + n) * width : (n * T + t) * width;
      y.set(o.subarray(n * width, (n + 1) * width), at);
    }
  }
  return nd.array(y, layout === 'TNC' ? [T, N, width] : [N, T, width]);
}

function layerOf(mode: string, H: number, extra: Record<string, unknown>): _RNNLayer {
  if (mode === 'lstm') return new rnn.LSTM(H, extra);
  if (mode === 'gru') return new rnn.GRU(H, extra);
  return new rnn.RNN(H, { activation: mode === 'rnn_relu' ? 'relu' : 'tanh', ...extra });
}

describe('layer.stream() vs MXNet (a fused sequence stepped token by token)', () => {
  for (const mode of ['rnn_relu', 'rnn_tanh', 'lstm', 'gru']) {
    for (const layout of ['TNC', 'NTC'] as const) {
      const name = `fused_${mode}_l2_uni_${layout}`;
      it(name, () => {
        const f = fixture(name);
        const layer = layerOf(mode, 3, { numLayers: 2, layout });
        layer.initialize();
        setParams(layer, f);
        const x = input(f, 'x');
        const states = mode === 'lstm' ? [input(f, 'h0'), input(f, 'c0')] : [input(f, 'h0')];
        const s = layer.stream({ batchSize: x.shape[layout === 'TNC' ? 1 : 0] as number, states });
        expectClose(streamAll(s, x, layout, 3), out(f, 'out'), 1e-5, 'out');
        expectCloseList(s.states(), outList(f, 'states'), 1e-5, 'states');
      });
    }
  }
  it('fused_lstmp_l2_uni_TNC (projection)', () => {
    const f = fixture('fused_lstmp_l2_uni_TNC');
    const layer = new rnn.LSTM(5, { numLayers: 2, projectionSize: 3 });
    layer.initialize();
    setParams(layer, f);
    const x = input(f, 'x');
    const s = layer.stream({ batchSize: x.shape[1] as number, states: [input(f, 'h0'), input(f, 'c0')] });
    expect(s.outputSize).toBe((x.shape[1] as number) * 3);
    expectClose(streamAll(s, x, 'TNC', 3), out(f, 'out'), 1e-5, 'out');
    expectCloseList(s.states(), outList(f, 'states'), 1e-5, 'states');
  });
});

describe('cell.stream() vs MXNet (an unrolled sequence stepped token by token)', () => {
  const cells: Record<string, () => rnn.RNNCell | rnn.LSTMCell | rnn.GRUCell> = {
    rnn_tanh: () => new rnn.RNNCell(4),
    rnn_relu: () => new rnn.RNNCell(4, { activation: 'relu' }),
    lstm: () => new rnn.LSTMCell(4),
    gru: () => new rnn.GRUCell(4),
  };
  for (const [kind, make] of Object.entries(cells)) {
    it(`cell_unroll_${kind}_TNC`, () => {
      const f = fixture(`cell_unroll_${kind}_TNC`);
      const cell = make();
      cell.initialize();
      setParams(cell, f);
      const x = input(f, 'x');
      const states = kind === 'lstm' ? [input(f, 's0'), input(f, 's1')] : [input(f, 's0')];
      const s = cell.stream({ batchSize: x.shape[1] as number, states });
      expectClose(streamAll(s, x, 'TNC', 4), out(f, 'outputs_merge_True'), 1e-5, 'outputs');
      expectCloseList(s.states(), outList(f, 'states_merge_True'), 1e-5, 'states');
    });
  }
});

/** Six steps of 3 rows of 5 features through `block.stream()` against `forward` with the states fed back, bitwise. */
function stepsMatchForward(
  block: { stream(o: RecurrentStreamOptions): rnn.RecurrentStream; beginState(batchSize: number): NDArray[] },
  forward: (x: NDArray, states: NDArray[]) => [NDArray, NDArray[]],
): void {
  const N = 3;
  const s = block.stream({ batchSize: N });
  let states = block.beginState(N);
  for (let t = 0; t < 6; t++) {
    const x = nd.random.uniform(-2, 2, [N, 5]);
    const [want, next] = forward(x, states);
    states = next;
    // a new array from an NDArray, then into the caller's array from a Float32Array
    const got = t % 2 === 0 ? s.step(x) : s.step(x.toFloat32Array(), new Float32Array(s.outputSize));
    expect(Array.from(got)).toEqual(Array.from(want.data));
  }
  expect(s.states().map((a) => Array.from(a.data))).toEqual(states.map((a) => Array.from(a.data)));
  expect(s.states().map((a) => a.shape)).toEqual(states.map((a) => a.shape));
}

describe('layer.stream() and cell.stream() are forward with one step, to the bit', () => {
  const cases: [string, 'TNC' | 'NTC', () => _RNNLayer][] = [
    ['LSTM, 2 layers', 'TNC', () => new rnn.LSTM(16, { numLayers: 2, inputSize: 5 })],
    [
      'LSTM, projection and state clipping',
      'TNC',
      () => new rnn.LSTM(12, { inputSize: 5, projectionSize: 7, stateClipMin: -0.3, stateClipMax: 0.4 }),
    ],
    ['GRU, NTC', 'NTC', () => new rnn.GRU(9, { numLayers: 3, inputSize: 5, layout: 'NTC' })],
    ['RNN relu', 'TNC', () => new rnn.RNN(33, { inputSize: 5 })],
  ];
  for (const [what, layout, make] of cases) {
    it(what, () => {
      const layer = make();
      layer.initialize();
      stepsMatchForward(layer, (x, states) =>
        layer.forward(nd.reshape(x, layout === 'NTC' ? [x.shape[0] as number, 1, 5] : [1, ...x.shape]), states),
      );
    });
  }

  for (const [what, make] of [
    ['LSTMCell', () => new rnn.LSTMCell(10, { inputSize: 5 })],
    ['GRUCell', () => new rnn.GRUCell(7, { inputSize: 5 })],
    ['RNNCell relu', () => new rnn.RNNCell(33, { activation: 'relu', inputSize: 5 })],
  ] as const) {
    it(what, () => {
      const cell = make();
      cell.initialize();
      stepsMatchForward(cell, (x, states) => cell.forward(x, states));
    });
  }

  it('uses the parameters current at each step; reset() goes back to zeros or to given states', () => {
    const layer = new rnn.LSTM(8, { inputSize: 4 });
    layer.initialize();
    const s = layer.stream();
    const x = nd.random.uniform(-1, 1, [1, 4]);
    const first = s.step(x);
    const [h, c] = s.states() as [NDArray, NDArray];
    const w = layer.l0_h2h_weight;
    w.setData(nd.multiply(w.data(), 0.5));
    const [want] = layer.forward(nd.reshape(x, [1, 1, 4]), [h, c]);
    expect(Array.from(s.step(x))).toEqual(Array.from(want.data));
    s.reset();
    const [fromZero] = layer.forward(nd.reshape(x, [1, 1, 4]), layer.beginState(1));
    expect(Array.from(s.step(x))).toEqual(Array.from(fromZero.data));
    s.reset([h, c]);
    expect(Array.from(s.step(x))).toEqual(Array.from(want.data));
    expect(first.length).toBe(8);
  });

  it('fills a deferred input size from the first token', () => {
    const layer = new rnn.GRU(6);
    layer.initialize();
    const s = layer.stream({ batchSize: 2 });
    expect(s.step(new Float32Array(2 * 7).fill(0.5)).length).toBe(12);
    expect(layer.l0_i2h_weight.shape).toEqual([18, 7]);
  });

  it('keeps working across dispose() of the layer (the kernel is packed again)', () => {
    const layer = new rnn.RNN(5, { inputSize: 3 });
    layer.initialize();
    const s = layer.stream();
    const x = new Float32Array([0.1, -0.2, 0.3]);
    s.step(x);
    const [h] = s.states() as [NDArray];
    layer.dispose();
    const [want] = layer.forward(nd.array(x, [1, 1, 3]), [h]);
    expect(Array.from(s.step(x))).toEqual(Array.from(want.data));
  });
});

describe('layer.stream() refuses bad input and leaves the stream as it was', () => {
  it('names the argument, the expected and the actual value', () => {
    const layer = new rnn.LSTM(4, { inputSize: 3 });
    layer.initialize();
    expect(() => layer.stream({ batchSize: 0 })).toThrow(/LSTM\.stream: batchSize must be a positive integer, got 0/);
    expect(() => layer.stream({ batchSize: 1.5 })).toThrow(/batchSize must be a positive integer, got 1.5/);
    expect(() => layer.stream({ batch_size: 2 } as never)).toThrow(
      /LSTM\.stream: unknown option 'batch_size' \(did you mean 'batchSize'\?\); expected one of: batchSize, states/,
    );
    expect(() => layer.stream(2 as never)).toThrow(/LSTM\.stream: options must be an object, got 2/);
    // 4 output + 2 * 8 state floats per row staged: 1e8 rows cannot fit one wasm32 allocation
    expect(() => layer.stream({ batchSize: 1e8 })).toThrow(
      /LSTM\.stream: batchSize 100000000 needs 8000000000 bytes of states and outputs per step, more than the 2147483647/,
    );
    expect(() => layer.stream({ states: [nd.zeros([1, 1, 4])] })).toThrow(
      /LSTM\.stream: states must be 2 NDArray\(s\) of shapes \(1, 1, 4\), \(1, 1, 4\), got 1$/,
    );
    expect(() => layer.stream({ states: [nd.zeros([1, 1, 4]), nd.zeros([1, 2, 4])] })).toThrow(
      /states\[1\] must be \(1, 1, 4\), got \(1, 2, 4\)/,
    );
    const bi = new rnn.GRU(4, { inputSize: 3, bidirectional: true });
    expect(() => bi.stream()).toThrow(/GRU\.stream: a bidirectional layer cannot run token by token/);
    const s = layer.stream({ batchSize: 2 });
    expect(() => s.step(new Float32Array(5))).toThrow(
      /LSTM\.stream\.step: x must hold 2 rows \(batchSize\) of C features, got 5 values/,
    );
    expect(() => s.step(new Float32Array(8))).toThrow(
      /x has 4 features per row \(8 values, 2 rows\) but l0_i2h_weight expects 3/,
    );
    expect(() => s.step(nd.zeros([2, 2, 3]))).toThrow(
      /x must be \(2, C\), \(1, 2, C\) or \(2, 1, C\), got \(2, 2, 3\)/,
    );
    expect(() => s.step([1, 2, 3, 4, 5, 6] as unknown as Float32Array)).toThrow(
      /x must be an NDArray or a Float32Array, got an array of length 6 \[1, 2, 3, 4, \.\.\.\]$/,
    );
    expect(() => s.step(new Float32Array(6), new Float32Array(7))).toThrow(
      /out must be a Float32Array of outputSize = 8 values, got 7 values/,
    );
  });

  it('a cell without a wasm kernel for its activations, or under autograd.record(), is refused', () => {
    const sig = new rnn.RNNCell(4, { activation: 'sigmoid', inputSize: 3 });
    expect(() => sig.stream()).toThrow(/RNNCell\.stream: its activations have no wasm kernel to stream/);
    const lstm = new rnn.LSTMCell(4, { inputSize: 3, recurrentActivation: 'tanh' });
    expect(() => lstm.stream()).toThrow(/LSTMCell\.stream: its activations have no wasm kernel/);
    const gru = new rnn.GRUCell(4, { inputSize: 3 });
    gru.initialize();
    const s = gru.stream({ batchSize: 2 });
    expect(() => autograd.record(() => s.step(new Float32Array(6)))).toThrow(
      /GRUCell\.stream\.step: a stream is not recorded by autograd/,
    );
    expect(() => s.step(new Float32Array(8))).toThrow(
      /GRUCell\.stream\.step: x has 4 features per row \(8 values, 2 rows\) but i2h_weight expects 3/,
    );
    expect(s.step(new Float32Array(6)).length).toBe(8);
    expect(() => s.step(nd.zeros([1, 2, 3]))).toThrow(
      /GRUCell\.stream\.step: x must be \(2, C\) or \(2, \.\.\.\), got \(1, 2, 3\)/,
    );
    // a cell flattens the features of (N, ...) as its forward (FullyConnected) does
    const flat = new rnn.LSTMCell(10, { inputSize: 6 });
    flat.initialize();
    const x = nd.random.uniform(-1, 1, [3, 2, 3]);
    const [want] = flat.forward(x, flat.beginState(3));
    expect(Array.from(flat.stream({ batchSize: 3 }).step(x))).toEqual(Array.from(want.data));
    const deferred = new rnn.LSTMCell(5);
    deferred.initialize();
    expect(deferred.stream().step(new Float32Array(9)).length).toBe(5);
    expect(deferred.i2h_weight.shape).toEqual([20, 9]);
  });

  it('runs the inference kernel only: refused under autograd.record() and with dropout in training mode', () => {
    const layer = new rnn.GRU(4, { inputSize: 3, numLayers: 2, dropout: 0.5 });
    layer.initialize();
    const s = layer.stream();
    const x = new Float32Array(3);
    expect(() => autograd.record(() => s.step(x))).toThrow(
      /GRU\.stream\.step: .*got autograd\.record\(\): use forward/,
    );
    expect(() => autograd.trainMode(() => s.step(x))).toThrow(/training mode with dropout 0\.5: use forward/);
    expect(s.step(x).length).toBe(4);
  });

  it('a refused step changes no state; the next step continues from the last good one', () => {
    const layer = new rnn.LSTM(6, { inputSize: 2 });
    layer.initialize();
    const s = layer.stream();
    const ref = layer.stream();
    const x = new Float32Array([0.4, -0.7]);
    s.step(x);
    ref.step(x);
    expect(() => s.step(new Float32Array(3))).toThrow(RangeError);
    expect(() => s.step(x, new Float32Array(2))).toThrow(RangeError);
    expect(Array.from(s.step(x))).toEqual(Array.from(ref.step(x)));
  });
});

describe('layer.stream() and cell.stream() under random sizes and broken steps (fast-check)', () => {
  it('a valid step equals forward bitwise; a broken one throws an Error and changes nothing', () => {
    const stepArb = fc.record({
      fault: fc.constantFrom('none', 'none', 'x-size', 'out-size', 'x-type'),
      seed: fc.nat(),
    });
    const caseArb = fc.record({
      mode: fc.constantFrom('rnn_relu', 'rnn_tanh', 'lstm', 'gru'),
      cell: fc.boolean(),
      numLayers: fc.integer({ min: 1, max: 3 }),
      N: fc.integer({ min: 1, max: 5 }),
      C: fc.integer({ min: 1, max: 9 }),
      H: fc.integer({ min: 1, max: 17 }),
      steps: fc.array(stepArb, { minLength: 1, maxLength: 6 }),
    });
    fc.assert(
      fc.property(caseArb, ({ mode, cell, numLayers, N, C, H, steps }) => {
        const act = mode === 'rnn_relu' ? 'relu' : 'tanh';
        const block = cell
          ? mode === 'lstm'
            ? new rnn.LSTMCell(H, { inputSize: C })
            : mode === 'gru'
              ? new rnn.GRUCell(H, { inputSize: C })
              : new rnn.RNNCell(H, { activation: act, inputSize: C })
          : layerOf(mode, H, { numLayers, inputSize: C });
        block.initialize();
        const forward = (x: NDArray, st: NDArray[]): [NDArray, NDArray[]] =>
          block instanceof rnn.LSTMCell || block instanceof rnn.GRUCell || block instanceof rnn.RNNCell
            ? block.forward(x, st)
            : (block as _RNNLayer).forward(nd.reshape(x, [1, N, C]), st);
        const s = block.stream({ batchSize: N });
        let states = block.beginState(N);
        for (const { fault, seed } of steps) {
          mx.random.seed(seed);
          const x = nd.random.uniform(-3, 3, [N, C]);
          if (fault !== 'none') {
            const bad = () =>
              fault === 'x-size'
                ? s.step(new Float32Array(N * C + 1))
                : fault === 'out-size'
                  ? s.step(x, new Float32Array(s.outputSize + 1))
                  : s.step(Array.from(x.data) as unknown as Float32Array);
            expect(bad).toThrow(Error);
            continue;
          }
          const [want, next] = forward(x, states);
          states = next;
          expect(Array.from(s.step(x))).toEqual(Array.from(want.data));
        }
        expect(s.states().map((a) => Array.from(a.data))).toEqual(states.map((a) => Array.from(a.data)));
        block.dispose();
      }),
      { numRuns: 60, seed: 9 },
    );
  });
});
