// One system under measurement, in its own process: `node worker.mjs <system> <threads>`,
// forked by driver.mjs and driven over IPC, one request at a time.
//   { op: 'build', config }        -> build the layer on the config's weights, run it once:
//                                     { buildMs, firstMs, output, rssMB }
//   { op: 'time', calls, warm, warmMs } -> { times } (ms per call; untimed calls first)
//   { op: 'output' }               -> one more call's output (nothing may leak between calls)
//   { op: 'exit' }                 -> { maxRssMB }, then the process ends
// The first message the worker sends is { ready, loadMs, info } (import + runtime start-up).
import fs from 'node:fs';
import { makeData } from './lib/configs.mjs';
import { gluonSystem } from './systems/gluon.mjs';
import { ortWebSystem } from './systems/ort-web.mjs';
import { tfjsWasmSystem } from './systems/tfjs-wasm.mjs';

const SYSTEMS = {
  gluon: gluonSystem,
  'gluon-fwd': (threads) => gluonSystem(threads, 'forward'),
  'ort-web': ortWebSystem,
  'tfjs-wasm': tfjsWasmSystem,
};
const [kind, threadsArg] = process.argv.slice(2);
const threads = Number(threadsArg ?? 1);
const send = (m) => new Promise((resolve) => process.send(m, resolve));
const rssMB = () => process.memoryUsage.rss() / 2 ** 20;

const make = SYSTEMS[kind];
if (!make) {
  await send({ ready: false, error: `unknown system kind ${kind}` });
  process.exit(2);
}
let system;
try {
  const t0 = performance.now();
  system = await make(threads);
  await send({ ready: true, loadMs: performance.now() - t0, info: system.info });
} catch (e) {
  await send({ ready: false, error: String(e?.stack ?? e) });
  process.exit(1);
}

let model = null;
async function handle(msg) {
  if (msg.op === 'build') {
    const data = makeData(msg.config);
    const rss0 = rssMB();
    const t0 = performance.now();
    model = await system.build(data);
    const t1 = performance.now();
    await model.run();
    const t2 = performance.now();
    return { buildMs: t1 - t0, firstMs: t2 - t1, output: model.checked(), rssBeforeMB: rss0, rssMB: rssMB() };
  }
  if (msg.op === 'time') {
    const until = performance.now() + (msg.warmMs ?? 0);
    while (performance.now() < until) await model.run();
    if (msg.warm) await model.run();
    const times = [];
    for (let i = 0; i < msg.calls; i++) {
      const t0 = performance.now();
      await model.run();
      times.push(performance.now() - t0);
    }
    return { times, rssMB: rssMB() };
  }
  if (msg.op === 'output') {
    await model.run();
    return { output: model.checked() };
  }
  if (msg.op === 'exit') {
    await model?.free();
    return { maxRssMB: process.resourceUsage().maxRSS / 1024, osThreads: fs.readdirSync('/proc/self/task').length };
  }
  throw new Error(`unknown op ${msg.op}`);
}

process.on('message', async (msg) => {
  let reply;
  try {
    reply = await handle(msg);
  } catch (e) {
    reply = { error: String(e?.stack ?? e) };
  }
  await send(reply);
  if (msg.op === 'exit') process.exit(0);
});
