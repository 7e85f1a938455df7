import { describe, expect, it } from 'vitest';
import { load, NDArrayFileError, save } from '../../ts/io/nd_io.js';
import { NDArray } from '../../ts/ndarray/ndarray.js';
import { sameBytes } from '../gluon/helpers.js';
import { binFiles, mxnetFixture } from './fixtures.js';

const files = binFiles();
const recorded = files['nd_dict.nd']!.arrays!.map((a) => new NDArray(Float32Array.from(a.data), a.shape));

describe('nd.save / nd.load', () => {
  it('save(dict) and save(list) are byte-identical to MXNet nd.save', () => {
    const [a, b, c] = recorded as [NDArray, NDArray, NDArray];
    expect(sameBytes(save({ alpha: a, 'b.2:x': b, ünï: c }), mxnetFixture('bin/nd_dict.nd'))).toBe(true);
    expect(
      sameBytes(
        save(
          new Map([
            ['alpha', a],
            ['b.2:x', b],
            ['ünï', c],
          ]),
        ),
        mxnetFixture('bin/nd_dict.nd'),
      ),
    ).toBe(true);
    expect(sameBytes(save([a, b, c]), mxnetFixture('bin/nd_list.nd'))).toBe(true);
    expect(sameBytes(save([]), mxnetFixture('bin/nd_empty_list.nd'))).toBe(true);
    expect(sameBytes(save({}), mxnetFixture('bin/nd_empty_dict.nd'))).toBe(true);
  });

  it('load returns a dict for named files and a list otherwise', () => {
    const d = load(mxnetFixture('bin/nd_dict.nd'));
    expect(Array.isArray(d)).toBe(false);
    const dict = d as Record<string, NDArray>;
    expect(Object.keys(dict)).toEqual(['alpha', 'b.2:x', 'ünï']);
    expect(dict.alpha).toBeInstanceOf(NDArray);
    expect(dict.alpha!.shape).toEqual([2, 3]);
    expect(dict.ünï!.toFloat32Array()).toEqual(recorded[2]!.toFloat32Array());

    const l = load(mxnetFixture('bin/nd_list.nd'));
    expect(Array.isArray(l)).toBe(true);
    expect((l as NDArray[]).map((x) => x.shape)).toEqual([[2, 3], [4], [1, 2, 2, 1]]);
    // Python: an empty dict is saved without names and loads back as an empty list
    expect(load(mxnetFixture('bin/nd_empty_dict.nd'))).toEqual([]);
  });

  it('accepts ArrayBuffer and other views', () => {
    const bytes = mxnetFixture('bin/gru_paramdict.params');
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const fromAb = load(ab) as Record<string, NDArray>;
    expect(Object.keys(fromAb)).toEqual([
      'gru0_l0_i2h_weight',
      'gru0_l0_h2h_weight',
      'gru0_l0_i2h_bias',
      'gru0_l0_h2h_bias',
    ]);
    expect(fromAb.gru0_l0_i2h_weight!.shape).toEqual([9, 5]);
    const fromView = load(new DataView(ab)) as Record<string, NDArray>;
    expect(fromView.gru0_l0_h2h_weight!.toFloat32Array()).toEqual(fromAb.gru0_l0_h2h_weight!.toFloat32Array());
  });

  it('round trips V3 scalars and other dtypes as float32 NDArrays', () => {
    const v3 = load(mxnetFixture('bin/nd_v3_npshape.nd')) as Record<string, NDArray>;
    expect(v3.scalar!.shape).toEqual([]);
    expect(v3.scalar!.toFloat32Array()).toEqual(Float32Array.from([1.5]));
    expect(v3.zero!.shape).toEqual([2, 0]);
    const dt = load(mxnetFixture('bin/nd_dtypes.nd')) as Record<string, NDArray>;
    expect(dt.i8!.dtype).toBe('float32');
    expect([...dt.i8!.toFloat32Array()]).toEqual([-128, -1, 0, 127]);
    expect([...dt.u8!.toFloat32Array()]).toEqual([0, 1, 200, 255]);
  });

  it("a '__proto__' key is an ordinary entry", () => {
    const x = new NDArray(Float32Array.from([1, 2]), [2]);
    const bytes = save(new Map([['__proto__', x]]));
    const d = load(bytes) as Record<string, NDArray>;
    expect(Object.keys(d)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(d, '__proto__')?.value).toBeInstanceOf(NDArray);
    expect(Object.getPrototypeOf(d)).toBeNull();
  });

  it('save of a single NDArray writes a one-element list', () => {
    const x = new NDArray(Float32Array.from([1, 2, 3]), [3]);
    const l = load(save(x)) as NDArray[];
    expect(l.length).toBe(1);
    expect(l[0]!.toFloat32Array()).toEqual(x.toFloat32Array());
  });

  it('clear errors', () => {
    expect(() => save({ a: [1, 2] as unknown as NDArray })).toThrow(/'a' is not an NDArray/);
    expect(() => save([null as unknown as NDArray])).toThrow(/list element 0 is not an NDArray/);
    expect(() => save(42 as unknown as NDArray[])).toThrow(TypeError);
    expect(() => load('model.params' as unknown as Uint8Array)).toThrow(/Uint8Array, ArrayBuffer/);
    expect(() => load(new Uint8Array(10))).toThrow(NDArrayFileError);
    expect(() => load(mxnetFixture('bin/nd_sparse.nd'))).toThrow(/sparse storage/);
  });
});
