// Backward functions of the 1-d convolution and pooling, LeakyReLU and L2Normalization
// (src/operator/nn/convolution-inl.h, nn/pool.h, leaky_relu-inl.h, l2_normalization-inl.h).
// Like grads.ts, each maker runs only while recording and captures what its backward reads.

import type { NDArray } from '../ndarray/ndarray.js';
import { gemm } from './grads.js';
import type { BackwardFn } from './tape.js';

/** The geometry of a 1-d NCW convolution, as the forward computed it. */
export interface Conv1dGeometry {
  readonly nb: number;
  readonly c: number;
  readonly width: number;
  readonly f: number;
  readonly groups: number;
  readonly k: number;
  readonly s: number;
  readonly dl: number;
  readonly p: number;
  readonly wout: number;
}

/** The im2col matrix (cg * k rows, wout columns) of sample `n`, group `gi`. */
export function im2col1d(x: Float32Array, geo: Conv1dGeometry, n: number, gi: number, col: Float32Array): void {
  const { c, width, groups, k, s, dl, p, wout } = geo;
  const cg = c / groups;
  for (let ci = 0; ci < cg; ci++) {
    const src = (n * c + gi * cg + ci) * width;
    for (let j = 0; j < k; j++) {
      const row = (ci * k + j) * wout;
      for (let t = 0; t < wout; t++) {
        const at = t * s - p + j * dl;
        col[row + t] = at >= 0 && at < width ? (x[src + at] as number) : 0;
      }
    }
  }
}

/**
 * Backward of Convolution (convolution-inl.h Backward): per sample and group,
 * dcol = W_g^T dY_g scattered back by col2im, dW_g += dY_g col^T, dbias = sum of dY over N and W.
 */
export function convolution1dGrad(x: NDArray, w: NDArray, hasBias: boolean, geo: Conv1dGeometry): BackwardFn {
  return (g) => {
    const { nb, c, width, f, groups, k, s, dl, p, wout } = geo;
    const cg = c / groups;
    const fg = f / groups;
    const rows = cg * k;
    const gx = new Float32Array(x.size);
    const gw = new Float32Array(w.size);
    const col = new Float32Array(rows * wout);
    for (let n = 0; n < nb; n++) {
      for (let gi = 0; gi < groups; gi++) {
        const gy = g.subarray((n * f + gi * fg) * wout, (n * f + (gi + 1) * fg) * wout);
        const wg = w.data.subarray(gi * fg * rows, (gi + 1) * fg * rows);
        const dcol = gemm(true, false, rows, wout, fg, wg, gy);
        for (let ci = 0; ci < cg; ci++) {
          const dst = (n * c + gi * cg + ci) * width;
          for (let j = 0; j < k; j++) {
            const row = (ci * k + j) * wout;
            for (let t = 0; t < wout; t++) {
              const at = t * s - p + j * dl;
              if (at >= 0 && at < width) gx[dst + at] = (gx[dst + at] as number) + (dcol[row + t] as number);
            }
          }
        }
        im2col1d(x.data, geo, n, gi, col);
        const dw = gemm(false, true, fg, rows, wout, gy, col);
        const off = gi * fg * rows;
        for (let i = 0; i < dw.length; i++) gw[off + i] = (gw[off + i] as number) + (dw[i] as number);
      }
    }
    let gb: Float32Array | null = null;
    if (hasBias) {
      const t = new Float64Array(f);
      for (let n = 0; n < nb; n++)
        for (let fi = 0; fi < f; fi++) {
          const base = (n * f + fi) * wout;
          for (let q = 0; q < wout; q++) t[fi] = (t[fi] as number) + (g[base + q] as number);
        }
      gb = Float32Array.from(t);
    }
    return [gx, gw, gb];
  };
}

/** The geometry of a 1-d pooling, as the forward computed it (global pooling: k = width, s = 1, p = 0). */
export interface Pool1dGeometry {
  readonly nb: number;
  readonly c: number;
  readonly width: number;
  readonly wout: number;
  readonly k: number;
  readonly s: number;
  readonly p: number;
  readonly type: 'max' | 'avg' | 'sum';
  readonly includePad: boolean;
  readonly nwc: boolean;
}

/** Offsets of element (n, ch, t) of a pooling's data and of its output, in either layout. */
export function poolOffsets(geo: Pool1dGeometry): {
  inAt: (n: number, ch: number, t: number) => number;
  outAt: (n: number, ch: number, t: number) => number;
} {
  const { c, width, wout, nwc } = geo;
  return nwc
    ? { inAt: (n, ch, t) => (n * width + t) * c + ch, outAt: (n, ch, t) => (n * wout + t) * c + ch }
    : { inAt: (n, ch, t) => (n * c + ch) * width + t, outAt: (n, ch, t) => (n * c + ch) * wout + t };
}

/**
 * The window of output `t`: data elements `start..end` (padding cut off) and the divisor of
 * avg pooling, which counts the padding when `includePad` (pool.h).
 */
