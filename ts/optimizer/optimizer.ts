// mx.optimizer (python/mxnet/optimizer/optimizer.py and the update operators of
// src/operator/optimizer_op-inl.h): SGD (momentum), NAG, Adam, RMSProp (centered) and AdaGrad,
// with MXNet's exact per-element rules, including the quirks the docstrings do not show:
// - SGD and NAG clip the rescaled gradient before adding weight decay; Adam and RMSProp add the
//   weight decay first and clip the sum;
// - NAG's momentum update uses the already updated weight for its weight decay (in place);
// - Adam folds the bias correction into the learning rate and leaves epsilon uncorrected;
// - AdaGrad clips whenever clip_gradient is not None (the others only when it is non-zero).
// NaN or Inf in a gradient flows into the weights and states as in MXNet (no check is made).

import type { LRScheduler } from '../lr_scheduler.js';
import { zerosOf } from '../ndarray/ndarray.js';
import { describe } from '../util/describe.js';
import { ValueError } from '../util/errors.js';
import { checkNumber, checkUpdateCount, isPlainObject, snakeToCamel } from '../util/options.js';

/** Per-parameter multipliers the optimizer reads (a Gluon Parameter's lrMult and wdMult). */
export interface ParamMults {
  /** Learning-rate multiplier. */
  lrMult: number;
  /** Weight-decay multiplier. */
  wdMult: number;
}

/** Options every optimizer takes (MXNet's snake_case keys are accepted too). */
export interface OptimizerOptions {
  /** The learning rate (default 0.01; Adam and RMSProp 0.001). */
  learningRate?: number | null;
  /** Weight decay (default 0). */
  wd?: number;
  /** Clip the (rescaled) gradient to [-clipGradient, clipGradient] (default null: no clipping). */
  clipGradient?: number | null;
  /** Multiplies every gradient first (the Trainer sets it to 1/batchSize times this). */
  rescaleGrad?: number;
  /** A learning-rate schedule over the number of updates. */
  lrScheduler?: LRScheduler | null;
  /** The update count to start from (default 0). */
  beginNumUpdate?: number;
  /** Float16 master weights in MXNet; a no-op for the float32 weights here. */
  multiPrecision?: boolean;
}

const BASE_KEYS = [
  'learningRate',
  'wd',
  'clipGradient',
  'rescaleGrad',
  'lrScheduler',
  'beginNumUpdate',
  'multiPrecision',
] as const;

