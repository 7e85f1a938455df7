#!/usr/bin/env bash
# `npm test`: Rust kernel tests on the host, then the TypeScript suites against the built wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh
step "cargo test (host: scalar references vs emulated-SIMD kernels)"
cargo test --workspace --release --quiet
step "vitest (wasm builds in Node)"
npx vitest run "$@"
