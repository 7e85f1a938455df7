// The relaxed-SIMD builds (fused multiply-add) load where the runtime validates relaxed SIMD,
// pass the in-wasm SIMD-vs-scalar self-test, and agree with the plain builds (themselves checked
// against MXNet) within 1e-5. In Node 20 V8 keeps relaxed SIMD behind a process-wide flag, which
// `ready()` sets only when asked by name (`relaxedSimd: 'enable-node-flag'`), never by default.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./workers/relaxed_probe.mjs', import.meta.url));
type Probe = {
  info: { relaxedSimd: boolean };
  validatesBefore: boolean;
  validatesAfter: boolean;
  selftest: number;
  lstm: number[];
  gru: number[];
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
});
