// ready() over HTTP (as in a browser or with an http wasmPath): a server that sends
// `application/wasm` is compiled with WebAssembly.compileStreaming, any other type from the
// bytes; either way a body that is not wasm (a dev server's index.html fallback) is refused
// with the URL and what came back, and the backend reports the .wasm's size.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import mx from '../../ts/index.js';

const WASM = fs.readFileSync(new URL('../../ts/backend/generated/simd/gluon_wasm_bg.wasm', import.meta.url));
const HTML = '<!doctype html>\n<html><body>app</body></html>';

/** /<type>/<body>/simd/gluon_wasm_bg.wasm: `type` 'wasm' or 'html', `body` 'wasm' or 'html'. */
const server = http.createServer((req, res) => {
  const [, type, body] = (req.url ?? '').split('/');
  res.writeHead(200, { 'content-type': type === 'wasm' ? 'application/wasm' : 'text/html' });
  res.end(body === 'wasm' ? WASM : HTML);
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const load = (type: string, body: string) =>
  mx.ready({ threads: 1, relaxedSimd: false, wasmPath: `${base}${type}/${body}/` });

describe('ready() fetching the .wasm over HTTP', () => {
  it('refuses an HTML body sent as application/wasm (compileStreaming path)', async () => {
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    const err = await load('wasm', 'html').catch((e: Error) => e);
    expect(streaming).toHaveBeenCalledTimes(1);
    streaming.mockRestore();
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`${base}wasm/html/simd/gluon_wasm_bg.wasm is not a WebAssembly module`);
    expect((err as Error).message).toContain('"<!doctype html> <html><body>app<');
  });

  it('refuses an HTML body sent as text/html (bytes path)', async () => {
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    const err = await load('html', 'html').catch((e: Error) => e);
    expect(streaming).not.toHaveBeenCalled();
    streaming.mockRestore();
    expect((err as Error).message).toContain(`${base}html/html/simd/gluon_wasm_bg.wasm is not a WebAssembly module`);
  });

  it('compiles the streamed module and reports its size', async () => {
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    const info = await load('wasm', 'wasm');
    expect(streaming).toHaveBeenCalledTimes(1);
    streaming.mockRestore();
    expect(info.build).toBe('simd');
    expect(info.wasmBytes).toBe(WASM.byteLength);
    const y = mx.nd.array([1, -2, 3]).relu();
    expect(Array.from(y.toFloat32Array())).toEqual([1, 0, 3]);
  });
});
