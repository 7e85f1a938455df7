// NDArray operators: dot, FullyConnected, concat/stack/split, broadcasting arithmetic,
// activations, Embedding, Dropout. Matrix products run on the wasm SGEMM.

import {
  concatGrad,
  dotGrad,
  embeddingGrad,
  fullyConnectedGrad,
  gatherGrad,
  gemm,
  maskGrad,
  whereGrad,
} from '../autograd/grads.js';
import { tapeArith, tapeUnary } from '../autograd/hooks.js';
import { isTraining, tape } from '../autograd/tape.js';
import { nextUniform } from '../random.js';
import { describe } from '../util/describe.js';
import { type PositionalArgs, parseArgs } from '../util/options.js';
import { NDArray, normAxis, sameShape, shapeSize, shapeStr, zerosOf } from './ndarray.js';
import { broadcastBinary } from './ops/broadcast.js';
import { checkNd } from './ops/common.js';

/** Keyword options of {@link dot} (`nd.dot(lhs, rhs, transpose_a=False, transpose_b=False)`). */
export interface DotOptions {
  /** The left operand. */
  lhs?: NDArray;
  /** The right operand. */
  rhs?: NDArray;
  /** Contract the first axis of lhs instead of its last. */
  transposeA?: boolean;
  /** Contract the last axis of rhs instead of its first. */
  transposeB?: boolean;
}

/**
 * `nd.dot(lhs, rhs, transposeA=false, transposeB=false)` with mx.nd.dot's N-d rule: the last
 * axis of lhs (the first, when transposed) contracts with the first axis of rhs (the last,
 * when transposed); the output shape is the remaining lhs axes then the remaining rhs axes.
 */
export function dot(
  ...args:
    | PositionalArgs<[lhs: NDArray, rhs: NDArray], [transposeA: boolean, transposeB: boolean], DotOptions>
    | [options: DotOptions & { lhs: NDArray; rhs: NDArray }]
): NDArray;
export function dot(...args: unknown[]): NDArray {
  const o = parseArgs<{ lhs: unknown; rhs: unknown; transposeA: boolean; transposeB: boolean }>(
    'nd.dot',
    args,
    ['lhs', 'rhs', 'transposeA', 'transposeB'],
    { transposeA: false, transposeB: false },
    ['lhs', 'rhs'],
  );
  const a = checkNd('nd.dot', 'lhs', o.lhs);
  const b = checkNd('nd.dot', 'rhs', o.rhs);
  if (a.ndim === 0 || b.ndim === 0)
    throw new RangeError(
      `nd.dot: inputs must have at least one dimension, got lhs ${shapeStr(a.shape)} and rhs ${shapeStr(b.shape)}`,
    );
  const ta = !!o.transposeA;
  const tb = !!o.transposeB;
  const ka = ta ? (a.shape[0] as number) : (a.shape[a.ndim - 1] as number);
  const aRest = ta ? a.shape.slice(1) : a.shape.slice(0, -1);
  const kb = tb ? (b.shape[b.ndim - 1] as number) : (b.shape[0] as number);
  const bRest = tb ? b.shape.slice(0, -1) : b.shape.slice(1);
  if (ka !== kb) {
    throw new RangeError(
      `nd.dot: shape mismatch: lhs ${shapeStr(a.shape)}${ta ? ' (transposed)' : ''} contracts a dimension of ${ka} but rhs ${shapeStr(b.shape)}${tb ? ' (transposed)' : ''} has ${kb}`,
    );
  }
  const m = shapeSize(aRest);
  const n = shapeSize(bRest);
  const out = gemm(ta, tb, m, n, ka, a.data, b.data, 'dot');
  const shape = [...aRest, ...bRest];
  return tape('dot', [a, b], new NDArray(out, shape.length === 0 ? [1] : shape), () => dotGrad(a, b, ta, tb, m, n, ka));
}

/** Keyword options of {@link FullyConnected}. */
export interface FullyConnectedOptions {
  /** The input array. */
  data?: NDArray;
  /** (numHidden, inputDim). */
  weight?: NDArray;
  /** (numHidden,), or null with `noBias`. */
  bias?: NDArray | null;
  /** Checked against the weight's first dimension when given. */
  numHidden?: number;
  /** Leave out the bias (default false). */
  noBias?: boolean;
  /** Flatten all but the first input axis (true), or apply to the last axis only (false). */
  flatten?: boolean;
}

