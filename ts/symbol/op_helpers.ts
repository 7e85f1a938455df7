// The building blocks of the graph executor's operator tables (operators.ts, tensor_ops.ts):
// a prepared operator, the common shape rules, and the factories of operators that differ
// only by the mx.nd function they call.

import type * as nd from '../ndarray/index.js';
import { NDArray } from '../ndarray/ndarray.js';
import { broadcastShape } from '../ndarray/ops/broadcast.js';
import { ValueError } from '../util/errors.js';
import type { AttrReader } from './attrs.js';
import type { SymbolNode } from './graph.js';
import { isKnown, type OpFactory, type PreparedOp, type PShape, type ShapeIO } from './op.js';

type Forward = PreparedOp['forward'];

/** A prepared operator of `numOutputs` outputs, deterministic. */
export function op(numOutputs: number, infer: PreparedOp['infer'], forward: Forward): PreparedOp {
  return { numOutputs, deterministic: true, infer, forward };
}

/** Output 0 has input 0's shape, and the other way round. */
export function sameShape(io: ShapeIO): void {
  io.setOut(0, io.ins[0] ?? null);
  io.setIn(0, io.outs[0] ?? null);
}

/** All inputs and output 0 share one shape (elemwise_*). */
export function allSame(io: ShapeIO): void {
  for (const s of [...io.ins, io.outs[0] ?? null]) {
    for (let i = 0; i < io.ins.length; i++) io.setIn(i, s);
    io.setOut(0, s);
  }
}

export function normAx(where: string, axis: number, ndim: number): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim) throw new ValueError(`${where}: axis ${axis} is out of range for ${ndim} dimensions`);
  return a;
}

/**
 * A node must have the inputs its attributes ask for (`asks`: what asks and how many); MXNet's
 * loader checks the count too. The sym API's probe nodes carry their inputs' count.
 */
export function expectInputs(r: AttrReader, node: SymbolNode, want: number, asks: string): void {
  if (node.inputs.length !== want) throw new ValueError(`${r.where}: ${asks}, the node has ${node.inputs.length}`);
}

/** An operator of one input and the same output shape. */
export function unaryOp(f: (x: NDArray) => NDArray): OpFactory {
  return (r, node) => {
    r.done();
    expectInputs(r, node, 1, 'takes 1 input');
    return op(1, sameShape, (ins) => [f(ins[0] as NDArray)]);
  };
}

export function elemwise(f: (a: NDArray, b: NDArray) => NDArray): OpFactory {
  return (r, node) => {
    r.done();
    expectInputs(r, node, 2, 'takes 2 inputs');
    return op(1, allSame, (ins) => [f(ins[0] as NDArray, ins[1] as NDArray)]);
  };
}

export function broadcastOp(f: (a: NDArray, b: NDArray) => NDArray): OpFactory {
  return (r, node) => {
    r.done();
    expectInputs(r, node, 2, 'takes 2 inputs');
    return op(
      1,
      (io) => {
        const [a, b] = io.ins as [PShape, PShape];
        if (isKnown(a) && isKnown(b)) io.setOut(0, broadcastShape(io.where, a, b));
      },
      (ins) => [f(ins[0] as NDArray, ins[1] as NDArray)],
    );
  };
}

/** `_plus_scalar` and the rest: MXNet casts the scalar to the data type (float32) first. */
export function scalarOp(f: (x: NDArray, s: number) => NDArray): OpFactory {
  return (r, node) => {
    const s = Math.fround(r.float('scalar'));
    r.bool('is_int', false);
    r.done();
    expectInputs(r, node, 1, 'takes 1 input');
    return op(1, sameShape, (ins) => [f(ins[0] as NDArray, s)]);
  };
}

export function mapNd(x: NDArray, f: (v: number) => number): NDArray {
  const out = new Float32Array(x.size);
  const d = x.data;
  for (let i = 0; i < out.length; i++) out[i] = f(d[i] as number);
  return new NDArray(out, x.shape);
}

/** `sum`, `mean`, ...: axis (a tuple or None), keepdims, exclude. */
export function reduceOp(f: nd.ReduceFn): OpFactory {
  return (r) => {
    const axis = r.optTuple('axis');
    const keepdims = r.bool('keepdims', false);
    const exclude = r.bool('exclude', false);
    r.done();
    return op(1, null, (ins) => [f(ins[0] as NDArray, { axis, keepdims, exclude })]);
  };
}
