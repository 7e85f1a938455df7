// Neural-network operators around a recurrent model (src/operator/l2_normalization-inl.h,
// nn/layer_norm-inl.h, tensor/dot-inl.h): L2Normalization, LayerNorm, batch_dot.

import { batchDotGrad, batchNormGrad, identityGrad, layerNormGrad } from '../../autograd/grads.js';
import { l2NormalizationGrad, leakyReluGrad } from '../../autograd/nn_grads.js';
import { isTraining, tape } from '../../autograd/tape.js';
import { backend } from '../../backend/index.js';
import { layerNormRows } from '../../backend/norm.js';
import { describe } from '../../util/describe.js';
import { checkNumber, parseArgs } from '../../util/options.js';
import { NDArray, shapeSize, shapeStr, zerosOf } from '../ndarray.js';
import { around, axisOf, checkBool, checkChoice, checkNd } from './common.js';

/** Keyword options of {@link L2Normalization} (`nd.L2Normalization(data, eps=1e-10, mode='instance')`). */
export interface L2NormalizationOptions {
  /** Added to the sum of squares before the square root (default 1e-10). */
  eps?: number;
  /** 'instance' (all but axis 0; default), 'channel' (axis 1) or 'spatial' (axes 2 and up). */
  mode?: 'instance' | 'channel' | 'spatial';
}

/** Keyword options of {@link LayerNorm} (`nd.LayerNorm(data, gamma, beta, axis=-1, eps=1e-5, output_mean_var=False)`). */
export interface LayerNormOptions {
  /** The axis to normalise over (default -1). */
  axis?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Also return the mean and standard deviation (default false): `[out, mean, std]`. */
  outputMeanVar?: boolean;
}

/** Keyword options of {@link batch_dot} (`nd.batch_dot(lhs, rhs, transpose_a=False, transpose_b=False)`). */
export interface BatchDotOptions {
  /** Use the transpose of each lhs matrix (default false). */
  transposeA?: boolean;
  /** Use the transpose of each rhs matrix (default false). */
  transposeB?: boolean;
  /** Only 'default' (dense storage). */
  forwardStype?: 'default' | null;
}

/**
 * `nd.L2Normalization(data, eps=1e-10, mode='instance')`: x / sqrt(sum(x^2) + eps), the sum
 * taken per instance (all axes but 0), per channel (axis 1) or per spatial map (axes 2 and up).
 */
export function L2Normalization(data: NDArray, options?: L2NormalizationOptions): NDArray;
export function L2Normalization(data: NDArray, eps?: number, mode?: 'instance' | 'channel' | 'spatial'): NDArray;
export function L2Normalization(...args: unknown[]): NDArray {
  const where = 'nd.L2Normalization';
  const o = parseArgs<L2NormalizationOptions & { data: unknown }>(
    where,
    args,
    ['data', 'eps', 'mode'],
    { eps: 1e-10, mode: 'instance' },
    ['data'],
  );
  const x = checkNd(where, 'data', o.data);
  const eps = checkNumber(where, 'eps', o.eps);
  const mode = checkChoice(where, 'mode', o.mode, ['instance', 'channel', 'spatial'] as const);
  if (x.ndim < (mode === 'instance' ? 1 : mode === 'channel' ? 2 : 3)) {
    throw new RangeError(`${where}: mode '${mode}' needs more dimensions than data ${shapeStr(x.shape)} has`);
  }
  const n = x.shape[0] as number;
  // (outer, len, inner) groups: the normalised entries of one group are len apart by inner.
  let outer: number;
  let len: number;
  let inner: number;
  if (mode === 'instance') [outer, len, inner] = [n, shapeSize(x.shape.slice(1)), 1];
  else if (mode === 'channel') [outer, len, inner] = [n, x.shape[1] as number, shapeSize(x.shape.slice(2))];
  else [outer, len, inner] = [n * (x.shape[1] as number), shapeSize(x.shape.slice(2)), 1];
  const out = new Float32Array(x.size);
  const norms = new Float32Array(outer * inner);
  const d = x.data;
  for (let p = 0; p < outer; p++) {
    for (let i = 0; i < inner; i++) {
      const base = p * len * inner + i;
      let ss = 0;
      for (let k = 0; k < len; k++) {
        const v = d[base + k * inner] as number;
        ss += v * v;
      }
      const norm = Math.sqrt(ss + eps);
      norms[p * inner + i] = norm;
      for (let k = 0; k < len; k++) out[base + k * inner] = (d[base + k * inner] as number) / norm;
    }
  }
  const y = new NDArray(out, x.shape);
  return tape('L2Normalization', [x], y, () => l2NormalizationGrad(y, norms, outer, len, inner));
}

