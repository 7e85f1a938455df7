// examples/tagger/tagger.mjs: Viterbi decoding over a CRF transition matrix, written with the
// package's operators, against a brute-force search over every tag sequence (float64), on the
// emissions of the MXNet-written BiLSTM tagger test/fixtures/public-params/ner-bilstm-crf-model.params
// (its LSTM and Dense against a float64 computation: test/io/public_models.test.ts).

import { beforeAll, describe, expect, it } from 'vitest';
import { emissions, greedyTags, loadTagger, TAGS, TRANSITIONS, viterbi } from '../../examples/tagger/tagger.mjs';
import type { Sequential } from '../../ts/gluon/nn/basic_layers.js';
import mx from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';

let net: Sequential;
beforeAll(async () => {
  await mx.ready();
  net = loadTagger(mx);
});

/** A small deterministic generator for the test's inputs. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** The best (score, tags) of row n by trying all K^T tag sequences, in float64. */
function bruteForce(emit: NDArray, n: number, trans: number[][]): { score: number; tags: number[] } {
  const [T, N, K] = emit.shape as [number, number, number];
  const e = (t: number, k: number) => emit.data[(t * N + n) * K + k] as number;
  let best = { score: -Infinity, tags: [] as number[] };
  const tags = new Array<number>(T).fill(0);
  for (let code = 0; code < K ** T; code++) {
    let c = code;
    for (let t = T - 1; t >= 0; t--) {
      tags[t] = c % K;
      c = Math.floor(c / K);
    }
    let score = e(0, tags[0]!);
    for (let t = 1; t < T; t++) score += trans[tags[t - 1]!]![tags[t]!]! + e(t, tags[t]!);
    if (score > best.score) best = { score, tags: [...tags] };
  }
  return best;
}

function expectViterbiMatches(emit: NDArray, trans: number[][]) {
  const N = emit.shape[1]!;
  const { tags, score } = viterbi(mx, emit, mx.nd.array(trans));
  expect(tags.shape).toEqual([N, emit.shape[0]]);
  expect(score.shape).toEqual([N]);
  const got = tags.toArray() as number[][];
  for (let n = 0; n < N; n++) {
    const want = bruteForce(emit, n, trans);
    expect(got[n]).toEqual(want.tags);
    expect(Math.abs((score.data[n] as number) - want.score)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want.score)));
  }
  return got;
}

describe('examples/tagger: BiLSTM emissions + Viterbi over a CRF transition matrix', () => {
  it('the transition matrix is the documented one', () => {
    expect(TRANSITIONS).toHaveLength(TAGS);
    expect(TRANSITIONS[2]).toEqual([-0.5, -0.25, 0.5, -0.25, -0.5, -0.75, -1]);
    expect(TRANSITIONS[6]![0]).toBe(-10);
  });

  it('equals brute force over all 7^T tag sequences on the model, T = 1..5, batches of sentences', () => {
    const rand = lcg(14);
    let differsFromArgmax = 0;
    for (let T = 1; T <= 5; T++) {
      for (let trial = 0; trial < 3; trial++) {
        const N = 3;
        const ids = Array.from({ length: T }, () => Array.from({ length: N }, () => Math.floor(rand() * 612)));
        const emit = emissions(mx, net, ids);
        expect(emit.shape).toEqual([T, N, TAGS]);
        const got = expectViterbiMatches(emit, TRANSITIONS);
        const argmax = greedyTags(mx, emit).toArray() as number[][];
        for (let n = 0; n < N; n++) if (got[n]!.join() !== argmax[n]!.join()) differsFromArgmax++;
      }
    }
    // The CRF matters on some of these sentences (else the test could not tell Viterbi from argmax).
    expect(differsFromArgmax).toBeGreaterThan(0);
  });

  it('equals brute force for random emissions and a random transition matrix', () => {
    const rand = lcg(7);
    const K = 4;
    const trans = Array.from({ length: K }, () => Array.from({ length: K }, () => 6 * rand() - 3));
    for (const T of [1, 2, 3, 6]) {
      const emit = mx.nd.array(
        Array.from({ length: T }, () =>
          Array.from({ length: 2 }, () => Array.from({ length: K }, () => 4 * rand() - 2)),
        ),
      );
      expectViterbiMatches(emit, trans);
    }
  });

  it('rejects mismatched shapes, naming them', () => {
    const emit = mx.nd.zeros([3, 1, 7]);
    expect(() => viterbi(mx, emit, mx.nd.zeros([6, 7]))).toThrow(
      /trans must be \(7, 7\) for 7 tags, got shape \(6, 7\)/,
    );
    expect(() => viterbi(mx, mx.nd.zeros([3, 7]), mx.nd.zeros([7, 7]))).toThrow(
      /emit must be \(T, N, K\), got shape \(3, 7\)/,
    );
  });
});
