// The model server shared by the workerd Worker (worker.mjs) and the Edge Runtime entry
// (edge-entry.mjs): the docs/design/api.md seed model (Embedding(30, 10) -> LSTM(20) -> Dense(5), MXNet
// 1.9.1's weights) over HTTP:
//   POST /predict  {"ids": [[...], ...]}   token ids, T rows x N columns (layout TNC)
//   -> 200 {"shape": [T, N, 5], "data": [...], "backend": {...}}
//   -> 400 {"error": "..."} for malformed JSON or a wrong input shape; it keeps serving.
//   GET /health -> {"ok": true, "backend": mx.backendInfo()}

const VOCAB = 30;
const MAX_T = 64;
const MAX_N = 16;

const json = (body, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const bad = (error) => json({ error }, 400);

/** The request's ids as a T x N array, or an error message. */
function parseIds(body) {
  if (body === null || typeof body !== 'object' || !Array.isArray(body.ids)) {
    return 'expected a JSON object {"ids": [[id, ...], ...]} (T rows of N token ids)';
  }
  const ids = body.ids;
  if (ids.length < 1 || ids.length > MAX_T) return `ids must have 1..${MAX_T} rows (time steps), got ${ids.length}`;
  const n = Array.isArray(ids[0]) ? ids[0].length : -1;
  if (n < 1 || n > MAX_N) return `each row of ids must be an array of 1..${MAX_N} token ids`;
  for (let t = 0; t < ids.length; t++) {
    const row = ids[t];
    if (!Array.isArray(row) || row.length !== n) {
      return `wrong input length: row ${t} has ${Array.isArray(row) ? row.length : 'no'} ids, row 0 has ${n}`;
    }
    for (const v of row) {
      if (!Number.isInteger(v) || v < 0 || v >= VOCAB) {
        return `token ids must be integers in [0, ${VOCAB}), got ${JSON.stringify(v)}`;
      }
    }
  }
  return ids;
}

/** A fetch handler over `mx` (the package), `params` (.params bytes) and ready()'s options. */
export function makeHandler(mx, params, readyOptions) {
  let net = null;
  async function model() {
    if (net === null) {
      await mx.ready(readyOptions);
      const n = new mx.gluon.nn.Sequential();
      n.nameScope(() => {
        n.add(new mx.gluon.nn.Embedding(VOCAB, 10));
        n.add(new mx.gluon.rnn.LSTM(20));
        n.add(new mx.gluon.nn.Dense(5, { flatten: false }));
      });
      n.loadParameters(new Uint8Array(params));
      net = n;
    }
    return net;
  }
  return async function fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/health') {
      await model();
      return json({ ok: true, backend: mx.backendInfo(), sharedArrayBuffer: typeof SharedArrayBuffer === 'function' });
    }
    if (url.pathname !== '/predict') return json({ error: `no route ${url.pathname}` }, 404);
    if (request.method !== 'POST') return json({ error: 'use POST' }, 405);
    let body;
    try {
      body = JSON.parse(await request.text());
    } catch (e) {
      return bad(`malformed JSON: ${e.message}`);
    }
    const ids = parseIds(body);
    if (typeof ids === 'string') return bad(ids);
    const out = (await model()).forward(mx.nd.array(ids));
    return json({ shape: out.shape, data: Array.from(out.toFloat32Array()), backend: mx.backendInfo() });
  };
}
