// gluon.loss (python/mxnet/gluon/loss.py): L2Loss, L1Loss, SigmoidBinaryCrossEntropyLoss,
// SoftmaxCrossEntropyLoss, KLDivLoss, HuberLoss. Each is built from nd operators exactly as
// MXNet's hybrid_forward, so autograd differentiates it; the result has one value per sample
// (the non-batch axes averaged, or summed for KLDivLoss, as the code does).

import * as nd from '../ndarray/index.js';
import { NDArray, shapeStr } from '../ndarray/ndarray.js';
import { describe } from '../util/describe.js';
import { AssertionError, ValueError } from '../util/errors.js';
import { type PositionalArgs, parseArgs, pyFloat } from '../util/options.js';
import { type BlockOptions, className, HybridBlock } from './block.js';
import type { ParameterDict } from './parameter.js';

/** Options every loss takes: `weight` (a global scalar) and `batchAxis`. */
export interface LossOptions extends BlockOptions {
  /** A global scalar weight (null: none; L2Loss defaults to 1). */
  weight?: number | null;
  /** The axis of the mini-batch (default 0); the others are averaged (summed by KLDivLoss). */
  batchAxis?: number;
}

function checkNd(where: string, what: string, x: unknown): NDArray {
  if (!(x instanceof NDArray)) throw new TypeError(`${where}: ${what} must be an NDArray, got ${describe(x)}`);
  return x;
}

/** MXNet's `_reshape_like(label, pred)`: the label takes the prediction's shape (same size). */
function reshapeLike(where: string, label: NDArray, pred: NDArray): NDArray {
  if (label.size !== pred.size) {
    throw new ValueError(
      `${where}: label of shape ${shapeStr(label.shape)} (${label.size} elements) cannot be reshaped to pred's shape ${shapeStr(pred.shape)} (${pred.size} elements)`,
    );
  }
  return label.reshape(pred.shape);
}

/**
 * Base class of the losses (`Loss(weight, batch_axis)`): `forward(pred, label, sampleWeight?)`
 * returns one loss per sample, shape (batch,).
 */
export abstract class Loss extends HybridBlock {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'Loss';
  protected readonly _weight: number | null;
  protected readonly _batchAxis: number;

  constructor(where: string, weight: unknown, batchAxis: unknown, prefix: string | null, params: ParameterDict | null) {
    // Gluon note: MXNet can make its base Loss (whose hybrid_forward then raises); here it is abstract.
    if (new.target === Loss) throw new TypeError('Loss is abstract: use L2Loss, L1Loss, SoftmaxCrossEntropyLoss, ...');
    if (weight !== null && weight !== undefined && typeof weight !== 'number')
      throw new TypeError(`${where}: weight must be a number or null, got ${describe(weight)}`);
    if (!Number.isInteger(batchAxis))
      throw new TypeError(`${where}: batchAxis must be an integer, got ${describe(batchAxis)}`);
    super({ prefix, params });
    this._weight = (weight as number | null | undefined) ?? null;
    this._batchAxis = batchAxis as number;
  }

  /** `loss(pred, label, sample_weight=None)`: one loss value per sample. */
  override forward(pred: NDArray, label: NDArray, sampleWeight?: NDArray | null): NDArray;
  override forward(pred: unknown, label?: unknown, sampleWeight?: unknown, ...rest: unknown[]): NDArray {
    return this._forward(pred, label, sampleWeight, rest);
  }

  /** @internal The checks shared by every loss, then `_loss`. */
  protected _forward(pred: unknown, label: unknown, sampleWeight: unknown, rest: unknown[]): NDArray {
    const where = `${className(this)}.forward`;
    const p = checkNd(where, 'pred', pred);
    const l = checkNd(where, 'label', label);
    const sw =
      sampleWeight === undefined || sampleWeight === null ? null : checkNd(where, 'sampleWeight', sampleWeight);
    return this._loss(where, p, l, sw, rest);
  }

  /** @internal The loss before the reduction over the non-batch axes. */
  protected abstract _loss(
    where: string,
    pred: NDArray,
    label: NDArray,
    sampleWeight: NDArray | null,
    rest: unknown[],
  ): NDArray;

