// The browser demo: loads MXNet's .params for a character LSTM and generates text one
// character at a time (sampling, greedy or beam search: generate.mjs), showing throughput and
// the wasm build in use. The "train" panel trains a fresh char-LSTM live (training.mjs), draws
// its loss curve and saves the .params.
import mx from 'gluon-rnn-wasm';
import { beamSearch, buildModel, generate, greedy } from './generate.mjs';
import { createTrainer, loadTrained } from './training.mjs';

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

/** The loss of every step (thin) and its running mean (bold), scaled to the canvas. */
function drawLoss(canvas, losses) {
  const g = canvas.getContext('2d');
  const { width: w, height: h } = canvas;
  const pad = { l: 44, r: 10, t: 10, b: 22 };
  g.clearRect(0, 0, w, h);
  g.font = '12px system-ui, sans-serif';
  g.fillStyle = '#5b6470';
  g.strokeStyle = '#ddd8cc';
  g.strokeRect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
  if (losses.length < 2) return;
  const hi = Math.max(...losses);
  const lo = Math.min(...losses);
  const span = hi - lo || 1;
  const X = (i) => pad.l + (i / (losses.length - 1)) * (w - pad.l - pad.r);
  const Y = (v) => pad.t + (1 - (v - lo) / span) * (h - pad.t - pad.b);
  g.fillText(hi.toFixed(2), 4, pad.t + 10);
  g.fillText(lo.toFixed(2), 4, h - pad.b);
  g.fillText(`step ${losses.length}`, w - pad.r - 70, h - 6);
  const line = (values, color, width) => {
    g.strokeStyle = color;
    g.lineWidth = width;
    g.beginPath();
    for (const [i, v] of values.entries()) {
      if (i === 0) g.moveTo(X(i), Y(v));
      else g.lineTo(X(i), Y(v));
    }
    g.stroke();
  };
  line(losses, '#b9c7d6', 1);
  let avg = losses[0];
  line(
    losses.map((v) => (avg = 0.9 * avg + 0.1 * v)),
    '#2f5d8a',
    2.5,
  );
}

/**
 * The train panel: Train builds a fresh model and runs steps in chunks of about 50 ms, yielding
 * to the page (a frame, then a task) between chunks; Stop ends after the current step; the link
 * saves saveParameters() as a Blob. State for the tests: `globalThis.__train`.
 */
function setupTrainPanel() {
  const train = { running: false, steps: 0, losses: [], stepsPerSecond: 0, saved: null, error: null };
  globalThis.__train = train;
  let trainer = null;
  const start = $('train-start');
  const stop = $('train-stop');
  const yieldToPage = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  start.addEventListener('click', async () => {
    start.disabled = true;
    stop.disabled = false;
    Object.assign(train, { running: true, steps: 0, losses: [], saved: null, error: null });
    try {
      const text = await fetch('train/corpus.txt').then((r) => r.text());
      trainer = createTrainer(mx, text);
      let busyMs = 0;
      while (train.running) {
        const t0 = performance.now();
        do train.losses.push(trainer.step());
        while (train.running && performance.now() - t0 < 50);
        busyMs += performance.now() - t0;
        train.steps = train.losses.length;
        train.stepsPerSecond = (train.steps / busyMs) * 1000;
        $('train-steps').textContent = String(train.steps);
        $('train-loss').textContent = train.losses[train.steps - 1].toFixed(3);
        $('train-speed').textContent = train.stepsPerSecond.toFixed(1);
        drawLoss($('loss-curve'), train.losses);
        await yieldToPage();
      }
    } catch (e) {
      train.error = String(e?.stack ?? e);
      $('error').textContent = train.error;
    } finally {
      train.running = false;
      start.disabled = false;
      stop.disabled = true;
    }
  });
  stop.addEventListener('click', () => {
    train.running = false;
  });
  // The href is made when clicked, so the file holds the weights of that moment.
  $('train-save').addEventListener('click', (ev) => {
    const link = ev.currentTarget;
    if (trainer === null) {
      ev.preventDefault();
      return;
    }
    const bytes = trainer.save();
    if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    train.saved = { bytes: bytes.byteLength, evalLoss: trainer.evalLoss(), steps: train.steps };
  });
  // A saved file loaded back into the same architecture: its loss on the fixed evaluation batch.
  globalThis.demo.loadTrained = (bytes) => trainer.evalLoss(loadTrained(mx, trainer.vocab, bytes));
  start.disabled = false;
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
  setupTrainPanel();
  state.done = true;
}

main().catch((e) => {
  state.error = String(e?.stack ?? e);
  state.done = true;
  $('error').textContent = state.error;
});
