#!/usr/bin/env bash
# `npm test`: Rust kernel tests on the host, then the TypeScript suites against the built wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh
step "cargo test (host: scalar references vs emulated-SIMD kernels)"
cargo test --workspace --release --quiet
# The runtime and browser suites load dist/: make sure it is current (seconds when it is).
step "build (npm run build)"
npm run build --silent
step "vitest (wasm builds in Node, the packed package in each runtime, Chromium)"
npx vitest run "$@"
