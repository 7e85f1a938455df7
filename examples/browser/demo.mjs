// The browser demo: loads MXNet's .params for a character LSTM and generates text one
// character at a time, showing throughput and the wasm build in use.
import mx from 'gluon-rnn-wasm';

const $ = (id) => document.getElementById(id);
const state = { done: false, text: '', tokensPerSecond: 0, backend: null, error: null };
globalThis.__demo = state;

/** A small seeded PRNG (mulberry32), so a seed gives the same text on every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample(logits, temperature, random) {
  if (temperature <= 0) {
    let best = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
    return best;
  }
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const p = Array.from(logits, (v) => Math.exp((v - max) / temperature));
  const sum = p.reduce((a, b) => a + b, 0);
  let r = random() * sum;
  for (let i = 0; i < p.length; i++) {
    r -= p[i];
    if (r <= 0) return i;
  }
  return p.length - 1;
}

async function loadModel() {
  const [meta, params] = await Promise.all([
    fetch('model/meta.json').then((r) => r.json()),
    fetch('model/charlstm.params').then((r) => r.arrayBuffer()),
  ]);
  const V = meta.vocab.length;
  const net = new mx.gluon.nn.Sequential();
  net.nameScope(() => {
    net.add(new mx.gluon.nn.Embedding(V, meta.embed));
    net.add(new mx.gluon.rnn.LSTM(meta.hidden));
    net.add(new mx.gluon.nn.Dense(V, { flatten: false }));
  });
  net.loadParameters(new Uint8Array(params), { allowMissing: false, ignoreExtra: false });
  return { meta, net, bytes: params.byteLength };
}

/** A stepper over the model: feed(charId) -> logits for the next character. */
function stepper({ meta, net }) {
  const [emb, lstm, dense] = [net.get(0), net.get(1), net.get(2)];
  let states = lstm.beginState(1);
  const index = new Map([...meta.vocab].map((c, i) => [c, i]));
  return {
    id: (c) => {
      const i = index.get(c);
      if (i === undefined) throw new Error(`the model does not know the character ${JSON.stringify(c)}`);
      return i;
    },
    feed(i) {
      const [out, next] = lstm.forward(emb.forward(mx.nd.array([[i]])), states);
      states = next;
      return dense.forward(out).toFloat32Array();
    },
  };
}

/** Greedy continuation, as train_charlstm.py computes MXNet's (`meta.greedy`). */
function greedy(model, prompt, n) {
  const s = stepper(model);
  let logits = null;
  for (const c of prompt) logits = s.feed(s.id(c));
  let out = '';
  for (let k = 0; k < n; k++) {
    const i = sample(logits, 0);
    out += model.meta.vocab[i];
    logits = s.feed(i);
  }
  return out;
}

async function generate(model, { prompt, length, temperature, seed }) {
  const output = $('output');
  output.textContent = '';
  const p = document.createElement('span');
  p.className = 'prompt';
  p.textContent = prompt;
  const gen = document.createTextNode('');
  output.append(p, gen);
  const s = stepper(model);
  const random = rng(seed);
  let computeMs = 0;
  let t0 = performance.now();
  let logits = null;
  for (const c of prompt) logits = s.feed(s.id(c));
  computeMs += performance.now() - t0;
  let text = '';
  for (let k = 0; k < length; k++) {
    t0 = performance.now();
    const i = sample(logits, temperature, random);
    logits = s.feed(i);
    computeMs += performance.now() - t0;
    text += model.meta.vocab[i];
    if (k % 4 === 3 || k === length - 1) {
      gen.data = text;
      state.tokensPerSecond = ((k + 1 + prompt.length) / computeMs) * 1000;
      $('speed').textContent = state.tokensPerSecond.toFixed(0);
      $('count').textContent = String(k + 1);
      await new Promise((r) => setTimeout(r, 0)); // let the page paint
    }
  }
  state.text = text;
  return text;
}

async function main() {
  const info = await mx.ready();
  state.backend = info;
  $('backend').textContent =
    `${info.build}${info.simd ? ' (SIMD128)' : ''} · ${info.threads} thread${info.threads > 1 ? 's' : ''}`;
  const model = await loadModel();
  $('model').textContent = `${(model.bytes / 1024).toFixed(0)} KiB .params`;
  globalThis.demo = { mx, model, greedy: (prompt, n) => greedy(model, prompt, n) };
  const params = new URLSearchParams(location.search);
  for (const k of ['prompt', 'length', 'temperature', 'seed']) if (params.has(k)) $(k).value = params.get(k);
  const read = () => ({
    prompt: $('prompt').value,
    length: Number($('length').value),
    temperature: Number($('temperature').value),
    seed: Number($('seed').value),
  });
  $('controls').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('go').disabled = true;
    try {
      await generate(model, read());
    } catch (e) {
      $('error').textContent = String(e?.stack ?? e);
    } finally {
      $('go').disabled = false;
    }
  });
  await generate(model, read());
  $('go').disabled = false;
  state.done = true;
}

main().catch((e) => {
  state.error = String(e?.stack ?? e);
  state.done = true;
  $('error').textContent = state.error;
});
