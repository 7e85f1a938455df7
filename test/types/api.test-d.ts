// Type tests of the public API: what must compile, with the types it must have (`expectTypeOf`),
// and what must NOT compile (`// @ts-expect-error`: tsc fails when the line below it compiles).
// Never run, only type-checked: by the repository's `tsc --noEmit` against the sources (tsconfig
// `paths`), and by the runtime harness's `types` runtime against the packed tarball under
// `--strict` with moduleResolution nodenext and bundler.

import { expectTypeOf } from 'expect-type';
import mx, {
  AssertionError,
  type BackendInfo,
  type BeginStateOptions,
  DeferredInitializationError,
  type DenseOptions,
  type GRUOptions,
  gluon,
  type LoadParametersOptions,
  type LSTMOptions,
  type NDArray,
  type NDArrayFileError,
  NotImplementedError,
  nd,
  type ReadyOptions,
  type RecurrentStream,
  type RecurrentStreamOptions,
  type UnrollOptions,
  ValueError,
} from 'gluon-rnn-wasm';
import edge, { type NDArray as EdgeNDArray } from 'gluon-rnn-wasm/edge';

declare const x: NDArray;
declare const bytes: Uint8Array;
declare const flag: boolean;

// ---- NDArray and the package entry -------------------------------------------------------

expectTypeOf(mx.nd.ones([2, 3])).toEqualTypeOf<NDArray>();
expectTypeOf<EdgeNDArray>().toEqualTypeOf<NDArray>();
expectTypeOf(edge.ready).returns.toEqualTypeOf<Promise<BackendInfo>>();
expectTypeOf(mx.ready).parameter(0).toEqualTypeOf<ReadyOptions | undefined>();
expectTypeOf(x.shape).toEqualTypeOf<number[]>();

// ---- constructors: Python's positional order, or one options object with checked keys -------

new gluon.rnn.GRU(100);
new gluon.rnn.GRU(100, 3);
new gluon.rnn.GRU(100, 3, 'NTC');
new gluon.rnn.GRU(100, { numLayers: 3, layout: 'NTC' });
new gluon.rnn.GRU({ hiddenSize: 100, numLayers: 3 });
new gluon.rnn.LSTM(100, { projectionSize: 50, stateClipMin: -1, stateClipMax: 1 });
new gluon.rnn.RNN(100, 2, 'tanh');
// @ts-expect-error hiddenSize is a number
new gluon.rnn.GRU('100');
// @ts-expect-error misspelt option (numLayers)
new gluon.rnn.GRU(100, { numLayer: 3 });
// @ts-expect-error snake_case key (num_layers)
new gluon.rnn.GRU(100, { num_layers: 3 });
// @ts-expect-error hiddenSize is required
new gluon.rnn.GRU({ numLayers: 3 });
// @ts-expect-error hiddenSize is required
new gluon.rnn.GRU();
// @ts-expect-error layout is 'TNC' or 'NTC'
new gluon.rnn.GRU(100, 3, 'CNT');
// @ts-expect-error projection is LSTM's, not GRU's
new gluon.rnn.GRU(100, { projectionSize: 3 });
// @ts-expect-error RNN's activation is 'relu' or 'tanh'
new gluon.rnn.RNN(100, { activation: 'sigmoid' });

new gluon.nn.Dense(5);
new gluon.nn.Dense(5, 'relu', true, false);
new gluon.nn.Dense(5, { flatten: false, weightInitializer: 'zeros', inUnits: 3, prefix: 'out_' });
// @ts-expect-error not an activation name
new gluon.nn.Dense(5, 'gelu');
// @ts-expect-error snake_case key (inUnits)
new gluon.nn.Dense(5, { in_units: 3 });
new gluon.nn.Embedding(30, 10);
// @ts-expect-error outputDim is required
new gluon.nn.Embedding(30);
new gluon.nn.Dropout(0.5);
new gluon.nn.Activation('tanh');

new gluon.rnn.LSTMCell(128, { inputSize: 128, prefix: 'rnnmodel2_lstm0_' });
new gluon.rnn.RNNCell(10, 'tanh');
new gluon.rnn.RNNCell(10, (v: NDArray) => v);
new gluon.rnn.GRUCell(10, null, null, 'zeros', 'zeros', 4);
// @ts-expect-error snake_case key (inputSize)
new gluon.rnn.LSTMCell(128, { input_size: 128 });
const l = new gluon.rnn.LSTMCell(8);
const r = new gluon.rnn.LSTMCell(8);
new gluon.rnn.BidirectionalCell(l, r, 'bi_');
new gluon.rnn.BidirectionalCell(l, r, { outputPrefix: 'bi_' });
// @ts-expect-error misspelt option (outputPrefix)
new gluon.rnn.BidirectionalCell(l, r, { outputPrefx: 'bi_' });
new gluon.rnn.ZoneoutCell(new gluon.rnn.GRUCell(8), 0.1, 0.2);
new gluon.rnn.DropoutCell(0.2, { axes: [0] });
new gluon.contrib.rnn.VariationalDropoutCell(new gluon.rnn.GRUCell(8), { dropInputs: 0.1 });
new gluon.contrib.rnn.LSTMPCell(10, 5);
// @ts-expect-error projectionSize is required
new gluon.contrib.rnn.LSTMPCell(10);

