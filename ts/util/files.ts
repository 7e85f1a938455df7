// Synchronous file access where the runtime has a file system (Node, Bun, Deno), for
// saveParameters(path) / loadParameters(path). Browsers and edge runtimes use bytes.
import { describe } from './describe.js';

interface SyncFs {
  readFileSync(path: string): Uint8Array;
  writeFileSync(path: string, data: Uint8Array): void;
}

function syncFs(): SyncFs | null {
  const g = globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown };
    Deno?: { readFileSync(p: string): Uint8Array; writeFileSync(p: string, d: Uint8Array): void };
  };
  const mod = g.process?.getBuiltinModule?.('node:fs') as SyncFs | undefined;
  if (mod) return mod;
  if (g.Deno?.readFileSync)
    return { readFileSync: (p) => g.Deno!.readFileSync(p), writeFileSync: (p, d) => g.Deno!.writeFileSync(p, d) };
  return null;
}

export function readBytes(where: string, path: string): Uint8Array {
  const fs = syncFs();
  if (fs === null)
    throw new TypeError(
      `${where}: this runtime has no file system; pass the file's bytes (Uint8Array or ArrayBuffer) instead of the path '${path}'`,
    );
  return new Uint8Array(fs.readFileSync(path));
}

export function writeBytes(where: string, path: string, data: Uint8Array): void {
  const fs = syncFs();
  if (fs === null)
    throw new TypeError(
      `${where}: this runtime has no file system; use the returned bytes instead of the path '${path}'`,
    );
  fs.writeFileSync(path, data);
}

/** Bytes from a path (file systems only), a Uint8Array/typed array, or an ArrayBuffer. */
export function sourceBytes(where: string, source: unknown): { bytes: Uint8Array; name: string } {
  if (typeof source === 'string') return { bytes: readBytes(where, source), name: source };
  if (source instanceof Uint8Array) return { bytes: source, name: '<bytes>' };
  if (ArrayBuffer.isView(source))
    return { bytes: new Uint8Array(source.buffer, source.byteOffset, source.byteLength), name: '<bytes>' };
  if (
    source instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)
  ) {
    return { bytes: new Uint8Array(source), name: '<bytes>' };
  }
  throw new TypeError(`${where}: expected a path, a Uint8Array or an ArrayBuffer, got ${describe(source)}`);
}
