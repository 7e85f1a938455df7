// MXNet 1.x NDArray-list binary format (`.params` files, `nd.save` / `nd.load`), pure TypeScript.
// Byte-level specification: docs/reference/params-format.md (MXNet 1.9.1 `src/ndarray/ndarray.cc`).
//
// Reading accepts every record version MXNet 1.x reads: V2 (0xF993FAC9, what MXNet >= 1.0 writes),
// V3 (0xF993FACA, numpy-shape mode: 0-d scalars and zero-size arrays), V1 (0xF993FAC8) and the
// pre-V1 legacy record whose first u32 is `ndim`. Every dtype MXNet 1.x defines is read and
// CONVERTED TO FLOAT32 (the only dtype this package computes in): float64 and (u)int32/64 are rounded
// to the nearest float32 (integers above 2^24 lose low bits), float16/bfloat16 widen exactly,
// bool/int8/uint8/int16/uint16 are exact. The original dtype is reported in `dtype`.
// Rejected with an NDArrayFileError: sparse storage (row_sparse, csr), uninitialised ("none")
// arrays, unknown dtype flags, truncation, trailing bytes, a name count other than 0 or n,
// duplicate or non-UTF-8 names, negative or absurd sizes. Every read is bounds-checked against the
// buffer before anything is allocated from a size found in the file, so any input is parsed in
// time and memory linear in its length.
//
// Writing produces exactly what MXNet 1.9.1 `nd.save` / `save_parameters` writes for float32 arrays
// (V2 records, dense, context cpu(0)), byte for byte.

/** Thrown for any malformed or unsupported NDArray file. `offset` is the byte offset of the problem. */
export class NDArrayFileError extends Error {
  /** Byte offset in the file where the problem is. */
  readonly offset: number;
  /** Index of the array record (or name) involved, when there is one. */
  readonly index: number | undefined;
  /** The array's name, when known. */
  readonly key: string | undefined;

  constructor(message: string, offset: number, index?: number, key?: string) {
    super(message);
    this.name = 'NDArrayFileError';
    this.offset = offset;
    this.index = index;
    this.key = key;
  }
}

export interface NDArrayRecord {
  shape: number[];
  /** Row-major values converted to float32. */
  data: Float32Array;
  /** The dtype stored in the file ('float32', 'float16', 'int64', ...). */
  dtype: string;
}

export interface NDArrayFile {
  /** Array names in file order, or null when the file was saved from a list (no names). */
  names: string[] | null;
  arrays: NDArrayRecord[];
}

export interface NDArrayEntry {
  shape: readonly number[];
  data: Float32Array;
}

export interface NDArrayFileInput {
  names: readonly string[] | null;
  arrays: readonly NDArrayEntry[];
}

// ---------------------------------------------------------------------------------------------------------------
// constants (docs/reference/params-format.md §1-§3)

const LIST_MAGIC = 0x112;
export const NDARRAY_V1_MAGIC = 0xf993fac8;
export const NDARRAY_V2_MAGIC = 0xf993fac9;
export const NDARRAY_V3_MAGIC = 0xf993faca;

interface DTypeInfo {
  name: string;
  bytes: number;
}

/** mshadow TypeFlag -> dtype (mshadow/base.h). */
const DTYPE_FLAGS: ReadonlyMap<number, DTypeInfo> = new Map([
  [0, { name: 'float32', bytes: 4 }],
  [1, { name: 'float64', bytes: 8 }],
  [2, { name: 'float16', bytes: 2 }],
  [3, { name: 'uint8', bytes: 1 }],
  [4, { name: 'int32', bytes: 4 }],
  [5, { name: 'int8', bytes: 1 }],
  [6, { name: 'int64', bytes: 8 }],
  [7, { name: 'bool', bytes: 1 }],
  [8, { name: 'int16', bytes: 2 }],
  [9, { name: 'uint16', bytes: 2 }],
  [10, { name: 'uint32', bytes: 4 }],
  [11, { name: 'uint64', bytes: 8 }],
  [12, { name: 'bfloat16', bytes: 2 }],
]);

const STORAGE_TYPES: Record<number, string> = { 1: 'row_sparse', 2: 'csr' };

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function hex(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}

// ---------------------------------------------------------------------------------------------------------------
// reader

class Reader {
  readonly view: DataView;
  readonly bytes: Uint8Array;
  pos = 0;
  /** Context appended to error messages (current record / name). */
  index: number | undefined = undefined;
  section = '';

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.byteLength;
  }

  get remaining(): number {
    return this.bytes.byteLength - this.pos;
  }

  fail(what: string, offset: number = this.pos, key?: string): never {
    const where = this.section ? `, ${this.section}` : '';
    throw new NDArrayFileError(
      `Invalid MXNet NDArray file: ${what} (at byte offset ${offset}${where}; file is ${this.length} bytes)`,
      offset,
      this.index,
      key,
    );
  }

  need(n: number, what: string): void {
    if (n > this.remaining) {
      this.fail(`truncated: ${what} needs ${n} bytes but only ${this.remaining} remain`);
    }
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  u64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
}

