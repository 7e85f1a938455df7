// The autograd tape (docs/design/architecture.md decision 14): while `record()` is active, every
// operator whose inputs lead back to an array with an attached gradient appends one node that
// holds only its backward closure. `backward` walks the nodes in reverse creation order and
// frees them afterwards (MXNet's retain_graph=False), as src/imperative/imperative.cc does.

import { NDArray } from '../ndarray/ndarray.js';

/** How a gradient is written into an attached buffer: overwrite, accumulate, or not at all. */
export type GradReqKind = 'write' | 'add' | 'null';

/**
 * The backward of one operator: the gradient of its output (row-major, the output's size) to
 * one gradient per input (the input's size), or null where an input gets none.
 */
export type BackwardFn = (gradOut: Float32Array) => readonly (Float32Array | null)[];

interface TapeNode {
  readonly id: number;
  readonly op: string;
  inputs: readonly (NDArray | null)[];
  backward: BackwardFn | null;
}

/** @internal A leaf with an attached gradient buffer. */
export interface Variable {
  grad: NDArray | null;
  req: GradReqKind;
  /** Set by backward, cleared by the optimizer step (Gluon's `_fresh_grad`). */
  fresh: boolean;
}

type Entry = { readonly node: TapeNode } | { readonly variable: Variable };

/** Thrown by `backward` on an array that no recording produced, or whose graph was freed. */
export class AutogradError extends Error {
  /** `'AutogradError'`. */
  override name = 'AutogradError';
}

const entries = new WeakMap<NDArray, Entry>();
/** How many times `entries` was written: a lookup's answer holds while this stays put. */
let entryWrites = 0;

/** The one writer of `entries`, counting its writes. */
function setEntry(x: NDArray, e: Entry): void {
  entries.set(x, e);
  entryWrites++;
}
let nextId = 0;
let recording = false;
let training = false;

/** Whether operators are being recorded (`autograd.is_recording()`). */
export function isRecording(): boolean {
  return recording;
}
/** Whether layers run in training mode: Dropout drops, BatchNorm uses batch statistics (`autograd.is_training()`). */
export function isTraining(): boolean {
  return training;
}

/** @internal Runs `fn` with the recording and training flags set, restoring them afterwards. */
export function withFlags<T>(where: string, rec: boolean, train: boolean, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`${where}: expected a callback function, got ${typeof fn}`);
  const [r0, t0] = [recording, training];
  recording = rec;
  training = train;
  try {
    const out = fn();
    if (out !== null && typeof out === 'object' && typeof (out as { then?: unknown }).then === 'function') {
      throw new TypeError(
        `${where}: the callback returned a Promise; the scope ends when the callback returns, so it must be synchronous`,
      );
    }
    return out;
  } finally {
    recording = r0;
    training = t0;
  }
}

/** @internal Whether an array takes part in differentiation (a variable or a recorded output). */
export function needsGrad(x: NDArray | null | undefined): boolean {
  return x !== null && x !== undefined && entries.has(x);
}

/**
 * @internal Records one operator: a no-op unless recording and some input needs a gradient.
 * `makeBackward` is called only then, so inference pays for nothing but the check.
 */
export function tape(
  op: string,
  inputs: readonly (NDArray | null | undefined)[],
  output: NDArray,
  makeBackward: () => BackwardFn,
): NDArray {
  if (!recording) return output;
  let any = false;
  for (const x of inputs) {
    if (x === output) return output; // an identity that returned its input: nothing to record
    if (x !== null && x !== undefined && entries.has(x)) any = true;
  }
  if (!any) return output;
  const node: TapeNode = { id: nextId++, op, inputs: inputs.map((x) => x ?? null), backward: makeBackward() };
  setEntry(output, { node });
  return output;
}

/**
 * @internal For operators without a backward: throws while recording if an input needs a
 * gradient, rather than silently cutting the gradient there.
 */
export function refuseGrad(where: string, inputs: readonly unknown[]): void {
  if (!recording) return;
  for (const x of inputs) {
    if (x instanceof NDArray && entries.has(x)) {
      throw new AutogradError(
        `${where} has no backward here: it cannot be applied under autograd.record() to an array that needs a gradient`,
      );
    }
  }
}

/** @internal Marks `x` as a leaf with a (zeroed) gradient buffer; `attach_grad` detaches it from any graph. */
export function attachGrad(x: NDArray, req: GradReqKind, grad?: NDArray): Variable {
  const variable: Variable = {
    grad: req === 'null' ? null : (grad ?? new NDArray(new Float32Array(x.size), x.shape)),
    req,
    fresh: false,
  };
  setEntry(x, { variable });
  return variable;
}

/** @internal Makes `x` a leaf that writes into an existing variable record (a Parameter's gradient). */
export function bindVariable(x: NDArray, variable: Variable): void {
  setEntry(x, { variable });
}

