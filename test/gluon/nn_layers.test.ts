// gluon.nn normalisation, activation, convolution and pooling layers against MXNet 1.9.1:
// test/fixtures/mxnet_ops/layer_<case>.json (gen_operator_fixtures.py) records each layer's
// parameter names, structural keys, grad_req, repr before/after the first forward, and the
// output for set parameters.

import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Block } from '../../ts/gluon/block.js';
import { nn } from '../../ts/gluon/index.js';
import { ready } from '../../ts/index.js';
import { resetNameCounters } from '../../ts/name.js';
import type * as ndNs from '../../ts/ndarray/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, type Fixture, input, out, sameBytes, setParams } from './helpers.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

function layerFixture(name: string): Fixture & { grad_req: Record<string, string> } {
  return JSON.parse(readFileSync(new URL(`../fixtures/mxnet_ops/layer_${name}.json`, import.meta.url), 'utf8'));
}

function scaled_tanh(F: typeof ndNs, x: NDArray): NDArray {
  return F.multiply(F.tanh(x), 2);
}

const LAYERS: Record<string, () => Block> = {
  layernorm_default: () => new nn.LayerNorm(),
  layernorm_axis1: () => new nn.LayerNorm({ axis: 1, epsilon: 1e-3, inChannels: 3 }),
  layernorm_nocenter_noscale: () => new nn.LayerNorm({ center: false, scale: false }),
  batchnorm_default: () => new nn.BatchNorm(),
  batchnorm_axis_last: () => new nn.BatchNorm({ axis: -1, epsilon: 1e-3, momentum: 0.8, inChannels: 4 }),
  batchnorm_noscale: () => new nn.BatchNorm({ scale: false, center: false }),
  batchnorm_2d: () => new nn.BatchNorm(),
  flatten: () => new nn.Flatten(),
  leakyrelu: () => new nn.LeakyReLU(0.1),
  leakyrelu_0: () => new nn.LeakyReLU(0),
  prelu: () => new nn.PReLU(),
  prelu_channels: () => new nn.PReLU({ inChannels: 3 }),
  elu: () => new nn.ELU(),
  elu_alpha: () => new nn.ELU({ alpha: 0.5 }),
  selu: () => new nn.SELU(),
  gelu: () => new nn.GELU(),
  swish: () => new nn.Swish(),
  swish_beta: () => new nn.Swish({ beta: 2.0 }),
  lambda_str: () => new nn.Lambda('tanh'),
  hybridlambda_str: () => new nn.HybridLambda('relu'),
  hybridlambda_fn: () => new nn.HybridLambda(scaled_tanh),
  conv1d_default: () => new nn.Conv1D(4, 3),
  conv1d_stride_pad: () => new nn.Conv1D(4, 3, { strides: 2, padding: 1, inChannels: 3 }),
  conv1d_dilation_groups: () => new nn.Conv1D(6, 2, { dilation: 2, groups: 3, useBias: false }),
  conv1d_activation: () => new nn.Conv1D(5, 3, { strides: 3, padding: 2, activation: 'relu' }),
  conv1d_kernel1: () => new nn.Conv1D(2, 1),
  maxpool1d_default: () => new nn.MaxPool1D(),
  maxpool1d_pad: () => new nn.MaxPool1D(3, 2, 1),
  maxpool1d_ceil: () => new nn.MaxPool1D(3, 2, { ceilMode: true }),
  maxpool1d_nwc: () => new nn.MaxPool1D(2, { layout: 'NWC' }),
  avgpool1d_pad: () => new nn.AvgPool1D(3, 2, 1),
  avgpool1d_pad_exclude: () => new nn.AvgPool1D(3, 2, 1, { countIncludePad: false }),
  avgpool1d_ceil: () => new nn.AvgPool1D(3, 2, { ceilMode: true }),
  globalmaxpool1d: () => new nn.GlobalMaxPool1D(),
  globalavgpool1d: () => new nn.GlobalAvgPool1D(),
  globalavgpool1d_nwc: () => new nn.GlobalAvgPool1D({ layout: 'NWC' }),
  hybridsequential_frontend: () => {
    const net = new nn.HybridSequential();
    net.nameScope(() => {
      net.add(new nn.Conv1D(4, 3, { padding: 1 }));
      net.add(new nn.BatchNorm());
      net.add(new nn.GELU());
      net.add(new nn.MaxPool1D(2));
      net.add(new nn.LayerNorm({ axis: 1 }));
      net.add(new nn.PReLU());
      net.add(new nn.GlobalAvgPool1D());
      net.add(new nn.Flatten());
      net.add(new nn.Dense(2));
    });
    return net;
  },
};

