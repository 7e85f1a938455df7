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
