// The one smoke script every runtime runs against the installed package (plain ES2022, no
// runtime-specific API): the docs/design/api.md seed examples, an LSTM with MXNet 1.9.1's known weights
// compared with MXNet's outputs, a .params round trip through MXNet's own file, and a model
// MXNet exported run through SymbolBlock.imports.
//
//   smoke(mx, fx, { saveFile, loadFile })  ->  { backend, checks: [{ name, ok, detail }] }
//
// `mx` is the package's default export, `fx` the fixture bundle (make-fixture.mjs), and the
// optional file hooks exercise saveParameters(path) / loadParameters(path) where files exist.

const RTOL = 1e-4;
const ATOL = 1e-5;

function b64ToBytes(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function tensor(mx, t) {
  return mx.nd.array(Float32Array.from(t.data), t.shape);
}

function sameShape(a, b) {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Max |a - b| over the elements, or throws when shapes differ / tolerance is exceeded. */
function close(name, got, want) {
  if (!sameShape(got.shape, want.shape)) {
    throw new Error(`${name}: shape ${JSON.stringify(got.shape)}, expected ${JSON.stringify(want.shape)}`);
  }
  const g = got.toFloat32Array();
  let worst = 0;
  for (let i = 0; i < g.length; i++) {
    const w = Math.fround(want.data[i]);
    const d = Math.abs(g[i] - w);
    if (!(d <= ATOL + RTOL * Math.abs(w))) {
      throw new Error(`${name}[${i}]: ${g[i]} vs MXNet ${w} (|diff| ${d.toExponential(2)})`);
    }
    worst = Math.max(worst, d);
  }
  return worst;
}

function expectShape(name, arr, shape) {
  if (!sameShape(arr.shape, shape)) {
    throw new Error(`${name}: shape ${JSON.stringify(arr.shape)}, expected ${JSON.stringify(shape)}`);
  }
}

function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function buildSeq(mx) {
  const net = new mx.gluon.nn.Sequential();
  net.nameScope(() => {
    net.add(new mx.gluon.nn.Embedding(30, 10));
    net.add(new mx.gluon.rnn.LSTM(20));
    net.add(new mx.gluon.nn.Dense(5, { flatten: false }));
  });
  return net;
}

export async function smoke(mx, fx, hooks = {}) {
  const checks = [];
  const check = async (name, fn) => {
    const t0 = Date.now();
    try {
      const detail = await fn();
      checks.push({ name, ok: true, detail: detail ?? '', ms: Date.now() - t0 });
    } catch (e) {
      checks.push({ name, ok: false, detail: String(e?.stack ?? e), ms: Date.now() - t0 });
    }
  };

  await check('ready', async () => {
    const info = await mx.ready();
    if (!info?.simd) throw new Error(`ready() returned ${JSON.stringify(info)}`);
    return JSON.stringify(mx.backendInfo());
  });

  // docs/design/api.md "Recurrent layers and cells" and the README example, as written there.
  await check('seed: LSTM(100, 3) forward, with states, repr', () => {
    const layer = new mx.gluon.rnn.LSTM(100, 3);
    layer.initialize();
    const input = mx.nd.random.uniform(0, 1, [5, 3, 10]);
    const output = layer.forward(input);
    expectShape('output', output, [5, 3, 100]);
    const h0 = mx.nd.random.uniform(0, 1, [3, 3, 100]);
    const c0 = mx.nd.random.uniform(0, 1, [3, 3, 100]);
    const [out2, [hn, cn]] = layer.forward(input, [h0, c0]);
    expectShape('out2', out2, [5, 3, 100]);
    expectShape('hn', hn, [3, 3, 100]);
    expectShape('cn', cn, [3, 3, 100]);
    const repr = String(layer);
    if (repr !== 'LSTM(10 -> 100, TNC, num_layers=3)') throw new Error(`String(layer) = ${repr}`);
    return repr;
  });

  await check('layer.stream() and cell.stream(): each token the bits of forward with the states fed back', () => {
    const layer = new mx.gluon.rnn.GRU(16, { numLayers: 2, inputSize: 8 });
    layer.initialize();
    const stream = layer.stream({ batchSize: 2 });
    const out = new Float32Array(stream.outputSize);
    let states = layer.beginState(2);
    for (let t = 0; t < 4; t++) {
      const x = mx.nd.random.uniform(-1, 1, [1, 2, 8]);
      const [y, next] = layer.forward(x, states);
      states = next;
      stream.step(x, out);
      const i = out.findIndex((v, j) => v !== y.data[j]);
      if (i >= 0) throw new Error(`token ${t}, value ${i}: stream ${out[i]}, forward ${y.data[i]}`);
    }
    const cell = new mx.gluon.rnn.LSTMCell(6, { inputSize: 8 });
    cell.initialize();
    const cellStream = cell.stream({ batchSize: 2 });
    let cellStates = cell.beginState(2);
    for (let t = 0; t < 3; t++) {
      const x = mx.nd.random.uniform(-1, 1, [2, 8]);
      const [h, next] = cell.forward(x, cellStates);
      cellStates = next;
      const got = cellStream.step(x);
      const i = got.findIndex((v, j) => v !== h.data[j]);
      if (i >= 0) throw new Error(`cell token ${t}, value ${i}: stream ${got[i]}, forward ${h.data[i]}`);
    }
    return 'same bits (layer and cell)';
  });

  await check('seed: SequentialRNNCell step and unroll with validLength', () => {
    const input = mx.nd.random.uniform(0, 1, [5, 3, 10]);
    const cell = new mx.gluon.rnn.SequentialRNNCell();
    cell.nameScope(() => {
      cell.add(new mx.gluon.rnn.LSTMCell(20));
      cell.add(new mx.gluon.rnn.LSTMCell(20));
    });
    cell.initialize();
    const states = cell.beginState(3);
    const [o, s] = cell.forward(input.get(0), states);
    expectShape('step output', o, [3, 20]);
    if (s.length !== 4) throw new Error(`step states: ${s.length}, expected 4`);
    const [outputs, last] = cell.unroll(5, input, {
      layout: 'TNC',
      mergeOutputs: true,
      validLength: mx.nd.array([5, 3, 2]),
    });
    expectShape('unroll outputs', outputs, [5, 3, 20]);
    if (last.length !== 4) throw new Error(`unroll states: ${last.length}, expected 4`);
    return 'ok';
  });

  await check('seed: Sequential(Embedding, LSTM, Dense) and parameter names', () => {
    const net = buildSeq(mx);
    net.initialize();
    const out = net.forward(mx.nd.ones([2, 3]));
    expectShape('out', out, [2, 3, 5]);
    const params = net.collectParams();
    const keys = [...params.keys()];
    if (JSON.stringify(keys) !== JSON.stringify(fx.seq.names)) {
      throw new Error(`collectParams().keys() = ${JSON.stringify(keys)}, MXNet: ${JSON.stringify(fx.seq.names)}`);
    }
    params.get('sequential0_lstm0_l0_i2h_weight').setData(mx.nd.zeros([80, 10]));
    return `${keys.length} parameters`;
  });

  // Known weights: MXNet 1.9.1's LSTM(3, num_layers=2, bidirectional) on a fixed input.
  await check('known weights: 2-layer bidirectional LSTM vs MXNet 1.9.1', () => {
    const c = fx.lstm;
    // prefix: MXNet's names (lstm0_...) whatever this realm's name counters are at.
    const layer = new mx.gluon.rnn.LSTM(3, { numLayers: 2, layout: 'TNC', bidirectional: true, prefix: c.prefix });
    layer.initialize();
    const x = tensor(mx, c.inputs.x);
    layer.forward(x); // deferred shapes become known
    const params = layer.collectParams();
    for (const [name, t] of Object.entries(c.params)) params.get(name).setData(tensor(mx, t));
    let worst = close('out_no_states', layer.forward(x), c.outputs.out_no_states);
    const [out, states] = layer.forward(x, [tensor(mx, c.inputs.h0), tensor(mx, c.inputs.c0)]);
    worst = Math.max(worst, close('out', out, c.outputs.out));
    states.forEach((st, i) => {
      worst = Math.max(worst, close(`states[${i}]`, st, c.outputs.states[i]));
    });
    if (String(layer) !== c.repr) throw new Error(`String(layer) = ${String(layer)}, MXNet: ${c.repr}`);
    return `max |diff| ${worst.toExponential(2)}`;
  });

  // .params: MXNet's own file in, our bytes out, and back in.
  await check('.params round trip (MXNet-written file -> load -> save -> load)', async () => {
    const c = fx.seq;
    const mxBytes = b64ToBytes(c.paramsFileB64);
    const net = buildSeq(mx);
    net.loadParameters(mxBytes);
    const x = tensor(mx, c.inputs.x);
    const worst = close('out_ids (loaded MXNet file)', net.forward(x), c.outputs.out_ids);
    const ours = net.saveParameters();
    if (!(ours instanceof Uint8Array)) throw new Error('saveParameters() did not return a Uint8Array');
    const sameAsMx = equalBytes(ours, mxBytes);
    const again = buildSeq(mx);
    again.loadParameters(ours, { allowMissing: false, ignoreExtra: false });
    const a = net.forward(x).toFloat32Array();
    const b = again.forward(x).toFloat32Array();
    if (!equalBytes(new Uint8Array(a.buffer), new Uint8Array(b.buffer))) {
      throw new Error('outputs differ after saveParameters -> loadParameters');
    }
    let file = '';
    if (hooks.tmpPath) {
      net.saveParameters(hooks.tmpPath);
      const fromFile = buildSeq(mx);
      fromFile.loadParameters(hooks.tmpPath);
      const f = fromFile.forward(x).toFloat32Array();
      if (!equalBytes(new Uint8Array(a.buffer), new Uint8Array(f.buffer))) {
        throw new Error('outputs differ after saveParameters(path) -> loadParameters(path)');
      }
      file = '; file path round trip ok';
    }
    return `max |diff| ${worst.toExponential(2)}; ${ours.length} bytes, ${sameAsMx ? 'byte-identical to' : 'differs from'} MXNet's file${file}`;
  });

  // A model MXNet exported (net.export): imported from text and bytes, run, exported again.
  await check('SymbolBlock.imports (MXNet 1.9.1 export, text + bytes) and export', () => {
    const c = fx.symbol;
    const net = mx.gluon.SymbolBlock.imports(c.symbolJson, c.input_names, b64ToBytes(c.paramsFileB64));
    const worst = close('output', net.forward(...c.inputs.map((t) => tensor(mx, t))), c.outputs[0]);
    const { symbol, params } = net.export();
    if (symbol !== c.symbolJson) throw new Error("export() did not reproduce MXNet's -symbol.json");
    const again = mx.gluon.SymbolBlock.imports(symbol, c.input_names, params);
    close('output after export -> imports', again.forward(...c.inputs.map((t) => tensor(mx, t))), c.outputs[0]);
    return `${c.case}: max |diff| ${worst.toExponential(2)}`;
  });

  return { backend: mx.backendInfo(), checks, ok: checks.every((c) => c.ok) };
}
