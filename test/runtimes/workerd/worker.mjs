// A Cloudflare Worker (run locally by workerd, see config.capnp) serving model-server.mjs.
// Bundled by esbuild with `--conditions=workerd`: 'gluon-rnn-wasm' is then the package's edge
// entry, which hands its .wasm module binding to ready(); the weights are a data module.
import mx from 'gluon-rnn-wasm';
import params from './model.params';
import { makeHandler } from './model-server.mjs';

const fetch = makeHandler(mx, params);
export default { fetch: (request) => fetch(request) };
