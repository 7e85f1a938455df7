// A runtime without WebAssembly SIMD gets a clear error from ready() (own file: a fresh
// module instance whose backend was never readied).
import { afterAll, describe, expect, it } from 'vitest';
import mx from '../../ts/index.js';

describe('runtime without WebAssembly SIMD', () => {
  const validate = WebAssembly.validate;
  afterAll(() => {
    WebAssembly.validate = validate;
  });

  it('ready() rejects with an error naming simd128, and compute still says to await ready()', async () => {
    WebAssembly.validate = () => false;
    await expect(mx.ready({ threads: 1 })).rejects.toThrow(/does not support WebAssembly SIMD \(simd128\)/);
    expect(mx.backendInfo()).toBeNull();
    expect(() => mx.nd.dot(mx.nd.ones([1, 1]), mx.nd.ones([1, 1]))).toThrow(/await mx\.ready\(\)/);
    WebAssembly.validate = validate;
    await expect(mx.ready({ threads: 1 })).resolves.toMatchObject({ build: 'simd', threads: 1 });
  });
});
