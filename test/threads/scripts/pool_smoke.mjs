// Run by deno_bun_threads.test.ts under Deno and Bun: the pool on Web Workers, results
// bitwise equal to one thread, and `mx.shutdown()` lets the process end by itself.

import { backend } from '../../../dist/backend/index.js';
import mx from '../../../dist/index.js';

const info = await mx.ready({ threads: 2 });
const layer = new mx.gluon.rnn.GRU(48, { numLayers: 2, inputSize: 24, bidirectional: true });
layer.initialize(new mx.init.Uniform(0.3));
mx.random.seed(5);
const x = mx.nd.random.uniform(-1, 1, [15, 12, 24]);
const b = backend();
b.pool_set_threads(1);
const one = layer.forward(x).toFloat32Array();
b.pool_set_threads(2);
const two = layer.forward(x).toFloat32Array();
const same = one.length === two.length && one.every((v, i) => Object.is(v, two[i]));
console.log(JSON.stringify({ info, same }));
mx.shutdown();
