// `npm run bench`: SGEMM vs the measured SIMD peak, then the recurrent layers beside
// ONNX Runtime Web and TensorFlow.js through ../shared/bench/peers (same run, same weights).
// Options: --gemm-only, --rnn-only, and any of the peers harness options after `--`.
import { runGemmBench } from './gemm.mjs';
import { runPeers } from './peers.mjs';

const args = process.argv.slice(2);
const sep = args.indexOf('--');
const own = sep < 0 ? args : args.slice(0, sep);
const passThrough = sep < 0 ? [] : args.slice(sep + 1);
if (!own.includes('--rnn-only')) await runGemmBench();
if (!own.includes('--gemm-only')) await runPeers(passThrough);
