// Runs the shared peer harness (../shared/bench/peers) with this package as `gluon-*`,
// from a writable copy. Default: the configurations, 1-thread systems.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './summary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '..', 'shared', 'bench', 'peers');
const work = path.join(root, 'bench', '.peers');

const DEFAULT = [
  '--configs',
  'small_lstm,medium_lstm,large_lstm,medium_gru,medium_rnn,medium_lstm_bi',
  '--systems',
  'gluon-1t,ort-web-1t,tfjs-wasm,numpy-1t',
  '--rounds',
  '5',
  '--no-init',
];

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`bench: '${cmd} ${args.join(' ')}' failed in ${cwd} (exit ${r.status})`);
}

export async function runPeers(extra) {
  if (!fs.existsSync(path.join(shared, 'bench.mjs'))) {
    console.log(`bench: peer harness not found at ${shared}; skipping the recurrent comparison`);
    return;
  }
  if (!fs.existsSync(path.join(work, 'node_modules'))) {
    fs.rmSync(work, { recursive: true, force: true });
    fs.cpSync(shared, work, { recursive: true, filter: (s) => !s.includes(`${path.sep}results${path.sep}`) });
    run('npm', ['ci', '--no-audit', '--no-fund'], work);
  } else {
    for (const f of ['bench.mjs', 'worker.mjs', 'ref_numpy.py', 'lib']) {
      fs.cpSync(path.join(shared, f), path.join(work, f), { recursive: true });
    }
  }
  // The harness checks every system against a float64 numpy forward pass.
  if (spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status !== 0) {
    run('python3', ['-m', 'pip', 'install', '-q', 'numpy', 'threadpoolctl'], work);
  }
  const results = path.join(work, 'results');
  fs.mkdirSync(results, { recursive: true });
  const before = new Set(fs.readdirSync(results));
  run('node', ['bench.mjs', '--project', root, ...(extra.length ? extra : DEFAULT)], work);
  const fresh = fs
    .readdirSync(results)
    .filter((f) => f.endsWith('.json') && !before.has(f))
    .sort();
  if (fresh.length === 0) return;
  const result = JSON.parse(fs.readFileSync(path.join(results, fresh.at(-1)), 'utf8'));
  const peak = spawnSync(process.execPath, [path.join(root, 'bench', 'gemm.mjs'), '--peak-only'], { encoding: 'utf8' });
  const text = summarize(result, Number(peak.stdout.trim()));
  console.log(text);
  fs.appendFileSync(path.join(results, fresh.at(-1).replace(/\.json$/, '.md')), `${text}\n`);
}
