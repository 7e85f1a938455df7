// mx.random's uniform fill in wasm on the threaded build (shared memory): the same values
// as the JavaScript loop, as on the single-thread build (test/backend/random_fill.test.ts).
import { afterAll, describe, expect, it } from 'vitest';
import mx from '../../ts/index.js';
import { expectSameStream, FILL_LENGTHS, fillAllocatesInWasm } from '../helpers/random_fill.js';

describe('fillUniform in wasm (threaded build)', () => {
  afterAll(() => mx.shutdown());

  it('draws the same stream as the JavaScript loop', async () => {
    const info = await mx.ready({ threads: 2 });
    expect(info.build).toBe('simd-threads');
    expect(fillAllocatesInWasm(4096)).toBe(true);
    for (const n of FILL_LENGTHS) expectSameStream(n, 42, -0.07, 0.07);
  });
});