/**
 * `nd.FullyConnected(data, weight, bias, numHidden, noBias=false, flatten=true)`:
 * y = x W^T + b over the flattened input (flatten) or over the last axis.
 */
export function FullyConnected(
  ...args:
    | PositionalArgs<
        [data: NDArray, weight: NDArray],
        [bias: NDArray | null, numHidden: number, noBias: boolean, flatten: boolean],
        FullyConnectedOptions
      >
    | [options: FullyConnectedOptions & { data: NDArray; weight: NDArray }]
): NDArray;
export function FullyConnected(...args: unknown[]): NDArray {
  const o = parseArgs<{
    data: unknown;
    weight: unknown;
    bias: unknown;
    numHidden: number;
    noBias: boolean;
    flatten: boolean;
  }>(
    'nd.FullyConnected',
    args,
    ['data', 'weight', 'bias', 'numHidden', 'noBias', 'flatten'],
    { noBias: false, flatten: true, bias: null },
    ['data', 'weight'],
  );
  return fullyConnected(o, null);
}

/**
 * `y (m x units) = x W^T + b` for `m` rows of `x` from a weight and bias packed ahead (Dense's
 * wasm kernel). @internal
 */
export type PackedFullyConnected = (x: Float32Array, m: number) => Float32Array;

/**
 * nd.FullyConnected's checks and result over parsed options: the product (and bias) from
 * `packed` when given (its weight and bias must be `o.weight` and `o.bias`), else the SGEMM.
 * @internal
 */
export function fullyConnected(
  o: { data: unknown; weight: unknown; bias: unknown; numHidden?: number; noBias: boolean; flatten: boolean },
  packed: PackedFullyConnected | null,
): NDArray {
  const x = checkNd('nd.FullyConnected', 'data', o.data);
  const w = checkNd('nd.FullyConnected', 'weight', o.weight);
  if (w.ndim !== 2)
    throw new RangeError(`nd.FullyConnected: weight must be 2-d (numHidden, inputDim), got ${shapeStr(w.shape)}`);
  const units = w.shape[0] as number;
  if (o.numHidden !== undefined && o.numHidden !== units) {
    throw new RangeError(`nd.FullyConnected: numHidden is ${o.numHidden} but weight has shape ${shapeStr(w.shape)}`);
  }
  const k = w.shape[1] as number;
  const lead = o.flatten ? [x.shape[0] as number] : x.shape.slice(0, -1);
  const inDim = o.flatten ? shapeSize(x.shape.slice(1)) : (x.shape[x.ndim - 1] as number);
  if (inDim !== k) {
    throw new RangeError(
      `nd.FullyConnected: input ${shapeStr(x.shape)} has ${inDim} features${o.flatten ? ' (flattened)' : ''} but weight ${shapeStr(w.shape)} expects ${k}`,
    );
  }
  let b: NDArray | null = null;
  if (!o.noBias && o.bias !== null && o.bias !== undefined) {
    b = checkNd('nd.FullyConnected', 'bias', o.bias);
    if (b.size !== units)
      throw new RangeError(`nd.FullyConnected: bias ${shapeStr(b.shape)} does not match ${units} hidden units`);
  }
  const m = shapeSize(lead);
  let out: Float32Array;
  if (packed !== null) {
    out = packed(x.data, m);
  } else {
    out = gemm(false, true, m, units, k, x.data, w.data, 'dot');
    if (b !== null) {
      const bd = b.data;
      for (let r = 0; r < m; r++) {
        const off = r * units;
        for (let j = 0; j < units; j++) out[off + j] = (out[off + j] as number) + (bd[j] as number);
      }
    }
  }
  return tape('FullyConnected', [x, w, b], new NDArray(out, [...lead, units]), () =>
    fullyConnectedGrad(x, w, b !== null, m, units, k),
  );
}

function listArgs(where: string, args: unknown[]): { arrays: NDArray[]; opts: unknown[] } {
  const arrays: NDArray[] = [];
  let i = 0;
  if (Array.isArray(args[0])) {
    (args[0] as unknown[]).forEach((a, j) => {
      arrays.push(checkNd(where, `data[${j}]`, a));
    });
    i = 1;
  } else {
    while (i < args.length && args[i] instanceof NDArray) arrays.push(args[i++] as NDArray);
  }
  if (arrays.length === 0) throw new RangeError(`${where}: needs at least one input array`);
  return { arrays, opts: args.slice(i) };
}