/** @internal Normalises snake_case keys to camelCase and rejects unknown ones (naming the optimizer). */
export function normalizeOptions(where: string, raw: unknown, keys: readonly string[]): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) throw new TypeError(`${where}: options must be a plain object, got ${describe(raw)}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const camel = snakeToCamel(k);
    if (!keys.includes(camel)) {
      throw new ValueError(`${where}: unknown option '${k}'; expected one of: ${keys.join(', ')}`);
    }
    if (v !== undefined) out[camel] = v;
  }
  return out;
}

const f32 = Math.fround;

/** Base class of the optimizers: per-parameter update counts, learning rate and weight decay. */
export abstract class Optimizer {
  /** Multiplies every gradient first (the Trainer sets it to 1/batchSize). */
  rescaleGrad: number;
  /** Weight decay. */
  wd: number;
  /** The clipping bound, or null. */
  clipGradient: number | null;
  /** The learning-rate schedule, or null. */
  readonly lrScheduler: LRScheduler | null;
  /** The largest number of updates any parameter has had (`num_update`). */
  numUpdate: number;
  /** Where update counts start. */
  readonly beginNumUpdate: number;
  /** @internal Multipliers by parameter index (Gluon's param_dict). */
  paramDict: Map<number, ParamMults> = new Map();
  protected lr: number | null;
  /** @internal Update count per parameter index. */
  indexUpdateCount: Map<number, number> = new Map();

  protected constructor(where: string, o: Record<string, unknown>, defaultLr: number | null) {
    // Gluon note: MXNet can make its base Optimizer (whose update then raises); here it is abstract.
    if (new.target === Optimizer)
      throw new TypeError(
        'Optimizer is abstract: use mx.optimizer.create(name, options) or SGD, NAG, Adam, RMSProp, AdaGrad',
      );
    this.rescaleGrad = checkNumber(where, 'rescaleGrad', o.rescaleGrad ?? 1);
    this.wd = checkNumber(where, 'wd', o.wd ?? 0);
    const clip = o.clipGradient ?? null;
    this.clipGradient = clip === null ? null : checkNumber(where, 'clipGradient', clip);
    const sched = (o.lrScheduler ?? null) as LRScheduler | null;
    if (sched !== null && typeof (sched as { call?: unknown }).call !== 'function')
      throw new TypeError(`${where}: lrScheduler must be an LRScheduler, got ${describe(sched)}`);
    this.lrScheduler = sched;
    let lr = o.learningRate === undefined ? defaultLr : (o.learningRate as number | null);
    if (sched === null && lr === null) lr = 0.01;
    if (lr !== null) checkNumber(where, 'learningRate', lr);
    this.lr = lr;
    // MXNet: an explicit learning rate overwrites the scheduler's base_lr.
    if (sched !== null && lr !== null && sched.baseLr !== lr) sched.baseLr = lr;
    this.beginNumUpdate = checkUpdateCount(where, 'beginNumUpdate', o.beginNumUpdate ?? 0);
    this.numUpdate = this.beginNumUpdate;
    if (o.multiPrecision !== undefined && typeof o.multiPrecision !== 'boolean')
      throw new TypeError(`${where}: multiPrecision must be a boolean, got ${describe(o.multiPrecision)}`);
  }

  /** The current learning rate (the scheduler's at `numUpdate`, if any). */
  get learningRate(): number {
    return this.lrScheduler !== null ? this.lrScheduler.call(this.numUpdate) : (this.lr as number);
  }

  /** Sets the learning rate; throws when a scheduler owns it (MXNet's UserWarning). */
  setLearningRate(lr: number): void {
    if (this.lrScheduler !== null) {
      throw new ValueError(
        'LRScheduler of the optimizer has already been defined. Note that set_learning_rate can mutate the value of the learning rate of the optimizer only when the LRScheduler of the optimizer is undefined.',
      );
    }
    this.lr = checkNumber('Optimizer.setLearningRate', 'lr', lr);
  }

  /** The state arrays of one parameter (zeros), as MXNet's create_state. */
  abstract createState(index: number, size: number): Float32Array[];

  /** Updates `weight` (and `state`) in place from `grad`: one call of MXNet's `update`. */
  abstract update(index: number, weight: Float32Array, grad: Float32Array, state: Float32Array[]): void;

  /** @internal `n` zero state arrays of `size` elements, `size` checked first. */
  protected zeroStates(where: string, size: number, n: number): Float32Array[] {
    if (!Number.isSafeInteger(size) || size < 0)
      throw new RangeError(`${where}: size must be an integer >= 0, got ${describe(size)}`);
    return Array.from({ length: n }, () => zerosOf([size], where));
  }

  /**
   * @internal `update`'s arguments, checked before anything is written: an integer index >= 0,
   * weight and gradient Float32Arrays of one length, and the state arrays `createState` makes.
   */
  protected checkUpdate(
    where: string,
    index: number,
    w: Float32Array,
    grad: Float32Array,
    state: Float32Array[],
  ): void {
    if (!Number.isSafeInteger(index) || index < 0)
      throw new TypeError(`${where}: index must be an integer >= 0, got ${describe(index)}`);
    if (!(w instanceof Float32Array))
      throw new TypeError(`${where}: weight must be a Float32Array, got ${describe(w)}`);
    if (!(grad instanceof Float32Array) || grad.length !== w.length)
      throw new TypeError(
        `${where}: grad must be a Float32Array of ${w.length} elements (the weight's), got ${describe(grad)}`,
      );
    const want = this.createState(index, 0).length;
    if (
      !Array.isArray(state) ||
      state.length !== want ||
      !state.every((a) => a instanceof Float32Array && a.length === w.length)
    )
      throw new TypeError(
        `${where}: state must be the ${want} Float32Array(s) of ${w.length} elements that createState makes, got ${describe(state)}`,
      );
  }

  /** @internal `_update_count`: counts the update and returns the parameter's count. */
  protected updateCount(index: number): number {
    const c = (this.indexUpdateCount.get(index) ?? this.beginNumUpdate) + 1;
    this.indexUpdateCount.set(index, c);
    this.numUpdate = Math.max(c, this.numUpdate);
    return c;
  }
  /** @internal `_get_lr`: the (scheduled) rate times the parameter's lrMult. */
  protected getLr(index: number): number {
    const lr = this.lrScheduler !== null ? this.lrScheduler.call(this.numUpdate) : (this.lr as number);
    return lr * (this.paramDict.get(index)?.lrMult ?? 1);
  }
  /** @internal `_get_wd`: wd times the parameter's wdMult. */
  protected getWd(index: number): number {
    return this.wd * (this.paramDict.get(index)?.wdMult ?? 1);
  }
  /** The clip bound the kernels see: MXNet passes clip_gradient only when truthy; -1 means none. */
  protected kernelClip(): number {
    return this.clipGradient ? this.clipGradient : -1;
  }
}