/**
 * `nd.LayerNorm(data, gamma, beta, axis=-1, eps=1e-5, output_mean_var=False)`:
 * (x - mean) / sqrt(var + eps) * gamma + beta along `axis` (biased variance). With
 * `outputMeanVar` returns `[out, mean, std]`, mean and std keeping `axis` with size 1.
 */
export function LayerNorm(
  data: NDArray,
  gamma: NDArray,
  beta: NDArray,
  options: LayerNormOptions & { outputMeanVar: true },
): [NDArray, NDArray, NDArray];
export function LayerNorm(
  data: NDArray,
  gamma: NDArray,
  beta: NDArray,
  options?: LayerNormOptions & { outputMeanVar?: false },
): NDArray;
export function LayerNorm(data: NDArray, gamma: NDArray, beta: NDArray, axis?: number, eps?: number): NDArray;
export function LayerNorm(...args: unknown[]): NDArray | [NDArray, NDArray, NDArray] {
  const where = 'nd.LayerNorm';
  const o = parseArgs<LayerNormOptions & { data: unknown; gamma: unknown; beta: unknown }>(
    where,
    args,
    ['data', 'gamma', 'beta', 'axis', 'eps', 'outputMeanVar'],
    { axis: -1, eps: 1e-5, outputMeanVar: false },
    ['data', 'gamma', 'beta'],
  );
  const x = checkNd(where, 'data', o.data);
  const gamma = checkNd(where, 'gamma', o.gamma);
  const beta = checkNd(where, 'beta', o.beta);
  const eps = checkNumber(where, 'eps', o.eps);
  const withStats = checkBool(where, 'outputMeanVar', o.outputMeanVar);
  const ax = axisOf(where, 'axis', o.axis, x.shape);
  const [outer, n, inner] = around(x.shape, ax);
  for (const [what, p] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    if (p.ndim !== 1 || p.size !== n) {
      throw new RangeError(
        `${where}: ${what} has shape ${shapeStr(p.shape)} but data ${shapeStr(x.shape)} with axis ${ax} needs (${n},)`,
      );
    }
  }
  let out: Float32Array;
  let means: Float32Array = new Float32Array(outer * inner);
  let stds: Float32Array = new Float32Array(outer * inner);
  if (inner === 1 && n > 0) {
    // Contiguous rows: the wasm SIMD kernel (crates/kernels/src/norm.rs).
    ({ out, mean: means, std: stds } = layerNormRows(x.data, gamma.data, beta.data, eps));
  } else {
    out = new Float32Array(x.size);
    stridedLayerNorm(x.data, gamma.data, beta.data, eps, out, means, stds, outer, n, inner);
  }
  const y = tape('LayerNorm', [x, gamma, beta], new NDArray(out, x.shape), () =>
    layerNormGrad(x, gamma, means, stds, outer, n, inner),
  );
  if (!withStats) return y;
  const statShape = x.shape.map((dd, i) => (i === ax ? 1 : dd));
  // MXNet's LayerNorm gradient reads only the head gradient of `out` (layer_norm.cc
  // LayerNormGrad passes ograds[0]): the mean and std outputs are in the graph but pass no
  // gradient back, so a variable reached only through them gets zeros.
  const noGrad = () => () => [null, null, null];
  const m = tape('LayerNorm', [x, gamma, beta], new NDArray(means, statShape), noGrad);
  const sd = tape('LayerNorm', [x, gamma, beta], new NDArray(stds, statShape), noGrad);
  return [y, m, sd];
}

