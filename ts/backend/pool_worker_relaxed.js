// Pool worker of the relaxed-threads build (see pool_worker.js).
import * as glue from './generated/relaxed-threads/gluon_wasm.js';
import { serveWith } from './pool_worker_serve.js';

serveWith(glue);
