// The relaxed-SIMD builds (fused multiply-add) load where the runtime validates relaxed SIMD
// (Node 20 needs --experimental-wasm-relaxed-simd), pass the in-wasm SIMD-vs-scalar self-test,
// and agree with the plain builds (themselves checked against MXNet) within 1e-5.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./workers/relaxed_probe.mjs', import.meta.url));
type Probe = { info: { relaxedSimd: boolean }; selftest: number; lstm: number[]; gru: number[] };
const probe = (flags: string[], arg: string): Probe =>
  JSON.parse(execFileSync(process.execPath, [...flags, script, arg], { encoding: 'utf8' }).trim());

describe('relaxed-SIMD builds', () => {
  it('are chosen when supported, and agree with the plain builds within 1e-5', () => {
    const plain = probe([], 'plain');
    const relaxed = probe(['--experimental-wasm-relaxed-simd'], 'auto');
    expect(plain.info.relaxedSimd).toBe(false);
    expect(relaxed.info.relaxedSimd).toBe(true);
    expect(relaxed.selftest).toBeGreaterThan(1000);
    for (const k of ['lstm', 'gru'] as const) {
      expect(relaxed[k].length).toBe(plain[k].length);
      relaxed[k].forEach((v, i) => {
        const w = plain[k][i] as number;
        expect(Math.abs(v - w)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(w)));
      });
    }
  });
});
