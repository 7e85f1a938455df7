// Model files: Block.saveParameters / loadParameters and ParameterDict.save / load
// (python/mxnet/gluon/block.py:418-557, parameter.py:257-323, 964-1072), over the MXNet
// NDArray-list format of ../io/params.ts (byte layout: docs/reference/params-format.md).
//
// Saving writes exactly what MXNet 1.9.1 writes for the same weights (V2 float32 records,
// structural keys for save_parameters, `_unfused` names for fused layers, full names minus
// `stripPrefix` for ParameterDict.save): the files are byte-identical.
//
// Loading is ATOMIC. MXNet assigns parameter by parameter and can fail half way (an extra key
// or a wrong shape after some parameters were already overwritten). Here the whole file is
// parsed and every entry is checked against the model first, in MXNet's order (so the error
// raised is the one MXNet raises first), including shared parameters that appear under several
// names and deferred shapes that an earlier entry fills; only then is anything assigned. Any
// error leaves every parameter's data, shape and deferred initialisation exactly as before.
//
// Errors keep MXNet's classes and messages (AssertionError / ValueError) and add where: the
// file ('<bytes>' or the path), the key in the file, and the array's index and byte offset
// (`err.source`, `err.key`, `err.index`, `err.offset`). Malformed files throw the reader's
// NDArrayFileError (offset, index, key), prefixed with the method and the file name.
//
// dtypes: parameters are float32. As in MXNet, an array of another dtype in the file is an
// error unless `castDtype` is true; then it is converted to float32 (`dtypeSource: 'current'`).
// `dtypeSource: 'saved'` (adopt the file's dtype) cannot be honoured for non-float32 arrays and
// throws; for float32 arrays it is the same as 'current', as in MXNet.
//
// Gluon note: MXNet behaviours deliberately not reproduced:
// - partial loads (above);
// - a parameter whose ndim differs from the file's fails with the `_load_init` message here
//   (MXNet's zip() truncates and the shape setter then fails with "Expected shape ... is
//   incompatible");
// - a file saved from a list (no names) throws a ValueError (MXNet fails with AttributeError);
// - the reader is stricter than nd.load: duplicate names (MXNet: the last one wins) and bytes after
//   the name list are rejected; sparse arrays are rejected (Gluon parameters are dense);
// - `ctx` must be absent or cpu (one device); the saved context is ignored as MXNet does.

import { loadNDArrayFile, NDArrayFileError, type NDArrayRecord, saveNDArrayFile } from '../io/params.js';
import { NDArray, shapeStr } from '../ndarray/ndarray.js';
import { AssertionError, briefPrintList, ValueError } from '../util/errors.js';
import { sourceBytes, writeBytes } from '../util/files.js';
import type { Block } from './block.js';
import type { Parameter, ParameterDict } from './parameter.js';

/** Where a load error happened; set on the errors `loadParameters` / `ParameterDict.load` throw. */
export interface LoadErrorLocation {
  /** '<bytes>' or the path. */
  source: string;
  /** The key as stored in the file, when the error concerns one entry. */
  key?: string;
  /** Index of the array in the file. */
  index?: number;
  /** Byte offset of the array's record in the file. */
  offset?: number;
}

/** Where `loadParameters` / `ParameterDict.load` read from: a path (Node/Deno/Bun), bytes or an ArrayBuffer. */
export type ParamsSource = string | ArrayBufferView | ArrayBufferLike;

/** `dtypeSource` of the load methods: whose dtype wins when `castDtype` is true. */
export type DtypeSource = 'current' | 'saved';

/** @internal The load methods' options after parsing. */
export interface LoadOptions {
  allowMissing?: boolean;
  ignoreExtra?: boolean;
  castDtype?: boolean;
  dtypeSource?: string;
  /** ParameterDict.load only: prepended to every (arg:/aux:-stripped) key. */
  restorePrefix?: string;
  /** How the file is named in messages ('<bytes>' or the path). */
  source?: string;
}

/** One array from a file (or from a dict of NDArrays), with where it came from. */
interface Entry {
  key: string;
  shape: number[];
  data: Float32Array;
  dtype: string;
  index?: number;
  offset?: number;
}

