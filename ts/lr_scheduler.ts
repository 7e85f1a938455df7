// mx.lr_scheduler (python/mxnet/lr_scheduler.py): learning rates as a function of the number of
// updates, with MXNet's stateful stepping (FactorScheduler and MultiFactorScheduler keep their
// own base_lr) and warmup.

import { describe } from './util/describe.js';
import { ValueError } from './util/errors.js';
import { checkNumber, checkUpdateCount, type PositionalArgs, parseArgs } from './util/options.js';

/** Warmup options every scheduler takes. */
export interface WarmupOptions {
  /** The learning rate after warmup (default 0.01). */
  baseLr?: number;
  /** Updates of warmup before the schedule starts (default 0). */
  warmupSteps?: number;
  /** The learning rate warmup starts from (default 0). */
  warmupBeginLr?: number;
  /** 'linear' (default) or 'constant'. */
  warmupMode?: 'linear' | 'constant';
}

/** Base class of the schedulers: `scheduler.call(numUpdate)` is Python's `scheduler(num_update)`. */
export abstract class LRScheduler {
  /** The current base learning rate (Trainer's `learningRate` overwrites it, as in MXNet). */
  baseLr: number;
  /** Updates of warmup. */
  readonly warmupSteps: number;
  /** The learning rate warmup ends at (the constructor's baseLr). */
  readonly warmupFinalLr: number;
  /** The learning rate warmup starts from. */
  readonly warmupBeginLr: number;
  /** 'linear' or 'constant'. */
  readonly warmupMode: 'linear' | 'constant';

  protected constructor(where: string, o: WarmupOptions) {
    // Gluon note: MXNet can make its base LRScheduler (whose __call__ then raises); here it is abstract.
    if (new.target === LRScheduler)
      throw new TypeError(
        'LRScheduler is abstract: use FactorScheduler, MultiFactorScheduler, PolyScheduler or CosineScheduler',
      );
    const baseLr = checkNumber(where, 'baseLr', o.baseLr ?? 0.01);
    const steps = o.warmupSteps ?? 0;
    if (!Number.isInteger(steps))
      throw new TypeError(`${where}: warmupSteps must be an integer, got ${describe(steps)}`);
    this.baseLr = baseLr;
    this.warmupSteps = steps;
    this.warmupFinalLr = baseLr;
    this.warmupBeginLr = checkNumber(where, 'warmupBeginLr', o.warmupBeginLr ?? 0);
    if (this.warmupBeginLr > this.warmupFinalLr) throw new ValueError('Base lr has to be higher than warmup_begin_lr');
    if (steps < 0) throw new ValueError('Warmup steps has to be positive or 0');
    const mode = o.warmupMode ?? 'linear';
    if (mode !== 'linear' && mode !== 'constant')
      throw new ValueError('Supports only linear and constant modes of warmup');
    this.warmupMode = mode;
  }

  /** The warmup learning rate at `numUpdate` (< warmupSteps). */
  getWarmupLr(numUpdate: number): number {
    if (this.warmupMode === 'linear') {
      return this.warmupBeginLr + ((this.warmupFinalLr - this.warmupBeginLr) * numUpdate) / this.warmupSteps;
    }
    return this.warmupBeginLr;
  }

  /** The learning rate after `numUpdate` updates (Python `scheduler(num_update)`). */
  abstract call(numUpdate: number): number;
}

const WARMUP = ['warmupSteps', 'warmupBeginLr', 'warmupMode'] as const;

/** The decay factor of a schedule: a number of at most 1. */
function checkFactor(where: string, factor: unknown): number {
  if (checkNumber(where, 'factor', factor) > 1) throw new ValueError('Factor must be no more than 1 to make lr reduce');
  return factor as number;
}

/** Decays FactorScheduler.call makes one by one before the rest of a jump in closed form. */
const FACTOR_LOOP_LIMIT = 1 << 20;

/** Options of {@link FactorScheduler}. */
export interface FactorSchedulerOptions extends WarmupOptions {
  /** Updates between decays (>= 1). */
  step?: number;
  /** The decay factor (<= 1; default 1). */
  factor?: number;
  /** The learning rate never goes below this (default 1e-8). */
  stopFactorLr?: number;
}

