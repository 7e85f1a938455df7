// The graph executor's operators of src/operator/tensor/ beyond the first table (operators.ts):
// indexing (indexing_op.cc), slicing and broadcasting (matrix_op.cc, broadcast_reduce_op_value.cc),
// ordering (ordering_op.cc), ranges (init_op.cc, contrib arange_like), norms, comparisons
// (elemwise_binary_*_op_logic.cc), unary math (elemwise_unary_op_*.cc), add_n and a few
// activations and losses (softmin, hard_sigmoid, smooth_l1). Each calls mx.nd
// where mx.nd has the operator; names and attributes are MXNet 1.9.1's registrations.

import { tapeUnary } from '../autograd/hooks.js';
import { tape } from '../autograd/tape.js';
import * as nd from '../ndarray/index.js';
import { NDArray, shapeSize, shapeStr } from '../ndarray/ndarray.js';
import { broadcastBinary } from '../ndarray/ops/broadcast.js';
import type { IndexMode } from '../ndarray/ops/indexing.js';
import { erf } from '../ndarray/ops/nn.js';
import type { SliceIndex } from '../ndarray/ops/shape.js';
import { ValueError } from '../util/errors.js';
import type { AttrReader } from './attrs.js';
import type { OpFactory } from './op.js';
import { elemwise, expectInputs, mapNd, normAx, op, reduceOp, sameShape, scalarOp } from './op_helpers.js';

/** `take`'s and `pick`'s `mode`; 'raise' (take only) checks the indices, then reads as 'clip'. */
function indexMode(r: AttrReader, raise: boolean): { mode: IndexMode; check: boolean } {
  const m = raise
    ? r.choice('mode', ['clip', 'wrap', 'raise'] as const, 'clip')
    : r.choice('mode', ['clip', 'wrap'] as const, 'clip');
  return { mode: m === 'wrap' ? 'wrap' : 'clip', check: m === 'raise' };
}

const take: OpFactory = (r, node) => {
  const axis = r.int('axis', 0);
  const { mode, check } = indexMode(r, true);
  r.done();
  expectInputs(r, node, 2, 'takes 2 inputs (a, indices)');
  return op(1, null, (ins) => {
    const [a, idx] = ins as [NDArray, NDArray];
    if (check) {
      const n = a.shape[normAx(r.where, axis, a.ndim)] as number;
      const bad = idx.data.find((v) => !(v >= 0 && Math.trunc(v) < n));
      if (bad !== undefined) throw new ValueError(`${r.where}: index ${bad} is out of range [0, ${n}) (mode 'raise')`);
    }
    return [nd.take(a, idx, axis, mode)];
  });
};

const pick: OpFactory = (r, node) => {
  const axis = r.optInt('axis', -1);
  const keepdims = r.bool('keepdims', false);
  const { mode } = indexMode(r, false);
  r.done();
  expectInputs(r, node, 2, 'takes 2 inputs (data, index)');
  if (axis === null) throw new ValueError(`${r.where}: axis None is not supported`);
  return op(1, null, (ins) => [nd.pick(ins[0] as NDArray, ins[1] as NDArray, { axis, keepdims, mode })]);
};

const oneHot: OpFactory = (r, node) => {
  const depth = r.int('depth');
  const onValue = r.float('on_value', 1);
  const offValue = r.float('off_value', 0);
  r.choice('dtype', ['float32'] as const, 'float32');
  r.done();
  expectInputs(r, node, 1, 'takes 1 input (indices)');
  return op(1, null, (ins) => [nd.one_hot(ins[0] as NDArray, depth, { onValue, offValue })]);
};

const gatherNd: OpFactory = (r, node) => {
  r.done();
  expectInputs(r, node, 2, 'takes 2 inputs (data, indices)');
  return op(1, null, (ins) => [nd.gather_nd(ins[0] as NDArray, ins[1] as NDArray)]);
};

