// `npm run bench`: SGEMM vs the measured SIMD peak, a million forward calls and a million
// create -> forward -> drop cycles in bounded memory, training steps per second of a 2-layer LSTM
// language model beside TensorFlow.js with the memory of 10^4 steps (bench/train.mjs), an
// imported (exported) 2-layer LSTM beside the same model built in TypeScript (bench/imported.mjs), softmax + top-k and Conv1D beside ONNX
// Runtime Web and TensorFlow.js (bench/ops.mjs),
// then the recurrent layers beside ONNX Runtime Web and TensorFlow.js (bench/peers: same run,
// same weights, float64-checked outputs).
// Own options: --gemm-only, --rnn-only. Every other argument goes to the peer benchmark
// (bench/peers/driver.mjs: --configs, --systems, --rounds, --target-ms, --no-init, ...), with
// or without a `--` before them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runPeers } from './peers.mjs';

const OWN = ['--gemm-only', '--rnn-only'];
const args = process.argv.slice(2);
const own = args.filter((a) => OWN.includes(a));
const peerArgs = args.filter((a) => a !== '--' && !OWN.includes(a));
const step = (file, ...a) => {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL(file, import.meta.url)), ...a], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`bench: ${file} failed (exit ${r.status})`);
};
try {
  if (!own.includes('--rnn-only')) step('./gemm.mjs', '--threads', '2');
  if (own.length === 0) step('./memory.mjs');
  if (own.length === 0) step('./lifecycle.mjs');
  if (own.length === 0) step('./train.mjs');
  if (own.length === 0) step('./imported.mjs');
  if (own.length === 0) step('./ops.mjs');
  if (!own.includes('--gemm-only')) await runPeers(peerArgs);
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
}
