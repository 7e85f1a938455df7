// The three systems of the bench page, loaded in this browser from the repository as
// examples/serve.mjs serves it: this package's dist/ and the peers pinned in
// bench/peers/package.json, installed into bench/peers/node_modules (`npm run bench` does it on
// first use; `npm run bench -- --install-peers` does only that). Each system is the Node
// benchmark's own (bench/peers/systems/*.mjs): the same model building and the same calls.
import { gluonSystem } from '../../bench/peers/systems/gluon.mjs';
import { ortWebSystem } from '../../bench/peers/systems/ort-web.mjs';
import { tfjsWasmSystem } from '../../bench/peers/systems/tfjs-wasm.mjs';

const PEERS = new URL('../../bench/peers/', import.meta.url);
const MODULES = new URL('node_modules/', PEERS);
/** How to get the peers, shown on the page when they are missing. */
export const INSTALL = 'npm run bench -- --install-peers';

/** System ids, in the order they appear in the chart and the table. */
export const SYSTEM_IDS = ['gluon', 'ort-web', 'tfjs-wasm'];

async function json(url) {
  const r = await fetch(url, { cache: 'no-store' });
  return r.ok ? r.json() : null;
}

/**
 * The pinned peers and what is installed: { installed, pins: { name: version },
 * found: { name: version | null } }; `installed` when every pin is present at its version.
 */
export async function peerInstall() {
  const pkg = await json(new URL('package.json', PEERS));
  const pins = pkg?.dependencies ?? {};
  const found = {};
  for (const name of Object.keys(pins))
    found[name] = (await json(new URL(`${name}/package.json`, MODULES)))?.version ?? null;
  const names = Object.keys(pins);
  return { installed: names.length > 0 && names.every((n) => found[n] === pins[n]), pins, found };
}

function script(url) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = url.href;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${url.pathname}`));
    document.head.append(s);
  });
}

/**
 * Loads one system on `threads` threads (peers: `threads` only when the page is cross-origin
 * isolated, which their wasm threads need; else 1). -> the system ({ info, build }).
 */
export async function loadSystem(id, threads) {
  const isolated = globalThis.crossOriginIsolated === true;
  const peerThreads = isolated ? threads : 1;
  if (id === 'gluon') return gluonSystem(threads);
  if (id === 'ort-web') {
    // the wasm-only build; it fetches ort-wasm-simd-threaded.{mjs,wasm} from its own folder
    const ort = await import(new URL('onnxruntime-web/dist/ort.wasm.min.mjs', MODULES).href);
    return ortWebSystem(peerThreads, ort);
  }
  if (id === 'tfjs-wasm') {
    // tfjs's browser bundles (its ES module builds import Node's fs): they define globalThis.tf
    // and tf.wasm; the backend fetches its .wasm (SIMD, or threaded SIMD when isolated) from dist/.
    if (!globalThis.tf) {
      await script(new URL('@tensorflow/tfjs/dist/tf.min.js', MODULES));
      await script(new URL('@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js', MODULES));
    }
    const { tf } = globalThis;
    tf.wasm.setWasmPaths(new URL('@tensorflow/tfjs-backend-wasm/dist/', MODULES).href);
    tf.wasm.setThreadsCount(peerThreads);
    return tfjsWasmSystem(peerThreads, { tf, wasm: tf.wasm });
  }
  throw new Error(`unknown system '${id}' (${SYSTEM_IDS.join(', ')})`);
}
