// Round trip with real MXNet 1.9.1.
//
// 1. Files MXNet wrote (test/fixtures/mxnet/bin: save_parameters, ParameterDict.save, export) load
//    here and give MXNet's recorded outputs; saving the same weights here gives MXNet's bytes.
// 2. Files THIS package writes (models built and weighted here, deterministic) were loaded by MXNet
//    1.9.1 itself: `GLUON_WRITE_OURS=DIR npx vitest run test/io/mxnet_roundtrip.test.ts` writes them
//    with a manifest, `python test/fixtures/gen_fixtures.py --check-ours DIR` loads each in MXNet,
//    runs the model on the recorded input, compares with our output, and records the result in
//    test/fixtures/mxnet_loads_ours.json (committed). Here (CI, no MXNet) every file is rebuilt and
//    must have the sha256 that MXNet checked, so any change to what we write invalidates the record.

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Block } from '../../ts/gluon/block.js';
import mx, { ready } from '../../ts/index.js';
import { resetNameCounters } from '../../ts/name.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, sameBytes, type Tensor, toNd } from '../gluon/helpers.js';
import { binFiles, mxnetFixture, mxnetJson } from './fixtures.js';
import { BiLSTM_CRF, seqBiLSTM } from './models.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

const { nn, rnn } = mx.gluon;

interface BinInfo {
  build?: string;
  inputs: Record<string, Tensor>;
  outputs: Record<string, Tensor | Tensor[]>;
  names?: string[];
}
const info = (f: string) => binFiles()[f] as unknown as BinInfo;

// ------------------------------------------------------------------------------------ 1. MXNet -> here

describe('files written by MXNet 1.9.1 load here and give its outputs; ours are its bytes', () => {
  it('seq_bilstm2.params (save_parameters: 0.weight, 1._unfused.1.r_cell.h2h_bias, 2.bias ...)', () => {
    const f = info('seq_bilstm2.params');
    const net = seqBiLSTM();
    const bytes = mxnetFixture('bin/seq_bilstm2.params');
    net.loadParameters(bytes); // never initialised: every shape comes from the file
    expectClose(net.forward(toNd(f.inputs.x!)) as NDArray, f.outputs.out as Tensor);
    expect(sameBytes(net.saveParameters(), bytes)).toBe(true);
    expect(sameBytes(net.saveParameters({ deduplicate: true }), bytes)).toBe(true); // nothing shared
    expect([...net.collectParams().keys()]).toEqual(f.names);
  });

  it('lstmcell.params (save_parameters of a bare cell: keys without a dot, legacy load path)', () => {
    const f = info('lstmcell.params');
    const bytes = mxnetFixture('bin/lstmcell.params');
    const cell = new rnn.LSTMCell(3, { inputSize: 2 });
    cell.loadParameters(bytes);
    const [o, st] = cell.forward(toNd(f.inputs.x!), [toNd(f.inputs.s0!), toNd(f.inputs.s1!)]);
    expectClose(o, f.outputs.out as Tensor);
    expectClose(st[0] as NDArray, (f.outputs.states as Tensor[])[0] as Tensor);
    expectClose(st[1] as NDArray, (f.outputs.states as Tensor[])[1] as Tensor);
    expect(sameBytes(cell.saveParameters(), bytes)).toBe(true);
  });

  it('gru_deferred.params and gru_paramdict.params (the same GRU, structural and full names)', () => {
    const f = info('gru_deferred.params');
    const structural = mxnetFixture('bin/gru_deferred.params');
    const full = mxnetFixture('bin/gru_paramdict.params');
    const a = new rnn.GRU(3, { layout: 'NTC' });
    a.initialize(); // deferred input size: filled by the load
    a.loadParameters(structural);
    expectClose(a.forward(toNd(f.inputs.x!)) as NDArray, f.outputs.out as Tensor);
    expect(sameBytes(a.saveParameters(), structural)).toBe(true);
    expect(sameBytes(a.collectParams().save(), full)).toBe(true);
    resetNameCounters();
    const b = new rnn.GRU(3, { layout: 'NTC' });
    b.collectParams().load(full);
    expectClose(b.forward(toNd(f.inputs.x!)) as NDArray, f.outputs.out as Tensor);
    // MXNet's legacy path takes full-name files through load_parameters too (restore prefix 'gru0_')
    resetNameCounters();
    expect(() => new rnn.GRU(3, { layout: 'NTC' }).loadParameters(full)).toThrow(
      /Parameter 'l0_i2h_weight' is missing in file: <bytes>, which contains parameters: 'gru0_gru0_l0_i2h_weight'/,
    );
  });

  it("exported-0003.params (export: 'arg:'/'aux:' keys) into Dense -> GRU, BatchNorm applied by hand", () => {
    const f = info('exported-0003.params');
    const bytes = mxnetFixture('bin/exported-0003.params');
    const net = new nn.HybridSequential();
    net.nameScope(() => {
      net.add(new nn.Dense(4, { flatten: false }));
      net.add(new rnn.GRU(3));
    });
    // the BatchNorm's four arrays are extra here: without ignoreExtra MXNet's message names the first
    expect(() => net.collectParams().load(bytes)).toThrow(
      /Parameter 'hybridsequential0_batchnorm0_gamma' loaded from file: <bytes> is not present/,
    );
    net.collectParams().load(bytes, { ignoreExtra: true });
    const h = net.forward(toNd(f.inputs.x!)) as NDArray; // (T, N, 3)
    const d = mx.nd.load(bytes) as Record<string, NDArray>;
    const g = d['arg:hybridsequential0_batchnorm0_gamma']!.data;
    const be = d['arg:hybridsequential0_batchnorm0_beta']!.data;
    const mean = d['aux:hybridsequential0_batchnorm0_running_mean']!.data;
    const v = d['aux:hybridsequential0_batchnorm0_running_var']!.data;
    const y = Array.from(h.data, (x, i) => {
      const c = i % 3;
      return (g[c]! * (x - mean[c]!)) / Math.sqrt(v[c]! + 1e-5) + be[c]!;
    });
    expectClose(y, f.outputs.out as Tensor, 1e-5, 'Dense -> GRU -> BatchNorm(axis=2)');
  });

  it('api_lstm100x3.params (LSTM(100, 3), 826 kB) and api_seq_embed_lstm_dense.params', () => {
    const c = mxnetJson<{ inputs: Record<string, Tensor>; outputs: Record<string, Tensor | Tensor[]> }>(
      'api_lstm100x3.json',
    );
    const bytes = mxnetFixture('bin/api_lstm100x3.params');
    const layer = new rnn.LSTM(100, 3);
    layer.loadParameters(bytes);
    const [out, [hn, cn]] = layer.forward(toNd(c.inputs.x!), [toNd(c.inputs.h0!), toNd(c.inputs.c0!)]) as [
      NDArray,
      NDArray[],
    ];
    expectClose(out, c.outputs.out as Tensor);
    expectClose(hn as NDArray, (c.outputs.states as Tensor[])[0] as Tensor);
    expectClose(cn as NDArray, (c.outputs.states as Tensor[])[1] as Tensor);
    expect(sameBytes(layer.saveParameters(), bytes)).toBe(true);
  });
});

