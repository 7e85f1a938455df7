// Backward functions of the differentiable operators (the FGradient of each operator in
// src/operator/**). Each maker runs only while recording and returns the closure the tape keeps;
// it captures just what its backward reads.

import { backend, ensureRoom, guarded } from '../backend/index.js';
import { NDArray, type Shape, sameShape, shapeSize } from '../ndarray/ndarray.js';
import type { BackwardFn } from './tape.js';

/**
 * C (m x n) = op(A) op(B) on the wasm SGEMM (row-major): `a` is (m x k) or, transposed,
 * (k x m); `b` is (k x n) or (n x k). `what` names the operation in a memory error. @internal
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  what = 'dot backward',
): Float32Array {
  if (m === 0 || n === 0 || k === 0) return new Float32Array(m * n);
  ensureRoom(what, (a.length + b.length + m * n) * 4, Math.max(a.length, b.length, m * n) * 4, null);
  // The result comes back as a new array: no zero-filled C to copy in and back out.
  return guarded(what, () => backend().sgemm_new(transA, transB, m, n, k, a, transA ? m : k, b, transB ? k : n));
}

/** For every element of the broadcast `out` shape, the offset of the element of `inShape` it reads. */
function broadcastIndex(outShape: Shape, inShape: Shape): Int32Array {
  const nd = outShape.length;
  const padded = [...new Array<number>(nd - inShape.length).fill(1), ...inShape];
  const st = new Array<number>(nd).fill(0);
  let accum = 1;
  for (let i = nd - 1; i >= 0; i--) {
    st[i] = padded[i] === 1 ? 0 : accum;
    accum *= padded[i] as number;
  }
  const total = shapeSize(outShape);
  const map = new Int32Array(total);
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let o = 0; o < total; o++) {
    map[o] = off;
    for (let k = nd - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      off += st[k] as number;
      if ((idx[k] as number) < (outShape[k] as number)) break;
      off -= (st[k] as number) * (outShape[k] as number);
      idx[k] = 0;
    }
  }
  return map;
}

/** An elementwise operand: an array, or a number (a scalar that takes no gradient). */
type Side = NDArray | number;

/**
 * Backward of a broadcasting binary operator: `dA = g * da(a, b)`, `dB = g * db(a, b)`, each
 * summed over the axes its operand was broadcast along.
 */
export function binaryGrad(
  a: Side,
  b: Side,
  outShape: Shape,
  da: (x: number, y: number) => number,
  db: (x: number, y: number) => number,
): BackwardFn {
  return (g) => {
    const total = g.length;
    const ma = typeof a === 'number' || sameShape(a.shape, outShape) ? null : broadcastIndex(outShape, a.shape);
    const mb = typeof b === 'number' || sameShape(b.shape, outShape) ? null : broadcastIndex(outShape, b.shape);
    const av = (o: number): number =>
      typeof a === 'number' ? a : (a.data[ma === null ? o : (ma[o] as number)] as number);
    const bv = (o: number): number =>
      typeof b === 'number' ? b : (b.data[mb === null ? o : (mb[o] as number)] as number);
    let ga: Float32Array | null = null;
    let gb: Float32Array | null = null;
    if (typeof a !== 'number') {
      const t = new Float64Array(a.size);
      for (let o = 0; o < total; o++) {
        const j = ma === null ? o : (ma[o] as number);
        t[j] = (t[j] as number) + (g[o] as number) * da(av(o), bv(o));
      }
      ga = Float32Array.from(t);
    }
    if (typeof b !== 'number') {
      const t = new Float64Array(b.size);
      for (let o = 0; o < total; o++) {
        const j = mb === null ? o : (mb[o] as number);
        t[j] = (t[j] as number) + (g[o] as number) * db(av(o), bv(o));
      }
      gb = Float32Array.from(t);
    }
    return [ga, gb];
  };
}

/** Backward of an elementwise unary operator: `g * d(x, y)` where y is the forward output. */
export function unaryGrad(x: NDArray, y: NDArray, d: (x: number, y: number) => number): BackwardFn {
  return (g) => {
    const out = new Float32Array(g.length);
    const xd = x.data;
    const yd = y.data;
    for (let i = 0; i < out.length; i++) out[i] = (g[i] as number) * d(xd[i] as number, yd[i] as number);
    return [out];
  };
}

