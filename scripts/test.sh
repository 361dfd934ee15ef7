#!/usr/bin/env bash
# Full test suite: native Rust tests, Rust tests in headless Chromium, browser end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh
bash scripts/build.sh   # the e2e tests load www/pkg

echo "== native tests (release: the science tests train real networks)"
# Default targets: lib, bin, tests/*.rs and doc tests (examples are compiled).
cargo test --release
# Benches are harness = false: `cargo test --benches` would run their full main().
# Only make sure they compile.
cargo bench --no-run

echo "== wasm tests in headless Chromium"
# Same target dir and flags as build.sh, so the dependencies compiled there are reused.
# webdriver.json adds Chromium flags: no background networking on this closed network.
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/webdriver.json" \
  CARGO_TARGET_DIR=target/wasm RUSTFLAGS="-C target-feature=+simd128" \
  cargo test --target wasm32-unknown-unknown --test wasm

echo "== end-to-end tests"
# Node 20's --test does not expand globs itself; bash does.
node --test --test-concurrency=1 tests/e2e/*.test.mjs
