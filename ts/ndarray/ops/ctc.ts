// CTCLoss (src/operator/nn/ctc_loss-inl.h): the connectionist temporal classification loss of
// Graves et al. over unnormalised activations (a softmax over the alphabet is applied inside),
// computed with the forward-backward recursions in log space; its backward is softmax minus the
// per-symbol posterior, zero past each sequence's length.

import { isRecording, needsGrad, tape } from '../../autograd/tape.js';
import { type PositionalArgs, parseArgs } from '../../util/options.js';
import { NDArray, shapeStr } from '../ndarray.js';
import { checkBool, checkChoice, checkNd } from './common.js';

/** Keyword options of {@link CTCLoss}. */
export interface CTCLossOptions {
  /** Per-sample lengths of `data`, read when `useDataLengths`. */
  dataLengths?: NDArray | null;
  /** Per-sample label lengths, read when `useLabelLengths`. */
  labelLengths?: NDArray | null;
  /** Use `dataLengths` (default false: every sequence has all T steps). */
  useDataLengths?: boolean;
  /** Use `labelLengths` (default false: a label ends at its first padding value, 0 or -1). */
  useLabelLengths?: boolean;
  /** The blank's channel: 'first' (0; default, padding value 0) or 'last' (C-1; padding -1). */
  blankLabel?: 'first' | 'last';
}

const logAdd = (a: number, b: number): number => {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
};

/** One sample over its T valid steps: the loss and each symbol's posterior at each step. */
function ctcSample(
  logp: Float64Array,
  T: number,
  C: number,
  labels: readonly number[],
  blank: number,
): { loss: number; post: Float64Array } {
  const L = labels.length;
  const S = 2 * L + 1;
  const sym = (s: number): number => (s % 2 === 0 ? blank : (labels[(s - 1) / 2] as number));
  const alpha = new Float64Array(T * S).fill(-Infinity);
  const beta = new Float64Array(T * S).fill(-Infinity);
  if (T > 0) {
    alpha[0] = logp[blank] as number;
    if (S > 1) alpha[1] = logp[sym(1)] as number;
    for (let t = 1; t < T; t++) {
      for (let s = 0; s < S; s++) {
        let a = alpha[(t - 1) * S + s] as number;
        if (s >= 1) a = logAdd(a, alpha[(t - 1) * S + s - 1] as number);
        if (s >= 2 && sym(s) !== blank && sym(s) !== sym(s - 2)) a = logAdd(a, alpha[(t - 1) * S + s - 2] as number);
        alpha[t * S + s] = a + (logp[t * C + sym(s)] as number);
      }
    }
    // beta[t, s]: log probability of completing the label from (t, s), excluding step t's emission.
    beta[(T - 1) * S + S - 1] = 0;
    if (S > 1) beta[(T - 1) * S + S - 2] = 0;
    for (let t = T - 2; t >= 0; t--) {
      for (let s = 0; s < S; s++) {
        const e = (q: number): number => (beta[(t + 1) * S + q] as number) + (logp[(t + 1) * C + sym(q)] as number);
        let b = e(s);
        if (s + 1 < S) b = logAdd(b, e(s + 1));
        if (s + 2 < S && sym(s + 2) !== blank && sym(s + 2) !== sym(s)) b = logAdd(b, e(s + 2));
        beta[t * S + s] = b;
      }
    }
  }
  const logP =
    T === 0
      ? -Infinity
      : logAdd(alpha[(T - 1) * S + S - 1] as number, S > 1 ? (alpha[(T - 1) * S + S - 2] as number) : -Infinity);
  // Posterior of each symbol at each step: sum over s with that symbol of alpha*beta / p.
  const post = new Float64Array(T * C);
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < S; s++) {
      const v = (alpha[t * S + s] as number) + (beta[t * S + s] as number) - logP;
      if (v > -Infinity) post[t * C + sym(s)] = (post[t * C + sym(s)] as number) + Math.exp(v);
    }
  }
  return { loss: -logP, post };
}

/**
 * `nd.CTCLoss(data, label, dataLengths=null, labelLengths=null, useDataLengths=false,
 * useLabelLengths=false, blankLabel='first')`: data (T, N, C) activations, label (N, L) ids;
 * returns the loss per sample, shape (N,).
 */