/** LayerNorm along a strided axis (`inner` > 1), or of empty rows. */
function stridedLayerNorm(
  d: Float32Array,
  g: Float32Array,
  b: Float32Array,
  eps: number,
  out: Float32Array,
  means: Float32Array,
  stds: Float32Array,
  outer: number,
  n: number,
  inner: number,
): void {
  for (let p = 0; p < outer; p++) {
    for (let i = 0; i < inner; i++) {
      const base = p * n * inner + i;
      let s = 0;
      for (let k = 0; k < n; k++) s += d[base + k * inner] as number;
      const mean = s / n;
      let v = 0;
      for (let k = 0; k < n; k++) {
        const c = (d[base + k * inner] as number) - mean;
        v += c * c;
      }
      const std = Math.sqrt(v / n + eps);
      for (let k = 0; k < n; k++) {
        out[base + k * inner] = (((d[base + k * inner] as number) - mean) / std) * (g[k] as number) + (b[k] as number);
      }
      means[p * inner + i] = mean;
      stds[p * inner + i] = std;
    }
  }
}

/**
 * `nd.batch_dot(lhs, rhs, transpose_a=False, transpose_b=False)`: one matrix product per batch
 * entry; lhs (B..., M, K) (or (B..., K, M) transposed) times rhs (B..., K, N) (or (B..., N, K)).
 */
export function batch_dot(lhs: NDArray, rhs: NDArray, options?: BatchDotOptions): NDArray;
export function batch_dot(lhs: NDArray, rhs: NDArray, transposeA?: boolean, transposeB?: boolean): NDArray;
export function batch_dot(...args: unknown[]): NDArray {
  const where = 'nd.batch_dot';
  const o = parseArgs<BatchDotOptions & { lhs: unknown; rhs: unknown }>(
    where,
    args,
    ['lhs', 'rhs', 'transposeA', 'transposeB', 'forwardStype'],
    { transposeA: false, transposeB: false, forwardStype: null },
    ['lhs', 'rhs'],
  );
  const a = checkNd(where, 'lhs', o.lhs);
  const b = checkNd(where, 'rhs', o.rhs);
  const ta = checkBool(where, 'transposeA', o.transposeA);
  const tb = checkBool(where, 'transposeB', o.transposeB);
  if (o.forwardStype !== null && o.forwardStype !== undefined && o.forwardStype !== 'default')
    throw new RangeError(`${where}: forwardStype must be 'default' (dense), got ${describe(o.forwardStype)}`);
  const shapes = `lhs ${shapeStr(a.shape)}${ta ? ' (transposed)' : ''} and rhs ${shapeStr(b.shape)}${tb ? ' (transposed)' : ''}`;
  if (a.ndim < 3 || a.ndim !== b.ndim)
    throw new RangeError(`${where}: lhs and rhs must have the same number (>= 3) of dimensions, got ${shapes}`);
  const nd = a.ndim;
  for (let i = 0; i < nd - 2; i++) {
    if (a.shape[i] !== b.shape[i])
      throw new RangeError(`${where}: the leading batch dimensions must be equal, got ${shapes}`);
  }
  const [ar, ac] = [a.shape[nd - 2] as number, a.shape[nd - 1] as number];
  const [br, bc] = [b.shape[nd - 2] as number, b.shape[nd - 1] as number];
  const m = ta ? ac : ar;
  const k = ta ? ar : ac;
  const kb = tb ? bc : br;
  const n = tb ? br : bc;
  if (k !== kb) throw new RangeError(`${where}: shape mismatch: ${shapes} contract ${k} with ${kb}`);
  const batch = shapeSize(a.shape.slice(0, -2));
  const out = zerosOf([...a.shape.slice(0, -2), m, n], where);
  if (m > 0 && n > 0 && k > 0) {
    const g = backend();
    for (let i = 0; i < batch; i++) {
      const c = new Float32Array(m * n);
      g.sgemm(
        ta,
        tb,
        m,
        n,
        k,
        1,
        a.data.subarray(i * ar * ac, (i + 1) * ar * ac),
        ta ? m : k,
        b.data.subarray(i * br * bc, (i + 1) * br * bc),
        tb ? k : n,
        0,
        c,
        n,
      );
      out.set(c, i * m * n);
    }
  }
  return tape('batch_dot', [a, b], new NDArray(out, [...a.shape.slice(0, -2), m, n]), () =>
    batchDotGrad(a, b, ta, tb, batch, m, n, k),
  );
}