export function poolWindow(geo: Pool1dGeometry, t: number): { start: number; end: number; size: number } {
  const { width, k, s, p, includePad } = geo;
  const from = t * s - p;
  const to = Math.min(from + k, width + p);
  const start = Math.max(from, 0);
  const end = Math.min(to, width);
  return { start, end, size: includePad ? to - from : end - start };
}

/**
 * Backward of Pooling (pool.h unpool_*_1d): max sends each output's gradient to the first
 * element of its window (scan order) equal to the output; avg divides by the same window size
 * as the forward; sum copies.
 */
export function pooling1dGrad(x: NDArray, y: NDArray, geo: Pool1dGeometry): BackwardFn {
  return (g) => {
    const { nb, c, wout, type } = geo;
    const { inAt, outAt } = poolOffsets(geo);
    const gx = new Float32Array(x.size);
    const xd = x.data;
    for (let n = 0; n < nb; n++) {
      for (let ch = 0; ch < c; ch++) {
        for (let t = 0; t < wout; t++) {
          const { start, end, size } = poolWindow(geo, t);
          const o = outAt(n, ch, t);
          const gv = g[o] as number;
          if (type === 'max') {
            const m = y.data[o] as number;
            for (let i = start; i < end; i++) {
              const q = inAt(n, ch, i);
              if (xd[q] === m) {
                gx[q] = (gx[q] as number) + gv;
                break;
              }
            }
          } else {
            const share = type === 'avg' ? gv / size : gv;
            for (let i = start; i < end; i++) {
              const q = inAt(n, ch, i);
              gx[q] = (gx[q] as number) + share;
            }
          }
        }
      }
    }
    return [gx];
  };
}

// The constants of leaky_relu-inl.h's SELU.
const SELU_ALPHA = 1.6732632423543772;
const SELU_LAMBDA = 1.0507009873576;

/**
 * Backward of LeakyReLU (leaky_relu-inl.h Backward, mshadow_op.h): leaky and elu read the
 * output (`xelu_grad(out, slope)`, `elu_grad(out, slope)`), selu the output as MXNet's
 * `selu_grad` = lambda (alpha + out) below 0 (the exact derivative is lambda alpha + out; MXNet's
 * value is kept for fidelity), gelu the input
 * (`gelu_grad` with erf); prelu returns the slopes' gradient `sum(g * min(x, 0))` over every
 * axis but 1 (or over everything for one slope).
 */
export function leakyReluGrad(
  act: 'leaky' | 'prelu' | 'elu' | 'selu' | 'gelu',
  x: NDArray,
  y: NDArray,
  slope: number,
  gamma: NDArray | null,
  erf: (v: number) => number,
): BackwardFn {
  return (g) => {
    const xd = x.data;
    const yd = y.data;
    const gx = new Float32Array(x.size);
    if (act === 'prelu') {
      const gm = gamma as NDArray;
      const channels = x.ndim > 1 ? (x.shape[1] as number) : 1;
      const inner = x.ndim > 1 ? x.size / ((x.shape[0] as number) * channels) : 1;
      const gg = new Float64Array(gm.size);
      for (let i = 0; i < gx.length; i++) {
        const ci = gm.size === 1 ? 0 : Math.floor(i / inner) % channels;
        const v = xd[i] as number;
        const gv = g[i] as number;
        gx[i] = v > 0 ? gv : gv * (gm.data[ci] as number);
        if (v <= 0) gg[ci] = (gg[ci] as number) + gv * v;
      }
      return [gx, Float32Array.from(gg)];
    }
    const d: (i: number) => number =
      act === 'leaky'
        ? (i) => ((yd[i] as number) > 0 ? 1 : slope)
        : act === 'elu'
          ? (i) => ((yd[i] as number) > 0 ? 1 : (yd[i] as number) + slope)
          : act === 'selu'
            ? (i) => SELU_LAMBDA * ((yd[i] as number) > 0 ? 1 : SELU_ALPHA + (yd[i] as number))
            : (i) => {
                const v = xd[i] as number;
                return 0.5 * (1 + erf(v / Math.SQRT2)) + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI);
              };
    for (let i = 0; i < gx.length; i++) gx[i] = (g[i] as number) * d(i);
    return [gx, null];
  };
}

/**
 * Backward of L2Normalization (l2_normalization-inl.h Backward) over (outer, len, inner)
 * groups: dx = (g - y sum(g y)) / norm, the sum and norm taken per group.
 */
export function l2NormalizationGrad(
  y: NDArray,
  norms: Float32Array,
  outer: number,
  len: number,
  inner: number,
): BackwardFn {
  return (g) => {
    const yd = y.data;
    const gx = new Float32Array(y.size);
    for (let q = 0; q < outer; q++) {
      for (let i = 0; i < inner; i++) {
        const base = q * len * inner + i;
        let dot = 0;
        for (let k = 0; k < len; k++) dot += (g[base + k * inner] as number) * (yd[base + k * inner] as number);
        const nrm = norms[q * inner + i] as number;
        for (let k = 0; k < len; k++) {
          const at = base + k * inner;
          gx[at] = ((g[at] as number) - (yd[at] as number) * dot) / nrm;
        }
      }
    }
    return [gx];
  };
}
