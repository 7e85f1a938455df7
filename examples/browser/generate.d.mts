// Types of generate.mjs for test/examples/browser_generate.test.ts.
import type { Sequential } from '../../ts/gluon/nn/basic_layers.js';
import type mxDefault from '../../ts/index.js';

/** The `mx` object the functions are given (the package's default export). */
export type Mx = typeof mxDefault;

/** model/meta.json as train_charlstm.py writes it. */
export interface Meta {
  vocab: string;
  embed: number;
  hidden: number;
  prompt: string;
  greedy: string;
  [k: string]: unknown;
}

/** The loaded network with its metadata. */
export interface Model {
  meta: Meta;
  net: Sequential;
  bytes: number;
}

/** Builds the demo's network and loads MXNet's `.params` bytes into it. */
export function buildModel(mx: Mx, meta: Meta, paramBytes: Uint8Array): Model;

/** Sampling (temperature > 0, seeded) or greedy (temperature 0) continuation of `prompt`. */
export function generate(
  mx: Mx,
  model: Model,
  options: {
    prompt: string;
    length: number;
    temperature?: number;
    seed?: number;
    onStep?: (k: number, text: string) => void | Promise<void>;
  },
): Promise<string>;

/** Greedy (argmax) continuation of `prompt`. */
export function greedy(mx: Mx, model: Model, prompt: string, length: number): string;

/** Beam search with `beams` hypotheses; the best text first. */
export function beamSearch(
  mx: Mx,
  model: Model,
  prompt: string,
  length: number,
  beams: number,
): { text: string; score: number; beams: { text: string; score: number }[] };
