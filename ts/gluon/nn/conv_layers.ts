// nn.Conv1D, MaxPool1D, AvgPool1D, GlobalMaxPool1D, GlobalAvgPool1D
// (python/mxnet/gluon/nn/conv_layers.py): the 1-d members of the family, NCW (pooling also NWC).

import type { InitLike } from '../../init/initializer.js';
import type * as nd from '../../ndarray/index.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import type { ActType } from '../../ndarray/ops.js';
import { describe } from '../../util/describe.js';
import { type PositionalArgs, parseArgs, pyTuple } from '../../util/options.js';
import { type BlockOptions, className, HybridBlock } from '../block.js';
import type { Parameter, ParameterDict } from '../parameter.js';
import { Activation } from './activations.js';

/** An int or a 1-tuple, as Gluon's 1-d layers take sizes. */
export type Size1D = number | readonly [number];

function size1(where: string, what: string, v: unknown, min: number): number {
  const t = typeof v === 'number' ? [v] : Array.isArray(v) ? v : null;
  if (t === null || t.length !== 1 || !Number.isInteger(t[0]) || (t[0] as number) < min) {
    throw new RangeError(
      `${where}: ${what} must be an integer >= ${min} or a list of 1 such integer, got ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`,
    );
  }
  return t[0] as number;
}

/**
 * Options of `Conv1D(channels, kernelSize, strides=1, padding=0, dilation=1, groups=1,
 * layout='NCW', activation=null, useBias=true, weightInitializer=null, biasInitializer='zeros',
 * inChannels=0, { prefix, params })`.
 */
export interface Conv1DOptions extends BlockOptions {
  /** Output channels (required: positionally or here). */
  channels?: number;
  /** Kernel width (required: positionally or here). */
  kernelSize?: Size1D;
  /** Stride (default 1). */
  strides?: Size1D;
  /** Zero padding on both sides (default 0). */
  padding?: Size1D;
  /** Dilation (default 1). */
  dilation?: Size1D;
  /** Channel groups (default 1). */
  groups?: number;
  /** Only 'NCW' (as in MXNet 1.9.1). */
  layout?: 'NCW';
  /** An activation applied to the output (none by default). */
  activation?: ActType | null;
  /** Add a bias (default true). */
  useBias?: boolean;
  /** Initializer of the weight (default: the one given to `initialize`). */
  weightInitializer?: InitLike | null;
  /** Initializer of the bias (default 'zeros'). */
  biasInitializer?: InitLike;
  /** Input channels; 0 infers them from the first input. */
  inChannels?: number;
}

interface Conv1DArgs {
  channels: number;
  kernelSize: Size1D;
  strides: Size1D;
  padding: Size1D;
  dilation: Size1D;
  groups: number;
  layout: string;
  activation: ActType | null;
  useBias: boolean;
  weightInitializer: InitLike | null;
  biasInitializer: InitLike;
  inChannels: number;
  prefix: string | null;
  params: ParameterDict | null;
}

/**
 * `Conv1D(channels, kernelSize, strides=1, padding=0, dilation=1, groups=1, layout='NCW',
 * activation=null, useBias=true, ...)`: 1-d convolution of (N, C, W) data with a weight of
 * shape (channels, C / groups, kernelSize); runs as im2col + GEMM.
 */
export class Conv1D extends HybridBlock {
  static override readonly gluonName: string = 'Conv1D';
  /** The filters, (channels, inChannels / groups, kernelSize). */
  declare weight: Parameter;
  /** The bias, (channels,); null with `useBias: false`. */
  declare bias: Parameter | null;
  /** The activation block; null without `activation`. */
  declare act: Activation | null;
  private readonly _channels: number;
  private readonly _kernel: number;
  private readonly _stride: number;
  private readonly _pad: number;
  private readonly _dilate: number;
  private readonly _groups: number;

