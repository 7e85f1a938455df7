// The symbolic forwards of the built-in layers whose Python `hybrid_forward` names its node
// 'fwd' or writes attributes the mx.nd call does not (python/mxnet/gluon/nn/basic_layers.py,
// conv_layers.py, activations.py, rnn/rnn_layer.py `_forward_kernel`), so that `export` writes
// what MXNet 1.9.1 writes for the same model. Other blocks trace through `hybridForward(mx.sym, ...)`.

import { sym } from '../symbol/sym_ops.js';
import { type MxSymbol, makeNode } from '../symbol/symbol.js';
import { registerSymbolicForward } from '../symbol/trace.js';
import { pyFloat } from '../util/options.js';
import type { Block } from './block.js';
import { LSTMPCell } from './contrib/rnn/rnn_cell.js';
import { Activation } from './nn/activations.js';
import { GELU, LeakyReLU, PReLU, SELU, Swish } from './nn/activations_ext.js';
import { Dense, Dropout, Embedding } from './nn/basic_layers.js';
import { BatchNorm } from './nn/basic_layers_ext.js';
import { Conv1D, MaxPool1D } from './nn/conv_layers.js';
import { GRUCell, LSTMCell, RNNCell } from './rnn/basic_cells.js';
import { DropoutCell, ResidualCell } from './rnn/modifier_cells.js';
import { _RNNLayer } from './rnn/rnn_layer.js';

/** A layer's private configuration, read by name (the fields mirror Python's attributes). */
function cfg<T>(b: Block): T {
  return b as unknown as T;
}

/** Python `child(x)` for an optional activation child. */
function applyAct(act: Block | null, x: MxSymbol): MxSymbol {
  return act === null ? x : (act.forward(x) as MxSymbol);
}

registerSymbolicForward(Dense, (b, x, _args, p, scoped) => {
  const c = cfg<{ _units: number; _flatten: boolean; act: Block | null }>(b);
  const out = scoped(() =>
    sym.FullyConnected(x, p.weight as MxSymbol, p.bias ?? null, {
      noBias: p.bias === undefined,
      numHidden: c._units,
      flatten: c._flatten,
      name: 'fwd',
    }),
  );
  return scoped(() => applyAct(c.act, out));
});

registerSymbolicForward(Embedding, (b, x, _args, p, scoped) => {
  const c = cfg<{ _inputDim: number; _outputDim: number }>(b);
  return scoped(() =>
    sym.Embedding(x, p.weight as MxSymbol, {
      inputDim: c._inputDim,
      outputDim: c._outputDim,
      dtype: 'float32',
      sparseGrad: false,
      name: 'fwd',
    }),
  );
});

registerSymbolicForward(Activation, (b, x, _args, _p, scoped) =>
  scoped(() => sym.Activation(x, { actType: cfg<{ _actType: string }>(b)._actType, name: 'fwd' })),
);

registerSymbolicForward(LeakyReLU, (b, x, _args, _p, scoped) =>
  scoped(() => sym.LeakyReLU(x, { actType: 'leaky', slope: cfg<{ _alpha: number }>(b)._alpha, name: 'fwd' })),
);

registerSymbolicForward(PReLU, (_b, x, _args, p, scoped) =>
  scoped(() => sym.LeakyReLU(x, p.alpha as MxSymbol, { actType: 'prelu', name: 'fwd' })),
);

registerSymbolicForward(SELU, (_b, x, _args, _p, scoped) =>
  scoped(() => sym.LeakyReLU(x, { actType: 'selu', name: 'fwd' })),
);

registerSymbolicForward(GELU, (_b, x, _args, _p, scoped) =>
  scoped(() => sym.LeakyReLU(x, { actType: 'gelu', name: 'fwd' })),
);

// Python: `x * F.sigmoid(self._beta * x, name='fwd')`.
registerSymbolicForward(Swish, (b, x, _args, _p, scoped) =>
  scoped(() => {
    // Python's beta is a float: its scalar is written '1.0'.
    const bx = makeNode(
      'Swish',
      '_mul_scalar',
      [x],
      { scalar: pyFloat(cfg<{ _beta: number }>(b)._beta) },
      null,
      '_mulscalar',
    );
    return sym.mul(x, sym.sigmoid(bx[0] as MxSymbol, { name: 'fwd' }));
  }),
);

registerSymbolicForward(Dropout, (b, x, _args, _p, scoped) => {
  const c = cfg<{ _rate: number; _axes: number[] }>(b);
  return scoped(() =>
    c._rate > 0 ? sym.Dropout(x, { p: c._rate, axes: c._axes, name: 'fwd', cudnnOff: false }) : sym.identity(x),
  );
});

