// The relaxed-SIMD builds (fused multiply-add) load where the runtime validates relaxed SIMD
// (in Node 20, `ready()` turns V8's --experimental-wasm-relaxed-simd on unless told
// `relaxedSimd: false`), pass the in-wasm SIMD-vs-scalar self-test, and agree with the plain
// builds (themselves checked against MXNet) within 1e-5.
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

describe('relaxed-SIMD builds', () => {
  it('are chosen by default, and agree with the plain builds within 1e-5', () => {
    const plain = probe([], 'plain');
    const relaxed = probe([], 'auto');
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

  it('relaxedSimd: false or a precompiled module leaves the engine as it was (no V8 flag in Node 20)', () => {
    const plain = probe([], 'plain');
    expect(plain.validatesAfter).toBe(plain.validatesBefore);
    const module = probe([], 'module');
    expect(module.info.relaxedSimd).toBe(false);
    expect(module.validatesAfter).toBe(module.validatesBefore);
    expect(module.lstm).toEqual(plain.lstm);
    const major = Number(process.versions.node.split('.')[0]);
    if (major < 22) expect(plain.validatesBefore).toBe(false);
  });

  it('the command-line flag and the run-time flag give the same build and the same numbers', () => {
    const flagged = probe(['--experimental-wasm-relaxed-simd'], 'auto');
    const auto = probe([], 'auto');
    expect(flagged.info.relaxedSimd).toBe(true);
    expect(auto.lstm).toEqual(flagged.lstm);
    expect(auto.gru).toEqual(flagged.gru);
  });
});
