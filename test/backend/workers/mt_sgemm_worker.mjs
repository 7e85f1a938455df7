// Worker side of threaded_build.test.ts: instantiates the threaded build over the shared
// memory it is given and runs the same SGEMM as the main thread.
import { parentPort, workerData } from 'node:worker_threads';

const { glueUrl, module, memory, a, b, m, n, k } = workerData;
const glue = await import(glueUrl);
glue.initSync({ module, memory, thread_stack_size: 1 << 20 });
const c = new Float32Array(m * n);
glue.sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
parentPort.postMessage({ c, threads: glue.threads_enabled(), shared: memory.buffer instanceof SharedArrayBuffer });