/** `FactorScheduler(step, factor=1, stopFactorLr=1e-8, baseLr=0.01, ...)`: base_lr * factor^floor((n-1)/step). */
export class FactorScheduler extends LRScheduler {
  /** Updates between decays. */
  readonly step: number;
  /** The decay factor. */
  readonly factor: number;
  /** The floor of the learning rate. */
  readonly stopFactorLr: number;
  private count = 0;
  constructor(
    ...args:
      | PositionalArgs<
          [step: number],
          [
            factor: number,
            stopFactorLr: number,
            baseLr: number,
            warmupSteps: number,
            warmupBeginLr: number,
            warmupMode: 'linear' | 'constant',
          ],
          FactorSchedulerOptions
        >
      | [options: FactorSchedulerOptions & { step: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<FactorSchedulerOptions>(
      'FactorScheduler',
      args,
      ['step', 'factor', 'stopFactorLr', 'baseLr', ...WARMUP],
      { factor: 1, stopFactorLr: 1e-8 },
      ['step'],
    );
    super('FactorScheduler', o);
    if (!Number.isSafeInteger(o.step))
      throw new TypeError(`FactorScheduler: step must be an integer, got ${describe(o.step)}`);
    if ((o.step as number) < 1) throw new ValueError('Schedule step must be greater or equal than 1 round');
    this.step = o.step as number;
    this.factor = checkFactor('FactorScheduler', o.factor);
    this.stopFactorLr = checkNumber('FactorScheduler', 'stopFactorLr', o.stopFactorLr);
  }
  call(numUpdate: number): number {
    checkUpdateCount('FactorScheduler.call', 'numUpdate', numUpdate);
    if (numUpdate < this.warmupSteps) return this.getWarmupLr(numUpdate);
    // Python decays once per `while num_update > count + step` iteration. A jump over many
    // steps would loop as often, so: the decays it makes, one by one until the rate stops
    // changing (at the floor, or a factor of 1), the rest of a long run in closed form.
    const decays = numUpdate > this.count + this.step ? Math.floor((numUpdate - this.count - 1) / this.step) : 0;
    this.count += decays * this.step;
    for (let i = 0; i < decays; i++) {
      if (i === FACTOR_LOOP_LIMIT) {
        // Still changing after so many decays: 0 < |factor| < 1 and the rate's magnitude only
        // falls, so the floor, if any, applies at the end.
        this.baseLr = Math.max(this.baseLr * this.factor ** (decays - i), this.stopFactorLr);
        break;
      }
      const next = Math.max(this.baseLr * this.factor, this.stopFactorLr);
      if (next === this.baseLr) break;
      this.baseLr = next;
    }
    return this.baseLr;
  }
}

/** Options of {@link MultiFactorScheduler}. */
export interface MultiFactorSchedulerOptions extends WarmupOptions {
  /** Increasing update counts at which the rate decays. */
  step?: readonly number[];
  /** The decay factor (<= 1; default 1). */
  factor?: number;
}

/** `MultiFactorScheduler(step, factor=1, baseLr=0.01, ...)`: decays by `factor` after each listed update count. */
export class MultiFactorScheduler extends LRScheduler {
  /** The update counts of the decays. */
  readonly step: readonly number[];
  /** The decay factor. */
  readonly factor: number;
  private curStepInd = 0;
  constructor(
    ...args:
      | PositionalArgs<
          [step: readonly number[]],
          [
            factor: number,
            baseLr: number,
            warmupSteps: number,
            warmupBeginLr: number,
            warmupMode: 'linear' | 'constant',
          ],
          MultiFactorSchedulerOptions
        >
      | [options: MultiFactorSchedulerOptions & { step: readonly number[] }]
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<MultiFactorSchedulerOptions>(
      'MultiFactorScheduler',
      args,
      ['step', 'factor', 'baseLr', ...WARMUP],
      { factor: 1 },
      ['step'],
    );
    super('MultiFactorScheduler', o);
    const steps = o.step as readonly number[];
    if (!Array.isArray(steps) || steps.length < 1)
      throw new TypeError(`MultiFactorScheduler: step must be a non-empty array, got ${describe(steps)}`);
    steps.forEach((s, i) => {
      if (!Number.isSafeInteger(s))
        throw new TypeError(`MultiFactorScheduler: step[${i}] must be an integer, got ${describe(s)}`);
      if (i !== 0 && s <= (steps[i - 1] as number))
        throw new ValueError('Schedule step must be an increasing integer list');
      if (s < 1) throw new ValueError('Schedule step must be greater or equal than 1 round');
    });
    this.step = [...steps];
    this.factor = checkFactor('MultiFactorScheduler', o.factor);
  }
  call(numUpdate: number): number {
    checkUpdateCount('MultiFactorScheduler.call', 'numUpdate', numUpdate);
    if (numUpdate < this.warmupSteps) return this.getWarmupLr(numUpdate);
    while (this.curStepInd <= this.step.length - 1) {
      if (numUpdate > (this.step[this.curStepInd] as number)) {
        this.curStepInd += 1;
        this.baseLr *= this.factor;
      } else return this.baseLr;
    }
    return this.baseLr;
  }
}

/** Options of {@link PolyScheduler}. */
export interface PolySchedulerOptions extends WarmupOptions {
  /** Updates until the rate reaches finalLr. */
  maxUpdate?: number;
  /** The power of the decay (default 2). */
  pwr?: number;
  /** The final learning rate (default 0). */
  finalLr?: number;
}

/** `PolyScheduler(maxUpdate, baseLr=0.01, pwr=2, finalLr=0, ...)`: final + (base - final) (1 - n/max)^pwr. */
export class PolyScheduler extends LRScheduler {
  /** Updates until finalLr. */
  readonly maxUpdate: number;
  /** The power of the decay. */
  readonly power: number;
  /** The final learning rate. */
  readonly finalLr: number;
  private readonly baseLrOrig: number;
  private readonly maxSteps: number;
  constructor(
    ...args:
      | PositionalArgs<
          [maxUpdate: number],
          [
            baseLr: number,
            pwr: number,
            finalLr: number,
            warmupSteps: number,
            warmupBeginLr: number,
            warmupMode: 'linear' | 'constant',
          ],
          PolySchedulerOptions
        >
      | [options: PolySchedulerOptions & { maxUpdate: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<PolySchedulerOptions>(
      'PolyScheduler',
      args,
      ['maxUpdate', 'baseLr', 'pwr', 'finalLr', ...WARMUP],
      { pwr: 2, finalLr: 0 },
      ['maxUpdate'],
    );
    super('PolyScheduler', o);
    if (!Number.isInteger(o.maxUpdate))
      throw new TypeError(`PolyScheduler: maxUpdate must be an integer, got ${describe(o.maxUpdate)}`);
    if ((o.maxUpdate as number) < 1) throw new ValueError('maximum number of updates must be strictly positive');
    this.power = checkNumber('PolyScheduler', 'pwr', o.pwr);
    this.baseLrOrig = this.baseLr;
    this.maxUpdate = o.maxUpdate as number;
    this.finalLr = checkNumber('PolyScheduler', 'finalLr', o.finalLr);
    this.maxSteps = this.maxUpdate - this.warmupSteps;
  }
  call(numUpdate: number): number {
    checkUpdateCount('PolyScheduler.call', 'numUpdate', numUpdate);
    if (numUpdate < this.warmupSteps) return this.getWarmupLr(numUpdate);
    if (numUpdate <= this.maxUpdate) {
      this.baseLr =
        this.finalLr +
        (this.baseLrOrig - this.finalLr) * (1 - (numUpdate - this.warmupSteps) / this.maxSteps) ** this.power;
    }
    return this.baseLr;
  }
}

/** Options of {@link CosineScheduler}. */
export interface CosineSchedulerOptions extends WarmupOptions {
  /** Updates until the rate reaches finalLr. */
  maxUpdate?: number;
  /** The final learning rate (default 0). */
  finalLr?: number;
}

/** `CosineScheduler(maxUpdate, baseLr=0.01, finalLr=0, ...)`: final + (base - final) (1 + cos(pi n/max)) / 2. */
export class CosineScheduler extends LRScheduler {
  /** Updates until finalLr. */
  readonly maxUpdate: number;
  /** The final learning rate. */
  readonly finalLr: number;
  private readonly baseLrOrig: number;
  private readonly maxSteps: number;
  constructor(
    ...args:
      | PositionalArgs<
          [maxUpdate: number],
          [
            baseLr: number,
            finalLr: number,
            warmupSteps: number,
            warmupBeginLr: number,
            warmupMode: 'linear' | 'constant',
          ],
          CosineSchedulerOptions
        >
      | [options: CosineSchedulerOptions & { maxUpdate: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<CosineSchedulerOptions>(
      'CosineScheduler',
      args,
      ['maxUpdate', 'baseLr', 'finalLr', ...WARMUP],
      { finalLr: 0 },
      ['maxUpdate'],
    );
    super('CosineScheduler', o);
    if (!Number.isInteger(o.maxUpdate))
      throw new TypeError(`CosineScheduler: maxUpdate must be an integer, got ${describe(o.maxUpdate)}`);
    if ((o.maxUpdate as number) < 1) throw new ValueError('maximum number of updates must be strictly positive');
    // MXNet keeps the constructor's base_lr here, even when the optimizer overwrites base_lr.
    this.baseLrOrig = o.baseLr ?? 0.01;
    this.maxUpdate = o.maxUpdate as number;
    this.finalLr = checkNumber('CosineScheduler', 'finalLr', o.finalLr);
    this.maxSteps = this.maxUpdate - this.warmupSteps;
  }
  call(numUpdate: number): number {
    checkUpdateCount('CosineScheduler.call', 'numUpdate', numUpdate);
    if (numUpdate < this.warmupSteps) return this.getWarmupLr(numUpdate);
    if (numUpdate <= this.maxUpdate) {
      this.baseLr =
        this.finalLr +
        ((this.baseLrOrig - this.finalLr) *
          (1 + Math.cos((Math.PI * (numUpdate - this.warmupSteps)) / this.maxSteps))) /
          2;
    }
    return this.baseLr;
  }
}