const slice: OpFactory = (r, node) => {
  const begin = r.optIntTuple('begin');
  const end = r.optIntTuple('end');
  const step = r.optIntTuple('step', []);
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  return op(1, null, (ins) => [nd.slice(ins[0] as NDArray, begin, end, step)]);
};

const reverse: OpFactory = (r, node) => {
  const axes = r.tuple('axis');
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  return op(1, sameShape, (ins) => [axes.reduce((x, a) => nd.flip(x, a), ins[0] as NDArray)]);
};

const tile: OpFactory = (r, node) => {
  const reps = r.tuple('reps');
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  return op(1, null, (ins) => [nd.tile(ins[0] as NDArray, reps)]);
};

const repeat: OpFactory = (r, node) => {
  const repeats = r.int('repeats');
  const axis = r.optInt('axis');
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  return op(1, null, (ins) => [nd.repeat(ins[0] as NDArray, repeats, axis)]);
};

/** `x` broadcast to `shape` (its size-1 axes repeated): x * 1 keeps every value and sign. */
function broadcastTo(where: string, x: NDArray, shape: readonly number[]): NDArray {
  if (shape.length !== x.ndim || shape.some((d, i) => x.shape[i] !== d && x.shape[i] !== 1))
    throw new ValueError(`${where}: cannot broadcast ${shapeStr(x.shape)} to ${shapeStr(shape)}`);
  return nd.broadcast_mul(x, nd.ones([...shape]));
}

const broadcastToOp: OpFactory = (r, node) => {
  const shape = r.tuple('shape', []);
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  // A 0 keeps the input's dimension (broadcast_reduce_op.h BroadcastToShape).
  return op(1, null, (ins) => {
    const x = ins[0] as NDArray;
    return [
      broadcastTo(
        r.where,
        x,
        shape.map((d, i) => (d === 0 ? (x.shape[i] ?? 0) : d)),
      ),
    ];
  });
};

const broadcastLike: OpFactory = (r, node) => {
  const lhsAxes = r.optTuple('lhs_axes');
  const rhsAxes = r.optTuple('rhs_axes');
  r.done();
  expectInputs(r, node, 2, 'takes 2 inputs (lhs, rhs)');
  return op(1, null, (ins) => {
    const [x, like] = ins as [NDArray, NDArray];
    if (lhsAxes === null || rhsAxes === null) return [broadcastTo(r.where, x, like.shape)];
    if (lhsAxes.length !== rhsAxes.length)
      throw new ValueError(`${r.where}: lhs_axes and rhs_axes must have the same length`);
    const shape = [...x.shape];
    lhsAxes.forEach((a, i) => {
      shape[normAx(r.where, a, x.ndim)] = like.shape[normAx(r.where, rhsAxes[i] as number, like.ndim)] as number;
    });
    return [broadcastTo(r.where, x, shape)];
  });
};

const broadcastAxis: OpFactory = (r, node) => {
  const axes = r.tuple('axis', []);
  const sizes = r.tuple('size', []);
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  if (axes.length !== sizes.length) throw new ValueError(`${r.where}: axis and size must have the same length`);
  return op(1, null, (ins) => {
    const x = ins[0] as NDArray;
    const shape = [...x.shape];
    axes.forEach((a, i) => {
      shape[normAx(r.where, a, x.ndim)] = sizes[i] as number;
    });
    return [broadcastTo(r.where, x, shape)];
  });
};

/** Python's `dims[begin:end]` with None ends (reshape_like's and slice_like's ranges). */
function axisRange(where: string, begin: number | null, end: number | null, ndim: number): [number, number] {
  const at = (v: number | null, dflt: number): number => (v === null ? dflt : v < 0 ? v + ndim : v);
  const [b, e] = [at(begin, 0), at(end, ndim)];
  if (b < 0 || e > ndim || b > e)
    throw new ValueError(`${where}: range [${begin}, ${end}) is out of ${ndim} dimensions`);
  return [b, e];
}