  /** `_apply_weighting(loss, weight, sample_weight)`: broadcast by sample_weight, times weight. */
  protected _weighting(loss: NDArray, weight: number | null, sampleWeight: NDArray | null): NDArray {
    let out = loss;
    if (sampleWeight !== null) out = nd.broadcast_mul(out, sampleWeight);
    if (weight !== null) out = nd.mul(out, weight);
    return out;
  }

  /** The mean over every axis but the batch axis. */
  protected _meanOverSample(loss: NDArray): NDArray {
    return nd.mean(loss, { axis: this._batchAxis, exclude: true });
  }

  /** Gluon's repr: `L2Loss(batch_axis=0, w=1.0)`. */
  override toString(): string {
    return `${className(this)}(batch_axis=${this._batchAxis}, w=${this._weight === null ? 'None' : pyFloat(this._weight)})`;
  }
}

type WB = [weight: number | null, batchAxis: number, prefix: string | null, params: ParameterDict | null];
const WB_NAMES = ['weight', 'batchAxis', 'prefix', 'params'] as const;

/** `L2Loss(weight=1, batchAxis=0)`: mean over the sample of weight/2 * (label - pred)^2. */
export class L2Loss extends Loss {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'L2Loss';
  constructor(...args: PositionalArgs<[], WB, LossOptions>);
  constructor(...args: unknown[]) {
    const o = parseArgs<LossOptions>('L2Loss', args, WB_NAMES, { weight: 1, batchAxis: 0, prefix: null, params: null });
    super('L2Loss', o.weight, o.batchAxis, o.prefix ?? null, o.params ?? null);
  }
  protected _loss(where: string, pred: NDArray, label: NDArray, sw: NDArray | null): NDArray {
    const l = reshapeLike(where, label, pred);
    const loss = nd.square(nd.sub(l, pred));
    return this._meanOverSample(this._weighting(loss, this._weight === null ? null : this._weight / 2, sw));
  }
}

/** `L1Loss(weight=null, batchAxis=0)`: mean over the sample of |label - pred|. */
export class L1Loss extends Loss {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'L1Loss';
  constructor(...args: PositionalArgs<[], WB, LossOptions>);
  constructor(...args: unknown[]) {
    const o = parseArgs<LossOptions>('L1Loss', args, WB_NAMES, {
      weight: null,
      batchAxis: 0,
      prefix: null,
      params: null,
    });
    super('L1Loss', o.weight, o.batchAxis, o.prefix ?? null, o.params ?? null);
  }
  protected _loss(where: string, pred: NDArray, label: NDArray, sw: NDArray | null): NDArray {
    const l = reshapeLike(where, label, pred);
    return this._meanOverSample(this._weighting(nd.abs(nd.sub(l, pred)), this._weight, sw));
  }
}

/** Options of {@link SigmoidBinaryCrossEntropyLoss}. */
export interface SigmoidBCELossOptions extends LossOptions {
  /** Whether `pred` is already a probability (after sigmoid) rather than a logit (default false). */
  fromSigmoid?: boolean;
}

/**
 * `SigmoidBinaryCrossEntropyLoss(fromSigmoid=false, weight=null, batchAxis=0)` (alias
 * SigmoidBCELoss): binary cross-entropy, from logits with the stable formula
 * max(x, 0) - x z + log(1 + exp(-|x|)); `forward(pred, label, sampleWeight?, posWeight?)`.
 */
