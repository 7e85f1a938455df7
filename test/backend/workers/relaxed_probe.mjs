// Run by relaxed_simd.test.ts in a child Node (with or without relaxed SIMD): prints the
// backend info, the in-wasm SIMD-vs-scalar self-test and seeded layers' outputs, with the
// kernels' order the loader chose for the engine and then with the other one.

import { readFileSync } from 'node:fs';
import { hasRelaxedSimd } from '../../../dist/backend/features.js';
import { backend } from '../../../dist/backend/index.js';
import mx from '../../../dist/index.js';

// 'plain': relaxedSimd false; 'module': a precompiled plain module; 'auto': the loader decides;
// 'flag': relaxedSimd 'enable-node-flag' (V8's flag turned on at run time in Node 20).
const mode = process.argv[2];
const validatesBefore = hasRelaxedSimd();
const options =
  mode === 'plain'
    ? { relaxedSimd: false }
    : mode === 'module'
      ? {
          wasmModule: new WebAssembly.Module(
            readFileSync(new URL('../../../dist/backend/generated/simd/gluon_wasm_bg.wasm', import.meta.url)),
          ),
        }
      : mode === 'flag'
        ? { relaxedSimd: 'enable-node-flag' }
        : {};
const info = await mx.ready({ threads: 1, ...options });
mx.random.seed(11);
const lstm = new mx.gluon.rnn.LSTM(37, { numLayers: 2, inputSize: 19, bidirectional: true });
lstm.initialize(new mx.init.Uniform(0.3));
const gru = new mx.gluon.rnn.GRU(21, { inputSize: 19, layout: 'NTC' });
gru.initialize(new mx.init.Uniform(0.3));
const x = mx.nd.random.uniform(-1, 1, [9, 5, 19]);
// One row: the batch-1 paths (the 1-row x 4-panel rows kernels).
const cell = new mx.gluon.rnn.LSTM(64, { inputSize: 19 });
cell.initialize(new mx.init.Uniform(0.3));
const x1 = mx.nd.random.uniform(-1, 1, [3, 1, 19]);
const dense = new mx.gluon.nn.Dense(40, { inUnits: 19 });
dense.initialize(new mx.init.Uniform(0.3));
const row = mx.nd.random.uniform(-1, 1, [1, 19]);
const orderKept = backend().wasm_order_kept();
const outputs = () => ({
  selftest: backend().selftest_sgemm(),
  lstm: Array.from(lstm.forward(x).toFloat32Array()),
  gru: Array.from(gru.forward(x).toFloat32Array()),
  token: Array.from(cell.forward(x1).toFloat32Array()),
  dense: Array.from(dense.forward(row).toFloat32Array()),
});
const chosen = outputs();
backend().set_wasm_order_kept(!orderKept);
const other = outputs();
console.log(JSON.stringify({ info, validatesBefore, validatesAfter: hasRelaxedSimd(), orderKept, ...chosen, other }));