/** Keyword options of {@link concat}. */
export interface ConcatOptions {
  /** The axis to join along (default 1). */
  dim?: number;
}

/** `nd.concat(a, b, ..., { dim: 1 })` (or an array of NDArrays first). */
export function concat(...args: [...data: NDArray[], options: ConcatOptions] | NDArray[]): NDArray;
export function concat(data: readonly NDArray[], options?: ConcatOptions): NDArray;
export function concat(...args: unknown[]): NDArray {
  const { arrays, opts } = listArgs('nd.concat', args);
  const o = parseArgs<{ dim: number }>('nd.concat', opts, ['dim'], { dim: 1 });
  const first = arrays[0] as NDArray;
  const nd = first.ndim;
  const ax = normAxis(o.dim, nd, 'nd.concat(dim)');
  for (const a of arrays) {
    if (a.ndim !== nd || a.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new RangeError(
        `nd.concat: shapes ${arrays.map((x) => shapeStr(x.shape)).join(', ')} differ outside dim ${ax}`,
      );
    }
  }
  const outer = shapeSize(first.shape.slice(0, ax));
  const inner = shapeSize(first.shape.slice(ax + 1));
  const total = arrays.reduce((s, a) => s + (a.shape[ax] as number), 0);
  const out = new Float32Array(outer * total * inner);
  let off = 0;
  for (let o2 = 0; o2 < outer; o2++) {
    for (const a of arrays) {
      const len = (a.shape[ax] as number) * inner;
      out.set(a.data.subarray(o2 * len, (o2 + 1) * len), off);
      off += len;
    }
  }
  const shape = [...first.shape];
  shape[ax] = total;
  return tape('concat', arrays, new NDArray(out, shape), () =>
    concatGrad(
      arrays.map((a) => a.shape[ax] as number),
      outer,
      inner,
    ),
  );
}

/** Keyword options of {@link stack}. */
export interface StackOptions {
  /** The position of the new axis (default 0). */
  axis?: number;
}

/** `nd.stack([a, b, ...], { axis: 0 })` (or the arrays as separate arguments). */
export function stack(data: readonly NDArray[], options?: StackOptions): NDArray;
export function stack(...args: [...data: NDArray[], options: StackOptions] | NDArray[]): NDArray;
export function stack(...args: unknown[]): NDArray {
  const { arrays, opts } = listArgs('nd.stack', args);
  const o = parseArgs<{ axis: number }>('nd.stack', opts, ['axis'], { axis: 0 });
  const first = arrays[0] as NDArray;
  for (const a of arrays) {
    if (a.ndim !== first.ndim || a.shape.some((d, i) => d !== first.shape[i])) {
      throw new RangeError(
        `nd.stack: all inputs must have the same shape, got ${arrays.map((x) => shapeStr(x.shape)).join(', ')}`,
      );
    }
  }
  const ax = normAxis(o.axis, first.ndim + 1, 'nd.stack(axis)');
  return concat(
    arrays.map((a) => a.expandDims(ax)),
    { dim: ax },
  );
}

/** Keyword options of {@link split}. */
export interface SplitOptions {
  /** The input array. */
  data?: NDArray;
  /** How many equal parts. */
  numOutputs?: number;
  /** The axis to split (default 1). */
  axis?: number;
  /** Drop the split axis (each part must have size 1 there). */
  squeezeAxis?: boolean;
}

/**
 * The most arrays one `nd.split` (or `SliceChannel`) returns. Each is a JavaScript object of
 * its own (2^20 of them hold ~300 MB of heap); an empty axis divides into any number of parts,
 * so without a bound a count like 2^40 would exhaust the heap instead of being refused.
 */
export const MAX_SPLIT_OUTPUTS = 2 ** 20;

/**
 * `nd.split(data, numOutputs, { axis: 1, squeezeAxis: false })`. More than 2^20 parts are
 * refused with a RangeError (an empty axis divides into any number).
 * Gluon note: always returns an array, also for numOutputs = 1 (Python returns the bare NDArray).
 */