/** dmlc TShape: i32 ndim, then ndim x i64. `allowUnknown` (V3): ndim -1 / dim -1 mean "unknown" -> null. */
function readShape(r: Reader, allowUnknown: boolean): number[] | null {
  const at = r.pos;
  const ndim = r.i32('shape ndim');
  if (ndim === -1 && allowUnknown) return null;
  if (ndim < 0) r.fail(`negative shape ndim ${ndim}`, at);
  if (ndim * 8 > r.remaining) {
    r.fail(
      `truncated or corrupt: shape ndim ${ndim} needs ${ndim * 8} bytes of dimensions but only ${r.remaining} remain`,
      at,
    );
  }
  const shape: number[] = [];
  let unknown = false;
  for (let d = 0; d < ndim; d++) {
    const dimAt = r.pos;
    const v = r.i64(`shape dim ${d}`);
    if (v === -1n && allowUnknown) {
      unknown = true;
      shape.push(-1);
      continue;
    }
    if (v < 0n) r.fail(`negative dimension ${v} (dim ${d} of ${ndim})`, dimAt);
    if (v > MAX_SAFE) r.fail(`absurd dimension ${v} (dim ${d} of ${ndim})`, dimAt);
    shape.push(Number(v));
  }
  return unknown ? null : shape;
}

/** Legacy (pre-V1) shape: the u32 already read is ndim, then ndim x u32 dims. */
function readLegacyShape(r: Reader, ndim: number, at: number): number[] {
  if (ndim * 4 > r.remaining) {
    r.fail(
      `unknown record magic ${hex(ndim)}: read as a legacy record, its ndim ${ndim} needs ${ndim * 4} bytes of ` +
        `dimensions but only ${r.remaining} remain`,
      at,
    );
  }
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) shape.push(r.u32(`legacy shape dim ${d}`));
  return shape;
}