export class SigmoidBinaryCrossEntropyLoss extends Loss {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'SigmoidBinaryCrossEntropyLoss';
  private readonly _fromSigmoid: boolean;
  constructor(
    ...args: PositionalArgs<
      [],
      [
        fromSigmoid: boolean,
        weight: number | null,
        batchAxis: number,
        prefix: string | null,
        params: ParameterDict | null,
      ],
      SigmoidBCELossOptions
    >
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<SigmoidBCELossOptions>('SigmoidBinaryCrossEntropyLoss', args, ['fromSigmoid', ...WB_NAMES], {
      fromSigmoid: false,
      weight: null,
      batchAxis: 0,
      prefix: null,
      params: null,
    });
    super('SigmoidBinaryCrossEntropyLoss', o.weight, o.batchAxis, o.prefix ?? null, o.params ?? null);
    if (typeof o.fromSigmoid !== 'boolean')
      throw new TypeError(
        `SigmoidBinaryCrossEntropyLoss: fromSigmoid must be a boolean, got ${describe(o.fromSigmoid)}`,
      );
    this._fromSigmoid = o.fromSigmoid;
  }
  /** `loss(pred, label, sample_weight=None, pos_weight=None)`. */
  override forward(pred: NDArray, label: NDArray, sampleWeight?: NDArray | null, posWeight?: NDArray | null): NDArray;
  override forward(pred: unknown, label?: unknown, sampleWeight?: unknown, ...rest: unknown[]): NDArray {
    return super.forward(pred as NDArray, label as NDArray, sampleWeight as NDArray | null, ...(rest as []));
  }
  protected _loss(where: string, pred: NDArray, label: NDArray, sw: NDArray | null, rest: unknown[]): NDArray {
    const z = reshapeLike(where, label, pred);
    const pw = rest[0] === undefined || rest[0] === null ? null : checkNd(where, 'posWeight', rest[0]);
    let loss: NDArray;
    if (!this._fromSigmoid) {
      const softAbs = nd.Activation(nd.mul(nd.abs(pred), -1), 'softrelu');
      if (pw === null) {
        loss = nd.add(nd.sub(nd.relu(pred), nd.mul(pred, z)), softAbs);
      } else {
        const logWeight = nd.add(nd.broadcast_mul(nd.sub(pw, 1), z), 1);
        loss = nd.add(nd.sub(pred, nd.mul(pred, z)), nd.mul(logWeight, nd.add(softAbs, nd.relu(nd.mul(pred, -1)))));
      }
    } else {
      const eps = 1e-12;
      const pos = nd.mul(nd.log(nd.add(pred, eps)), z);
      const neg = nd.mul(nd.log(nd.add(nd.sub(1, pred), eps)), nd.sub(1, z));
      loss = nd.mul(nd.add(pw === null ? pos : nd.broadcast_mul(pos, pw), neg), -1);
    }
    return this._meanOverSample(this._weighting(loss, this._weight, sw));
  }
}

/** Options of {@link SoftmaxCrossEntropyLoss}. */
export interface SoftmaxCELossOptions extends LossOptions {
  /** The class axis (default -1). */
  axis?: number;
  /** Labels are class indices (default true) rather than distributions. */
  sparseLabel?: boolean;
  /** `pred` is already log-probabilities (default false: log_softmax is applied). */
  fromLogits?: boolean;
}

/**
 * `SoftmaxCrossEntropyLoss(axis=-1, sparseLabel=true, fromLogits=false, weight=null, batchAxis=0)`
 * (alias SoftmaxCELoss): -log_softmax(pred)[label] (sparse) or -sum(label * log_softmax(pred)),
 * averaged over the non-batch axes.
 */
export class SoftmaxCrossEntropyLoss extends Loss {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'SoftmaxCrossEntropyLoss';
  private readonly _axis: number;
  private readonly _sparseLabel: boolean;
  private readonly _fromLogits: boolean;
  constructor(
    ...args: PositionalArgs<
      [],
      [
        axis: number,
        sparseLabel: boolean,
        fromLogits: boolean,
        weight: number | null,
        batchAxis: number,
        prefix: string | null,
        params: ParameterDict | null,
      ],
      SoftmaxCELossOptions
    >
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<SoftmaxCELossOptions>(
      'SoftmaxCrossEntropyLoss',
      args,
      ['axis', 'sparseLabel', 'fromLogits', ...WB_NAMES],
      { axis: -1, sparseLabel: true, fromLogits: false, weight: null, batchAxis: 0, prefix: null, params: null },
    );
    super('SoftmaxCrossEntropyLoss', o.weight, o.batchAxis, o.prefix ?? null, o.params ?? null);
    if (!Number.isInteger(o.axis))
      throw new TypeError(`SoftmaxCrossEntropyLoss: axis must be an integer, got ${describe(o.axis)}`);
    this._axis = o.axis as number;
    this._sparseLabel = !!o.sparseLabel;
    this._fromLogits = !!o.fromLogits;
  }
  protected _loss(where: string, pred: NDArray, label: NDArray, sw: NDArray | null): NDArray {
    const logp = this._fromLogits ? pred : nd.log_softmax(pred, this._axis);
    let loss: NDArray;
    if (this._sparseLabel) {
      const ax = this._axis < 0 ? this._axis + pred.ndim : this._axis;
      const want = pred.shape.filter((_d, i) => i !== ax);
      const keep = pred.shape.map((d, i) => (i === ax ? 1 : d));
      const fits = (s: readonly number[]) => s.length === label.ndim && s.every((d, i) => d === label.shape[i]);
      if (!fits(want) && !fits(keep)) {
        throw new ValueError(
          `${where}: label of shape ${shapeStr(label.shape)} does not fit pred of shape ${shapeStr(pred.shape)}: sparse labels need shape ${shapeStr(want)} (pred without axis ${ax})`,
        );
      }
      loss = nd.mul(nd.pick(logp, label, { axis: this._axis, keepdims: true }), -1);
    } else {
      const l = reshapeLike(where, label, pred);
      loss = nd.mul(nd.sum(nd.mul(logp, l), { axis: this._axis, keepdims: true }), -1);
    }
    return this._meanOverSample(this._weighting(loss, this._weight, sw));
  }
}