  constructor(
    ...args:
      | PositionalArgs<
          [channels: number, kernelSize: Size1D],
          [
            strides: Size1D,
            padding: Size1D,
            dilation: Size1D,
            groups: number,
            layout: 'NCW',
            activation: ActType | null,
            useBias: boolean,
            weightInitializer: InitLike | null,
            biasInitializer: InitLike,
            inChannels: number,
          ],
          Conv1DOptions
        >
      | [options: Conv1DOptions & { channels: number; kernelSize: Size1D }]
  );
  constructor(...args: unknown[]) {
    const where = 'nn.Conv1D';
    const o = parseArgs<Conv1DArgs>(
      where,
      args,
      [
        'channels',
        'kernelSize',
        'strides',
        'padding',
        'dilation',
        'groups',
        'layout',
        'activation',
        'useBias',
        'weightInitializer',
        'biasInitializer',
        'inChannels',
        'prefix',
        'params',
      ],
      {
        strides: 1,
        padding: 0,
        dilation: 1,
        groups: 1,
        layout: 'NCW',
        activation: null,
        useBias: true,
        weightInitializer: null,
        biasInitializer: 'zeros',
        inChannels: 0,
        prefix: null,
        params: null,
      },
      ['channels', 'kernelSize'],
    );
    if (o.layout !== 'NCW')
      throw new RangeError(`${where}: only 'NCW' layout is supported (as in MXNet), got ${describe(o.layout)}`);
    const channels = size1(where, 'channels', o.channels, 1);
    const kernel = size1(where, 'kernelSize', o.kernelSize, 1);
    const stride = size1(where, 'strides', o.strides, 1);
    const pad = size1(where, 'padding', o.padding, 0);
    const dilate = size1(where, 'dilation', o.dilation, 1);
    const groups = size1(where, 'groups', o.groups, 1);
    const inChannels = size1(where, 'inChannels', o.inChannels, 0);
    if (channels % groups !== 0 || inChannels % groups !== 0)
      throw new RangeError(`${where}: groups ${groups} must divide channels ${channels} and inChannels ${inChannels}`);
    super({ prefix: o.prefix, params: o.params });
    this._channels = channels;
    this._kernel = kernel;
    this._stride = stride;
    this._pad = pad;
    this._dilate = dilate;
    this._groups = groups;
    this.nameScope(() => {
      this.weight = this.params.get('weight', {
        shape: [channels, inChannels / groups, kernel],
        init: o.weightInitializer,
        allowDeferredInit: true,
      });
      this.bias = o.useBias
        ? this.params.get('bias', { shape: [channels], init: o.biasInitializer, allowDeferredInit: true })
        : null;
      this.act =
        o.activation !== null
          ? this.registerChild(new Activation(o.activation, { prefix: `${o.activation}_` }), 'act')
          : null;
    });
  }

  protected override _alias(): string {
    return 'conv';
  }

  override _inferShape(input: NDArray): void {
    const x = this._shapeSource(input);
    if (x.ndim !== 3) throw new RangeError(`Conv1D: input must be 3-d (N, C, W), got shape [${x.shape.join(', ')}]`);
    this.weight.shape = [this._channels, (x.shape[1] as number) / this._groups, this._kernel];
  }

  /** Python `conv(x)`: (N, C, W) -> (N, channels, W'). */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }

  override hybridForward(F: typeof nd, x: NDArray, params: Record<string, NDArray>): NDArray {
    const out = F.Convolution(x, params.weight as NDArray, params.bias ?? null, {
      kernel: [this._kernel],
      stride: [this._stride],
      dilate: [this._dilate],
      pad: [this._pad],
      numFilter: this._channels,
      numGroup: this._groups,
      noBias: params.bias === undefined,
      layout: 'NCW',
    });
    return this.act ? (this.act.forward(out) as NDArray) : out;
  }

  override toString(): string {
    const s = this.weight.shape;
    let r = `Conv1D(${s[1] ? s[1] : 'None'} -> ${String(s[0])}, kernel_size=${pyTuple([this._kernel])}, stride=${pyTuple([this._stride])}`;
    if (this._pad !== 0) r += `, padding=${pyTuple([this._pad])}`;
    if (this._dilate !== 1) r += `, dilation=${pyTuple([this._dilate])}`;
    if (this._groups !== 1) r += `, groups=${this._groups}`;
    if (this.bias === null) r += ', bias=False';
    if (this.act) r += `, ${this.act.toString()}`;
    return `${r})`;
  }
}