/** Number of elements, checked against the bytes left so no allocation can exceed the input size. */
function checkedSize(r: Reader, shape: number[], elemBytes: number, at: number): number {
  let size = 1n;
  for (const d of shape) size *= BigInt(d);
  if (size === 0n) return 0;
  const bytes = size * BigInt(elemBytes);
  if (bytes > BigInt(r.remaining)) {
    r.fail(
      `truncated or corrupt: shape (${shape.join(', ')}) has ${size} elements = ${bytes} bytes of data but only ` +
        `${r.remaining} bytes remain`,
      at,
    );
  }
  return Number(size);
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

function decodePayload(r: Reader, flag: number, size: number): Float32Array {
  const info = DTYPE_FLAGS.get(flag)!;
  const nbytes = size * info.bytes;
  r.need(nbytes, `${info.name} payload`);
  const off = r.pos;
  const v = r.view;
  const out = new Float32Array(size);
  if (flag === 0 && LITTLE_ENDIAN_HOST) {
    new Uint8Array(out.buffer).set(r.bytes.subarray(off, off + nbytes));
  } else {
    switch (flag) {
      case 0:
        for (let i = 0; i < size; i++) out[i] = v.getFloat32(off + 4 * i, true);
        break;
      case 1:
        for (let i = 0; i < size; i++) out[i] = v.getFloat64(off + 8 * i, true);
        break;
      case 2:
        for (let i = 0; i < size; i++) out[i] = halfToFloat(v.getUint16(off + 2 * i, true));
        break;
      case 3:
        for (let i = 0; i < size; i++) out[i] = v.getUint8(off + i);
        break;
      case 4:
        for (let i = 0; i < size; i++) out[i] = v.getInt32(off + 4 * i, true);
        break;
      case 5:
        for (let i = 0; i < size; i++) out[i] = v.getInt8(off + i);
        break;
      case 6:
        for (let i = 0; i < size; i++) out[i] = Number(v.getBigInt64(off + 8 * i, true));
        break;
      case 7:
        for (let i = 0; i < size; i++) out[i] = v.getUint8(off + i) !== 0 ? 1 : 0;
        break;
      case 8:
        for (let i = 0; i < size; i++) out[i] = v.getInt16(off + 2 * i, true);
        break;
      case 9:
        for (let i = 0; i < size; i++) out[i] = v.getUint16(off + 2 * i, true);
        break;
      case 10:
        for (let i = 0; i < size; i++) out[i] = v.getUint32(off + 4 * i, true);
        break;
      case 11:
        for (let i = 0; i < size; i++) out[i] = Number(v.getBigUint64(off + 8 * i, true));
        break;
      case 12: {
        const tmp = new DataView(new ArrayBuffer(4));
        for (let i = 0; i < size; i++) {
          tmp.setUint32(0, v.getUint16(off + 2 * i, true) << 16, false);
          out[i] = tmp.getFloat32(0, false);
        }
        break;
      }
    }
  }
  r.pos += nbytes;
  return out;
}

/** Context (ignored, as MXNet's loaders fall back to CPU), type flag, payload. */
function readBody(r: Reader, shape: number[]): NDArrayRecord {
  r.i32('context dev_type');
  r.i32('context dev_id');
  const flagAt = r.pos;
  const flag = r.i32('dtype flag');
  const info = DTYPE_FLAGS.get(flag);
  if (info === undefined) r.fail(`unknown dtype flag ${flag} (MXNet 1.x defines 0-12)`, flagAt);
  const size = checkedSize(r, shape, info.bytes, r.pos);
  return { shape, data: decodePayload(r, flag, size), dtype: info.name };
}

function readRecord(r: Reader): NDArrayRecord {
  const at = r.pos;
  const magic = r.u32('array record magic');
  if (magic === NDARRAY_V2_MAGIC || magic === NDARRAY_V3_MAGIC) {
    const v3 = magic === NDARRAY_V3_MAGIC;
    const stypeAt = r.pos;
    const stype = r.i32('storage type');
    if (stype !== 0) {
      const sname = STORAGE_TYPES[stype];
      if (sname !== undefined) {
        r.fail(
          `sparse storage type '${sname}' (stype ${stype}) is not supported; only dense arrays can be loaded ` +
            `(convert with x.tostype('default') before saving)`,
          stypeAt,
        );
      }
      r.fail(`invalid storage type ${stype} (expected 0 = dense)`, stypeAt);
    }
    const shapeAt = r.pos;
    const shape = readShape(r, v3);
    if (shape === null || (!v3 && shape.length === 0)) {
      r.fail('uninitialised (none) NDArray with an unknown shape is not supported', shapeAt);
    }
    return readBody(r, shape);
  }
  if (magic === NDARRAY_V1_MAGIC) {
    const shapeAt = r.pos;
    const shape = readShape(r, false)!;
    if (shape.length === 0) r.fail('uninitialised (none) NDArray (V1 record, ndim 0) is not supported', shapeAt);
    return readBody(r, shape);
  }
  // legacy record: the u32 is ndim
  if (magic === 0) r.fail('uninitialised (none) NDArray (legacy record, ndim 0) is not supported', at);
  const shape = readLegacyShape(r, magic, at);
  return readBody(r, shape);
}

/**
 * Parse an MXNet NDArray-list file (`nd.save`, `save_parameters`, `export`, `ParameterDict.save`).
 * Throws NDArrayFileError on anything malformed or unsupported; values are converted to float32.
 * `recordOffsets`, when given, receives the byte offset of each array record (for messages).
 */
export function loadNDArrayFile(bytes: Uint8Array, recordOffsets?: number[]): NDArrayFile {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`loadNDArrayFile: expected a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  }
  const r = new Reader(bytes);
  r.section = 'file header';
  if (r.length < 8) r.fail(`truncated: not an MXNet NDArray file (${r.length} bytes, the header alone is 24)`, 0);
  const magic = r.u64('header magic');
  if (magic !== BigInt(LIST_MAGIC)) {
    r.fail(`not an MXNet NDArray file: header magic is 0x${magic.toString(16)}, expected 0x112`, 0);
  }
  r.u64('reserved header field'); // MXNet reads and ignores it
  const countAt = r.pos;
  const n64 = r.u64('array count');
  // every record takes at least 4 bytes, and the name count takes 8
  if (n64 * 4n > BigInt(Math.max(0, r.remaining - 8))) {
    r.fail(`array count ${n64} cannot fit in the ${r.remaining} bytes that follow the header`, countAt);
  }
  const n = Number(n64);
  const arrays: NDArrayRecord[] = [];
  for (let i = 0; i < n; i++) {
    r.index = i;
    r.section = `array #${i} of ${n}`;
    recordOffsets?.push(r.pos);
    arrays.push(readRecord(r));
  }
  r.index = undefined;
  r.section = 'name list';
  const kAt = r.pos;
  const k64 = r.u64('name count');
  if (k64 !== 0n && k64 !== n64) {
    r.fail(`name count ${k64} must be 0 (saved from a list) or equal the array count ${n}`, kAt);
  }
  let names: string[] | null = null;
  if (k64 !== 0n) {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const seen = new Map<string, number>();
    names = [];
    for (let i = 0; i < n; i++) {
      r.index = i;
      r.section = `name #${i} of ${n}`;
      const lenAt = r.pos;
      const len64 = r.u64('name length');
      if (len64 > BigInt(r.remaining)) {
        r.fail(`truncated or corrupt: name length ${len64} but only ${r.remaining} bytes remain`, lenAt);
      }
      const len = Number(len64);
      let name = '';
      try {
        name = decoder.decode(bytes.subarray(r.pos, r.pos + len));
      } catch {
        r.fail('name is not valid UTF-8', r.pos);
      }
      const prev = seen.get(name);
      if (prev !== undefined) r.fail(`duplicate name '${name}' (also name #${prev})`, lenAt, name);
      seen.set(name, i);
      names.push(name);
      r.pos += len;
    }
  }
  r.index = undefined;
  r.section = 'end of file';
  if (r.remaining !== 0) r.fail(`${r.remaining} unexpected trailing bytes after the name list`);
  return { names, arrays };
}

