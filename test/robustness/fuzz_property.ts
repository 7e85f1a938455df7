// The property the fuzz suites check, over fused layers and cells with random modes, layouts,
// options and shapes (zeros and odd sizes included), valid or deliberately broken:
// - a valid call equals the float64 reference (tests/gluon/reference_rnn.ts) within 1e-5
//   relative to max(1, |x|);
// - an invalid call throws an ordinary Error that names what is wrong, never a trap, and the
//   next valid call on the same block still equals the reference.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FusedRnnSpec } from '../../ts/backend/rnn.js';
import mx from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { refFused } from '../gluon/reference_rnn.js';
import { fuzzSeed } from './fuzz_seed.js';

type Mode = FusedRnnSpec['mode'];

/** One generated case. */
export interface Case {
  mode: Mode;
  cell: boolean;
  layout: 'TNC' | 'NTC';
  numLayers: number;
  bidirectional: boolean;
  projection: number | null;
  clip: boolean;
  T: number;
  N: number;
  C: number;
  H: number;
  states: boolean;
  validLength: boolean;
  scale: number;
  /** How the call is broken (none = a valid call). */
  fault: 'none' | 'input-size' | 'state-size' | 'length-zero' | 'length-long' | 'length-fraction' | 'rank';
  seed: number;
}

const MODES: Mode[] = ['rnn_relu', 'rnn_tanh', 'lstm', 'gru'];

export const caseArb: fc.Arbitrary<Case> = fc
  .record({
    mode: fc.constantFrom(...MODES),
    cell: fc.boolean(),
    layout: fc.constantFrom('TNC' as const, 'NTC' as const),
    numLayers: fc.integer({ min: 1, max: 3 }),
    bidirectional: fc.boolean(),
    projection: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    clip: fc.boolean(),
    T: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 7 })),
    N: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 })),
    C: fc.integer({ min: 1, max: 9 }),
    H: fc.integer({ min: 1, max: 17 }),
    states: fc.boolean(),
    validLength: fc.boolean(),
    scale: fc.constantFrom(0.1, 1, 4, 100),
    fault: fc.constantFrom(
      'none' as const,
      'none' as const,
      'none' as const,
      'input-size' as const,
      'state-size' as const,
      'length-zero' as const,
      'length-long' as const,
      'length-fraction' as const,
      'rank' as const,
    ),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .map((c) => ({
    ...c,
    // projection and clipping are LSTM-layer options
    projection: c.mode === 'lstm' && !c.cell ? c.projection : null,
    clip: c.mode === 'lstm' && !c.cell && c.clip,
    // lengths lie in [1, T]: with T = 0 only an empty batch has valid ones
    validLength: c.validLength && !(c.T === 0 && c.N > 0),
  }));

