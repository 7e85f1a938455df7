// Sequence helpers of rnn_cell.py (`_format_sequence`, `_mask_sequence_variable_length`,
// `_reverse_sequences`): how unroll turns tensors into step lists and back.

import * as nd from '../../ndarray/index.js';
import { NDArray, shapeStr } from '../../ndarray/ndarray.js';
import { sym } from '../../symbol/sym_ops.js';
import { MxSymbol } from '../../symbol/symbol.js';
import { describe } from '../../util/describe.js';
import { AssertionError } from '../../util/errors.js';

/** A sequence: one merged tensor, or a list of per-step (N, C) tensors. */
export type Seq = NDArray | NDArray[];

/** The layout of a merged sequence: time-major 'TNC' or batch-major 'NTC'. */
export type Layout = 'TNC' | 'NTC';

export function checkLayout(where: string, layout: unknown): Layout {
  if (layout !== 'NTC' && layout !== 'TNC') {
    throw new AssertionError(`${where}: Invalid layout ${String(layout)}; must be one of ['TNC' or 'NTC']`);
  }
  return layout;
}

/**
 * `_format_sequence(length, inputs, layout, merge)`: `merge` false splits a tensor into steps,
 * true stacks a list along the time axis, null keeps the form as given.
 */
export function formatSequence(
  length: number | null,
  inputs: Seq,
  layout: string,
  merge: boolean | null,
): { inputs: Seq; axis: number; batchSize: number } {
  const axis = layout.indexOf('T');
  const batchAxis = layout.indexOf('N');
  // Tracing (HybridBlock.export): rnn_cell.py `_format_sequence` on Symbols, batch size 0.
  const first: unknown = Array.isArray(inputs) ? inputs[0] : inputs;
  if (first instanceof MxSymbol) {
    if (inputs instanceof MxSymbol && merge === false) {
      if (length === null) throw new TypeError('unroll: length is required to split a symbolic input');
      const steps = sym.split(inputs, { axis, numOutputs: length, squeezeAxis: 1 });
      return { inputs: steps as unknown as NDArray[], axis, batchSize: 0 };
    }
    if (Array.isArray(inputs) && merge === true)
      return { inputs: sym.stack(inputs as unknown as MxSymbol[], { axis }) as unknown as NDArray, axis, batchSize: 0 };
    return { inputs, axis, batchSize: 0 };
  }
  if (inputs instanceof NDArray) {
    if (inputs.ndim !== 3) {
      throw new RangeError(`unroll: a merged input must be 3-d in layout ${layout}, got ${shapeStr(inputs.shape)}`);
    }
    const batchSize = inputs.shape[batchAxis] as number;
    if (merge === false) {
      const T = inputs.shape[axis] as number;
      if (length !== null && length !== T) {
        throw new AssertionError(
          `unroll: length is ${length} but the input ${shapeStr(inputs.shape)} has ${T} steps on axis ${axis} (layout ${layout})`,
        );
      }
      return { inputs: nd.split(inputs, T, { axis, squeezeAxis: true }), axis, batchSize };
    }
    return { inputs, axis, batchSize };
  }
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((x) => x instanceof NDArray)) {
    throw new TypeError('unroll: inputs must be an NDArray or a non-empty array of NDArrays');
  }
  if (length !== null && inputs.length !== length) {
    throw new AssertionError(`unroll: length is ${length} but ${inputs.length} input steps were given`);
  }
  const batchSize = (inputs[0] as NDArray).shape[0] as number;
  if (merge === true) return { inputs: nd.stack(inputs, { axis }), axis, batchSize };
  return { inputs, axis, batchSize };
}

/** Zeros past each valid length (`SequenceMask` on the time axis); `merge` false splits again. */
export function maskSequenceVariableLength(
  data: Seq,
  length: number,
  validLength: NDArray,
  timeAxis: number,
  merge: boolean,
): Seq {
  const t = data instanceof NDArray ? data : nd.stack(data, { axis: timeAxis });
  const out = nd.SequenceMask(t, validLength, true, 0, timeAxis);
  return merge ? out : nd.split(out, length, { axis: timeAxis, squeezeAxis: true });
}

/** Reverses a step list; with valid lengths only each sample's valid prefix (padding stays). */
export function reverseSequences(sequences: NDArray[], unrollStep: number, validLength: NDArray | null): NDArray[] {
  if (validLength === null) return [...sequences].reverse();
  const rev = nd.SequenceReverse(nd.stack(sequences, { axis: 0 }), validLength, true);
  return nd.split(rev, unrollStep, { axis: 0, squeezeAxis: true });
}

/** Checks a valid-length vector: one entry per sample, each in [1, length]. */
export function checkValidLength(where: string, validLength: unknown, batchSize: number, length: number): NDArray {
  if (!(validLength instanceof NDArray))
    throw new TypeError(`${where}: validLength must be an NDArray, got ${describe(validLength)}`);
  if (validLength.size !== batchSize) {
    throw new RangeError(
      `${where}: validLength ${shapeStr(validLength.shape)} must have one entry per batch element (${batchSize})`,
    );
  }
  for (let b = 0; b < batchSize; b++) {
    const v = Math.trunc(validLength.data[b] as number);
    // Gluon note: MXNet reads index -1 for a length of 0 (undefined); this port requires >= 1.
    if (!(v >= 1 && v <= length))
      throw new RangeError(`${where}: validLength[${b}] = ${String(validLength.data[b])} must be in [1, ${length}]`);
  }
  return validLength;
}
