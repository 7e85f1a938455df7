// Operator attributes of MXNet symbol JSON: every value is a string (dmlc::Parameter's text
// form, e.g. '(3, 4)', 'True', 'None', '-1'), read here into numbers, booleans and tuples.
// Keys starting with '__' (__shape__, __layout__, __subgraph_name__, ...) are graph metadata,
// not operator parameters (nnvm/src/core/graph_attr_types and python/mxnet/attribute.py).

import { ValueError } from '../util/errors.js';

/** The string attributes of one node. */
export type StringAttrs = Readonly<Record<string, string>>;

/**
 * Reads a node's attributes by MXNet's (snake_case) names. `done()` throws for any
 * operator attribute that was never read: MXNet's parser rejects unknown keys too.
 */
export class AttrReader {
  private readonly seen = new Set<string>();

  /** `where` names the node in messages ("RNN node 'lstm0_rnn0'"). */
  constructor(
    readonly where: string,
    private readonly attrs: StringAttrs,
  ) {}

  private raw(key: string): string | undefined {
    this.seen.add(key);
    return this.attrs[key];
  }

  private bad(key: string, want: string, got: string): never {
    throw new ValueError(`${this.where}: attribute '${key}' must be ${want}, got '${got}'`);
  }

  /** True when the attribute is present. */
  has(key: string): boolean {
    this.seen.add(key);
    return this.attrs[key] !== undefined;
  }

  /** An integer; `dflt` when absent (absent and no default throws). */
  int(key: string, dflt?: number): number {
    const s = this.raw(key);
    if (s === undefined) return this.required(key, dflt);
    const v = parseIntStrict(s);
    return v === null ? this.bad(key, 'an integer', s) : v;
  }

  /** An integer or null ('None'); `dflt` when absent. */
  optInt(key: string, dflt: number | null = null): number | null {
    const s = this.raw(key);
    if (s === undefined) return dflt;
    if (s === 'None') return null;
    const v = parseIntStrict(s);
    return v === null ? this.bad(key, "an integer or 'None'", s) : v;
  }

  /** A number; `dflt` when absent. */
  float(key: string, dflt?: number): number {
    const s = this.raw(key);
    if (s === undefined) return this.required(key, dflt);
    const v = parseFloatStrict(s);
    return v === null ? this.bad(key, 'a number', s) : v;
  }

  /** A number or null ('None'). */
  optFloat(key: string): number | null {
    const s = this.raw(key);
    if (s === undefined || s === 'None') return null;
    const v = parseFloatStrict(s);
    return v === null ? this.bad(key, "a number or 'None'", s) : v;
  }

  /** 'True'/'False' (also 'true'/'false', '1'/'0', as dmlc's bool parser). */
  bool(key: string, dflt?: boolean): boolean {
    const s = this.raw(key);
    if (s === undefined) return this.required(key, dflt);
    if (s === 'True' || s === 'true' || s === '1') return true;
    if (s === 'False' || s === 'false' || s === '0') return false;
    return this.bad(key, "'True' or 'False'", s);
  }

  /** A string; `dflt` when absent. */
  str(key: string, dflt?: string): string {
    const s = this.raw(key);
    if (s === undefined) return this.required(key, dflt);
    return s;
  }

  /** One of `choices`; `dflt` when absent. */
  choice<T extends string>(key: string, choices: readonly T[], dflt?: T): T {
    const s = this.str(key, dflt);
    if (!(choices as readonly string[]).includes(s)) return this.bad(key, `one of ${choices.join(', ')}`, s);
    return s as T;
  }

  /** An integer tuple: '(3, 4)', '[3,4]', '(3,)', '()' or a bare '3'; `dflt` when absent. */
  tuple(key: string, dflt?: number[]): number[] {
    const s = this.raw(key);
    if (s === undefined) return this.required(key, dflt);
    const v = parseTuple(s);
    return v === null ? this.bad(key, 'an integer tuple', s) : v;
  }

  /** An integer tuple or null ('None'). */
  optTuple(key: string): number[] | null {
    const s = this.raw(key);
    if (s === undefined || s === 'None') return null;
    const v = parseTuple(s);
    return v === null ? this.bad(key, "an integer tuple or 'None'", s) : v;
  }

  /** A tuple of integers and 'None's, as slice's begin '(0, None)'; `dflt` when absent. */
  optIntTuple(key: string, dflt?: (number | null)[]): (number | null)[] {
    const s = this.raw(key);
    if (s === undefined) return this.required(key, dflt);
    const v = parseTupleOf(s, null);
    return v === null ? this.bad(key, "a tuple of integers or 'None'", s) : v;
  }

  /** Throws for operator attributes (not '__...__' metadata) that were never read. */
  done(): void {
    const extra = Object.keys(this.attrs).filter((k) => !k.startsWith('__') && !this.seen.has(k));
    if (extra.length > 0)
      throw new ValueError(`${this.where}: unknown attribute(s) ${extra.map((k) => `'${k}'`).join(', ')}`);
  }

  private required<T>(key: string, dflt: T | undefined): T {
    if (dflt === undefined) throw new ValueError(`${this.where}: attribute '${key}' is required`);
    return dflt;
  }
}

function parseIntStrict(s: string): number | null {
  const t = s.trim().replace(/L$/, '');
  return /^[+-]?\d+$/.test(t) ? Number(t) : null;
}

function parseFloatStrict(s: string): number | null {
  const t = s.trim();
  if (t === 'inf' || t === '+inf') return Number.POSITIVE_INFINITY;
  if (t === '-inf') return Number.NEGATIVE_INFINITY;
  if (t === 'nan') return Number.NaN;
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  return Number(t);
}

/** '(3, 4)' / '[3,4]' / '(3,)' / '()' / '3' -> [3, 4] ...; null when malformed. */
export function parseTuple(s: string): number[] | null {
  return parseTupleOf(s, 0);
}

/** A tuple with each 'None' read as `none`. */
function parseTupleOf<N extends number | null>(s: string, none: N): (number | N)[] | null {
  let t = s.trim();
  if ((t.startsWith('(') && t.endsWith(')')) || (t.startsWith('[') && t.endsWith(']'))) t = t.slice(1, -1);
  const parts = t
    .split(',')
    .map((p) => p.trim())
    .filter((p, i, all) => p !== '' || i !== all.length - 1);
  if (parts.length === 1 && parts[0] === '') return [];
  const out: (number | N)[] = [];
  for (const p of parts) {
    const v = p === 'None' ? none : parseIntStrict(p);
    if (v === null && p !== 'None') return null;
    out.push(v as number | N);
  }
  return out;
}