const reshapeLike: OpFactory = (r, node) => {
  const [lb, le] = [r.optInt('lhs_begin'), r.optInt('lhs_end')];
  const [rb, re] = [r.optInt('rhs_begin'), r.optInt('rhs_end')];
  r.done();
  expectInputs(r, node, 2, 'takes 2 inputs (lhs, rhs)');
  return op(1, null, (ins) => {
    const [x, like] = ins as [NDArray, NDArray];
    const [b0, e0] = axisRange(r.where, lb, le, x.ndim);
    const [b1, e1] = axisRange(r.where, rb, re, like.ndim);
    const shape = [...x.shape.slice(0, b0), ...like.shape.slice(b1, e1), ...x.shape.slice(e0)];
    if (shapeSize(shape) !== x.size)
      throw new ValueError(`${r.where}: cannot reshape ${shapeStr(x.shape)} to ${shapeStr(shape)}`);
    return [nd.reshape(x, shape)];
  });
};

const sliceLike: OpFactory = (r, node) => {
  const axes = r.tuple('axes', []);
  r.done();
  expectInputs(r, node, 2, 'takes 2 inputs (data, shape_like)');
  return op(1, null, (ins) => {
    const [x, like] = ins as [NDArray, NDArray];
    const all = axes.length === 0;
    if (all && like.ndim !== x.ndim)
      throw new ValueError(`${r.where}: shape_like has ${like.ndim} dimensions, data ${x.ndim}`);
    const cut = new Set(all ? x.shape.map((_d, i) => i) : axes.map((a) => normAx(r.where, a, x.ndim)));
    const end: SliceIndex[] = x.shape.map((_d, i) => (cut.has(i) ? (like.shape[i] as number) : null));
    return [
      nd.slice(
        x,
        end.map(() => null),
        end,
      ),
    ];
  });
};

const topk: OpFactory = (r, node) => {
  const axis = r.optInt('axis', -1);
  const k = r.int('k', 1);
  const retTyp = r.choice('ret_typ', ['value', 'indices', 'both', 'mask'] as const, 'indices');
  const isAscend = r.bool('is_ascend', false);
  r.choice('dtype', ['float32'] as const, 'float32');
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  return op(retTyp === 'both' ? 2 : 1, null, (ins) => {
    const x = ins[0] as NDArray;
    if (retTyp === 'both') return nd.topk(x, { axis, k, retTyp, isAscend });
    return [nd.topk(x, { axis, k, retTyp, isAscend })];
  });
};

function sortOp(indices: boolean): OpFactory {
  return (r, node) => {
    const axis = r.optInt('axis', -1);
    const isAscend = r.bool('is_ascend', true);
    if (indices) r.choice('dtype', ['float32'] as const, 'float32');
    r.done();
    expectInputs(r, node, 1, 'takes 1 input');
    return op(1, null, (ins) => {
      const x = ins[0] as NDArray;
      return [indices ? nd.argsort(x, axis, isAscend) : nd.sort(x, axis, isAscend)];
    });
  };
}

const arange: OpFactory = (r, node) => {
  const start = r.float('start', 0);
  const stop = r.optFloat('stop');
  const step = r.float('step', 1);
  const repeat = r.int('repeat', 1);
  // Gluon note: infer_range (the stop taken from shape inference) is refused, not inferred.
  if (r.bool('infer_range', false)) throw new ValueError(`${r.where}: infer_range = True is not supported`);
  r.str('ctx', '');
  r.choice('dtype', ['float32'] as const, 'float32');
  r.done();
  expectInputs(r, node, 0, 'takes no input');
  return op(1, null, () => [nd.arange(start, { stop, step, repeat })]);
};