/** Derivatives of the activations in terms of the input x and the output y (mshadow_op.h). */
export const ACTIVATION_GRADS: Readonly<Record<string, (x: number, y: number) => number>> = {
  relu: (x) => (x > 0 ? 1 : 0),
  sigmoid: (_x, y) => y * (1 - y),
  tanh: (_x, y) => 1 - y * y,
  softrelu: (x) => 1 / (1 + Math.exp(-x)),
  softsign: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
};

/** Backward of a copy-only operator (reshape, expand_dims, squeeze, Flatten): the gradient as is. */
export const identityGrad: BackwardFn = (g) => [g];

/**
 * Backward of a gather (an operator whose every output element copies one input element, or
 * is 0): replays the forward on the element indices, then scatter-adds.
 */
export function gatherGrad(x: NDArray, replay: (iota: NDArray) => NDArray): BackwardFn {
  return (g) => {
    // Indices are stored 1-based so that a constant 0 written by the replay means "no source".
    if (x.size >= 2 ** 24) throw new RangeError('autograd: gather backward supports inputs of under 2^24 elements');
    const iota = new Float32Array(x.size);
    for (let i = 0; i < iota.length; i++) iota[i] = i + 1;
    const map = replay(new NDArray(iota, x.shape)).data;
    const out = new Float32Array(x.size);
    for (let o = 0; o < map.length; o++) {
      const src = map[o] as number;
      if (src > 0) out[src - 1] = (out[src - 1] as number) + (g[o] as number);
    }
    return [out];
  };
}

/**
 * Backward of a slice [b, e) along axis `ax` of an array of shape `inShape` (slice_axis, x[i],
 * split): the gradient written into zeros at the slice's place. Linear in the input size, unlike
 * the general gather replay.
 */
export function sliceAxisGrad(inShape: Shape, ax: number, b: number, e: number): BackwardFn {
  return (g) => {
    const n = inShape[ax] as number;
    const outer = shapeSize(inShape.slice(0, ax));
    const inner = shapeSize(inShape.slice(ax + 1));
    const len = e - b;
    const out = new Float32Array(outer * n * inner);
    for (let o = 0; o < outer; o++) out.set(g.subarray(o * len * inner, (o + 1) * len * inner), (o * n + b) * inner);
    return [out];
  };
}

/** Backward of `dot(a, b, ta, tb)` with a of (m x k) (or (k x m)) and b (k x n) (or (n x k)). */
export function dotGrad(a: NDArray, b: NDArray, ta: boolean, tb: boolean, m: number, n: number, k: number): BackwardFn {
  return (g) => {
    // C = op(A) op(B); dop(A) = G op(B)^T, dop(B) = op(A)^T G.
    const ga = ta ? gemm(tb, true, k, m, n, b.data, g) : gemm(false, !tb, m, k, n, g, b.data);
    const gb = tb ? gemm(true, ta, n, k, m, g, a.data) : gemm(!ta, false, k, n, m, a.data, g);
    return [ga, gb];
  };
}

/** Backward of FullyConnected: y (m x units) = x (m x k) W^T + b. */
export function fullyConnectedGrad(
  x: NDArray,
  w: NDArray,
  hasBias: boolean,
  m: number,
  units: number,
  k: number,
): BackwardFn {
  return (g) => {
    const gx = gemm(false, false, m, k, units, g, w.data);
    const gw = gemm(true, false, units, k, m, g, x.data);
    let gbias: Float32Array | null = null;
    if (hasBias) {
      const t = new Float64Array(units);
      for (let r = 0; r < m; r++)
        for (let j = 0; j < units; j++) t[j] = (t[j] as number) + (g[r * units + j] as number);
      gbias = Float32Array.from(t);
    }
    return [gx, gw, gbias];
  };
}

/** Backward of batch_dot over `batch` products of (m x k)(k x n). */
export function batchDotGrad(
  a: NDArray,
  b: NDArray,
  ta: boolean,
  tb: boolean,
  batch: number,
  m: number,
  n: number,
  k: number,
): BackwardFn {
  return (g) => {
    const ga = new Float32Array(a.size);
    const gb = new Float32Array(b.size);
    const sa = m * k;
    const sb = k * n;
    for (let i = 0; i < batch; i++) {
      const gi = g.subarray(i * m * n, (i + 1) * m * n);
      const ai = a.data.subarray(i * sa, (i + 1) * sa);
      const bi = b.data.subarray(i * sb, (i + 1) * sb);
      ga.set(ta ? gemm(tb, true, k, m, n, bi, gi) : gemm(false, !tb, m, k, n, gi, bi), i * sa);
      gb.set(tb ? gemm(true, ta, n, k, m, gi, ai) : gemm(!ta, false, k, n, m, ai, gi), i * sb);
    }
    return [ga, gb];
  };
}

