// Wrong arguments to NDArray methods, the abstract bases and the learning-rate schedules get an
// Error naming them instead of an engine TypeError or a loop without end (found by random calls
// over the NDArray methods and the classes of mx.gluon, mx.optimizer and mx.lr_scheduler,
// test/robustness/api_fuzz.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import mx, { ready } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';

beforeAll(async () => {
  await ready({ threads: 1 });
});

describe('NDArray methods check their arguments', () => {
  const x = () => mx.nd.array([1, 2, 3, 4, 5, 6], [2, 3]);
  const call =
    (name: string, ...a: unknown[]) =>
    () =>
      (x() as unknown as Record<string, (...b: unknown[]) => unknown>)[name]?.(...a);

  it('reshape: a shape that is neither an array nor integers, and anything after the array but options', () => {
    expect(call('reshape')).toThrow(/reshape: shape must be an array of integers or integer arguments, got undefined/);
    expect(call('reshape', 'a')).toThrow(/got "a"/);
    expect(call('reshape', [3, 2], 5)).toThrow(/reshape: after the shape array only an options object, got/);
    expect(call('reshape', [3, 2], {}, {})).toThrow(/after the shape array only an options object/);
    expect(x().reshape([3, 2], { reverse: true }).shape).toEqual([3, 2]);
    expect(x().reshape(3, 2).shape).toEqual([3, 2]);
  });

  it('transpose: axes that are not an array', () => {
    expect(call('transpose', 1)).toThrow(/transpose: axes must be an array of integer axes, got 1/);
    expect(call('transpose', 'ab')).toThrow(/transpose: axes must be an array/);
    expect(x().transpose(null as never).shape).toEqual([3, 2]); // Python's axes=None
    expect(x().transpose([1, 0]).shape).toEqual([3, 2]);
  });

  it('slice: begin and end of no known form', () => {
    expect(call('slice')).toThrow(/slice: begin must be a number, an array or an options object, got undefined/);
    expect(call('slice', 'ab')).toThrow(/slice: begin must be a number, an array or an options object, got "ab"/);
    expect(call('slice', [0], 1)).toThrow(/slice: end must be an array \(as begin is\) or null, got 1/);
    expect(x().slice([0, 1], [1, 3]).toArray()).toEqual([[2, 3]]);
  });
});

describe('the abstract bases cannot be made', () => {
  it('Optimizer, LRScheduler, Initializer and Loss name what to use instead', () => {
    const { Optimizer } = mx.optimizer as unknown as Record<string, new () => unknown>;
    const { LRScheduler } = mx.lr_scheduler as unknown as Record<string, new () => unknown>;
    expect(() => new (Optimizer as new () => unknown)()).toThrow(/Optimizer is abstract: use mx.optimizer.create/);
    expect(() => new (LRScheduler as new () => unknown)()).toThrow(/LRScheduler is abstract: use FactorScheduler/);
    const { Initializer } = mx.init as unknown as Record<string, new () => unknown>;
    const { Loss } = mx.gluon.loss as unknown as Record<string, new () => unknown>;
    expect(() => new (Initializer as new () => unknown)()).toThrow(/Initializer is abstract: use Zero, One/);
    expect(() => new (Loss as new () => unknown)()).toThrow(/Loss is abstract: use L2Loss/);
  });
});

