// Block.saveParameters / loadParameters and ParameterDict.save / load (ts/gluon/params_io.ts):
// MXNet's option semantics and messages, deferred shapes filled by loading (test_fill_shape_load),
// and ATOMIC loads: every bad file or mismatching model leaves every parameter bit-identical.

import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Block, Parameter } from '../../ts/gluon/index.js';
import mx, { ready } from '../../ts/index.js';
import { loadNDArrayFile, NDArrayFileError, saveNDArrayFile } from '../../ts/io/params.js';
import { resetNameCounters } from '../../ts/name.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, sameBytes, type Tensor, toNd } from '../gluon/helpers.js';
import { binFiles, mxnetFixture, mxnetJson } from './fixtures.js';
import { seqBiLSTM } from './models.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

const { nn, rnn } = mx.gluon;

interface ParamState {
  shape: number[];
  initialized: boolean;
  deferred: boolean;
  bytes: number[] | null;
}

/** Everything a load could change, per parameter (data as raw bytes: bit-identical compare). */
function snapshot(net: Block): Map<string, ParamState> {
  const out = new Map<string, ParamState>();
  for (const [name, p] of net.collectParams().entries()) {
    out.set(name, {
      shape: p.shape,
      initialized: p.isInitialized,
      deferred: p.isDeferred,
      bytes: p.isInitialized ? [...new Uint8Array(p.data().data.slice().buffer)] : null,
    });
  }
  return out;
}

