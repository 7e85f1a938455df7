// Training a small character LSTM, without the DOM: the page's "train" panel (demo.mjs) calls
// `step()` in small chunks so the page stays responsive. Written as a Gluon user would in Python
// (train/train_charlstm.py): Sequential(Embedding, LSTM, Dense), SoftmaxCrossEntropyLoss under
// autograd.record(), loss.backward(), Trainer('adam').step(1), save_parameters().
//
// `mx` is passed in (the page imports 'gluon-rnn-wasm').

/** The panel's defaults: small enough for a step of some tens of milliseconds. */
export const TRAIN_DEFAULTS = { embed: 16, hidden: 64, seq: 32, batch: 16, lr: 0.01, clip: 5, seed: 1 };

/**
 * A char-LSTM and its Trainer over `text`. `step()` draws a random batch (positions from
 * `mx.random`, seeded) and returns the step's mean loss; `evalLoss()` is the loss on a fixed batch
 * (the text's first `batch` windows, one every `seq` characters); `save()` is saveParameters().
 */
export function createTrainer(mx, text, options = {}) {
  const o = { ...TRAIN_DEFAULTS, ...options };
  const vocab = [...new Set(text)].sort().join('');
  const ids = Float32Array.from(text, (c) => vocab.indexOf(c));
  const V = vocab.length;
  mx.random.seed(o.seed);
  const net = new mx.gluon.nn.Sequential();
  net.add(new mx.gluon.nn.Embedding(V, o.embed));
  net.add(new mx.gluon.rnn.LSTM(o.hidden, { inputSize: o.embed }));
  net.add(new mx.gluon.nn.Dense(V, { flatten: false, inUnits: o.hidden }));
  net.initialize(new mx.init.Xavier());
  const trainer = new mx.gluon.Trainer(net.collectParams(), 'adam', { learning_rate: o.lr, clip_gradient: o.clip });
  const lossFn = new mx.gluon.loss.SoftmaxCrossEntropyLoss();
  const last = ids.length - o.seq - 1;

  /** (T, N) inputs and next-character labels from window start offsets (layout TNC). */
  const batch = (starts) => {
    const x = new Float32Array(o.seq * o.batch);
    const y = new Float32Array(o.seq * o.batch);
    for (let t = 0; t < o.seq; t++)
      for (let n = 0; n < o.batch; n++) {
        x[t * o.batch + n] = ids[starts[n] + t];
        y[t * o.batch + n] = ids[starts[n] + t + 1];
      }
    return [mx.nd.array(x, [o.seq, o.batch]), mx.nd.array(y, [o.seq, o.batch])];
  };
  const evalStarts = Array.from({ length: o.batch }, (_, n) => (n * o.seq) % last);

  return {
    options: o,
    vocab,
    net,
    step() {
      const starts = Array.from(mx.nd.random.uniform(0, last, [o.batch]).toFloat32Array(), Math.floor);
      const [x, y] = batch(starts);
      const loss = mx.autograd.record(() => lossFn.forward(net.forward(x), y).mean());
      loss.backward();
      trainer.step(1);
      return loss.asScalar();
    },
    /** The mean loss of `model` (default: the one training) on the fixed evaluation batch. */
    evalLoss(model = net) {
      const [x, y] = batch(evalStarts);
      return lossFn.forward(model.forward(x), y).mean().asScalar();
    },
    save: () => net.saveParameters(),
  };
}

/** The same architecture with a saved file loaded (what MXNet's `load_parameters` sees). */
export function loadTrained(mx, vocab, bytes, options = {}) {
  const o = { ...TRAIN_DEFAULTS, ...options };
  const net = new mx.gluon.nn.Sequential();
  net.add(new mx.gluon.nn.Embedding(vocab.length, o.embed));
  net.add(new mx.gluon.rnn.LSTM(o.hidden));
  net.add(new mx.gluon.nn.Dense(vocab.length, { flatten: false }));
  net.loadParameters(bytes, { allowMissing: false, ignoreExtra: false });
  return net;
}