describe('the public methods of optimizers, initializers and blocks check what they are handed', () => {
  it('Optimizer.update: index, weight, gradient and state, before anything is written', () => {
    const sgd = new mx.optimizer.SGD({ momentum: 0.9, learningRate: 0.1 });
    const w = new Float32Array([1, 2, 3]);
    const g = new Float32Array([1, 1, 1]);
    expect(() => sgd.update(0, w, g, [])).toThrow(
      /SGD\.update: state must be the 1 Float32Array\(s\) of 3 elements that createState makes, got an array of length 0/,
    );
    expect(() => sgd.update(0, w, new Float32Array(2), sgd.createState(0, 3))).toThrow(
      /SGD\.update: grad must be a Float32Array of 3 elements \(the weight's\)/,
    );
    expect(() => sgd.update(-1, w, g, sgd.createState(0, 3))).toThrow(
      /SGD\.update: index must be an integer >= 0, got -1/,
    );
    expect(() => sgd.update(0, [1, 2, 3] as never, g, [])).toThrow(/SGD\.update: weight must be a Float32Array/);
    expect(Array.from(w)).toEqual([1, 2, 3]);
    expect(sgd.numUpdate).toBe(0);
    const adam = new mx.optimizer.Adam();
    expect(() => adam.createState(0, -1)).toThrow(/Adam\.createState: size must be an integer >= 0, got -1/);
    adam.update(0, w, g, adam.createState(0, 3));
    expect(w[0]).toBeLessThan(1);
  });

  it('Initializer.initWeight: a target of data and shape that agree', () => {
    const arr = mx.nd.zeros([2, 3]);
    for (const init of [
      new mx.init.Uniform(),
      new mx.init.Xavier(),
      new mx.init.Orthogonal(),
      new mx.init.MSRAPrelu(),
    ]) {
      const name = init.constructor.name;
      expect(() => init.initWeight('w', {} as never)).toThrow(
        new RegExp(
          `init\\.${name}\\.initWeight: arr must have a Float32Array data of as many elements as its shape says`,
        ),
      );
      expect(() => init.initWeight('w', { data: new Float32Array(5), shape: [2, 3] })).toThrow(/as many elements/);
      init.initWeight('w', arr);
    }
    expect(arr.data.some((v) => v !== 0)).toBe(true);
  });

  it('Block.apply and nameScope take functions', () => {
    const d = new mx.gluon.nn.Dense(2);
    expect(() => d.apply(5 as never)).toThrow(/Dense\.apply: fn must be a function, got 5/);
    expect(() => d.nameScope('x' as never)).toThrow(/Dense\.nameScope: fn must be a function, got "x"/);
    expect(d.nameScope(() => 3)).toBe(3);
  });
});

describe('learning-rate schedules', () => {
  const { CosineScheduler, FactorScheduler, MultiFactorScheduler, PolyScheduler } = mx.lr_scheduler;

  it('refuse an update count that is not one, naming it', () => {
    for (const s of [
      new FactorScheduler(2),
      new MultiFactorScheduler([2, 4]),
      new PolyScheduler(10),
      new CosineScheduler(10),
    ]) {
      for (const n of [Number.POSITIVE_INFINITY, Number.NaN, -1, 1.5, '3', 2 ** 53])
        expect(() => s.call(n as number)).toThrow(/\.call: numUpdate must be a count of updates \(an integer >= 0\)/);
      expect(Number.isFinite(s.call(3))).toBe(true);
    }
    expect(() => new mx.optimizer.SGD({ beginNumUpdate: 1.5 })).toThrow(
      /SGD: beginNumUpdate must be a count of updates/,
    );
  });

  it('refuse options of the wrong type, naming them', () => {
    expect(() => new FactorScheduler('a' as never)).toThrow(/FactorScheduler: step must be an integer, got "a"/);
    expect(() => new FactorScheduler(2.5)).toThrow(/FactorScheduler: step must be an integer, got 2.5/);
    expect(() => new FactorScheduler(2, Number.NaN)).toThrow(/FactorScheduler: factor must be a number, got NaN/);
    expect(() => new FactorScheduler(2, { stopFactorLr: 'x' as never })).toThrow(/stopFactorLr must be a number/);
    expect(() => new FactorScheduler(2, { baseLr: 'x' as never })).toThrow(/FactorScheduler: baseLr must be a number/);
    expect(() => new MultiFactorScheduler([1, 'b' as never])).toThrow(/step\[1\] must be an integer, got "b"/);
    expect(() => new MultiFactorScheduler([1], Number.NaN)).toThrow(/MultiFactorScheduler: factor must be a number/);
    expect(() => new PolyScheduler(4, { pwr: 'x' as never })).toThrow(/PolyScheduler: pwr must be a number/);
    expect(() => new CosineScheduler(4, { finalLr: {} as never })).toThrow(/CosineScheduler: finalLr must be a number/);
    expect(() => new CosineScheduler(4, { warmupBeginLr: 'x' as never })).toThrow(/warmupBeginLr must be a number/);
  });

  it('FactorScheduler: a jump over many steps decays as stepping there one update at a time does', () => {
    // MXNet's loop, one decay per step, in float64 as Python computes it.
    const python = (step: number, factor: number, stop: number, base: number, counts: number[]) => {
      let count = 0;
      let lr = base;
      return counts.map((n) => {
        while (n > count + step) {
          count += step;
          lr *= factor;
          if (lr < stop) lr = stop;
        }
        return lr;
      });
    };
    const counts = [0, 1, 3, 4, 7, 50, 51, 52, 1000, 999_999, 3_000_000];
    for (const [step, factor, stop] of [
      [3, 0.5, 1e-3],
      [1, 0.9999, 1e-8],
      [1, 1 - 1e-8, 1e-8],
      [2, 1, 1e-8],
      [1, 0, 1e-8],
      [1, -1, -1],
    ] as const) {
      const s = new FactorScheduler(step, factor, stop, 1);
      const got = counts.map((n) => s.call(n));
      const want = python(step, factor, stop, 1, counts);
      got.forEach((v, i) => {
        expect(Math.abs(v - (want[i] as number))).toBeLessThanOrEqual(1e-9 * Math.abs(want[i] as number));
      });
    }
    // A count of 2^52 on a factor that needs ~10^7 decays to reach its floor returns at once.
    const far = new FactorScheduler(1, 1 - 1e-12, 1e-8, 1);
    expect(far.call(2 ** 52)).toBe(1e-8);
    expect(far.call(2 ** 52 + 2)).toBe(1e-8);
  });
});

describe('ParameterDict checks what it is handed', () => {
  const { ParameterDict, Parameter } = mx.gluon;

  it('the constructor: prefix and shared', () => {
    expect(() => new ParameterDict(1 as never)).toThrow(/ParameterDict: prefix must be a string, got 1/);
    expect(() => new ParameterDict('p_', {} as never)).toThrow(/ParameterDict: shared must be a ParameterDict or null/);
  });

  it('update: a ParameterDict or [name, Parameter] pairs, nothing copied otherwise', () => {
    const d = new ParameterDict('p_');
    d.get('w', { shape: [2] });
    expect(() => d.update(5 as never)).toThrow(
      /ParameterDict\.update: other must be a ParameterDict or \[name, Parameter\] pairs, got 5/,
    );
    expect(() =>
      d.update([
        ['a', new Parameter('a')],
        ['b', 3],
      ] as never),
    ).toThrow(/other must be a ParameterDict/);
    expect([...d.keys()]).toEqual(['p_w']);
    d.update([['a', new Parameter('a')]]);
    expect([...d.keys()]).toEqual(['p_w', 'a']);
  });

  it("setattr: Gluon's settable attributes, the value checked before any Parameter changes", () => {
    const d = new mx.gluon.nn.Dense(2, { inUnits: 3 }).collectParams();
    const set = d.setattr as (n: string, v: unknown) => void;
    expect(() => set.call(d, 'data', 1)).toThrow(
      /ParameterDict\.setattr: name must be one of gradReq, lrMult, wdMult, init, allowDeferredInit, got "data"/,
    );
    expect(() => set.call(d, 'lrMult', 'a')).toThrow(/ParameterDict\.setattr: lrMult must be a number, got "a"/);
    expect(() => set.call(d, 'gradReq', 'none')).toThrow(
      /grad_req must be one of 'write', 'add', or 'null', but got 'none'/,
    );
    expect([...d.values()].map((p) => [p.gradReq, p.lrMult])).toEqual([
      ['write', 1],
      ['write', 1],
    ]);
    d.setattr('lrMult', 0.5);
    expect([...d.values()].map((p) => p.lrMult)).toEqual([0.5, 0.5]);
    expect(() => new Parameter('w', { wdMult: 'x' as never })).toThrow(
      /Parameter 'w': wdMult must be a number, got "x"/,
    );
  });
});

describe('SymbolBlock takes a graph it can trust', () => {
  const { SymbolBlock } = mx.gluon;

  it('an object that is not a parsed graph is refused, naming what is taken', () => {
    expect(() => new SymbolBlock(2 as never, 'data')).toThrow(
      /SymbolBlock: symbol must be the graph's JSON text, a path to -symbol\.json, an mx\.sym Symbol or a SymbolBlock's graph, got 2/,
    );
    expect(() => new SymbolBlock({ nodes: [], argNodes: 5, heads: [] } as never, 'data')).toThrow(
      /SymbolBlock: symbol must be/,
    );
  });

  it("an mx.sym Symbol (Python's SymbolBlock(outputs, inputs)) runs as its JSON does", () => {
    const data = mx.sym.var('data');
    const out = mx.sym.FullyConnected(data, { numHidden: 2, name: 'fc' });
    const fromSymbol = new SymbolBlock(out, 'data');
    const fromJson = new SymbolBlock(out.toJson(), 'data');
    const again = new SymbolBlock(fromJson.graph, ['data']);
    for (const b of [fromSymbol, fromJson, again]) b.initialize(new mx.init.Constant(0.5));
    const x = mx.nd.array([1, 2, 3], [1, 3]);
    for (const b of [fromSymbol, fromJson, again]) expect((b.forward(x) as NDArray).toArray()).toEqual([[3.5, 3.5]]);
  });
});

describe('recurrent layers refuse a layer count that would not finish building', () => {
  it('numLayers times directions above 2^16, before any Parameter is made', () => {
    const { LSTM, GRU } = mx.gluon.rnn;
    expect(() => new LSTM(4, { numLayers: 2 ** 40 })).toThrow(
      /LSTM: numLayers times directions must be at most 65536, got 1099511627776 x 1/,
    );
    expect(() => new GRU(4, { numLayers: 2 ** 16, bidirectional: true })).toThrow(/got 65536 x 2/);
    expect([...new LSTM(2, { numLayers: 12 }).collectParams().keys()]).toHaveLength(48);
  });
});
