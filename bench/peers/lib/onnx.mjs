// ONNX models of the benchmark's layers, written as protobuf bytes here (no ONNX tooling
// needed): the handful of messages an LSTM / GRU / RNN graph uses. Field numbers and types are
// those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
// ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
import { dirs, GATES, layerInput, pickGates } from './configs.mjs';

const utf8 = new TextEncoder();

// ---- protobuf wire format: a message is a list of (field, wire type, payload) records

function varint(value) {
  const bytes = [];
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n; // negative int64 as two's complement, ten bytes
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return bytes;
}

/** Concatenates byte chunks (arrays of numbers or Uint8Arrays). */
function concat(chunks) {
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Encodes a message from [field, kind, value] entries; kind: 'int' | 'bytes' | 'string' | 'msg' | 'float'. */
export function message(entries) {
  const chunks = [];
  for (const [field, kind, value] of entries) {
    if (kind === 'int') {
      chunks.push(varint(field << 3), varint(value));
    } else if (kind === 'float') {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setFloat32(0, value, true);
      chunks.push(varint((field << 3) | 5), b);
    } else {
      const payload = kind === 'string' ? utf8.encode(value) : value;
      chunks.push(varint((field << 3) | 2), varint(payload.length), payload);
    }
  }
  return concat(chunks);
}

// ---- the ONNX messages

const FLOAT = 1;
const INT64 = 7;

/** TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian). */
export function initializer(name, dims, data) {
  const type = data instanceof Float32Array ? FLOAT : INT64;
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return message([...dims.map((d) => [1, 'int', d]), [2, 'int', type], [8, 'string', name], [9, 'bytes', raw]]);
}

/** AttributeProto: name 1, f 2, i 3, s 4, ints 8, strings 9, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7, STRINGS 8). */
function attribute(name, value) {
  const e = [[1, 'string', name]];
  if (Array.isArray(value) && typeof value[0] === 'string') {
    for (const s of value) e.push([9, 'string', s]);
    e.push([20, 'int', 8]);
  } else if (Array.isArray(value)) {
    for (const v of value) e.push([8, 'int', v]);
    e.push([20, 'int', 7]);
  } else if (typeof value === 'string') {
    e.push([4, 'string', value], [20, 'int', 3]);
  } else if (Number.isInteger(value)) {
    e.push([3, 'int', value], [20, 'int', 2]);
  } else {
    e.push([2, 'float', value], [20, 'int', 1]);
  }
  return message(e);
}

/** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5. An empty input name means "absent". */
export function node(op, inputs, outputs, attrs = {}) {
  return message([
    ...inputs.map((i) => [1, 'string', i]),
    ...outputs.map((o) => [2, 'string', o]),
    [3, 'string', `${op}:${outputs[0]}`],
    [4, 'string', op],
    ...Object.entries(attrs).map(([k, v]) => [5, 'msg', attribute(k, v)]),
  ]);
}

/** ValueInfoProto (name 1, type 2) of a float tensor with fixed dims: TypeProto.tensor_type 1 {elem_type 1, shape 2 {dim 1 {dim_value 1}}}. */
export function floatValue(name, dims) {
  const shape = message(dims.map((d) => [1, 'msg', message([[1, 'int', d]])]));
  const tensorType = message([
    [1, 'int', FLOAT],
    [2, 'msg', shape],
  ]);
  return message([
    [1, 'string', name],
    [2, 'msg', message([[1, 'msg', tensorType]])],
  ]);
}

/** ModelProto: ir_version 1, producer_name 2, graph 7 {node 1, name 2, initializer 5, input 11, output 12}, opset_import 8 {domain 1, version 2}. */
export function model({ nodes, inits, inputs, outputs }) {
  const graph = message([
    ...nodes.map((n) => [1, 'msg', n]),
    [2, 'string', 'recurrent'],
    ...inits.map((t) => [5, 'msg', t]),
    ...inputs.map((v) => [11, 'msg', v]),
    ...outputs.map((v) => [12, 'msg', v]),
  ]);
  const opset = message([
    [1, 'string', ''],
    [2, 'int', 17],
  ]);
  return message([
    [1, 'int', 8],
    [2, 'string', 'gluon-rnn-wasm bench/peers'],
    [7, 'msg', graph],
    [8, 'msg', opset],
  ]);
}

// ---- the recurrent layers

// ONNX gate order from MXNet's: LSTM i,o,f,c from i,f,g,o; GRU z,r,h from r,z,n.
const ONNX_ORDER = { lstm: [0, 3, 1, 2], gru: [1, 0, 2], rnn_tanh: [0] };
const ONNX_OP = { lstm: 'LSTM', gru: 'GRU', rnn_tanh: 'RNN' };

/** W (D, G*H, C_l), R (D, G*H, H), B (D, 2*G*H) of layer l, every direction, in ONNX's gate order. */
function layerInitializers(cfg, weights, l) {
  const { mode, H } = cfg;
  const G = GATES[mode];
  const D = dirs(cfg);
  const cin = layerInput(cfg, l);
  const order = ONNX_ORDER[mode];
  const W = new Float32Array(D * G * H * cin);
  const R = new Float32Array(D * G * H * H);
  const B = new Float32Array(D * 2 * G * H);
  for (let d = 0; d < D; d++) {
    const w = weights[l][d];
    W.set(pickGates(w.i2h_weight, H, cin, order), d * G * H * cin);
    R.set(pickGates(w.h2h_weight, H, H, order), d * G * H * H);
    B.set(pickGates(w.i2h_bias, H, 1, order), d * 2 * G * H);
    B.set(pickGates(w.h2h_bias, H, 1, order), (d * 2 + 1) * G * H);
  }
  return [
    initializer(`W${l}`, [D, G * H, cin], W),
    initializer(`R${l}`, [D, G * H, H], R),
    initializer(`B${l}`, [D, 2 * G * H], B),
  ];
}

function layerAttributes(cfg) {
  const a = { hidden_size: cfg.H, direction: cfg.bidir ? 'bidirectional' : 'forward' };
  if (cfg.mode === 'gru') a.linear_before_reset = 1; // MXNet's (and cuDNN's) reset-after GRU
  if (cfg.mode === 'rnn_tanh') a.activations = cfg.bidir ? ['Tanh', 'Tanh'] : ['Tanh'];
  return a;
}

/**
 * The whole layer stack: input X (T, N, C) -> Y (T, N, D*H). Each ONNX recurrent node gives
 * (T, D, N, H): one direction is squeezed; two are transposed to (T, N, D, H) and reshaped.
 */
export function sequenceModel({ cfg, weights }) {
  const { T, N, C, H } = cfg;
  const D = dirs(cfg);
  const nodes = [];
  // only the shape constant the graph uses: ONNX Runtime warns about unused initializers
  const inits = [
    D === 1
      ? initializer('axis1', [1], BigInt64Array.of(1n))
      : initializer('tn_flat', [3], BigInt64Array.of(0n, 0n, -1n)),
  ];
  let input = 'X';
  for (let l = 0; l < cfg.layers; l++) {
    inits.push(...layerInitializers(cfg, weights, l));
    const seq = `seq${l}`;
    const out = l === cfg.layers - 1 ? 'Y' : `x${l + 1}`;
    nodes.push(node(ONNX_OP[cfg.mode], [input, `W${l}`, `R${l}`, `B${l}`], [seq], layerAttributes(cfg)));
    if (D === 1) {
      nodes.push(node('Squeeze', [seq, 'axis1'], [out]));
    } else {
      nodes.push(node('Transpose', [seq], [`${seq}_t`], { perm: [0, 2, 1, 3] }));
      nodes.push(node('Reshape', [`${seq}_t`, 'tn_flat'], [out]));
    }
    input = out;
  }
  return model({ nodes, inits, inputs: [floatValue('X', [T, N, C])], outputs: [floatValue('Y', [T, N, D * H])] });
}

/** Input and output names of the states of layer l in the step model. */
export function stepStateNames(cfg, l) {
  const names = [[`h${l}`, `h${l}_next`]];
  if (cfg.mode === 'lstm') names.push([`c${l}`, `c${l}_next`]);
  return names;
}

/**
 * One step of a unidirectional stack, for token-by-token use: X (1, N, C) and each layer's
 * states h{l} (and c{l}) of shape (1, N, H) -> Y (1, N, H) and the next states h{l}_next
 * (c{l}_next), which the caller passes back in on the next step.
 */
export function stepModel({ cfg, weights }) {
  if (cfg.bidir) throw new Error('a step model is unidirectional');
  const { N, C, H } = cfg;
  const nodes = [];
  const inits = [initializer('axis1', [1], BigInt64Array.of(1n))];
  const inputs = [floatValue('X', [1, N, C])];
  const outputs = [floatValue('Y', [1, N, H])];
  let input = 'X';
  for (let l = 0; l < cfg.layers; l++) {
    inits.push(...layerInitializers(cfg, weights, l));
    const states = stepStateNames(cfg, l);
    for (const [i, o] of states) {
      inputs.push(floatValue(i, [1, N, H]));
      outputs.push(floatValue(o, [1, N, H]));
    }
    // inputs X, W, R, B, sequence_lens (absent), initial_h[, initial_c]; outputs Y, Y_h[, Y_c]
    const seq = `seq${l}`;
    nodes.push(
      node(
        ONNX_OP[cfg.mode],
        [input, `W${l}`, `R${l}`, `B${l}`, '', ...states.map((s) => s[0])],
        [seq, ...states.map((s) => s[1])],
        layerAttributes(cfg),
      ),
    );
    const out = l === cfg.layers - 1 ? 'Y' : `x${l + 1}`;
    nodes.push(node('Squeeze', [seq, 'axis1'], [out]));
    input = out;
  }
  return model({ nodes, inits, inputs, outputs });
}

/** A 'dense' config's layer: X (N, C) -> Y (N, V) = X W^T + B, one Gemm with W kept (V, C). */
export function decoderModel({ cfg, weights }) {
  const { N, C, V } = cfg;
  return model({
    nodes: [node('Gemm', ['X', 'W', 'B'], ['Y'], { transB: 1 })],
    inits: [initializer('W', [V, C], weights.weight), initializer('B', [V], weights.bias)],
    inputs: [floatValue('X', [N, C])],
    outputs: [floatValue('Y', [N, V])],
  });
}