/** Keyword options of {@link BatchNorm} (`nd.BatchNorm(data, gamma, beta, moving_mean, moving_var, eps=1e-3, momentum=0.9, fix_gamma=True, use_global_stats=False, output_mean_var=False, axis=1)`). */
export interface BatchNormOptions {
  /** Added to the variance (default 1e-3, MXNet's operator default). */
  eps?: number;
  /** The running-average momentum of training mode (default 0.9). */
  momentum?: number;
  /** Read gamma as 1 (default true, MXNet's operator default). */
  fixGamma?: boolean;
  /** Normalise with the moving statistics also in training mode (default false). */
  useGlobalStats?: boolean;
  /** Only false: the batch statistics are a training output. */
  outputMeanVar?: boolean;
  /** The channel axis (default 1). */
  axis?: number;
  /** Accepted for the signature (no cuDNN here). */
  cudnnOff?: boolean;
}

/**
 * `nd.BatchNorm(data, gamma, beta, moving_mean, moving_var, ...)`: at inference
 * (x - moving_mean) / sqrt(moving_var + eps) * gamma + beta per channel along `axis`. In training
 * mode (without `useGlobalStats`) the batch mean and biased variance are used instead, and the
 * moving statistics are updated in place during backward (MXNet 1.x updates them there).
 */
export function BatchNorm(
  data: NDArray,
  gamma: NDArray,
  beta: NDArray,
  movingMean: NDArray,
  movingVar: NDArray,
  options?: BatchNormOptions,
): NDArray;
export function BatchNorm(...args: unknown[]): NDArray {
  const where = 'nd.BatchNorm';
  const o = parseArgs<
    BatchNormOptions & { data: unknown; gamma: unknown; beta: unknown; movingMean: unknown; movingVar: unknown }
  >(
    where,
    args,
    [
      'data',
      'gamma',
      'beta',
      'movingMean',
      'movingVar',
      'eps',
      'momentum',
      'fixGamma',
      'useGlobalStats',
      'outputMeanVar',
      'axis',
      'cudnnOff',
    ],
    { eps: 1e-3, momentum: 0.9, fixGamma: true, useGlobalStats: false, outputMeanVar: false, axis: 1, cudnnOff: false },
    ['data', 'gamma', 'beta', 'movingMean', 'movingVar'],
  );
  const x = checkNd(where, 'data', o.data);
  const eps = checkNumber(where, 'eps', o.eps);
  const momentum = checkNumber(where, 'momentum', o.momentum);
  const useGlobal = checkBool(where, 'useGlobalStats', o.useGlobalStats);
  checkBool(where, 'cudnnOff', o.cudnnOff);
  const fixGamma = checkBool(where, 'fixGamma', o.fixGamma);
  if (checkBool(where, 'outputMeanVar', o.outputMeanVar))
    throw new RangeError(`${where}: outputMeanVar (the batch statistics of training) is not supported at inference`);
  const ax = axisOf(where, 'axis', o.axis, x.shape);
  const [outer, n, inner] = around(x.shape, ax);
  const vecs: Record<string, NDArray> = {};
  for (const k of ['gamma', 'beta', 'movingMean', 'movingVar'] as const) {
    const p = checkNd(where, k, o[k]);
    if (p.size !== n) {
      throw new RangeError(
        `${where}: ${k} has shape ${shapeStr(p.shape)} but data ${shapeStr(x.shape)} has ${n} channels on axis ${ax}`,
      );
    }
    vecs[k] = p;
  }
  const g = (vecs.gamma as NDArray).data;
  const b = (vecs.beta as NDArray).data;
  const mean = (vecs.movingMean as NDArray).data;
  const vr = (vecs.movingVar as NDArray).data;
  const out = new Float32Array(x.size);
  if (isTraining() && !useGlobal) {
    return batchNormTrain(x, vecs as Record<BnVec, NDArray>, eps, momentum, fixGamma, outer, n, inner);
  }
  for (let c = 0; c < n; c++) {
    const scale = (fixGamma ? 1 : (g[c] as number)) / Math.sqrt((vr[c] as number) + eps);
    const shift = (b[c] as number) - (mean[c] as number) * scale;
    for (let p = 0; p < outer; p++) {
      const base = (p * n + c) * inner;
      for (let i = 0; i < inner; i++) out[base + i] = (x.data[base + i] as number) * scale + shift;
    }
  }
  return new NDArray(out, x.shape);
}

