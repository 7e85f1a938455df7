// Sequences of calls over several live blocks at once, on one thread under a small budget for
// packed weights, so that calls evict each other's weights, layers larger than the memory so
// far grow it between calls, and blocks are disposed midway: whatever came before, a valid
// call equals the float64 reference, a broken one throws a clear Error, and nothing traps
// (the property of fuzz_property.ts, across calls instead of within one block's).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import mx from '../../ts/index.js';
import { type Case, caseArb, type FuzzBlock, fuzzBlock } from './fuzz_property.js';
import { fuzzSeed } from './fuzz_seed.js';

type Op =
  | { op: 'new'; c: Case }
  | { op: 'call'; which: number; T: number; N: number }
  | { op: 'fault'; which: number; fault: Case['fault']; T: number; N: number }
  | { op: 'dispose'; which: number }
  | { op: 'big'; H: number; T: number; N: number };

const sizes = { T: fc.integer({ min: 0, max: 6 }), N: fc.integer({ min: 0, max: 5 }) };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('new' as const), c: caseArb }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('call' as const), which: fc.nat(), ...sizes }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('fault' as const),
      which: fc.nat(),
      fault: fc.constantFrom<Case['fault']>('input-size', 'state-size', 'length-long', 'length-fraction', 'rank'),
      ...sizes,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dispose' as const), which: fc.nat() }) },
  // a layer of up to 2 x 1536^2 weights (18 MiB), past the budget: its call grows the memory
  // until the largest has been seen, and evicts every other block's packed weights
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('big' as const), H: fc.constantFrom(256, 768, 1536), ...sizes }),
  },
);

/** Runs one sequence; throws on a mismatch, an unclear error, or a trap. */
function runSequence(ops: Op[]): void {
  const restarts = mx.backendInfo()!.restarts;
  const live: FuzzBlock[] = [];
  try {
    for (const o of ops) {
      if (o.op === 'new') live.push(fuzzBlock(o.c));
      else if (o.op === 'big') {
        const big = new mx.gluon.rnn.RNN(o.H, { inputSize: o.H, activation: 'relu' });
        big.initialize();
        const y = big.forward(mx.nd.ones([o.T, o.N, o.H]));
        if (!y.data.every(Number.isFinite)) throw new Error('big layer: a non-finite output');
        big.dispose();
      } else if (live.length > 0) {
        const i = o.which % live.length;
        const b = live[i]!;
        if (o.op === 'call') b.check(o.T, o.N);
        else if (o.op === 'fault') b.fault(o.fault, o.T, o.N);
        else {
          b.dispose();
          live.splice(i, 1);
        }
      }
    }
    for (const b of live) b.check(2, 3); // every block still computes after the sequence
  } finally {
    for (const b of live) b.dispose();
  }
  if (mx.backendInfo()!.restarts !== restarts) throw new Error('a call trapped');
}

describe('fuzz: sequences of calls over live blocks (1 thread, 64 KiB of packed weights)', () => {
  beforeAll(async () => {
    await mx.ready({ threads: 1, cacheBytes: 64 * 1024 });
  });

  const runs = Number(process.env.FUZZ_SEQUENCES ?? 40);
  const seed = fuzzSeed(process.env.FUZZ_SEED, 20261207);
  it(`${runs} sequences: every valid call matches the reference, every broken one throws a clear Error`, () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 24 }), (ops) => runSequence(ops)),
      { numRuns: runs, seed },
    );
    console.log(`fuzz sequences, seed ${seed}: ${runs} sequences`);
    expect(mx.backendInfo()!.restarts).toBe(0);
  });
});
