// Creation with a dtype other than float32 (issue 12's porting friction: `nd.array(ids,
// { dtype: 'int32' })`). Expected values are what MXNet 1.9.1 (numpy 1.23.5) returns for
// `mx.nd.array(src, dtype=...)`, `mx.nd.zeros/full(..., dtype=...)`, stored here as float32.

import { beforeAll, describe, expect, it } from 'vitest';
import mx, { ready } from '../../ts/index.js';

const nd = mx.nd;
const SRC = [1.7, -2.5, 300, -1, 16777216, -129.9];

beforeAll(async () => {
  await ready();
});

describe('integer and bool dtypes convert as MXNet does, into float32 storage', () => {
  it('nd.array from nested arrays: truncation, wrapping to the type', () => {
    const got = (dtype: 'int32' | 'int64' | 'uint8' | 'int8') => Array.from(nd.array(SRC, { dtype }).data);
    expect(got('int32')).toEqual([1, -2, 300, -1, 16777216, -129]);
    expect(got('int64')).toEqual([1, -2, 300, -1, 16777216, -129]);
    expect(got('uint8')).toEqual([1, 254, 44, 255, 0, 127]);
    expect(got('int8')).toEqual([1, -2, 44, -1, 0, 127]);
    expect(Array.from(nd.array([0, 0.5, -2, true, false], { dtype: 'bool' }).data)).toEqual([0, 1, 1, 1, 0]);
  });

  it('storage stays float32; ids are exact up to 2^24', () => {
    const ids = nd.array([[3, 16777215, 16777216]], { dtype: 'int32' });
    expect(ids.dtype).toBe('float32');
    expect(ids.shape).toEqual([1, 3]);
    expect(Array.from(ids.data)).toEqual([3, 16777215, 16777216]);
  });

  it('positional dtype, typed arrays, NDArrays and numbers as sources', () => {
    expect(Array.from(nd.array(new Float64Array([2.9999999999, -0.5]), [2], null, 'int32').data)).toEqual([2, 0]);
    expect(Array.from(nd.array(new Float32Array([3.9, -0.5]), { dtype: 'uint8' }).data)).toEqual([3, 0]);
    expect(Array.from(nd.array(nd.array([[1.5, -2.5]]), { dtype: 'int32' }).data)).toEqual([1, -2]);
    expect(Array.from(nd.array(7.8, { dtype: 'int64' }).data)).toEqual([7]);
  });

  it('zeros, ones and full take the dtype too', () => {
    expect(Array.from(nd.zeros([2], { dtype: 'int32' }).data)).toEqual([0, 0]);
    expect(Array.from(nd.ones(2, null, 'int8').data)).toEqual([1, 1]);
    expect(Array.from(nd.full([2], 2.7, { dtype: 'int32' }).data)).toEqual([2, 2]);
    expect(Array.from(nd.full([2], -1, { dtype: 'uint8' }).data)).toEqual([255, 255]);
  });

  it('an Embedding looks up int32 ids like float ones', async () => {
    const emb = new mx.gluon.nn.Embedding(5, 2, { weightInitializer: new mx.init.Uniform(1) });
    emb.initialize();
    const a = emb.forward(nd.array([[0, 4, 2]], { dtype: 'int32' }));
    const b = emb.forward(nd.array([[0, 4, 2]]));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('other dtypes and values without an integer throw, naming the function and the value', () => {
    expect(() => nd.array([1], { dtype: 'float64' } as never)).toThrow(
      /nd\.array: dtype must be 'float32', an integer dtype \(int8, uint8, int32, int64\) or 'bool' \(stored as float32\), got "float64"$/,
    );
    expect(() => nd.zeros([1], { dtype: 'float16' } as never)).toThrow(
      /nd\.zeros: dtype must be 'float32'.*got "float16"$/,
    );
    expect(() => nd.array([Number.NaN], { dtype: 'int32' })).toThrow('nd.array: cannot convert NaN to int32');
    expect(() => nd.full([1], Number.POSITIVE_INFINITY, { dtype: 'int64' })).toThrow(
      'nd.full: cannot convert Infinity to int64',
    );
    // random draws are float only, as in MXNet
    expect(() => nd.random.uniform(0, 1, [2], 'int32' as never)).toThrow(/dtype must be 'float32'/);
  });
});