function thrown(fn: () => unknown): Error & { key?: string; offset?: number; index?: number; source?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

/** Re-encodes a dict, replacing / dropping / adding entries (via mx.nd, i.e. our writer). */
function edited(bytes: Uint8Array, edit: (d: Map<string, NDArray>) => void): Uint8Array {
  const d = new Map(Object.entries(mx.nd.load(bytes) as Record<string, NDArray>));
  edit(d);
  return mx.nd.save(d);
}

/** A V2 float64 record file (MXNet nd.save of a float64 array) for the given named arrays. */
function float64File(entries: [string, number[], number[]][]): Uint8Array {
  const parts: number[] = [];
  const push = (n: number, bytes: number, f: (v: DataView) => void) => {
    const b = new DataView(new ArrayBuffer(bytes));
    f(b);
    parts.push(...new Uint8Array(b.buffer));
    void n;
  };
  const u64 = (x: number) => push(x, 8, (v) => v.setBigUint64(0, BigInt(x), true));
  const i32 = (x: number) => push(x, 4, (v) => v.setInt32(0, x, true));
  u64(0x112);
  u64(0);
  u64(entries.length);
  for (const [, shape, data] of entries) {
    push(0, 4, (v) => v.setUint32(0, 0xf993fac9, true));
    i32(0);
    i32(shape.length);
    for (const d of shape) push(d, 8, (v) => v.setBigInt64(0, BigInt(d), true));
    i32(1);
    i32(0);
    i32(1); // float64
    for (const x of data) push(x, 8, (v) => v.setFloat64(0, x, true));
  }
  u64(entries.length);
  for (const [k] of entries) {
    const e = new TextEncoder().encode(k);
    u64(e.length);
    parts.push(...e);
  }
  return new Uint8Array(parts);
}

describe('atomic loads: a failed load changes nothing', () => {
  const good = () => mxnetFixture('bin/seq_bilstm2.params');

  it('initialised model: bad shape in the middle, missing, extra, truncated, duplicate, 2^40 elements, dtype', () => {
    const net = seqBiLSTM();
    net.initialize();
    net.forward(
      mx.nd.array([
        [1, 7],
        [0, 3],
        [5, 2],
      ]),
    ); // fills the deferred input sizes
    const before = snapshot(net);
    const bytes = good();
    const keys = Object.keys(mx.nd.load(bytes) as Record<string, NDArray>);
    const middle = keys[9] as string; // '1._unfused.1.l_cell.i2h_weight'
    expect(middle).toBe('1._unfused.1.l_cell.i2h_weight');

    const check = (what: string, fn: () => unknown, msg: RegExp) => {
      const err = thrown(fn);
      expect(err.message, what).toMatch(msg);
      expect(snapshot(net), `${what}: parameters changed`).toEqual(before);
      return err;
    };

    // wrong shape for one key in the middle: the 9 keys before it would load in MXNet
    const wrong = edited(bytes, (d) => d.set(middle, mx.nd.ones([12, 5])));
    let err = check(
      'wrong shape',
      () => net.loadParameters(wrong),
      /Failed loading Parameter 'sequential0_lstm0_l1_i2h_weight' from saved params: shape incompatible expected \(12, 6\) vs saved \(12, 5\)/,
    );
    expect(err.name).toBe('AssertionError');
    expect(err.key).toBe(middle);
    expect(err.index).toBe(9);
    expect(err.offset).toBeGreaterThan(24);
    expect(err.message).toMatch(/key '1\._unfused\.1\.l_cell\.i2h_weight', array #9, record at byte offset \d+/);
    // the offset is the record's magic
    expect(new DataView(wrong.buffer).getUint32(err.offset as number, true)).toBe(0xf993fac9);

    err = check(
      'missing',
      () => net.loadParameters(edited(bytes, (d) => d.delete('2.bias'))),
      /Parameter '2\.bias' is missing in file '<bytes>', which contains parameters: '0\.weight', '1\._unfused\.0\.l_cell\.i2h_weight', '1\._unfused\.0\.l_cell\.h2h_weight', \.\.\., .*Set allowMissing: true to ignore missing parameters\./,
    );
    expect(err.name).toBe('AssertionError');
    expect(err.key).toBe('2.bias');

    // extra key AFTER all the valid ones: MXNet would have loaded everything else first
    err = check(
      'extra',
      () => net.loadParameters(edited(bytes, (d) => d.set('3.weight', mx.nd.ones([2])))),
      /Parameter '3\.weight' loaded from file '<bytes>' is not present in ParameterDict, which contains parameters \. Set ignoreExtra: true to ignore\./,
    );
    expect(err.name).toBe('ValueError');
    expect(err.key).toBe('3.weight');
    expect(err.index).toBe(keys.length);

    // truncated anywhere: the file error says where
    for (const cut of [0, 7, 24, 100, 1000, bytes.length - 1]) {
      err = check(
        `truncated at ${cut}`,
        () => net.loadParameters(bytes.subarray(0, cut)),
        /loadParameters: '<bytes>': Invalid MXNet NDArray file: .*at byte offset \d+/,
      );
      expect(err).toBeInstanceOf(NDArrayFileError);
      expect(err.offset).toBeLessThanOrEqual(cut);
    }

    // duplicate names: '0.weight' -> '2.weight' in the name list (same length)
    const dup = bytes.slice();
    const nameAt = Buffer.from(dup).lastIndexOf(Buffer.from('0.weight'));
    dup[nameAt] = '2'.charCodeAt(0);
    err = check('duplicate', () => net.loadParameters(dup), /duplicate name '2\.weight' \(also name #\d+\)/);
    expect(err).toBeInstanceOf(NDArrayFileError);
    expect(err.key).toBe('2.weight');

    // 2^40 elements: first record's shape (8, 4) -> (2^20, 2^20); rejected before any allocation
    const huge = bytes.slice();
    const hv = new DataView(huge.buffer);
    hv.setBigInt64(24 + 12, 1n << 20n, true);
    hv.setBigInt64(24 + 20, 1n << 20n, true);
    err = check('2^40', () => net.loadParameters(huge), /1099511627776 elements/);
    expect(err).toBeInstanceOf(NDArrayFileError);
    expect(err.offset).toBe(64); // where the payload would start

    // wrong magic
    const magic = bytes.slice();
    magic[0] = 0x13;
    check('magic', () => net.loadParameters(magic), /header magic is 0x113, expected 0x112/);

    // an unnamed list is not a parameter file
    check('list', () => net.loadParameters(mx.nd.save([mx.nd.ones([8, 4])])), /unnamed list of 1 arrays/);

    // a float64 array needs castDtype (MXNet's message), and dtypeSource 'saved' cannot be honoured
    const d = mx.nd.load(bytes) as Record<string, NDArray>;
    const entries = Object.entries(d).map(([k, v]): [string, number[], number[]] => [k, v.shape, [...v.data]]);
    const f64 = float64File(entries);
    check(
      'float64 without castDtype',
      () => net.loadParameters(f64),
      /Failed loading Parameter 'sequential0_embedding0_weight' from saved params: dtype incompatible expected float32 vs saved float64\. Set castDtype: true/,
    );
    check(
      'dtypeSource saved',
      () => net.loadParameters(f64, { castDtype: true, dtypeSource: 'saved' }),
      /dtypeSource 'saved' would make it float64/,
    );
    check(
      'dtypeSource bogus',
      () => net.loadParameters(f64, { castDtype: true, dtypeSource: 'bogus' } as never),
      /dtypeSource must be 'current' or 'saved'/,
    );

    // and then the good file loads (float64 converted with castDtype)
    net.loadParameters(f64, { castDtype: true });
    const x = binFiles()['seq_bilstm2.params'] as unknown as { inputs: { x: Tensor }; outputs: { out: Tensor } };
    expectClose(net.forward(toNd(x.inputs.x)) as NDArray, x.outputs.out, 1e-5);
  });

  it('deferred model: a failing load leaves shapes unknown and initialisation deferred', () => {
    const net = seqBiLSTM();
    net.initialize(); // deferred: LSTM input size and Dense in_units unknown
    const before = snapshot(net);
    expect([...before.values()].some((s) => s.deferred)).toBe(true);
    expect(before.get('sequential0_lstm0_l0_i2h_weight')?.shape).toEqual([12, 0]);
    const bytes = good();
    // every entry before the last is fine and would fill a deferred shape; the last is wrong
    const bad = edited(bytes, (d) => d.set('2.bias', mx.nd.ones([3])));
    const err = thrown(() => net.loadParameters(bad));
    expect(err.message).toMatch(
      /sequential0_dense0_bias' from saved params: shape incompatible expected \(2,\) vs saved \(3,\)/,
    );
    expect(snapshot(net)).toEqual(before);
    net.loadParameters(bytes);
    expect(net.collectParams().get('sequential0_lstm0_l0_i2h_weight').shape).toEqual([12, 4]);
    expect([...net.collectParams().values()].every((p) => p.isInitialized && !p.isDeferred)).toBe(true);
  });

  it('shared parameter under two names: the second name sees the shape the first one set', () => {
    const net = new nn.Sequential();
    let a!: Block;
    net.nameScope(() => {
      a = new nn.Dense(3);
      net.add(a);
      net.add(new nn.Dense(3, { params: a.params }));
    });
    net.initialize();
    const before = snapshot(net);
    const w = (n: number) => mx.nd.ones([3, n]);
    // MXNet loads 0.weight (3, 5), then fails on 1.weight (3, 6) with 0.weight already overwritten
    const bytes = mx.nd.save({
      '0.weight': w(5),
      '0.bias': mx.nd.ones([3]),
      '1.weight': w(6),
      '1.bias': mx.nd.ones([3]),
    });
    expect(() => net.loadParameters(bytes)).toThrow(/shape incompatible expected \(3, 5\) vs saved \(3, 6\)/);
    expect(snapshot(net)).toEqual(before);
    // deduplicated files hold a shared parameter once, and load (the others count as present)
    net.loadParameters(mx.nd.save({ '1.weight': w(5), '1.bias': mx.nd.zeros([3]) }));
    expect(net.collectParams().get('sequential0_dense0_weight').shape).toEqual([3, 5]);
    const saved = mx.nd.load(net.saveParameters({ deduplicate: true })) as Record<string, NDArray>;
    expect(Object.keys(saved)).toEqual(['1.weight', '1.bias']);
    expect(Object.keys(mx.nd.load(net.saveParameters()) as object)).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
    ]);
  });

  it('ParameterDict.load is atomic too (restorePrefix, arg:/aux:, missing, extra, shape)', () => {
    const cell = new rnn.LSTMCell(4, { inputSize: 3, prefix: 'rnnmodel2_lstm0_' });
    cell.initialize();
    const before = snapshot(cell);
    const params = cell.collectParams();
    const full = params.save();
    const asArg = edited(full, (d) => {
      for (const [k, v] of [...d]) {
        d.delete(k);
        d.set(`arg:${k}`, v);
      }
    });
    const bad = edited(asArg, (d) => d.set('arg:rnnmodel2_lstm0_h2h_bias', mx.nd.ones([15])));
    let err = thrown(() => params.load(bad, { restorePrefix: '' }));
    expect(err.message).toMatch(
      /Failed loading Parameter 'rnnmodel2_lstm0_h2h_bias' .* expected \(16,\) vs saved \(15,\)/,
    );
    expect(err.key).toBe('arg:rnnmodel2_lstm0_h2h_bias');
    expect(snapshot(cell)).toEqual(before);
    err = thrown(() => params.load(edited(asArg, (d) => d.delete('arg:rnnmodel2_lstm0_i2h_bias'))));
    expect(err.message).toMatch(
      /^Parameter 'rnnmodel2_lstm0_i2h_bias' is missing in file: <bytes>, which contains parameters: 'rnnmodel2_lstm0_i2h_weight', /,
    );
    expect(snapshot(cell)).toEqual(before);
    err = thrown(() =>
      params.load(
        edited(asArg, (d) => d.set('aux:extra', mx.nd.ones([1]))),
        { restorePrefix: '' },
      ),
    );
    expect(err.message).toMatch(
      /^Parameter 'extra' loaded from file: <bytes> is not present in ParameterDict, choices are: 'rnnmodel2_lstm0_i2h_weight', .*Set ignoreExtra: true to ignore\./,
    );
    expect(err.key).toBe('aux:extra');
    expect(snapshot(cell)).toEqual(before);
    err = thrown(() => params.load(full, { restorePrefix: 'other_' }));
    expect(err.message).toMatch(
      /^restorePrefix is 'other_' but Parameters name 'rnnmodel2_lstm0_i2h_weight' does not start with 'other_'/,
    );
    // good loads, with and without the stripped prefix
    params.load(asArg, { ignoreExtra: false });
    const stripped = params.save({ stripPrefix: 'rnnmodel2_lstm0_' });
    expect(Object.keys(mx.nd.load(stripped) as object)).toEqual(['i2h_weight', 'h2h_weight', 'i2h_bias', 'h2h_bias']);
    const other = new rnn.LSTMCell(4, { prefix: 'rnnmodel2_lstm0_' });
    other.collectParams().load(stripped, { restorePrefix: 'rnnmodel2_lstm0_' });
    expect(other.collectParams().get('rnnmodel2_lstm0_i2h_weight').data().data).toEqual(
      params.get('rnnmodel2_lstm0_i2h_weight').data().data,
    );
    // allowMissing / ignoreExtra
    const partial = new rnn.LSTMCell(4, { prefix: 'rnnmodel2_lstm0_' });
    partial.collectParams().load(
      edited(asArg, (d) => d.delete('arg:rnnmodel2_lstm0_h2h_weight')),
      {
        allowMissing: true,
      },
    );
    expect(partial.collectParams().get('rnnmodel2_lstm0_h2h_weight').isInitialized).toBe(false);
    expect(partial.collectParams().get('rnnmodel2_lstm0_i2h_weight').shape).toEqual([16, 3]);
  });
});

describe('loading fills deferred shapes (test_fill_shape_load)', () => {
  it('a deferred net takes its input sizes from the file and computes what the saver computed', () => {
    const make = () => {
      const net = new nn.HybridSequential();
      net.nameScope(() => {
        net.add(new rnn.LSTM(4, { layout: 'NTC' }));
        net.add(new nn.Dense(10));
      });
      return net;
    };
    const net1 = make();
    net1.hybridize();
    net1.initialize();
    const x = mx.nd.random.uniform(-1, 1, [2, 3, 5]);
    const y1 = net1.forward(x) as NDArray;
    const bytes = net1.saveParameters();
    resetNameCounters();
    const net2 = make();
    net2.hybridize();
    net2.initialize();
    net2.loadParameters(bytes);
    const p = [...net2.collectParams().values()] as Parameter[];
    expect(p[0]?.shape[1]).toBe(5);
    expect(net2.collectParams().get('hybridsequential0_dense0_weight').shape[1]).toBe(12);
    expect((net2.forward(x) as NDArray).data).toEqual(y1.data);
  });
});

describe('legacy path (no key contains a dot): restore prefix = the block prefix', () => {
  it("MXNet's bare-LSTMCell save_parameters file (keys 'i2h_weight', ...)", () => {
    const info = binFiles()['lstmcell.params'] as unknown as {
      inputs: Record<string, Tensor>;
      outputs: { out: Tensor; states: Tensor[] };
    };
    const cell = new rnn.LSTMCell(3, { inputSize: 2 });
    cell.loadParameters(mxnetFixture('bin/lstmcell.params'));
    const t = (k: string) => toNd(info.inputs[k]!);
    const [o, st] = cell.forward(t('x'), [t('s0'), t('s1')]) as [NDArray, NDArray[]];
    expectClose(o, info.outputs.out);
    expectClose(st[1] as NDArray, info.outputs.states[1] as Tensor);
    // a legacy file with a name outside the model: MXNet's ParameterDict message (prefix stripped)
    const extra = edited(mxnetFixture('bin/lstmcell.params'), (d) => d.set('foo', mx.nd.ones([1])));
    expect(() => cell.loadParameters(extra)).toThrow(
      /^Parameter 'foo' loaded from file: <bytes> is not present in ParameterDict, choices are: 'lstm0_i2h_weight'/,
    );
    cell.loadParameters(extra, { ignoreExtra: true });
  });
});

describe('atomic loads under fuzzing (fast-check, fixed seed, ~1.5 s)', () => {
  it('mutated MXNet files either load or throw with the model untouched', () => {
    const base = mxnetFixture('bin/seq_bilstm2.params');
    // structure bytes: every record header (magic .. dtype) and the name list
    const offsets: number[] = [];
    const starts: number[] = [];
    loadNDArrayFile(base, starts);
    for (const at of starts) for (let i = 0; i < 40; i++) offsets.push(at + i);
    const namesAt = Buffer.from(base).indexOf(Buffer.from('0.weight')) - 16;
    for (let i = namesAt; i < base.length; i++) offsets.push(i);
    for (let i = 0; i < 24; i++) offsets.push(i);
    const mutation = fc.oneof(
      fc.tuple(fc.constantFrom(...offsets), fc.integer({ min: 0, max: 255 })),
      fc.tuple(fc.integer({ min: 0, max: base.length - 1 }), fc.integer({ min: 0, max: 255 })),
    );
    const net = seqBiLSTM();
    net.initialize();
    let before = snapshot(net);
    let runs = 0;
    let loaded = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (muts, cut) => {
        runs++;
        let bytes = base.slice();
        for (const [at, v] of muts) bytes[at] = v;
        if (cut) bytes = bytes.subarray(0, muts[0]![0]);
        try {
          net.loadParameters(bytes);
          loaded++;
          before = snapshot(net);
        } catch (e) {
          const err = e as Error & { offset?: number; key?: string };
          expect(err.offset !== undefined || err.key !== undefined, err.message).toBe(true);
          expect(snapshot(net)).toEqual(before);
        }
      }),
      { seed: 20240612, numRuns: 1_000_000, interruptAfterTimeLimit: 1500 },
    );
    expect(runs).toBeGreaterThan(50);
    expect(loaded).toBeGreaterThan(0);
    expect(loaded).toBeLessThan(runs);
  });
});

