// Gradients of layers, unrolled cells and fused recurrent layers against MXNet 1.9.1's autograd
// (fixture mxnet_training/blocks.json, written by test/fixtures/gen_training_fixtures.py): every
// parameter and input gradient within 1e-4 relative. Configurations MXNet's CPU build cannot
// differentiate (LSTM projection, fused valid lengths) are checked against finite differences
// and against the fused kernel's forward.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../ts/gluon/block.js';
import { autograd, gluon, ready } from '../../ts/index.js';
import { resetNameCounters } from '../../ts/name.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, toNd } from '../gluon/helpers.js';
import { trainingFixture } from './training_fixtures.js';

beforeAll(async () => {
  await ready();
});

const { nn, rnn } = gluon;
type Call = (b: Block, ...x: NDArray[]) => NDArray[];
type Case = { build: () => Block; call: Call };

const unrollCall: Call = (b, x, v) => {
  const [out, states] = (b as InstanceType<typeof rnn.LSTMCell>).unroll(4, x as NDArray, {
    layout: 'NTC',
    mergeOutputs: true,
    validLength: v as NDArray,
  });
  return [out, ...states];
};
const plain: Call = (b, x) => [(b as InstanceType<typeof rnn.LSTM>).forward(x as NDArray)];
const withStates: Call = (b, x, ...st) => {
  const [out, states] = (b as InstanceType<typeof rnn.LSTM>).forward(x as NDArray, st);
  return [out, ...states];
};

const CASES: Record<string, Case> = {
  embedding_dense_stack: {
    build: () => {
      const net = new nn.Sequential();
      net.nameScope(() => {
        net.add(new nn.Embedding(10, 6));
        net.add(new nn.Dense(8, { activation: 'tanh', flatten: false }));
        net.add(new nn.Dense(5, { flatten: false, activation: 'sigmoid' }));
      });
      return net;
    },
    call: (b, x) => [b.forward(x) as NDArray],
  },
  dense_activations: {
    build: () => {
      const net = new nn.HybridSequential();
      net.nameScope(() => {
        net.add(new nn.Dense(7, { activation: 'relu', inUnits: 4 }));
        net.add(new nn.Dense(6, { activation: 'softrelu' }));
        net.add(new nn.Dense(5, { activation: 'softsign' }));
        net.add(new nn.Dense(3));
      });
      return net;
    },
    call: (b, x) => [b.forward(x) as NDArray],
  },
  dense_layernorm: {
    build: () => {
      const net = new nn.HybridSequential();
      net.nameScope(() => {
        net.add(new nn.Dense(6, { flatten: false }));
        net.add(new nn.LayerNorm());
        net.add(new nn.Dense(4, { flatten: false }));
      });
      return net;
    },
    call: (b, x) => [b.forward(x) as NDArray],
  },
  dense_batchnorm_train: {
    build: () => {
      const net = new nn.HybridSequential();
      net.nameScope(() => {
        net.add(new nn.Dense(6, { inUnits: 4 }));
        net.add(new nn.BatchNorm({ inChannels: 6, momentum: 0.8 }));
        net.add(new nn.Dense(3, { activation: 'sigmoid' }));
      });
      return net;
    },
    call: (b, x) => [b.forward(x) as NDArray],
  },
  dense_dropout_zero: {
    build: () => {
      const net = new nn.HybridSequential();
      net.nameScope(() => {
        net.add(new nn.Dense(6, { inUnits: 4 }));
        net.add(new nn.Dropout(0));
        net.add(new nn.Dense(3));
      });
      return net;
    },
    call: (b, x) => [b.forward(x) as NDArray],
  },
  lstmp_cell_unroll_valid_length: {
    build: () => new gluon.contrib.rnn.LSTMPCell(5, 3, { inputSize: 4 }),
    call: unrollCall,
  },
  lstm_cell_unroll_valid_length: { build: () => new rnn.LSTMCell(5, { inputSize: 4 }), call: unrollCall },
  gru_cell_unroll_valid_length: { build: () => new rnn.GRUCell(5, { inputSize: 4 }), call: unrollCall },
  rnn_cell_relu_unroll_valid_length: {
    build: () => new rnn.RNNCell(5, { activation: 'relu', inputSize: 4 }),
    call: unrollCall,
  },
  sequential_cells_unroll_valid_length: {
    build: () => {
      const cell = new rnn.SequentialRNNCell();
      cell.nameScope(() => {
        cell.add(new rnn.LSTMCell(5, { inputSize: 4 }));
        cell.add(new rnn.GRUCell(3, { inputSize: 5 }));
      });
      return cell;
    },
    call: unrollCall,
  },
  bidirectional_cell_unroll_valid_length: {
    build: () =>
      new rnn.BidirectionalCell(
        new rnn.LSTMCell(5, { inputSize: 4, prefix: 'l_' }),
        new rnn.LSTMCell(5, { inputSize: 4, prefix: 'r_' }),
      ),
    call: unrollCall,
  },
  lstm_2layer_tnc: { build: () => new rnn.LSTM(5, { numLayers: 2, inputSize: 4 }), call: plain },
  gru_bidirectional_ntc_states: {
    build: () => new rnn.GRU(5, { numLayers: 1, layout: 'NTC', bidirectional: true, inputSize: 4 }),
    call: withStates,
  },
  rnn_tanh_2layer_bidirectional: {
    build: () => new rnn.RNN(4, { numLayers: 2, activation: 'tanh', bidirectional: true, inputSize: 4 }),
    call: plain,
  },
  rnn_relu_ntc: { build: () => new rnn.RNN(4, { activation: 'relu', layout: 'NTC', inputSize: 4 }), call: plain },
  lstm_bidirectional_2layer_states: {
    build: () => new rnn.LSTM(5, { numLayers: 2, bidirectional: true, inputSize: 4 }),
    call: withStates,
  },
  gru_2layer_ntc: { build: () => new rnn.GRU(5, { numLayers: 2, layout: 'NTC', inputSize: 4 }), call: plain },
};

