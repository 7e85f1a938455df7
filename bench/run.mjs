// `npm run bench`: SGEMM vs the measured SIMD peak, then the recurrent layers beside
// ONNX Runtime Web and TensorFlow.js through ../shared/bench/peers (same run, same weights);
// between them, a million forward calls in bounded memory.
// Options: --gemm-only, --rnn-only, and any of the peers harness options after `--`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runPeers } from './peers.mjs';

const args = process.argv.slice(2);
const sep = args.indexOf('--');
const own = sep < 0 ? args : args.slice(0, sep);
const passThrough = sep < 0 ? [] : args.slice(sep + 1);
const gemm = fileURLToPath(new URL('./gemm.mjs', import.meta.url));
if (!own.includes('--rnn-only')) {
  spawnSync(process.execPath, [gemm, '--threads', '2'], { stdio: 'inherit' });
}
if (!own.includes('--rnn-only') && !own.includes('--gemm-only')) {
  spawnSync(process.execPath, [fileURLToPath(new URL('./memory.mjs', import.meta.url))], { stdio: 'inherit' });
}
if (!own.includes('--gemm-only')) await runPeers(passThrough);
