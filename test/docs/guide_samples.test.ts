// The code samples of the guide (docs/guide/*.md) and the README against the built package
// (dist/, as installed):
// fenced blocks whose info string is `ts runnable` or `js runnable` are type-checked under
// `tsc --strict` and run in Node, each in its own process; `ts typecheck` / `js typecheck` blocks
// (browser, Deno, edge code) are type-checked only. Other blocks are not checked.
// The files the samples read are MXNet 1.9.1's own (test/fixtures/mxnet/bin): model.params is
// the Sequential(Embedding(30, 10), LSTM(20), Dense(5)) of save_parameters, model-0003.params and
// model-symbol.json an export of HybridSequential(Dense(4), GRU(3), BatchNorm).

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GUIDE = path.join(ROOT, 'docs/guide');
const FIXTURES: Record<string, string> = {
  'model.params': 'test/fixtures/mxnet/bin/api_seq_embed_lstm_dense.params',
  'model-0003.params': 'test/fixtures/mxnet/bin/exported-0003.params',
  'model-symbol.json': 'test/fixtures/mxnet/bin/exported-symbol.json',
};

interface Sample {
  /** e.g. 'docs/guide/porting.md:47' (the line of the opening fence). */
  where: string;
  lang: 'ts' | 'js';
  run: boolean;
  code: string;
}

function extractSamples(): Sample[] {
  const out: Sample[] = [];
  const files = [
    ...fs
      .readdirSync(GUIDE)
      .filter((f) => f.endsWith('.md'))
      .map((f) => path.join(GUIDE, f)),
    path.join(ROOT, 'README.md'),
  ];
  for (const md of files) {
    const file = path.relative(ROOT, md);
    const lines = fs.readFileSync(md, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^```(ts|js) (runnable|typecheck)\s*$/.exec(lines[i] as string);
      if (!m) continue;
      const end = lines.indexOf('```', i + 1);
      if (end < 0) throw new Error(`${file}:${i + 1}: unterminated code block`);
      out.push({
        where: `${file}:${i + 1}`,
        lang: m[1] as 'ts' | 'js',
        run: m[2] === 'runnable',
        code: lines.slice(i + 1, end).join('\n'),
      });
      i = end;
    }
  }
  return out;
}

const samples = extractSamples();
let dir = '';
const fileOf = (s: Sample, i: number) => `sample-${i}.${s.lang === 'ts' ? 'mts' : 'mjs'}`;

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist/index.d.ts'))) throw new Error('dist/ is missing: run `npm run build`');
  // A project that sees the package as an installed dependency (its package.json exports).
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gluon-guide-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules/gluon-rnn-wasm'), 'dir');
  for (const [name, src] of Object.entries(FIXTURES)) fs.copyFileSync(path.join(ROOT, src), path.join(dir, name));
  samples.forEach((s, i) => {
    fs.writeFileSync(path.join(dir, fileOf(s, i)), s.code);
  });
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('code samples of docs/guide and the README', () => {
  it('finds the samples', () => {
    expect(samples.filter((s) => s.run).length).toBeGreaterThanOrEqual(8);
    expect(samples.filter((s) => !s.run).length).toBeGreaterThanOrEqual(5);
  });

  it('type-check under tsc --strict against the built package (nodenext resolution)', () => {
    const program = ts.createProgram(
      samples.map((s, i) => path.join(dir, fileOf(s, i))),
      {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: ['node'],
        typeRoots: [path.join(ROOT, 'node_modules/@types')],
        allowJs: true,
        checkJs: true,
        skipLibCheck: true,
      },
    );
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const file = d.file ? path.basename(d.file.fileName) : '';
      const n = /^sample-(\d+)\./.exec(file);
      const sample = n ? samples[Number(n[1])] : undefined;
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      const where = sample ? `${sample.where} (+${line})` : `${file}:${line}`;
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  }, 120_000);

  for (const [i, s] of samples.entries()) {
    if (!s.run) continue;
    it(`runs in Node: ${s.where}`, async () => {
      const js =
        s.lang === 'ts'
          ? ts.transpileModule(s.code, {
              compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
            }).outputText
          : s.code;
      const file = path.join(dir, `run-${i}.mjs`);
      fs.writeFileSync(file, js);
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [file], { cwd: dir, timeout: 60_000 }, (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
        );
      });
      expect(r.stderr, `${s.where} wrote to stderr`).toBe('');
      expect(r.code, `${s.where} exited with ${r.code}:\n${r.stdout}`).toBe(0);
    });
  }
});
