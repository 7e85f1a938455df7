// `_foreach` (src/operator/control_flow.cc; python/mxnet/symbol/contrib.py `foreach`): runs its
// subgraph once per slice of the data inputs along axis 0, carrying states from step to step.
// The node's inputs are [data..., initial states..., remaining (parameters)...]; `in_data_locs`,
// `in_state_locs` and `remain_locs` give where each goes among the subgraph's inputs. The
// subgraph's outputs are [per-step outputs (num_out_data)..., new states...]; the node returns
// the per-step outputs stacked on a new axis 0, then the final states.

import * as nd from '../ndarray/index.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { ValueError } from '../util/errors.js';
import type { OpFactory, PShape, ShapeIO } from './op.js';

interface ForeachAttrs {
  numOutputs: number;
  numOutData: number;
  dataLocs: number[];
  stateLocs: number[];
  remainLocs: number[];
  numSubInputs: number;
}

function subInputs<T>(a: ForeachAttrs, ins: readonly T[], empty: T): T[] {
  const sub = new Array<T>(a.numSubInputs).fill(empty);
  const nd0 = a.dataLocs.length;
  const ns = a.stateLocs.length;
  a.dataLocs.forEach((loc, k) => {
    sub[loc] = ins[k] as T;
  });
  a.stateLocs.forEach((loc, k) => {
    sub[loc] = ins[nd0 + k] as T;
  });
  a.remainLocs.forEach((loc, k) => {
    sub[loc] = ins[nd0 + ns + k] as T;
  });
  return sub;
}

function infer(a: ForeachAttrs, io: ShapeIO): void {
  const nd0 = a.dataLocs.length;
  const first = io.ins[0] ?? null;
  const T = first === null ? 0 : (first[0] as number);
  const outer = io.ins.map((s, k) => (k < nd0 ? (s === null ? null : s.slice(1)) : s));
  let sub = subInputs<PShape>(a, outer, null);
  let res = io.inferSubgraph(0, sub);
  // The states loop: a state's output shape is its input shape.
  for (let pass = 0; pass < 2; pass++) {
    sub = res.ins.map((s) => (s === null ? null : [...s]));
    a.stateLocs.forEach((loc, j) => {
      const o = res.outs[a.numOutData + j] ?? null;
      if (sub[loc] === null && o !== null) sub[loc] = [...o];
      else if (o !== null && sub[loc] !== null)
        sub[loc] = (sub[loc] as number[]).map((d, i) => (d === 0 ? ((o[i] as number) ?? 0) : d));
    });
    res = io.inferSubgraph(0, sub);
  }
  for (let k = 0; k < a.numOutData; k++) {
    const o = res.outs[k] ?? null;
    io.setOut(k, o === null ? null : [T, ...o]);
  }
  for (let j = 0; j < a.numOutputs - a.numOutData; j++) io.setOut(a.numOutData + j, res.outs[a.numOutData + j] ?? null);
  a.dataLocs.forEach((loc, k) => {
    const s = res.ins[loc] ?? null;
    if (s !== null) io.setIn(k, [T, ...s]);
  });
  a.stateLocs.forEach((loc, k) => {
    io.setIn(nd0 + k, res.ins[loc] ?? null);
  });
  a.remainLocs.forEach((loc, k) => {
    io.setIn(nd0 + a.stateLocs.length + k, res.ins[loc] ?? null);
  });
}

/** The `_foreach` operator. */
export const foreachOp: OpFactory = (r, node) => {
  const numArgs = r.int('num_args');
  const a: ForeachAttrs = {
    numOutputs: r.int('num_outputs'),
    numOutData: r.int('num_out_data'),
    dataLocs: r.tuple('in_data_locs'),
    stateLocs: r.tuple('in_state_locs'),
    remainLocs: r.tuple('remain_locs'),
    numSubInputs: numArgs - 1,
  };
  r.done();
  const sub = node.subgraphs[0];
  if (node.subgraphs.length !== 1 || sub === undefined)
    throw new ValueError(`${r.where}: expected one subgraph, got ${node.subgraphs.length}`);
  const locs = [...a.dataLocs, ...a.stateLocs, ...a.remainLocs];
  if (
    node.inputs.length !== a.numSubInputs ||
    sub.argNodes.length !== a.numSubInputs ||
    [...locs].sort((x, y) => x - y).some((l, i) => l !== i)
  ) {
    throw new ValueError(
      `${r.where}: inputs (${node.inputs.length}), subgraph inputs (${sub.argNodes.length}), num_args - 1 (${a.numSubInputs}) and the locations ${JSON.stringify(locs)} disagree`,
    );
  }
  if (sub.heads.length !== a.numOutputs || a.numOutputs - a.numOutData !== a.stateLocs.length)
    throw new ValueError(
      `${r.where}: the subgraph has ${sub.heads.length} outputs; expected ${a.numOutData} per-step outputs and ${a.stateLocs.length} states`,
    );
  const nd0 = a.dataLocs.length;
  return {
    numOutputs: a.numOutputs,
    deterministic: true,
    infer: (io) => infer(a, io),
    forward: (ins, ctx) => {
      const data = ins.slice(0, nd0);
      const T = (data[0] as NDArray).shape[0] as number;
      for (const x of data)
        if (x.ndim < 1 || x.shape[0] !== T)
          throw new ValueError(`${r.where}: every data input must have ${T} steps on axis 0, got ${x.shape.join('x')}`);
      let states = ins.slice(nd0, nd0 + a.stateLocs.length);
      const remain = ins.slice(nd0 + a.stateLocs.length);
      const steps: NDArray[][] = Array.from({ length: a.numOutData }, () => []);
      for (let t = 0; t < T; t++) {
        const outs = ctx.runSubgraph(
          0,
          subInputs<NDArray>(a, [...data.map((x) => x.get(t)), ...states, ...remain], data[0] as NDArray),
        );
        for (let k = 0; k < a.numOutData; k++) (steps[k] as NDArray[]).push(outs[k] as NDArray);
        states = outs.slice(a.numOutData);
      }
      return [...steps.map((s) => nd.stack(s, { axis: 0 })), ...states];
    },
  };
};
