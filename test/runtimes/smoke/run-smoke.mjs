// Entry for Node, Deno and Bun: runs the smoke script against the installed package and prints
// one line `SMOKE-RESULT {json}` for the harness.
import mx from 'gluon-rnn-wasm';
import fx from './fixture.json' with { type: 'json' };
import { smoke } from './smoke.mjs';

const g = globalThis;
const runtime = g.Deno ? `Deno ${g.Deno.version.deno}` : g.Bun ? `Bun ${g.Bun.version}` : `Node ${g.process.version}`;
const tmpPath = decodeURIComponent(new URL('./roundtrip.params', import.meta.url).pathname);
let result;
try {
  result = await smoke(mx, fx, { tmpPath });
} catch (e) {
  result = { ok: false, checks: [{ name: 'smoke', ok: false, detail: String(e?.stack ?? e) }] };
}
console.log(`SMOKE-RESULT ${JSON.stringify({ runtime, ...result })}`);
