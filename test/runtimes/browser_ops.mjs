// Replays MXNet 1.9.1 operator and layer fixtures (test/fixtures/mxnet_ops, format in
// test/fixtures/README.md) inside a browser page: browser_ops.test.ts loads this module and the
// built package (dist/) into Chromium and hands it the fixtures. The same rules as the Node
// replayer (test/ndarray/op_fixtures.ts, test/gluon/nn_layers.test.ts): each call as
// mx.nd.<op>(...args, { camelCaseKwargs }) and, where Python has it, as an NDArray method;
// outputs within `tol` relative to max(1, |x|); error cases must throw and name what MXNet names.

const camel = (s) => s.replace(/_([a-z0-9])/g, (_m, c) => c.toUpperCase());

/** Worst |got - want| / max(1, |want|), or a reason the shapes or kinds differ. */
function compare(mx, got, want) {
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return { error: `expected a list of ${want.length} arrays` };
    let worst = 0;
    for (let i = 0; i < want.length; i++) {
      const r = compare(mx, got[i], want[i]);
      if (r.error) return { error: `[${i}]: ${r.error}` };
      worst = Math.max(worst, r.worst);
    }
    return { worst };
  }
  if (!(got instanceof mx.nd.NDArray)) return { error: 'expected an NDArray' };
  if (got.shape.join() !== want.shape.join()) return { error: `shape (${got.shape}) instead of (${want.shape})` };
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) {
    const err = Math.abs(got.data[i] - want.data[i]) / Math.max(1, Math.abs(want.data[i]));
    if (!(err <= worst)) worst = err; // NaN counts as the worst
  }
  return { worst };
}

function resolve(mx, c) {
  const inputs = {};
  for (const [k, t] of Object.entries(c.inputs)) inputs[k] = mx.nd.array(Float32Array.from(t.data), t.shape);
  const args = c.args.map((a) =>
    a !== null && typeof a === 'object' && !Array.isArray(a) && 'input' in a ? inputs[a.input] : a,
  );
  const kw = {};
  for (const [k, v] of Object.entries(c.kwargs)) kw[camel(k)] = v;
  return Object.keys(kw).length > 0 ? [...args, kw] : args;
}

function opFunction(mx, op) {
  let f = mx.nd;
  for (const part of op.split('.')) f = f?.[part];
  if (typeof f !== 'function') throw new Error(`mx.nd.${op} is not exported`);
  return f;
}

/** One result per check: { name, ok, worst?, detail? }. */
function replayOpCase(mx, op, c, tol) {
  const name = `${op}/${c.name}`;
  const full = resolve(mx, c);
  const method = (m) => () => full[0][camel(m)](...full.slice(1));
  const invoke = c.via_method !== undefined ? method(c.via_method) : () => opFunction(mx, op)(...full);
  if (c.error !== undefined) {
    try {
      invoke();
    } catch (e) {
      const missing = (c.mentions ?? []).filter((m) => !String(e.message).includes(m));
      return [
        { name, ok: missing.length === 0, detail: missing.length ? `message lacks ${missing}: ${e.message}` : '' },
      ];
    }
    return [{ name, ok: false, detail: `did not throw (MXNet: ${c.error})` }];
  }
  const out = [];
  const check = (label, f) => {
    try {
      const r = compare(mx, f(), c.output);
      out.push({ name: label, ok: !r.error && r.worst <= tol, worst: r.worst, detail: r.error ?? '' });
    } catch (e) {
      out.push({ name: label, ok: false, detail: String(e?.stack ?? e) });
    }
  };
  check(name, invoke);
  if (c.method !== undefined && c.via_method === undefined) check(`${name} (x.${camel(c.method)})`, method(c.method));
  return out;
}

/** Replays every case of op fixtures `{ op, cases }`. */
export function replayOps(mx, fixtures, tol = 1e-5) {
  return fixtures.flatMap((f) => f.cases.flatMap((c) => replayOpCase(mx, f.op, c, tol)));
}

/** Python literal -> JS: numbers, 'strings', True/False/None. */
function literal(s) {
  const t = s.trim();
  if (t === 'True') return true;
  if (t === 'False') return false;
  if (t === 'None') return null;
  if (/^'.*'$/.test(t)) return t.slice(1, -1);
  const n = Number(t);
  if (Number.isNaN(n)) throw new Error(`unsupported argument ${t}`);
  return n;
}

/** `nn.Conv1D(5, 3, strides=3, activation='relu')` -> a new block (flat arguments only). */
function build(mx, text) {
  const m = /^nn\.(\w+)\((.*)\)$/.exec(text);
  if (!m) throw new Error(`unsupported build ${text}`);
  const pos = [];
  const kw = {};
  for (const part of m[2].split(',').filter((p) => p.trim() !== '')) {
    const eq = part.indexOf('=');
    if (eq < 0) pos.push(literal(part));
    else kw[camel(part.slice(0, eq).trim())] = literal(part.slice(eq + 1));
  }
  const Ctor = mx.gluon.nn[m[1]];
  return new Ctor(...pos, ...(Object.keys(kw).length > 0 ? [kw] : []));
}

/** Replays layer fixtures `{ case, build, prefix, params, inputs: { x }, outputs: { out } }` (calls `net(x)`). */
export function replayLayers(mx, fixtures, tol = 1e-5) {
  return fixtures.map((f) => {
    const name = `layer/${f.case}`;
    try {
      if (JSON.stringify(f.calls) !== '{"out":"net(x)"}')
        throw new Error(`unsupported calls ${JSON.stringify(f.calls)}`);
      const net = build(mx, f.build);
      const params = net.collectParams();
      const given = Object.entries(f.params ?? {});
      if (given.length !== params.size) throw new Error(`${params.size} parameters, the fixture has ${given.length}`);
      for (const [full, t] of given) {
        const p = params.get(net.prefix + full.slice(f.prefix.length));
        if (!p) throw new Error(`no parameter for ${full}`);
        if (!p.isInitialized && !p.isDeferred) p.initialize();
        p.setData(mx.nd.array(Float32Array.from(t.data), t.shape));
      }
      const x = f.inputs.x;
      const r = compare(mx, net.forward(mx.nd.array(Float32Array.from(x.data), x.shape)), f.outputs.out);
      return { name, ok: !r.error && r.worst <= tol, worst: r.worst, detail: r.error ?? '' };
    } catch (e) {
      return { name, ok: false, detail: String(e?.stack ?? e) };
    }
  });
}