export function CTCLoss(
  ...args: PositionalArgs<
    [data: NDArray, label: NDArray],
    [
      dataLengths: NDArray | null,
      labelLengths: NDArray | null,
      useDataLengths: boolean,
      useLabelLengths: boolean,
      blankLabel: 'first' | 'last',
    ],
    CTCLossOptions
  >
): NDArray;
export function CTCLoss(...args: unknown[]): NDArray {
  const where = 'nd.CTCLoss';
  const o = parseArgs<CTCLossOptions & { data: unknown; label: unknown }>(
    where,
    args,
    ['data', 'label', 'dataLengths', 'labelLengths', 'useDataLengths', 'useLabelLengths', 'blankLabel'],
    { dataLengths: null, labelLengths: null, useDataLengths: false, useLabelLengths: false, blankLabel: 'first' },
    ['data', 'label'],
  );
  const x = checkNd(where, 'data', o.data);
  const label = checkNd(where, 'label', o.label);
  const useData = checkBool(where, 'useDataLengths', o.useDataLengths);
  const useLabel = checkBool(where, 'useLabelLengths', o.useLabelLengths);
  const blankLabel = checkChoice(where, 'blankLabel', o.blankLabel, ['first', 'last'] as const);
  if (x.ndim !== 3) throw new RangeError(`${where}: data must be 3-d (T, N, C), got ${shapeStr(x.shape)}`);
  const [T, N, C] = x.shape as [number, number, number];
  if (label.ndim !== 2 || label.shape[0] !== N)
    throw new RangeError(
      `${where}: label must be (N, L) = (${N}, L), got ${shapeStr(label.shape)} for data ${shapeStr(x.shape)}`,
    );
  const lengthsOf = (what: string, use: boolean, v: unknown, max: number): number[] | null => {
    if (!use) return null;
    const a = checkNd(where, what, v);
    if (a.size !== N) throw new RangeError(`${where}: ${what} must have ${N} entries, got ${shapeStr(a.shape)}`);
    return Array.from(a.data, (d, i) => {
      const n = Math.trunc(d);
      if (!(n >= 0 && n <= max)) throw new RangeError(`${where}: ${what}[${i}] = ${d} must be in [0, ${max}]`);
      return n;
    });
  };
  const Lmax = label.shape[1] as number;
  const dataLens = lengthsOf('dataLengths', useData, o.dataLengths, T);
  const labelLens = lengthsOf('labelLengths', useLabel, o.labelLengths, Lmax);
  const blank = blankLabel === 'first' ? 0 : C - 1;
  const pad = blankLabel === 'first' ? 0 : -1;
  const loss = new Float32Array(N);
  // The gradient (softmax - posterior) is kept only when the tape will need it.
  const grads = isRecording() && needsGrad(x) ? new Float32Array(x.size) : null;
  for (let n = 0; n < N; n++) {
    const Tn = dataLens === null ? T : (dataLens[n] as number);
    const labels: number[] = [];
    for (let j = 0; j < Lmax; j++) {
      const v = Math.trunc(label.data[n * Lmax + j] as number);
      if (labelLens === null ? v === pad : j >= (labelLens[n] as number)) break;
      if (!(v >= 0 && v < C) || v === blank)
        throw new RangeError(
          `${where}: label[${n}][${j}] = ${v} is not a symbol (0..${C - 1} without the blank ${blank})`,
        );
      labels.push(v);
    }
    // Log-softmax over the alphabet at each valid step of this sample.
    const logp = new Float64Array(Tn * C);
    const prob = new Float64Array(Tn * C);
    for (let t = 0; t < Tn; t++) {
      const base = (t * N + n) * C;
      let mx = -Infinity;
      for (let c = 0; c < C; c++) mx = Math.max(mx, x.data[base + c] as number);
      let sum = 0;
      for (let c = 0; c < C; c++) sum += Math.exp((x.data[base + c] as number) - mx);
      const ls = Math.log(sum) + mx;
      for (let c = 0; c < C; c++) {
        const lp = (x.data[base + c] as number) - ls;
        logp[t * C + c] = lp;
        prob[t * C + c] = Math.exp(lp);
      }
    }
    const r = ctcSample(logp, Tn, C, labels, blank);
    loss[n] = r.loss;
    if (grads === null) continue;
    for (let t = 0; t < Tn; t++) {
      const base = (t * N + n) * C;
      for (let c = 0; c < C; c++) grads[base + c] = (prob[t * C + c] as number) - (r.post[t * C + c] as number);
    }
  }
  return tape('CTCLoss', [x], new NDArray(loss, [N]), () => (g) => {
    const out = new Float32Array(x.size);
    const gr = grads as Float32Array;
    for (let i = 0; i < out.length; i++) out[i] = (gr[i] as number) * (g[Math.floor(i / C) % N] as number);
    return [out];
  });
}
