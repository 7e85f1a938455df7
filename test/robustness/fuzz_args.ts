// What the namespace fuzzers (nd_fuzz, sym_fuzz) share: a seeded generator, the values and
// option keys they draw from, and the messages that betray a call without a check of its own.
import { expect } from 'vitest';
import mx from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { fuzzSeed } from './fuzz_seed.js';

/** A small deterministic generator (LCG), so a failure names a reproducible seed. */
export function generator(seed: number) {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)] as T;
  return { next, pick };
}

/** An NDArray of `shape` holding small integers and (5%) NaN, infinities or 1e30. */
export function randomArray(g: ReturnType<typeof generator>, shape: number[]): NDArray {
  const d = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < d.length; i++)
    d[i] =
      g.next() < 0.05
        ? g.pick([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30])
        : Math.floor(g.next() * 7) - 2;
  return mx.nd.array(d, shape);
}

/** Values that are wrong for most parameters: odd numbers, huge and infinite ones, other types. */
export const WRONG: unknown[] = [
  NaN,
  -1,
  0,
  1,
  2,
  -2,
  1.5,
  2 ** 40,
  Number.POSITIVE_INFINITY,
  'a',
  null,
  undefined,
  true,
  [],
  [1, 2],
  [0, -1],
  {},
];
/** Option keys of MXNet's operators (camelCase), drawn into option objects. */
const KEYS = [
  'axis',
  'k',
  'shape',
  'keepdims',
  'retTyp',
  'isAscend',
  'temperature',
  'depth',
  'begin',
  'end',
  'step',
  'numHidden',
  'noBias',
  'flatten',
  'transposeA',
  'transposeB',
  'mode',
  'useSequenceLength',
  'value',
  'eps',
  'momentum',
  'fixGamma',
  'reps',
  'numOutputs',
  'squeezeAxis',
  'dim1',
  'dim2',
  'axes',
  'kernel',
  'stride',
  'pad',
  'poolType',
  'globalPool',
  'scalar',
  'onValue',
  'offValue',
  'actType',
  'slope',
  'useLength',
  'sequenceLength',
  'ord',
];
/** Values that suit many of those keys. */
const GOOD: unknown[] = [
  0,
  1,
  -1,
  2,
  [0],
  [1, 0],
  [0, -1],
  'both',
  'value',
  'indices',
  'max',
  'avg',
  'relu',
  'clip',
  'wrap',
  true,
  false,
];
/** An options object of up to three of KEYS, each with a GOOD or (40%) a WRONG value. */
export function randomOptions(g: ReturnType<typeof generator>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = g.pick([0, 1, 2, 3]); i > 0; i--) o[g.pick(KEYS)] = g.next() < 0.4 ? g.pick(WRONG) : g.pick(GOOD);
  return o;
}

// Messages of the engine's own TypeErrors and allocation RangeErrors: a call got this far
// without a check of its own.
const UNCHECKED =
  /Cannot read prop|Cannot set prop|is not a function|is not iterable|undefined is not|null is not|^Invalid (typed )?array length|^Array buffer allocation failed/;

/** `count` seeds (the environment variable `countVar`, default 3) from FUZZ_SEED's (see `fuzzSeed`; default 1). */
export function fuzzSeeds(countVar: string): number[] {
  const first = fuzzSeed(process.env.FUZZ_SEED, 1);
  return Array.from({ length: Number(process.env[countVar] ?? 3) }, (_, i) => first + i);
}

/** The functions of a namespace (`mx.nd`, `mx.sym`), sorted, at least 50 of them. */
export function functionsOf(ns: object, except: readonly string[] = []): string[] {
  const fns = Object.keys(ns)
    .filter((k) => typeof (ns as Record<string, unknown>)[k] === 'function' && !except.includes(k))
    .sort();
  expect(fns.length).toBeGreaterThan(50);
  return fns;
}

/** The message of `e` when it is not an Error of the package's own (a trap, a non-Error, an engine message), else null. */
export function uncheckedMessage(e: unknown): string | null {
  if (e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && !UNCHECKED.test(e.message)) return null;
  return String(e instanceof Error ? e.message : e);
}

/** The backend still computes after whatever came before: a 2 x 2 product. */
export function expectBackendWorks(): void {
  const a = mx.nd.array([
    [1, 2],
    [3, 4],
  ]);
  expect(mx.nd.dot(a, a).toArray()).toEqual([
    [7, 10],
    [15, 22],
  ]);
}
