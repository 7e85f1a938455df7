// Translation rule 2 of docs/design/api.md: Python's positional parameters stay positional, in Python's
// order, and any keyword parameter may instead come in ONE trailing plain object with
// camelCase keys. Unknown keys throw (nothing is silently ignored).

import { describe } from './describe.js';

/**
 * The argument lists of a function that follows rule 2 of docs/design/api.md: the required
 * parameters `Req`, then any leading run of the optional parameters `Opt` (Python's positional
 * order; labelled tuples; `undefined` skips one), then optionally ONE options object `O`
 * whose keys are checked.
 *
 *   PositionalArgs<[units: number], [activation: string | null], DenseOptions>
 *   = [units: number, options?: DenseOptions]
 *   | [units: number, activation: string | null | undefined, options?: DenseOptions]
 */
export type PositionalArgs<Req extends readonly unknown[], Opt extends readonly unknown[], O> = Opt extends readonly [
  ...infer Init,
  unknown,
]
  ? [...Req, ...{ [K in keyof Opt]: Opt[K] | undefined }, options?: O] | PositionalArgs<Req, Init, O>
  : [...Req, options?: O];

/**
 * A device context. Everything runs on the one wasm CPU device, so only cpu contexts are
 * accepted (`'cpu'`, `'cpu(0)'`, or an object whose `deviceType` is `'cpu'`).
 */
export type Context =
  | string
  | {
      /** 'cpu'. */
      readonly deviceType: string;
    };

/** The dtype the package computes in; Gluon's `dtype` options accept only this (or null). */
export type Float32 = 'float32';

/**
 * Gluon note: everything computes in float32; a `dtype` argument other than 'float32' (or
 * null / undefined, the default) throws, naming `where`.
 */
export function checkDtype(where: string, dtype: unknown): void {
  if (dtype === undefined || dtype === null || dtype === 'float32') return;
  throw new TypeError(
    `${where}: dtype must be 'float32' (the only dtype this package computes in), got ${describe(dtype)}`,
  );
}

/** `v` when it is a number other than NaN, else a TypeError naming `what` and `where`. */
export function checkNumber(where: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v))
    throw new TypeError(`${where}: ${what} must be a number, got ${describe(v)}`);
  return v;
}

/**
 * `n` when it is a count of updates (an integer from 0 to 2^53 - 1), else an Error naming
 * `what`: schedulers step through counts, so an infinite or fractional one has no rate.
 */
export function checkUpdateCount(where: string, what: string, n: unknown): number {
  if (!Number.isSafeInteger(n) || (n as number) < 0)
    throw new RangeError(`${where}: ${what} must be a count of updates (an integer >= 0), got ${describe(n)}`);
  return n as number;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `batch_size` -> `batchSize` (for "did you mean" hints). */
export function snakeToCamel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase());
}

/**
 * Parses `args` against `names` (Python's parameter order, camelCase). A trailing plain object
 * holds keyword arguments. Returns an object with every name: given values, else `defaults`.
 * `required` names must be given (positionally or by keyword).
 *
 *   parseArgs('LSTM', [100, { numLayers: 3 }], ['hiddenSize', 'numLayers'], { numLayers: 1 }, ['hiddenSize'])
 */
export function parseArgs<T extends object>(
  where: string,
  args: readonly unknown[],
  keyNames: readonly (keyof T & string)[],
  defaults: Partial<T>,
  required: readonly (keyof T & string)[] = [],
): T {
  const names: readonly string[] = keyNames;
  let positional = args;
  let kw: Record<string, unknown> = {};
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  if (isPlainObject(last)) {
    kw = last;
    positional = args.slice(0, -1);
  }
  if (positional.length > names.length) {
    throw new TypeError(
      `${where}: takes at most ${names.length} positional argument(s) (${names.join(', ')}), got ${positional.length}`,
    );
  }
  const out: Record<string, unknown> = { ...defaults };
  positional.forEach((v, i) => {
    const name = names[i] as string;
    if (v !== undefined) out[name] = v;
  });
  for (const [k, v] of Object.entries(kw)) {
    if (!names.includes(k)) {
      const camel = snakeToCamel(k);
      const hint = camel !== k && names.includes(camel) ? ` (did you mean '${camel}'?)` : '';
      throw new TypeError(`${where}: unknown option '${k}'${hint}; expected one of: ${names.join(', ')}`);
    }
    const idx = names.indexOf(k);
    if (idx < positional.length && positional[idx] !== undefined) {
      throw new TypeError(`${where}: got multiple values for argument '${k}'`);
    }
    if (v !== undefined) out[k] = v;
  }
  for (const r of required) {
    if (out[r] === undefined) throw new TypeError(`${where}: missing required argument '${r}'`);
  }
  return out as T;
}

/** Python's str() of a float: 0.5 -> '0.5', 1 -> '1.0'. */
export function pyFloat(x: number): string {
  if (Number.isInteger(x)) return `${x}.0`;
  return String(x);
}

/** Python's `json.dumps` layout (', ' and ': ' separators), as `Initializer.dumps()` writes it. */
export function pyJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  if (typeof v === 'object' && v !== null)
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pyJson(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v);
}

/** Python's str() of a tuple of ints: () '(3,)' '(2, 3)'. */
export function pyTuple(t: readonly number[]): string {
  if (t.length === 1) return `(${t[0]},)`;
  return `(${t.join(', ')})`;
}

/** Contexts: everything runs on the one wasm CPU device; only cpu contexts are accepted. */
export function checkCtx(where: string, ctx: unknown): void {
  if (ctx === undefined || ctx === null) return;
  const items = Array.isArray(ctx) ? ctx : [ctx];
  for (const c of items) {
    const s = typeof c === 'string' ? c : String((c as { deviceType?: unknown }).deviceType ?? c);
    if (!/^cpu/.test(s)) {
      throw new TypeError(`${where}: ctx must be a cpu context (this package runs on the wasm CPU), got ${s}`);
    }
  }
}

/** A list of integer axes (Python's `axes` tuple), or a TypeError naming the option. */
export function checkAxes(where: string, axes: unknown): number[] {
  if (!Array.isArray(axes) || !axes.every((a) => Number.isInteger(a)))
    throw new TypeError(`${where}: axes must be an array of integer axes, got ${describe(axes)}`);
  return [...axes];
}