type BnVec = 'gamma' | 'beta' | 'movingMean' | 'movingVar';

/**
 * BatchNorm in training mode (src/operator/nn/batch_norm.cc): normalises with the batch mean and
 * biased variance. The running statistics are updated as MXNet 1.x does it, in the backward pass:
 * moving = moving * momentum + batch * (1 - momentum), written into the given arrays.
 */
function batchNormTrain(
  x: NDArray,
  v: Record<BnVec, NDArray>,
  eps: number,
  momentum: number,
  fixGamma: boolean,
  outer: number,
  n: number,
  inner: number,
): NDArray {
  const m = outer * inner;
  const means = new Float64Array(n);
  const vars = new Float64Array(n);
  const invstd = new Float64Array(n);
  const out = new Float32Array(x.size);
  for (let c = 0; c < n; c++) {
    let s = 0;
    for (let p = 0; p < outer; p++) {
      const base = (p * n + c) * inner;
      for (let i = 0; i < inner; i++) s += x.data[base + i] as number;
    }
    const mean = s / m;
    let q = 0;
    for (let p = 0; p < outer; p++) {
      const base = (p * n + c) * inner;
      for (let i = 0; i < inner; i++) q += ((x.data[base + i] as number) - mean) ** 2;
    }
    means[c] = mean;
    vars[c] = q / m;
    const is = 1 / Math.sqrt(q / m + eps);
    invstd[c] = is;
    const gam = fixGamma ? 1 : (v.gamma.data[c] as number);
    const beta = v.beta.data[c] as number;
    for (let p = 0; p < outer; p++) {
      const base = (p * n + c) * inner;
      for (let i = 0; i < inner; i++) out[base + i] = ((x.data[base + i] as number) - mean) * is * gam + beta;
    }
  }
  const update = (): void => {
    const mm = v.movingMean.data;
    const mv = v.movingVar.data;
    for (let c = 0; c < n; c++) {
      mm[c] = (mm[c] as number) * momentum + (means[c] as number) * (1 - momentum);
      mv[c] = (mv[c] as number) * momentum + (vars[c] as number) * (1 - momentum);
    }
  };
  return tape('BatchNorm', [x, v.gamma, v.beta, v.movingMean, v.movingVar], new NDArray(out, x.shape), () =>
    batchNormGrad(x, v.gamma, means, invstd, fixGamma, outer, n, inner, update),
  );
}

/** The activation kinds of {@link LeakyReLU}. */
export type LeakyReLUActType = 'leaky' | 'prelu' | 'elu' | 'selu' | 'gelu';

/**
 * Keyword options of {@link LeakyReLU} (`nd.LeakyReLU(data, gamma=None, act_type='leaky', slope=0.25)`).
 * Gluon note: 'rrelu' (randomised slopes, a training-time activation that returns an extra mask
 * output in MXNet) and its lower_bound/upper_bound are not ported.
 */
export interface LeakyReLUOptions {
  /** The per-channel slopes of 'prelu' (axis 1; one value applies everywhere). */
  gamma?: NDArray | null;
  /** The activation (default 'leaky'). */
  actType?: LeakyReLUActType;
  /** The negative-side slope of 'leaky' and the alpha of 'elu' (default 0.25). */
  slope?: number;
}

