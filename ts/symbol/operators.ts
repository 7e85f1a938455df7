// The operator table of the graph executor: MXNet's operator name -> attribute parsing (from
// the string attributes of symbol JSON), shape inference and forward. Forward calls the
// package's `mx.nd` implementations, so each operator has one implementation.
// Names and attributes: MXNet 1.9.1's registrations (src/operator/**, NNVM_REGISTER_OP).

import { tapeUnary } from '../autograd/hooks.js';
import { DenseKernel } from '../backend/dense.js';
import * as nd from '../ndarray/index.js';
import { type NDArray, shapeSize, shapeStr } from '../ndarray/ndarray.js';
import { reshapeShape } from '../ndarray/ops/shape.js';
import { fullyConnected, MAX_SPLIT_OUTPUTS, type PackedFullyConnected } from '../ndarray/ops.js';
import { ValueError } from '../util/errors.js';
import type { AttrReader } from './attrs.js';
import { foreachOp } from './control_flow.js';
import type { SymbolNode } from './graph.js';
import { type ForwardContext, isKnown, type OpFactory, type PreparedOp, type ShapeIO, slotOf } from './op.js';
import {
  broadcastOp,
  elemwise,
  expectInputs,
  mapNd,
  normAx,
  op,
  reduceOp,
  sameShape,
  scalarOp,
  unaryOp,
} from './op_helpers.js';
import { rnnOp } from './rnn_op.js';
import { TENSOR_OPERATORS } from './tensor_ops.js';

/** `_zeros`, `_ones`, `_full`: a 0 in `shape` (a deferred batch size) is filled by shape inference. */
function fillOp(value: number | null): OpFactory {
  return (r, node) => {
    const shape = r.tuple('shape', []);
    r.str('dtype', 'float32');
    r.str('ctx', '');
    const v = value ?? r.float('value');
    r.done();
    expectInputs(r, node, 0, 'takes no input');
    const known = shape.every((d) => d > 0);
    const p: PreparedOp = {
      numOutputs: 1,
      deterministic: true,
      infer: (io) => io.setOut(0, shape),
      forward: (_ins, ctx) => {
        const s = known ? shape : ctx.outShapes?.[0];
        if (!isKnown(s ?? null))
          throw new ValueError(
            `${r.where}: shape ${shapeStr(shape)} has unknown dimensions that inference could not fill`,
          );
        return [nd.full(s as number[], v)];
      },
    };
    return known ? p : { ...p, needsShapes: true };
  };
}

function likeOp(value: number): OpFactory {
  return (r, node) => {
    r.done();
    expectInputs(r, node, 1, 'takes 1 input');
    return op(1, sameShape, (ins) => [nd.full((ins[0] as NDArray).shape as number[], value)]);
  };
}

/**
 * A FullyConnected node's weight and bias packed in wasm memory, rebuilt when they are other
 * arrays than on the last call. A SymbolBlock binds its parameters' own arrays, which an
 * optimizer step changes in place: SymbolBlock._releaseStaleKernels then releases the slot.
 */
class DenseSlot {
  weight: NDArray | null = null;
  bias: NDArray | null = null;
  kernel: DenseKernel | null = null;
  dispose(): void {
    this.kernel?.dispose();
    this.kernel = null;
  }
}

/** The node's packed product of `w` and `b`, or null for operands FullyConnected refuses. */
function packedFor(ctx: ForwardContext, w: NDArray, b: NDArray | null): PackedFullyConnected | null {
  // Malformed operands are left to FullyConnected's checks (they name the problem).
  if (w.ndim !== 2 || (b !== null && b.size !== w.shape[0])) return null;
  const slot = slotOf(ctx, DenseSlot);
  if (slot.kernel === null || slot.kernel.released || slot.weight !== w || slot.bias !== b) {
    slot.dispose();
    slot.kernel = new DenseKernel(w.shape[0] as number, w.shape[1] as number, w.data, b?.data ?? null);
    slot.weight = w;
    slot.bias = b;
  }
  const k = slot.kernel;
  return (x, m) => k.forward(x, m);
}