/** The 1-d pooling layouts: channels first (default) or last. */
export type Pool1DLayout = 'NCW' | 'NWC';

interface PoolConfig {
  kernel: number;
  stride: number;
  pad: number;
  ceil: boolean;
  global: boolean;
  type: 'max' | 'avg';
  layout: Pool1DLayout;
  countIncludePad: boolean | null;
}

/** `_Pooling` of conv_layers.py: the shared forward and repr of the pooling layers. */
abstract class Pooling1D extends HybridBlock {
  private readonly _cfg: PoolConfig;

  protected constructor(cfg: PoolConfig, opts: { prefix: string | null; params: ParameterDict | null }) {
    super({ prefix: opts.prefix, params: opts.params });
    this._cfg = cfg;
  }

  protected override _alias(): string {
    return 'pool';
  }

  /** Python `pool(x)`. */
  override forward(x: NDArray): NDArray;
  override forward(x: unknown, ...args: unknown[]): unknown {
    return super.forward(x, ...args);
  }

  override hybridForward(F: typeof nd, x: NDArray): NDArray {
    const c = this._cfg;
    return F.Pooling(x, {
      kernel: [c.kernel],
      stride: [c.stride],
      pad: [c.pad],
      globalPool: c.global,
      poolType: c.type,
      layout: c.layout,
      poolingConvention: c.ceil ? 'full' : 'valid',
      ...(c.countIncludePad === null ? {} : { countIncludePad: c.countIncludePad }),
    });
  }

  override toString(): string {
    const c = this._cfg;
    const py = (b: boolean) => (b ? 'True' : 'False');
    return `${className(this)}(size=${pyTuple([c.kernel])}, stride=${pyTuple([c.stride])}, padding=${pyTuple([c.pad])}, ceil_mode=${py(c.ceil)}, global_pool=${py(c.global)}, pool_type=${c.type}, layout=${c.layout})`;
  }
}

function layoutOf(where: string, v: unknown): Pool1DLayout {
  if (v !== 'NCW' && v !== 'NWC')
    throw new RangeError(`${where}: Only NCW and NWC layouts are valid for 1D Pooling, got ${describe(v)}`);
  return v;
}

/** Options of `MaxPool1D(poolSize=2, strides=null, padding=0, layout='NCW', ceilMode=false, { prefix, params })`. */
export interface MaxPool1DOptions extends BlockOptions {
  /** Window width (default 2). */
  poolSize?: Size1D;
  /** Stride (default: the window width). */
  strides?: Size1D | null;
  /** Padding on both sides (default 0). */
  padding?: Size1D;
  /** 'NCW' (default) or 'NWC'. */
  layout?: Pool1DLayout;
  /** Round the output width up (MXNet's 'full' convention; default false). */
  ceilMode?: boolean;
}

/** Options of `AvgPool1D(..., countIncludePad=true)`. */
export interface AvgPool1DOptions extends MaxPool1DOptions {
  /** Divide by the padded window, padding included (default true). */
  countIncludePad?: boolean;
}

function poolArgs(
  where: string,
  args: unknown[],
  avg: boolean,
): [PoolConfig, { prefix: string | null; params: ParameterDict | null }] {
  const names = [
    'poolSize',
    'strides',
    'padding',
    'layout',
    'ceilMode',
    ...(avg ? ['countIncludePad'] : []),
    'prefix',
    'params',
  ];
  const o = parseArgs<AvgPool1DOptions & { prefix: string | null; params: ParameterDict | null }>(
    where,
    args,
    names as (keyof AvgPool1DOptions & string)[],
    {
      poolSize: 2,
      strides: null,
      padding: 0,
      layout: 'NCW',
      ceilMode: false,
      countIncludePad: true,
      prefix: null,
      params: null,
    },
  );
  const kernel = size1(where, 'poolSize', o.poolSize, 1);
  const stride = o.strides === null || o.strides === undefined ? kernel : size1(where, 'strides', o.strides, 1);
  const pad = size1(where, 'padding', o.padding, 0);
  if (typeof o.ceilMode !== 'boolean')
    throw new TypeError(`${where}: ceilMode must be a boolean, got ${describe(o.ceilMode)}`);
  if (avg && typeof o.countIncludePad !== 'boolean')
    throw new TypeError(`${where}: countIncludePad must be a boolean, got ${describe(o.countIncludePad)}`);
  return [
    {
      kernel,
      stride,
      pad,
      ceil: o.ceilMode,
      global: false,
      type: avg ? 'avg' : 'max',
      layout: layoutOf(where, o.layout),
      countIncludePad: avg ? (o.countIncludePad as boolean) : null,
    },
    { prefix: o.prefix ?? null, params: o.params ?? null },
  ];
}

