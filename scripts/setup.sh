#!/usr/bin/env bash
# Install whatever is missing to build, serve and test covalign on Debian 12.
# Idempotent: each step checks first, so a warm run takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"   # cargo-installed wasm-bindgen lives here

# Run as root directly; otherwise go through sudo.
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

# 1. Rust wasm target.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "ok: rust target wasm32-unknown-unknown"
else
  echo "installing: rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI: must match the wasm-bindgen crate in Cargo.lock exactly,
#    or the generated JS glue and the wasm disagree.
[ -f Cargo.lock ] || cargo generate-lockfile
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
[ -n "$WB_VERSION" ] || { echo "error: no wasm-bindgen package in Cargo.lock" >&2; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WB_VERSION" ]; then
  echo "ok: wasm-bindgen $WB_VERSION"
else
  echo "installing: wasm-bindgen-cli $WB_VERSION (a few minutes)"
  # No --locked: the CLI's own lock file pins a crate version crates.io no longer has.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

# 3. Chromium + chromedriver from Debian (wasm tests and e2e tests drive them).
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "ok: chromium $(dpkg-query -W -f='${Version}' chromium 2>/dev/null)"
else
  echo "installing: chromium chromium-driver"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
fi

# 4. npm packages (playwright-core, binaryen). npm writes node_modules/.package-lock.json
#    on every install, so it serves as a stamp newer than package-lock.json.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing: npm packages"
  npm ci --no-audit --no-fund
else
  echo "ok: npm packages"
fi
