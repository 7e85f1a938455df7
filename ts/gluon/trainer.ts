// gluon.Trainer (python/mxnet/gluon/trainer.py): applies an optimizer to a set of Parameters.
// One device, so there is nothing to all-reduce; `step(batchSize)` rescales the gradients by
// 1/batchSize and updates every parameter whose gradReq is not 'null'.

import { type NDArrayDict, load as ndLoad, save as ndSave } from '../io/nd_io.js';
import { NDArray, shapeStr } from '../ndarray/ndarray.js';
import { create, type Optimizer } from '../optimizer/optimizer.js';
import { describe } from '../util/describe.js';
import { AssertionError, ValueError } from '../util/errors.js';
import { readBytes, sourceBytes, writeBytes } from '../util/files.js';
import { checkUpdateCount, isPlainObject, type PositionalArgs, parseArgs } from '../util/options.js';
import { Parameter, ParameterDict } from './parameter.js';

/** Keyword options of `Trainer(params, optimizer, optimizerParams, { kvstore, compressionParams, updateOnKvstore })`. */
export interface TrainerOptions {
  /** 'device' (default), 'local' or null: one device, so every choice updates the same. */
  kvstore?: 'device' | 'local' | null;
  /** Only null (gradient compression needs several devices). */
  compressionParams?: null;
  /** null, true or false: one device, so every choice updates the same. */
  updateOnKvstore?: boolean | null;
}

/** Options of {@link Trainer.step} and {@link Trainer.update}. */
export interface StepOptions {
  /** Skip parameters whose gradient was not refreshed by backward instead of throwing (default false). */
  ignoreStaleGrad?: boolean;
}

/** The update count a states file holds under `key`: one integer >= 0. */
function countOf(key: string, arr: NDArray): number {
  if (arr.size !== 1)
    throw new ValueError(`Trainer.loadStates: entry '${key}' must hold one count, got shape ${shapeStr(arr.shape)}`);
  return checkUpdateCount('Trainer.loadStates', `entry '${key}'`, arr.data[0]);
}

/** The source of `loadStates`: a path (Node/Deno/Bun), bytes or an ArrayBuffer. */
export type StatesSource = string | Uint8Array | ArrayBufferLike;

/**
 * `Trainer(params, optimizer, optimizerParams)`: `optimizer` is a name ('sgd', 'nag', 'adam',
 * 'rmsprop', 'adagrad') or an Optimizer. Call `step(batchSize)` after `backward`.
 */
export class Trainer {
  private readonly _params: Parameter[];
  private readonly _optimizer: Optimizer;
  private readonly _scale: number;
  private readonly _states = new Map<number, Float32Array[]>();

