// Property-based fuzzing of layers and cells on the threaded build with 2 threads (see fuzz_property.ts).
// FUZZ_RUNS sets the number of cases (default 1000; `npm run fuzz` runs 10^5).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import mx from '../../ts/index.js';
import { bigCaseArb, caseArb, type Outcome, runCase } from './fuzz_property.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

describe('fuzz: layers and cells, 2 threads (small sizes stay on one thread; the layer splits when it is big enough)', () => {
  beforeAll(async () => {
    await mx.ready({ threads: 2 });
  });

  it(`${RUNS} cases: each matches the float64 reference or throws a clear Error, and the next call matches`, () => {
    const counts: Record<Outcome, number> = { ok: 0, error: 0 };
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: caseArb }, { weight: 1, arbitrary: bigCaseArb }), (c) => {
        counts[runCase(c)]++;
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261206) },
    );
    console.log(
      `fuzz 2 threads: ${RUNS} cases, ${counts.ok} valid, ${counts.error} rejected, 0 traps, restarts ${mx.backendInfo()!.restarts}`,
    );
    expect(counts.ok + counts.error).toBe(RUNS);
    expect(mx.backendInfo()!.restarts).toBe(0);
  });
});