new mx.init.Xavier('gaussian', 'in', 2);
new mx.init.Xavier({ magnitude: 2 });
new mx.init.Uniform(0.1);
new mx.init.Constant(0.5);
// @ts-expect-error snake_case key (rndType)
new mx.init.Xavier({ rnd_type: 'gaussian' });

// ---- option interfaces are exported and checked ----------------------------------------------

const go: GRUOptions = { numLayers: 2, bidirectional: true };
const lo: LSTMOptions = { ...go, projectionSize: 4 };
expectTypeOf<GRUOptions['layout']>().toEqualTypeOf<'TNC' | 'NTC' | undefined>();
expectTypeOf<DenseOptions['units']>().toEqualTypeOf<number | undefined>();
// @ts-expect-error misspelt option (numLayers)
const badGo: GRUOptions = { numLayer: 2 };
console.log(go, lo, badGo);

// ---- unroll: the outputs' type follows mergeOutputs ------------------------------------------

const cell = new gluon.rnn.SequentialRNNCell();
expectTypeOf(cell.unroll(4, x, { mergeOutputs: true })).toEqualTypeOf<[NDArray, NDArray[]]>();
expectTypeOf(cell.unroll(4, x, { mergeOutputs: false })).toEqualTypeOf<[NDArray[], NDArray[]]>();
expectTypeOf(cell.unroll(4, x)[0]).toEqualTypeOf<NDArray | NDArray[]>();
expectTypeOf(cell.unroll(4, x, { layout: 'TNC' })[0]).toEqualTypeOf<NDArray | NDArray[]>();
expectTypeOf(cell.unroll(4, x, { mergeOutputs: null })[0]).toEqualTypeOf<NDArray | NDArray[]>();
expectTypeOf(cell.unroll(4, x, { mergeOutputs: flag })[0]).toEqualTypeOf<NDArray | NDArray[]>();
expectTypeOf(cell.unroll(4, x, null, 'TNC', true)[0]).toEqualTypeOf<NDArray>();
expectTypeOf(cell.unroll({ length: 4, inputs: x, mergeOutputs: false })[0]).toEqualTypeOf<NDArray[]>();
const [merged, lastStates] = new gluon.rnn.LSTMCell(8).unroll(5, x, {
  layout: 'TNC',
  mergeOutputs: true,
  validLength: nd.array([5, 3, 2]),
});
expectTypeOf(merged).toEqualTypeOf<NDArray>();
expectTypeOf(lastStates).toEqualTypeOf<NDArray[]>();
expectTypeOf(new gluon.rnn.BidirectionalCell(l, r).unroll(4, x, { mergeOutputs: true })[0]).toEqualTypeOf<NDArray>();
expectTypeOf(new gluon.rnn.ResidualCell(l).unroll(4, [x], { mergeOutputs: false })[0]).toEqualTypeOf<NDArray[]>();
expectTypeOf(
  new gluon.contrib.rnn.VariationalDropoutCell(r).unroll(4, x, { mergeOutputs: true })[0],
).toEqualTypeOf<NDArray>();
// @ts-expect-error misspelt option (mergeOutputs)
cell.unroll(4, x, { mergeOutput: true });
// @ts-expect-error layout is 'TNC' or 'NTC'
cell.unroll(4, x, { layout: 'CTN' });
// @ts-expect-error length and inputs are required
cell.unroll({ mergeOutputs: true });
const uo: UnrollOptions<true> = { mergeOutputs: true };
console.log(uo);

// ---- beginState ------------------------------------------------------------------------------

expectTypeOf(cell.beginState(32)).toEqualTypeOf<NDArray[]>();
cell.beginState({ batchSize: 32 });
cell.beginState(32, { func: mx.nd.ones });
cell.beginState(32, { func: mx.nd.random.uniform, low: -1, high: 1 });
cell.beginState(32, mx.nd.random.uniform, { low: -1, high: 1 });
new gluon.rnn.LSTM(10).beginState(3, { func: mx.nd.zeros });
const bs: BeginStateOptions = { batchSize: 2, dtype: 'float32' };
cell.beginState(bs);
// @ts-expect-error snake_case key (batchSize)
cell.beginState({ batch_size: 32 });
// @ts-expect-error batchSize is a number
cell.beginState('32');

