"""Trains the browser demo's character-level LSTM with real MXNet 1.9.1 (Gluon), on CPU.

    python3 -m venv /tmp/mxvenv
    /tmp/mxvenv/bin/pip install mxnet==1.9.1 numpy==1.23.5
    OMP_NUM_THREADS=1 /tmp/mxvenv/bin/python examples/browser/train/train_charlstm.py   # from the repo root

Corpus: corpus.txt beside this script (public-domain text: Genesis 1 and Psalm 23 from the
King James Version, Ecclesiastes 3:1-8, Lincoln's Gettysburg Address). About one minute on
one core; deterministic seeds. Writes examples/browser/model/:

  charlstm.params  net.save_parameters(): Sequential(Embedding(V, 32), LSTM(192), Dense(V, flatten=False))
  meta.json        vocabulary, sizes, and MXNet's own greedy continuation of a prompt (the
                   browser test compares the JavaScript greedy output with it)

After training, decode_reference.py (beside this script) records MXNet's greedy and beam-search
continuations of fixed primes in model/decode.json.
"""

import json
import os
import time

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, nd
from mxnet.gluon import nn, rnn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'model')
EMBED, HIDDEN = 32, 192
SEQ, BATCH, ITERS, LR = 64, 32, 1200, 3e-3
PROMPT = 'And God said, '
GREEDY_CHARS = 160

mx.random.seed(7)
rng = np.random.RandomState(7)

text = open(os.path.join(HERE, 'corpus.txt'), encoding='utf-8').read()
vocab = sorted(set(text))
index = {c: i for i, c in enumerate(vocab)}
ids = np.array([index[c] for c in text], dtype=np.float32)
V = len(vocab)

net = nn.Sequential()
with net.name_scope():
    net.add(nn.Embedding(V, EMBED))
    net.add(rnn.LSTM(HIDDEN))  # layout 'TNC'
    net.add(nn.Dense(V, flatten=False))
net.initialize(mx.init.Xavier())
trainer = gluon.Trainer(net.collect_params(), 'adam', {'learning_rate': LR, 'clip_gradient': 5.0})
loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()


def batch():
    starts = rng.randint(0, len(ids) - SEQ - 1, size=BATCH)
    x = np.stack([ids[s:s + SEQ] for s in starts], axis=1)  # (T, N)
    y = np.stack([ids[s + 1:s + SEQ + 1] for s in starts], axis=1)
    return nd.array(x), nd.array(y)


t0 = time.time()
avg = None
for it in range(1, ITERS + 1):
    if it == ITERS * 2 // 3:
        trainer.set_learning_rate(LR / 3)
    x, y = batch()
    with autograd.record():
        loss = loss_fn(net(x), y).mean()
    loss.backward()
    trainer.step(1)
    v = float(loss.asscalar())
    avg = v if avg is None else 0.95 * avg + 0.05 * v
    if it % 100 == 0:
        print(f'iter {it:5d}  loss {avg:.3f}  {time.time() - t0:.0f}s', flush=True)


def greedy(prompt, n):
    emb, lstm, dense = net[0], net[1], net[2]
    states = lstm.begin_state(batch_size=1)
    out = None
    for c in prompt:
        out, states = lstm(emb(nd.array([[index[c]]])), states)
    s = ''
    for _ in range(n):
        nxt = int(dense(out).reshape((-1,)).argmax(axis=0).asscalar())
        s += vocab[nxt]
        out, states = lstm(emb(nd.array([[nxt]])), states)
    return s


os.makedirs(OUT, exist_ok=True)
net.save_parameters(os.path.join(OUT, 'charlstm.params'))
meta = {
    'mxnet': mx.__version__,
    'architecture': f'Sequential(Embedding({V}, {EMBED}), LSTM({HIDDEN}), Dense({V}, flatten=False))',
    'vocab': ''.join(vocab),
    'embed': EMBED,
    'hidden': HIDDEN,
    'iterations': ITERS,
    'final_loss': round(avg, 4),
    'prompt': PROMPT,
    'greedy': greedy(PROMPT, GREEDY_CHARS),
}
with open(os.path.join(OUT, 'meta.json'), 'w', encoding='utf-8') as f:
    json.dump(meta, f, indent=1, ensure_ascii=False)
    f.write('\n')
print(f'trained in {time.time() - t0:.0f}s; greedy: {meta["greedy"]!r}')
