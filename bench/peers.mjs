// The recurrent layers beside ONNX Runtime Web and TensorFlow.js (bench/peers/: same weights,
// same run, outputs checked against a float64 reference). Installs the pinned peers on first
// use (`npm ci` in bench/peers, kept out of the root devDependencies), runs the driver in its
// own process, then prints the package's summary against the issue targets.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from './peers/driver.mjs';
import { summarize } from './summary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const peers = path.join(root, 'bench', 'peers');

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`bench: '${cmd} ${args.join(' ')}' failed in ${cwd} (exit ${r.status})`);
}

/** `npm ci` in bench/peers unless its node_modules matches the lock file already. */
export function ensurePeers() {
  const stamp = path.join(peers, 'node_modules', '.package-lock.json');
  const lock = path.join(peers, 'package-lock.json');
  if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  console.log('bench: installing the pinned peers (npm ci in bench/peers)…');
  run('npm', ['ci', '--no-audit', '--no-fund'], peers);
}

/** Runs the peer benchmark with the driver's options (bench/peers/driver.mjs). */
export async function runPeers(args) {
  if (!fs.existsSync(path.join(root, 'dist', 'index.js')))
    throw new Error('bench: dist/ is missing: run `npm run build` first');
  ensurePeers();
  const out = path.join(root, 'bench', 'results', `peers-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const r = spawnSync(process.execPath, [path.join(peers, 'driver.mjs'), '--out', out, ...args], { stdio: 'inherit' });
  if (!fs.existsSync(`${out}.json`)) throw new Error(`bench: the peer benchmark wrote no results (exit ${r.status})`);
  const result = JSON.parse(fs.readFileSync(`${out}.json`, 'utf8'));
  // The peak, the streaming configs' bandwidth bounds and the per-call overhead, measured in
  // this run beside the peers, on the same build as the package's workers (same engine flags).
  const probes = spawnSync(process.execPath, [...NODE_FLAGS, path.join(root, 'bench', 'gemm.mjs'), '--probes-only'], {
    encoding: 'utf8',
  });
  if (probes.status !== 0) throw new Error(`bench: the probes failed: ${probes.stderr}`);
  const text = summarize(result, JSON.parse(probes.stdout.trim().split('\n').pop()));
  console.log(text);
  fs.appendFileSync(`${out}.md`, `${text}\n`);
  if (r.status !== 0) throw new Error(`bench: the peer benchmark failed (exit ${r.status}); see the failures above`);
}