// MXNet's SELU constants (src/operator/leaky_relu-inl.h).
const SELU_ALPHA = 1.6732632423543772;
const SELU_LAMBDA = 1.0507009873576;

/** erf(x) from erfc's Chebyshev fit (Numerical Recipes erfcc; relative error < 1.2e-7). @internal */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

/**
 * `nd.LeakyReLU(data, gamma=None, act_type='leaky', slope=0.25, ...)`: leaky (slope * x below 0),
 * prelu (learned per-channel slopes `gamma` on axis 1), elu (slope * (exp(x) - 1) below 0), selu
 * and gelu (0.5 x (1 + erf(x / sqrt 2))).
 */
export function LeakyReLU(data: NDArray, options?: LeakyReLUOptions): NDArray;
export function LeakyReLU(data: NDArray, gamma: NDArray | null, options?: Omit<LeakyReLUOptions, 'gamma'>): NDArray;
export function LeakyReLU(...args: unknown[]): NDArray {
  const where = 'nd.LeakyReLU';
  const o = parseArgs<LeakyReLUOptions & { data: unknown }>(
    where,
    args,
    ['data', 'gamma', 'actType', 'slope'],
    { gamma: null, actType: 'leaky', slope: 0.25 },
    ['data'],
  );
  const x = checkNd(where, 'data', o.data);
  const act = checkChoice(where, 'actType', o.actType, ['leaky', 'prelu', 'elu', 'selu', 'gelu'] as const);
  const slope = checkNumber(where, 'slope', o.slope);
  const d = x.data;
  const out = new Float32Array(x.size);
  if (act === 'prelu') {
    const g = checkNd(where, 'gamma', o.gamma);
    const channels = x.ndim > 1 ? (x.shape[1] as number) : 1;
    if (g.size !== 1 && g.size !== channels) {
      throw new RangeError(
        `${where}: gamma has shape ${shapeStr(g.shape)} but data ${shapeStr(x.shape)} needs 1 or ${channels} slopes (axis 1)`,
      );
    }
    const inner = x.ndim > 1 ? shapeSize(x.shape.slice(2)) : 1;
    for (let i = 0; i < out.length; i++) {
      const v = d[i] as number;
      const a = g.size === 1 ? (g.data[0] as number) : (g.data[Math.floor(i / inner) % channels] as number);
      out[i] = v > 0 ? v : a * v;
    }
    const y = new NDArray(out, x.shape);
    return tape('LeakyReLU', [x, g], y, () => leakyReluGrad(act, x, y, slope, g, erf));
  }
  if (o.gamma !== null && o.gamma !== undefined)
    throw new TypeError(`${where}: gamma is only used by actType 'prelu', not '${act}'`);
  const f: (v: number) => number =
    act === 'leaky'
      ? (v) => (v > 0 ? v : slope * v)
      : act === 'elu'
        ? (v) => (v > 0 ? v : slope * Math.expm1(v))
        : act === 'selu'
          ? (v) => SELU_LAMBDA * (v > 0 ? v : SELU_ALPHA * Math.expm1(v))
          : (v) => 0.5 * v * (1 + erf(v / Math.SQRT2));
  for (let i = 0; i < out.length; i++) out[i] = f(d[i] as number);
  const y = new NDArray(out, x.shape);
  return tape('LeakyReLU', [x], y, () => leakyReluGrad(act, x, y, slope, null, erf));
}

/** `nd.Flatten(data)` (also `nd.flatten`): shape (N, product of the other axes). */
export function Flatten(data: NDArray): NDArray {
  const x = checkNd('nd.Flatten', 'data', data);
  if (x.ndim === 0) throw new RangeError('nd.Flatten: data must have at least one dimension');
  return tape(
    'Flatten',
    [x],
    new NDArray(x.data, [x.shape[0] as number, shapeSize(x.shape.slice(1))]),
    () => identityGrad,
  );
}