/** `_contrib_arange_like`: start + floor(i / repeat) * step in float32 over the data's shape or one axis. */
const arangeLike: OpFactory = (r, node) => {
  const start = Math.fround(r.float('start', 0));
  const step = Math.fround(r.float('step', 1));
  const repeat = r.int('repeat', 1);
  const axis = r.optInt('axis');
  r.str('ctx', '');
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  if (repeat < 1) throw new ValueError(`${r.where}: repeat must be >= 1, got ${repeat}`);
  return op(1, null, (ins) => {
    const x = ins[0] as NDArray;
    const shape = axis === null ? [...x.shape] : [x.shape[normAx(r.where, axis, x.ndim)] as number];
    const out = new Float32Array(shapeSize(shape));
    for (let i = 0; i < out.length; i++) out[i] = start + Math.fround(Math.floor(i / repeat) * step);
    return [new NDArray(out, shape)];
  });
};

const norm: OpFactory = (r, node) => {
  const ord = r.int('ord', 2);
  const axis = r.optTuple('axis');
  const keepdims = r.bool('keepdims', false);
  const outDtype = r.str('out_dtype', 'None');
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  if (ord !== 1 && ord !== 2) throw new ValueError(`${r.where}: ord must be 1 or 2, got ${ord}`);
  if (outDtype !== 'None' && outDtype !== 'float32')
    throw new ValueError(`${r.where}: out_dtype must be 'float32' or None, got '${outDtype}'`);
  const o = { ord: ord as 1 | 2, axis, keepdims };
  return op(1, null, (ins) => [nd.norm(ins[0] as NDArray, o)]);
};

const l2Normalization: OpFactory = (r, node) => {
  const eps = r.float('eps', 1e-10);
  const mode = r.choice('mode', ['instance', 'channel', 'spatial'] as const, 'instance');
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  return op(1, sameShape, (ins) => [nd.L2Normalization(ins[0] as NDArray, eps, mode)]);
};

/** `_contrib_div_sqrt_dim`: data / sqrt(its last dimension), the scale of dot-product attention. */
const divSqrtDim: OpFactory = (r, node) => {
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  return op(1, sameShape, (ins) => {
    const x = ins[0] as NDArray;
    return [nd.div(x, Math.fround(Math.sqrt(x.shape[x.ndim - 1] ?? 1)))];
  });
};

/** A truth value as MXNet's logical operators write it. */
const truth = (b: boolean): number => (b ? 1 : 0);

/** Records `out` of `inputs` with a zero gradient, as MXNet's comparisons and rounding have. */
function zeroGrad(name: string, inputs: readonly NDArray[], out: NDArray): NDArray {
  return tape(name, inputs, out, () => () => inputs.map(() => null));
}