registerSymbolicForward(BatchNorm, (b, x, _args, p, scoped) => {
  const c = cfg<{ _axis: number; _eps: number; _momentum: number; _scale: boolean; _useGlobalStats: boolean }>(b);
  return scoped(() =>
    sym.BatchNorm(x, p.gamma as MxSymbol, p.beta as MxSymbol, p.running_mean as MxSymbol, p.running_var as MxSymbol, {
      name: 'fwd',
      axis: c._axis,
      eps: c._eps,
      momentum: c._momentum,
      fixGamma: !c._scale,
      useGlobalStats: c._useGlobalStats,
    }),
  );
});

registerSymbolicForward(Conv1D, (b, x, _args, p, scoped) => {
  const c = cfg<{
    _channels: number;
    _kernel: number;
    _stride: number;
    _pad: number;
    _dilate: number;
    _groups: number;
    act: Block | null;
  }>(b);
  const out = scoped(() =>
    sym.Convolution(x, p.weight as MxSymbol, p.bias ?? null, {
      name: 'fwd',
      kernel: [c._kernel],
      stride: [c._stride],
      dilate: [c._dilate],
      pad: [c._pad],
      numFilter: c._channels,
      numGroup: c._groups,
      noBias: p.bias === undefined,
      layout: 'NCW',
    }),
  );
  return scoped(() => applyAct(c.act, out));
});

// The pooling layers share one (unexported) base class: register on it.
registerSymbolicForward(Object.getPrototypeOf(MaxPool1D) as typeof MaxPool1D, (b, x, _args, _p, scoped) => {
  const c = cfg<{
    _cfg: {
      kernel: number;
      stride: number;
      pad: number;
      ceil: boolean;
      global: boolean;
      type: string;
      layout: string;
      countIncludePad: boolean | null;
    };
  }>(b)._cfg;
  return scoped(() =>
    sym.Pooling(x, {
      name: 'fwd',
      kernel: [c.kernel],
      stride: [c.stride],
      pad: [c.pad],
      globalPool: c.global,
      poolType: c.type,
      layout: c.layout,
      poolingConvention: c.ceil ? 'full' : 'valid',
      ...(c.countIncludePad === null ? {} : { countIncludePad: c.countIncludePad }),
    }),
  );
});

interface RnnLayerCfg {
  _mode: string;
  _hiddenSize: number;
  _numLayers: number;
  _layout: string;
  _dropout: number;
  _dir: number;
  _projectionSize: number | null;
  _clip: { min: number; max: number; nan: boolean } | null;
  _useSequenceLength: boolean;
  prefix: string;
  stateInfo(batchSize: number): { shape: number[]; __layout__?: string }[];
}

// rnn_layer.py `__call__` (begin states named in the caller's scope) and `_forward_kernel`.
registerSymbolicForward(_RNNLayer, (b, x, args, p, scoped) => {
  const c = cfg<RnnLayerCfg>(b);
  const [states, sequenceLength] = args as [MxSymbol | MxSymbol[] | null | undefined, MxSymbol | null | undefined];
  const skipStates = states === null || states === undefined;
  const st: MxSymbol[] = skipStates
    ? c
        .stateInfo(0)
        .map((info, i) =>
          sym.zeros(info.shape, { name: `${c.prefix}h0_${i}`, attr: { __layout__: info.__layout__ ?? 'LNC' } }),
        )
    : Array.isArray(states)
      ? states
      : [states];
  return scoped(() => {
    const inputs = c._layout === 'NTC' ? sym.swapaxes(x, 0, 1) : x;
    const gates = c._projectionSize === null ? ['i2h', 'h2h'] : ['i2h', 'h2h', 'h2r'];
    const flat: MxSymbol[] = [];
    for (const t of ['weight', 'bias'])
      for (let l = 0; l < c._numLayers; l++)
        for (const d of ['l', 'r'].slice(0, c._dir))
          for (const g of gates) {
            if (g === 'h2r' && t === 'bias') continue;
            flat.push(sym.reshape(p[`${d}${l}_${g}_${t}`] as MxSymbol, -1));
          }
    const params = makeNode(
      'sym._rnn_param_concat',
      '_rnn_param_concat',
      flat,
      { num_args: String(flat.length), dim: '0' },
      null,
      '_rnn_param_concat',
    )[0] as MxSymbol;
    const outs = sym.RNN({
      data: inputs,
      parameters: params,
      state: st[0] as MxSymbol,
      stateCell: c._mode === 'lstm' ? (st[1] as MxSymbol) : null,
      sequenceLength: c._useSequenceLength ? (sequenceLength ?? null) : null,
      useSequenceLength: c._useSequenceLength,
      stateSize: c._hiddenSize,
      projectionSize: c._projectionSize,
      numLayers: c._numLayers,
      bidirectional: c._dir === 2,
      p: c._dropout,
      stateOutputs: true,
      mode: c._mode,
      lstmStateClipMin: c._clip?.min ?? null,
      lstmStateClipMax: c._clip?.max ?? null,
      lstmStateClipNan: c._clip?.nan ?? false,
    }) as unknown as MxSymbol[];
    const out = c._layout === 'NTC' ? sym.swapaxes(outs[0] as MxSymbol, 0, 1) : (outs[0] as MxSymbol);
    return skipStates ? out : [out, outs.slice(1)];
  });
});