/** Backward of Embedding: the dense weight gradient, rows scatter-added at the (clipped) ids. */
export function embeddingGrad(ids: Int32Array, rows: number, dim: number): BackwardFn {
  return (g) => {
    const gw = new Float32Array(rows * dim);
    for (let i = 0; i < ids.length; i++) {
      const r = (ids[i] as number) * dim;
      for (let j = 0; j < dim; j++) gw[r + j] = (gw[r + j] as number) + (g[i * dim + j] as number);
    }
    return [null, gw];
  };
}

/**
 * Backward of softmax / log_softmax along a (outer, n, inner) axis with temperature t (softmax-inl.h):
 * softmax: dx = y (g - sum(g y)) / t; log_softmax: dx = (g - exp(y) sum(g)) / t. Positions past
 * a `length` get no gradient.
 */
export function softmaxGrad(
  y: NDArray,
  outer: number,
  n: number,
  inner: number,
  t: number,
  log: boolean,
  lengths: Float32Array | null,
): BackwardFn {
  return (g) => {
    const out = new Float32Array(g.length);
    const yd = y.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        const len = lengths === null ? n : Math.min(Math.max(Math.trunc(lengths[o * inner + i] as number), 0), n);
        let s = 0;
        for (let k = 0; k < len; k++) {
          const p = base + k * inner;
          s += log ? (g[p] as number) : (g[p] as number) * (yd[p] as number);
        }
        for (let k = 0; k < len; k++) {
          const p = base + k * inner;
          out[p] = log
            ? ((g[p] as number) - Math.exp(yd[p] as number) * s) / t
            : ((yd[p] as number) * ((g[p] as number) - s)) / t;
        }
      }
    }
    return [out];
  };
}

/**
 * Backward of sum / mean / max / min / prod / norm over `axes` of `x`: the output gradient
 * broadcast back (divided by the group size for mean; routed to the elements equal to the
 * extremum for max/min). prod and the L2 norm follow broadcast_reduce_op.h's
 * ReduceAxesBackwardUseInOut literally: `y / x` (rdiv) and `x / y` (div), so a zero gives NaN
 * where MXNet gives NaN; the L1 norm uses sign(x), 0 at 0.
 */
export function reduceGrad(x: NDArray, y: NDArray, axes: readonly number[], kind: string): BackwardFn {
  return (g) => {
    const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const map = broadcastIndex(x.shape, keptShape);
    const count = shapeSize(axes.map((a) => x.shape[a] as number));
    const out = new Float32Array(x.size);
    for (let i = 0; i < out.length; i++) {
      const j = map[i] as number;
      const gv = g[j] as number;
      if (kind === 'sum') out[i] = gv;
      else if (kind === 'mean') out[i] = gv / count;
      else if (kind === 'prod') out[i] = gv * Math.fround((y.data[j] as number) / (x.data[i] as number));
      else if (kind === 'norm1') out[i] = gv * Math.sign(x.data[i] as number);
      else if (kind === 'norm2') out[i] = gv * Math.fround((x.data[i] as number) / (y.data[j] as number));
      else out[i] = x.data[i] === y.data[j] ? gv : 0;
    }
    return [out];
  };
}

/** Backward of concat along an (outer, size_i, inner) axis: the gradient split back into the inputs. */
export function concatGrad(sizes: readonly number[], outer: number, inner: number): BackwardFn {
  return (g) => {
    const total = sizes.reduce((s, v) => s + v, 0);
    const outs = sizes.map((s) => new Float32Array(outer * s * inner));
    for (let o = 0; o < outer; o++) {
      let off = o * total * inner;
      sizes.forEach((s, idx) => {
        const len = s * inner;
        (outs[idx] as Float32Array).set(g.subarray(off, off + len), o * len);
        off += len;
      });
    }
    return outs;
  };
}

