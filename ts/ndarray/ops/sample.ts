// Sampling from categorical distributions (src/operator/random/sample_multinomial_op.h), drawn
// from the package's seedable generator (mx.random.seed, ts/random.ts).

import { nextUniform } from '../../random.js';
import { describe } from '../../util/describe.js';
import { parseArgs } from '../../util/options.js';
import { NDArray, shapeSize, shapeStr, zerosOf } from '../ndarray.js';
import { checkBool, checkNd, intTuple } from './common.js';

/** Keyword options of `nd.random.multinomial` (`nd.random.multinomial(data, shape=_Null, get_prob=False, dtype='int32')`). */
export interface MultinomialOptions {
  /** Samples per distribution: an integer or a shape appended to the batch shape (default: one, no extra axis). */
  shape?: number | readonly number[];
  /** Also return the log-probability of each sample: `[samples, logProb]` (default false). */
  getProb?: boolean;
  /**
   * Only 'float32'. Gluon note: MXNet's default is int32; this package has one dtype, so the
   * category ids come back as float32 (as indices do everywhere here).
   */
  dtype?: 'float32';
}

/**
 * `nd.random.multinomial(data, shape=_Null, get_prob=False)`: category ids drawn from the
 * distributions on the last axis of `data` (each row sums to 1; e.g. `nd.softmax` output).
 * The result has shape `data.shape[:-1] + shape`. Seed with `mx.random.seed(n)`.
 * Gluon note: the stream differs from MXNet's generator; a seed reproduces samples only here.
 *
 * ```ts
 * mx.random.seed(42);
 * const next = mx.nd.random.multinomial(mx.nd.softmax(logits, { temperature: 0.8 }));
 * ```
 */
export function multinomial(data: NDArray, options: MultinomialOptions & { getProb: true }): [NDArray, NDArray];
export function multinomial(data: NDArray, options?: MultinomialOptions & { getProb?: false }): NDArray;
export function multinomial(data: NDArray, shape: number | readonly number[], getProb: true): [NDArray, NDArray];
export function multinomial(data: NDArray, shape?: number | readonly number[], getProb?: false): NDArray;
export function multinomial(...args: unknown[]): NDArray | [NDArray, NDArray] {
  const where = 'nd.random.multinomial';
  const o = parseArgs<MultinomialOptions & { data: unknown }>(
    where,
    args,
    ['data', 'shape', 'getProb', 'dtype'],
    { getProb: false },
    ['data'],
  );
  const p = checkNd(where, 'data', o.data);
  const getProb = checkBool(where, 'getProb', o.getProb);
  if (o.dtype !== undefined && o.dtype !== 'float32')
    throw new TypeError(`${where}: dtype must be 'float32' (category ids are float32 here), got ${describe(o.dtype)}`);
  const extra = o.shape === undefined ? [] : intTuple(where, 'shape', o.shape);
  if (extra.some((d) => d < 0)) throw new RangeError(`${where}: shape ${shapeStr(extra)} must be non-negative`);
  const k = p.shape[p.ndim - 1] as number;
  if (p.ndim < 1 || k < 1)
    throw new RangeError(`${where}: data must have a non-empty last axis, got ${shapeStr(p.shape)}`);
  const rows = p.size / k;
  const per = shapeSize(extra);
  const out = zerosOf([...p.shape.slice(0, -1), ...extra], where);
  const logp = getProb ? new Float32Array(out.length) : null;
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < per; s++) {
      const u = nextUniform();
      let acc = 0;
      let pick = k - 1;
      for (let j = 0; j < k; j++) {
        acc += p.data[r * k + j] as number;
        if (u < acc) {
          pick = j;
          break;
        }
      }
      out[r * per + s] = pick;
      if (logp) logp[r * per + s] = Math.log(p.data[r * k + pick] as number);
    }
  }
  const lead = p.shape.slice(0, -1);
  const shape = [...lead, ...extra];
  const samples = new NDArray(out, shape.length === 0 ? [1] : shape);
  if (!logp) return samples;
  return [samples, new NDArray(logp, samples.shape)];
}