/** Options of {@link KLDivLoss}. */
export interface KLDivLossOptions extends LossOptions {
  /** `pred` is already log-probabilities (default true). */
  fromLogits?: boolean;
  /** The axis of the distribution when log_softmax is applied (default -1). */
  axis?: number;
}

/**
 * `KLDivLoss(fromLogits=true, axis=-1, weight=null, batchAxis=0)`: label * (log(label + 1e-12) -
 * pred), SUMMED over the non-batch axes (MXNet's code sums, unlike the other losses).
 */
export class KLDivLoss extends Loss {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'KLDivLoss';
  private readonly _fromLogits: boolean;
  private readonly _axis: number;
  constructor(
    ...args: PositionalArgs<
      [],
      [
        fromLogits: boolean,
        axis: number,
        weight: number | null,
        batchAxis: number,
        prefix: string | null,
        params: ParameterDict | null,
      ],
      KLDivLossOptions
    >
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<KLDivLossOptions>('KLDivLoss', args, ['fromLogits', 'axis', ...WB_NAMES], {
      fromLogits: true,
      axis: -1,
      weight: null,
      batchAxis: 0,
      prefix: null,
      params: null,
    });
    super('KLDivLoss', o.weight, o.batchAxis, o.prefix ?? null, o.params ?? null);
    if (!Number.isInteger(o.axis)) throw new TypeError(`KLDivLoss: axis must be an integer, got ${describe(o.axis)}`);
    this._fromLogits = !!o.fromLogits;
    this._axis = o.axis as number;
  }
  protected _loss(where: string, pred: NDArray, label: NDArray, sw: NDArray | null): NDArray {
    const logp = this._fromLogits ? pred : nd.log_softmax(pred, this._axis);
    if (label.size !== pred.size)
      throw new ValueError(
        `${where}: label of shape ${shapeStr(label.shape)} does not match pred of shape ${shapeStr(pred.shape)}`,
      );
    const loss = nd.mul(label, nd.sub(nd.log(nd.add(label, 1e-12)), logp));
    return nd.sum(this._weighting(loss, this._weight, sw), { axis: this._batchAxis, exclude: true });
  }
}

/** Options of {@link HuberLoss}. */
export interface HuberLossOptions extends LossOptions {
  /** The threshold between the quadratic and the linear part (default 1). */
  rho?: number;
}

/**
 * `HuberLoss(rho=1, weight=null, batchAxis=0)`: |d| - rho/2 where |d| > rho, else d^2 / (2 rho),
 * with d = label - pred; averaged over the non-batch axes.
 */
export class HuberLoss extends Loss {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'HuberLoss';
  private readonly _rho: number;
  constructor(
    ...args: PositionalArgs<
      [],
      [rho: number, weight: number | null, batchAxis: number, prefix: string | null, params: ParameterDict | null],
      HuberLossOptions
    >
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<HuberLossOptions>('HuberLoss', args, ['rho', ...WB_NAMES], {
      rho: 1,
      weight: null,
      batchAxis: 0,
      prefix: null,
      params: null,
    });
    super('HuberLoss', o.weight, o.batchAxis, o.prefix ?? null, o.params ?? null);
    if (typeof o.rho !== 'number' || !(o.rho > 0))
      throw new RangeError(`HuberLoss: rho must be a positive number, got ${describe(o.rho)}`);
    this._rho = o.rho;
  }
  protected _loss(where: string, pred: NDArray, label: NDArray, sw: NDArray | null): NDArray {
    const l = reshapeLike(where, label, pred);
    const d = nd.abs(nd.sub(l, pred));
    const rho = this._rho;
    const big = new NDArray(
      d.data.map((v) => (v > rho ? 1 : 0)),
      d.shape,
    );
    const loss = nd.where(big, nd.sub(d, 0.5 * rho), nd.mul(nd.square(d), 0.5 / rho));
    return this._meanOverSample(this._weighting(loss, this._weight, sw));
  }
}

