// The initializers' bulk uniform fill (random.ts `fillUniform`, one loop over the generator's
// state) continues the package's one stream exactly as `nd.random.uniform` draws it, value by
// value: the same seed gives the same weights whichever path drew them, and the draws after it
// continue from the same state. Bulk conversion in `nd.array` keeps float32 rounding.
import { beforeAll, describe, expect, it } from 'vitest';
import mx from '../../ts/index.js';

beforeAll(async () => {
  await mx.ready({ threads: 1 });
});

describe('random stream of the uniform initializers', () => {
  it('Uniform and Xavier fills equal nd.random.uniform draws from the same seed', () => {
    const shape = [37, 29];
    mx.random.seed(1234);
    const p = new mx.gluon.Parameter('w', { shape, init: new mx.init.Uniform(0.25) });
    p.initialize();
    const after = mx.nd.random.uniform(0, 1, [5]).toFloat32Array();
    mx.random.seed(1234);
    const ref = mx.nd.random.uniform(-0.25, 0.25, shape).toFloat32Array();
    const refAfter = mx.nd.random.uniform(0, 1, [5]).toFloat32Array();
    expect(Array.from(p.data().toFloat32Array())).toEqual(Array.from(ref));
    expect(Array.from(after)).toEqual(Array.from(refAfter));

    // Xavier (uniform, avg, magnitude 3): scale = sqrt(3 / ((fan_in + fan_out) / 2)).
    mx.random.seed(99);
    const q = new mx.gluon.Parameter('x', { shape, init: new mx.init.Xavier() });
    q.initialize();
    mx.random.seed(99);
    const scale = Math.sqrt(3 / ((29 + 37) / 2));
    const xref = mx.nd.random.uniform(-scale, scale, shape).toFloat32Array();
    expect(Array.from(q.data().toFloat32Array())).toEqual(Array.from(xref));
  });

  it('nd.array converts typed arrays and nested numbers with float32 rounding', () => {
    const f64 = Float64Array.of(0.1, 1 / 3, 2 ** 30 + 1, -0, Number.NaN);
    expect(Array.from(mx.nd.array(f64).toFloat32Array())).toEqual(Array.from(Float32Array.from(f64)));
    expect(Array.from(mx.nd.array(BigInt64Array.of(5n, -7n) as never).toFloat32Array())).toEqual([5, -7]);
    expect(
      Array.from(
        mx.nd
          .array([
            [true, false],
            [0.1, 3],
          ])
          .toFloat32Array(),
      ),
    ).toEqual([1, 0, Math.fround(0.1), 3]);
  });
});