/** `no_bias` decides whether a node reads a bias. */
function expectBiasInputs(r: AttrReader, node: SymbolNode, noBias: boolean): void {
  const asks = noBias
    ? 'no_bias = True asks for 2 inputs (data, weight)'
    : 'no_bias = False asks for 3 inputs (data, weight, bias)';
  expectInputs(r, node, noBias ? 2 : 3, asks);
}

const fullyConnectedOp: OpFactory = (r, node) => {
  const numHidden = r.int('num_hidden');
  const noBias = r.bool('no_bias', false);
  const flatten = r.bool('flatten', true);
  r.done();
  expectBiasInputs(r, node, noBias);
  return op(
    1,
    (io) => {
      // The batch dimensions also flow back from the output (a `_zeros` state feeding h2h).
      const y = io.outs[0] ?? null;
      const x0 = io.ins[0] ?? null;
      if (y !== null && x0 !== null) {
        if (flatten) io.setIn(0, [y[0] as number, ...x0.slice(1).map(() => 0)]);
        else if (y.length === x0.length) io.setIn(0, [...y.slice(0, -1), 0]);
      }
      const x = io.ins[0] ?? null;
      if (x === null) return;
      const lead = flatten ? x.slice(0, 1) : x.slice(0, -1);
      const inner = flatten ? (x.slice(1).every((d) => d > 0) ? shapeSize(x.slice(1)) : 0) : (x[x.length - 1] ?? 0);
      io.setOut(0, [...lead, numHidden]);
      io.setIn(1, [numHidden, inner]);
      if (!noBias) io.setIn(2, [numHidden]);
    },
    (ins, ctx) => {
      const o = {
        data: ins[0],
        weight: ins[1] as NDArray,
        bias: noBias ? null : (ins[2] as NDArray),
        numHidden,
        noBias,
        flatten,
      };
      return [fullyConnected(o, packedFor(ctx, o.weight, o.bias))];
    },
  );
};

const embedding: OpFactory = (r) => {
  const inputDim = r.int('input_dim');
  const outputDim = r.int('output_dim');
  r.str('dtype', 'float32');
  r.bool('sparse_grad', false);
  r.done();
  return op(
    1,
    (io) => {
      const x = io.ins[0] ?? null;
      if (x !== null) io.setOut(0, [...x, outputDim]);
      io.setIn(1, [inputDim, outputDim]);
    },
    (ins) => [nd.Embedding(ins[0] as NDArray, ins[1] as NDArray, inputDim, outputDim)],
  );
};

const activation: OpFactory = (r) => {
  const act = r.choice('act_type', ['relu', 'sigmoid', 'tanh', 'softrelu', 'softsign'] as const);
  r.done();
  return op(1, sameShape, (ins) => [nd.Activation(ins[0] as NDArray, act)]);
};

const leakyRelu: OpFactory = (r) => {
  const actType = r.choice('act_type', ['leaky', 'prelu', 'elu', 'selu', 'gelu'] as const, 'leaky');
  const slope = r.float('slope', 0.25);
  r.float('lower_bound', 0.125);
  r.float('upper_bound', 0.334);
  r.done();
  return op(1, sameShape, (ins) => [
    nd.LeakyReLU(ins[0] as NDArray, actType === 'prelu' ? (ins[1] as NDArray) : null, { actType, slope }),
  ]);
};

const dropout: OpFactory = (r) => {
  // nd.Dropout: the identity at inference (MXNet's Dropout outside autograd.record()).
  const p = r.float('p', 0.5);
  const mode = r.choice('mode', ['training', 'always'] as const, 'training');
  const axes = r.optTuple('axes') ?? [];
  r.bool('cudnn_off', false);
  r.done();
  return op(1, sameShape, (ins) => [nd.Dropout(ins[0] as NDArray, p, mode, axes)]);
};