// ---------------------------------------------------------------------------------------------------------------
// writer

/**
 * Serialise float32 arrays exactly as MXNet 1.9.1 `nd.save` does (V2 records, dense, cpu(0)).
 * `names === null` writes a list file (nd.load returns a list); otherwise one name per array.
 */
export function saveNDArrayFile(file: NDArrayFileInput): Uint8Array {
  const { names, arrays } = file;
  if (!Array.isArray(arrays)) throw new TypeError('saveNDArrayFile: `arrays` must be an array');
  if (names !== null) {
    if (!Array.isArray(names)) throw new TypeError('saveNDArrayFile: `names` must be an array of strings or null');
    if (names.length !== arrays.length) {
      throw new RangeError(`saveNDArrayFile: ${names.length} names for ${arrays.length} arrays`);
    }
  }
  const encoder = new TextEncoder();
  const encodedNames: Uint8Array[] = [];
  if (names !== null) {
    const seen = new Set<string>();
    names.forEach((name, i) => {
      if (typeof name !== 'string') throw new TypeError(`saveNDArrayFile: name #${i} is not a string`);
      if (seen.has(name)) throw new RangeError(`saveNDArrayFile: duplicate name '${name}' (name #${i})`);
      seen.add(name);
      encodedNames.push(encoder.encode(name));
    });
  }
  let total = 24 + 8;
  arrays.forEach((a, i) => {
    const label = names !== null ? `'${names[i]}'` : `#${i}`;
    if (!(a?.data instanceof Float32Array)) {
      throw new TypeError(`saveNDArrayFile: array ${label}: data must be a Float32Array`);
    }
    const shape = a.shape;
    if (!Array.isArray(shape)) throw new TypeError(`saveNDArrayFile: array ${label}: shape must be an array`);
    if (shape.length === 0) {
      throw new RangeError(
        `saveNDArrayFile: array ${label} is 0-d (shape ()); MXNet 1.x files outside numpy-shape mode cannot hold ` +
          'scalars, reshape it to [1]',
      );
    }
    let size = 1;
    for (const d of shape) {
      if (!Number.isSafeInteger(d) || d < 0) {
        throw new RangeError(`saveNDArrayFile: array ${label}: invalid shape [${shape.join(', ')}]`);
      }
      size *= d;
    }
    if (size === 0) {
      throw new RangeError(
        `saveNDArrayFile: array ${label} has zero size (shape [${shape.join(', ')}]); MXNet 1.x treats 0 as an ` +
          'unknown dimension and cannot load it',
      );
    }
    if (size !== a.data.length) {
      throw new RangeError(
        `saveNDArrayFile: array ${label}: shape [${shape.join(', ')}] has ${size} elements but data has ${a.data.length}`,
      );
    }
    total += 4 + 4 + 4 + 8 * shape.length + 4 + 4 + 4 + 4 * size;
  });
  for (const e of encodedNames) total += 8 + e.length;

  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  let p = 0;
  const u64 = (x: number) => {
    v.setBigUint64(p, BigInt(x), true);
    p += 8;
  };
  const i32 = (x: number) => {
    v.setInt32(p, x, true);
    p += 4;
  };
  u64(LIST_MAGIC);
  u64(0);
  u64(arrays.length);
  for (const a of arrays) {
    v.setUint32(p, NDARRAY_V2_MAGIC, true);
    p += 4;
    i32(0); // dense
    i32(a.shape.length);
    for (const d of a.shape) {
      v.setBigInt64(p, BigInt(d), true);
      p += 8;
    }
    i32(1); // cpu
    i32(0); // dev_id 0
    i32(0); // float32
    const data = a.data;
    if (LITTLE_ENDIAN_HOST) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), p);
      p += data.byteLength;
    } else {
      for (let i = 0; i < data.length; i++, p += 4) v.setFloat32(p, data[i]!, true);
    }
  }
  u64(encodedNames.length);
  for (const e of encodedNames) {
    u64(e.length);
    out.set(e, p);
    p += e.length;
  }
  if (p !== total) throw new Error(`saveNDArrayFile: internal size mismatch (${p} != ${total})`);
  return out;
}
