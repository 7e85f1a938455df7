// The browser demo: loads MXNet's .params for a character LSTM and generates text one
// character at a time (sampling, greedy or beam search: generate.mjs), showing throughput and
// the wasm build in use.
import mx from 'gluon-rnn-wasm';
import { beamSearch, buildModel, generate, greedy } from './generate.mjs';

const $ = (id) => document.getElementById(id);
const state = { done: false, text: '', tokensPerSecond: 0, backend: null, error: null };
globalThis.__demo = state;

async function loadModel() {
  const [meta, params] = await Promise.all([
    fetch('model/meta.json').then((r) => r.json()),
    fetch('model/charlstm.params').then((r) => r.arrayBuffer()),
  ]);
  return buildModel(mx, meta, new Uint8Array(params));
}

/** Runs the chosen decoding and shows the text as it grows (beam search shows the result). */
async function run(model, { prompt, length, temperature, seed, decoding, beams }) {
  const output = $('output');
  output.textContent = '';
  const p = document.createElement('span');
  p.className = 'prompt';
  p.textContent = prompt;
  const gen = document.createTextNode('');
  output.append(p, gen);
  const t0 = performance.now();
  let paintMs = 0;
  const show = (n, text, final) => {
    gen.data = text;
    state.tokensPerSecond = ((n + prompt.length) / (performance.now() - t0 - paintMs)) * 1000;
    $('speed').textContent = state.tokensPerSecond.toFixed(0);
    $('count').textContent = String(n);
    if (final) return;
    const t1 = performance.now();
    return new Promise((r) => setTimeout(r, 0)).then(() => {
      paintMs += performance.now() - t1; // let the page paint, outside the compute time
    });
  };
  let text;
  if (decoding === 'beam') {
    text = beamSearch(mx, model, prompt, length, beams).text;
  } else {
    const t = decoding === 'greedy' ? 0 : temperature;
    text = await generate(mx, model, {
      prompt,
      length,
      temperature: t,
      seed,
      onStep: (k, sofar) => (k % 4 === 3 ? show(k + 1, sofar, false) : undefined),
    });
  }
  show(text.length, text, true);
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
  globalThis.demo = {
    mx,
    model,
    greedy: (prompt, n) => greedy(mx, model, prompt, n),
    beamSearch: (prompt, n, k) => beamSearch(mx, model, prompt, n, k),
  };
  const params = new URLSearchParams(location.search);
  for (const k of ['prompt', 'length', 'temperature', 'seed', 'decoding', 'beams'])
    if (params.has(k)) $(k).value = params.get(k);
  const read = () => ({
    prompt: $('prompt').value,
    length: Number($('length').value),
    temperature: Number($('temperature').value),
    seed: Number($('seed').value),
    decoding: $('decoding').value,
    beams: Number($('beams').value),
  });
  $('controls').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('go').disabled = true;
    try {
      await run(model, read());
    } catch (e) {
      $('error').textContent = String(e?.stack ?? e);
    } finally {
      $('go').disabled = false;
    }
  });
  await run(model, read());
  $('go').disabled = false;
  state.done = true;
}

main().catch((e) => {
  state.error = String(e?.stack ?? e);
  state.done = true;
  $('error').textContent = state.error;
});