// rnn_cell.py: `_get_activation` (named activations become their operators, with the step's name).
function cellActivation(x: MxSymbol, act: unknown, name: string): MxSymbol {
  if (act === 'tanh' || act === 'relu' || act === 'sigmoid' || act === 'softsign') return sym[act](x, { name });
  if (typeof act === 'string') return sym.Activation(x, { actType: act, name });
  return (act as (v: MxSymbol) => MxSymbol)(x);
}

interface CellCfg {
  _hiddenSize: number;
  _counter: number;
  _activation: unknown;
  _recurrentActivation: unknown;
}

/** The i2h and h2h products of a step (names t<k>_i2h, t<k>_h2h). */
function cellProducts(
  c: CellCfg,
  x: MxSymbol,
  h: MxSymbol,
  p: Readonly<Record<string, MxSymbol>>,
  gates: number,
): [MxSymbol, MxSymbol] {
  const t = `t${c._counter}_`;
  const fc = (d: MxSymbol, w: string, name: string) =>
    sym.FullyConnected({
      data: d,
      weight: p[`${w}_weight`] as MxSymbol,
      bias: p[`${w}_bias`] as MxSymbol,
      numHidden: c._hiddenSize * gates,
      name: `${t}${name}`,
    });
  return [fc(x, 'i2h', 'i2h'), fc(h, 'h2h', 'h2h')];
}

registerSymbolicForward(RNNCell, (b, x, args, p, scoped) =>
  scoped(() => {
    const c = cfg<CellCfg>(b);
    const t = `t${c._counter}_`;
    const states = args[0] as MxSymbol[];
    const [i2h, h2h] = cellProducts(c, x, states[0] as MxSymbol, p, 1);
    const out = cellActivation(sym.elemwise_add(i2h, h2h, { name: `${t}plus0` }), c._activation, `${t}out`);
    return [out, [out]];
  }),
);

registerSymbolicForward(LSTMCell, (b, x, args, p, scoped) =>
  scoped(() => {
    const c = cfg<CellCfg>(b);
    const t = `t${c._counter}_`;
    const states = args[0] as MxSymbol[];
    const [i2h, h2h] = cellProducts(c, x, states[0] as MxSymbol, p, 4);
    const gates = sym.elemwise_add(i2h, h2h, { name: `${t}plus0` });
    const s = makeNode('sym.SliceChannel', 'SliceChannel', [gates], { num_outputs: '4' }, `${t}slice`, 'slicechannel');
    const i = cellActivation(s[0] as MxSymbol, c._recurrentActivation, `${t}i`);
    const f = cellActivation(s[1] as MxSymbol, c._recurrentActivation, `${t}f`);
    const g = cellActivation(s[2] as MxSymbol, c._activation, `${t}c`);
    const o = cellActivation(s[3] as MxSymbol, c._recurrentActivation, `${t}o`);
    const nextC = sym.elemwise_add(
      sym.elemwise_mul(f, states[1] as MxSymbol, { name: `${t}mul0` }),
      sym.elemwise_mul(i, g, { name: `${t}mul1` }),
      { name: `${t}state` },
    );
    const act = sym.Activation(nextC, { actType: c._activation, name: `${t}activation0` });
    const nextH = sym.elemwise_mul(o, act, { name: `${t}out` });
    return [nextH, [nextH, nextC]];
  }),
);

