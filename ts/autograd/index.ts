// mx.autograd (python/mxnet/autograd.py): the scopes are callbacks (`with autograd.record():`
// becomes `record(() => ...)`), whose return value is returned.

import type { NDArray } from '../ndarray/ndarray.js';
import { describe } from '../util/describe.js';
import { backwardImpl, isRecording as isRecordingNow, withFlags } from './tape.js';

export { AutogradError, isRecording, isTraining } from './tape.js';

/** Options of {@link record} (`autograd.record(train_mode=True)`). */
export interface RecordOptions {
  /** Run layers in training mode while recording (default true). */
  trainMode?: boolean;
}

/** Options of {@link pause} (`autograd.pause(train_mode=False)`). */
export interface PauseOptions {
  /** Run layers in training mode while paused (default false). */
  trainMode?: boolean;
}

/** Options of {@link backward}. */
export interface BackwardOptions {
  /** Keep the graph so that it can be differentiated again (default false: it is freed). */
  retainGraph?: boolean;
  /** Whether the backward runs in training mode (default true). */
  trainMode?: boolean;
}

function flag(
  where: string,
  options: object | boolean | undefined,
  keys: readonly string[],
  key: string,
  dflt: boolean,
): boolean {
  if (options === undefined) return dflt;
  if (typeof options === 'boolean') return options; // Python's positional train_mode
  if (options === null || typeof options !== 'object')
    throw new TypeError(`${where}: expected an options object or a boolean, got ${describe(options)}`);
  for (const k of Object.keys(options)) {
    if (!keys.includes(k)) throw new TypeError(`${where}: unknown option '${k}'; expected one of: ${keys.join(', ')}`);
  }
  const v = (options as Record<string, unknown>)[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${key} must be a boolean, got ${describe(v)}`);
  return v;
}

/**
 * `with autograd.record(train_mode=True):` — runs `fn` recording the operators it applies to
 * arrays that need gradients, so that `backward` can differentiate its results. Returns what
 * `fn` returns. `fn` must be synchronous.
 */
export function record<T>(fn: () => T, options?: RecordOptions | boolean): T {
  return withFlags('autograd.record', true, flag('autograd.record', options, ['trainMode'], 'trainMode', true), fn);
}

/** `with autograd.pause(train_mode=False):` — runs `fn` without recording. */
export function pause<T>(fn: () => T, options?: PauseOptions | boolean): T {
  return withFlags('autograd.pause', false, flag('autograd.pause', options, ['trainMode'], 'trainMode', false), fn);
}

/** `with autograd.train_mode():` — runs `fn` in training mode (Dropout drops) without changing recording. */
export function trainMode<T>(fn: () => T): T {
  return withFlags('autograd.trainMode', isRecordingNow(), true, fn);
}

/** `with autograd.predict_mode():` — runs `fn` in inference mode without changing recording. */
export function predictMode<T>(fn: () => T): T {
  return withFlags('autograd.predictMode', isRecordingNow(), false, fn);
}

/**
 * `autograd.backward(heads, head_grads=None, retain_graph=False, train_mode=True)`: computes the
 * gradients of `heads` (one array or several, recorded under `record()`) with respect to the
 * arrays with attached gradients. Throws an AutogradError for an array that is not in a
 * recorded graph, or whose graph a previous backward freed.
 */
export function backward(
  heads: NDArray | readonly NDArray[],
  headGrads?: NDArray | null | readonly (NDArray | null)[],
  options?: BackwardOptions,
): void;
export function backward(
  heads: NDArray | readonly NDArray[],
  headGrads: NDArray | null | readonly (NDArray | null)[] | undefined,
  retainGraph: boolean,
  trainMode?: boolean,
): void;
export function backward(heads: unknown, headGrads?: unknown, third?: unknown, fourth?: unknown): void {
  const hs = Array.isArray(heads) ? (heads as readonly NDArray[]) : [heads as NDArray];
  const gs =
    headGrads === null || headGrads === undefined
      ? null
      : Array.isArray(headGrads)
        ? (headGrads as readonly (NDArray | null)[])
        : [headGrads as NDArray];
  const keys = ['retainGraph', 'trainMode'];
  let retain: boolean;
  let train: boolean;
  if (typeof third === 'boolean') {
    retain = third;
    train = fourth === undefined ? true : flag('autograd.backward', fourth as boolean, keys, 'trainMode', true);
  } else {
    retain = flag('autograd.backward', third as object | undefined, keys, 'retainGraph', false);
    train = flag('autograd.backward', third as object | undefined, keys, 'trainMode', true);
  }
  backwardImpl(hs, gs, retain, train);
}