describe('gluon.nn layers vs MXNet 1.9.1 (test/fixtures/mxnet_ops/layer_*.json)', () => {
  for (const [name, make] of Object.entries(LAYERS)) {
    it(`layer_${name}.json`, () => {
      const f = layerFixture(name);
      const net = make();
      expect([...net.collectParams().keys()], 'names').toEqual(f.names);
      expect([...net._collectParamsWithPrefix().keys()], 'structural').toEqual(f.structural);
      expect(net.prefix, 'prefix').toBe(f.prefix);
      for (const [pname, p] of net.collectParams().entries())
        expect(p.gradReq, `${pname} gradReq`).toBe(f.grad_req[pname]);
      expect(String(net), 'repr before forward').toBe(f.repr_before_forward);
      net.initialize();
      const x = input(f, 'x');
      net.forward(x);
      setParams(net, f);
      expectClose(net.forward(x) as NDArray, out(f, 'out'), 1e-5, name);
      expect(String(net), 'repr').toBe(f.repr);
    });
  }
});

describe('MXNet parameter files', () => {
  it('layer_hybridsequential_frontend.json: loads bin/layer_hybridsequential_frontend.params (running stats included) and saves the same keys', () => {
    const f = layerFixture('hybridsequential_frontend');
    const net = LAYERS.hybridsequential_frontend?.() as Block;
    const bytes = new Uint8Array(
      readFileSync(new URL(`../fixtures/mxnet_ops/${String(f.params_file)}`, import.meta.url)),
    );
    net.loadParameters(bytes);
    expectClose(net.forward(input(f, 'x')) as NDArray, out(f, 'out'), 1e-5, 'after loadParameters');
    const again = LAYERS.hybridsequential_frontend?.() as Block;
    again.loadParameters(net.saveParameters());
    expectClose(again.forward(input(f, 'x')) as NDArray, out(f, 'out'), 1e-5, 'after a save/load round trip');
    expect(sameBytes(again.saveParameters(), bytes)).toBe(true);
  });
});

describe('layer arguments', () => {
  it('bad options throw, naming the argument', () => {
    expect(() => new nn.Conv1D(4, 3, { layout: 'NWC' as never })).toThrow(/NCW/);
    expect(() => new nn.Conv1D(4, [3, 3] as never)).toThrow(/kernelSize/);
    expect(() => new nn.Conv1D(4, 3, { groups: 3 })).toThrow(/groups/);
    expect(() => new nn.MaxPool1D({ layout: 'NCHW' as never })).toThrow(/NCW and NWC/);
    expect(() => new nn.LeakyReLU(-1)).toThrow(/no less than 0/);
    expect(() => new nn.BatchNorm({ epsilon: 'x' as never })).toThrow(/epsilon/);
    expect(() => new nn.LayerNorm({ axes: 1 } as never)).toThrow(/unknown option 'axes'/);
    expect(() => new nn.Lambda('no_such_op' as never)).toThrow(/not found in ndarray/);
    expect(() => new nn.AvgPool1D({ countIncludePad: 1 as never })).toThrow(/countIncludePad/);
  });
  it('Conv1D reports input shape mismatches with the shapes', () => {
    const conv = new nn.Conv1D(2, 3, { inChannels: 4 });
    conv.initialize();
    const x = input(layerFixture('conv1d_default'), 'x'); // (2, 3, 7)
    expect(() => conv.forward(x)).toThrow(/weight has shape \(2, 4, 3\).*\(2, 3, 7\)/);
  });
  it('Lambda with an anonymous function prints like Python (<lambda>)', () => {
    expect(String(new nn.Lambda((x: NDArray) => x))).toBe('Lambda(<lambda>)');
  });
});
