// The Python that cross-checks run MXNet 1.9.1 with: MXNET_PYTHON, else the repository's
// .venv-mxnet (made by scripts/setup.sh from pyenv's Python 3.8), else pyenv's 3.8 itself,
// else python3.8. Tests that need it are skipped, with this reason printed, when there is none.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let found: { python: string } | { reason: string } | undefined;

/** A Python with mxnet==1.9.1 importable, or why there is none (looked up once). */
export function mxnetPython(): { python: string } | { reason: string } {
  if (found !== undefined) return found;
  const candidates = process.env.MXNET_PYTHON ? [process.env.MXNET_PYTHON] : [];
  candidates.push(fileURLToPath(new URL('../../.venv-mxnet/bin/python', import.meta.url)));
  const pyenv = join(homedir(), '.pyenv', 'versions');
  try {
    for (const v of readdirSync(pyenv).filter((d) => d.startsWith('3.8')))
      candidates.push(join(pyenv, v, 'bin', 'python'));
  } catch {
    // no pyenv
  }
  candidates.push('python3.8');
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import mxnet; assert mxnet.__version__ == "1.9.1"'], { encoding: 'utf8' });
    if (r.status === 0) {
      found = { python };
      return found;
    }
  }
  found = { reason: `no Python with mxnet==1.9.1 found (tried ${candidates.join(', ')}; set MXNET_PYTHON)` };
  return found;
}

// Imports each case's files from `ours` and from `fixtures` with MXNet's SymbolBlock.imports,
// runs both on the fixture's inputs and prints {case: [max |difference|, same parameter keys,
// same number of outputs]}.
const LOAD_CHECK = `
import json, sys
import numpy as np
import mxnet as mx
from mxnet import gluon, nd
ours, fixtures, cases = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
res = {}
for case in cases:
    f = json.load(open('%s/%s.json' % (fixtures, case)))
    xs = [nd.array(np.array(t['data'], dtype=np.float32).reshape(t['shape'])) for t in f['inputs']]
    a = gluon.SymbolBlock.imports('%s/%s-symbol.json' % (ours, case), f['input_names'], '%s/%s-0000.params' % (ours, case))
    b = gluon.SymbolBlock.imports('%s/%s-symbol.json' % (fixtures, case), f['input_names'], '%s/%s-0000.params' % (fixtures, case))
    oa, ob = a(*xs), b(*xs)
    oa = oa if isinstance(oa, (list, tuple)) else [oa]
    ob = ob if isinstance(ob, (list, tuple)) else [ob]
    diff = max(float(np.abs(x.asnumpy() - y.asnumpy()).max()) for x, y in zip(oa, ob))
    keys = sorted(nd.load('%s/%s-0000.params' % (ours, case)).keys()) == sorted(nd.load('%s/%s-0000.params' % (fixtures, case)).keys())
    res[case] = [diff, keys, len(oa) == len(ob)]
print(json.dumps(res))
`;

/**
 * MXNet loads the exports of `cases` in `oursDir` and the files it exported itself in
 * `fixturesDir`, and runs both: per case `[max |difference|, same keys, same output count]`.
 * Throws with Python's stderr when the script fails.
 */
export function mxnetLoadCheck(
  python: string,
  oursDir: string,
  fixturesDir: string,
  cases: readonly string[],
): Record<string, [number, boolean, boolean]> {
  const r = spawnSync(python, ['-c', LOAD_CHECK, oursDir, fixturesDir, cases.join(',')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`MXNet load check failed (exit ${String(r.status)}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Record<string, [number, boolean, boolean]>;
}
