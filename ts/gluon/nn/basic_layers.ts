// nn.Sequential, HybridSequential, Dense, Dropout, Embedding (gluon/nn/basic_layers.py).

import { DenseKernel } from '../../backend/dense.js';
import type { InitLike } from '../../init/initializer.js';
import * as nd from '../../ndarray/index.js';
import { NDArray, shapeSize } from '../../ndarray/ndarray.js';
import { type ActType, fullyConnected, type PackedFullyConnected } from '../../ndarray/ops.js';
import { describe } from '../../util/describe.js';
import {
  checkAxes,
  checkDtype,
  type Float32,
  type PositionalArgs,
  parseArgs,
  pyFloat,
  pyTuple,
} from '../../util/options.js';
import { Block, type BlockArgs, type BlockOptions, className, HybridBlock } from '../block.js';
import type { Parameter, ParameterDict } from '../parameter.js';
import { KernelCache } from '../rnn/kernel_cache.js';
import { Activation } from './activations.js';

function chain(blocks: Iterable<Block>, x: unknown, args: unknown[]): unknown {
  let out = x;
  let rest = args;
  for (const b of blocks) {
    out = b.forward(out, ...rest);
    rest = [];
    if (Array.isArray(out)) {
      rest = out.slice(1);
      out = out[0];
    }
  }
  return rest.length > 0 ? [out, ...rest] : out;
}

function indexChild(self: Block, i: number): Block {
  const kids = [...self._children.values()];
  const k = i < 0 ? i + kids.length : i;
  const b = kids[k];
  if (!Number.isInteger(i) || b === undefined)
    throw new RangeError(`${className(self)}: index ${String(i)} out of range for ${kids.length} children`);
  return b;
}

/** `slice` of both containers: a new one of `self`'s class. */
function sliceContainer<C extends Block & { add(...blocks: never[]): void }>(self: C, start?: number, end?: number): C {
  const net = new (self.constructor as new (o: BlockOptions) => C)({ prefix: self.prefix });
  const kids = [...self._children.values()].slice(start, end) as never[];
  net.nameScope(() => net.add(...kids));
  return net;
}

// Sequential and HybridSequential print as Block does (Gluon's __repr__ is the same).

/**
 * Stacks Blocks sequentially: `add(...)`, `forward` chains them, `get(i)` (Python `net[i]`).
 * The type parameter is the children's type, so `get(i)` keeps it:
 * `new Sequential<Dense>()` then `net.get(0)` is a `Dense`; by default any `Block`.
 */
export class Sequential<T extends Block = Block> extends Block {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'Sequential';
  /** `Sequential(prefix=null, params=null)`. */
  constructor(...args: BlockArgs) {
    super(...args);
  }
  protected override _alias(): string {
    return 'sequential';
  }
  /** Appends blocks (registered as children '0', '1', ...). */
  add(...blocks: T[]): void {
    for (const b of blocks) this.registerChild(b);
  }
  // Gluon note: Python returns whatever the last child returns; the type parameter
  // (default NDArray, the usual case) lets a caller name another result type.
  override forward<R = NDArray>(x: unknown, ...args: unknown[]): R {
    return chain(this._children.values(), x, args) as R;
  }
  /** Python `net[i]` (negative counts from the end). */
  get(i: number): T {
    return indexChild(this, i) as T;
  }
  /** Python `net[start:end]`: a new container with the same prefix and the same child objects. */
  slice(start?: number, end?: number): Sequential<T> {
    return sliceContainer(this, start, end);
  }
  /** Python `len(net)`: the number of children. */
  get length(): number {
    return this._children.size;
  }
}

/**
 * Sequential of hybrid blocks (HybridBlocks and hybrid recurrent cells); the type parameter
 * is the children's type, as for {@link Sequential}.
 */
