// Consistency of the golden MXNet fixtures (test/fixtures/mxnet) with each other and with the writer.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadNDArrayFile, saveNDArrayFile } from '../../ts/io/params.js';
import { sameBytes, type Tensor } from '../gluon/helpers.js';
import { mxnetFixture, mxnetJson } from './fixtures.js';

const dir = fileURLToPath(new URL('../fixtures/mxnet/', import.meta.url));
const caseFiles = readdirSync(dir).filter((f) => f.endsWith('.json'));

function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && Array.isArray((x as Tensor).shape) && Array.isArray((x as Tensor).data);
}

function visitTensors(x: unknown, fn: (t: Tensor) => void): void {
  if (isTensor(x)) fn(x);
  else if (Array.isArray(x)) for (const v of x) visitTensors(v, fn);
  else if (typeof x === 'object' && x !== null) for (const v of Object.values(x)) visitTensors(v, fn);
}

describe('golden MXNet fixtures', () => {
  it('every case file is well-formed (tensor sizes match shapes, finite values)', () => {
    expect(caseFiles.length).toBeGreaterThan(70);
    let tensors = 0;
    for (const f of caseFiles) {
      const c = mxnetJson<Record<string, unknown>>(f);
      expect(c.case, f).toBe(f.replace(/\.json$/, ''));
      expect(c.mxnet, f).toBe('1.9.1');
      visitTensors(c, (t) => {
        tensors++;
        expect(t.data.length, f).toBe(t.shape.reduce((a, b) => a * b, 1));
        for (const v of t.data) if (!Number.isFinite(v)) throw new Error(`${f}: ${v} is not finite`);
      });
    }
    expect(tensors).toBeGreaterThan(500);
  });

  it('JSON parameter values write the exact bytes MXNet save_parameters wrote', () => {
    const c = mxnetJson<{ names: string[]; structural: string[]; params: Record<string, Tensor> }>(
      'api_seq_embed_lstm_dense.json',
    );
    const arrays = c.names.map((n) => ({ shape: c.params[n]!.shape, data: Float32Array.from(c.params[n]!.data) }));
    const bytes = saveNDArrayFile({ names: c.structural, arrays });
    expect(sameBytes(bytes, mxnetFixture('bin/api_seq_embed_lstm_dense.params'))).toBe(true);
  });

  it('api_lstm100x3.params holds the LSTM(100, 3) structural keys', () => {
    const c = mxnetJson<{ structural: string[] }>('api_lstm100x3.json');
    const f = loadNDArrayFile(mxnetFixture('bin/api_lstm100x3.params'));
    expect(f.names).toEqual(c.structural);
    expect(f.arrays[0]!.shape).toEqual([400, 10]);
    expect(f.arrays[1]!.shape).toEqual([400, 100]);
  });
});
