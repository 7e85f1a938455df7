// The simd-threads build instantiates over one shared WebAssembly.Memory on the main
// thread and in a Node worker_thread, and both compute the same SGEMM.
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { importedMemoryLimits } from '../../ts/backend/wasm_imports.js';

const dir = new URL('../../ts/backend/generated/simd-threads/', import.meta.url);

describe('simd-threads build over a SharedArrayBuffer memory', () => {
  it('computes the same result on the main thread and in a worker_thread', async () => {
    const bytes = fs.readFileSync(new URL('gluon_wasm_bg.wasm', dir));
    const limits = importedMemoryLimits(bytes);
    expect(limits?.shared).toBe(true);
    const memory = new WebAssembly.Memory({
      initial: limits!.initial,
      maximum: limits!.maximum ?? 65536,
      shared: true,
    });
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const module = await WebAssembly.compile(bytes);
    const glueUrl = new URL('gluon_wasm.js', dir).href;
    const glue = await import(/* @vite-ignore */ glueUrl);
    glue.initSync({ module, memory });
    expect(glue.threads_enabled()).toBe(true);

    const [m, n, k] = [33, 17, 65];
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
    const mainC = new Float32Array(m * n);
    glue.sgemm(false, false, m, n, k, 1, a, k, b, n, 0, mainC, n);

    const worker = new Worker(new URL('./workers/mt_sgemm_worker.mjs', import.meta.url), {
      workerData: { glueUrl, module, memory, a, b, m, n, k },
    });
    const reply = await new Promise<{ c: Float32Array; threads: boolean; shared: boolean }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(reply.threads).toBe(true);
    expect(reply.shared).toBe(true);
    expect([...reply.c]).toEqual([...mainC]);
    let ref = 0;
    for (let p = 0; p < k; p++) ref += a[p]! * b[p * n]!;
    expect(mainC[0]).toBeCloseTo(ref, 4);
  });
});
