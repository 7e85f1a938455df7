// Types of tagger.mjs for test/examples/tagger.test.ts.
import type { Sequential } from '../../ts/gluon/nn/basic_layers.js';
import type mxDefault from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';

/** The `mx` object the functions are given (the package's default export). */
export type Mx = typeof mxDefault;

/** Number of tags (the Dense layer's units). */
export const TAGS: 7;
/** The fixed CRF transition matrix, `TRANSITIONS[i][j]` = score of tag j after tag i. */
export const TRANSITIONS: number[][];
/** test/fixtures/public-params/ner-bilstm-crf-model.params. */
export const PARAMS_URL: URL;
/** The BiLSTM tagger with the file's weights. */
export function loadTagger(mx: Mx, bytes?: Uint8Array): Sequential;
/** Tag scores (T, N, 7) for character ids (T, N). */
export function emissions(mx: Mx, net: Sequential, ids: number[][]): NDArray;
/** Viterbi decoding: best tags (N, T) and their scores (N,). */
export function viterbi(mx: Mx, emit: NDArray, trans: NDArray): { tags: NDArray; score: NDArray };
/** Per-character argmax of the emissions, (N, T). */
export function greedyTags(mx: Mx, emit: NDArray): NDArray;
