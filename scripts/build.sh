#!/usr/bin/env bash
# Release build of the wasm page: cargo -> wasm-bindgen -> wasm-opt, output in www/pkg/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# Own target dir: the simd128 RUSTFLAGS would otherwise invalidate the native build cache.
export CARGO_TARGET_DIR=target/wasm
# --lib: the package also has a bin whose .wasm would overwrite the library's.
RUSTFLAGS="-C target-feature=+simd128" \
  cargo build --lib --release --target wasm32-unknown-unknown

wasm-bindgen --target web --no-typescript --out-dir www/pkg \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/covalign.wasm"

# binaryen from npm, never Debian's (v108 emits wasm that fails Table.set in Chromium).
# Features: rustc's wasm32 defaults plus simd128. Besides the usual ones the wasm-bindgen
# output needs reference-types (its externref table) and multivalue, or wasm-opt fails
# validation. --strip-debug drops the name section; the other two sections are unused too.
WASM=www/pkg/covalign_bg.wasm
node_modules/.bin/wasm-opt -O3 --strip-debug --strip-producers --strip-target-features \
  --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$WASM" -o "$WASM"

echo "$WASM: $(wc -c < "$WASM") bytes raw, $(gzip -9c "$WASM" | wc -c) bytes gzip"