export function split(
  ...args:
    | PositionalArgs<[data: NDArray, numOutputs: number], [axis: number, squeezeAxis: boolean], SplitOptions>
    | [options: SplitOptions & { data: NDArray; numOutputs: number }]
): NDArray[];
export function split(...args: unknown[]): NDArray[] {
  const o = parseArgs<{ data: unknown; numOutputs: number; axis: number; squeezeAxis: boolean }>(
    'nd.split',
    args,
    ['data', 'numOutputs', 'axis', 'squeezeAxis'],
    { axis: 1, squeezeAxis: false },
    ['data', 'numOutputs'],
  );
  const x = checkNd('nd.split', 'data', o.data);
  const ax = normAxis(o.axis, x.ndim, 'nd.split(axis)');
  const n = x.shape[ax] as number;
  const k = o.numOutputs;
  if (k > MAX_SPLIT_OUTPUTS)
    throw new RangeError(`nd.split: numOutputs ${k} is more than the ${MAX_SPLIT_OUTPUTS} arrays one call returns`);
  if (!Number.isInteger(k) || k < 1 || n % k !== 0) {
    throw new RangeError(
      `nd.split: numOutputs ${String(k)} does not evenly divide axis ${ax} of shape ${shapeStr(x.shape)}`,
    );
  }
  const step = n / k;
  if (o.squeezeAxis && step !== 1)
    throw new RangeError(`nd.split: squeezeAxis needs sections of size 1, got ${step} on axis ${ax}`);
  const out: NDArray[] = [];
  for (let i = 0; i < k; i++) {
    const part = x.sliceAxis(ax, i * step, (i + 1) * step);
    out.push(o.squeezeAxis ? part.squeeze(ax) : part);
  }
  return out;
}

function binary(where: string, lhs: unknown, rhs: unknown, f: (x: number, y: number) => number): NDArray {
  if (typeof lhs === 'number' && typeof rhs === 'number') return new NDArray(Float32Array.of(f(lhs, rhs)), [1]);
  if (typeof rhs === 'number') {
    const a = checkNd(where, 'lhs', lhs);
    const out = new Float32Array(a.size);
    for (let i = 0; i < out.length; i++) out[i] = f(a.data[i] as number, rhs);
    return new NDArray(out, a.shape);
  }
  if (typeof lhs === 'number') {
    const b = checkNd(where, 'rhs', rhs);
    const out = new Float32Array(b.size);
    for (let i = 0; i < out.length; i++) out[i] = f(lhs, b.data[i] as number);
    return new NDArray(out, b.shape);
  }
  return broadcastBinary(where, checkNd(where, 'lhs', lhs), checkNd(where, 'rhs', rhs), f);
}

/** `nd.add(lhs, rhs)` with broadcasting (either side may be a number). */
export function add(lhs: NDArray | number, rhs: NDArray | number): NDArray {
  return tapeArith(
    'nd.add',
    lhs,
    rhs,
    binary('nd.add', lhs, rhs, (x, y) => x + y),
  );
}
/** `nd.subtract(lhs, rhs)` with broadcasting. */
export function sub(lhs: NDArray | number, rhs: NDArray | number): NDArray {
  return tapeArith(
    'nd.sub',
    lhs,
    rhs,
    binary('nd.sub', lhs, rhs, (x, y) => x - y),
  );
}
/** `nd.multiply(lhs, rhs)` with broadcasting. */
export function mul(lhs: NDArray | number, rhs: NDArray | number): NDArray {
  return tapeArith(
    'nd.mul',
    lhs,
    rhs,
    binary('nd.mul', lhs, rhs, (x, y) => x * y),
  );
}
/** `nd.divide(lhs, rhs)` with broadcasting. */
export function div(lhs: NDArray | number, rhs: NDArray | number): NDArray {
  return tapeArith(
    'nd.div',
    lhs,
    rhs,
    binary('nd.div', lhs, rhs, (x, y) => x / y),
  );
}

function unary(where: string, x: unknown, f: (v: number) => number, grad?: string): NDArray {
  const a = checkNd(where, 'data', x);
  const out = new Float32Array(a.size);
  const d = a.data;
  for (let i = 0; i < out.length; i++) out[i] = f(d[i] as number);
  const y = new NDArray(out, a.shape);
  return grad === undefined ? y : tapeUnary(grad, a, y);
}

const sigm = (v: number): number => 1 / (1 + Math.exp(-v));
/** MXNet's softrelu: log(1 + exp(x)), computed without overflow. */
const softr = (v: number): number => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));