describe('every fused-layer fixture: MXNet file bytes out, deferred load in, MXNet outputs', () => {
  const modes = ['rnn_relu', 'rnn_tanh', 'lstm', 'gru'] as const;
  const cases: [string, () => Block][] = [];
  const make = (mode: (typeof modes)[number], L: number, bi: boolean, layout: 'TNC' | 'NTC', extra = {}) => {
    const kw = { numLayers: L, layout, bidirectional: bi, ...extra };
    if (mode === 'rnn_relu') return new rnn.RNN(3, { activation: 'relu', ...kw });
    if (mode === 'rnn_tanh') return new rnn.RNN(3, { activation: 'tanh', ...kw });
    if (mode === 'lstm') return new rnn.LSTM(3, kw);
    return new rnn.GRU(3, kw);
  };
  for (const mode of modes)
    for (const L of [1, 2])
      for (const dir of ['uni', 'bi'])
        for (const layout of ['TNC', 'NTC'] as const)
          cases.push([`fused_${mode}_l${L}_${dir}_${layout}`, () => make(mode, L, dir === 'bi', layout)]);
  for (const L of [1, 2])
    for (const dir of ['uni', 'bi'])
      cases.push([
        `fused_lstmp_l${L}_${dir}_TNC`,
        () => new rnn.LSTM(5, { numLayers: L, bidirectional: dir === 'bi', projectionSize: 3 }),
      ]);

  it(`${cases.length} layers (incl. LSTMP h2r_weight)`, () => {
    for (const [name, build] of cases) {
      const f = mxnetJson<{
        names: string[];
        structural: string[];
        params: Record<string, Tensor>;
        inputs: Record<string, Tensor>;
        outputs: Record<string, Tensor>;
      }>(`${name}.json`);
      // the file MXNet's save_parameters writes: structural keys, values in collect_params order
      const mxBytes = saveNDArrayFile({
        names: f.structural,
        arrays: f.names.map((n) => ({ shape: f.params[n]!.shape, data: Float32Array.from(f.params[n]!.data) })),
      });
      resetNameCounters();
      const layer = build();
      layer.initialize(); // deferred input size
      layer.loadParameters(mxBytes);
      const x = f.inputs.x!;
      expectClose(layer.forward(toNd(x)) as NDArray, f.outputs.out_no_states!, 1e-5, name);
      expect(sameBytes(layer.saveParameters(), mxBytes), name).toBe(true);
    }
  });
});
