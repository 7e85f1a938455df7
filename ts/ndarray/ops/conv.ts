// Convolution and Pooling over one spatial axis (src/operator/nn/convolution-inl.h,
// pooling-inl.h, pool.h): the 1-d cases Gluon's Conv1D / *Pool1D layers use. Convolution runs
// as im2col + the wasm SGEMM, one product per sample and group.

import {
  type Conv1dGeometry,
  convolution1dGrad,
  im2col1d,
  type Pool1dGeometry,
  pooling1dGrad,
  poolOffsets,
  poolWindow,
} from '../../autograd/nn_grads.js';
import { tape } from '../../autograd/tape.js';
import { backend } from '../../backend/index.js';
import { describe } from '../../util/describe.js';
import { parseArgs } from '../../util/options.js';
import { NDArray, shapeStr } from '../ndarray.js';
import { checkBool, checkChoice, checkInt, checkNd, intTuple } from './common.js';

/** Keyword options of {@link Convolution} (MXNet's names, camelCase; 1-d only). */
export interface ConvolutionOptions {
  /** Kernel width, as a 1-tuple (required). */
  kernel?: readonly number[];
  /** Stride (default (1,)). */
  stride?: readonly number[];
  /** Dilation (default (1,)). */
  dilate?: readonly number[];
  /** Zero padding on both sides (default (0,)). */
  pad?: readonly number[];
  /** Output channels (required). */
  numFilter?: number;
  /** Channel groups (default 1). */
  numGroup?: number;
  /** Accepted for the signature (workspace size in MB; unused here). */
  workspace?: number;
  /** No bias input (default false). */
  noBias?: boolean;
  /** Only null: no cuDNN here. */
  cudnnTune?: null;
  /** Accepted for the signature (no cuDNN here). */
  cudnnOff?: boolean;
  /** Only 'NCW' (or null). */
  layout?: 'NCW' | null;
}

/** Keyword options of {@link Pooling} (MXNet's names, camelCase; 1-d only). */
export interface PoolingOptions {
  /** Window width, as a 1-tuple (required unless `globalPool`). */
  kernel?: readonly number[];
  /** 'max' (default), 'avg' or 'sum'. */
  poolType?: 'max' | 'avg' | 'sum';
  /** Pool over the whole width (default false). */
  globalPool?: boolean;
  /** Accepted for the signature (no cuDNN here). */
  cudnnOff?: boolean;
  /** 'valid' (floor; default) or 'full' (ceil) output size. */
  poolingConvention?: 'valid' | 'full';
  /** Stride (default (1,)). */
  stride?: readonly number[];
  /** Padding on both sides (default (0,)). */
  pad?: readonly number[];
  /** Whether 'avg' divides by the padded window (default true). */
  countIncludePad?: boolean;
  /** 'NCW' (default) or 'NWC'. */
  layout?: 'NCW' | 'NWC' | null;
}

function oneTuple(where: string, what: string, v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const t = intTuple(where, what, v);
  if (t.length === 0) return dflt;
  if (t.length !== 1)
    throw new RangeError(`${where}: only 1-d ${what} is supported here (NCW data), got ${shapeStr(t)}`);
  return t[0] as number;
}

/**
 * `nd.Convolution(data, weight, bias, kernel, stride, dilate, pad, num_filter, num_group, ...)`
 * for 1-d NCW data: data (N, C, W), weight (F, C / numGroup, k), bias (F); output
 * (N, F, floor((W + 2 pad - dilate (k - 1) - 1) / stride) + 1).
 * Gluon note: only the 1-d case is ported (Conv1D); 2-d and 3-d kernels throw.
 */
