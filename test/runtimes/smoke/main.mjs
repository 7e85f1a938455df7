// Entry for browsers (plain ES modules with an import map, or a Vite build of this file).
import mx from 'gluon-rnn-wasm';
import fx from './fixture.json' with { type: 'json' };
import { smoke } from './smoke.mjs';

let result;
try {
  result = await smoke(mx, fx);
} catch (e) {
  result = { ok: false, checks: [{ name: 'smoke', ok: false, detail: String(e?.stack ?? e) }] };
}
result.runtime = navigator.userAgent;
document.getElementById('out').textContent = JSON.stringify(result, null, 1);
globalThis.__smoke = result;