  /**
   * `Trainer(params, optimizer, optimizer_params=None, kvstore='device', ...)`: `optimizerParams`
   * is Python's dict (camelCase or snake_case keys), the optional fourth argument the keywords.
   */
  constructor(
    params: ParameterDict | readonly Parameter[] | Readonly<Record<string, Parameter>>,
    optimizer: string | Optimizer,
    optimizerParams?: Record<string, unknown> | null,
    options?: TrainerOptions,
  );
  constructor(params: unknown, optimizer: unknown, optimizerParams?: unknown, options?: unknown) {
    const o = parseArgs<TrainerOptions>(
      'Trainer',
      options === undefined ? [] : [options],
      ['kvstore', 'compressionParams', 'updateOnKvstore'],
      { kvstore: 'device', compressionParams: null, updateOnKvstore: null },
    );
    if (optimizerParams !== undefined && optimizerParams !== null && !isPlainObject(optimizerParams))
      throw new TypeError(`Trainer: optimizerParams must be a plain object, got ${describe(optimizerParams)}`);
    if (o.kvstore !== 'device' && o.kvstore !== 'local' && o.kvstore !== null)
      throw new ValueError(
        `Trainer: kvstore must be 'device', 'local' or null (one device), got ${describe(o.kvstore)}`,
      );
    if (o.compressionParams !== null && o.compressionParams !== undefined)
      throw new ValueError('Trainer: compressionParams needs several devices; only null is supported');
    if (o.updateOnKvstore !== null && o.updateOnKvstore !== undefined && typeof o.updateOnKvstore !== 'boolean')
      throw new TypeError(`Trainer: updateOnKvstore must be a boolean or null, got ${describe(o.updateOnKvstore)}`);
    let list: unknown[];
    if (params instanceof ParameterDict) list = [...params.values()];
    else if (Array.isArray(params)) list = [...params];
    else if (isPlainObject(params)) list = Object.values(params);
    else {
      throw new ValueError(
        `First argument must be a list or dict of Parameters, got ${params === null ? 'null' : typeof params}.`,
      );
    }
    const seen = new Set<string>();
    for (const p of list) {
      if (!(p instanceof Parameter)) {
        throw new ValueError(`First argument must be a list or dict of Parameters, got list of ${typeof p}.`);
      }
      if (seen.has(p.name)) throw new AssertionError(`Trainer: the Parameter '${p.name}' appears twice`);
      seen.add(p.name);
    }
    this._params = list as Parameter[];
    const optParams = { ...((optimizerParams as Record<string, unknown> | null | undefined) ?? {}) };
    const rescale = optParams.rescaleGrad ?? optParams.rescale_grad ?? 1;
    if (typeof rescale !== 'number')
      throw new TypeError(`Trainer: rescaleGrad must be a number, got ${describe(rescale)}`);
    this._scale = rescale;
    if (typeof optimizer === 'string') {
      this._optimizer = create(optimizer, optParams);
    } else if (
      optimizer !== null &&
      typeof optimizer === 'object' &&
      'update' in optimizer &&
      'createState' in optimizer
    ) {
      if (Object.keys(optParams).length > 0)
        throw new ValueError('optimizer_params must be None if optimizer is an instance of Optimizer instead of str');
      this._optimizer = optimizer as Optimizer;
    } else {
      throw new TypeError(`Trainer: optimizer must be a name or an Optimizer, got ${describe(optimizer)}`);
    }
    // Gluon passes param_dict: lrMult and wdMult of each Parameter, by index.
    this._params.forEach((p, i) => {
      this._optimizer.paramDict.set(i, p);
    });
  }

  /** The optimizer. */
  get optimizer(): Optimizer {
    return this._optimizer;
  }

  /** The current learning rate. */
  get learningRate(): number {
    return this._optimizer.learningRate;
  }

  /** Sets the learning rate (throws when an lrScheduler owns it). */
  setLearningRate(lr: number): void {
    this._optimizer.setLearningRate(lr);
  }

  /**
   * `step(batchSize, ignoreStaleGrad=false)`: rescales the gradients by 1/batchSize and updates
   * the parameters. A stale gradient (not written by backward since the last step) throws before
   * anything is updated, unless `ignoreStaleGrad` (then those parameters are skipped).
   */
  step(batchSize: number, ...args: PositionalArgs<[], [ignoreStaleGrad: boolean], StepOptions>): void;
  step(batchSize: number, ...args: unknown[]): void {
    this.update(batchSize, ...(args as [StepOptions]));
  }

  /** One device: gradients are already reduced. Kept for scripts that call it before `update`. */
  allreduceGrads(): void {}

  /** `update(batchSize, ignoreStaleGrad=false)`: `step` without the all-reduce (the same here). */
  update(batchSize: number, ...args: PositionalArgs<[], [ignoreStaleGrad: boolean], StepOptions>): void;
  update(batchSize: number, ...args: unknown[]): void {
    const o = parseArgs<StepOptions>('Trainer.step', args, ['ignoreStaleGrad'], { ignoreStaleGrad: false });
    if (typeof batchSize !== 'number' || !(batchSize > 0))
      throw new TypeError(`Trainer.step: batchSize must be a positive number, got ${describe(batchSize)}`);
    const ignore = o.ignoreStaleGrad === true;
    // Everything is checked before anything changes: a throwing step leaves all as it was.
    const work: [number, Parameter][] = [];
    this._params.forEach((p, i) => {
      if (p.gradReq === 'null') return;
      const v = p._variable();
      if (!v.fresh) {
        if (ignore) return;
        throw new ValueError(
          `Gradient of Parameter \`${p.name}\` on context cpu(0) has not been updated by backward since last \`step\`. This could mean a bug in your model that made it only use a subset of the Parameters (Blocks) for this iteration. If you are intentionally only using a subset, call step with ignoreStaleGrad: true to suppress this warning and skip updating of Parameters with stale gradient`,
        );
      }
      work.push([i, p]);
    });
    this._optimizer.rescaleGrad = this._scale / batchSize;
    for (const [i, p] of work) {
      const w = p._live();
      let st = this._states.get(i);
      if (st === undefined) {
        st = this._optimizer.createState(i, w.size);
        this._states.set(i, st);
      }
      const v = p._variable();
      this._optimizer.update(i, w.data, (v.grad as NDArray).data, st);
      v.fresh = false;
      p._touched();
    }
  }