export function Convolution(
  data: NDArray,
  weight: NDArray,
  bias: NDArray | null,
  options: ConvolutionOptions & { kernel: readonly number[]; numFilter: number },
): NDArray;
export function Convolution(...args: unknown[]): NDArray {
  const where = 'nd.Convolution';
  const o = parseArgs<ConvolutionOptions & { data: unknown; weight: unknown; bias: unknown }>(
    where,
    args,
    [
      'data',
      'weight',
      'bias',
      'kernel',
      'stride',
      'dilate',
      'pad',
      'numFilter',
      'numGroup',
      'workspace',
      'noBias',
      'cudnnTune',
      'cudnnOff',
      'layout',
    ],
    { bias: null, numGroup: 1, noBias: false, layout: null, cudnnTune: null, cudnnOff: false, workspace: 1024 },
    ['data', 'weight', 'kernel', 'numFilter'],
  );
  const x = checkNd(where, 'data', o.data);
  const w = checkNd(where, 'weight', o.weight);
  const k = oneTuple(where, 'kernel', o.kernel, 1);
  const s = oneTuple(where, 'stride', o.stride, 1);
  const dl = oneTuple(where, 'dilate', o.dilate, 1);
  const p = oneTuple(where, 'pad', o.pad, 0);
  const f = checkInt(where, 'numFilter', o.numFilter);
  const groups = checkInt(where, 'numGroup', o.numGroup);
  const noBias = checkBool(where, 'noBias', o.noBias);
  checkBool(where, 'cudnnOff', o.cudnnOff);
  if (o.cudnnTune !== null && o.cudnnTune !== undefined) throw new RangeError(`${where}: cudnnTune must be null here`);
  if (o.layout !== null && o.layout !== undefined && o.layout !== 'NCW')
    throw new RangeError(`${where}: layout must be 'NCW', got ${describe(o.layout)}`);
  if (k < 1 || s < 1 || dl < 1 || p < 0 || groups < 1 || f < 1)
    throw new RangeError(`${where}: kernel, stride, dilate, numFilter and numGroup must be positive and pad >= 0`);
  if (x.ndim !== 3) throw new RangeError(`${where}: data must be 3-d (N, C, W), got ${shapeStr(x.shape)}`);
  const [nb, c, width] = x.shape as [number, number, number];
  if (c % groups !== 0 || f % groups !== 0)
    throw new RangeError(`${where}: numGroup ${groups} must divide the ${c} input channels and ${f} filters`);
  const cg = c / groups;
  const fg = f / groups;
  if (w.ndim !== 3 || w.shape[0] !== f || w.shape[1] !== cg || w.shape[2] !== k) {
    throw new RangeError(
      `${where}: weight has shape ${shapeStr(w.shape)} but data ${shapeStr(x.shape)} with numFilter ${f}, numGroup ${groups}, kernel (${k},) needs (${f}, ${cg}, ${k})`,
    );
  }
  let bias: NDArray | null = null;
  if (!noBias) {
    bias = checkNd(where, 'bias', o.bias);
    if (bias.size !== f) throw new RangeError(`${where}: bias has shape ${shapeStr(bias.shape)}, expected (${f},)`);
  }
  const wout = Math.floor((width + 2 * p - dl * (k - 1) - 1) / s) + 1;
  if (wout < 1) {
    throw new RangeError(
      `${where}: data width ${width} (pad ${p}) is smaller than the dilated kernel ${dl * (k - 1) + 1}`,
    );
  }
  const out = new Float32Array(nb * f * wout);
  const rows = cg * k;
  const col = new Float32Array(rows * wout);
  const prod = new Float32Array(fg * wout);
  const geo: Conv1dGeometry = { nb, c, width, f, groups, k, s, dl, p, wout };
  const g = backend();
  for (let n = 0; n < nb; n++) {
    for (let gi = 0; gi < groups; gi++) {
      im2col1d(x.data, geo, n, gi, col);
      const wg = w.data.subarray(gi * fg * rows, (gi + 1) * fg * rows);
      g.sgemm(false, false, fg, wout, rows, 1, wg, rows, col, wout, 0, prod, wout);
      for (let fi = 0; fi < fg; fi++) {
        const b = bias ? (bias.data[gi * fg + fi] as number) : 0;
        const dst = (n * f + gi * fg + fi) * wout;
        for (let t = 0; t < wout; t++) out[dst + t] = (prod[fi * wout + t] as number) + b;
      }
    }
  }
  return tape('Convolution', [x, w, bias], new NDArray(out, [nb, f, wout]), () =>
    convolution1dGrad(x, w, bias !== null, geo),
  );
}