/** The activation names of MXNet's `Activation` operator. */
export type ActType = 'relu' | 'sigmoid' | 'tanh' | 'softrelu' | 'softsign';

/** @internal The elementwise function of each activation. */
export const ACTIVATIONS: Readonly<Record<string, (v: number) => number>> = {
  // biome-ignore lint/complexity/useMathMinMax: MXNet's relu (x > 0 ? x : 0), also for NaN and -0
  relu: (v) => (v > 0 ? v : 0),
  sigmoid: sigm,
  tanh: Math.tanh,
  softrelu: softr,
  softsign: (v) => v / (1 + Math.abs(v)),
};

/** Elementwise `max(x, 0)` (`nd.relu`). */
export function relu(x: NDArray): NDArray {
  return unary('nd.relu', x, ACTIVATIONS.relu as (v: number) => number, 'relu');
}
/** Elementwise `1 / (1 + exp(-x))` (`nd.sigmoid`). */
export function sigmoid(x: NDArray): NDArray {
  return unary('nd.sigmoid', x, sigm, 'sigmoid');
}
/** Elementwise hyperbolic tangent (`nd.tanh`). */
export function tanh(x: NDArray): NDArray {
  return unary('nd.tanh', x, Math.tanh, 'tanh');
}
/** Elementwise `log(1 + exp(x))` (`nd.Activation` with `act_type="softrelu"`). */
export function softrelu(x: NDArray): NDArray {
  return unary('nd.softrelu', x, softr, 'softrelu');
}
/** Elementwise `x / (1 + |x|)` (`nd.softsign`). */
export function softsign(x: NDArray): NDArray {
  return unary('nd.softsign', x, ACTIVATIONS.softsign as (v: number) => number, 'softsign');
}
/** Elementwise `e^x` (`nd.exp`). */
export function exp(x: NDArray): NDArray {
  return unary('nd.exp', x, Math.exp, 'exp');
}
/** Elementwise absolute value (`nd.abs`). */
export function abs(x: NDArray): NDArray {
  return unary('nd.abs', x, Math.abs, 'abs');
}

/** Keyword options of {@link clip} (`nd.clip(data, a_min, a_max)`). */
export interface ClipOptions {
  /** The lower bound. */
  aMin?: number;
  /** The upper bound. */
  aMax?: number;
}

/** `nd.clip(data, a_min, a_max)`: every value limited to [aMin, aMax] (positional or `{ aMin, aMax }`). */
export function clip(data: NDArray, options: ClipOptions & { aMin: number; aMax: number }): NDArray;
export function clip(data: NDArray, aMin: number, aMax: number): NDArray;
export function clip(...args: unknown[]): NDArray {
  const o = parseArgs<ClipOptions & { data: unknown }>('nd.clip', args, ['data', 'aMin', 'aMax'], {}, [
    'data',
    'aMin',
    'aMax',
  ]);
  const lo = o.aMin;
  const hi = o.aMax;
  for (const [k, v] of [
    ['aMin', lo],
    ['aMax', hi],
  ] as const) {
    if (typeof v !== 'number' || Number.isNaN(v))
      throw new TypeError(`nd.clip: ${k} must be a number, got ${describe(v)}`);
  }
  const x = checkNd('nd.clip', 'data', o.data);
  const y = unary('nd.clip', x, (v) => Math.min(Math.max(v, lo as number), hi as number));
  // clip's gradient passes where lo <= x <= hi (mshadow_op::clip backward).
  return tapeUnary('clip', x, y, (v) => (v >= (lo as number) && v <= (hi as number) ? 1 : 0));
}

/** Keyword options of {@link Activation} (the operator; `nn.Activation` is the block). */
export interface ActivationOpOptions {
  /** The input array. */
  data?: NDArray;
  /** The activation. */
  actType?: ActType;
}

/** `nd.Activation(data, actType)`: actType one of relu, sigmoid, tanh, softrelu, softsign. */
export function Activation(
  ...args:
    | [data: NDArray, actType: ActType]
    | [data: NDArray, options: ActivationOpOptions & { actType: ActType }]
    | [options: ActivationOpOptions & { data: NDArray; actType: ActType }]
): NDArray;
export function Activation(...args: unknown[]): NDArray {
  const o = parseArgs<{ data: unknown; actType: string }>('nd.Activation', args, ['data', 'actType'], {}, [
    'data',
    'actType',
  ]);
  const f = ACTIVATIONS[o.actType];
  if (f === undefined) {
    throw new RangeError(
      `nd.Activation: actType must be one of ${Object.keys(ACTIVATIONS).join(', ')}, got '${String(o.actType)}'`,
    );
  }
  return unary('nd.Activation', o.data, f, o.actType);
}

