// nd.random: uniform and normal draws from the seedable generator of ts/random.ts.

import { nextNormal, nextUniform } from '../random.js';
import { describe } from '../util/describe.js';
import { type Context, checkCtx, checkDtype, type Float32, type PositionalArgs, parseArgs } from '../util/options.js';
import { toShape } from './creation.js';
import { NDArray, type Shape, zerosOf } from './ndarray.js';

/** Options of `nd.random.uniform`. */
export interface UniformOptions {
  /** Lower bound, inclusive (default 0). */
  low?: number;
  /** Upper bound, exclusive (default 1). */
  high?: number;
  /** Default (1,). */
  shape?: Shape | number;
  /** Only 'float32'. */
  dtype?: Float32 | null;
  /** Accepted for compatibility: cpu only. */
  ctx?: Context | null;
}

/** Options of `nd.random.normal`. */
export interface NormalOptions {
  /** Mean (default 0). */
  loc?: number;
  /** Standard deviation (default 1). */
  scale?: number;
  /** Default (1,). */
  shape?: Shape | number;
  /** Only 'float32'. */
  dtype?: Float32 | null;
  /** Accepted for compatibility: cpu only. */
  ctx?: Context | null;
}

interface DrawArgs {
  a: number;
  b: number;
  shape: unknown;
  dtype: unknown;
  ctx: unknown;
}

function draw(
  where: string,
  names: [string, string],
  args: unknown[],
  defaults: [number, number],
  f: (p: number, q: number) => number,
): NDArray {
  const o = parseArgs<Record<string, unknown>>(where, args, [names[0], names[1], 'shape', 'dtype', 'ctx'], {
    [names[0]]: defaults[0],
    [names[1]]: defaults[1],
    shape: [1],
  });
  const d: DrawArgs = {
    a: o[names[0]] as number,
    b: o[names[1]] as number,
    shape: o.shape,
    dtype: o.dtype,
    ctx: o.ctx,
  };
  checkCtx(where, d.ctx);
  checkDtype(where, d.dtype);
  for (const [k, v] of [
    [names[0], d.a],
    [names[1], d.b],
  ] as const) {
    if (typeof v !== 'number' || Number.isNaN(v))
      throw new TypeError(`${where}: ${k} must be a number, got ${describe(v)}`);
  }
  const shape = toShape(`${where}(shape)`, d.shape);
  const out = zerosOf(shape, where);
  for (let i = 0; i < out.length; i++) out[i] = f(d.a, d.b);
  return new NDArray(out, shape);
}

/** `nd.random.uniform(low=0, high=1, shape=(1,), dtype?, ctx?)`: U[low, high). */
export function uniform(
  ...args: PositionalArgs<
    [],
    [low: number, high: number, shape: Shape | number, dtype: Float32 | null, ctx: Context | null],
    UniformOptions
  >
): NDArray;
export function uniform(...args: unknown[]): NDArray {
  return draw('nd.random.uniform', ['low', 'high'], args, [0, 1], (lo, hi) => lo + (hi - lo) * nextUniform());
}

/** `nd.random.normal(loc=0, scale=1, shape=(1,), dtype?, ctx?)`. */
export function normal(
  ...args: PositionalArgs<
    [],
    [loc: number, scale: number, shape: Shape | number, dtype: Float32 | null, ctx: Context | null],
    NormalOptions
  >
): NDArray;
export function normal(...args: unknown[]): NDArray {
  return draw('nd.random.normal', ['loc', 'scale'], args, [0, 1], (loc, scale) => {
    if (scale < 0) throw new RangeError(`nd.random.normal: scale must be non-negative, got ${scale}`);
    return loc + scale * nextNormal();
  });
}