/** Backward of LayerNorm along an (outer, n, inner) axis (layer_norm-inl.h): data, gamma, beta. */
export function layerNormGrad(
  x: NDArray,
  gamma: NDArray,
  means: Float32Array,
  stds: Float32Array,
  outer: number,
  n: number,
  inner: number,
): BackwardFn {
  return (g) => {
    const gx = new Float32Array(x.size);
    const gg = new Float64Array(n);
    const gb = new Float64Array(n);
    const xd = x.data;
    const gm = gamma.data;
    for (let p = 0; p < outer; p++) {
      for (let i = 0; i < inner; i++) {
        const base = p * n * inner + i;
        const mean = means[p * inner + i] as number;
        const inv = 1 / (stds[p * inner + i] as number);
        let s1 = 0;
        let s2 = 0;
        for (let k = 0; k < n; k++) {
          const q = base + k * inner;
          const xh = ((xd[q] as number) - mean) * inv;
          const gv = g[q] as number;
          gg[k] = (gg[k] as number) + gv * xh;
          gb[k] = (gb[k] as number) + gv;
          const dxh = gv * (gm[k] as number);
          s1 += dxh;
          s2 += dxh * xh;
        }
        for (let k = 0; k < n; k++) {
          const q = base + k * inner;
          const xh = ((xd[q] as number) - mean) * inv;
          const dxh = (g[q] as number) * (gm[k] as number);
          gx[q] = inv * (dxh - s1 / n - (xh * s2) / n);
        }
      }
    }
    return [gx, Float32Array.from(gg), Float32Array.from(gb)];
  };
}

/**
 * Backward of BatchNorm in training mode along an (outer, n, inner) channel axis (batch_norm.cc):
 * data, gamma (zero with fixGamma), beta; `afterBackward` runs MXNet's running-statistics update,
 * which MXNet 1.x performs in the backward pass.
 */
export function batchNormGrad(
  x: NDArray,
  gamma: NDArray,
  means: Float64Array,
  invstd: Float64Array,
  fixGamma: boolean,
  outer: number,
  n: number,
  inner: number,
  afterBackward: () => void,
): BackwardFn {
  return (g) => {
    const gx = new Float32Array(x.size);
    const gg = new Float32Array(n);
    const gb = new Float32Array(n);
    const m = outer * inner;
    const xd = x.data;
    for (let c = 0; c < n; c++) {
      const mean = means[c] as number;
      const is = invstd[c] as number;
      const gam = fixGamma ? 1 : (gamma.data[c] as number);
      let sg = 0;
      let sgx = 0;
      for (let p = 0; p < outer; p++) {
        const base = (p * n + c) * inner;
        for (let i = 0; i < inner; i++) {
          const gv = g[base + i] as number;
          sg += gv;
          sgx += gv * ((xd[base + i] as number) - mean);
        }
      }
      gb[c] = sg;
      gg[c] = fixGamma ? 0 : sgx * is;
      const k = (sgx * is * is) / m;
      for (let p = 0; p < outer; p++) {
        const base = (p * n + c) * inner;
        for (let i = 0; i < inner; i++) {
          const q = base + i;
          gx[q] = ((g[q] as number) - sg / m - ((xd[q] as number) - mean) * k) * is * gam;
        }
      }
    }
    afterBackward();
    return [gx, gg, gb, null, null];
  };
}

/** Backward of a masked operator (Dropout): the gradient times the (scaled) mask, broadcast. */
export function maskGrad(mask: Float32Array, maskShape: Shape, xShape: Shape): BackwardFn {
  return (g) => {
    const map = sameShape(maskShape, xShape) ? null : broadcastIndex(xShape, maskShape);
    const out = new Float32Array(g.length);
    for (let i = 0; i < out.length; i++)
      out[i] = (g[i] as number) * (mask[map === null ? i : (map[i] as number)] as number);
    return [out];
  };
}

/**
 * Backward of `where(cond, x, y)`: the gradient goes to x where cond is non-zero, else to y;
 * each cond value covers `m` elements (1, or a row when cond is a vector of x's first dimension).
 */
export function whereGrad(cond: NDArray, m = 1): BackwardFn {
  return (g) => {
    const gx = new Float32Array(g.length);
    const gy = new Float32Array(g.length);
    for (let i = 0; i < g.length; i++) {
      if ((cond.data[Math.floor(i / m)] as number) !== 0) gx[i] = g[i] as number;
      else gy[i] = g[i] as number;
    }
    return [null, gx, gy];
  };
}