registerSymbolicForward(GRUCell, (b, x, args, p, scoped) =>
  scoped(() => {
    const c = cfg<CellCfg>(b);
    const t = `t${c._counter}_`;
    const prev = (args[0] as MxSymbol[])[0] as MxSymbol;
    const [i2hAll, h2hAll] = cellProducts(c, x, prev, p, 3);
    const slice = (v: MxSymbol, name: string) =>
      makeNode('sym.SliceChannel', 'SliceChannel', [v], { num_outputs: '3' }, `${t}${name}`, 'slicechannel');
    const [i2hR, i2hZ, i2h] = slice(i2hAll, 'i2h_slice') as [MxSymbol, MxSymbol, MxSymbol];
    const [h2hR, h2hZ, h2h] = slice(h2hAll, 'h2h_slice') as [MxSymbol, MxSymbol, MxSymbol];
    const reset = sym.Activation(sym.elemwise_add(i2hR, h2hR, { name: `${t}plus0` }), {
      actType: 'sigmoid',
      name: `${t}r_act`,
    });
    const update = sym.Activation(sym.elemwise_add(i2hZ, h2hZ, { name: `${t}plus1` }), {
      actType: 'sigmoid',
      name: `${t}z_act`,
    });
    const cand = sym.Activation(
      sym.elemwise_add(i2h, sym.elemwise_mul(reset, h2h, { name: `${t}mul0` }), { name: `${t}plus2` }),
      { actType: 'tanh', name: `${t}h_act` },
    );
    const ones = sym.ones_like(update, { name: `${t}ones_like0` });
    const next = sym.elemwise_add(
      sym.elemwise_mul(sym.elemwise_sub(ones, update, { name: `${t}minus0` }), cand, { name: `${t}mul1` }),
      sym.elemwise_mul(update, prev, { name: `${t}mul20` }),
      { name: `${t}out` },
    );
    return [next, [next]];
  }),
);

// rnn_cell.py ResidualCell / DropoutCell `hybrid_forward`: nodes named t<k>_fwd.
registerSymbolicForward(ResidualCell, (b, x, args, _p, scoped) =>
  scoped(() => {
    const c = cfg<{ _counter: number; baseCell: Block }>(b);
    const [out, next] = c.baseCell.forward(x, args[0]) as [MxSymbol, MxSymbol[]];
    return [sym.elemwise_add(out, x, { name: `t${c._counter}_fwd` }), next];
  }),
);

registerSymbolicForward(DropoutCell, (b, x, args, _p, scoped) =>
  scoped(() => {
    const c = cfg<{ _counter: number; _rate: number; _axes: number[] }>(b);
    const out = c._rate > 0 ? sym.Dropout(x, { p: c._rate, axes: c._axes, name: `t${c._counter}_fwd` }) : x;
    return [out, args[0]];
  }),
);

// contrib/rnn/rnn_cell.py LSTMPCell `hybrid_forward` (its `+` and `*` are Python's operators).
registerSymbolicForward(LSTMPCell, (b, x, args, p, scoped) =>
  scoped(() => {
    const c = cfg<{ _counter: number; _hiddenSize: number; _projectionSize: number }>(b);
    const t = `t${c._counter}_`;
    const states = args[0] as MxSymbol[];
    const [i2h, h2h] = cellProducts(
      { ...c, _activation: null, _recurrentActivation: null },
      x,
      states[0] as MxSymbol,
      p,
      4,
    );
    const s = makeNode(
      'sym.SliceChannel',
      'SliceChannel',
      [sym.add(i2h, h2h)],
      { num_outputs: '4' },
      `${t}slice`,
      'slicechannel',
    );
    const act = (v: MxSymbol, actType: string, name: string) => sym.Activation(v, { actType, name: `${t}${name}` });
    const i = act(s[0] as MxSymbol, 'sigmoid', 'i');
    const f = act(s[1] as MxSymbol, 'sigmoid', 'f');
    const g = act(s[2] as MxSymbol, 'tanh', 'c');
    const o = act(s[3] as MxSymbol, 'sigmoid', 'o');
    const nextC = sym.elemwise_add(sym.mul(f, states[1] as MxSymbol), sym.mul(i, g), { name: `${t}state` });
    const hidden = sym.elemwise_mul(o, sym.Activation(nextC, { actType: 'tanh' }), { name: `${t}hidden` });
    const nextR = sym.FullyConnected({
      data: hidden,
      numHidden: c._projectionSize,
      weight: p.h2r_weight as MxSymbol,
      noBias: true,
      name: `${t}out`,
    });
    return [nextR, [nextR, nextC]];
  }),
);