function rand(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

const LAYERS = { rnn_relu: 'RNN', rnn_tanh: 'RNN', lstm: 'LSTM', gru: 'GRU' } as const;
const CELLS = { rnn_relu: 'RNNCell', rnn_tanh: 'RNNCell', lstm: 'LSTMCell', gru: 'GRUCell' } as const;

/**
 * Within 1e-5 relative to max(1, |x|), where |x| is the array's largest magnitude: with inputs
 * scaled up to 100, float32 sums cancel to small values whose own size says nothing of the
 * rounding in them.
 */
function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} values, reference ${want.length}`);
  let scale = 1;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i] as number) || 0);
  for (let i = 0; i < got.length; i++) {
    const g = got[i] as number;
    const w = want[i] as number;
    if (Number.isNaN(g) && Number.isNaN(w)) continue;
    if (!(Math.abs(g - w) <= 1e-5 * scale)) throw new Error(`${what}[${i}] = ${g}, reference ${w}`);
  }
}

/** What one case did: 'ok' (matched), 'error' (a clear Error, then a valid call matched). */
export type Outcome = 'ok' | 'error';

/** A case's block with its weights set, and what the fuzz does with it. */
export interface FuzzBlock {
  /** A valid call of `T` steps (cells: one) and `N` rows, checked against the reference. */
  check(T: number, N: number): void;
  /** The call broken as `fault` says; 'error' when it threw a clear Error, 'skip' when that
   *  fault does not apply to these sizes (throws when it was accepted or trapped). */
  fault(fault: Case['fault'], T: number, N: number): Outcome | 'skip';
  dispose(): void;
}

/** Builds case `c`'s block and sets its weights (drawn from `c.seed`). */
export function fuzzBlock(c: Case): FuzzBlock {
  const G = { rnn_relu: 1, rnn_tanh: 1, lstm: 4, gru: 3 }[c.mode];
  const act = c.mode === 'rnn_relu' ? 'relu' : 'tanh';
  const spec: FusedRnnSpec = {
    mode: c.mode,
    hidden: c.H,
    numLayers: c.cell ? 1 : c.numLayers,
    bidirectional: c.cell ? false : c.bidirectional,
    inputSize: c.C,
    projection: c.projection,
    clip: c.clip ? { min: -0.5, max: 0.5, nan: false } : null,
  };
  const D = spec.bidirectional ? 2 : 1;
  const P = spec.projection ?? c.H;
  const weights: Float32Array[][] = [];
  let seed = c.seed;
  for (let l = 0; l < spec.numLayers; l++) {
    const ni = l === 0 ? c.C : D * P;
    for (let d = 0; d < D; d++) {
      // Uniform(+-1/sqrt(fan-in)), as initializers do: deep relu stacks stay bounded.
      const w = [
        rand(G * c.H * ni, seed++, 1 / Math.sqrt(ni)),
        rand(G * c.H * P, seed++, 1 / Math.sqrt(P)),
        rand(G * c.H, seed++, 0.5),
        rand(G * c.H, seed++, 0.5),
      ];
      if (spec.projection !== null) w.push(rand(P * c.H, seed++, 1 / Math.sqrt(c.H)));
      weights.push(w);
    }
  }
  const block = c.cell
    ? new mx.gluon.rnn[CELLS[c.mode]](c.H, {
        inputSize: c.C,
        ...(c.mode.startsWith('rnn') ? { activation: act } : {}),
      } as never)
    : new mx.gluon.rnn[LAYERS[c.mode]](c.H, {
        inputSize: c.C,
        layout: c.layout,
        numLayers: spec.numLayers,
        bidirectional: spec.bidirectional,
        useSequenceLength: c.validLength,
        ...(c.mode.startsWith('rnn') ? { activation: act } : {}),
        ...(c.projection !== null ? { projectionSize: c.projection } : {}),
        ...(c.clip ? { stateClipMin: -0.5, stateClipMax: 0.5 } : {}),
      } as never);
  block.initialize();
  const names = ['i2h_weight', 'h2h_weight', 'i2h_bias', 'h2h_bias', 'h2r_weight'];
  const params = block.collectParams();
  weights.forEach((w, i) => {
    const prefix = c.cell ? '' : `${['l', 'r'][i % D]}${Math.floor(i / D)}_`;
    w.forEach((a, k) => {
      const p = params.get(`${prefix}${names[k]}`);
      p.setData(mx.nd.array(a, p.shape));
    });
  });

  const valid = (T: number, N: number) => {
    const x = rand(T * N * c.C, seed + 11, c.scale);
    const h0 = c.states ? rand(spec.numLayers * D * N * P, seed + 12, 1) : null;
    const c0 = c.states && c.mode === 'lstm' ? rand(spec.numLayers * D * N * c.H, seed + 13, 1) : null;
    const vl =
      c.validLength && !c.cell
        ? Float32Array.from({ length: N }, (_, i) => 1 + ((i * 7 + seed) % Math.max(T, 1)))
        : null;
    return { x, h0, c0, vl, T, N };
  };

  const call = (v: ReturnType<typeof valid>, fault: Case['fault']) => {
    const { T, N } = v;
    if (c.cell) {
      let shape = [N, c.C];
      if (fault === 'input-size') shape = [N, c.C + 1];
      if (fault === 'rank') shape = [N, c.C, 1];
      const x = mx.nd.array(
        fault === 'none' ? v.x.subarray(0, N * c.C) : new Float32Array(shape.reduce((a, b) => a * b, 1)),
        shape,
      );
      const hShape = fault === 'state-size' ? [N + 1, c.H] : [N, c.H];
      const states = [mx.nd.array(v.h0 ? v.h0.subarray(0, N * c.H) : new Float32Array(N * c.H), [N, c.H])];
      if (fault === 'state-size') states[0] = mx.nd.zeros(hShape);
      if (c.mode === 'lstm')
        states.push(mx.nd.array(v.c0 ? v.c0.subarray(0, N * c.H) : new Float32Array(N * c.H), [N, c.H]));
      const [out, next] = (block as unknown as { forward(x: NDArray, s: NDArray[]): [NDArray, NDArray[]] }).forward(
        x,
        states,
      );
      return { out: out.data, hn: next[0]!.data, cn: c.mode === 'lstm' ? next[1]!.data : null };
    }
    const shape = c.layout === 'TNC' ? [T, N, c.C] : [N, T, c.C];
    if (fault === 'input-size') shape[2] = c.C + 1;
    if (fault === 'rank') shape.push(1);
    const x = mx.nd.array(
      fault === 'input-size' || fault === 'rank' ? new Float32Array(shape.reduce((a, b) => a * b, 1)) : v.x,
      shape,
    );
    const LD = spec.numLayers * D;
    let states: NDArray[] | null = null;
    if (v.h0 || fault === 'state-size') {
      states = [mx.nd.array(v.h0 ?? new Float32Array(LD * N * P), [LD, N, P])];
      if (fault === 'state-size') states[0] = mx.nd.zeros([LD, N + 1, P]);
      if (c.mode === 'lstm') states.push(mx.nd.array(v.c0 ?? new Float32Array(LD * N * c.H), [LD, N, c.H]));
    }
    let vl: NDArray | null = v.vl ? mx.nd.array(v.vl, [N]) : null;
    if (fault === 'length-zero') vl = mx.nd.zeros([N]);
    if (fault === 'length-long') vl = mx.nd.full([N], T + 1);
    if (fault === 'length-fraction') vl = mx.nd.full([N], 0.5);
    if (vl !== null && !c.validLength) vl = null; // the option decides whether lengths are taken
    const layer = block as unknown as {
      forward(x: NDArray, s: NDArray[] | null, l: NDArray | null): NDArray | [NDArray, NDArray[]];
    };
    const r = layer.forward(x, states, vl);
    if (Array.isArray(r)) return { out: r[0].data, hn: r[1][0]!.data, cn: c.mode === 'lstm' ? r[1][1]!.data : null };
    return { out: r.data, hn: null, cn: null };
  };

  const check = (v: ReturnType<typeof valid>) => {
    const got = call(v, 'none');
    const layout = c.cell ? 'TNC' : c.layout;
    const T = c.cell ? 1 : v.T;
    const want = refFused(spec, weights, v.x.subarray(0, T * v.N * c.C), layout, T, v.N, v.h0, v.c0, v.vl);
    close(got.out, want.out, 'output');
    if (got.hn) close(got.hn, want.hn, 'hn');
    if (got.cn && want.cn) close(got.cn, want.cn, 'cn');
  };

  // lengths lie in [1, T]: with T = 0 only an empty batch has valid ones (caseArb's rule)
  const stepsOf = (T: number, N: number) => (c.cell ? 1 : c.validLength && T === 0 && N > 0 ? 1 : T);
  return {
    check: (T, N) => check(valid(stepsOf(T, N), N)),
    fault(fault, T, N) {
      const applies =
        fault !== 'none' &&
        !(fault.startsWith('length') && (c.cell || !c.validLength || N === 0 || T === 0)) &&
        !(fault === 'state-size' && N === 0 && c.cell) &&
        // a cell's FullyConnected flattens (N, C, 1) to (N, C), as MXNet's does: not a fault
        !(fault === 'rank' && c.cell);
      if (!applies) return 'skip';
      try {
        call(valid(stepsOf(T, N), N), fault);
      } catch (e) {
        if (!(e instanceof Error) || e.name === 'BackendTrapError' || e instanceof WebAssembly.RuntimeError)
          throw new Error(`fault ${fault} gave ${String(e)}`);
        if (e.message.length < 10) throw new Error(`fault ${fault}: message too short: ${e.message}`);
        return 'error';
      }
      throw new Error(`fault ${fault} was accepted`);
    },
    dispose: () => block.dispose(),
  };
}

/** Runs one case; throws (fails the property) on a mismatch, a trap, or a bad error. */
export function runCase(c: Case): Outcome {
  const restarts = mx.backendInfo()!.restarts;
  const b = fuzzBlock(c);
  const outcome = b.fault(c.fault, c.T, c.N) === 'error' ? 'error' : 'ok';
  b.check(c.T, c.N);
  if (c.N > 0) b.check(c.T, Math.max(1, c.N - 1)); // another batch size after the first
  b.dispose();
  if (mx.backendInfo()!.restarts !== restarts) throw new Error('a call trapped');
  return outcome;
}

/**
 * Cases large enough for the threaded build to split them (over 2^20 multiply-adds a call):
 * wider layers and batches, so that both the batch-row and the unit-block splits run.
 */
export const bigCaseArb: fc.Arbitrary<Case> = caseArb.map((c) => ({
  ...c,
  H: c.H * 16,
  N: c.N === 0 ? 0 : c.N % 2 === 0 ? c.N * 4 : 1,
  T: Math.max(c.T, 2),
  cell: false,
}));

/**
 * The fuzz suite on `threads` threads: FUZZ_RUNS cases (default 1000; `npm run fuzz` runs
 * 10^5 in all), seeded by FUZZ_SEED (see `fuzzSeed`), each valid or broken per `runCase`, with
 * no trap.
 */
export function fuzzSuite(threads: number, arb: fc.Arbitrary<Case>): void {
  const runs = Number(process.env.FUZZ_RUNS ?? 1000);
  const seed = fuzzSeed(process.env.FUZZ_SEED, 20261206);
  describe(`fuzz: layers and cells, ${threads} thread(s)`, () => {
    beforeAll(async () => {
      await mx.ready({ threads });
    });

    it(`${runs} cases: each matches the float64 reference or throws a clear Error, and the next call matches`, () => {
      const counts: Record<Outcome, number> = { ok: 0, error: 0 };
      fc.assert(
        fc.property(arb, (c) => {
          counts[runCase(c)]++;
        }),
        { numRuns: runs, seed },
      );
      console.log(
        `fuzz ${threads} thread(s), seed ${seed}: ${runs} cases, ${counts.ok} valid, ${counts.error} rejected, restarts ${mx.backendInfo()!.restarts}`,
      );
      expect(counts.ok + counts.error).toBe(runs);
      expect(mx.backendInfo()!.restarts).toBe(0);
    });
  });
}