/** Keyword options of {@link Dropout} (the operator; `nn.Dropout` is the block). */
export interface DropoutOpOptions {
  /** The input array. */
  data?: NDArray;
  /** The drop probability (default 0.5). */
  p?: number;
  /** 'training' (drop only in training) or 'always' (which throws here for p > 0). */
  mode?: 'training' | 'always';
  /** Axes along which one mask is shared. */
  axes?: readonly number[];
}

/**
 * `nd.Dropout(data, p=0.5, mode='training', axes=())`: in training mode (`autograd.record()` or
 * `autograd.trainMode()`), or always with mode 'always', each element is zeroed with probability
 * `p` and the survivors are scaled by 1/(1-p); one mask is shared along `axes`. Otherwise the
 * identity (the input itself is returned), as MXNet's Dropout outside training.
 * Gluon note: the masks come from `mx.random.seed`'s generator, so they are not MXNet's bits;
 * their distribution and the scaling are MXNet's (src/operator/nn/dropout-inl.h).
 */
export function Dropout(
  ...args:
    | PositionalArgs<
        [data: NDArray],
        [p: number, mode: 'training' | 'always', axes: readonly number[]],
        DropoutOpOptions
      >
    | [options: DropoutOpOptions & { data: NDArray }]
): NDArray;
export function Dropout(...args: unknown[]): NDArray {
  const o = parseArgs<{ data: unknown; p: number; mode: string; axes: unknown }>(
    'nd.Dropout',
    args,
    ['data', 'p', 'mode', 'axes'],
    { p: 0.5, mode: 'training', axes: [] },
    ['data'],
  );
  if (o.mode !== 'training' && o.mode !== 'always')
    throw new RangeError(`nd.Dropout: mode must be 'training' or 'always', got '${o.mode}'`);
  if (typeof o.p !== 'number' || !(o.p >= 0 && o.p <= 1))
    throw new RangeError(`nd.Dropout: p must be a number in [0, 1], got ${describe(o.p)}`);
  const x = checkNd('nd.Dropout', 'data', o.data);
  if (!Array.isArray(o.axes))
    throw new TypeError(`nd.Dropout: axes must be an array of integers, got ${describe(o.axes)}`);
  const axes = (o.axes as unknown[]).map((a) => normAxis(a as number, x.ndim, 'nd.Dropout(axes)'));
  if (o.p === 0 || (o.mode === 'training' && !isTraining())) return x;
  const maskShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const keep = 1 - o.p;
  const scale = 1 / keep;
  const mask = new Float32Array(shapeSize(maskShape));
  // MXNet's mask is bernoulli(keep) * (1 / keep): with p = 1 that is 0 * Infinity, NaN, as MXNet gives.
  for (let i = 0; i < mask.length; i++) mask[i] = (nextUniform() < keep ? 1 : 0) * scale;
  const g = maskGrad(mask, maskShape, x.shape);
  const y = new NDArray(g(x.data)[0] as Float32Array, x.shape);
  return tape('Dropout', [x], y, () => g);
}

/** Keyword options of {@link Embedding} (the operator; `nn.Embedding` is the block). */
export interface EmbeddingOpOptions {
  /** The ids. */
  data?: NDArray;
  /** (inputDim, outputDim). */
  weight?: NDArray;
  /** Checked against the weight's first dimension when given. */
  inputDim?: number;
  /** Checked against the weight's second dimension when given. */
  outputDim?: number;
}

/**
 * `nd.Embedding(data, weight, inputDim, outputDim)`: rows of `weight` gathered at the ids in
 * `data` (float ids truncated to integers, then clipped to [0, inputDim-1], MXNet's `clip` mode).
 */