export class HybridSequential<T extends Block = Block> extends HybridBlock {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'HybridSequential';
  /** `HybridSequential(prefix=null, params=null)`. */
  constructor(...args: BlockArgs) {
    super(...args);
  }
  protected override _alias(): string {
    return 'hybridsequential';
  }
  /** Appends hybrid blocks (registered as children '0', '1', ...). */
  add(...blocks: T[]): void {
    for (const b of blocks) this.registerChild(b);
  }
  // Gluon note: typed as Sequential.forward.
  override forward<R = NDArray>(x: unknown, ...args: unknown[]): R {
    // What `export` traces as the inputs (HybridBlock._callHybridForward records it for other blocks).
    if (x instanceof NDArray) this._recordCallInputs(x, args);
    return chain(this._children.values(), x, args) as R;
  }
  /** Python `net[i]` (negative counts from the end). */
  get(i: number): T {
    return indexChild(this, i) as T;
  }
  /** Python `net[start:end]`: a new container with the same prefix and the same child objects. */
  slice(start?: number, end?: number): HybridSequential<T> {
    return sliceContainer(this, start, end);
  }
  /** Python `len(net)`: the number of children. */
  get length(): number {
    return this._children.size;
  }
}

/**
 * Options of `Dense(units, activation=null, useBias=true, flatten=true, dtype='float32',
 * weightInitializer=null, biasInitializer='zeros', inUnits=0, { prefix, params })`.
 */
export interface DenseOptions extends BlockOptions {
  /** Output size (required: positionally or here). */
  units?: number;
  /** An activation applied to the output (none by default). */
  activation?: ActType | null;
  /** Whether the layer has a bias (default true). */
  useBias?: boolean;
  /** Flatten all but the first input axis (true), or apply to the last axis only (false). */
  flatten?: boolean;
  /** Only 'float32'. */
  dtype?: Float32;
  /** Initializer of the weight (default: the one given to `initialize`). */
  weightInitializer?: InitLike | null;
  /** Initializer of the bias (default 'zeros'). */
  biasInitializer?: InitLike;
  /** Input size; 0 infers it from the first input. */
  inUnits?: number;
}

interface DenseArgs {
  units: number;
  activation: ActType | null;
  useBias: boolean;
  flatten: boolean;
  dtype: Float32;
  weightInitializer: InitLike | null;
  biasInitializer: InitLike;
  inUnits: number;
  prefix: string | null;
  params: ParameterDict | null;
}

/**
 * `Dense(units, activation=null, useBias=true, flatten=true, dtype='float32',
 * weightInitializer=null, biasInitializer='zeros', inUnits=0)`: y = act(x W^T + b).
 *
 * Like the recurrent layers, it computes with a copy of its weight packed in wasm memory,
 * built on the first call and rebuilt when a parameter changes, so a decoder applied token by
 * token reads the weight once per call instead of copying it in; `dispose()` frees the copy at
 * once (the packed-weight budget frees it otherwise).
 */
export class Dense extends HybridBlock {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'Dense';
  /** The weight, (units, inUnits). */
  declare weight: Parameter;
  /** The bias, (units,); null with `useBias: false`. */
  declare bias: Parameter | null;
  /** The activation block; null without `activation`. */
  declare act: Activation | null;
  private readonly _units: number;
  private readonly _flatten: boolean;
  private readonly _kernel = new KernelCache<DenseKernel>();

