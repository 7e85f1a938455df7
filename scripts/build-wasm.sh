#!/usr/bin/env bash
# Builds the wasm builds of gluon-rnn-wasm and their wasm-bindgen glue:
#   simd             +simd128, single thread
#   simd-threads     +simd128,+atomics,+bulk-memory over an imported shared memory
#   relaxed          the same two with +relaxed-simd (f32x4.relaxed_madd: one rounding,
#   relaxed-threads  ~30% faster GEMM); the loader picks them where the runtime validates it
# cargo (Debian rustc-web, std rebuilt: docs/design/architecture.md decision 1) -> wasm-bindgen -> wasm-opt.
# Output: ts/backend/generated/<build>/ (ignored by git; copied into dist/ by build:ts).
# Test builds: simd and simd-threads again with the `test-hooks` feature (a deliberate trap,
# a failing worker) into target/test-hooks/<build>/, never into the package.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/toolchain.sh

OUT=ts/backend/generated
# Shared memory: 16 MiB initial (the glue sets it), 4 GiB maximum (the wasm32 limit).
MT_LINK="-C link-arg=--shared-memory -C link-arg=--import-memory -C link-arg=--max-memory=4294967296 \
-C link-arg=--export=__stack_pointer -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size \
-C link-arg=--export=__tls_align -C link-arg=--export=__tls_base"

# No multi-value returns (rustc enables them by default): wasm-bindgen then returns a
# Result through a return pointer instead. Node 20's V8 compiles a JS-to-wasm wrapper for
# every export signature with several results with TurboFan while it compiles the module
# (single-result ones use its generic wrapper): 17 such signatures cost ~5 ms of the ~7 ms
# WebAssembly.compile, on the way to a first result. Newer V8s make wrappers lazily.
ALL_FLAGS="-C target-feature=-multivalue"

# FEATURES (cargo features) and OUT_ROOT (instead of $OUT) may be set by the caller.
build_one() { # name rustflags wasm-opt-features...
  local name=$1 flags=$2
  shift 2
  local features=${FEATURES:-} out=${OUT_ROOT:-$OUT}
  local tdir="target/wasm-$name${features:+-$features}"
  step "cargo build ($name${features:+, features: $features})"
  RUSTC="$RUSTC_WEB" RUSTDOC="$RUSTDOC_WEB" RUSTC_BOOTSTRAP=1 RUSTFLAGS="$flags $ALL_FLAGS" \
    "$CARGO_WEB" build --release -p gluon-wasm --target wasm32-unknown-unknown ${features:+--features "$features"} \
    -Zbuild-std=std,panic_abort --target-dir "$tdir" \
    --config "target.wasm32-unknown-unknown.linker='$WASM_LD'" --quiet
  local raw="$tdir/wasm32-unknown-unknown/release/gluon_wasm.wasm"
  local dest="$out/$name"
  local stamp="$dest/.source-sha"
  local sha
  # The stamp covers wasm-opt's arguments too: a change of flags must re-optimise.
  sha=$({ sha256sum <"$raw"; echo "$*"; } | sha256sum | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$sha" && -f "$dest/gluon_wasm_bg.wasm" ]]; then
    echo "    $name: unchanged"
    return
  fi
  step "wasm-bindgen ($name)"
  rm -rf "$dest"
  wasm-bindgen --target web --out-dir "$dest" --out-name gluon_wasm "$raw"
  # Trap recovery (ts/backend/index.ts) instantiates the module afresh: the glue must be able to
  # forget its instance, which wasm-bindgen's initSync otherwise keeps for good.
  grep -q '^let wasmModule, wasmInstance, wasm;$' "$dest/gluon_wasm.js" ||
    { echo "build-wasm.sh: wasm-bindgen's glue changed shape; update __gluon_reset" >&2; exit 1; }
  if ! grep -q '__gluon_reset' "$dest/gluon_wasm.js"; then
    printf '%s\n' '' '/** Forgets the instance, so that `initSync` instantiates afresh (trap recovery). */' \
      'export function __gluon_reset() {' '    wasm = undefined;' '}' >>"$dest/gluon_wasm.js"
    printf '%s\n' '' 'export function __gluon_reset(): void;' >>"$dest/gluon_wasm.d.ts"
  fi
  step "wasm-opt ($name)"
  npx --no-install wasm-opt -O3 "$@" "$dest/gluon_wasm_bg.wasm" -o "$dest/gluon_wasm_bg.wasm"
  echo "$sha" >"$stamp"
  echo "    $name: $(wc -c <"$dest/gluon_wasm_bg.wasm") bytes"
}

# Not `--low-memory-unused`: it lets wasm-opt fold address arithmetic into load offsets, and
# V8's code for the GEMM then ran 7% slower (SGEMM 1024^3, 512^3, 64x2048x512) and the fused
# layers 2-5% slower, batch-1 steps unchanged (same-process A/B, docs/performance-log.md).
# The relaxed (FMA) builds keep LLVM's instructions in source order. V8 from 13 (Node 24,
# current Chromium) keeps a wasm function's instruction order, and LLVM's own order of the
# 5-row register tile (a k step's multiply-adds grouped by B vector, all five A broadcasts live
# across both groups) spills two accumulators there: SGEMM 30 against 51 GF/s under V8 12
# (Node 22), which reschedules. In source order the tile uses each A value for both of its
# multiply-adds at once (micro.rs): 50-57 GF/s under both (docs/performance-log.md, session 12).
RELAXED_SCHED="-C llvm-args=-pre-RA-sched=source"
SIMD_OPT=(--enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals)
MT_OPT=(--enable-simd --enable-threads --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals)
build_one simd "-C target-feature=+simd128" "${SIMD_OPT[@]}"
build_one simd-threads "-C target-feature=+simd128,+atomics,+bulk-memory,+mutable-globals $MT_LINK" "${MT_OPT[@]}"
build_one relaxed "-C target-feature=+simd128,+relaxed-simd $RELAXED_SCHED" --enable-simd --enable-relaxed-simd \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
build_one relaxed-threads "-C target-feature=+simd128,+relaxed-simd,+atomics,+bulk-memory,+mutable-globals $MT_LINK $RELAXED_SCHED" \
  --enable-simd --enable-relaxed-simd --enable-threads --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
FEATURES=test-hooks OUT_ROOT=target/test-hooks build_one simd "-C target-feature=+simd128" "${SIMD_OPT[@]}"
FEATURES=test-hooks OUT_ROOT=target/test-hooks build_one simd-threads \
  "-C target-feature=+simd128,+atomics,+bulk-memory,+mutable-globals $MT_LINK" "${MT_OPT[@]}"
