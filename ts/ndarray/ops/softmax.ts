// softmax and log_softmax (src/operator/nn/softmax-inl.h): max-subtracted exponentials along
// one axis, optional temperature, and for softmax an optional per-row valid length.

import { softmaxGrad } from '../../autograd/grads.js';
import { tape } from '../../autograd/tape.js';
import { softmaxRows } from '../../backend/norm.js';
import { describe } from '../../util/describe.js';
import { checkNumber, parseArgs } from '../../util/options.js';
import { NDArray, shapeStr } from '../ndarray.js';
import { around, axisOf, checkBool, checkNd } from './common.js';

/** Keyword options of {@link softmax} (`nd.softmax(data, length, axis, temperature, dtype, use_length)`). */
export interface SoftmaxOptions {
  /** Valid lengths (one per position of the other axes), read when `useLength` is true. */
  length?: NDArray | null;
  /** The axis to normalise over (default -1). */
  axis?: number;
  /** Divides the input by this before the exponential (default 1, none). */
  temperature?: number | null;
  /** Only 'float32' (the package's one dtype). */
  dtype?: 'float32' | null;
  /** Positions at or past `length` along `axis` get 0 (default false). */
  useLength?: boolean;
}

/** Keyword options of {@link log_softmax} (`nd.log_softmax(data, axis, temperature, dtype, use_length)`). */
export interface LogSoftmaxOptions {
  /** The axis to normalise over (default -1). */
  axis?: number;
  /** Divides the input by this before the exponential (default 1, none). */
  temperature?: number | null;
  /** Only 'float32' (the package's one dtype). */
  dtype?: 'float32' | null;
  /**
   * Only false: MXNet 1.9.1's log_softmax has no `length` input, so `use_length` cannot be
   * satisfied there either.
   */
  useLength?: boolean;
}

function run(
  where: string,
  data: NDArray,
  axis: number,
  temperature: number,
  log: boolean,
  length: NDArray | null,
): NDArray {
  const ax = axisOf(where, 'axis', axis, data.shape);
  const [outer, n, inner] = around(data.shape, ax);
  if (length !== null) {
    const expect = data.shape.filter((_d, i) => i !== ax);
    if (length.size !== outer * inner) {
      throw new RangeError(
        `${where}: length has shape ${shapeStr(length.shape)} but data ${shapeStr(data.shape)} with axis ${ax} needs ${shapeStr(expect)}`,
      );
    }
  }
  const x = data.data;
  const t = temperature;
  let out: Float32Array;
  if (inner === 1) {
    // Contiguous rows: the wasm SIMD kernel (crates/kernels/src/norm.rs).
    let lens: Float32Array | null = null;
    if (length !== null) {
      lens = new Float32Array(outer);
      for (let o = 0; o < outer; o++) lens[o] = Math.min(Math.max(Math.trunc(length.data[o] as number), 0), n);
    }
    out = softmaxRows(x, n, lens, t, log);
  } else {
    out = new Float32Array(data.size);
    stridedRows(x, out, outer, n, inner, t, log, length);
  }
  const y = new NDArray(out, data.shape);
  return tape(log ? 'log_softmax' : 'softmax', [data], y, () =>
    softmaxGrad(y, outer, n, inner, t, log, length === null ? null : length.data),
  );
}

/** Softmax along a strided axis (`inner` > 1), in float64 per row. */
function stridedRows(
  x: Float32Array,
  out: Float32Array,
  outer: number,
  n: number,
  inner: number,
  t: number,
  log: boolean,
  length: NDArray | null,
): void {
  const exps = new Float64Array(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let len = n;
      if (length !== null) {
        len = Math.trunc(length.data[o * inner + i] as number);
        len = Math.min(Math.max(len, 0), n);
      }
      if (len === 0) continue;
      let mx = -Infinity;
      for (let k = 0; k < len; k++) {
        const v = x[base + k * inner] as number;
        if (v > mx) mx = v;
      }
      let sum = 0;
      for (let k = 0; k < len; k++) {
        const e = Math.exp(((x[base + k * inner] as number) - mx) / t);
        exps[k] = e;
        sum += e;
      }
      if (log) {
        const ls = Math.log(sum);
        for (let k = 0; k < len; k++) out[base + k * inner] = ((x[base + k * inner] as number) - mx) / t - ls;
      } else {
        for (let k = 0; k < len; k++) out[base + k * inner] = (exps[k] as number) / sum;
      }
    }
  }
}