/**
 * `nd.Pooling(data, kernel, pool_type='max', global_pool=False, ..., pooling_convention='valid',
 * stride, pad, count_include_pad=True, layout)` for 1-d NCW / NWC data. Max ignores padding;
 * avg divides by the window clipped to the padded input (or, without `countIncludePad`, to the
 * data); `pooling_convention: 'full'` rounds the output width up.
 * Gluon note: only the 1-d case is ported (*Pool1D); 'lp' pooling throws.
 */
export function Pooling(data: NDArray, options: PoolingOptions): NDArray;
export function Pooling(...args: unknown[]): NDArray {
  const where = 'nd.Pooling';
  const o = parseArgs<PoolingOptions & { data: unknown }>(
    where,
    args,
    [
      'data',
      'kernel',
      'poolType',
      'globalPool',
      'cudnnOff',
      'poolingConvention',
      'stride',
      'pad',
      'countIncludePad',
      'layout',
    ],
    {
      poolType: 'max',
      globalPool: false,
      cudnnOff: false,
      poolingConvention: 'valid',
      countIncludePad: true,
      layout: null,
    },
    ['data'],
  );
  const x = checkNd(where, 'data', o.data);
  const type = checkChoice(where, 'poolType', o.poolType, ['max', 'avg', 'sum'] as const);
  const global = checkBool(where, 'globalPool', o.globalPool);
  checkBool(where, 'cudnnOff', o.cudnnOff);
  const conv = checkChoice(where, 'poolingConvention', o.poolingConvention, ['valid', 'full'] as const);
  const includePad = checkBool(where, 'countIncludePad', o.countIncludePad);
  const layout =
    o.layout === null || o.layout === undefined
      ? 'NCW'
      : checkChoice(where, 'layout', o.layout, ['NCW', 'NWC'] as const);
  if (x.ndim !== 3) throw new RangeError(`${where}: data must be 3-d (${layout}), got ${shapeStr(x.shape)}`);
  const nwc = layout === 'NWC';
  const nb = x.shape[0] as number;
  const c = (nwc ? x.shape[2] : x.shape[1]) as number;
  const width = (nwc ? x.shape[1] : x.shape[2]) as number;
  let k: number;
  let s: number;
  let p: number;
  let wout: number;
  if (global) {
    [k, s, p, wout] = [width, 1, 0, 1];
  } else {
    if (o.kernel === undefined) throw new TypeError(`${where}: kernel is required unless globalPool is true`);
    k = oneTuple(where, 'kernel', o.kernel, 1);
    s = oneTuple(where, 'stride', o.stride, 1);
    p = oneTuple(where, 'pad', o.pad, 0);
    if (k < 1 || s < 1 || p < 0) throw new RangeError(`${where}: kernel and stride must be positive and pad >= 0`);
    if (k > width + 2 * p)
      throw new RangeError(
        `${where}: kernel (${k},) is larger than the padded width ${width + 2 * p} of data ${shapeStr(x.shape)}`,
      );
    wout = conv === 'valid' ? Math.floor((width + 2 * p - k) / s) + 1 : Math.floor((width + 2 * p - k + s - 1) / s) + 1;
  }
  const out = new Float32Array(nb * c * wout);
  const geo: Pool1dGeometry = { nb, c, width, wout, k, s, p, type, includePad, nwc };
  const { inAt, outAt } = poolOffsets(geo);
  for (let n = 0; n < nb; n++) {
    for (let ch = 0; ch < c; ch++) {
      for (let t = 0; t < wout; t++) {
        const { start, end, size } = poolWindow(geo, t);
        let acc = type === 'max' ? -Infinity : 0;
        for (let i = start; i < end; i++) {
          const v = x.data[inAt(n, ch, i)] as number;
          if (type === 'max') acc = Math.max(acc, v);
          else acc += v;
        }
        out[outAt(n, ch, t)] = type === 'avg' ? acc / size : acc;
      }
    }
  }
  const y = new NDArray(out, nwc ? [nb, wout, c] : [nb, c, wout]);
  return tape('Pooling', [x], y, () => pooling1dGrad(x, y, geo));
}
