// The calls the summary's per-call probe times (bench/gemm.mjs `measureCallOverhead`) and
// bench/ab_dist.mjs compares between builds: a token that does almost no work, through the
// public API as a streaming caller uses it.

/**
 * On the package `mx` (ready): `layer()` is `LSTM(1).forward(x, states)` and `cell()`
 * `LSTMCell(1).forward(x, states)`, each feeding its returned states back (input 1);
 * `stream()` is one `stream.step(x, out)` of the layer's `stream()`.
 */
export function noWorkCalls(mx) {
  const layerNet = new mx.gluon.rnn.LSTM(1, { inputSize: 1 });
  const cellNet = new mx.gluon.rnn.LSTMCell(1, { inputSize: 1 });
  layerNet.initialize();
  cellNet.initialize();
  const x3 = mx.nd.ones([1, 1, 1]);
  const x2 = mx.nd.ones([1, 1]);
  let ls = [mx.nd.zeros([1, 1, 1]), mx.nd.zeros([1, 1, 1])];
  let cs = [mx.nd.zeros([1, 1]), mx.nd.zeros([1, 1])];
  const s = layerNet.stream();
  const x1 = new Float32Array(1);
  const out = new Float32Array(1);
  return {
    layer: () => {
      ls = layerNet.forward(x3, ls)[1];
    },
    cell: () => {
      cs = cellNet.forward(x2, cs)[1];
    },
    stream: () => s.step(x1, out),
    dispose: () => {
      layerNet.dispose();
      cellNet.dispose();
    },
  };
}
