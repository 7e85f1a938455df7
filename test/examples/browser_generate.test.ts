// examples/browser/generate.mjs (the demo's decoding, without the DOM) against MXNet 1.9.1:
// examples/browser/model/decode.json (examples/browser/train/decode_reference.py) holds MXNet's
// greedy and beam-search continuations of fixed primes for the demo's model, and meta.json
// (train_charlstm.py) the greedy continuation the page shows in its footer.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { beamSearch, buildModel, generate, greedy, type Meta, type Model } from '../../examples/browser/generate.mjs';
import mx from '../../ts/index.js';

const MODEL = new URL('../../examples/browser/model/', import.meta.url);
const meta = JSON.parse(readFileSync(new URL('meta.json', MODEL), 'utf8')) as Meta;
interface Case {
  prime: string;
  greedy: string;
  beam: { text: string; score: number; beams: string[] };
}
const decode = JSON.parse(readFileSync(new URL('decode.json', MODEL), 'utf8')) as { beams: number; cases: Case[] };
let model: Model;

beforeAll(async () => {
  await mx.ready();
  model = buildModel(mx, meta, new Uint8Array(readFileSync(new URL('charlstm.params', MODEL))));
});

describe('examples/browser/generate.mjs', () => {
  it('greedy decoding equals MXNet 1.9.1 (meta.json, decode.json)', async () => {
    expect(greedy(mx, model, meta.prompt, meta.greedy.length)).toBe(meta.greedy);
    for (const c of decode.cases) expect(greedy(mx, model, c.prime, c.greedy.length)).toBe(c.greedy);
    // temperature 0 in generate() is the same greedy decoding.
    const c = decode.cases[1]!;
    expect(await generate(mx, model, { prompt: c.prime, length: 60, temperature: 0 })).toBe(c.greedy.slice(0, 60));
  });

  it('beam search (topk + log_softmax) equals MXNet 1.9.1 (decode.json)', () => {
    for (const c of decode.cases) {
      const r = beamSearch(mx, model, c.prime, c.beam.text.length, decode.beams);
      expect(r.text).toBe(c.beam.text);
      expect(r.beams.map((b) => b.text)).toEqual(c.beam.beams);
      // Summed over the steps in float32: relative 1e-4.
      expect(Math.abs(r.score - c.beam.score)).toBeLessThan(1e-4 * Math.abs(c.beam.score) + 1e-5);
      for (let b = 1; b < r.beams.length; b++) expect(r.beams[b]!.score).toBeLessThanOrEqual(r.beams[b - 1]!.score);
    }
  });

  it('sampling (softmax with temperature + multinomial) is reproducible for a seed', async () => {
    const opts = { prompt: meta.prompt, length: 120, temperature: 1.2 };
    const a = await generate(mx, model, { ...opts, seed: 11 });
    const b = await generate(mx, model, { ...opts, seed: 11 });
    const c = await generate(mx, model, { ...opts, seed: 12 });
    expect(a).toHaveLength(120);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    for (const ch of a) expect(meta.vocab).toContain(ch);
    // The sampled text differs from the greedy one at this temperature.
    expect(a).not.toBe(meta.greedy.slice(0, 120));
  });

  it('rejects bad arguments, naming them', async () => {
    await expect(generate(mx, model, { prompt: 'An€', length: 5 })).rejects.toThrow(/prompt: .*"€"/);
    await expect(generate(mx, model, { prompt: 'And', length: 0 })).rejects.toThrow(
      /length: expected an integer >= 1, got 0/,
    );
    await expect(generate(mx, model, { prompt: 'And', length: 3, temperature: -1 })).rejects.toThrow(/temperature/);
    expect(() => beamSearch(mx, model, 'And', 3, 47)).toThrow(/beams: expected at most the vocabulary size 46, got 47/);
  });
});