// ---- forward ---------------------------------------------------------------------------------

const lstm = new gluon.rnn.LSTM(100, 3);
expectTypeOf(lstm.forward(x)).toEqualTypeOf<NDArray>();
expectTypeOf(lstm.forward(x, [x, x])).toEqualTypeOf<[NDArray, NDArray[]]>();
expectTypeOf(new gluon.nn.Dense(5).forward(x)).toEqualTypeOf<NDArray>();
expectTypeOf(new gluon.nn.Embedding(30, 10).forward(x)).toEqualTypeOf<NDArray>();
expectTypeOf(l.forward(x, [x, x])).toEqualTypeOf<[NDArray, NDArray[]]>();

// ---- containers keep the children's type ---------------------------------------------------

const net = new gluon.nn.Sequential<gluon.nn.Dense | gluon.rnn.LSTM>();
net.add(new gluon.nn.Dense(4), new gluon.rnn.LSTM(8));
expectTypeOf(net.get(0)).toEqualTypeOf<gluon.nn.Dense | gluon.rnn.LSTM>();
expectTypeOf(net.slice(1)).toEqualTypeOf<gluon.nn.Sequential<gluon.nn.Dense | gluon.rnn.LSTM>>();
// @ts-expect-error an Embedding is not a child this container was declared for
net.add(new gluon.nn.Embedding(3, 4));
const anyNet = new gluon.nn.Sequential();
anyNet.add(new gluon.nn.Embedding(30, 10), new gluon.rnn.LSTM(20));
expectTypeOf(anyNet.get(0)).toEqualTypeOf<gluon.Block>();
const hnet = new gluon.nn.HybridSequential<gluon.nn.Dense>({ prefix: 'h_' });
expectTypeOf(hnet.get(-1)).toEqualTypeOf<gluon.nn.Dense>();
const stack = new gluon.rnn.SequentialRNNCell<gluon.rnn.LSTMCell>();
stack.add(new gluon.rnn.LSTMCell(20));
expectTypeOf(stack.get(0)).toEqualTypeOf<gluon.rnn.LSTMCell>();
// @ts-expect-error a GRUCell is not an LSTMCell
stack.add(new gluon.rnn.GRUCell(20));

// ---- parameters and files ------------------------------------------------------------------

anyNet.initialize();
anyNet.initialize(new mx.init.Xavier(), { forceReinit: true });
anyNet.initialize({ init: 'zeros', forceReinit: true });
anyNet.loadParameters(bytes);
anyNet.loadParameters('model.params', { allowMissing: true, ignoreExtra: true });
anyNet.loadParameters(bytes.buffer, null, false, false, true, 'current');
const lpo: LoadParametersOptions = { castDtype: true, dtypeSource: 'saved' };
anyNet.loadParameters(bytes, lpo);
// @ts-expect-error snake_case key (allowMissing)
anyNet.loadParameters(bytes, { allow_missing: true });
// @ts-expect-error dtypeSource is 'current' or 'saved'
anyNet.loadParameters(bytes, { castDtype: true, dtypeSource: 'bogus' });
// @ts-expect-error a source is a path, bytes or an ArrayBuffer
anyNet.loadParameters(42);
expectTypeOf(anyNet.saveParameters()).toEqualTypeOf<Uint8Array>();
anyNet.saveParameters({ deduplicate: true });
anyNet.collectParams().load(bytes, { restorePrefix: '', allowMissing: false });
anyNet.collectParams().save({ stripPrefix: '' });
// @ts-expect-error snake_case key (stripPrefix)
anyNet.collectParams().save({ strip_prefix: '' });
anyNet.collectParams().setattr('gradReq', 'null');
// @ts-expect-error gradReq is 'write', 'add' or 'null'
anyNet.collectParams().setattr('gradReq', 'none');
anyNet.collectParams().setattr('lrMult', 0.5);
// @ts-expect-error a method, not an attribute to set on every Parameter
anyNet.collectParams().setattr('data', 1);

// ---- layer.stream(): token by token -----------------------------------------------------