/** @internal How many times any array's variable or graph entry was set: unchanged, so are all lookups. */
export function tapeWrites(): number {
  return entryWrites;
}

/** @internal The variable record of `x`, if it has an attached gradient. */
export function variableOf(x: NDArray): Variable | undefined {
  const e = entries.get(x);
  return e !== undefined && 'variable' in e ? e.variable : undefined;
}

/** @internal Forgets `x`'s place in any graph (`detach`): the returned array shares data but records nothing. */
export function detached(x: NDArray): NDArray {
  return new NDArray(x.data, x.shape);
}

function notInGraph(): AutogradError {
  return new AutogradError(
    'Cannot differentiate node because it is not in a computational graph. You need to set is_recording to true or use autograd.record() to save computational graphs for backward.',
  );
}

function freedGraph(op: string): AutogradError {
  return new AutogradError(
    `Cannot differentiate node: the graph through operator '${op}' was freed by a previous backward. If you want to differentiate the same graph twice, pass retainGraph: true to backward.`,
  );
}

/**
 * `autograd.backward(heads, head_grads=None, retain_graph=False, train_mode=True)`: computes the
 * gradients of `heads` with respect to every attached variable they depend on, writing them by
 * each variable's gradReq. Everything is checked before any gradient is written.
 */
export function backwardImpl(
  heads: readonly NDArray[],
  headGrads: readonly (NDArray | null)[] | null,
  retainGraph: boolean,
  trainMode: boolean,
): void {
  if (headGrads !== null && headGrads.length !== heads.length) {
    throw new RangeError(`backward: ${heads.length} heads but ${headGrads.length} head gradients`);
  }
  const nodeGrads = new Map<TapeNode, Float32Array>();
  const varGrads = new Map<Variable, Float32Array>();
  const acc = (map: Map<unknown, Float32Array>, key: unknown, g: Float32Array): void => {
    const cur = map.get(key);
    if (cur === undefined) map.set(key, g.slice());
    else for (let i = 0; i < cur.length; i++) cur[i] = (cur[i] as number) + (g[i] as number);
  };
  const seeds: [Entry, Float32Array][] = [];
  heads.forEach((h, i) => {
    if (!(h instanceof NDArray)) throw new TypeError(`backward: heads[${i}] must be an NDArray`);
    const e = entries.get(h);
    if (e === undefined) throw notInGraph();
    if ('node' in e && e.node.backward === null) throw freedGraph(e.node.op);
    const hg = headGrads?.[i] ?? null;
    if (hg !== null && hg.size !== h.size) {
      throw new RangeError(`backward: head gradient ${i} has ${hg.size} elements but the head has ${h.size}`);
    }
    seeds.push([e, hg === null ? new Float32Array(h.size).fill(1) : hg.data]);
  });
  // Collect the reachable nodes and variables; a freed node anywhere fails before any work.
  const nodes: TapeNode[] = [];
  const vars = new Set<Variable>();
  const seen = new Set<TapeNode>();
  const stack: Entry[] = seeds.map(([e]) => e);
  while (stack.length > 0) {
    const e = stack.pop() as Entry;
    if ('variable' in e) {
      vars.add(e.variable);
      continue;
    }
    if (seen.has(e.node)) continue;
    if (e.node.backward === null) throw freedGraph(e.node.op);
    seen.add(e.node);
    nodes.push(e.node);
    for (const x of e.node.inputs) {
      const ie = x === null ? undefined : entries.get(x);
      if (ie !== undefined) stack.push(ie);
    }
  }
  for (const [e, g] of seeds) {
    if ('node' in e) acc(nodeGrads, e.node, g);
    else acc(varGrads, e.variable, g);
  }
  nodes.sort((p, q) => q.id - p.id);
  withFlags('backward', false, trainMode, () => {
    for (const node of nodes) {
      const g = nodeGrads.get(node);
      if (g === undefined) continue;
      nodeGrads.delete(node);
      const gin = (node.backward as BackwardFn)(g);
      node.inputs.forEach((x, i) => {
        const gi = gin[i];
        if (x === null || gi === null || gi === undefined) return;
        const ie = entries.get(x);
        if (ie === undefined) return;
        if ('node' in ie) acc(nodeGrads, ie.node, gi);
        else acc(varGrads, ie.variable, gi);
      });
    }
  });
  // MXNet writes every variable of the graph: one without a gradient path gets zeros ('write').
  for (const v of vars) {
    if (v.req === 'null' || v.grad === null) continue;
    const g = varGrads.get(v);
    const dst = v.grad.data;
    if (v.req === 'write') {
      if (g === undefined) dst.fill(0);
      else dst.set(g);
    } else if (g !== undefined) {
      for (let i = 0; i < dst.length; i++) dst[i] = (dst[i] as number) + (g[i] as number);
    }
    v.fresh = true;
  }
  if (!retainGraph) {
    for (const node of nodes) {
      node.backward = null;
      node.inputs = [];
    }
  }
}