// ------------------------------------------------------------------------------------ 2. here -> MXNet

/** Deterministic weights (no RNG): element i of the k-th parameter. */
function fillDeterministic(net: Block): void {
  [...net.collectParams().values()].forEach((p, k) => {
    const shape = p.shape;
    const n = shape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(1.7 * i + 0.9 * k + 0.3));
    if (!p.isInitialized) p.initialize();
    p.setData(mx.nd.array(data, shape));
  });
}

function detInput(shape: number[], ids = 0): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => (ids ? (i * 7 + 3) % ids : Math.cos(0.61 * i + 0.2)));
  return mx.nd.array(data, shape);
}

const NER_PY = `class BiLSTM_CRF(gluon.Block):
    def __init__(self):
        super(BiLSTM_CRF, self).__init__()
        with self.name_scope():
            self.word_embeds = nn.Embedding(612, 5)
            self.lstm = rnn.LSTM(2, num_layers=1, bidirectional=True)
            self.hidden2tag = nn.Dense(7)

    def forward(self, ids):
        T, N = ids.shape
        return self.hidden2tag(self.lstm(self.word_embeds(ids)).reshape((T * N, 4)))
net = BiLSTM_CRF()`;

interface OursCase {
  file: string;
  kind: 'block' | 'nd';
  /** Python: builds `net` (gen_fixtures.py build()). */
  build?: string;
  /** Python statement that loads file `f` (MXNet's API, keyword arguments as Python spells them). */
  load?: string;
  /** Python expression of the output, with the inputs in scope. */
  call?: string;
  inputs?: Record<string, Tensor>;
  output?: Tensor;
  /** kind 'nd': the arrays nd.load must return (dict, file order). */
  arrays?: Record<string, Tensor>;
  bytes: Uint8Array;
}

const T = (x: NDArray): Tensor => ({ shape: x.shape, data: [...x.data] });

