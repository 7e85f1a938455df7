// The training round trip with MXNet 1.9.1: a small char-LSTM (Embedding -> LSTM -> Dense) trains
// here for a few Adam steps on examples/browser/train/corpus.txt and is saved with saveParameters;
// test/fixtures/train_roundtrip.py loads that file in MXNet, measures the loss on a fixed batch,
// continues training with a fresh Adam on the same batches and saves; that file loads back here.
//
// With MXNet installed (test/helpers/mxnet_python.ts: MXNET_PYTHON, .venv-mxnet, ...) the script
// runs live; `GLUON_RECORD_TRAINING=1` also refreshes the recorded results. Without MXNet (CI) the
// same checks run against what MXNet recorded: test/fixtures/mxnet_training/train_roundtrip.json
// and train_roundtrip_continued.params.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { autograd, gluon, init, nd, random, ready } from '../../ts/index.js';
import { resetNameCounters } from '../../ts/name.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { mxnetPython } from '../helpers/mxnet_python.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = 'examples/browser/train/corpus.txt';
const RECORDED = join(REPO, 'test/fixtures/mxnet_training/train_roundtrip.json');
const RECORDED_PARAMS = join(REPO, 'test/fixtures/mxnet_training/train_roundtrip_continued.params');
const SCRIPT = join(REPO, 'test/fixtures/train_roundtrip.py');

interface Manifest {
  corpus: string;
  vocab: string;
  embed: number;
  hidden: number;
  seq: number;
  batch: number;
  lr: number;
  seed: number;
  params_file: string;
  train_starts: number[][];
  continue_starts: number[][];
  eval_starts: number[];
}
interface MxResult {
  mxnet: string;
  sha256_ours: string;
  loss_loaded: number;
  losses_continue: number[];
  loss_after: number;
  sha256_continued: string;
}

const text = readFileSync(join(REPO, CORPUS), 'utf8');
const vocab = [...new Set(text)].sort().join(''); // ASCII corpus: the same order as Python's sorted()
const ids = Float32Array.from(text, (c) => vocab.indexOf(c));

// Batch start offsets: a fixed arithmetic walk through the corpus, so both sides read the same text.
const SEQ = 12;
const BATCH = 4;
const starts = (k: number): number[] =>
  Array.from({ length: BATCH }, (_, n) => ((k * BATCH + n) * 997 + 31) % (ids.length - SEQ - 1));

const MANIFEST: Manifest = {
  corpus: CORPUS,
  vocab,
  embed: 8,
  hidden: 16,
  seq: SEQ,
  batch: BATCH,
  lr: 0.01,
  seed: 11,
  params_file: 'ours.params',
  train_starts: [0, 1, 2].map(starts),
  continue_starts: [3, 4, 5].map(starts),
  eval_starts: starts(6),
};

/** (T, N) inputs and next-character labels, layout TNC as MXNet's LSTM default. */
function batch(s: readonly number[]): [NDArray, NDArray] {
  const x = new Float32Array(SEQ * BATCH);
  const y = new Float32Array(SEQ * BATCH);
  for (let t = 0; t < SEQ; t++)
    s.forEach((st, n) => {
      x[t * BATCH + n] = ids[st + t] as number;
      y[t * BATCH + n] = ids[st + t + 1] as number;
    });
  return [nd.array(x, [SEQ, BATCH]), nd.array(y, [SEQ, BATCH])];
}

function charLSTM(): InstanceType<typeof gluon.nn.Sequential> {
  resetNameCounters();
  const net = new gluon.nn.Sequential();
  net.add(new gluon.nn.Embedding(vocab.length, MANIFEST.embed));
  net.add(new gluon.rnn.LSTM(MANIFEST.hidden, { inputSize: MANIFEST.embed }));
  net.add(new gluon.nn.Dense(vocab.length, { flatten: false, inUnits: MANIFEST.hidden }));
  return net;
}