function located<E extends Error>(err: E, loc: LoadErrorLocation): E & LoadErrorLocation {
  const parts = [`file '${loc.source}'`];
  if (loc.key !== undefined) parts.push(`key '${loc.key}'`);
  if (loc.index !== undefined) parts.push(`array #${loc.index}`);
  if (loc.offset !== undefined) parts.push(`record at byte offset ${loc.offset}`);
  err.message = `${err.message} [${parts.join(', ')}]`;
  return Object.assign(err, loc);
}

// ---------------------------------------------------------------------------------------------------------------
// reading a file into entries

/** Parses `source` (path, bytes, ArrayBuffer) into named entries; a file without names must be empty. */
function readEntries(where: string, source: unknown): { entries: Entry[]; name: string } {
  const { bytes, name } = sourceBytes(where, source);
  let file: ReturnType<typeof loadNDArrayFile>;
  const offsets: number[] = [];
  try {
    file = loadNDArrayFile(bytes, offsets);
  } catch (e) {
    if (e instanceof NDArrayFileError) {
      throw new NDArrayFileError(`${where}: '${name}': ${e.message}`, e.offset, e.index, e.key);
    }
    throw e;
  }
  if (file.names === null && file.arrays.length > 0) {
    throw located(
      new ValueError(
        `${where}: '${name}' holds an unnamed list of ${file.arrays.length} arrays (nd.save of a list), not named parameters`,
      ),
      { source: name },
    );
  }
  const names = file.names ?? [];
  const entries = file.arrays.map((a: NDArrayRecord, i): Entry => {
    return { key: names[i] as string, shape: a.shape, data: a.data, dtype: a.dtype, index: i, offset: offsets[i] };
  });
  return { entries, name };
}

function ndEntries(arrays: Iterable<[string, NDArray]>): Entry[] {
  return [...arrays].map(([key, v]) => ({ key, shape: v.shape, data: v.data, dtype: 'float32' }));
}

// ---------------------------------------------------------------------------------------------------------------
// validation, then assignment

interface Options {
  allowMissing: boolean;
  ignoreExtra: boolean;
  castDtype: boolean;
  dtypeSource: string;
  source: string;
}

function normOptions(where: string, o: LoadOptions): Options {
  const dtypeSource = o.dtypeSource ?? 'current';
  if (o.castDtype && dtypeSource !== 'current' && dtypeSource !== 'saved') {
    throw new AssertionError(`${where}: dtypeSource must be 'current' or 'saved', got '${dtypeSource}'`);
  }
  return {
    allowMissing: !!o.allowMissing,
    ignoreExtra: !!o.ignoreExtra,
    castDtype: !!o.castDtype,
    dtypeSource,
    source: o.source ?? '<bytes>',
  };
}

/**
 * Pending assignments: checks each (parameter, entry) against the parameter's shape as it will
 * be after the earlier assignments of the same load (MXNet's `_load_init` checks, in order).
 */
class Plan {
  private readonly shapes = new Map<Parameter, number[]>();
  private readonly todo: [Parameter, Entry][] = [];
  constructor(private readonly o: Options) {}

  add(p: Parameter, e: Entry): void {
    const loc = { source: this.o.source || 'param_dict', key: e.key, index: e.index, offset: e.offset };
    const cur = this.shapes.get(p) ?? p.shape;
    if (cur.length > 0) {
      const ok = cur.length === e.shape.length && cur.every((d, i) => d === 0 || d === e.shape[i]);
      if (!ok) {
        throw located(
          new AssertionError(
            `Failed loading Parameter '${p.name}' from saved params: shape incompatible expected ${shapeStr(cur)} vs saved ${shapeStr(e.shape)}`,
          ),
          loc,
        );
      }
    }
    if (e.dtype !== 'float32') {
      if (!this.o.castDtype) {
        throw located(
          new AssertionError(
            `Failed loading Parameter '${p.name}' from saved params: dtype incompatible expected float32 vs saved ${e.dtype}. Set castDtype: true to cast the dtype of saved params.`,
          ),
          loc,
        );
      }
      if (this.o.dtypeSource === 'saved') {
        throw located(
          new TypeError(
            `Failed loading Parameter '${p.name}': dtypeSource 'saved' would make it ${e.dtype}, but parameters are float32 (the only dtype this package computes in); use dtypeSource 'current' to convert`,
          ),
          loc,
        );
      }
    }
    this.shapes.set(p, [...e.shape]);
    this.todo.push([p, e]);
  }

