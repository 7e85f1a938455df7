// Fuzzing the NDArray-file reader: random bytes and mutations of real MXNet files must either parse
// into a consistent result or throw NDArrayFileError - never another exception, never a hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadNDArrayFile, NDArrayFileError, saveNDArrayFile } from '../../ts/io/params.js';
import { mxnetFixture, publicParams } from './fixtures.js';

const SEED = 20240611;
const BUDGET_MS = 2000;
const PER_CALL_LIMIT_MS = 250;

const bases: Uint8Array[] = [
  mxnetFixture('bin/seq_bilstm2.params'),
  mxnetFixture('bin/lstmcell.params'),
  mxnetFixture('bin/nd_dict.nd'),
  mxnetFixture('bin/nd_dtypes.nd'),
  mxnetFixture('bin/nd_v3_npshape.nd'),
  mxnetFixture('bin/exported-0003.params'),
  publicParams('ner-bilstm-crf-model.params'),
];

/** Parse; return the failure reason (a string) or null when the outcome is acceptable. */
function check(bytes: Uint8Array): string | null {
  const t0 = performance.now();
  let result: ReturnType<typeof loadNDArrayFile> | undefined;
  try {
    result = loadNDArrayFile(bytes);
  } catch (e) {
    if (!(e instanceof NDArrayFileError)) return `threw a non-NDArrayFileError: ${String(e)}`;
    if (!/byte offset \d+/.test(e.message)) return `error message without an offset: ${e.message}`;
    if (!(e.offset >= 0 && e.offset <= bytes.length)) return `error offset ${e.offset} outside the input`;
  }
  const ms = performance.now() - t0;
  if (ms > PER_CALL_LIMIT_MS) return `took ${ms.toFixed(0)} ms on ${bytes.length} bytes`;
  if (result) {
    if (result.names !== null && result.names.length !== result.arrays.length) return 'names/arrays length mismatch';
    let total = 0;
    for (const a of result.arrays) {
      const size = a.shape.reduce((x, y) => x * y, 1);
      if (a.data.length !== size) return `data length ${a.data.length} != shape size ${size}`;
      total += a.data.length;
    }
    if (total > bytes.length) return `more elements (${total}) than input bytes (${bytes.length})`;
    // whatever we accept, we can write back (when MXNet 1.x could load it) and read back identically
    const writable = result.arrays.every((a) => a.shape.length > 0 && a.data.length > 0);
    if (writable) {
      const again = loadNDArrayFile(saveNDArrayFile(result));
      if (again.names?.join('\u0000') !== result.names?.join('\u0000')) return 'names changed in a round trip';
      for (let i = 0; i < again.arrays.length; i++) {
        const x = new Uint8Array(again.arrays[i]!.data.buffer);
        const y = new Uint8Array(result.arrays[i]!.data.buffer);
        if (x.length !== y.length || x.some((v, j) => v !== y[j])) return `array ${i} changed in a round trip`;
      }
    }
  }
  return null;
}

const interestingU32 = fc.constantFrom(
  0,
  1,
  2,
  3,
  12,
  13,
  0x7fffffff,
  0x80000000,
  0xffffffff,
  0xf993fac8,
  0xf993fac9,
  0xf993faca,
  0x112,
);
const interestingU64 = fc.constantFrom(
  0n,
  1n,
  2n,
  2n ** 31n,
  2n ** 32n,
  2n ** 40n,
  2n ** 53n + 1n,
  2n ** 62n,
  2n ** 64n - 1n,
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), pos: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('u32' as const), pos: fc.nat(), value: interestingU32 }),
  fc.record({ kind: fc.constant('u64' as const), pos: fc.nat(), value: interestingU64 }),
  fc.record({ kind: fc.constant('insert' as const), pos: fc.nat(), bytes: fc.uint8Array({ maxLength: 12 }) }),
  fc.record({ kind: fc.constant('delete' as const), pos: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), pos: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function apply(base: Uint8Array, muts: Mutation[]): Uint8Array {
  let b = base.slice();
  for (const m of muts) {
    const len = b.length;
    // structural fields of float32 files are 4-byte aligned: bias positions towards that
    const at = (p: number, width: number) => (len < width ? -1 : (p % (len - width + 1)) & (p & 1 ? ~3 : ~0));
    switch (m.kind) {
      case 'set': {
        const p = at(m.pos, 1);
        if (p >= 0) b[p] = m.byte;
        break;
      }
      case 'u32': {
        const p = at(m.pos, 4);
        if (p >= 0) new DataView(b.buffer, b.byteOffset).setUint32(p, m.value >>> 0, true);
        break;
      }
      case 'u64': {
        const p = at(m.pos, 8);
        if (p >= 0) new DataView(b.buffer, b.byteOffset).setBigUint64(p, m.value, true);
        break;
      }
      case 'insert': {
        const p = len === 0 ? 0 : m.pos % (len + 1);
        const nb = new Uint8Array(len + m.bytes.length);
        nb.set(b.subarray(0, p));
        nb.set(m.bytes, p);
        nb.set(b.subarray(p), p + m.bytes.length);
        b = nb;
        break;
      }
      case 'delete': {
        if (len === 0) break;
        const p = m.pos % len;
        const nb = new Uint8Array(len - Math.min(m.len, len - p));
        nb.set(b.subarray(0, p));
        nb.set(b.subarray(p + m.len), p);
        b = nb;
        break;
      }
      case 'truncate':
        b = b.slice(0, len === 0 ? 0 : m.pos % len);
        break;
      case 'append': {
        const nb = new Uint8Array(len + m.bytes.length);
        nb.set(b);
        nb.set(m.bytes, len);
        b = nb;
        break;
      }
    }
  }
  return b;
}

describe('NDArray file reader fuzz (fast-check, fixed seed, ~2 s budget each)', () => {
  it('random bytes', () => {
    const header = new Uint8Array([0x12, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 256 }),
      // a valid header followed by garbage gets past the magic check
      fc.tuple(fc.integer({ min: 0, max: 6 }), fc.uint8Array({ maxLength: 400 })).map(([n, rest]) => {
        const b = new Uint8Array(24 + rest.length);
        b.set(header);
        b[16] = n;
        b.set(rest, 24);
        return b;
      }),
    );
    let runs = 0;
    fc.assert(
      fc.property(arb, (bytes) => {
        runs++;
        const why = check(bytes);
        if (why !== null) throw new Error(why);
      }),
      { seed: SEED, numRuns: 1_000_000, interruptAfterTimeLimit: BUDGET_MS },
    );
    expect(runs).toBeGreaterThan(100);
  });

  it('mutations of real MXNet files', () => {
    let runs = 0;
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (which, muts) => {
          runs++;
          const bytes = apply(bases[which]!, muts);
          const why = check(bytes);
          if (why !== null) throw new Error(why);
          try {
            loadNDArrayFile(bytes);
            accepted++;
          } catch {
            /* checked above */
          }
        },
      ),
      { seed: SEED + 1, numRuns: 1_000_000, interruptAfterTimeLimit: BUDGET_MS },
    );
    expect(runs).toBeGreaterThan(100);
    // payload-only mutations keep a file valid: the fuzzer exercises both outcomes
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(runs);
  });
});
