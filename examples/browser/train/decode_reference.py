"""MXNet 1.9.1's own decoding of the browser demo's model, for the tests to compare with.

    /tmp/mxvenv/bin/python examples/browser/train/decode_reference.py   # from the repo root

Loads model/charlstm.params (written by train_charlstm.py) into the same Gluon network and
writes model/decode.json: for each fixed prime, the greedy continuation (argmax at every step)
and the beam-search continuation (k beams scored by summed `log_softmax`, expanded with `topk`
over all k * V candidates), exactly the algorithm of examples/browser/generate.mjs.
test/examples/browser_generate.test.ts checks that the JavaScript decoding equals this text.
"""

import json
import os

import mxnet as mx
from mxnet import nd
from mxnet.gluon import nn, rnn

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, '..', 'model')
PRIMES = ['And God said, ', 'Four score and ']
GREEDY_CHARS = 160
BEAMS, BEAM_CHARS = 4, 80

meta = json.load(open(os.path.join(MODEL, 'meta.json'), encoding='utf-8'))
vocab = meta['vocab']
index = {c: i for i, c in enumerate(vocab)}
V = len(vocab)

net = nn.Sequential()
with net.name_scope():
    net.add(nn.Embedding(V, meta['embed']))
    net.add(rnn.LSTM(meta['hidden']))
    net.add(nn.Dense(V, flatten=False))
net.load_parameters(os.path.join(MODEL, 'charlstm.params'))
emb, lstm, dense = net[0], net[1], net[2]


def step(ids, states):
    """Feeds one character per batch row; returns logits (N, V) and the next states."""
    out, states = lstm(emb(nd.array([ids])), states)  # (1, N) -> (1, N, H)
    return dense(out).reshape((len(ids), V)), states


def prime(prompt):
    states = lstm.begin_state(batch_size=1)
    logits = None
    for c in prompt:
        logits, states = step([index[c]], states)
    return logits, states


def greedy(prompt, n):
    logits, states = prime(prompt)
    s = ''
    for _ in range(n):
        nxt = int(logits.argmax(axis=-1).asscalar())
        s += vocab[nxt]
        logits, states = step([nxt], states)
    return s


def beam(prompt, k, n):
    logits, states = prime(prompt)
    scores = nd.zeros((1, 1))
    texts = ['']
    for _ in range(n):
        total = nd.broadcast_add(scores, nd.log_softmax(logits, axis=-1))  # (B, V)
        val, idx = nd.topk(total.reshape((1, -1)), k=k, ret_typ='both')
        idx = idx.reshape((-1,)).asnumpy().astype('int64')
        rows, ids = idx // V, idx % V
        texts = [texts[r] + vocab[i] for r, i in zip(rows, ids)]
        scores = val.reshape((-1, 1))
        states = [nd.take(s, nd.array(rows), axis=1) for s in states]
        logits, states = step([int(i) for i in ids], states)
    return {'text': texts[0], 'score': float(scores[0].asscalar()), 'beams': texts}


out = {'mxnet': mx.__version__, 'beams': BEAMS, 'cases': []}
for p in PRIMES:
    out['cases'].append({'prime': p, 'greedy': greedy(p, GREEDY_CHARS), 'beam': beam(p, BEAMS, BEAM_CHARS)})
with open(os.path.join(MODEL, 'decode.json'), 'w', encoding='utf-8') as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write('\n')
for c in out['cases']:
    print(repr(c['prime']), '->', repr(c['greedy'][:60]), '| beam:', repr(c['beam']['text'][:60]))