  constructor(
    ...args:
      | PositionalArgs<
          [units: number],
          [
            activation: ActType | null,
            useBias: boolean,
            flatten: boolean,
            dtype: Float32,
            weightInitializer: InitLike | null,
            biasInitializer: InitLike,
            inUnits: number,
          ],
          DenseOptions
        >
      | [options: DenseOptions & { units: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<DenseArgs>(
      'nn.Dense',
      args,
      [
        'units',
        'activation',
        'useBias',
        'flatten',
        'dtype',
        'weightInitializer',
        'biasInitializer',
        'inUnits',
        'prefix',
        'params',
      ],
      {
        activation: null,
        useBias: true,
        flatten: true,
        dtype: 'float32',
        weightInitializer: null,
        biasInitializer: 'zeros',
        inUnits: 0,
        prefix: null,
        params: null,
      },
      ['units'],
    );
    if (!Number.isInteger(o.units) || o.units <= 0)
      throw new RangeError(`nn.Dense: units must be a positive integer, got ${describe(o.units)}`);
    checkDtype('nn.Dense', o.dtype);
    super({ prefix: o.prefix, params: o.params });
    this._units = o.units;
    this._flatten = !!o.flatten;
    this.nameScope(() => {
      this.weight = this.params.get('weight', {
        shape: [o.units, o.inUnits],
        init: o.weightInitializer,
        dtype: o.dtype,
        allowDeferredInit: true,
      });
      this.bias = o.useBias
        ? this.params.get('bias', {
            shape: [o.units],
            init: o.biasInitializer,
            dtype: o.dtype,
            allowDeferredInit: true,
          })
        : null;
      this.act =
        o.activation !== null
          ? this.registerChild(new Activation(o.activation, { prefix: `${o.activation}_` }), 'act')
          : null;
    });
  }

  override _inferShape(input: NDArray): void {
    const x = this._shapeSource(input);
    const inUnits = this._flatten ? shapeSize(x.shape.slice(1)) : (x.shape[x.ndim - 1] as number);
    this.weight.shape = [this._units, inUnits];
  }

  /** Python `dense(x)`. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }

  override hybridForward(F: typeof nd, x: NDArray, params: Record<string, NDArray>): NDArray {
    const o = {
      data: x,
      weight: params.weight as NDArray,
      bias: params.bias ?? null,
      numHidden: this._units,
      noBias: params.bias === undefined,
      flatten: this._flatten,
    };
    // Imperatively, the weight stays packed in wasm memory between calls (a decoder applied
    // token by token would otherwise copy and pack all of it on every call). Under
    // autograd.record() too: the tape keeps FullyConnected's backward either way.
    const out =
      F === nd
        ? fullyConnected(o, this._packed(o.weight, o.bias))
        : F.FullyConnected(o.data, o.weight, o.bias, o.numHidden, o.noBias, o.flatten);
    return this.act ? (this.act.forward(out) as NDArray) : out;
  }

  /** The packed product of `weight` and `bias` (this layer's data), rebuilt when either changes. */
  private _packed(weight: NDArray, bias: NDArray | null): PackedFullyConnected | null {
    // A malformed weight is left to FullyConnected's checks (it names the problem).
    if (weight.ndim !== 2 || (bias !== null && bias.size !== weight.shape[0])) return null;
    const [units, inUnits] = weight.shape as [number, number];
    const params = this.bias === null ? [this.weight] : [this.weight, this.bias];
    const k = this._kernel.get(params, '', () => new DenseKernel(units, inUnits, weight.data, bias?.data ?? null));
    return (x, m) => k.forward(x, m);
  }

  protected override _disposeKernels(): void {
    this._kernel.dispose();
  }

  override toString(): string {
    const s = this.weight.shape;
    return `Dense(${s[1] ? s[1] : 'None'} -> ${String(s[0])}, ${this.act ? this.act.toString() : 'linear'})`;
  }
}

/** Options of `Dropout(rate, axes=(), { prefix, params })`. */
export interface DropoutOptions extends BlockOptions {
  /** The drop probability, in [0, 1] (required: positionally or here). */
  rate?: number;
  /** Axes along which one mask is shared. */
  axes?: readonly number[];
}

/**
 * `Dropout(rate, axes=())`: in training mode (`autograd.record()` / `trainMode()`) zeroes each
 * element with probability `rate` and scales the rest by 1/(1-rate), one mask shared along
 * `axes`; the identity at inference (see `nd.Dropout`).
 */
export class Dropout extends HybridBlock {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'Dropout';
  private readonly _rate: number;
  private readonly _axes: number[];
  constructor(
    ...args:
      | PositionalArgs<[rate: number], [axes: readonly number[]], DropoutOptions>
      | [options: DropoutOptions & { rate: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<{ rate: number; axes: number[]; prefix: string | null; params: ParameterDict | null }>(
      'nn.Dropout',
      args,
      ['rate', 'axes', 'prefix', 'params'],
      { axes: [], prefix: null, params: null },
      ['rate'],
    );
    if (typeof o.rate !== 'number' || o.rate < 0 || o.rate > 1)
      throw new RangeError(`nn.Dropout: rate must be a number in [0, 1], got ${describe(o.rate)}`);
    super({ prefix: o.prefix, params: o.params });
    this._rate = o.rate;
    this._axes = checkAxes('nn.Dropout', o.axes);
  }
  protected override _alias(): string {
    return 'dropout';
  }
  /** Python `dropout(x)`: `x` itself (inference). */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }
  override hybridForward(_F: typeof nd, x: NDArray): NDArray {
    return x;
  }
  override toString(): string {
    return `Dropout(p = ${pyFloat(this._rate)}, axes=${pyTuple(this._axes)})`;
  }
}

/** Options of `Embedding(inputDim, outputDim, dtype='float32', weightInitializer=null, sparseGrad=false, { prefix, params })`. */
export interface EmbeddingOptions extends BlockOptions {
  /** Vocabulary size (required: positionally or here). */
  inputDim?: number;
  /** Embedding size (required: positionally or here). */
  outputDim?: number;
  /** Only 'float32'. */
  dtype?: Float32;
  /** Initializer of the weight (default: the one given to `initialize`). */
  weightInitializer?: InitLike | null;
  /** Only false (no gradients here). */
  sparseGrad?: false;
}

/**
 * `Embedding(inputDim, outputDim, dtype='float32', weightInitializer=null, sparseGrad=false)`:
 * rows of the weight at each id; ids are truncated to integers and clipped to the table.
 */
export class Embedding extends HybridBlock {
  /** The Python class name, for `toString()` and error messages. */
  static override readonly gluonName: string = 'Embedding';
  /** The embedding table, (inputDim, outputDim). */
  declare weight: Parameter;
  private readonly _inputDim: number;
  private readonly _outputDim: number;
  constructor(
    ...args:
      | PositionalArgs<
          [inputDim: number, outputDim: number],
          [dtype: Float32, weightInitializer: InitLike | null, sparseGrad: false],
          EmbeddingOptions
        >
      | [options: EmbeddingOptions & { inputDim: number; outputDim: number }]
  );
  constructor(...args: unknown[]) {
    const o = parseArgs<{
      inputDim: number;
      outputDim: number;
      dtype: Float32;
      weightInitializer: InitLike | null;
      sparseGrad: boolean;
      prefix: string | null;
      params: ParameterDict | null;
    }>(
      'nn.Embedding',
      args,
      ['inputDim', 'outputDim', 'dtype', 'weightInitializer', 'sparseGrad', 'prefix', 'params'],
      { dtype: 'float32', weightInitializer: null, sparseGrad: false, prefix: null, params: null },
      ['inputDim', 'outputDim'],
    );
    for (const k of ['inputDim', 'outputDim'] as const) {
      if (!Number.isInteger(o[k]) || o[k] <= 0)
        throw new RangeError(`nn.Embedding: ${k} must be a positive integer, got ${describe(o[k])}`);
    }
    checkDtype('nn.Embedding', o.dtype);
    // Gluon note: MXNet accepts sparseGrad (row_sparse gradients); with no gradients here it throws.
    if (o.sparseGrad)
      throw new TypeError('nn.Embedding: sparseGrad=true is not supported (no gradients, no row_sparse storage)');
    super({ prefix: o.prefix, params: o.params });
    this._inputDim = o.inputDim;
    this._outputDim = o.outputDim;
    this.weight = this.params.get('weight', {
      shape: [o.inputDim, o.outputDim],
      init: o.weightInitializer,
      dtype: o.dtype,
      allowDeferredInit: true,
    });
  }
  /** Python `embedding(ids)`: shape ids.shape + [outputDim]. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }
  override hybridForward(F: typeof nd, x: NDArray, params: Record<string, NDArray>): NDArray {
    if (!(x instanceof NDArray))
      throw new TypeError(`Embedding.forward: expected an NDArray of ids, got ${describe(x)}`);
    return F.Embedding(x, params.weight as NDArray, this._inputDim, this._outputDim);
  }
  override toString(): string {
    return `Embedding(${this._inputDim} -> ${this._outputDim}, float32)`;
  }
}
