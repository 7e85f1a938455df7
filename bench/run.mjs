// `npm run bench`: SGEMM vs the measured SIMD peak, a million forward calls and a million
// create -> forward -> drop cycles in bounded memory, training steps per second of a 2-layer LSTM
// language model beside TensorFlow.js with the memory of 10^4 steps (bench/train.mjs), an
// imported (exported) 2-layer LSTM beside the same model built in TypeScript (bench/imported.mjs), softmax + top-k and Conv1D beside ONNX
// Runtime Web and TensorFlow.js (bench/ops.mjs),
// then the recurrent layers beside ONNX Runtime Web and TensorFlow.js (bench/peers: same run,
// same weights, float64-checked outputs), and the same layers and peers live in headless
// Chromium (bench/browser.mjs: the page examples/browser/bench.html).
// Own options: --gemm-only, --rnn-only, --no-browser (skip the Chromium step), --install-peers
// (only install the pinned peers into bench/peers/node_modules, which the bench page loads).
// Every other argument goes to the peer benchmark
// (bench/peers/driver.mjs: --configs, --systems, --rounds, --target-ms, --no-init, ...), with
// or without a `--` before them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PAGE_OPTIONS, parseArgs as pageArgs, runBrowserBench } from './browser.mjs';
import { ensurePeers, runPeers } from './peers.mjs';

const OWN = ['--gemm-only', '--rnn-only', '--install-peers', '--no-browser'];
const args = process.argv.slice(2);
const own = args.filter((a) => OWN.includes(a));
const peerArgs = args.filter((a) => a !== '--' && !OWN.includes(a));
const step = (file, ...a) => {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL(file, import.meta.url)), ...a], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`bench: ${file} failed (exit ${r.status})`);
};
const full = !own.includes('--gemm-only') && !own.includes('--rnn-only');
try {
  if (own.includes('--install-peers')) {
    ensurePeers();
    console.log('bench: the pinned peers are in bench/peers/node_modules (the bench page loads them from there)');
    process.exit(0);
  }
  if (!own.includes('--rnn-only')) step('./gemm.mjs', '--threads', '2');
  if (full) step('./memory.mjs');
  if (full) step('./lifecycle.mjs');
  if (full) step('./train.mjs');
  if (full) step('./imported.mjs');
  if (full) step('./ops.mjs');
  // import + ready() + build + first call of small_lstm, fresh Node processes and Chromium pages
  if (full) step('./startup.mjs', ...(own.includes('--no-browser') ? ['--no-browser'] : []));
  if (!own.includes('--gemm-only')) await runPeers(peerArgs);
  // the same layers live in Chromium (examples/browser/bench.html), as a visitor's browser runs them
  if (!own.includes('--gemm-only') && !own.includes('--no-browser')) {
    const browserArgs = pageArgs(
      peerArgs.filter((a, i) => PAGE_OPTIONS.includes(a) || PAGE_OPTIONS.includes(peerArgs[i - 1])),
    );
    await runBrowserBench(browserArgs);
  }
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
}
