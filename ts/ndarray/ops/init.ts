// Creation operators with parameters (src/operator/tensor/init_op.h): arange.

import { describe } from '../../util/describe.js';
import { checkCtx, checkNumber, parseArgs } from '../../util/options.js';
import { NDArray, zerosOf } from '../ndarray.js';
import { checkInt } from './common.js';

/** Keyword options of {@link arange} (`nd.arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None, dtype='float32')`). */
export interface ArangeOptions {
  /** First value (or, without `stop`, the exclusive end with start 0). */
  start?: number;
  /** Exclusive end; null means [0, start). */
  stop?: number | null;
  /** Spacing (default 1; may be negative, not 0). */
  step?: number;
  /** How many times each value repeats (default 1). */
  repeat?: number;
  /** Only null/false: MXNet's symbol-only range inference. */
  inferRange?: boolean | null;
  /** Only a cpu context. */
  ctx?: unknown;
  /** Only 'float32'. */
  dtype?: 'float32';
}

/**
 * `nd.arange(start, stop=None, step=1.0, repeat=1)`: evenly spaced values in [start, stop),
 * each repeated `repeat` times.
 */
export function arange(options: ArangeOptions & { start: number }): NDArray;
export function arange(start: number, options?: Omit<ArangeOptions, 'start'>): NDArray;
export function arange(start: number, stop?: number | null, step?: number, repeat?: number): NDArray;
export function arange(start: number, stop: number | null, options: Omit<ArangeOptions, 'start' | 'stop'>): NDArray;
export function arange(...args: unknown[]): NDArray {
  const where = 'nd.arange';
  const o = parseArgs<ArangeOptions>(
    where,
    args,
    ['start', 'stop', 'step', 'repeat', 'inferRange', 'ctx', 'dtype'],
    { stop: null, step: 1, repeat: 1, inferRange: null },
    ['start'],
  );
  checkCtx(where, o.ctx);
  if (o.dtype !== undefined && o.dtype !== 'float32')
    throw new TypeError(`${where}: dtype must be 'float32', got ${describe(o.dtype)}`);
  if (o.inferRange) throw new RangeError(`${where}: inferRange is only meaningful for symbols`);
  let start = checkNumber(where, 'start', o.start);
  let stop: number;
  if (o.stop === null || o.stop === undefined) {
    stop = start;
    start = 0;
  } else stop = checkNumber(where, 'stop', o.stop);
  const step = checkNumber(where, 'step', o.step);
  if (step === 0) throw new RangeError(`${where}: step cannot be 0`);
  for (const [name, v] of [
    ['start', start],
    ['stop', stop],
    ['step', step],
  ] as const) {
    if (!Number.isFinite(v)) throw new RangeError(`${where}: ${name} must be finite, got ${v}`);
  }
  const repeat = checkInt(where, 'repeat', o.repeat);
  if (repeat < 1) throw new RangeError(`${where}: repeat must be at least 1, got ${repeat}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const out = zerosOf([n * repeat], where);
  for (let i = 0; i < out.length; i++) out[i] = start + Math.floor(i / repeat) * step;
  return new NDArray(out, [out.length]);
}