function temperatureOf(where: string, t: unknown): number {
  if (t === null || t === undefined) return 1;
  const v = checkNumber(where, 'temperature', t);
  if (v === 0) throw new RangeError(`${where}: temperature must be non-zero, got 0`);
  return v;
}

function dtypeOf(where: string, d: unknown): void {
  if (d !== null && d !== undefined && d !== 'float32')
    throw new TypeError(`${where}: dtype must be 'float32' (the only dtype of this package), got ${describe(d)}`);
}

/**
 * `nd.softmax(data, length=None, axis=-1, temperature=None, dtype=None, use_length=False)`:
 * exp((x - max) / temperature) normalised along `axis`. With `useLength`, only the first
 * `length[...]` entries along `axis` take part and the rest are 0 (masked softmax).
 *
 * ```ts
 * mx.nd.softmax(logits, { axis: -1, temperature: 0.8 });
 * mx.nd.softmax(scores, lengths, { useLength: true });
 * ```
 */
export function softmax(data: NDArray, length: NDArray | null, options?: Omit<SoftmaxOptions, 'length'>): NDArray;
export function softmax(data: NDArray, options?: SoftmaxOptions): NDArray;
export function softmax(...args: unknown[]): NDArray {
  const where = 'nd.softmax';
  const o = parseArgs<SoftmaxOptions & { data: unknown }>(
    where,
    args,
    ['data', 'length', 'axis', 'temperature', 'dtype', 'useLength'],
    { length: null, axis: -1, temperature: null, dtype: null, useLength: false },
    ['data'],
  );
  const data = checkNd(where, 'data', o.data);
  dtypeOf(where, o.dtype);
  const useLength = checkBool(where, 'useLength', o.useLength);
  let length: NDArray | null = null;
  if (useLength) {
    if (o.length === null || o.length === undefined)
      throw new TypeError(`${where}: useLength is true but no length array was given`);
    length = checkNd(where, 'length', o.length);
  } else if (o.length !== null && o.length !== undefined) {
    // MXNet ignores a length input without use_length; refusing it keeps rule 9 (nothing ignored).
    throw new TypeError(`${where}: a length array was given but useLength is false`);
  }
  return run(where, data, o.axis as number, temperatureOf(where, o.temperature), false, length);
}

/**
 * `nd.log_softmax(data, axis=-1, temperature=None, dtype=None, use_length=False)`:
 * (x - max) / temperature - log(sum(exp(...))) along `axis`, computed without overflow.
 */
export function log_softmax(data: NDArray, options?: LogSoftmaxOptions): NDArray;
export function log_softmax(data: NDArray, axis?: number, temperature?: number | null): NDArray;
export function log_softmax(...args: unknown[]): NDArray {
  const where = 'nd.log_softmax';
  const o = parseArgs<LogSoftmaxOptions & { data: unknown }>(
    where,
    args,
    ['data', 'axis', 'temperature', 'dtype', 'useLength'],
    { axis: -1, temperature: null, dtype: null, useLength: false },
    ['data'],
  );
  const data = checkNd(where, 'data', o.data);
  dtypeOf(where, o.dtype);
  if (checkBool(where, 'useLength', o.useLength)) {
    throw new RangeError(
      `${where}: useLength needs a length input, which MXNet 1.9.1's log_softmax does not take; use nd.softmax(data, length, { useLength: true }) and nd.log`,
    );
  }
  return run(where, data, o.axis as number, temperatureOf(where, o.temperature), true, null);
}
