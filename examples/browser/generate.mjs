// Text generation for the browser demo, without the DOM: the page (demo.mjs) and the Node test
// (test/examples/browser_generate.test.ts) both import it. Every decision is made by the
// package's operators, as a Gluon user would write it in Python: `nd.argmax` (greedy),
// `nd.softmax` with a temperature and `nd.random.multinomial` seeded by `mx.random.seed`
// (sampling), and `nd.log_softmax` + `nd.topk` over all beams' candidates (beam search; the same
// algorithm as train/decode_reference.py, which records MXNet 1.9.1's text in model/decode.json).
//
// `mx` is passed in (the page imports 'gluon-rnn-wasm', the test the sources).

/**
 * Builds `Sequential(Embedding(V, embed), LSTM(hidden), Dense(V, flatten=False))` and loads
 * MXNet's `.params` bytes into it (train/train_charlstm.py writes both files).
 */
export function buildModel(mx, meta, paramBytes) {
  const V = meta.vocab.length;
  const net = new mx.gluon.nn.Sequential();
  net.nameScope(() => {
    net.add(new mx.gluon.nn.Embedding(V, meta.embed));
    net.add(new mx.gluon.rnn.LSTM(meta.hidden));
    net.add(new mx.gluon.nn.Dense(V, { flatten: false }));
  });
  net.loadParameters(paramBytes, { allowMissing: false, ignoreExtra: false });
  return { meta, net, bytes: paramBytes.byteLength };
}

/** Character -> id in the model's vocabulary, or an Error naming the character. */
function charIds(meta, text) {
  return [...text].map((c) => {
    const i = meta.vocab.indexOf(c);
    if (i < 0) throw new Error(`prompt: the model does not know the character ${JSON.stringify(c)}`);
    return i;
  });
}

/**
 * A stepper over a batch of rows: `feed(ids)` runs one character per row through the network
 * and returns the logits (rows, V); `reorder(rows)` makes row r continue from old row rows[r]
 * (beam search) by `nd.take` on the LSTM states' batch axis.
 */
function stepper(mx, { meta, net }, batch) {
  const [emb, lstm, dense] = [net.get(0), net.get(1), net.get(2)];
  let states = lstm.beginState(batch);
  const V = meta.vocab.length;
  return {
    feed(ids) {
      const [out, next] = lstm.forward(emb.forward(mx.nd.array([ids])), states); // (1, N, H)
      states = next;
      return dense.forward(out).reshape([ids.length, V]);
    },
    reorder(rows) {
      const index = mx.nd.array(rows);
      states = states.map((s) => mx.nd.take(s, index, { axis: 1 }));
    },
  };
}

/** Feeds the prompt; returns the stepper and the logits (1, V) after its last character. */
function prime(mx, model, prompt) {
  const ids = charIds(model.meta, prompt);
  if (ids.length === 0) throw new Error('prompt: must have at least one character, got ""');
  const s = stepper(mx, model, 1);
  let logits = null;
  for (const i of ids) logits = s.feed([i]);
  return { s, logits };
}

function checkCount(name, n, min = 1) {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${name}: expected an integer >= ${min}, got ${n}`);
}

/**
 * Generates `length` characters after `prompt`. `temperature` 0 decodes greedily (`argmax`);
 * otherwise each character is drawn by `nd.random.multinomial(nd.softmax(logits, {temperature}))`
 * after `mx.random.seed(seed)`, so a seed gives the same text on every run. `onStep(k, text)` is
 * called after each character (the page uses it to paint); it may return a promise.
 */
export async function generate(mx, model, { prompt, length, temperature = 0, seed = 0, onStep } = {}) {
  checkCount('length', length);
  if (typeof temperature !== 'number' || !(temperature >= 0))
    throw new RangeError(`temperature: expected a number >= 0, got ${temperature}`);
  mx.random.seed(seed);
  const { s, logits: first } = prime(mx, model, prompt);
  let logits = first;
  let text = '';
  for (let k = 0; k < length; k++) {
    const next =
      temperature === 0
        ? mx.nd.argmax(logits, { axis: -1 })
        : mx.nd.random.multinomial(mx.nd.softmax(logits, { temperature }));
    const i = next.asScalar();
    text += model.meta.vocab[i];
    logits = s.feed([i]);
    if (onStep) await onStep(k, text);
  }
  return text;
}

/** Greedy continuation (argmax at every step), as decode_reference.py computes MXNet's. */
export function greedy(mx, model, prompt, length) {
  checkCount('length', length);
  const { s, logits: first } = prime(mx, model, prompt);
  let logits = first;
  let text = '';
  for (let k = 0; k < length; k++) {
    const i = mx.nd.argmax(logits, { axis: -1 }).asScalar();
    text += model.meta.vocab[i];
    logits = s.feed([i]);
  }
  return text;
}

/**
 * Beam search with `beams` hypotheses: each step adds `nd.log_softmax(logits)` to every beam's
 * score (`nd.broadcast_add`), takes the `nd.topk` (values and indices) of all beams x V
 * candidates, and continues each winner from its parent beam. Returns the best text and its
 * summed log-probability, with all beams best first.
 */
export function beamSearch(mx, model, prompt, length, beams) {
  checkCount('length', length);
  checkCount('beams', beams);
  const V = model.meta.vocab.length;
  if (beams > V) throw new RangeError(`beams: expected at most the vocabulary size ${V}, got ${beams}`);
  const { s, logits: first } = prime(mx, model, prompt);
  let logits = first;
  let scores = mx.nd.zeros([1, 1]);
  let texts = [''];
  for (let k = 0; k < length; k++) {
    const total = mx.nd.broadcast_add(scores, mx.nd.log_softmax(logits, { axis: -1 })); // (B, V)
    const [val, idx] = mx.nd.topk(total.reshape([1, -1]), { k: beams, retTyp: 'both' });
    const flat = Array.from(idx.toFloat32Array());
    const rows = flat.map((j) => Math.floor(j / V));
    const ids = flat.map((j) => j % V);
    texts = rows.map((r, b) => texts[r] + model.meta.vocab[ids[b]]);
    scores = val.reshape([-1, 1]);
    s.reorder(rows);
    logits = s.feed(ids);
  }
  const score = Array.from(scores.toFloat32Array());
  return { text: texts[0], score: score[0], beams: texts.map((text, b) => ({ text, score: score[b] })) };
}