export function Embedding(
  ...args:
    | PositionalArgs<[data: NDArray, weight: NDArray], [inputDim: number, outputDim: number], EmbeddingOpOptions>
    | [options: EmbeddingOpOptions & { data: NDArray; weight: NDArray }]
): NDArray;
export function Embedding(...args: unknown[]): NDArray {
  const o = parseArgs<{ data: unknown; weight: unknown; inputDim: number; outputDim: number }>(
    'nd.Embedding',
    args,
    ['data', 'weight', 'inputDim', 'outputDim'],
    {},
    ['data', 'weight'],
  );
  const x = checkNd('nd.Embedding', 'data', o.data);
  const w = checkNd('nd.Embedding', 'weight', o.weight);
  if (w.ndim !== 2)
    throw new RangeError(`nd.Embedding: weight must be 2-d (inputDim, outputDim), got ${shapeStr(w.shape)}`);
  const rows = w.shape[0] as number;
  const dim = w.shape[1] as number;
  if ((o.inputDim !== undefined && o.inputDim !== rows) || (o.outputDim !== undefined && o.outputDim !== dim)) {
    throw new RangeError(
      `nd.Embedding: weight ${shapeStr(w.shape)} does not match inputDim ${String(o.inputDim)}, outputDim ${String(o.outputDim)}`,
    );
  }
  const out = zerosOf([...x.shape, dim], 'nd.Embedding');
  const ids = new Int32Array(x.size);
  for (let i = 0; i < x.size; i++) {
    let id = Math.trunc(x.data[i] as number);
    if (!(id >= 0)) id = 0;
    if (id > rows - 1) id = rows - 1;
    ids[i] = id;
    out.set(w.data.subarray(id * dim, (id + 1) * dim), i * dim);
  }
  return tape('Embedding', [x, w], new NDArray(out, [...x.shape, dim]), () => embeddingGrad(ids, rows, dim));
}

/**
 * `nd.where(condition, x, y)`: x where condition is non-zero, else y. x and y have one shape;
 * condition has that shape too (element by element), or is a vector of x's first dimension
 * (row by row), as MXNet's `WhereOpShape` (src/operator/tensor/control_flow_op.h) allows.
 */
export function where(condition: NDArray, x: NDArray, y: NDArray): NDArray {
  const c = checkNd('nd.where', 'condition', condition);
  checkNd('nd.where', 'x', x);
  checkNd('nd.where', 'y', y);
  if (!sameShape(x.shape, y.shape))
    throw new RangeError(
      `nd.where: x and y must have the same shape, got ${shapeStr(x.shape)} and ${shapeStr(y.shape)}`,
    );
  const rows = c.ndim !== x.ndim;
  if (rows ? c.ndim !== 1 || c.size !== x.shape[0] : !sameShape(c.shape, x.shape)) {
    throw new RangeError(
      `nd.where: condition must have x's shape ${shapeStr(x.shape)} or be a vector of its first dimension, got ${shapeStr(c.shape)}`,
    );
  }
  // Elements per condition value: 1, or a row of x.
  const m = rows ? x.size / Math.max(1, c.size) : 1;
  const out = new Float32Array(x.size);
  for (let i = 0; i < out.length; i++) {
    const from = (c.data[Math.floor(i / m)] as number) !== 0 ? x : y;
    out[i] = from.data[i] as number;
  }
  return tape('where', [c, x, y], new NDArray(out, x.shape), () => whereGrad(c, m));
}

/** `nd.flip(data, axis)`: reverses one axis. */
export function flip(x: NDArray, axis: number): NDArray {
  checkNd('nd.flip', 'data', x);
  const ax = normAxis(axis, x.ndim, 'nd.flip(axis)');
  const n = x.shape[ax] as number;
  const outer = shapeSize(x.shape.slice(0, ax));
  const inner = shapeSize(x.shape.slice(ax + 1));
  const out = new Float32Array(x.size);
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < n; t++) {
      const src = (o * n + t) * inner;
      out.set(x.data.subarray(src, src + inner), (o * n + (n - 1 - t)) * inner);
    }
  }
  return tape('flip', [x], new NDArray(out, x.shape), () => gatherGrad(x, (i) => flip(i, ax)));
}

// reshape, swapaxes, transpose, expand_dims and slice_axis take MXNet's keywords too; they live
// with the other shape operators. expandDims and sliceAxis are the earlier names, kept as aliases.
export {
  expand_dims as expandDims,
  reshape,
  slice_axis as sliceAxis,
  swapaxes,
  transpose,
} from './ops/shape.js';