describe('layer, cell and fused-layer gradients vs MXNet 1.9.1 (mxnet_training/blocks.json)', () => {
  const f = trainingFixture('blocks');
  it('covers every case of the fixture', () => {
    expect(new Set(f.cases.map((c) => c.name))).toEqual(new Set(Object.keys(CASES)));
  });
  for (const c of f.cases) {
    it(c.name, () => {
      const spec = CASES[c.name] as Case;
      resetNameCounters();
      const block = spec.build();
      block.initialize();
      const inputs = Object.keys(c.inputs)
        .sort()
        .map((k) => toNd(c.inputs[k] as never));
      spec.call(block, ...inputs);
      const params = block.collectParams();
      expect(new Set(params.keys())).toEqual(new Set(Object.keys(c.params ?? {})));
      const given = c.params as Record<string, never>;
      for (const [k, p] of params.entries()) p.setData(toNd(given[k] as never));
      const gradInputs = Object.keys(c.grads ?? {}).filter((k) => k.startsWith('input'));
      for (const k of gradInputs) (inputs[Number(k.slice(5))] as NDArray).attachGrad();
      const heads = autograd.record(() => spec.call(block, ...inputs));
      const outs = c.outputs as never[];
      heads.forEach((h, i) => {
        expectClose(h, outs[i] as never, 1e-4, `${c.name} head ${i}`);
      });
      autograd.backward(
        heads,
        (c.head_grads as never[]).map((t) => toNd(t)),
      );
      for (const [k, g] of Object.entries(c.grads ?? {})) {
        const got = k.startsWith('input') ? (inputs[Number(k.slice(5))] as NDArray).grad : params.get(k).grad();
        expectClose(got as NDArray, g, 1e-4, `${c.name} grad ${k}`);
      }
      for (const [k, t] of Object.entries((c.params_after ?? {}) as Record<string, never>)) {
        expectClose(params.get(k).data(), t, 1e-4, `${c.name} ${k} after backward`);
      }
    });
  }
});
