# Sourced by the scripts: where the wasm toolchain lives (docs/design/architecture.md decision 1).
# Debian's rustc-web is called by absolute path: rustup's proxies come first on PATH and
# its rustc cannot use Debian's std source.
RUSTC_WEB=/usr/bin/rustc
RUSTDOC_WEB=/usr/bin/rustdoc
CARGO_WEB=/usr/bin/cargo
# wasm-bindgen's version is the one crates/wasm pins (=x.y.z).
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' crates/wasm/Cargo.toml)
export PATH="$HOME/.cargo/bin:$PATH"
if [[ -x "$RUSTC_WEB" ]]; then
  LLVM_MAJOR=$("$RUSTC_WEB" -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
  WASM_LD="wasm-ld-$LLVM_MAJOR"
fi
step() { echo "==> [$(date +%T)] $*"; }