const reshape: OpFactory = (r) => {
  const shape = r.tuple('shape', []);
  const reverse = r.bool('reverse', false);
  r.done();
  return op(
    1,
    (io) => {
      const x = io.ins[0] ?? null;
      if (isKnown(x)) io.setOut(0, reshapeShape(io.where, x, shape, reverse));
      else if (x !== null && !reverse && shape.every((d) => d >= -1))
        io.setOut(
          0,
          shape.map((d, i) => (d > 0 ? d : d === 0 ? (x[i] ?? 0) : 0)),
        );
      // ReverseReshapeInferShape (matrix_op-inl.h): one unknown input dimension from the output's size.
      const y = io.outs[0] ?? null;
      if (x !== null && isKnown(y) && x.filter((d) => d === 0).length === 1) {
        const known = x.reduce((a, d) => (d === 0 ? a : a * d), 1);
        const total = shapeSize(y);
        if (known > 0 && total % known === 0)
          io.setIn(
            0,
            x.map((d) => (d === 0 ? total / known : d)),
          );
      }
    },
    (ins) => [nd.reshape(ins[0] as NDArray, shape, reverse)],
  );
};

const swapAxis: OpFactory = (r) => {
  const dim1 = r.int('dim1', 0);
  const dim2 = r.int('dim2', 0);
  r.done();
  return op(
    1,
    (io) => {
      const x = io.ins[0] ?? null;
      if (x === null) return;
      const a = normAx(io.where, dim1, x.length);
      const b = normAx(io.where, dim2, x.length);
      const s = [...x];
      [s[a], s[b]] = [s[b] as number, s[a] as number];
      io.setOut(0, s);
    },
    (ins) => [nd.swapaxes(ins[0] as NDArray, dim1, dim2)],
  );
};

const transpose: OpFactory = (r) => {
  const axes = r.tuple('axes', []);
  r.done();
  return op(
    1,
    (io) => {
      const x = io.ins[0] ?? null;
      if (x === null) return;
      const perm =
        axes.length === 0 ? x.map((_d, i) => x.length - 1 - i) : axes.map((a) => normAx(io.where, a, x.length));
      io.setOut(
        0,
        perm.map((p) => x[p] as number),
      );
    },
    (ins) => [nd.transpose(ins[0] as NDArray, axes.length === 0 ? null : axes)],
  );
};

const expandDims: OpFactory = (r) => {
  const axis = r.int('axis');
  r.done();
  return op(
    1,
    (io) => {
      const x = io.ins[0] ?? null;
      if (x === null) return;
      const a = normAx(io.where, axis, x.length + 1);
      io.setOut(0, [...x.slice(0, a), 1, ...x.slice(a)]);
    },
    (ins) => [nd.expand_dims(ins[0] as NDArray, axis)],
  );
};

/**
 * `Concat`, and `_rnn_param_concat` (the flattened RNN parameters), whose shape inference
 * also splits the unknown size equally between two unknown inputs (RNNParamConcatShape in
 * src/operator/nn/concat.cc: the two directions' first-layer weights of a bidirectional layer).
 */
function concatOp(maxUnknown: number): OpFactory {
  return (r, node) => {
    const dim = r.int('dim', 1);
    const n = r.int('num_args');
    r.done();
    expectInputs(r, node, n, `num_args = ${n} asks for ${n} inputs`);
    return op(
      1,
      (io) => {
        const ins = io.ins;
        if (ins.length !== n || !ins.every((s) => s !== null)) return;
        const first = ins[0] as number[];
        const ax = normAx(io.where, dim, first.length);
        const out = [...first];
        out[ax] = ins.every((s) => (s as number[])[ax] !== 0)
          ? ins.reduce((t, s) => t + ((s as number[])[ax] as number), 0)
          : 0;
        io.setOut(0, out);
        // Inputs of unknown size along `dim` follow from the output.
        const y = io.outs[0] ?? null;
        const unknown = ins.flatMap((s, i) => ((s as number[])[ax] === 0 ? [i] : []));
        if (y === null || !((y[ax] as number) > 0) || unknown.length === 0 || unknown.length > maxUnknown) return;
        const rest = ins.reduce((t, s, i) => (unknown.includes(i) ? t : t + ((s as number[])[ax] as number)), 0);
        const each = ((y[ax] as number) - rest) / unknown.length;
        if (!(Number.isInteger(each) && each > 0)) return;
        for (const u of unknown) {
          const s = [...(ins[u] as number[])];
          s[ax] = each;
          io.setIn(u, s);
        }
      },
      (ins) => [nd.concat([...ins], { dim })],
    );
  };
}

