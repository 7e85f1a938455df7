// Every live kernel's packed weights and scratch under one memory budget. A kernel is
// touched on each use; past the budget the least recently used are released, and their
// owners re-pack them from the JavaScript-owned parameters on next use. Finalizers cannot
// bound wasm memory (V8 does not see it, so they run too late), the budget does.

/** A kernel as the cache sees it. */
export interface CachedKernel {
  /** Bytes of wasm memory it holds now. */
  heldBytes(): number;
  /** Frees its wasm memory; the kernel is then unusable. */
  release(): void;
  /** Forgets its handle without calling into wasm (the instance was replaced). */
  abandon(): void;
}

/** Default budget: 256 MiB. */
export const DEFAULT_CACHE_BYTES = 256 * 2 ** 20;

// A Map iterates in insertion order; re-inserting on use keeps it least-recent first.
const entries = new Map<CachedKernel, number>();
/** The most recently touched kernel: touching it again with the same size changes nothing. */
let newest: CachedKernel | null = null;
let total = 0;
let budget = DEFAULT_CACHE_BYTES;

/** Sets the budget (bytes) and evicts down to it. */
export function setCacheBudget(bytes: number): void {
  budget = bytes;
  evictBeyond(budget, null);
}

/** Marks `k` most recently used and records what it holds; evicts others beyond the budget. */
export function touch(k: CachedKernel): void {
  const held = k.heldBytes();
  const before = entries.get(k);
  if (k === newest && held === before) return;
  newest = k;
  total += held - (before ?? 0);
  entries.delete(k);
  entries.set(k, held);
  evictBeyond(budget, k);
}

/** Removes `k` (it was released by its owner). */
export function forget(k: CachedKernel): void {
  const held = entries.get(k);
  if (held === undefined) return;
  if (k === newest) newest = null;
  total -= held;
  entries.delete(k);
}

/** Releases least recently used kernels (never `keep`) until at most `limit` bytes are held. */
function evictBeyond(limit: number, keep: CachedKernel | null): void {
  for (const k of entries.keys()) {
    if (total <= limit) return;
    if (k !== keep) k.release(); // calls forget()
  }
}

/** Releases every kernel but `keep` (to make room for a call that does not fit otherwise). */
export function evictAll(keep: CachedKernel | null): void {
  for (const k of [...entries.keys()]) if (k !== keep) k.release();
}

/** Drops every kernel without touching wasm: the instance they lived in is gone. */
export function abandonAll(): void {
  for (const k of entries.keys()) k.abandon();
  entries.clear();
  newest = null;
  total = 0;
}

/** Bytes held by cached kernels and how many there are (for tests and the bench). */
export function cacheStats(): { bytes: number; kernels: number; budget: number } {
  return { bytes: total, kernels: entries.size, budget };
}
