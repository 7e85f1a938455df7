// Public entry: `import mx from 'gluon-rnn-wasm'` or named imports of the same objects.
// Module paths mirror Python's mxnet: mx.nd, mx.nd.random, mx.gluon (nn, rnn, contrib.rnn), mx.init.

import { backendInfo, ready, shutdown } from './backend/index.js';
import * as gluon from './gluon/index.js';
import * as init from './init/index.js';
import * as nd from './ndarray/index.js';
import * as random from './random.js';

export type { BackendInfo, ReadyOptions } from './backend/index.js';
export { backendInfo, gluon, init, nd, random, ready, shutdown };

const mx = { nd, gluon, init, random, ready, shutdown, backendInfo };
export default mx;
