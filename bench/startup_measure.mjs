// The measured start-up of bench/startup.mjs, in Node and in the browser alike: import the
// package, `ready({ threads: 1 })`, build the peer bench's small_lstm (LSTM, H 128, C 64, T 32,
// N 1: constructor, initialize, setData of every parameter, the input) and run it once.

const CFG = { H: 128, C: 64, T: 32, N: 1 };

/** Deterministic values in [-0.1, 0.1) (the weights and input; their values do not matter here). */
function values(n, salt) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (((i * 2654435761 + salt) >>> 0) % 2000) / 10000 - 0.1;
  return a;
}

/** `load()` resolves the package's module; returns the phases in ms and a checksum of the output. */
export async function measureStartup(load) {
  const t0 = performance.now();
  const mx = (await load()).default;
  const t1 = performance.now();
  await mx.ready({ threads: 1 });
  const t2 = performance.now();
  const net = new mx.gluon.rnn.LSTM(CFG.H, { layout: 'TNC', inputSize: CFG.C });
  net.initialize();
  const params = net.collectParams();
  let salt = 1;
  for (const name of params.keys()) {
    const p = params.get(name);
    p.setData(
      mx.nd.array(
        values(
          p.shape.reduce((x, y) => x * y, 1),
          salt++,
        ),
        p.shape,
      ),
    );
  }
  const x = mx.nd.array(values(CFG.T * CFG.N * CFG.C, 0), [CFG.T, CFG.N, CFG.C]);
  const t3 = performance.now();
  const y = net.forward(x).toFloat32Array();
  const t4 = performance.now();
  let sum = 0;
  for (const v of y) sum += v;
  return { importMs: t1 - t0, readyMs: t2 - t1, buildMs: t3 - t2, firstMs: t4 - t3, totalMs: t4 - t0, sum };
}
