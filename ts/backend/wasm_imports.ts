// Reads the limits of a module's imported memory from its binary, so a shared memory
// can be created with exactly the size the threaded build declares.

function leb(bytes: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= bytes.length) throw new Error('wasm binary: truncated LEB128');
    const b = bytes[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [result, pos];
    if (shift > 35) throw new Error('wasm binary: LEB128 too long');
  }
}

export interface MemoryLimits {
  initial: number;
  maximum: number | null;
  shared: boolean;
}

/** The imported memory's limits (in 64 KiB pages), or null when the module imports none. */
export function importedMemoryLimits(bytes: Uint8Array): MemoryLimits | null {
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++]!;
    let size: number;
    [size, pos] = leb(bytes, pos);
    const end = pos + size;
    if (id === 2) {
      let count: number;
      [count, pos] = leb(bytes, pos);
      for (let i = 0; i < count; i++) {
        for (let s = 0; s < 2; s++) {
          let len: number;
          [len, pos] = leb(bytes, pos);
          pos += len;
        }
        const kind = bytes[pos++]!;
        if (kind === 0 || kind === 4) {
          [, pos] = leb(bytes, pos); // function / tag: type index (tag: attribute first)
          if (kind === 4) [, pos] = leb(bytes, pos);
        } else if (kind === 1) {
          pos += 1; // table: element type, then limits
          const flags = bytes[pos++]!;
          [, pos] = leb(bytes, pos);
          if (flags & 1) [, pos] = leb(bytes, pos);
        } else if (kind === 2) {
          const flags = bytes[pos++]!;
          let initial: number;
          let maximum: number | null = null;
          [initial, pos] = leb(bytes, pos);
          if (flags & 1) [maximum, pos] = leb(bytes, pos);
          return { initial, maximum, shared: (flags & 2) !== 0 };
        } else if (kind === 3) {
          pos += 2; // global: value type, mutability
        } else {
          throw new Error(`wasm binary: unknown import kind ${kind}`);
        }
      }
      return null;
    }
    pos = end;
  }
  return null;
}
