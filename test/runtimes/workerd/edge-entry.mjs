// Vercel's Edge Runtime (npm edge-runtime, code generation from bytes disabled): the host
// compiles the .wasm ('gluon-rnn-wasm/simd.wasm', as Next.js does for `?module` imports) and
// injects the WebAssembly.Module as globalThis.GLUON_WASM; the app calls ready({ wasmModule }).
import mx from 'gluon-rnn-wasm';
import params from './model.params';
import { makeHandler } from './model-server.mjs';

const handle = makeHandler(mx, params, { wasmModule: globalThis.GLUON_WASM });
addEventListener('fetch', (event) => event.respondWith(handle(event.request)));
