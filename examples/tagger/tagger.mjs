// A BiLSTM-CRF tagger's decoding with the package's operators: MXNet-written weights for
// Embedding(612, 5) -> BiLSTM(2) -> Dense(7) give per-character tag scores (emissions), and
// Viterbi over a CRF transition matrix picks the best tag sequence. See README.md.
//
//   npm run build && node examples/tagger/tagger.mjs [id id id ...]
//
// The functions take `mx` as their first argument so that test/examples/tagger.test.ts can give
// them the sources; running this file as a script uses the built package.

import { readFileSync } from 'node:fs';

/** Number of tags (the Dense layer's units). */
export const TAGS = 7;

/**
 * The CRF transition matrix used here, `TRANSITIONS[i][j]` = score of tag j following tag i.
 * The .params file has no CRF (the original model kept its transitions outside the saved
 * parameters), so this is a fixed, hand-written matrix: staying in a tag earns 0.5, moving to a
 * neighbouring tag id costs 0.25 per step of distance, and tag 6 -> tag 0 is forbidden (-10), so
 * decoding visibly differs from per-character argmax.
 */
export const TRANSITIONS = Array.from({ length: TAGS }, (_, i) =>
  Array.from({ length: TAGS }, (_, j) => (i === 6 && j === 0 ? -10 : i === j ? 0.5 : -0.25 * Math.abs(i - j))),
);

/** The model's file: test/fixtures/public-params/ner-bilstm-crf-model.params (see README.md). */
export const PARAMS_URL = new URL('../../test/fixtures/public-params/ner-bilstm-crf-model.params', import.meta.url);

/** `Sequential(Embedding(612, 5), LSTM(2, bidirectional=True), Dense(7, flatten=False))` with the file's weights. */
export function loadTagger(mx, bytes = new Uint8Array(readFileSync(PARAMS_URL))) {
  const { nn, rnn } = mx.gluon;
  const net = new nn.Sequential();
  net.nameScope(() => {
    net.add(new nn.Embedding(612, 5));
    net.add(new rnn.LSTM(2, { bidirectional: true })); // layout 'TNC'
    net.add(new nn.Dense(TAGS, { flatten: false }));
  });
  // The file's keys are 'embedding0_weight', 'lstm0_l0_i2h_weight', ...: no '.' in them, so
  // Gluon's loader restores the network's own prefix (python/mxnet/gluon/block.py, load_parameters).
  net.loadParameters(bytes);
  return net;
}

/** Tag scores (T, N, 7) for character ids (T, N), time-major as the LSTM's 'TNC' layout. */
export function emissions(mx, net, ids) {
  return net.forward(mx.nd.array(ids));
}

/**
 * Viterbi decoding of a linear-chain CRF: `emit` (T, N, K) scores, `trans` (K, K) with
 * trans[i][j] the score of j after i. Returns the best tag sequence of each of the N rows,
 * `tags` (N, T), and its score `score` (N,) = sum_t emit[t, n, y_t] + sum_t trans[y_{t-1}, y_t].
 *
 * Each step adds every previous tag's best score to the transitions into every next tag
 * (`broadcast_add` of (N, K, 1) and (1, K, K)), keeps the best over the previous tag (`max` and
 * `argmax` along axis 1), and the backtrace follows the stored argmaxes with `pick`.
 */
export function viterbi(mx, emit, trans) {
  const { nd } = mx;
  if (emit.ndim !== 3) throw new RangeError(`viterbi: emit must be (T, N, K), got shape (${emit.shape.join(', ')})`);
  const [T, , K] = emit.shape;
  if (trans.ndim !== 2 || trans.shape[0] !== K || trans.shape[1] !== K)
    throw new RangeError(`viterbi: trans must be (${K}, ${K}) for ${K} tags, got shape (${trans.shape.join(', ')})`);
  const steps = nd.split(emit, { numOutputs: T, axis: 0, squeezeAxis: true }); // T x (N, K)
  const transB = nd.expand_dims(trans, { axis: 0 }); // (1, K, K)
  let score = steps[0]; // (N, K): the best score of a path ending in each tag
  const back = [];
  for (let t = 1; t < T; t++) {
    const cand = nd.broadcast_add(nd.expand_dims(score, { axis: 2 }), transB); // (N, K_prev, K_next)
    back.push(nd.argmax(cand, { axis: 1 })); // (N, K): best previous tag for each next tag
    score = nd.add(nd.max(cand, { axis: 1 }), steps[t]);
  }
  let tag = nd.argmax(score, { axis: 1 }); // (N,)
  const best = nd.max(score, { axis: 1 });
  const path = [tag];
  for (let t = T - 2; t >= 0; t--) {
    tag = nd.pick(back[t], tag, { axis: 1 });
    path.unshift(tag);
  }
  return { tags: nd.stack(...path, { axis: 1 }), score: best };
}

/** Per-character argmax of the emissions, (N, T): what decoding without the CRF would give. */
export function greedyTags(mx, emit) {
  return mx.nd.transpose(mx.nd.argmax(emit, { axis: 2 }));
}

async function main() {
  const { default: mx } = await import('gluon-rnn-wasm');
  await mx.ready();
  const args = process.argv.slice(2).map(Number);
  const sentence = args.length > 0 ? args : [3, 611, 17, 5, 42, 250, 600, 99];
  for (const id of sentence)
    if (!Number.isInteger(id) || id < 0 || id >= 612)
      throw new RangeError(`id: expected an integer in [0, 612), got ${id}`);
  const net = loadTagger(mx);
  const emit = emissions(
    mx,
    net,
    sentence.map((id) => [id]),
  ); // (T, 1, 7)
  const { tags, score } = viterbi(mx, emit, mx.nd.array(TRANSITIONS));
  console.log(`character ids:   ${sentence.join(' ')}`);
  console.log(`argmax tags:     ${greedyTags(mx, emit).toArray()[0].join(' ')}`);
  console.log(`Viterbi tags:    ${tags.toArray()[0].join(' ')}  (score ${score.asScalar().toFixed(4)})`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