  /** Assigns everything (cannot fail: every check ran in `add`). */
  commit(): void {
    for (const [p, e] of this.todo) p._loadInit(new NDArray(e.data, e.shape));
  }
}

function checkRestorePrefix(dict: ParameterDict, restorePrefix: string): void {
  if (!restorePrefix) return;
  for (const name of dict.keys()) {
    if (!name.startsWith(restorePrefix)) {
      throw new AssertionError(
        `restorePrefix is '${restorePrefix}' but Parameters name '${name}' does not start with '${restorePrefix}'. For more info on naming, please see https://mxnet.io/api/python/docs/tutorials/packages/gluon/blocks/naming.html`,
      );
    }
  }
}

/** MXNet `ParameterDict.load_dict` (parameter.py:1025-1072), atomic. */
function loadIntoDict(dict: ParameterDict, entries: Entry[], restorePrefix: string, o: Options): void {
  const lprefix = restorePrefix.length;
  checkRestorePrefix(dict, restorePrefix);
  // Python builds a dict: a later duplicate key (e.g. 'arg:w' and 'aux:w') replaces the earlier
  // value but keeps the earlier position.
  const argDict = new Map<string, Entry>();
  for (const e of entries) {
    const k = e.key.startsWith('arg:') || e.key.startsWith('aux:') ? e.key.slice(4) : e.key;
    argDict.set(restorePrefix + k, e);
  }
  const errorStr = o.source === '' ? 'param_dict' : `file: ${o.source}`;
  if (!o.allowMissing) {
    for (const name of dict.keys()) {
      if (!argDict.has(name)) {
        throw located(
          new AssertionError(
            `Parameter '${name.slice(lprefix)}' is missing in ${errorStr}, which contains parameters: ${briefPrintList([...argDict.keys()])}. Please make sure source and target networks have the same prefix.For more info on naming, please see https://mxnet.io/api/python/docs/tutorials/packages/gluon/blocks/naming.html`,
          ),
          { source: o.source || 'param_dict', key: name.slice(lprefix) },
        );
      }
    }
  }
  const plan = new Plan(o);
  for (const [name, e] of argDict) {
    if (!dict.has(name)) {
      if (!o.ignoreExtra) {
        throw located(
          new AssertionError(
            `Parameter '${name.slice(lprefix)}' loaded from ${errorStr} is not present in ParameterDict, choices are: ${briefPrintList([...dict.keys()])}. Set ignoreExtra: true to ignore. Please make sure source and target networks have the same prefix.For more info on naming, please see https://mxnet.io/api/python/docs/tutorials/packages/gluon/blocks/naming.html`,
          ),
          { source: o.source || 'param_dict', key: e.key, index: e.index, offset: e.offset },
        );
      }
      continue;
    }
    plan.add(dict.getByFullName(name), e);
  }
  plan.commit();
}

/** MXNet `Block.load_parameters` after `nd.load` (block.py:523-557), atomic. */
function loadIntoBlock(block: Block, entries: Entry[], o: Options): void {
  const params = block._collectParamsWithPrefix();
  if (entries.length === 0 && params.size === 0) return;
  if (!entries.some((e) => e.key.includes('.'))) {
    // legacy file (save_params / ParameterDict.save / export): full names minus the block prefix
    loadIntoDict(block.collectParams(), entries, block.prefix, o);
    return;
  }
  const loaded = new Map(entries.map((e) => [e.key, e]));
  if (!o.allowMissing) {
    // a shared Parameter counts as present when any of its structural names is in the file
    const inv = new Map<Parameter, string[]>();
    for (const [k, p] of params) inv.set(p, [...(inv.get(p) ?? []), k]);
    for (const [name, p] of params) {
      if (!(inv.get(p) as string[]).some((k) => loaded.has(k))) {
        throw located(
          new AssertionError(
            `Parameter '${name}' is missing in file '${o.source}', which contains parameters: ${briefPrintList([...loaded.keys()])}. Set allowMissing: true to ignore missing parameters.`,
          ),
          { source: o.source, key: name },
        );
      }
    }
  }
  const plan = new Plan(o);
  for (const [name, e] of loaded) {
    const p = params.get(name);
    if (p === undefined) {
      if (!o.ignoreExtra) {
        throw located(
          new ValueError(
            `Parameter '${name}' loaded from file '${o.source}' is not present in ParameterDict, which contains parameters ${briefPrintList([...block.params.keys()])}. Set ignoreExtra: true to ignore. `,
          ),
          { source: o.source, key: e.key, index: e.index, offset: e.offset },
        );
      }
      continue;
    }
    plan.add(p, e);
  }
  plan.commit();
}

