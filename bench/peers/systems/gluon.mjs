// This package, through its public API only (the built dist/, as a user imports it): a fused
// rnn.LSTM / GRU / RNN layer in TNC layout whose parameters are set, under Gluon's own names,
// from the benchmark's weights (which are already in Gluon's layout).
// Whole sequence: `net.forward(x).toFloat32Array()`, x made once. Streaming: the same layer
// token by token through `net.stream()`, `stream.step(x_t, y)` per token (`perToken:
// 'forward'`: Gluon's own way, `[y, states] = net.forward(x_t, states)` with T = 1).
import { checkedOutput, dirs, GATES, layerInput, STATE_COUNT, stepInputs } from '../lib/configs.mjs';

const LAYERS = { lstm: 'LSTM', gru: 'GRU', rnn_tanh: 'RNN' };

/** Loads dist/ (in Node or, served from the repository root, in a browser page) and starts it on `threads`. */
export async function gluonSystem(threads, perToken = 'stream') {
  const pkg = await readJson(new URL('../../../package.json', import.meta.url));
  // The file the package's "." export names: what `import mx from 'gluon-rnn-wasm'` loads.
  const mod = await import(new URL(`../../../${pkg.exports['.'].default}`, import.meta.url).href);
  const mx = mod.default;
  const version = pkg.version;
  const backend = await mx.ready({ threads });
  return {
    info: { package: `gluon-rnn-wasm@${version} (dist/)`, ready: { threads }, perToken, backend },
    build: (data) => build(mx, data, perToken),
  };
}

/** A JSON file next to this one: read from disk in Node, fetched in a browser. */
async function readJson(url) {
  if (url.protocol === 'file:') return JSON.parse(await (await import('node:fs/promises')).readFile(url, 'utf8'));
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

/** Sets every parameter of the layer from the benchmark's weights; fails on one it would leave unset. */
function setWeights(mx, net, { cfg, weights }) {
  const params = net.collectParams();
  const left = new Set(params.keys());
  const G = GATES[cfg.mode];
  for (let l = 0; l < cfg.layers; l++) {
    for (let d = 0; d < dirs(cfg); d++) {
      const w = weights[l][d];
      const shapes = {
        i2h_weight: [G * cfg.H, layerInput(cfg, l)],
        h2h_weight: [G * cfg.H, cfg.H],
        i2h_bias: [G * cfg.H],
        h2h_bias: [G * cfg.H],
      };
      for (const [k, shape] of Object.entries(shapes)) {
        const name = `p_${d === 0 ? 'l' : 'r'}${l}_${k}`;
        if (!left.delete(name)) throw new Error(`the layer has no parameter ${name}: ${[...params.keys()].join(', ')}`);
        params.get(name).setData(mx.nd.array(w[k], shape));
      }
    }
  }
  if (left.size) throw new Error(`parameters the benchmark does not set: ${[...left].join(', ')}`);
}

function build(mx, data, perToken) {
  const { cfg } = data;
  if (cfg.mode === 'dense') return decoder(mx, data);
  const opts = { numLayers: cfg.layers, bidirectional: cfg.bidir, layout: 'TNC', inputSize: cfg.C, prefix: 'p_' };
  if (cfg.mode === 'rnn_tanh') opts.activation = 'tanh'; // Gluon's RNN defaults to relu
  const net = new mx.gluon.rnn[LAYERS[cfg.mode]](cfg.H, opts);
  net.initialize();
  setWeights(mx, net, data);
  if (!cfg.stream) return sequence(mx, net, data);
  return perToken === 'stream' ? streamPerToken(net, data) : forwardPerToken(mx, net, data);
}

function sequence(mx, net, { cfg, x }) {
  const xs = mx.nd.array(x, [cfg.T, cfg.N, cfg.C]);
  let last = null;
  return {
    run() {
      last = net.forward(xs).toFloat32Array();
      return last;
    },
    checked: () => last,
    free() {},
  };
}

/** What the accuracy check reads: every step's output `ys`, then the final states split per layer. */
function checkedStates(cfg, ys, states) {
  const { N, H, layers } = cfg;
  const per = states.map((s) => s.toFloat32Array());
  const layer = (a) => Array.from({ length: layers }, (_, l) => a.slice(l * N * H, (l + 1) * N * H));
  return checkedOutput(cfg, ys, layer(per[0]), per[1] ? layer(per[1]) : []);
}

/** Token by token through `net.stream()`: each step's output into one array, then copied to `ys`. */
function streamPerToken(net, data) {
  const { cfg } = data;
  const { T, N, H } = cfg;
  const xs = stepInputs(data);
  const ys = new Float32Array(T * N * H);
  const s = net.stream({ batchSize: N });
  const y = new Float32Array(s.outputSize);
  return {
    run() {
      s.reset();
      for (let t = 0; t < T; t++) ys.set(s.step(xs[t], y), t * N * H);
      return ys;
    },
    checked: () => checkedStates(cfg, ys, s.states()),
    free() {},
  };
}

/** Token by token as in Python: `forward` with T = 1, the returned states fed back. */
function forwardPerToken(mx, net, data) {
  const { cfg } = data;
  const { T, N, C, H, layers } = cfg;
  const xs = stepInputs(data);
  const zeros = Array.from({ length: STATE_COUNT[cfg.mode] }, () => mx.nd.zeros([layers, N, H]));
  const ys = new Float32Array(T * N * H);
  let states = zeros;
  return {
    run() {
      states = zeros;
      for (let t = 0; t < T; t++) {
        const [y, next] = net.forward(mx.nd.array(xs[t], [1, N, C]), states);
        ys.set(y.toFloat32Array(), t * N * H);
        states = next;
      }
      return ys;
    },
    checked: () => checkedStates(cfg, ys, states),
    free() {},
  };
}

/**
 * A 'dense' config: nn.Dense(V) over C features, as a language model applies its output layer
 * to each token: `net.forward(mx.nd.array(x_t)).toFloat32Array()`.
 */
function decoder(mx, data) {
  const { cfg, weights } = data;
  const { V, C, T, N } = cfg;
  const net = new mx.gluon.nn.Dense(V, { inUnits: C, flatten: false, prefix: 'p_' });
  net.initialize();
  net.weight.setData(mx.nd.array(weights.weight, [V, C]));
  net.bias.setData(mx.nd.array(weights.bias, [V]));
  const xs = stepInputs(data);
  const ys = new Float32Array(T * N * V);
  return {
    run() {
      for (let t = 0; t < T; t++) ys.set(net.forward(mx.nd.array(xs[t], [N, C])).toFloat32Array(), t * N * V);
      return ys;
    },
    checked: () => ys,
    free: () => net.dispose(),
  };
}
