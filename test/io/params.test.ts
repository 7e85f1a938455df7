import { describe, expect, it } from 'vitest';
import {
  loadNDArrayFile,
  NDARRAY_V1_MAGIC,
  NDARRAY_V2_MAGIC,
  NDARRAY_V3_MAGIC,
  NDArrayFileError,
  type NDArrayRecord,
  saveNDArrayFile,
} from '../../ts/io/params.js';
import { sameBytes } from '../gluon/helpers.js';
import { binFiles, mxnetFixture, publicParams } from './fixtures.js';

// ------------------------------------------------------------------------------------------------ helpers

/** Little-endian byte builder for hand-made files. */
class Bytes {
  private parts: number[] = [];
  u8(...xs: number[]): this {
    for (const x of xs) this.parts.push(x & 0xff);
    return this;
  }
  u32(x: number): this {
    const b = new DataView(new ArrayBuffer(4));
    b.setUint32(0, x >>> 0, true);
    return this.u8(...new Uint8Array(b.buffer));
  }
  i32(x: number): this {
    const b = new DataView(new ArrayBuffer(4));
    b.setInt32(0, x, true);
    return this.u8(...new Uint8Array(b.buffer));
  }
  i64(x: number | bigint): this {
    const b = new DataView(new ArrayBuffer(8));
    b.setBigInt64(0, BigInt(x), true);
    return this.u8(...new Uint8Array(b.buffer));
  }
  u64(x: number | bigint): this {
    const b = new DataView(new ArrayBuffer(8));
    b.setBigUint64(0, BigInt(x), true);
    return this.u8(...new Uint8Array(b.buffer));
  }
  f32(...xs: number[]): this {
    for (const x of xs) {
      const b = new DataView(new ArrayBuffer(4));
      b.setFloat32(0, x, true);
      this.u8(...new Uint8Array(b.buffer));
    }
    return this;
  }
  str(s: string): this {
    const e = new TextEncoder().encode(s);
    return this.u64(e.length).u8(...e);
  }
  header(n: number | bigint): this {
    return this.u64(0x112).u64(0).u64(n);
  }
  /** A dense float32 V2 record. */
  v2(shape: number[], data: number[]): this {
    this.u32(NDARRAY_V2_MAGIC).i32(0).i32(shape.length);
    for (const d of shape) this.i64(d);
    return this.i32(1)
      .i32(0)
      .i32(0)
      .f32(...data);
  }
  get bytes(): Uint8Array {
    return new Uint8Array(this.parts);
  }
}

