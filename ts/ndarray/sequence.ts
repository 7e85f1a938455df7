// SequenceMask / SequenceLast / SequenceReverse (src/operator/sequence_*-inl.h): per-sample
// valid lengths over the time axis. Lengths are read as integers (float ids truncated, as MXNet).

import { gatherGrad, identityGrad } from '../autograd/grads.js';
import { tape } from '../autograd/tape.js';
import { describe } from '../util/describe.js';
import { type PositionalArgs, parseArgs } from '../util/options.js';
import { NDArray, shapeSize, shapeStr } from './ndarray.js';

interface SeqArgs {
  data: unknown;
  sequenceLength: unknown;
  useSequenceLength: boolean;
  value: number;
  axis: number;
}

function prepare(where: string, args: unknown[], names: (keyof SeqArgs & string)[], axes: number[]) {
  const o = parseArgs<SeqArgs>(
    where,
    args,
    names,
    { useSequenceLength: false, value: 0, axis: 0, sequenceLength: null },
    ['data'],
  );
  if (!(o.data instanceof NDArray)) throw new TypeError(`${where}: data must be an NDArray, got ${describe(o.data)}`);
  const x = o.data;
  if (!axes.includes(o.axis))
    throw new RangeError(`${where}: axis must be ${axes.join(' or ')}, got ${describe(o.axis)}`);
  if (x.ndim < 2)
    throw new RangeError(`${where}: data must have at least 2 dimensions (time and batch), got ${shapeStr(x.shape)}`);
  const T = x.shape[o.axis] as number;
  const N = x.shape[1 - o.axis] as number;
  let lens: Int32Array | null = null;
  if (o.useSequenceLength) {
    if (!(o.sequenceLength instanceof NDArray)) {
      throw new TypeError(
        `${where}: useSequenceLength is true but sequenceLength is ${String(o.sequenceLength)}, not an NDArray`,
      );
    }
    const sl = o.sequenceLength;
    if (sl.size !== N)
      throw new RangeError(
        `${where}: sequenceLength ${shapeStr(sl.shape)} must have one entry per batch element (${N})`,
      );
    lens = new Int32Array(N);
    for (let b = 0; b < N; b++) lens[b] = Math.trunc(sl.data[b] as number);
  }
  return { o, x, T, N, lens, inner: shapeSize(x.shape.slice(2)) };
}

/** Offset of element (t, b) of a (T, N, ...) (axis 0) or (N, T, ...) (axis 1) array. */
function offset(axis: number, t: number, b: number, T: number, N: number, inner: number): number {
  return (axis === 0 ? t * N + b : b * T + t) * inner;
}

/** Keyword options of {@link SequenceLast} and {@link SequenceReverse}. */
export interface SequenceOptions {
  /** (T, N, ...) with axis 0, or (N, T, ...) with axis 1. */
  data?: NDArray;
  /** N valid lengths, read when `useSequenceLength` is true. */
  sequenceLength?: NDArray | null;
  /** Read `sequenceLength` (default false: every sequence is full length). */
  useSequenceLength?: boolean;
  /** The time axis: 0 or 1 (SequenceReverse: 0 only). */
  axis?: number;
}

/** Keyword options of {@link SequenceMask}. */
export interface SequenceMaskOptions extends SequenceOptions {
  /** What the steps past each length become (default 0). */
  value?: number;
}