/** The files this package writes for MXNet to load (each built from scratch, deterministic). */
function oursCases(): OursCase[] {
  const cases: OursCase[] = [];
  const model = (
    file: string,
    make: () => Block,
    save: (net: Block) => Uint8Array,
    build: string,
    load: string,
    inputs: Record<string, NDArray>,
    run: (net: Block, x: Record<string, NDArray>) => NDArray,
    call = 'net(x)',
  ) => {
    resetNameCounters();
    const net = make();
    net.initialize();
    run(net, inputs); // first forward: deferred sizes
    fillDeterministic(net);
    const output = run(net, inputs);
    const bytes = save(net);
    cases.push({
      file,
      kind: 'block',
      build,
      load,
      call,
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, T(v)])),
      output: T(output),
      bytes,
    });
  };
  const fwd = (net: Block, x: Record<string, NDArray>) => net.forward(x.x) as NDArray;
  model(
    'ours_seq_bilstm2.params',
    seqBiLSTM,
    (n) => n.saveParameters(),
    'net = nn.Sequential()\nwith net.name_scope():\n    net.add(nn.Embedding(8, 4))\n    net.add(rnn.LSTM(3, num_layers=2, bidirectional=True))\n    net.add(nn.Dense(2, flatten=False))',
    'net.load_parameters(f)',
    { x: detInput([3, 2], 8) },
    fwd,
  );
  model(
    'ours_ner_structural.params',
    () => new BiLSTM_CRF(),
    (n) => n.saveParameters(),
    NER_PY,
    'net.load_parameters(f)',
    { x: detInput([6, 3], 612) },
    fwd,
  );
  model(
    'ours_ner_legacy.params',
    () => new BiLSTM_CRF(),
    (n) => n.collectParams().save({ stripPrefix: 'bilstm_crf0_' }),
    NER_PY,
    'net.load_parameters(f)',
    { x: detInput([6, 3], 612) },
    fwd,
  );
  model(
    'ours_gru_paramdict.params',
    () => new rnn.GRU(3, { layout: 'NTC' }),
    (n) => n.collectParams().save(),
    "rnn.GRU(3, layout='NTC')",
    'net.collect_params().load(f)',
    { x: detInput([2, 4, 5]) },
    fwd,
  );
  const shared = () => {
    const net = new nn.Sequential();
    net.nameScope(() => {
      const a = new nn.Dense(4, { inUnits: 4, activation: 'tanh' });
      net.add(a);
      net.add(new nn.Dense(4, { inUnits: 4, activation: 'tanh', params: a.params }));
    });
    return net;
  };
  model(
    'ours_shared_dedup.params',
    shared,
    (n) => n.saveParameters({ deduplicate: true }),
    "net = nn.Sequential()\nwith net.name_scope():\n    a = nn.Dense(4, in_units=4, activation='tanh')\n    net.add(a)\n    net.add(nn.Dense(4, in_units=4, activation='tanh', params=a.params))",
    'net.load_parameters(f)',
    { x: detInput([2, 4]) },
    fwd,
  );
  model(
    'ours_lstmcell.params',
    () => new rnn.LSTMCell(3, { inputSize: 2 }),
    (n) => n.saveParameters(),
    'rnn.LSTMCell(3, input_size=2)',
    'net.load_parameters(f)',
    { x: detInput([2, 2]), s0: detInput([2, 3]), s1: detInput([2, 3]) },
    (net, x) => (net as InstanceType<typeof rnn.LSTMCell>).forward(x.x!, [x.s0!, x.s1!])[0],
    'net(x, [s0, s1])[0]',
  );
  const arrays = { alpha: detInput([2, 3]), 'b.2:x': detInput([4]), ünï: detInput([1, 2, 2, 1]) };
  cases.push({
    file: 'ours_nd_dict.nd',
    kind: 'nd',
    arrays: Object.fromEntries(Object.entries(arrays).map(([k, v]) => [k, T(v)])),
    bytes: mx.nd.save(arrays),
  });
  return cases;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface OursRecord {
  mxnet: string;
  files: Record<
    string,
    { sha256: string; bytes: number; loaded_by: string; keys: string[]; max_abs_diff: number; ok: boolean }
  >;
}

describe('files written here load in MXNet 1.9.1 (record: test/fixtures/mxnet_loads_ours.json)', () => {
  it('every file we write is the one MXNet loaded, and MXNet computed our outputs from it', () => {
    const cases = oursCases();
    const dir = process.env.GLUON_WRITE_OURS;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      for (const c of cases) writeFileSync(join(dir, c.file), c.bytes);
      const manifest = cases.map(({ bytes, ...rest }) => ({ ...rest, sha256: sha256(bytes), bytes: bytes.length }));
      writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ cases: manifest }, null, 1)}\n`);
    }
    const record = mxnetJson<OursRecord>('../mxnet_loads_ours.json');
    expect(record.mxnet).toBe('1.9.1');
    expect(Object.keys(record.files).sort()).toEqual(cases.map((c) => c.file).sort());
    for (const c of cases) {
      const r = record.files[c.file]!;
      expect(sha256(c.bytes), `${c.file}: our bytes changed since MXNet checked them; rerun --check-ours`).toBe(
        r.sha256,
      );
      expect(r.ok, c.file).toBe(true);
      expect(r.max_abs_diff, c.file).toBeLessThan(1e-5);
      expect(r.keys, c.file).toEqual(Object.keys(mx.nd.load(c.bytes)));
    }
    // the structural names MXNet matched for a custom block (attribute names) and for dedup
    expect(record.files['ours_ner_structural.params']!.keys).toContain('lstm._unfused.0.r_cell.h2h_weight');
    expect(record.files['ours_shared_dedup.params']!.keys).toEqual(['1.weight', '1.bias']);
  });
});
