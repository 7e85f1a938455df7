// Types of training.mjs for test/runtimes/browser_demo.test.ts.
import type { Sequential } from '../../ts/gluon/nn/basic_layers.js';
import type mxDefault from '../../ts/index.js';

/** The `mx` object the functions are given (the package's default export). */
export type Mx = typeof mxDefault;

/** Sizes and hyperparameters of the trained char-LSTM. */
export interface TrainOptions {
  embed: number;
  hidden: number;
  seq: number;
  batch: number;
  lr: number;
  clip: number;
  seed: number;
}

/** The panel's defaults. */
export const TRAIN_DEFAULTS: TrainOptions;

/** A char-LSTM being trained on a text. */
export interface CharTrainer {
  options: TrainOptions;
  vocab: string;
  net: Sequential;
  /** One Adam step on a random batch; the step's mean loss. */
  step(): number;
  /** The mean loss of `model` (default: the one training) on the fixed evaluation batch. */
  evalLoss(model?: Sequential): number;
  /** saveParameters() of the model being trained. */
  save(): Uint8Array;
}

/** A fresh char-LSTM and its Adam Trainer over `text`. */
export function createTrainer(mx: Mx, text: string, options?: Partial<TrainOptions>): CharTrainer;

/** The same architecture with saved `.params` bytes loaded. */
export function loadTrained(mx: Mx, vocab: string, bytes: Uint8Array, options?: Partial<TrainOptions>): Sequential;
