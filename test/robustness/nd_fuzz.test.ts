// Every function of mx.nd called with seeded random arguments (arrays of random shapes, zeros
// and huge sizes included, with NaN and infinities; option objects with MXNet's keys and wrong
// values; wrong types): a call that fails throws an Error of our own, never a wasm trap or a
// JavaScript TypeError from deep inside (reading a property of undefined), and the backend
// still computes correctly after it.
import { beforeAll, describe, expect, it } from 'vitest';
import mx, { ready } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { fuzzSeed } from './fuzz_seed.js';

beforeAll(async () => {
  await ready({ threads: 1 });
});

/** A small deterministic generator (LCG), so a failure names a reproducible seed. */
function generator(seed: number) {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)] as T;
  return { next, pick };
}

const WRONG: unknown[] = [
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
// Messages of the engine's own TypeErrors and allocation RangeErrors: a call got this far
// without a check of its own.
const UNCHECKED =
  /Cannot read prop|Cannot set prop|is not a function|is not iterable|undefined is not|null is not|^Invalid (typed )?array length|^Array buffer allocation failed/;

function argsFor(g: ReturnType<typeof generator>): unknown[] {
  const { nd } = mx;
  const shape = (): number[] => Array.from({ length: g.pick([0, 1, 2, 3, 4]) }, () => g.pick([0, 1, 2, 3, 5, 8]));
  const array = (): NDArray => {
    if (g.next() < 0.05) return nd.ones([g.pick([0, 1, 3]), 2]);
    const s = shape();
    const d = new Float32Array(s.reduce((a, b) => a * b, 1));
    for (let i = 0; i < d.length; i++)
      d[i] =
        g.next() < 0.05
          ? g.pick([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30])
          : Math.floor(g.next() * 7) - 2;
    return nd.array(d, s);
  };
  const options = (): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (let i = g.pick([0, 1, 2, 3]); i > 0; i--) o[g.pick(KEYS)] = g.next() < 0.4 ? g.pick(WRONG) : g.pick(GOOD);
    return o;
  };
  return Array.from({ length: g.pick([0, 1, 2, 3, 4]) }, () => {
    const r = g.next();
    return r < 0.6 ? array() : r < 0.85 ? options() : r < 0.95 ? g.pick(WRONG) : [array(), array()];
  });
}

/** ND_FUZZ_SEEDS seeds (default 3) from FUZZ_SEED's (see `fuzzSeed`; default 1). */
function seeds(): number[] {
  const first = fuzzSeed(process.env.FUZZ_SEED, 1);
  return Array.from({ length: Number(process.env.ND_FUZZ_SEEDS ?? 3) }, (_, i) => first + i);
}

describe('mx.nd functions under random arguments', () => {
  for (const seed of seeds()) {
    it(`seed ${seed}: failures are our own Errors and the backend keeps working`, () => {
      const { nd } = mx;
      const g = generator(seed);
      const fns = Object.keys(nd)
        .filter((k) => typeof (nd as Record<string, unknown>)[k] === 'function' && k !== 'NDArray')
        .sort();
      expect(fns.length).toBeGreaterThan(50);
      const a = nd.array([
        [1, 2],
        [3, 4],
      ]);
      const unchecked: string[] = [];
      let failed = 0;
      for (let i = 0; i < 1500; i++) {
        const name = g.pick(fns);
        const args = argsFor(g);
        try {
          const out = (nd as unknown as Record<string, (...a: unknown[]) => unknown>)[name]?.(...args);
          for (const o of Array.isArray(out) ? out : [out]) if (o instanceof nd.NDArray) o.toFloat32Array();
        } catch (e) {
          failed++;
          if (!(e instanceof Error) || e instanceof WebAssembly.RuntimeError || UNCHECKED.test(e.message))
            unchecked.push(`nd.${name}: ${String(e instanceof Error ? e.message : e)}`);
        }
        expect(nd.dot(a, a).toArray()).toEqual([
          [7, 10],
          [15, 22],
        ]);
      }
      expect(unchecked).toEqual([]);
      expect(failed).toBeGreaterThan(100); // the generator does reach the checks
    });
  }
});