function expectFileError(fn: () => unknown, pattern: RegExp): NDArrayFileError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected an NDArrayFileError matching ${pattern}`).toBeInstanceOf(NDArrayFileError);
  const err = caught as NDArrayFileError;
  expect(err.message).toMatch(pattern);
  expect(err.message).toMatch(/byte offset \d+/);
  expect(Number.isInteger(err.offset)).toBe(true);
  return err;
}

function sum(a: Float32Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

function toDict(bytes: Uint8Array): Map<string, NDArrayRecord> {
  const f = loadNDArrayFile(bytes);
  expect(f.names).not.toBeNull();
  return new Map(f.names!.map((n, i) => [n, f.arrays[i]!]));
}

/** Re-encode float32 arrays with V1 or legacy (pre-V1) records, as old MXNet wrote them. */
function encodeOld(version: 'v1' | 'legacy', arrays: NDArrayRecord[], names: string[] | null): Uint8Array {
  const b = new Bytes().header(arrays.length);
  for (const a of arrays) {
    if (version === 'v1') {
      b.u32(NDARRAY_V1_MAGIC).i32(a.shape.length);
      for (const d of a.shape) b.i64(d);
    } else {
      b.u32(a.shape.length);
      for (const d of a.shape) b.u32(d);
    }
    b.i32(1)
      .i32(0)
      .i32(0)
      .f32(...a.data);
  }
  b.u64(names ? names.length : 0);
  for (const n of names ?? []) b.str(n);
  return b.bytes;
}

// ------------------------------------------------------------------------------------------------ real files

describe('public MXNet-written .params files (docs/reference/params-format.md §5)', () => {
  it('A: NER BiLSTM-CRF (MXNet ~1.0 save_params, legacy full-name keys)', () => {
    const bytes = publicParams('ner-bilstm-crf-model.params');
    expect(bytes.length).toBe(13661);
    const d = toDict(bytes);
    const expected: [string, number[], number, number, number][] = [
      ['embedding0_weight', [612, 5], 0.325358838, -0.0307245255, -8.49258247],
      ['lstm0_l0_i2h_weight', [8, 5], -0.126731515, -0.243007198, -8.73833501],
      ['lstm0_l0_h2h_weight', [8, 2], -0.548799098, 0.221816316, 0.383788057],
      ['lstm0_l0_i2h_bias', [8], 0.77698046, 1.65450621, 5.44501091],
      ['lstm0_l0_h2h_bias', [8], 0.77698046, 1.65450621, 5.44501091],
      ['lstm0_r0_i2h_weight', [8, 5], -0.348479569, 0.470320672, -9.76552173],
      ['lstm0_r0_h2h_weight', [8, 2], 0.679118872, 0.207133844, 10.4604001],
      ['lstm0_r0_i2h_bias', [8], 0.558173239, 1.51507461, 4.88869626],
      ['lstm0_r0_h2h_bias', [8], 0.558173239, 1.51507461, 4.88869626],
      ['dense0_weight', [7, 4], -1.94791198, -0.232193619, 1.9764022],
      ['dense0_bias', [7], 1.65573502, -1.94338465, 0.00145763159],
    ];
    expect([...d.keys()]).toEqual(expected.map((e) => e[0]));
    for (const [key, shape, first, last, total] of expected) {
      const a = d.get(key)!;
      expect(a.shape, key).toEqual(shape);
      expect(a.dtype).toBe('float32');
      expect(a.data[0]).toBeCloseTo(first, 7);
      expect(a.data[a.data.length - 1]).toBeCloseTo(last, 7);
      expect(sum(a.data)).toBeCloseTo(total, 4);
    }
  });

  const relay: [string, string, number, number][] = [
    ['rnn', 'rnnmodel0_rnn0_', 128, 132416],
    ['gru', 'rnnmodel1_gru0_', 384, 396608],
    ['lstm', 'rnnmodel2_lstm0_', 512, 528708],
  ];
  for (const [kind, prefix, rows, size] of relay) {
    it(`B: relay-bench ${kind} (MXNet 1.3.1 export, arg: keys)`, () => {
      const bytes = publicParams(`relay-bench-${kind}_i128_h128-0001.params`);
      expect(bytes.length).toBe(size);
      const d = toDict(bytes);
      expect([...d.keys()]).toEqual(
        ['i2h_weight', 'h2h_weight', 'i2h_bias', 'h2h_bias'].map((s) => `arg:${prefix}${s}`),
      );
      expect(d.get(`arg:${prefix}i2h_weight`)!.shape).toEqual([rows, 128]);
      expect(d.get(`arg:${prefix}h2h_weight`)!.shape).toEqual([rows, 128]);
      expect(d.get(`arg:${prefix}i2h_bias`)!.shape).toEqual([rows]);
      expect(d.get(`arg:${prefix}h2h_bias`)!.shape).toEqual([rows]);
      // freshly initialised: weights Uniform(0.07), biases exactly 0
      const maxAbs = d.get(`arg:${prefix}i2h_weight`)!.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(maxAbs).toBeLessThanOrEqual(0.07);
      expect(maxAbs).toBeGreaterThan(0.069);
      expect(d.get(`arg:${prefix}h2h_bias`)!.data.every((v) => v === 0)).toBe(true);
      if (kind === 'lstm') {
        const w = d.get(`arg:${prefix}i2h_weight`)!.data;
        expect(w[0]).toBeCloseTo(-0.0439329818, 8);
        expect(sum(w)).toBeCloseTo(-4.98105292, 3);
        expect(sum(d.get(`arg:${prefix}h2h_weight`)!.data)).toBeCloseTo(-3.41270314, 3);
      }
    });
  }

  it('round trip: save(load(file)) is byte-identical for every public file', () => {
    for (const f of [
      'ner-bilstm-crf-model.params',
      'relay-bench-rnn_i128_h128-0001.params',
      'relay-bench-gru_i128_h128-0001.params',
      'relay-bench-lstm_i128_h128-0001.params',
    ]) {
      const bytes = publicParams(f);
      const again = saveNDArrayFile(loadNDArrayFile(bytes));
      expect(again.length, f).toBe(bytes.length);
      expect(sameBytes(again, bytes), f).toBe(true);
    }
  });
});

describe('files written by MXNet 1.9.1 (test/fixtures/mxnet/bin)', () => {
  const files = binFiles();

  it('every file loads with the keys, shapes and dtypes nd.load reports (except sparse)', () => {
    for (const [name, info] of Object.entries(files)) {
      const bytes = mxnetFixture(`bin/${name}`);
      expect(bytes.length, name).toBe(info.bytes);
      if (name === 'nd_sparse.nd') continue;
      const f = loadNDArrayFile(bytes);
      expect(f.names, name).toEqual(info.loaded.type === 'dict' ? info.loaded.keys : null);
      expect(
        f.arrays.map((a) => a.shape),
        name,
      ).toEqual(info.loaded.shapes);
      if (info.loaded.dtypes) {
        expect(
          f.arrays.map((a) => a.dtype),
          name,
        ).toEqual(info.loaded.dtypes);
      }
      for (const a of f.arrays) expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
      if (info.arrays) {
        expect(f.arrays.length).toBe(info.arrays.length);
        info.arrays.forEach((want, i) => {
          expect(f.arrays[i]!.shape).toEqual(want.shape);
          expect(f.arrays[i]!.data).toEqual(Float32Array.from(want.data));
        });
      }
    }
  });

  it('round trip is byte-identical with MXNet for every float32 file', () => {
    let checked = 0;
    for (const name of Object.keys(files)) {
      if (['nd_sparse.nd', 'nd_dtypes.nd', 'nd_float16_list.nd', 'nd_v3_npshape.nd'].includes(name)) continue;
      const bytes = mxnetFixture(`bin/${name}`);
      const again = saveNDArrayFile(loadNDArrayFile(bytes));
      expect(sameBytes(again, bytes), name).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });

  it('writes nd.save dict/list files byte-identical to MXNet from the recorded values', () => {
    const arrays = files['nd_dict.nd']!.arrays!.map((a) => ({ shape: a.shape, data: Float32Array.from(a.data) }));
    const dict = saveNDArrayFile({ names: ['alpha', 'b.2:x', 'ünï'], arrays });
    expect(sameBytes(dict, mxnetFixture('bin/nd_dict.nd'))).toBe(true);
    const list = saveNDArrayFile({ names: null, arrays });
    expect(sameBytes(list, mxnetFixture('bin/nd_list.nd'))).toBe(true);
    const empty = saveNDArrayFile({ names: null, arrays: [] });
    expect(sameBytes(empty, mxnetFixture('bin/nd_empty_list.nd'))).toBe(true);
    expect(sameBytes(saveNDArrayFile({ names: [], arrays: [] }), empty)).toBe(true);
  });

  it('structural save_parameters keys and legacy/export keys', () => {
    expect(loadNDArrayFile(mxnetFixture('bin/seq_bilstm2.params')).names).toEqual(
      files['seq_bilstm2.params']!.loaded.keys,
    );
    expect(loadNDArrayFile(mxnetFixture('bin/lstmcell.params')).names).toEqual([
      'i2h_weight',
      'h2h_weight',
      'i2h_bias',
      'h2h_bias',
    ]);
    const exp = loadNDArrayFile(mxnetFixture('bin/exported-0003.params')).names!;
    expect(exp.filter((k) => k.startsWith('aux:'))).toEqual([
      'aux:hybridsequential0_batchnorm0_running_mean',
      'aux:hybridsequential0_batchnorm0_running_var',
    ]);
  });

  it('converts float16/float64/int8/uint8/int32/int64 to float32', () => {
    const info = files['nd_dtypes.nd']!;
    const d = toDict(mxnetFixture('bin/nd_dtypes.nd'));
    const want = info.as_float32 as Record<string, { shape: number[]; data: number[] }>;
    for (const [k, v] of Object.entries(want)) {
      expect(d.get(k)!.shape, k).toEqual(v.shape);
      expect(d.get(k)!.data, k).toEqual(Float32Array.from(v.data));
    }
    expect(d.get('f16')!.dtype).toBe('float16');
    expect(d.get('i64')!.dtype).toBe('int64');
    const list = loadNDArrayFile(mxnetFixture('bin/nd_float16_list.nd'));
    expect(list.names).toBeNull();
    expect(list.arrays[0]!.data).toEqual(Float32Array.from(want.f16!.data));
  });

  it('reads V3 (numpy-shape) records: 0-d scalars and zero-size arrays', () => {
    const f = loadNDArrayFile(mxnetFixture('bin/nd_v3_npshape.nd'));
    expect(f.names).toEqual(['scalar', 'zero', 'm']);
    expect(f.arrays.map((a) => a.shape)).toEqual([[], [2, 0], [2, 2]]);
    expect([...f.arrays[0]!.data]).toEqual([1.5]);
    expect(f.arrays[1]!.data.length).toBe(0);
    expect([...f.arrays[2]!.data]).toEqual([1, 2, 3, 4]);
  });

  it('rejects sparse storage with a clear error', () => {
    const err = expectFileError(
      () => loadNDArrayFile(mxnetFixture('bin/nd_sparse.nd')),
      /sparse storage type 'row_sparse' \(stype 1\) is not supported/,
    );
    expect(err.offset).toBe(28);
    expect(err.index).toBe(0);
    expect(err.message).toMatch(/array #0 of 2/);
  });
});

describe('old record versions', () => {
  for (const version of ['v1', 'legacy'] as const) {
    it(`reads ${version} records (re-encoded from real files)`, () => {
      for (const bytes of [publicParams('ner-bilstm-crf-model.params'), mxnetFixture('bin/nd_list.nd')]) {
        const f = loadNDArrayFile(bytes);
        const old = encodeOld(version, f.arrays, f.names);
        expect(old.length).toBeLessThan(bytes.length);
        expect(loadNDArrayFile(old)).toEqual(f);
      }
    });
  }

  it('V1 layout matches docs/reference/params-format.md §2.2 (first payload at offset 52)', () => {
    const b = new Bytes().header(1).u32(NDARRAY_V1_MAGIC).i32(1).i64(2).i32(1).i32(0).i32(0);
    expect(b.bytes.length).toBe(52);
    const f = loadNDArrayFile(b.f32(3.5, -1).u64(1).str('arg:lstm_0parameters').bytes);
    expect(f).toEqual({
      names: ['arg:lstm_0parameters'],
      arrays: [{ shape: [2], data: Float32Array.from([3.5, -1]), dtype: 'float32' }],
    });
  });

  it('V3 record written by hand: scalar', () => {
    const b = new Bytes().header(1).u32(NDARRAY_V3_MAGIC).i32(0).i32(0).i32(1).i32(0).i32(0).f32(7).u64(0);
    expect(loadNDArrayFile(b.bytes).arrays[0]).toEqual({ shape: [], data: Float32Array.from([7]), dtype: 'float32' });
  });
});

// ------------------------------------------------------------------------------------------------ safety

describe('malformed input is rejected with a clear NDArrayFileError', () => {
  it('truncation at every byte offset of a real file', () => {
    for (const bytes of [
      publicParams('ner-bilstm-crf-model.params'),
      mxnetFixture('bin/seq_bilstm2.params'),
      mxnetFixture('bin/nd_dtypes.nd'),
      mxnetFixture('bin/nd_v3_npshape.nd'),
    ]) {
      for (let cut = 0; cut < bytes.length; cut++) {
        let caught: unknown;
        try {
          loadNDArrayFile(bytes.subarray(0, cut));
        } catch (e) {
          caught = e;
        }
        if (!(caught instanceof NDArrayFileError)) throw new Error(`cut at ${cut}: no NDArrayFileError (${caught})`);
        if (!/truncated|cannot fit/.test(caught.message) || !/byte offset \d+/.test(caught.message)) {
          throw new Error(`cut at ${cut}: unclear message: ${caught.message}`);
        }
        if (caught.offset > cut) throw new Error(`cut at ${cut}: offset ${caught.offset} past the end`);
      }
    }
  });

  it('names the offset and the record', () => {
    const bytes = publicParams('ner-bilstm-crf-model.params');
    // cut inside the payload of the second record (header at 12304, data at 12344)
    const err = expectFileError(() => loadNDArrayFile(bytes.subarray(0, 12350)), /truncated/);
    expect(err.index).toBe(1);
    expect(err.offset).toBe(12344);
    expect(err.message).toMatch(/array #1 of 11/);
    expect(err.message).toMatch(/\(8, 5\) has 40 elements = 160 bytes/);
  });

  it('bad header magic', () => {
    expectFileError(() => loadNDArrayFile(new Bytes().u64(0x113).u64(0).u64(0).u64(0).bytes), /header magic/);
    expectFileError(() => loadNDArrayFile(new TextEncoder().encode('PK\u0003\u0004 this is a zip')), /header magic/);
    expectFileError(() => loadNDArrayFile(new Uint8Array(0)), /truncated/);
  });

  it('absurd array count', () => {
    expectFileError(() => loadNDArrayFile(new Bytes().header(2n ** 63n).u64(0).bytes), /array count/);
    expectFileError(() => loadNDArrayFile(new Bytes().header(3).u64(0).bytes), /array count 3 cannot fit/);
  });

  it('absurd dimensions (2^40 elements) fail fast without allocating', () => {
    const b = new Bytes()
      .header(1)
      .u32(NDARRAY_V2_MAGIC)
      .i32(0)
      .i32(2)
      .i64(2 ** 20)
      .i64(2 ** 20);
    const t0 = performance.now();
    expectFileError(
      () => loadNDArrayFile(b.i32(1).i32(0).i32(0).f32(1, 2, 3).u64(0).bytes),
      /1099511627776 elements = 4398046511104 bytes of data but only \d+ bytes remain/,
    );
    expect(performance.now() - t0).toBeLessThan(100);
    // overflowing products and dims beyond 2^53
    const huge = new Bytes()
      .header(1)
      .u32(NDARRAY_V2_MAGIC)
      .i32(0)
      .i32(3)
      .i64(2n ** 62n)
      .i64(2n ** 62n)
      .i64(4);
    expectFileError(() => loadNDArrayFile(huge.i32(1).i32(0).i32(0).u64(0).bytes), /absurd dimension/);
    const big = new Bytes()
      .header(1)
      .u32(NDARRAY_V2_MAGIC)
      .i32(0)
      .i32(2)
      .i64(2 ** 31)
      .i64(2 ** 31);
    expectFileError(() => loadNDArrayFile(big.i32(1).i32(0).i32(0).u64(0).bytes), /elements/);
  });

  it('negative sizes', () => {
    const neg = new Bytes().header(1).u32(NDARRAY_V2_MAGIC).i32(0).i32(2).i64(3).i64(-5);
    expectFileError(() => loadNDArrayFile(neg.i32(1).i32(0).i32(0).u64(0).bytes), /negative dimension -5/);
    const negNdim = new Bytes().header(1).u32(NDARRAY_V2_MAGIC).i32(0).i32(-3).u64(0);
    expectFileError(() => loadNDArrayFile(negNdim.bytes), /negative shape ndim -3/);
    const hugeNdim = new Bytes().header(1).u32(NDARRAY_V2_MAGIC).i32(0).i32(0x7fffffff).u64(0);
    expectFileError(() => loadNDArrayFile(hugeNdim.bytes), /ndim 2147483647 needs/);
    // legacy record whose "ndim" is garbage
    const legacy = new Bytes().header(1).u32(0xdeadbeef).u64(0);
    expectFileError(() => loadNDArrayFile(legacy.bytes), /unknown record magic 0xdeadbeef/);
  });

  it('unknown dtype, invalid storage type, none arrays', () => {
    const dt = new Bytes().header(1).u32(NDARRAY_V2_MAGIC).i32(0).i32(1).i64(1).i32(1).i32(0).i32(13).f32(1);
    expectFileError(() => loadNDArrayFile(dt.u64(0).bytes), /unknown dtype flag 13/);
    const st = new Bytes().header(1).u32(NDARRAY_V2_MAGIC).i32(5).i32(1).i64(1).i32(1).i32(0).i32(0).f32(1);
    expectFileError(() => loadNDArrayFile(st.u64(0).bytes), /invalid storage type 5/);
    const csr = new Bytes().header(1).u32(NDARRAY_V2_MAGIC).i32(2).u64(0);
    expectFileError(() => loadNDArrayFile(csr.bytes), /'csr'/);
    const none = new Bytes().header(1).u32(NDARRAY_V2_MAGIC).i32(0).i32(0).u64(0);
    expectFileError(() => loadNDArrayFile(none.bytes), /none/);
    const noneV3 = new Bytes().header(1).u32(NDARRAY_V3_MAGIC).i32(0).i32(-1).u64(0);
    expectFileError(() => loadNDArrayFile(noneV3.bytes), /none/);
    const unknownDimV3 = new Bytes().header(1).u32(NDARRAY_V3_MAGIC).i32(0).i32(2).i64(2).i64(-1).u64(0);
    expectFileError(() => loadNDArrayFile(unknownDimV3.bytes), /unknown shape/);
    expectFileError(() => loadNDArrayFile(new Bytes().header(1).u32(0).u64(0).bytes), /legacy record, ndim 0/);
  });

  it('name list: wrong count, duplicates, bad lengths, invalid UTF-8, trailing bytes', () => {
    const two = () => new Bytes().header(2).v2([1], [1]).v2([1], [2]);
    expectFileError(
      () => loadNDArrayFile(two().u64(1).str('a').bytes),
      /name count 1 must be 0 .* or equal the array count 2/,
    );
    const dup = expectFileError(() => loadNDArrayFile(two().u64(2).str('a').str('a').bytes), /duplicate name 'a'/);
    expect(dup.key).toBe('a');
    expect(dup.index).toBe(1);
    expectFileError(
      () =>
        loadNDArrayFile(
          two()
            .u64(2)
            .str('a')
            .u64(2n ** 62n).bytes,
        ),
      /name length 4611686018427387904/,
    );
    expectFileError(() => loadNDArrayFile(two().u64(2).str('a').u64(2).u8(0xc3, 0x28).bytes), /UTF-8/);
    expectFileError(() => loadNDArrayFile(two().u64(2).str('a').str('b').u8(0).bytes), /1 unexpected trailing bytes/);
    expectFileError(() => loadNDArrayFile(two().u64(0).u32(0).bytes), /trailing/);
    const ok = loadNDArrayFile(two().u64(2).str('a').str('').bytes);
    expect(ok.names).toEqual(['a', '']);
  });

  it('accepts a Uint8Array view at a non-zero, unaligned offset', () => {
    const bytes = mxnetFixture('bin/nd_dict.nd');
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(loadNDArrayFile(padded.subarray(3))).toEqual(loadNDArrayFile(bytes));
  });
});

describe('writer validation', () => {
  const a = { shape: [2], data: Float32Array.from([1, 2]) };
  it('rejects inconsistent input with clear errors', () => {
    expect(() => saveNDArrayFile({ names: ['x', 'y'], arrays: [a] })).toThrow(/2 names for 1 arrays/);
    expect(() => saveNDArrayFile({ names: ['x', 'x'], arrays: [a, a] })).toThrow(/duplicate name 'x'/);
    expect(() => saveNDArrayFile({ names: null, arrays: [{ shape: [3], data: a.data }] })).toThrow(
      /shape \[3\] has 3 elements but data has 2/,
    );
    expect(() => saveNDArrayFile({ names: ['s'], arrays: [{ shape: [], data: Float32Array.from([1]) }] })).toThrow(
      /'s' is 0-d/,
    );
    expect(() => saveNDArrayFile({ names: null, arrays: [{ shape: [2, 0], data: new Float32Array(0) }] })).toThrow(
      /zero size/,
    );
    expect(() => saveNDArrayFile({ names: null, arrays: [{ shape: [-2], data: a.data }] })).toThrow(/invalid shape/);
    expect(() =>
      saveNDArrayFile({ names: null, arrays: [{ shape: [2], data: [1, 2] as unknown as Float32Array }] }),
    ).toThrow(/Float32Array/);
  });

  it('writes the documented header and V2 record bytes', () => {
    const out = saveNDArrayFile({ names: ['w'], arrays: [{ shape: [1, 2], data: Float32Array.from([0.5, -2]) }] });
    const want = new Bytes().header(1).v2([1, 2], [0.5, -2]).u64(1).str('w').bytes;
    expect(sameBytes(out, want)).toBe(true);
  });
});