const stack: OpFactory = (r, node) => {
  const axis = r.int('axis', 0);
  const n = r.int('num_args');
  r.done();
  expectInputs(r, node, n, `num_args = ${n} asks for ${n} inputs`);
  return op(
    1,
    (io) => {
      allSameInputs(io);
      const x = io.ins[0] ?? null;
      if (x === null) return;
      const a = normAx(io.where, axis, x.length + 1);
      io.setOut(0, [...x.slice(0, a), n, ...x.slice(a)]);
    },
    (ins) => [nd.stack([...ins], { axis })],
  );
};

function allSameInputs(io: ShapeIO): void {
  for (const s of io.ins) for (let i = 0; i < io.ins.length; i++) io.setIn(i, s);
}

const sliceChannel: OpFactory = (r) => {
  const numOutputs = r.int('num_outputs');
  if (numOutputs < 1 || numOutputs > MAX_SPLIT_OUTPUTS)
    throw new ValueError(
      `${r.where}: attribute 'num_outputs' must be from 1 to ${MAX_SPLIT_OUTPUTS}, got '${numOutputs}'`,
    );
  const axis = r.int('axis', 1);
  const squeezeAxis = r.bool('squeeze_axis', false);
  r.done();
  return op(
    numOutputs,
    (io) => {
      const x = io.ins[0] ?? null;
      if (x === null) return;
      const a = normAx(io.where, axis, x.length);
      const d = x[a] as number;
      const part = d === 0 ? 0 : d / numOutputs;
      const s = squeezeAxis ? [...x.slice(0, a), ...x.slice(a + 1)] : [...x.slice(0, a), part, ...x.slice(a + 1)];
      for (let i = 0; i < numOutputs; i++) io.setOut(i, s);
    },
    (ins) => nd.split(ins[0] as NDArray, numOutputs, axis, squeezeAxis),
  );
};

const sequenceMask: OpFactory = (r) => {
  const useSequenceLength = r.bool('use_sequence_length', false);
  const value = r.float('value', 0);
  const axis = r.int('axis', 0);
  r.done();
  return op(1, sameShape, (ins) => [
    nd.SequenceMask(ins[0] as NDArray, useSequenceLength ? (ins[1] as NDArray) : null, useSequenceLength, value, axis),
  ]);
};

const sequenceLast: OpFactory = (r) => {
  const useSequenceLength = r.bool('use_sequence_length', false);
  const axis = r.int('axis', 0);
  r.done();
  return op(
    1,
    (io) => {
      const x = io.ins[0] ?? null;
      if (x !== null)
        io.setOut(
          0,
          x.filter((_d, i) => i !== axis),
        );
    },
    (ins) => [
      nd.SequenceLast(ins[0] as NDArray, useSequenceLength ? (ins[1] as NDArray) : null, useSequenceLength, axis),
    ],
  );
};

const softmax: OpFactory = (r) => {
  const axis = r.int('axis', -1);
  const temperature = r.optFloat('temperature');
  r.str('dtype', 'None');
  const useLength = r.bool('use_length', false);
  r.done();
  return op(1, sameShape, (ins) => [
    nd.softmax(ins[0] as NDArray, useLength ? (ins[1] as NDArray) : null, { axis, temperature, useLength }),
  ]);
};

const logSoftmax: OpFactory = (r) => {
  const axis = r.int('axis', -1);
  const temperature = r.optFloat('temperature');
  r.str('dtype', 'None');
  r.bool('use_length', false);
  r.done();
  return op(1, sameShape, (ins) => [nd.log_softmax(ins[0] as NDArray, { axis, temperature })]);
};

const layerNorm: OpFactory = (r) => {
  const axis = r.int('axis', -1);
  const eps = r.float('eps', 1e-5);
  if (r.bool('output_mean_var', false)) throw new ValueError(`${r.where}: output_mean_var is not supported`);
  r.done();
  return op(
    1,
    (io) => {
      sameShape(io);
      const x = io.ins[0] ?? null;
      if (x === null) return;
      const c = x[normAx(io.where, axis, x.length)] as number;
      io.setIn(1, [c]);
      io.setIn(2, [c]);
    },
    (ins) => [nd.LayerNorm(ins[0] as NDArray, ins[1] as NDArray, ins[2] as NDArray, { axis, eps })],
  );
};

