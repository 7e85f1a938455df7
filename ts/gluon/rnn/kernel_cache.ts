// One packed kernel per block, rebuilt when any of its Parameters changes (their `version`
// counters), when the backend's memory budget released it, or when a trap replaced the wasm
// instance it lived in. Released at once by `dispose()`; a dropped block's kernel stays in the
// budget's least-recently-used list (ts/backend/packed_cache.ts) until evicted. No finalizer:
// its registrations would keep every dropped kernel reachable until the event loop turns, so a
// synchronous create -> forward -> drop loop would grow the JS heap without bound.

import type { Parameter } from '../parameter.js';

interface Kernel {
  /** True when the kernel must be rebuilt before use. */
  readonly released: boolean;
  dispose(): void;
}

/** The packed kernel of one block, rebuilt from its Parameters whenever it is stale. */
export class KernelCache<K extends Kernel> {
  private kernel: K | null = null;
  private params: Parameter[] = [];
  private versions: number[] = [];
  private key = '';

  /** The cached kernel for `params` (and `key`, any other build input), rebuilt when stale. */
  get(params: Parameter[], key: string, build: () => K): K {
    const k = this.kernel;
    let fresh = k !== null && !k.released && key === this.key && params.length === this.params.length;
    for (let i = 0; fresh && i < params.length; i++) {
      const p = params[i] as Parameter;
      fresh = p === this.params[i] && p.version === this.versions[i];
    }
    if (fresh) return k as K;
    this.dispose();
    const built = build();
    this.kernel = built;
    this.params = [...params];
    this.versions = params.map((p) => p.version);
    this.key = key;
    return built;
  }

  /** Frees the kernel's wasm memory now (it is rebuilt if the block is used again). */
  dispose(): void {
    if (this.kernel !== null) {
      this.kernel.dispose();
      this.kernel = null;
      this.params = [];
      this.versions = [];
    }
  }
}