/** Options of {@link CTCLoss}. */
export interface CTCLossOptions extends BlockOptions {
  /** The layout of `pred`: 'NTC' (default) or 'TNC'. */
  layout?: 'NTC' | 'TNC';
  /** The layout of `label`: 'NT' (default) or 'TN'. */
  labelLayout?: 'NT' | 'TN';
  /** A global scalar weight (default null). */
  weight?: number | null;
}

/**
 * `CTCLoss(layout='NTC', labelLayout='NT', weight=null)`: connectionist temporal classification
 * over unnormalised `pred` (C classes, the last one the blank), labels padded with -1;
 * `forward(pred, label, predLengths?, labelLengths?, sampleWeight?)` gives one loss per sample,
 * not averaged (as MXNet).
 */
export class CTCLoss extends Loss {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'CTCLoss';
  private readonly _layout: 'NTC' | 'TNC';
  constructor(
    ...args: PositionalArgs<
      [],
      [
        layout: 'NTC' | 'TNC',
        labelLayout: 'NT' | 'TN',
        weight: number | null,
        prefix: string | null,
        params: ParameterDict | null,
      ],
      CTCLossOptions
    >
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<CTCLossOptions>('CTCLoss', args, ['layout', 'labelLayout', 'weight', 'prefix', 'params'], {
      layout: 'NTC',
      labelLayout: 'NT',
      weight: null,
      prefix: null,
      params: null,
    });
    if (o.layout !== 'NTC' && o.layout !== 'TNC')
      throw new AssertionError(`Only 'NTC' and 'TNC' layouts for pred are supported. Got: ${String(o.layout)}`);
    if (o.labelLayout !== 'NT' && o.labelLayout !== 'TN')
      throw new AssertionError(`Only 'NT' and 'TN' layouts for label are supported. Got: ${String(o.labelLayout)}`);
    super('CTCLoss', o.weight, o.labelLayout.indexOf('N'), o.prefix ?? null, o.params ?? null);
    this._layout = o.layout;
  }
  /** `loss(pred, label, pred_lengths=None, label_lengths=None, sample_weight=None)`. */
  override forward(
    pred: NDArray,
    label: NDArray,
    predLengths?: NDArray | null,
    labelLengths?: NDArray | null,
    sampleWeight?: NDArray | null,
  ): NDArray;
  override forward(pred: unknown, label?: unknown, ...rest: unknown[]): NDArray {
    // Python's order puts sample_weight last; the base class takes it third.
    const [predLengths, labelLengths, sampleWeight] = rest;
    return this._forward(pred, label, sampleWeight, [predLengths, labelLengths]);
  }
  protected _loss(where: string, pred: NDArray, label: NDArray, sw: NDArray | null, rest: unknown[]): NDArray {
    const opt = (v: unknown, what: string): NDArray | null =>
      v === undefined || v === null ? null : checkNd(where, what, v);
    const predLengths = opt(rest[0], 'predLengths');
    const labelLengths = opt(rest[1], 'labelLengths');
    const p = this._layout === 'NTC' ? nd.swapaxes(pred, 0, 1) : pred;
    const l = this._batchAxis === 1 ? nd.swapaxes(label, 0, 1) : label;
    const loss = nd.CTCLoss(p, l, predLengths, labelLengths, {
      useDataLengths: predLengths !== null,
      useLabelLengths: labelLengths !== null,
      blankLabel: 'last',
    });
    return this._weighting(loss, this._weight, sw);
  }
}

/** Alias of {@link SoftmaxCrossEntropyLoss}. */
export const SoftmaxCELoss = SoftmaxCrossEntropyLoss;
/** Alias of {@link SigmoidBinaryCrossEntropyLoss}. */
export const SigmoidBCELoss = SigmoidBinaryCrossEntropyLoss;