  /**
   * `save_states(fname)`: the optimizer states and update counts as bytes (also written to
   * `filename` in Node/Deno/Bun). Gluon note: MXNet pickles its Updater; this is the NDArray
   * list format (`mx.nd.save`) with keys `state:<param>:<k>`, `count:<param>` and `num_update`.
   */
  saveStates(filename?: string | null): Uint8Array {
    const dict: NDArrayDict = {};
    this._params.forEach((p, i) => {
      const st = this._states.get(i);
      if (st !== undefined) {
        st.forEach((a, k) => {
          dict[`state:${p.name}:${k}`] = new NDArray(a.slice(), [a.length]);
        });
      }
      const c = this._optimizer.indexUpdateCount.get(i);
      if (c !== undefined) dict[`count:${p.name}`] = new NDArray(Float32Array.of(c), [1]);
    });
    dict.num_update = new NDArray(Float32Array.of(this._optimizer.numUpdate), [1]);
    const bytes = ndSave(dict);
    if (filename !== undefined && filename !== null) writeBytes('Trainer.saveStates', filename, bytes);
    return bytes;
  }

  /** `load_states(fname)`: restores what `saveStates` wrote; checks everything before changing anything. */
  loadStates(source: StatesSource): void {
    const bytes =
      typeof source === 'string'
        ? readBytes('Trainer.loadStates', source)
        : sourceBytes('Trainer.loadStates', source).bytes;
    const loaded = ndLoad(bytes);
    if (Array.isArray(loaded) || !(loaded.num_update instanceof NDArray))
      throw new ValueError('Trainer.loadStates: not a file written by Trainer.saveStates (no num_update entry)');
    const byName = new Map(this._params.map((p, i) => [p.name, i]));
    const states = new Map<number, Float32Array[]>();
    const counts = new Map<number, number>();
    for (const [key, arr] of Object.entries(loaded)) {
      if (key === 'num_update') continue;
      const m = /^(state|count):(.*?)(?::(\d+))?$/.exec(key);
      const idx = m === null ? undefined : byName.get(m[2] as string);
      if (m === null || idx === undefined)
        throw new ValueError(`Trainer.loadStates: entry '${key}' does not belong to a Parameter of this Trainer`);
      const p = this._params[idx] as Parameter;
      if (m[1] === 'count') {
        counts.set(idx, countOf(key, arr));
        continue;
      }
      if (m[3] === undefined)
        throw new ValueError(`Trainer.loadStates: state '${key}' has no index (state:<name>:<index>)`);
      const want = this._optimizer.createState(idx, p._live().size);
      const k = Number(m[3]);
      if (k >= want.length || arr.size !== (want[k] as Float32Array).length) {
        throw new ValueError(
          `Trainer.loadStates: state '${key}' has ${arr.size} elements but ${p.name}'s optimizer state ${k} needs ${(want[k] as Float32Array | undefined)?.length ?? 'none'}`,
        );
      }
      const list = states.get(idx) ?? want;
      (list[k] as Float32Array).set(arr.data);
      states.set(idx, list);
    }
    const numUpdate = countOf('num_update', loaded.num_update);
    this._states.clear();
    for (const [i, s] of states) this._states.set(i, s);
    this._optimizer.indexUpdateCount = counts;
    this._optimizer.numUpdate = numUpdate;
  }
}
