// A .wasm URL that serves something else (a dev server's index.html fallback) is refused before
// compiling, with the URL, what came back and the usual fix, not WebAssembly's "expected magic
// word" error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import mx from '../../ts/index.js';

describe('ready() when the .wasm is not wasm', () => {
  it('names the URL, the bytes it got and the Vite optimizeDeps fix', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gluon-not-wasm-'));
    try {
      fs.mkdirSync(path.join(dir, 'simd'));
      fs.writeFileSync(path.join(dir, 'simd', 'gluon_wasm_bg.wasm'), '<!doctype html>\n<html><body>app</body></html>');
      const wasmPath = pathToFileURL(`${dir}/`);
      const err = await mx.ready({ threads: 1, relaxedSimd: false, wasmPath }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      const msg = (err as Error).message;
      expect(msg).toContain(`${wasmPath.href}simd/gluon_wasm_bg.wasm is not a WebAssembly module`);
      expect(msg).toContain('"<!doctype html> <html><body>app<');
      expect(msg).toContain("optimizeDeps: { exclude: ['gluon-rnn-wasm'] }");
      // Nothing was left half-initialised: a correct call still works.
      const info = await mx.ready({ threads: 1, relaxedSimd: false });
      expect(info.build).toBe('simd');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