/** `nd.SequenceMask(data, sequenceLength, useSequenceLength=false, value=0, axis=0)`. */
export function SequenceMask(
  ...args:
    | PositionalArgs<
        [data: NDArray],
        [sequenceLength: NDArray | null, useSequenceLength: boolean, value: number, axis: number],
        SequenceMaskOptions
      >
    | [options: SequenceMaskOptions & { data: NDArray }]
): NDArray;
export function SequenceMask(...args: unknown[]): NDArray {
  const { o, x, T, N, lens, inner } = prepare(
    'nd.SequenceMask',
    args,
    ['data', 'sequenceLength', 'useSequenceLength', 'value', 'axis'],
    [0, 1],
  );
  const out = x.data.slice();
  if (lens === null) return tape('SequenceMask', [x], new NDArray(out, x.shape), () => identityGrad);
  for (let b = 0; b < N; b++) {
    const len = lens[b] as number;
    if (len < 0) throw new RangeError(`nd.SequenceMask: sequenceLength[${b}] = ${len} is negative`);
    for (let t = len; t < T; t++)
      out.fill(o.value, offset(o.axis, t, b, T, N, inner), offset(o.axis, t, b, T, N, inner) + inner);
  }
  const sl = o.sequenceLength as NDArray;
  return tape('SequenceMask', [x, sl], new NDArray(out, x.shape), () =>
    gatherGrad(x, (i) => SequenceMask(i, sl, true, 0, o.axis)),
  );
}

/**
 * `nd.SequenceLast(data, sequenceLength, useSequenceLength=false, axis=0)`: the element at
 * time `len-1` of each sample. Gluon note: a length outside [1, T] throws (MXNet reads out of
 * bounds for 0).
 */
export function SequenceLast(
  ...args:
    | PositionalArgs<
        [data: NDArray],
        [sequenceLength: NDArray | null, useSequenceLength: boolean, axis: number],
        SequenceOptions
      >
    | [options: SequenceOptions & { data: NDArray }]
): NDArray;
export function SequenceLast(...args: unknown[]): NDArray {
  const { o, x, T, N, lens, inner } = prepare(
    'nd.SequenceLast',
    args,
    ['data', 'sequenceLength', 'useSequenceLength', 'axis'],
    [0, 1],
  );
  const out = new Float32Array(N * inner);
  for (let b = 0; b < N; b++) {
    const len = lens === null ? T : (lens[b] as number);
    if (len < 1 || len > T) throw new RangeError(`nd.SequenceLast: sequenceLength[${b}] = ${len} must be in [1, ${T}]`);
    const src = offset(o.axis, len - 1, b, T, N, inner);
    out.set(x.data.subarray(src, src + inner), b * inner);
  }
  const shape = x.shape.filter((_d, i) => i !== o.axis);
  const sl = o.sequenceLength as NDArray | null;
  return tape('SequenceLast', [x, sl], new NDArray(out, shape), () =>
    gatherGrad(x, (i) => SequenceLast(i, sl, lens !== null, o.axis)),
  );
}

/**
 * `nd.SequenceReverse(data, sequenceLength, useSequenceLength=false, axis=0)`: reverses the
 * first `len` steps of each sample and leaves the padding in place.
 */
export function SequenceReverse(
  ...args:
    | PositionalArgs<
        [data: NDArray],
        [sequenceLength: NDArray | null, useSequenceLength: boolean, axis: number],
        SequenceOptions
      >
    | [options: SequenceOptions & { data: NDArray }]
): NDArray;
export function SequenceReverse(...args: unknown[]): NDArray {
  const { o, x, T, N, lens, inner } = prepare(
    'nd.SequenceReverse',
    args,
    ['data', 'sequenceLength', 'useSequenceLength', 'axis'],
    [0],
  );
  const out = x.data.slice();
  for (let b = 0; b < N; b++) {
    const len = lens === null ? T : (lens[b] as number);
    if (len < 0 || len > T)
      throw new RangeError(`nd.SequenceReverse: sequenceLength[${b}] = ${len} must be in [0, ${T}]`);
    for (let t = 0; t < len; t++) {
      const src = offset(0, t, b, T, N, inner);
      out.set(x.data.subarray(src, src + inner), offset(0, len - 1 - t, b, T, N, inner));
    }
  }
  const sl = o.sequenceLength as NDArray | null;
  return tape('SequenceReverse', [x, sl], new NDArray(out, x.shape), () =>
    gatherGrad(x, (i) => SequenceReverse(i, sl, lens !== null, 0)),
  );
}
