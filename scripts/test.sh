#!/usr/bin/env bash
# `npm test`: Rust kernel tests on the host, then the TypeScript suites against the built wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh
step "cargo test (host: scalar references vs emulated-SIMD kernels)"
cargo test --workspace --release --quiet
step "cargo test (host: the FMA builds' 5-row register tile)"
cargo test -p gluon-kernels --release --quiet --features wide-tile
# The runtime and browser suites load dist/: make sure it is current (seconds when it is).
step "build (npm run build)"
npm run build --silent
step "vitest (wasm builds in Node, the packed package in each runtime, Chromium)"
mkdir -p test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
# The plain closing line CI reads, from vitest's own JSON report.
node -e '
const r = require("./test-results/vitest.json");
console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit "$status"
