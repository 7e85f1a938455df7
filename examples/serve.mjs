// A static server for the examples: serves the repository root on 127.0.0.1 with the headers a
// cross-origin-isolated page needs (shared memory for the threaded builds: this package's,
// ONNX Runtime Web's and tfjs-backend-wasm's). The whole root, so the bench page also loads
// the peers' bundles and .wasm files from bench/peers/node_modules.
//   npm run build && node examples/serve.mjs [port]
//   -> http://127.0.0.1:8080/examples/browser/        (text generation demo)
//      http://127.0.0.1:8080/examples/browser/bench.html  (live benchmark beside the peers)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.params': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
};

/**
 * Starts the server; resolves { url, close }. port 0 picks a free one. Cross-origin isolated
 * (COOP/COEP) unless `isolated: false` (the tests' single-thread fallback page).
 */
export function serve(port = 0, root = ROOT, { isolated = true } = {}) {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let file = path.resolve(base, `.${decodeURIComponent(url.pathname)}`);
    if (file !== base && !file.startsWith(base + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${url.pathname}`);
      return;
    }
    const isolation = isolated
      ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
      : {};
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      ...isolation,
      'cache-control': 'no-store',
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      resolve({
        url: `http://127.0.0.1:${addr.port}/`,
        close: () => new Promise((r) => server.close(() => r(undefined))),
      });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!fs.existsSync(path.join(ROOT, 'dist/index.js'))) console.warn('dist/ is missing: run `npm run build` first');
  const { url } = await serve(Number(process.argv[2] ?? 8080));
  console.log(`demo:  ${url}examples/browser/\nbench: ${url}examples/browser/bench.html`);
  if (!fs.existsSync(path.join(ROOT, 'bench/peers/node_modules/onnxruntime-web')))
    console.warn(
      'the bench page measures this package alone until `npm run bench -- --install-peers` installs its peers',
    );
}