/** mshadow_op::clip: limits x to [-c, c]. */
function clipTo(x: number, c: number): number {
  return Math.min(Math.max(x, -c), c);
}

/** Options of {@link SGD}. */
export interface SGDOptions extends OptimizerOptions {
  /** Momentum (default 0: plain SGD, no state). */
  momentum?: number;
  /** Row-sparse lazy updates in MXNet; dense gradients here update the same either way. */
  lazyUpdate?: boolean;
}

/** `SGD(momentum=0, lazyUpdate=true, ...)`: sgd_update / sgd_mom_update (multi_sgd_* in Gluon). */
export class SGD extends Optimizer {
  /** Momentum. */
  readonly momentum: number;
  constructor(options: SGDOptions = {}) {
    const o = normalizeOptions('SGD', options, [...BASE_KEYS, 'momentum', 'lazyUpdate']);
    super('SGD', o, null);
    this.momentum = checkNumber('SGD', 'momentum', o.momentum ?? 0);
  }
  createState(_index: number, size: number): Float32Array[] {
    return this.zeroStates('SGD.createState', size, this.momentum !== 0 ? 1 : 0);
  }
  update(index: number, w: Float32Array, grad: Float32Array, state: Float32Array[]): void {
    this.checkUpdate('SGD.update', index, w, grad, state);
    this.updateCount(index);
    const lr = f32(this.getLr(index));
    const wd = f32(this.getWd(index));
    const rg = f32(this.rescaleGrad);
    const clip = this.kernelClip();
    const mom = state[0];
    const mu = f32(Math.max(this.momentum, 0)); // momentum is passed to the kernel only when > 0
    for (let i = 0; i < w.length; i++) {
      let g = f32(rg * (grad[i] as number));
      if (clip >= 0) g = clipTo(g, clip);
      const wi = w[i] as number;
      // MultiSGDKernel: mom = momentum*mom - lr*wd*w - lr*clip(g); w += mom
      const m = f32(mu * (mom === undefined ? 0 : (mom[i] as number)) - lr * wd * wi - lr * g);
      if (mom !== undefined) mom[i] = m;
      w[i] = wi + m;
    }
  }
}

/** Options of {@link NAG}. */
export interface NAGOptions extends OptimizerOptions {
  /** Momentum (default 0: plain SGD). */
  momentum?: number;
}

/** `NAG(momentum=0, ...)`: nag_mom_update (sgd_update without momentum). */
export class NAG extends Optimizer {
  /** Momentum. */
  readonly momentum: number;
  constructor(options: NAGOptions = {}) {
    const o = normalizeOptions('NAG', options, [...BASE_KEYS, 'momentum']);
    super('NAG', o, null);
    this.momentum = checkNumber('NAG', 'momentum', o.momentum ?? 0);
  }
  createState(_index: number, size: number): Float32Array[] {
    return this.zeroStates('NAG.createState', size, this.momentum !== 0 ? 1 : 0);
  }
  update(index: number, w: Float32Array, grad: Float32Array, state: Float32Array[]): void {
    this.checkUpdate('NAG.update', index, w, grad, state);
    this.updateCount(index);
    const lr = f32(this.getLr(index));
    const wd = f32(this.getWd(index));
    const rg = f32(this.rescaleGrad);
    const clip = this.kernelClip();
    const mom = state[0];
    if (mom === undefined) {
      for (let i = 0; i < w.length; i++) {
        let g = f32(rg * (grad[i] as number));
        if (clip >= 0) g = clipTo(g, clip);
        w[i] = (1 - lr * wd) * (w[i] as number) - lr * g;
      }
      return;
    }
    const mu = f32(Math.max(this.momentum, 0)); // momentum is passed to the kernel only when > 0
    for (let i = 0; i < w.length; i++) {
      let g = f32(rg * (grad[i] as number));
      if (clip >= 0) g = clipTo(g, clip);
      const m = f32(mu * (mom[i] as number));
      const wi = w[i] as number;
      // NAGMomKernel, in place: the weight is written first, then the momentum reads it back.
      const wNew = f32(wi - m + (mu + 1) * (m - lr * (g + wd * wi)));
      w[i] = wNew;
      mom[i] = m - lr * (g + wd * wNew);
    }
  }
}

