// The relaxed-SIMD builds (fused multiply-add) load where the runtime validates relaxed SIMD,
// pass the in-wasm SIMD-vs-scalar self-test, and agree with the plain builds (themselves checked
// against MXNet) within 1e-5. In Node 20 V8 keeps relaxed SIMD behind a process-wide flag, which
// `ready()` sets only when asked by name (`relaxedSimd: 'enable-node-flag'`), never by default.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { engineVersions, v8KeepsWasmOrder } from '../../dist/backend/features.js';

const script = fileURLToPath(new URL('./workers/relaxed_probe.mjs', import.meta.url));
type Outputs = { selftest: number; lstm: number[]; gru: number[]; token: number[]; dense: number[] };
type Probe = Outputs & {
  info: { relaxedSimd: boolean };
  validatesBefore: boolean;
  validatesAfter: boolean;
  orderKept: boolean;
  other: Outputs;
};
// Each run is a fresh Node process (the V8 flag is process-wide); the tests share the runs.
const runs = new Map<string, Probe>();
function probe(flags: string[], arg: string): Probe {
  const key = [...flags, arg].join(' ');
  let r = runs.get(key);
  if (r === undefined) {
    r = JSON.parse(execFileSync(process.execPath, [...flags, script, arg], { encoding: 'utf8' }).trim()) as Probe;
    runs.set(key, r);
  }
  return r;
}

const major = Number(process.versions.node.split('.')[0]);

describe('relaxed-SIMD builds', () => {
  it('are chosen where the runtime has relaxed SIMD, and agree with the plain builds within 1e-5', () => {
    const plain = probe([], 'plain');
    // Node 20 validates relaxed SIMD only with V8's flag; Node >= 22 does by default.
    const relaxed = major < 22 ? probe(['--experimental-wasm-relaxed-simd'], 'auto') : probe([], 'auto');
    expect(plain.info.relaxedSimd).toBe(false);
    expect(relaxed.info.relaxedSimd).toBe(true);
    expect(relaxed.validatesAfter).toBe(true);
    expect(relaxed.selftest).toBeGreaterThan(1000);
    for (const k of ['lstm', 'gru'] as const) {
      expect(relaxed[k].length).toBe(plain[k].length);
      relaxed[k].forEach((v, i) => {
        const w = plain[k][i] as number;
        expect(Math.abs(v - w)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(w)));
      });
    }
  });

  it('by default, with relaxedSimd: false, or with a precompiled module, the engine is left as it was', () => {
    for (const mode of ['auto', 'plain', 'module']) {
      const r = probe([], mode);
      expect(r.validatesAfter).toBe(r.validatesBefore);
    }
    const plain = probe([], 'plain');
    const module = probe([], 'module');
    expect(module.info.relaxedSimd).toBe(false);
    expect(module.lstm).toEqual(plain.lstm);
    if (major < 22) {
      // Node 20: no flag set unasked, so the default is the plain build
      expect(plain.validatesBefore).toBe(false);
      expect(probe([], 'auto').info.relaxedSimd).toBe(false);
      expect(probe([], 'auto').lstm).toEqual(plain.lstm);
    }
  });

  it("relaxedSimd: 'enable-node-flag' turns the flag on at run time: the same build and numbers as the command-line flag", () => {
    const flagged = probe(['--experimental-wasm-relaxed-simd'], 'auto');
    const opted = probe([], 'flag');
    expect(flagged.info.relaxedSimd).toBe(true);
    expect(opted.info.relaxedSimd).toBe(true);
    expect(opted.validatesAfter).toBe(true);
    expect(opted.lstm).toEqual(flagged.lstm);
    expect(opted.gru).toEqual(flagged.gru);
  });

  it("order their kernels' operations for the engine, with the same numbers either way", () => {
    const plain = probe([], 'plain');
    const relaxed = major < 22 ? probe(['--experimental-wasm-relaxed-simd'], 'auto') : probe([], 'auto');
    expect(plain.orderKept).toBe(false);
    expect(relaxed.orderKept).toBe(v8KeepsWasmOrder());
    for (const r of [plain, relaxed]) {
      expect(r.other.selftest).toBeGreaterThan(1000);
      for (const k of ['lstm', 'gru', 'token', 'dense'] as const) {
        expect(r[k].length).toBeGreaterThan(0);
        expect(r.other[k]).toEqual(r[k]);
      }
    }
  });

  it("take V8 from 13.6 (Node 24, Chromium 136) as keeping a wasm function's order, and nothing else", () => {
    expect(v8KeepsWasmOrder({ v8: '11.3.244.8-node.33' })).toBe(false); // Node 20
    expect(v8KeepsWasmOrder({ v8: '12.4.254.21-node.33' })).toBe(false); // Node 22
    expect(v8KeepsWasmOrder({ v8: '13.5.212.10' })).toBe(false);
    expect(v8KeepsWasmOrder({ v8: '13.6.233.10-node.30' })).toBe(true); // Node 24
    expect(v8KeepsWasmOrder({ v8: '14.1.146.11' })).toBe(true);
    expect(v8KeepsWasmOrder({ chromium: 135 })).toBe(false);
    expect(v8KeepsWasmOrder({ chromium: 136 })).toBe(true);
    expect(v8KeepsWasmOrder({})).toBe(false); // Deno, JavaScriptCore (Bun), Firefox, unknown engines
    expect(v8KeepsWasmOrder({ v8: 'not a version' })).toBe(false);
    expect(engineVersions()).toEqual({ v8: process.versions.v8 });
    // What each runtime's globals say, and globals a polyfill may have made odd.
    expect(
      engineVersions({ Deno: { version: { v8: '15.0.245.2-rusty' } }, process: { versions: { v8: '1' } } }),
    ).toEqual({}); // Deno: its V8 ran the broadcast tile slower (ts/backend/features.ts)
    expect(engineVersions({ Bun: {}, process: { versions: { v8: '13.6.0-node.1', bun: '1.3.0' } } })).toEqual({});
    const chromium = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0';
    expect(engineVersions({ navigator: { userAgent: chromium } })).toEqual({ chromium: 156 });
    const brands = [
      { brand: 'Not)A;Brand', version: '8' },
      { brand: 'Chromium', version: '137' },
    ];
    expect(engineVersions({ navigator: { userAgent: chromium, userAgentData: { brands } } })).toEqual({
      chromium: 137,
    });
    expect(engineVersions({ navigator: { userAgent: 'Cloudflare-Workers' } })).toEqual({});
    expect(engineVersions({ navigator: { userAgent: 'Mozilla/5.0 (iPhone) CriOS/137.0 Safari/604.1' } })).toEqual({});
    expect(engineVersions({ navigator: { userAgent: 42, userAgentData: { brands: 'Chromium' } } })).toEqual({});
    expect(engineVersions({ process: { versions: { v8: 13.6 } } })).toEqual({});
    const throwing = Object.defineProperty({}, 'navigator', {
      get() {
        throw new Error('no navigator here');
      },
    });
    expect(engineVersions(throwing)).toEqual({});
  });
});