const lossFn = new gluon.loss.SoftmaxCrossEntropyLoss();
const evalLoss = (net: ReturnType<typeof charLSTM>): number => {
  const [x, y] = batch(MANIFEST.eval_starts);
  return lossFn
    .forward(net.forward(x) as NDArray, y)
    .mean()
    .asScalar();
};

/** Adam steps (trainer.step(1) on the mean loss, as MXNet's script); returns each step's loss. */
function train(net: ReturnType<typeof charLSTM>, batches: number[][]): number[] {
  const trainer = new gluon.Trainer(net.collectParams(), 'adam', { learning_rate: MANIFEST.lr });
  return batches.map((s) => {
    const [x, y] = batch(s);
    const loss = autograd.record(() => lossFn.forward(net.forward(x) as NDArray, y).mean());
    loss.backward();
    trainer.step(1);
    return loss.asScalar();
  });
}

let ours: Uint8Array;
let oursLoss: number;

beforeAll(async () => {
  await ready();
  random.seed(MANIFEST.seed);
  const net = charLSTM();
  net.initialize(new init.Xavier());
  const losses = train(net, MANIFEST.train_starts);
  expect(losses.every(Number.isFinite)).toBe(true);
  ours = net.saveParameters();
  oursLoss = evalLoss(net);
});

/** What MXNet did with our file: checked against what this package computes. */
function checkAgainstMxnet(mx: MxResult, continued: Uint8Array): void {
  // MXNet loaded our file and its loss on the evaluation batch is ours.
  expect(Math.abs(mx.loss_loaded - oursLoss)).toBeLessThan(1e-4);
  // MXNet's continued file loads here and gives MXNet's loss after continuing.
  const back = charLSTM();
  back.loadParameters(continued);
  expect(Math.abs(evalLoss(back) - mx.loss_after)).toBeLessThan(1e-4);
  expect(mx.loss_after).toBeLessThan(mx.loss_loaded);
  // Continuing here from the same file with a fresh Adam reproduces MXNet's losses and weights.
  const here = charLSTM();
  here.loadParameters(ours);
  const losses = train(here, MANIFEST.continue_starts);
  for (const [i, l] of losses.entries()) expect(Math.abs(l - (mx.losses_continue[i] as number))).toBeLessThan(1e-4);
  const theirs = back.collectParams();
  for (const [k, p] of here.collectParams().entries()) {
    const a = p.data().toFloat32Array();
    const b = theirs.get(k).data().toFloat32Array();
    let worst = 0;
    for (let i = 0; i < a.length; i++)
      worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / Math.max(1, Math.abs(b[i] as number)));
    expect(worst, `${k} after continuing`).toBeLessThan(1e-4);
  }
}

describe('training round trip with MXNet 1.9.1 (char-LSTM, Adam, saveParameters)', () => {
  it('MXNet recorded results (train_roundtrip.json, train_roundtrip_continued.params)', () => {
    const rec = JSON.parse(readFileSync(RECORDED, 'utf8')) as { manifest: Manifest; result: MxResult };
    expect(rec.manifest).toEqual(MANIFEST);
    checkAgainstMxnet(rec.result, new Uint8Array(readFileSync(RECORDED_PARAMS)));
  });

  const mxnet = mxnetPython();
  if ('reason' in mxnet) console.log(`train_roundtrip: live MXNet check skipped: ${mxnet.reason}`);
  it.skipIf('reason' in mxnet)('live: MXNet loads our file, continues training, and we load its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gluon-train-'));
    try {
      writeFileSync(join(dir, MANIFEST.params_file), ours);
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(MANIFEST));
      const args = [SCRIPT, join(dir, 'manifest.json'), dir];
      if (process.env.GLUON_RECORD_TRAINING === '1') args.push('--record');
      const r = spawnSync((mxnet as { python: string }).python, args, { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as MxResult;
      checkAgainstMxnet(result, new Uint8Array(readFileSync(join(dir, 'mxnet_continued.params'))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