const streamed = new gluon.rnn.LSTM(100, { inputSize: 20 });
expectTypeOf(streamed.stream()).toEqualTypeOf<RecurrentStream>();
expectTypeOf(streamed.stream).parameter(0).toEqualTypeOf<RecurrentStreamOptions | undefined>();
const stream = streamed.stream({ batchSize: 2, states: streamed.beginState(2) });
expectTypeOf(stream.step(x)).toEqualTypeOf<Float32Array>();
expectTypeOf(stream.step(new Float32Array(40), new Float32Array(200))).toEqualTypeOf<Float32Array>();
expectTypeOf(stream.states()).toEqualTypeOf<NDArray[]>();
expectTypeOf(stream.outputSize).toEqualTypeOf<number>();
expectTypeOf(stream).toEqualTypeOf<gluon.rnn.RecurrentStream>();
// @ts-expect-error a token is a Float32Array or an NDArray, not a number array
stream.step([1, 2, 3]);
// @ts-expect-error the output goes into a Float32Array
stream.step(x, new Float64Array(200));
// @ts-expect-error batchSize is a number
streamed.stream({ batchSize: '2' });
// @ts-expect-error misspelt option (batchSize)
streamed.stream({ batch_size: 2 });
// @ts-expect-error outputSize is read-only
stream.outputSize = 3;
expectTypeOf(new gluon.rnn.GRUCell(10).stream({ batchSize: 4 })).toEqualTypeOf<RecurrentStream>();
// @ts-expect-error a stack of cells has no stream (its basic cells and the fused layers do)
new gluon.rnn.SequentialRNNCell().stream();

// ---- nd --------------------------------------------------------------------------------------

expectTypeOf(nd.array([1, 2, 3], { dtype: 'int32' })).toEqualTypeOf<NDArray>();
nd.array(new Int32Array([1, 2]), [2], null, 'int64');
nd.zeros([2, 3], { dtype: 'uint8' });
nd.full([2], 3, { dtype: 'int8' });
// @ts-expect-error float64 storage is not offered (float32 only, integer dtypes converted)
nd.array([1, 2], { dtype: 'float64' });
// @ts-expect-error misspelt option (dtype)
nd.zeros([2], { dtyp: 'float32' });
expectTypeOf(nd.split(x, 2, { axis: 1 })).toEqualTypeOf<NDArray[]>();
nd.concat(x, x, { dim: 1 });
nd.concat([x, x], { dim: 1 });
nd.stack([x, x], { axis: 0 });
nd.random.uniform(0, 1, [2, 3]);
nd.random.normal({ loc: 0, scale: 2, shape: 4 });
mx.random.seed(7);
// @ts-expect-error mx.random is seed() alone: the generator's internals stay out of it
mx.random.settleOwed();
nd.FullyConnected({ data: x, weight: x, bias: null, noBias: true });
// @ts-expect-error concat takes its axis as `dim`
nd.concat(x, x, { axis: 1 });

// ---- mx.sym and SymbolBlock ------------------------------------------------------------------

const fcSym = mx.sym.FullyConnected(mx.sym.var('data'), { numHidden: 2, name: 'fc' });
mx.sym.var('w', { shape: [2, 3], lrMult: 2, wdMult: 0.5, dtype: 'float32', init: new mx.init.Xavier() });
mx.sym.var('w', { init: 'zeros' });
// @ts-expect-error one dtype: 'float32'
mx.sym.var('w', { dtype: 'float16' });
// @ts-expect-error lr_mult is lrMult
mx.sym.var('w', { lr_mult: 2 });
// topk gives [values, indices] for retTyp 'both', one Symbol otherwise; arange's options are typed
expectTypeOf(mx.sym.topk(fcSym, { k: 2, retTyp: 'both' })).toEqualTypeOf<[typeof fcSym, typeof fcSym]>();
expectTypeOf(mx.sym.topk(fcSym, { k: 2 })).toEqualTypeOf<typeof fcSym>();
// @ts-expect-error retTyp is one of 'value', 'indices', 'both', 'mask'
mx.sym.topk(fcSym, { retTyp: 'values' });
expectTypeOf(mx.sym.arange(0, { stop: 5, repeat: 2 })).toEqualTypeOf<typeof fcSym>();
// @ts-expect-error stop is a number or null
mx.sym.arange(0, { stop: '5' });
expectTypeOf(new gluon.SymbolBlock(fcSym, 'data')).toEqualTypeOf<InstanceType<typeof gluon.SymbolBlock>>();
// @ts-expect-error a graph is JSON text, a Symbol or a SymbolBlock's graph
new gluon.SymbolBlock(5, 'data');
// @ts-expect-error the abstract bases are not made directly
new mx.optimizer.Optimizer();
// @ts-expect-error the abstract bases are not made directly
new mx.init.Initializer();

// ---- error classes ---------------------------------------------------------------------------

expectTypeOf(new ValueError('v')).toExtend<Error>();
expectTypeOf(new AssertionError('a')).toExtend<Error>();
expectTypeOf(new NotImplementedError('n')).toExtend<Error>();
expectTypeOf(new DeferredInitializationError('d')).toExtend<Error>();
expectTypeOf<NDArrayFileError>().toExtend<Error>();
