// Every function of mx.nd called with seeded random arguments (arrays of random shapes, zeros
// and huge sizes included, with NaN and infinities; option objects with MXNet's keys and wrong
// values; wrong types): a call that fails throws an Error of our own, never a wasm trap or a
// JavaScript TypeError from deep inside (reading a property of undefined), and the backend
// still computes correctly after it.
import { beforeAll, describe, expect, it } from 'vitest';
import mx, { ready } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import {
  expectBackendWorks,
  functionsOf,
  fuzzSeeds,
  generator,
  randomArray,
  randomOptions,
  uncheckedMessage,
  WRONG,
} from './fuzz_args.js';

beforeAll(async () => {
  await ready({ threads: 1 });
});

function argsFor(g: ReturnType<typeof generator>): unknown[] {
  const { nd } = mx;
  const shape = (): number[] => Array.from({ length: g.pick([0, 1, 2, 3, 4]) }, () => g.pick([0, 1, 2, 3, 5, 8]));
  const array = (): NDArray => (g.next() < 0.05 ? nd.ones([g.pick([0, 1, 3]), 2]) : randomArray(g, shape()));
  return Array.from({ length: g.pick([0, 1, 2, 3, 4]) }, () => {
    const r = g.next();
    return r < 0.6 ? array() : r < 0.85 ? randomOptions(g) : r < 0.95 ? g.pick(WRONG) : [array(), array()];
  });
}

describe('mx.nd functions under random arguments', () => {
  for (const seed of fuzzSeeds('ND_FUZZ_SEEDS')) {
    it(`seed ${seed}: failures are our own Errors and the backend keeps working`, () => {
      const { nd } = mx;
      const g = generator(seed);
      const fns = functionsOf(nd, ['NDArray']);
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
          const m = uncheckedMessage(e);
          if (m !== null) unchecked.push(`nd.${name}: ${m}`);
        }
        expectBackendWorks();
      }
      expect(unchecked).toEqual([]);
      expect(failed).toBeGreaterThan(100); // the generator does reach the checks
    });
  }
});