/** Options of {@link Adam}. */
export interface AdamOptions extends OptimizerOptions {
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the second moment (default 0.999). */
  beta2?: number;
  /** Added to sqrt(v) (default 1e-8; not bias-corrected, as MXNet). */
  epsilon?: number;
  /** Row-sparse lazy updates in MXNet; dense gradients here update the same either way. */
  lazyUpdate?: boolean;
}

/** `Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, ...)`: adam_update with lr * sqrt(1-b2^t)/(1-b1^t). */
export class Adam extends Optimizer {
  /** Decay of the first moment. */
  readonly beta1: number;
  /** Decay of the second moment. */
  readonly beta2: number;
  /** The epsilon added to sqrt(v). */
  readonly epsilon: number;
  constructor(options: AdamOptions = {}) {
    const o = normalizeOptions('Adam', options, [...BASE_KEYS, 'beta1', 'beta2', 'epsilon', 'lazyUpdate']);
    super('Adam', o, 0.001);
    this.beta1 = checkNumber('Adam', 'beta1', o.beta1 ?? 0.9);
    this.beta2 = checkNumber('Adam', 'beta2', o.beta2 ?? 0.999);
    this.epsilon = checkNumber('Adam', 'epsilon', o.epsilon ?? 1e-8);
  }
  createState(_index: number, size: number): Float32Array[] {
    return this.zeroStates('Adam.createState', size, 2);
  }
  update(index: number, w: Float32Array, grad: Float32Array, state: Float32Array[]): void {
    this.checkUpdate('Adam.update', index, w, grad, state);
    const t = this.updateCount(index);
    const coef1 = 1 - this.beta1 ** t;
    const coef2 = 1 - this.beta2 ** t;
    const lr = f32((this.getLr(index) * Math.sqrt(coef2)) / coef1);
    const wd = f32(this.getWd(index));
    const rg = f32(this.rescaleGrad);
    const b1 = f32(this.beta1);
    const b2 = f32(this.beta2);
    const eps = f32(this.epsilon);
    const clip = this.kernelClip();
    const [mean, vr] = state as [Float32Array, Float32Array];
    for (let i = 0; i < w.length; i++) {
      const wi = w[i] as number;
      let g = f32((grad[i] as number) * rg + wi * wd);
      if (clip >= 0) g = clipTo(g, clip);
      const m = f32(b1 * (mean[i] as number) + (1 - b1) * g);
      const v = f32(b2 * (vr[i] as number) + (1 - b2) * g * g);
      mean[i] = m;
      vr[i] = v;
      w[i] = wi - (lr * m) / (Math.sqrt(v) + eps);
    }
  }
}

/** Options of {@link RMSProp}. */
export interface RMSPropOptions extends OptimizerOptions {
  /** Decay of the squared-gradient average (default 0.9). */
  gamma1?: number;
  /** Momentum of the centered version (default 0.9). */
  gamma2?: number;
  /** Added under the square root (default 1e-8). */
  epsilon?: number;
  /** Graves' centered version (rmspropalex_update; default false). */
  centered?: boolean;
  /** Clip the weights to [-clipWeights, clipWeights] after each update (default null). */
  clipWeights?: number | null;
}

