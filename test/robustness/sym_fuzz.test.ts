// Every function of mx.sym called with seeded random arguments (variables, numbers, option
// objects with MXNet's keys and wrong values, wrong types), and every graph that builds run
// through SymbolBlock on random inputs: a failure is an Error of our own, never a wasm trap or
// a JavaScript TypeError from deep inside, whether it comes when the node is made, when the
// graph is imported (its JSON as MXNet writes it), initialised or run.
import { beforeAll, describe, expect, it } from 'vitest';
import mx, { ready } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import type { MxSymbol } from '../../ts/symbol/symbol.js';
import {
  expectBackendWorks,
  functionsOf,
  fuzzSeeds,
  generator,
  randomOptions,
  uncheckedMessage,
  WRONG,
} from './fuzz_args.js';

beforeAll(async () => {
  await ready({ threads: 1 });
});

const INPUTS = ['data', 'data2'];

function argsFor(g: ReturnType<typeof generator>): unknown[] {
  return Array.from({ length: g.pick([0, 1, 2, 3, 4]) }, () => {
    const r = g.next();
    return r < 0.55 ? mx.sym.var(g.pick(INPUTS)) : r < 0.8 ? randomOptions(g) : g.pick(WRONG);
  });
}

/** Runs `s` through SymbolBlock on inputs of random shapes (its other variables initialised). */
function run(g: ReturnType<typeof generator>, s: MxSymbol): void {
  const inputs = s.listArguments().filter((a) => INPUTS.includes(a));
  const net = mx.gluon.SymbolBlock.imports(s.toJson(), inputs);
  net.initialize();
  const shape = Array.from({ length: g.pick([1, 2, 3]) }, () => g.pick([0, 1, 2, 3, 5]));
  const xs = inputs.map(() => mx.nd.random.uniform(-2, 2, shape));
  const out = net.forward(...(xs as [NDArray]));
  for (const o of Array.isArray(out) ? out : [out]) o.toFloat32Array();
}

describe('mx.sym functions under random arguments, their graphs imported and run', () => {
  for (const seed of fuzzSeeds('SYM_FUZZ_SEEDS')) {
    it(`seed ${seed}: failures are our own Errors and the backend keeps working`, () => {
      const { sym } = mx;
      const g = generator(seed);
      const fns = functionsOf(sym);
      const unchecked: string[] = [];
      let built = 0;
      let ran = 0;
      for (let i = 0; i < 400; i++) {
        const name = g.pick(fns);
        let stage = 'build';
        try {
          const out = (sym as unknown as Record<string, (...a: unknown[]) => unknown>)[name]?.(...argsFor(g));
          const heads = (Array.isArray(out) ? out : [out]).filter((o) => o instanceof Object && 'toJson' in o);
          built += heads.length > 0 ? 1 : 0;
          stage = 'run';
          for (const h of heads) run(g, h as MxSymbol);
          ran += heads.length > 0 ? 1 : 0;
        } catch (e) {
          const m = uncheckedMessage(e);
          if (m !== null) unchecked.push(`sym.${name} (${stage}): ${m}`);
        }
        expectBackendWorks();
      }
      expect(unchecked).toEqual([]);
      expect(built).toBeGreaterThan(10); // the generator does build graphs
      expect(ran).toBeGreaterThan(1); // and some of them run
    });
  }
});