const batchNorm: OpFactory = (r) => {
  const eps = r.float('eps', 1e-3);
  r.float('momentum', 0.9);
  const fixGamma = r.bool('fix_gamma', true);
  r.bool('use_global_stats', false);
  if (r.bool('output_mean_var', false)) throw new ValueError(`${r.where}: output_mean_var is not supported`);
  const axis = r.int('axis', 1);
  r.bool('cudnn_off', false);
  r.optFloat('min_calib_range');
  r.optFloat('max_calib_range');
  r.done();
  return op(
    1,
    (io) => {
      sameShape(io);
      const x = io.ins[0] ?? null;
      if (x === null) return;
      const c = x[normAx(io.where, axis, x.length)] as number;
      for (let i = 1; i < 5; i++) io.setIn(i, [c]);
    },
    (ins) => {
      const [x, g, b, m, v] = ins as [NDArray, NDArray, NDArray, NDArray, NDArray];
      return [nd.BatchNorm(x, g, b, m, v, { eps, fixGamma, axis })];
    },
  );
};

const convolution: OpFactory = (r, node) => {
  const kernel = r.tuple('kernel');
  const stride = r.tuple('stride', []);
  const dilate = r.tuple('dilate', []);
  const pad = r.tuple('pad', []);
  const numFilter = r.int('num_filter');
  const numGroup = r.int('num_group', 1);
  r.int('workspace', 1024);
  const noBias = r.bool('no_bias', false);
  r.str('cudnn_tune', 'None');
  r.bool('cudnn_off', false);
  const layout = r.str('layout', 'None');
  r.done();
  expectBiasInputs(r, node, noBias);
  if (kernel.length !== 1)
    throw new ValueError(`${r.where}: only 1-d convolution is supported, got kernel ${shapeStr(kernel)}`);
  if (layout !== 'None' && layout !== 'NCW')
    throw new ValueError(`${r.where}: only layout NCW is supported, got '${layout}'`);
  const k = kernel[0] as number;
  const [st, dl, pd] = [stride[0] ?? 1, dilate[0] ?? 1, pad[0] ?? 0];
  const infer = (io: ShapeIO): void => {
    const x = io.ins[0] ?? null;
    if (x === null || x.length !== 3) return;
    const [N, C, W] = x as [number, number, number];
    io.setIn(1, [numFilter, C === 0 ? 0 : C / numGroup, k]);
    if (!noBias) io.setIn(2, [numFilter]);
    io.setOut(0, [N, numFilter, W === 0 ? 0 : Math.floor((W + 2 * pd - dl * (k - 1) - 1) / st) + 1]);
  };
  const opts = { kernel, stride, dilate, pad, numFilter, numGroup, noBias };
  return op(1, infer, (ins) => [
    nd.Convolution(ins[0] as NDArray, ins[1] as NDArray, noBias ? null : (ins[2] as NDArray), opts),
  ]);
};

const pooling: OpFactory = (r) => {
  const kernel = r.tuple('kernel', []);
  const poolType = r.choice('pool_type', ['max', 'avg', 'sum'] as const, 'max');
  const globalPool = r.bool('global_pool', false);
  r.bool('cudnn_off', false);
  const poolingConvention = r.choice('pooling_convention', ['valid', 'full'] as const, 'valid');
  const stride = r.tuple('stride', []);
  const pad = r.tuple('pad', []);
  r.optInt('p_value');
  const countIncludePad = r.has('count_include_pad') ? r.bool('count_include_pad') : true;
  const layout = r.str('layout', 'None');
  r.done();
  if (layout !== 'None' && layout !== 'NCW' && layout !== 'NWC')
    throw new ValueError(`${r.where}: only layouts NCW and NWC are supported, got '${layout}'`);
  return op(1, null, (ins) => [
    nd.Pooling(ins[0] as NDArray, {
      kernel,
      poolType,
      globalPool,
      poolingConvention,
      stride,
      pad,
      countIncludePad,
      layout: layout === 'None' ? null : (layout as 'NCW' | 'NWC'),
    }),
  ]);
};

