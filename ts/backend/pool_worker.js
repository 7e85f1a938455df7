// Pool worker of the simd-threads build. One static import per build (no dynamic import):
// bundlers then emit each worker as a single file in their default worker format.
import * as glue from './generated/simd-threads/gluon_wasm.js';
import { serveWith } from './pool_worker_serve.js';

serveWith(glue);