// ---------------------------------------------------------------------------------------------------------------
// public entry points (Block / ParameterDict methods delegate here)

/** `Block.save_parameters`: structural keys; `deduplicate` keeps each shared Parameter once (last name, first position). */
export function blockParamsForSave(block: Block, deduplicate: boolean): Map<string, NDArray> {
  let params = [...block._collectParamsWithPrefix()];
  if (deduplicate) {
    // {v: k for k, v in params.items()} then {v: k for k, v in reverse.items()} (block.py:447-448)
    const reverse = new Map<Parameter, string>();
    for (const [k, p] of params) reverse.set(p, k);
    params = [...reverse].map(([p, k]) => [k, p]);
  }
  return new Map(params.map(([k, p]) => [k, p._live()]));
}

function saveMap(map: Map<string, NDArray>): Uint8Array {
  const names = [...map.keys()];
  return saveNDArrayFile({
    names,
    arrays: names.map((k) => {
      const v = map.get(k) as NDArray;
      return { shape: v.shape, data: v.data };
    }),
  });
}

export function saveBlockParameters(block: Block, filename: string | null, deduplicate: boolean): Uint8Array {
  const bytes = saveMap(blockParamsForSave(block, deduplicate));
  if (filename !== null) writeBytes('saveParameters', filename, bytes);
  return bytes;
}

export function loadBlockParameters(block: Block, source: unknown, opts: LoadOptions): void {
  const where = 'loadParameters';
  const o0 = normOptions(where, opts);
  const { entries, name } = readEntries(where, source);
  loadIntoBlock(block, entries, { ...o0, source: name });
}

/** `Block._load_parameter_dict`-like seam: arrays already in memory (`source` names them in messages). */
export function loadBlockArrays(block: Block, arrays: Iterable<[string, NDArray]>, opts: LoadOptions): void {
  loadIntoBlock(block, ndEntries(arrays), normOptions('loadParameters', opts));
}

export function saveParameterDict(dict: ParameterDict, filename: string | null, stripPrefix: string): Uint8Array {
  const map = new Map<string, NDArray>();
  for (const p of dict.values()) {
    const weight = p._live();
    if (!p.name.startsWith(stripPrefix)) {
      throw new ValueError(
        `Prefix '${stripPrefix}' is to be striped before saving, but Parameter's name '${p.name}' does not start with '${stripPrefix}'. this may be due to your Block shares parameters from other Blocks or you forgot to use 'with name_scope()' when creating child blocks. For more info on naming, please see https://mxnet.io/api/python/docs/tutorials/packages/gluon/blocks/naming.html`,
      );
    }
    map.set(p.name.slice(stripPrefix.length), weight);
  }
  const bytes = saveMap(map);
  if (filename !== null) writeBytes('ParameterDict.save', filename, bytes);
  return bytes;
}

export function loadParameterDict(dict: ParameterDict, source: unknown, opts: LoadOptions): void {
  const where = 'ParameterDict.load';
  const o0 = normOptions(where, opts);
  checkRestorePrefix(dict, opts.restorePrefix ?? ''); // before reading the file, as MXNet
  const { entries, name } = readEntries(where, source);
  loadIntoDict(dict, entries, opts.restorePrefix ?? '', { ...o0, source: name });
}

/** `ParameterDict.load_dict`: arrays in memory; without `source` messages say 'param_dict' as in MXNet. */
export function loadParameterDictArrays(
  dict: ParameterDict,
  arrays: Iterable<[string, NDArray]>,
  opts: LoadOptions,
): void {
  const o = normOptions('ParameterDict.load_dict', { ...opts, source: opts.source ?? '' });
  loadIntoDict(dict, ndEntries(arrays), opts.restorePrefix ?? '', o);
}
