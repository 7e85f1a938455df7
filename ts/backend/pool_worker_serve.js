// The body of a pool worker (Node worker_threads, or a module Web Worker in browsers, Deno
// and Bun): instantiates the threaded build over the shared memory it is sent, reports
// ready, then serves parts inside wasm until the pool shuts down. Plain JavaScript so the
// same files run from ts/ (tests) and dist/ (the package) without compilation.

const nodeWorkerThreads = globalThis.process?.getBuiltinModule?.('node:worker_threads');
const port = nodeWorkerThreads?.parentPort ?? null;
const post = (msg) => (port ? port.postMessage(msg) : globalThis.postMessage(msg));

/** Serves the pool with `glue`, the wasm-bindgen module of one threaded build. */
export function serveWith(glue) {
  const serve = ({ module, memory, index, stackSize }) => {
    let deadPtr = -1;
    try {
      glue.initSync({ module, memory, thread_stack_size: stackSize });
      deadPtr = glue.pool_dead_flag_ptr(index);
      post({ type: 'ready', index });
      glue.pool_worker_run(index);
      post({ type: 'exit', index });
    } catch (e) {
      // Tell a caller that may be waiting on this worker's part, then report.
      if (deadPtr >= 0) Atomics.store(new Int32Array(memory.buffer), deadPtr >> 2, 1);
      post({ type: 'error', index, message: e instanceof Error ? e.message : String(e) });
    }
    if (port) port.close();
    else globalThis.close?.();
  };
  if (port) port.once('message', serve);
  else globalThis.addEventListener('message', (ev) => serve(ev.data), { once: true });
}
