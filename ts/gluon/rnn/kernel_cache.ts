// One packed kernel per block, rebuilt when any of its Parameters changes (their `version`
// counters) and released by `dispose()` or, failing that, when the owner is collected.

import type { Parameter } from '../parameter.js';

interface Disposable {
  dispose(): void;
}

// Some runtimes (workerd before compatibility date 2025-05-05) have no FinalizationRegistry:
// kernels are then released by `dispose()` only.
const finalizer =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<Disposable>((k) => {
        try {
          k.dispose();
        } catch {
          // the backend may already be gone at shutdown
        }
      })
    : null;

export class KernelCache<K extends Disposable> {
  private kernel: K | null = null;
  private params: Parameter[] = [];
  private versions: number[] = [];
  private key = '';

  /** The cached kernel for `params` (and `key`, any other build input), rebuilt when stale. */
  get(params: Parameter[], key: string, build: () => K): K {
    const k = this.kernel;
    if (
      k !== null &&
      key === this.key &&
      params.length === this.params.length &&
      params.every((p, i) => p === this.params[i] && p.version === this.versions[i])
    ) {
      return k;
    }
    this.dispose();
    const fresh = build();
    this.kernel = fresh;
    this.params = [...params];
    this.versions = params.map((p) => p.version);
    this.key = key;
    finalizer?.register(this, fresh, fresh);
    return fresh;
  }

  dispose(): void {
    if (this.kernel !== null) {
      finalizer?.unregister(this.kernel);
      this.kernel.dispose();
      this.kernel = null;
      this.params = [];
      this.versions = [];
    }
  }
}