/** `RMSProp(learningRate=0.001, gamma1=0.9, gamma2=0.9, epsilon=1e-8, centered=false, clipWeights=null, ...)`. */
export class RMSProp extends Optimizer {
  /** Decay of the squared-gradient average. */
  readonly gamma1: number;
  /** Momentum of the centered version. */
  readonly gamma2: number;
  /** Added under the square root. */
  readonly epsilon: number;
  /** Whether the centered (Graves) version runs. */
  readonly centered: boolean;
  /** The weight clipping bound, or null. */
  readonly clipWeights: number | null;
  constructor(options: RMSPropOptions = {}) {
    const o = normalizeOptions('RMSProp', options, [
      ...BASE_KEYS,
      'gamma1',
      'gamma2',
      'epsilon',
      'centered',
      'clipWeights',
    ]);
    super('RMSProp', o, 0.001);
    this.gamma1 = checkNumber('RMSProp', 'gamma1', o.gamma1 ?? 0.9);
    this.gamma2 = checkNumber('RMSProp', 'gamma2', o.gamma2 ?? 0.9);
    this.epsilon = checkNumber('RMSProp', 'epsilon', o.epsilon ?? 1e-8);
    if (o.centered !== undefined && typeof o.centered !== 'boolean')
      throw new TypeError(`RMSProp: centered must be a boolean, got ${describe(o.centered)}`);
    this.centered = o.centered === true;
    const cw = o.clipWeights ?? null;
    this.clipWeights = cw === null ? null : checkNumber('RMSProp', 'clipWeights', cw);
  }
  createState(_index: number, size: number): Float32Array[] {
    return this.zeroStates('RMSProp.createState', size, this.centered ? 3 : 1);
  }
  update(index: number, w: Float32Array, grad: Float32Array, state: Float32Array[]): void {
    this.checkUpdate('RMSProp.update', index, w, grad, state);
    this.updateCount(index);
    const lr = f32(this.getLr(index));
    const wd = f32(this.getWd(index));
    const rg = f32(this.rescaleGrad);
    const g1 = f32(this.gamma1);
    const g2 = f32(this.gamma2);
    const eps = f32(this.epsilon);
    const clip = this.kernelClip();
    const cw = this.clipWeights ? this.clipWeights : -1;
    const [n, gm, delta] = state as [Float32Array, Float32Array | undefined, Float32Array | undefined];
    for (let i = 0; i < w.length; i++) {
      const wi = w[i] as number;
      let g = f32(rg * (grad[i] as number) + wd * wi);
      if (clip >= 0) g = clipTo(g, clip);
      const ni = f32((1 - g1) * (g * g) + g1 * (n[i] as number));
      n[i] = ni;
      let out: number;
      if (!this.centered) {
        out = wi - lr * (g / Math.sqrt(ni + eps));
      } else {
        const gi = f32((1 - g1) * g + g1 * ((gm as Float32Array)[i] as number));
        (gm as Float32Array)[i] = gi;
        const d = f32(g2 * ((delta as Float32Array)[i] as number) - lr * (g / Math.sqrt(ni - gi * gi + eps)));
        (delta as Float32Array)[i] = d;
        out = wi + d;
      }
      w[i] = cw >= 0 ? clipTo(out, cw) : out;
    }
  }
}

/** Options of {@link AdaGrad}. */
export interface AdaGradOptions extends OptimizerOptions {
  /** Added to the history under the square root (default 1e-7; Python's `eps`). */
  eps?: number;
}

/** `AdaGrad(eps=1e-7, ...)`: history += g^2; w -= lr (g / sqrt(history + eps) + wd w). */
export class AdaGrad extends Optimizer {
  /** Added to the history under the square root. */
  readonly eps: number;
  constructor(options: AdaGradOptions = {}) {
    const o = normalizeOptions('AdaGrad', options, [...BASE_KEYS, 'eps']);
    super('AdaGrad', o, null);
    this.eps = checkNumber('AdaGrad', 'eps', o.eps ?? 1e-7);
  }
  createState(_index: number, size: number): Float32Array[] {
    return this.zeroStates('AdaGrad.createState', size, 1);
  }
  update(index: number, w: Float32Array, grad: Float32Array, state: Float32Array[]): void {
    this.checkUpdate('AdaGrad.update', index, w, grad, state);
    this.updateCount(index);
    const lr = f32(this.getLr(index));
    const wd = f32(this.getWd(index));
    const rg = f32(this.rescaleGrad);
    const eps = f32(this.eps);
    const c = this.clipGradient;
    const hist = state[0] as Float32Array;
    for (let i = 0; i < w.length; i++) {
      let g = f32((grad[i] as number) * rg);
      // Python's dense path: `if self.clip_gradient is not None: clip(grad, -c, c)`.
      if (c !== null) g = Math.min(Math.max(g, -c), c);
      const h = f32((hist[i] as number) + g * g);
      hist[i] = h;
      const div = f32(g / Math.sqrt(h + eps));
      const wi = w[i] as number;
      w[i] = wi + (div + wi * wd) * -lr;
    }
  }
}

const REGISTRY: Readonly<Record<string, new (o: Record<string, unknown>) => Optimizer>> = {
  sgd: SGD,
  nag: NAG,
  adam: Adam,
  rmsprop: RMSProp,
  adagrad: AdaGrad,
};

/** `mx.optimizer.create(name, **kwargs)`: an optimizer by its (case-insensitive) name. */
export function create(name: string, options: Record<string, unknown> = {}): Optimizer {
  if (typeof name !== 'string') throw new TypeError(`optimizer.create: name must be a string, got ${describe(name)}`);
  const cls = REGISTRY[name.toLowerCase()];
  if (cls === undefined) {
    throw new ValueError(`Cannot find optimizer ${name} (available: ${Object.keys(REGISTRY).join(', ')})`);
  }
  return new cls(options);
}