const flatten: OpFactory = (r) => {
  r.done();
  return op(
    1,
    (io) => {
      const x = io.ins[0] ?? null;
      if (isKnown(x)) io.setOut(0, [x[0] ?? 1, shapeSize(x.slice(1))]);
    },
    (ins) => [nd.Flatten(ins[0] as NDArray)],
  );
};

const clip: OpFactory = (r) => {
  const lo = r.float('a_min');
  const hi = r.float('a_max');
  r.done();
  return op(1, sameShape, (ins) => [nd.clip(ins[0] as NDArray, lo, hi)]);
};

const sliceAxis: OpFactory = (r) => {
  const axis = r.int('axis');
  const begin = r.int('begin');
  const end = r.optInt('end');
  r.done();
  return op(1, null, (ins) => [nd.slice_axis(ins[0] as NDArray, axis, begin, end)]);
};

const squeeze: OpFactory = (r) => {
  const axis = r.optTuple('axis');
  r.done();
  return op(1, null, (ins) => [nd.squeeze(ins[0] as NDArray, axis)]);
};

const sequenceReverse: OpFactory = (r) => {
  const useSequenceLength = r.bool('use_sequence_length', false);
  const axis = r.int('axis', 0);
  r.done();
  return op(1, sameShape, (ins) => [
    nd.SequenceReverse(ins[0] as NDArray, useSequenceLength ? (ins[1] as NDArray) : null, useSequenceLength, axis),
  ]);
};

function dotOp(f: (a: NDArray, b: NDArray, transposeA: boolean, transposeB: boolean) => NDArray): OpFactory {
  return (r, node) => {
    const transposeA = r.bool('transpose_a', false);
    const transposeB = r.bool('transpose_b', false);
    r.choice('forward_stype', ['None', 'default'] as const, 'None');
    r.done();
    expectInputs(r, node, 2, 'takes 2 inputs');
    return op(1, null, (ins) => [f(ins[0] as NDArray, ins[1] as NDArray, transposeA, transposeB)]);
  };
}

const where: OpFactory = (r, node) => {
  r.done();
  expectInputs(r, node, 3, 'takes 3 inputs (condition, x, y)');
  return op(1, null, (ins) => [nd.where(ins[0] as NDArray, ins[1] as NDArray, ins[2] as NDArray)]);
};

function argReduceOp(f: nd.ArgReduceFn): OpFactory {
  return (r, node) => {
    const axis = r.optInt('axis');
    const keepdims = r.bool('keepdims', false);
    r.done();
    expectInputs(r, node, 1, 'takes 1 input');
    return op(1, null, (ins) => [f(ins[0] as NDArray, { axis, keepdims })]);
  };
}

const cast: OpFactory = (r) => {
  // Gluon note: everything computes in float32, so only a cast to float32 (the identity) runs.
  const dtype = r.str('dtype');
  r.done();
  if (dtype !== 'float32') throw new ValueError(`${r.where}: only dtype 'float32' is supported, got '${dtype}'`);
  return op(1, sameShape, (ins) => [ins[0] as NDArray]);
};

const identity = unaryOp((x) => x);