/** `MaxPool1D(poolSize=2, strides=null, padding=0, layout='NCW', ceilMode=false)`: max over sliding windows. */
export class MaxPool1D extends Pooling1D {
  static override readonly gluonName: string = 'MaxPool1D';
  constructor(
    ...args: PositionalArgs<
      [],
      [poolSize: Size1D, strides: Size1D | null, padding: Size1D, layout: Pool1DLayout, ceilMode: boolean],
      MaxPool1DOptions
    >
  );
  constructor(...args: unknown[]) {
    const [cfg, opts] = poolArgs('nn.MaxPool1D', args, false);
    super(cfg, opts);
  }
}

/** `AvgPool1D(poolSize=2, strides=null, padding=0, layout='NCW', ceilMode=false, countIncludePad=true)`: window means. */
export class AvgPool1D extends Pooling1D {
  static override readonly gluonName: string = 'AvgPool1D';
  constructor(
    ...args: PositionalArgs<
      [],
      [
        poolSize: Size1D,
        strides: Size1D | null,
        padding: Size1D,
        layout: Pool1DLayout,
        ceilMode: boolean,
        countIncludePad: boolean,
      ],
      AvgPool1DOptions
    >
  );
  constructor(...args: unknown[]) {
    const [cfg, opts] = poolArgs('nn.AvgPool1D', args, true);
    super(cfg, opts);
  }
}

/** Options of `GlobalMaxPool1D(layout='NCW', { prefix, params })` and `GlobalAvgPool1D`. */
export interface GlobalPool1DOptions extends BlockOptions {
  /** 'NCW' (default) or 'NWC'. */
  layout?: Pool1DLayout;
}

function globalArgs(
  where: string,
  args: unknown[],
  type: 'max' | 'avg',
): [PoolConfig, { prefix: string | null; params: ParameterDict | null }] {
  const o = parseArgs<GlobalPool1DOptions & { prefix: string | null; params: ParameterDict | null }>(
    where,
    args,
    ['layout', 'prefix', 'params'],
    { layout: 'NCW', prefix: null, params: null },
  );
  return [
    {
      kernel: 1,
      stride: 1,
      pad: 0,
      ceil: true,
      global: true,
      type,
      layout: layoutOf(where, o.layout),
      countIncludePad: null,
    },
    { prefix: o.prefix ?? null, params: o.params ?? null },
  ];
}

/** `GlobalMaxPool1D(layout='NCW')`: the maximum over the whole width; output width 1. */
export class GlobalMaxPool1D extends Pooling1D {
  static override readonly gluonName: string = 'GlobalMaxPool1D';
  constructor(...args: PositionalArgs<[], [layout: Pool1DLayout], GlobalPool1DOptions>);
  constructor(...args: unknown[]) {
    const [cfg, opts] = globalArgs('nn.GlobalMaxPool1D', args, 'max');
    super(cfg, opts);
  }
}

/** `GlobalAvgPool1D(layout='NCW')`: the mean over the whole width; output width 1. */
export class GlobalAvgPool1D extends Pooling1D {
  static override readonly gluonName: string = 'GlobalAvgPool1D';
  constructor(...args: PositionalArgs<[], [layout: Pool1DLayout], GlobalPool1DOptions>);
  constructor(...args: unknown[]) {
    const [cfg, opts] = globalArgs('nn.GlobalAvgPool1D', args, 'avg');
    super(cfg, opts);
  }
}
