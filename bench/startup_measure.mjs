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

/**
 * `load()` resolves the package's module; returns the phases in ms and a checksum of the output.
 * The synthetic weights and input are made before the clock starts, as the peer harness's worker
 * does (`bench/peers/worker.mjs`): a user's weights arrive as bytes, making them is not start-up.
 */
export async function measureStartup(load) {
  const { H, C, T, N } = CFG;
  // LSTM parameters in Gluon's order: i2h_weight (4H, C), h2h_weight (4H, H), i2h_bias, h2h_bias.
  const weights = [4 * H * C, 4 * H * H, 4 * H, 4 * H].map((n, i) => values(n, i + 1));
  const input = values(T * N * C, 0);
  const t0 = performance.now();
  const mx = (await load()).default;
  const t1 = performance.now();
  await mx.ready({ threads: 1 });
  const t2 = performance.now();
  const net = new mx.gluon.rnn.LSTM(H, { layout: 'TNC', inputSize: C });
  net.initialize();
  const params = [...net.collectParams().values()];
  params.forEach((p, i) => {
    const size = p.shape.reduce((x, y) => x * y, 1);
    if (weights[i]?.length !== size)
      throw new Error(`startup: parameter ${p.name} has ${size} values, expected ${weights[i]?.length}`);
    p.setData(mx.nd.array(weights[i], p.shape));
  });
  const x = mx.nd.array(input, [T, N, C]);
  const t3 = performance.now();
  const y = net.forward(x).toFloat32Array();
  const t4 = performance.now();
  let sum = 0;
  for (const v of y) sum += v;
  return { importMs: t1 - t0, readyMs: t2 - t1, buildMs: t3 - t2, firstMs: t4 - t3, totalMs: t4 - t0, sum };
}
