// mx.nd.save / mx.nd.load: the MXNet NDArray-list format (docs/reference/params-format.md) over NDArray objects.
//
//   save({ a: x, b: y }) -> Uint8Array     (a dict: names written, nd.load gives a dict back)
//   save([x, y])         -> Uint8Array     (a list: no names, nd.load gives a list back)
//   load(bytes)          -> Record<string, NDArray> | NDArray[]
//
// As in Python, a file written from an empty dict has no names and loads back as an empty list.
// Arrays of other dtypes (float16, float64, int*, ...) load converted to float32 (see params.ts).

import { NDArray } from '../ndarray/ndarray.js';
import { loadNDArrayFile, type NDArrayEntry, saveNDArrayFile } from './params.js';

export { NDArrayFileError } from './params.js';

/** What `nd.load` returns for a file saved from a dict, and `nd.save` takes: arrays by name. */
export type NDArrayDict = Record<string, NDArray>;

function asEntry(x: unknown, label: string): NDArrayEntry {
  if (!(x instanceof NDArray)) {
    throw new TypeError(`nd.save: ${label} is not an NDArray (got ${x === null ? 'null' : typeof x})`);
  }
  return { shape: x.shape, data: x.toFloat32Array() };
}

/** Serialise NDArrays in MXNet's `nd.save` format (byte-identical to MXNet 1.9.1 for float32). */
export function save(data: NDArrayDict | Map<string, NDArray> | readonly NDArray[] | NDArray): Uint8Array {
  if (data instanceof NDArray) return saveNDArrayFile({ names: null, arrays: [asEntry(data, 'the array')] });
  if (Array.isArray(data)) {
    return saveNDArrayFile({ names: null, arrays: data.map((x, i) => asEntry(x, `list element ${i}`)) });
  }
  if (data instanceof Map) {
    const names = [...data.keys()];
    for (const k of names) if (typeof k !== 'string') throw new TypeError('nd.save: Map keys must be strings');
    return saveNDArrayFile({ names, arrays: names.map((k) => asEntry(data.get(k), `'${k}'`)) });
  }
  if (data === null || typeof data !== 'object') {
    throw new TypeError('nd.save: expected an NDArray, a list of NDArrays or a dict of name -> NDArray');
  }
  const names = Object.keys(data);
  return saveNDArrayFile({ names, arrays: names.map((k) => asEntry((data as NDArrayDict)[k], `'${k}'`)) });
}

function toBytes(bytes: Uint8Array | ArrayBufferLike | ArrayBufferView): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (typeof SharedArrayBuffer !== 'undefined' && bytes instanceof SharedArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new TypeError('nd.load: expected the file contents as a Uint8Array, ArrayBuffer or ArrayBufferView');
}

/**
 * Parse `nd.save` / `.params` bytes. Returns a dict (a null-prototype object, keys in file order) when the
 * file has names, else a list. Throws NDArrayFileError for malformed or unsupported files.
 */
export function load(bytes: Uint8Array | ArrayBufferLike | ArrayBufferView): NDArrayDict | NDArray[] {
  const file = loadNDArrayFile(toBytes(bytes));
  const arrays = file.arrays.map((a) => new NDArray(a.data, a.shape));
  if (file.names === null) return arrays;
  const out: NDArrayDict = Object.create(null);
  file.names.forEach((name, i) => {
    out[name] = arrays[i]!;
  });
  return out;
}