/** MXNet operator name -> its parser, shape inference and forward. */
export const OPERATORS: ReadonlyMap<string, OpFactory> = new Map<string, OpFactory>([
  ['RNN', rnnOp],
  ['_foreach', foreachOp],
  ['FullyConnected', fullyConnectedOp],
  ['Embedding', embedding],
  ['Activation', activation],
  ['LeakyReLU', leakyRelu],
  ['relu', unaryOp(nd.relu)],
  ['sigmoid', unaryOp(nd.sigmoid)],
  ['tanh', unaryOp(nd.tanh)],
  ['softsign', unaryOp(nd.softsign)],
  ['exp', unaryOp(nd.exp)],
  ['log', unaryOp(nd.log)],
  ['sqrt', unaryOp(nd.sqrt)],
  ['square', unaryOp(nd.square)],
  ['abs', unaryOp(nd.abs)],
  ['sign', unaryOp(nd.sign)],
  ['softmax', softmax],
  ['log_softmax', logSoftmax],
  ['Dropout', dropout],
  ['_copy', identity],
  ['identity', identity],
  ['BlockGrad', identity],
  ['Reshape', reshape],
  ['Flatten', flatten],
  ['SwapAxis', swapAxis],
  ['transpose', transpose],
  ['expand_dims', expandDims],
  ['squeeze', squeeze],
  ['slice_axis', sliceAxis],
  ['clip', clip],
  ['Concat', concatOp(1)],
  ['_rnn_param_concat', concatOp(2)],
  ['stack', stack],
  ['SliceChannel', sliceChannel],
  ['SequenceMask', sequenceMask],
  ['SequenceLast', sequenceLast],
  ['SequenceReverse', sequenceReverse],
  ['dot', dotOp((a, b, transposeA, transposeB) => nd.dot(a, b, { transposeA, transposeB }))],
  ['batch_dot', dotOp((a, b, transposeA, transposeB) => nd.batch_dot(a, b, { transposeA, transposeB }))],
  ['where', where],
  ['argmax', argReduceOp(nd.argmax)],
  ['argmin', argReduceOp(nd.argmin)],
  ['Cast', cast],
  ['LayerNorm', layerNorm],
  ['BatchNorm', batchNorm],
  ['Convolution', convolution],
  ['Pooling', pooling],
  ['_zeros', fillOp(0)],
  ['_ones', fillOp(1)],
  ['_full', fillOp(null)],
  ['zeros_like', likeOp(0)],
  ['ones_like', likeOp(1)],
  ['elemwise_add', elemwise((a, b) => nd.add(a, b))],
  ['elemwise_sub', elemwise((a, b) => nd.sub(a, b))],
  ['elemwise_mul', elemwise((a, b) => nd.mul(a, b))],
  ['elemwise_div', elemwise((a, b) => nd.div(a, b))],
  ['_maximum', elemwise((a, b) => nd.maximum(a, b))],
  ['_minimum', elemwise((a, b) => nd.minimum(a, b))],
  ['broadcast_add', broadcastOp(nd.broadcast_add)],
  ['broadcast_sub', broadcastOp(nd.broadcast_sub)],
  ['broadcast_mul', broadcastOp(nd.broadcast_mul)],
  ['broadcast_div', broadcastOp(nd.broadcast_div)],
  ['broadcast_maximum', broadcastOp(nd.broadcast_maximum)],
  ['broadcast_minimum', broadcastOp(nd.broadcast_minimum)],
  ['broadcast_power', broadcastOp(nd.broadcast_power)],
  ['broadcast_equal', broadcastOp(nd.broadcast_equal)],
  ['broadcast_not_equal', broadcastOp(nd.broadcast_not_equal)],
  ['broadcast_greater', broadcastOp(nd.broadcast_greater)],
  ['broadcast_greater_equal', broadcastOp(nd.broadcast_greater_equal)],
  ['broadcast_lesser', broadcastOp(nd.broadcast_lesser)],
  ['broadcast_lesser_equal', broadcastOp(nd.broadcast_lesser_equal)],
  ['_plus_scalar', scalarOp((x, s) => nd.add(x, s))],
  ['_minus_scalar', scalarOp((x, s) => nd.sub(x, s))],
  ['_rminus_scalar', scalarOp((x, s) => nd.sub(s, x))],
  ['_mul_scalar', scalarOp((x, s) => nd.mul(x, s))],
  ['_div_scalar', scalarOp((x, s) => nd.div(x, s))],
  ['_rdiv_scalar', scalarOp((x, s) => nd.div(s, x))],
  ['_maximum_scalar', scalarOp((x, s) => nd.maximum(x, s))],
  ['_minimum_scalar', scalarOp((x, s) => nd.minimum(x, s))],
  [
    '_power_scalar',
    scalarOp((x, s) =>
      tapeUnary(
        '_power_scalar',
        x,
        mapNd(x, (v) => v ** s),
        (v) => s * v ** (s - 1),
      ),
    ),
  ],
  [
    '_rpower_scalar',
    scalarOp((x, s) =>
      tapeUnary(
        '_rpower_scalar',
        x,
        mapNd(x, (v) => s ** v),
        (_v, y) => y * Math.log(s),
      ),
    ),
  ],
  ['sum', reduceOp(nd.sum)],
  ['mean', reduceOp(nd.mean)],
  ['max', reduceOp(nd.max)],
  ['min', reduceOp(nd.min)],
  ...TENSOR_OPERATORS,
]);