/** Two operands of one shape (the `_*` operators of Python's `a > b` on symbols do not broadcast). */
function sameShapes(where: string, a: NDArray, b: NDArray): void {
  if (a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i]))
    throw new ValueError(`${where}: operands must have one shape, got ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
}

/**
 * `_name` (Python's `a > b` on two symbols: one shape) and `_name_scalar`, both computed by
 * mx.nd's `broadcast_name`, with MXNet's zero gradient.
 */
function compareOps(name: string, f: (a: NDArray, b: NDArray) => NDArray): [string, OpFactory][] {
  return [
    [
      `_${name}`,
      elemwise((a, b) => {
        sameShapes(`_${name}`, a, b);
        return zeroGrad(`_${name}`, [a, b], f(a, b));
      }),
    ],
    [
      `_${name}_scalar`,
      scalarOp((x, s) =>
        zeroGrad(
          `_${name}_scalar`,
          [x],
          f(
            x,
            nd.full(
              x.shape.map(() => 1),
              s,
            ),
          ),
        ),
      ),
    ],
  ];
}

/**
 * An elementwise float32 function with its derivative `d(x, y)` (mshadow_op.h's `*_grad`),
 * taped for autograd.
 */
function mathOp(name: string, f: (v: number) => number, d: (x: number, y: number) => number): [string, OpFactory] {
  return [
    name,
    (r, node) => {
      r.done();
      expectInputs(r, node, 1, 'takes 1 input');
      return op(1, sameShape, (ins) => {
        const x = ins[0] as NDArray;
        return [tapeUnary(name, x, mapNd(x, f), d)];
      });
    },
  ];
}

/** Rounding functions: a zero derivative, as MXNet's. */
const flat = (): number => 0;

/** MXNet's `round`: halves away from zero. */
const roundHalfAway = (v: number): number => Math.sign(v) * Math.round(Math.abs(v));

/** MXNet's `rint` (mshadow_op.h): the floor unless the ceiling is strictly nearer (halves go down). */
function rintHalfDown(v: number): number {
  const f = Math.floor(v);
  const c = Math.ceil(v);
  return v - f <= c - v ? f : c;
}

/** `1 / sqrt(x)` with sqrtf's rounding first, as MXNet computes it in float32. */
const rsqrt = (v: number): number => 1 / Math.fround(Math.sqrt(v));

/** `add_n` (`ElementWiseSum`): its `num_args` inputs of one shape summed in order. */
const addN: OpFactory = (r, node) => {
  const n = r.int('num_args');
  r.done();
  expectInputs(r, node, n, `num_args = ${n} asks for ${n} inputs`);
  if (n < 1) throw new ValueError(`${r.where}: num_args must be at least 1, got ${n}`);
  return op(1, null, (ins) => {
    const xs = ins as NDArray[];
    for (const x of xs) sameShapes(r.where, xs[0] as NDArray, x);
    return [xs.slice(1).reduce((acc, x) => nd.add(acc, x), xs[0] as NDArray)];
  });
};

/** `hard_sigmoid`: clip(alpha x + beta, 0, 1) in float32, slope alpha inside the ramp. */
const hardSigmoid: OpFactory = (r, node) => {
  const alpha = Math.fround(r.float('alpha', 0.2));
  const beta = Math.fround(r.float('beta', 0.5));
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  const ramp = (v: number): number => Math.fround(Math.fround(alpha * v) + beta);
  return op(1, sameShape, (ins) => {
    const x = ins[0] as NDArray;
    const y = mapNd(x, (v) => Math.min(1, Math.max(0, ramp(v))));
    return [tapeUnary('hard_sigmoid', x, y, (v) => (ramp(v) > 0 && ramp(v) < 1 ? alpha : 0))];
  });
};

/** `smooth_l1` (`scalar` = sigma): 0.5 (sigma x)^2 inside |x| < 1 / sigma^2, |x| - 0.5 / sigma^2 outside. */
const smoothL1: OpFactory = (r, node) => {
  const sigma = Math.fround(r.float('scalar'));
  r.bool('is_int', false);
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  const s2 = sigma * sigma;
  return op(1, sameShape, (ins) => {
    const x = ins[0] as NDArray;
    const y = mapNd(x, (v) => (Math.abs(v) < 1 / s2 ? 0.5 * v * v * s2 : Math.abs(v) - 0.5 / s2));
    return [tapeUnary('smooth_l1', x, y, (v) => (Math.abs(v) < 1 / s2 ? s2 * v : Math.sign(v)))];
  });
};

/** `softmin`: softmax of -data. MXNet registers no lengths input for it, so `use_length` is refused. */
const softmin: OpFactory = (r, node) => {
  const axis = r.int('axis', -1);
  const temperature = r.optFloat('temperature');
  r.str('dtype', 'None');
  if (r.bool('use_length', false))
    throw new ValueError(`${r.where}: use_length = True is not supported (softmin takes no lengths)`);
  r.done();
  expectInputs(r, node, 1, 'takes 1 input');
  return op(1, sameShape, (ins) => [nd.softmax(nd.mul(ins[0] as NDArray, -1), null, { axis, temperature })]);
};

/** `broadcast_logical_*`: 1 where both / either / exactly one operand is nonzero. */
function logicalOp(name: string, f: (a: boolean, b: boolean) => boolean): [string, OpFactory] {
  return [
    `broadcast_logical_${name}`,
    (r, node) => {
      r.done();
      expectInputs(r, node, 2, 'takes 2 inputs');
      return op(1, null, (ins) => {
        const [a, b] = ins as [NDArray, NDArray];
        return [
          zeroGrad(
            r.where,
            [a, b],
            broadcastBinary(r.where, a, b, (x, y) => truth(f(x !== 0, y !== 0))),
          ),
        ];
      });
    },
  ];
}

/** MXNet operator name -> its parser, shape inference and forward (this file's part of OPERATORS). */
export const TENSOR_OPERATORS: readonly [string, OpFactory][] = [
  ['take', take],
  ['pick', pick],
  ['one_hot', oneHot],
  ['gather_nd', gatherNd],
  ['slice', slice],
  ['reverse', reverse],
  ['tile', tile],
  ['repeat', repeat],
  ['broadcast_to', broadcastToOp],
  ['broadcast_like', broadcastLike],
  ['broadcast_axis', broadcastAxis],
  ['reshape_like', reshapeLike],
  ['slice_like', sliceLike],
  ['topk', topk],
  ['sort', sortOp(false)],
  ['argsort', sortOp(true)],
  ['_arange', arange],
  ['_contrib_arange_like', arangeLike],
  ['prod', reduceOp(nd.prod)],
  ['norm', norm],
  ['L2Normalization', l2Normalization],
  ['_contrib_div_sqrt_dim', divSqrtDim],
  ...compareOps('equal', nd.broadcast_equal),
  ...compareOps('not_equal', nd.broadcast_not_equal),
  ...compareOps('greater', nd.broadcast_greater),
  ...compareOps('greater_equal', nd.broadcast_greater_equal),
  ...compareOps('lesser', nd.broadcast_lesser),
  ...compareOps('lesser_equal', nd.broadcast_lesser_equal),
  [
    '_power',
    elemwise((a, b) => {
      sameShapes('_power', a, b);
      return nd.broadcast_power(a, b);
    }),
  ],
  mathOp(
    'reciprocal',
    (v) => 1 / v,
    (x) => -1 / (x * x),
  ),
  mathOp('rsqrt', rsqrt, (x) => -0.5 / (x * Math.sqrt(x))),
  mathOp('log1p', Math.log1p, (x) => 1 / (1 + x)),
  mathOp('expm1', Math.expm1, (x) => Math.exp(x)),
  mathOp('log2', Math.log2, (x) => 1 / (x * Math.LN2)),
  mathOp('log10', Math.log10, (x) => 1 / (x * Math.LN10)),
  mathOp('cbrt', Math.cbrt, (_x, y) => 1 / (3 * y * y)),
  mathOp('sin', Math.sin, (x) => Math.cos(x)),
  mathOp('cos', Math.cos, (x) => -Math.sin(x)),
  mathOp(
    'negative',
    (v) => -v,
    () => -1,
  ),
  mathOp('erf', erf, (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x)),
  mathOp('logical_not', (v) => truth(v === 0), flat),
  ['add_n', addN],
  ['hard_sigmoid', hardSigmoid],
  ['smooth_l1', smoothL1],
  ['softmin', softmin],
  logicalOp('and', (a, b) => a && b),
  logicalOp('or', (a, b) => a || b),
  logicalOp('xor', (a, b) => a !== b),
  mathOp('floor', Math.floor, flat),
  mathOp('ceil', Math.ceil, flat),
  mathOp('round', roundHalfAway, flat),
  mathOp('rint', rintHalfDown, flat),
  mathOp('trunc', Math.trunc, flat),
  mathOp('fix', Math.trunc, flat),
];
