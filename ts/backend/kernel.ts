// The base of every wasm kernel handle JavaScript keeps (recurrent layers and cells, their
// training handle, Dense): membership in the packed-weight cache (./packed_cache.ts), release
// and abandonment, and calls through the handle's staging area.

import { backendGeneration, ensureRoom, guarded, wasmHeapF32 } from './index.js';
import { type CachedKernel, forget, touch } from './packed_cache.js';

/**
 * A wasm-bindgen handle with a staging area (`stage(len)` reserves `len` floats and returns
 * their address); `__destroy_into_raw` forgets it without freeing (see `abandon`).
 */
export type Handle = { free(): void; held_bytes(): number; stage(len: number): number; __destroy_into_raw?(): number };

/** The bookkeeping every kernel handle shares: cache membership, release, abandonment, staging. */
export abstract class Kernel<H extends Handle> implements CachedKernel {
  protected handle: H | null = null;
  private readonly generation = backendGeneration();
  /** The staging area's address and size in floats, once `stage` has made it that large. */
  private areaPtr = 0;
  private areaFloats = 0;

  /** True once released (by `dispose`, the cache, or a replaced instance): build a new one. */
  get released(): boolean {
    return this.handle === null || this.generation !== backendGeneration();
  }

  /** The live handle, or an error naming `what` when the kernel was released. */
  protected live(what: string): H {
    if (this.released || this.handle === null) throw new Error(`${what}: used after it was released`);
    return this.handle;
  }

  heldBytes(): number {
    return this.handle === null ? 0 : this.handle.held_bytes();
  }

  release(): void {
    forget(this);
    if (this.handle === null) return;
    const h = this.handle;
    this.handle = null;
    if (this.generation === backendGeneration()) h.free();
    else h.__destroy_into_raw?.();
  }

  abandon(): void {
    // The handle's pointer belongs to a discarded instance: unregister its finalizer so it is
    // never freed into the new one.
    this.handle?.__destroy_into_raw?.();
    this.handle = null;
  }

  dispose(): void {
    this.release();
  }

  /**
   * One call through the staging area: the inputs are written there one after the other,
   * `run()` computes, and the `outLen` floats after the inputs are copied out. The area is
   * grown (after a memory check) only when a call is larger than any before, so a
   * steady-state call makes no allocation and no extra call into wasm. The outputs go into
   * `into` when given (`outLen` floats; untouched when the call fails), else a new array.
   */
  protected staged(
    what: string,
    handle: H,
    inputs: ArrayLike<number>[],
    outLen: number,
    run: () => void,
    into?: Float32Array,
  ): Float32Array {
    const at = this.exchange(what, handle, inputs, outLen, run);
    const heap = wasmHeapF32(at + outLen);
    if (into === undefined) return heap.slice(at, at + outLen);
    into.set(heap.subarray(at, at + outLen));
    return into;
  }

  /**
   * {@link staged} with consecutive outputs of lengths `lens`, each copied out into an array
   * of its own: views into one copied-out array would make V8 move a small array's data off
   * its heap (a new backing store, and garbage, on every token).
   */
  protected stagedParts(
    what: string,
    handle: H,
    inputs: ArrayLike<number>[],
    lens: readonly number[],
    run: () => void,
  ): Float32Array[] {
    let total = 0;
    for (const l of lens) total += l;
    let at = this.exchange(what, handle, inputs, total, run);
    const heap = wasmHeapF32(at + total);
    const parts: Float32Array[] = [];
    for (const l of lens) {
      parts.push(heap.slice(at, at + l));
      at += l;
    }
    return parts;
  }

  /**
   * Writes the inputs, runs the call, and returns where its `outLen` outputs start in
   * {@link wasmHeapF32} (a float index).
   */
  private exchange(what: string, handle: H, inputs: ArrayLike<number>[], outLen: number, run: () => void): number {
    let inLen = 0;
    for (const a of inputs) inLen += a.length;
    const len = inLen + outLen;
    if (len > this.areaFloats) {
      ensureRoom(what, len * 4, len * 4, this);
      this.areaPtr = guarded(what, () => handle.stage(len));
      this.areaFloats = len;
    }
    const base = this.areaPtr / 4;
    const heap = wasmHeapF32(base + len);
    let at = base;
    for (const a of inputs) {
      heap.set(a, at);
      at += a.length;
    }
    guarded(what, run);
    touch(this);
    return base + inLen;
  }
}

/** Throws the error a per-token wasm call returned (it returns rather than throws: crates/wasm/src/staging.rs `returned`). */
export function rethrow(err: unknown): void {
  if (err !== undefined) throw err;
}
