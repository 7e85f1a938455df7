#!/usr/bin/env bash
# One set-up command for a fresh machine (Debian 12, root or sudo): the wasm toolchain,
# the wasm-bindgen CLI, npm packages, and a build. Idempotent: each step is skipped
# when what it installs is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh

CURRENT="start"
trap 'echo "setup.sh: FAILED at step: $CURRENT" >&2' ERR
run() { CURRENT="$1"; step "$1"; }

SUDO=""
if [[ $(id -u) != 0 ]]; then SUDO="sudo"; fi

apt_install() { # packages...
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then
    echo "    already installed: $*"
    return
  fi
  if [[ ! -f /tmp/.gluon-apt-updated ]]; then
    $SUDO apt-get update -qq
    touch /tmp/.gluon-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

run "Rust wasm toolchain (Debian rustc-web, cargo-web, rust-web-src)"
apt_install rustc-web cargo-web rust-web-src
LLVM_MAJOR=$("$RUSTC_WEB" -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
WASM_LD="wasm-ld-$LLVM_MAJOR"

run "wasm linker (lld-$LLVM_MAJOR)"
apt_install "lld-$LLVM_MAJOR"

run "wasm-bindgen CLI $WASM_BINDGEN_VERSION"
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" == "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  echo "    already on PATH"
else
  # Not --locked: the CLI's lock file names a webpki-roots release that the crates.io
  # mirror reachable here does not serve; cargo resolves a compatible one instead.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

run "host Rust components (rustfmt, clippy)"
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

run "Chromium (browser tests: test/runtimes)"; apt_install chromium

run "npm ci"
npm ci --no-audit --no-fund

# Optional: the tests that let MXNet itself load what this package exports run when MXNet
# 1.9.1 is importable (test/helpers/mxnet_python.ts); it needs Python 3.8 (pyenv here).
# Without it those tests are skipped with the reason printed, so a failure here only warns.
run "MXNet 1.9.1 for cross-checks (.venv-mxnet, from pyenv's Python 3.8)"
if [[ -x .venv-mxnet/bin/python ]] && .venv-mxnet/bin/python -c 'import mxnet' 2>/dev/null; then
  echo "    already installed"
else
  PY38=$(ls -d "$HOME"/.pyenv/versions/3.8*/bin/python 2>/dev/null | tail -1 || true)
  if [[ -n "$PY38" ]] && "$PY38" -m venv .venv-mxnet &&
    .venv-mxnet/bin/pip install --quiet --disable-pip-version-check mxnet==1.9.1 numpy==1.23.5; then
    echo "    installed with $PY38"
  else
    rm -rf .venv-mxnet
    echo "    WARNING: no Python 3.8 with MXNet 1.9.1; the MXNet cross-check tests will be skipped" >&2
  fi
fi

run "build (npm run build)"
npm run build

CURRENT="done"
step "setup complete: run 'npm test'"
