#!/usr/bin/env bash
# Installs everything `npm start` and `npm test` need, and only what is
# missing: quick when all is present. Safe to run again at any time.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

die() { printf '\033[1;31msetup failed:\033[0m %s\n' "$*" >&2; exit 1; }

# 1. The pinned nightly with rust-src and the wasm32 std (RUSTUP_AUTO_INSTALL=0
#    here: a toolchain named in rust-toolchain.toml is not installed on use).
command -v rustup >/dev/null || die "rustup is not installed. Install it from https://rustup.rs, then rerun npm test."
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
sysroot=$(rustup run "$toolchain" rustc --print sysroot 2>/dev/null || true)
if [ -z "$sysroot" ] || [ ! -d "$sysroot/lib/rustlib/wasm32-unknown-unknown" ] || [ ! -d "$sysroot/lib/rustlib/src/rust/library" ] \
   || ! rustup run "$toolchain" rustfmt --version >/dev/null 2>&1 || ! rustup run "$toolchain" cargo-clippy --version >/dev/null 2>&1; then
  say "installing Rust $toolchain with rust-src, rustfmt, clippy and wasm32-unknown-unknown (rustup toolchain install)"
  rustup toolchain install >&2
fi

# cargo install runs outside the project so that it uses the default
# toolchain (if any) rather than the pinned nightly.
cargo_install() { # crate version [extra cargo install args]
  local installer=(cargo)
  (cd / && cargo --version >/dev/null 2>&1) || installer=(cargo "+$toolchain")
  say "installing $1 $2 from crates.io (a few minutes, once)"
  # No --locked by default: wasm-pack's lock names a yanked dependency (see
  # TOOLCHAIN.md). A crate that builds only from its lock passes it as $3.
  (cd / && "${installer[@]}" install "$1" --version "$2" --force "${@:3}") >&2
}

# 2. wasm-bindgen-cli at exactly the version the crate pins.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  cargo_install wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
fi
# 3. wasm-pack (it finds the wasm-bindgen above on PATH instead of downloading one).
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  cargo_install wasm-pack "$WASM_PACK_VERSION"
fi

# 4. npm packages, from the lock file (includes wasm-opt from npm `binaryen`:
#    Debian's binaryen corrupts wasm-bindgen output).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund >&2
fi
[ -x node_modules/.bin/wasm-opt ] || die "node_modules/.bin/wasm-opt is missing: run npm ci"

# 5. Chromium and its driver, from Debian (a test tool cannot download a browser here).
#    A build-only job (the Pages deploy) sets WWP_SKIP_BROWSER=1.
if [ "${WWP_SKIP_BROWSER:-0}" != 1 ] && { [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ]; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing chromium and chromium-driver (apt-get)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >&2
  else
    die "Chromium is missing. Run: sudo apt-get install -y chromium chromium-driver (needs $CHROMIUM and $CHROMEDRIVER)"
  fi
fi
# 6. For `npm test` (setup.sh --test) only: Firefox ESR, the second engine
#    the e2e tests run in (tests/firefox/), from Debian. `npm start` does not need it.
if [ "${1:-}" = --test ] && [ "${WWP_SKIP_BROWSER:-0}" != 1 ] && [ ! -x "$FIREFOX" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing firefox-esr (apt-get)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr) >&2
  else
    die "Firefox ESR is missing for the Firefox tests. Run: sudo apt-get install -y firefox-esr (needs $FIREFOX)"
  fi
fi
# 7. For `npm test` only: geckodriver, which `wasm-pack test --firefox` drives
#    Firefox through. From crates.io at a pinned version, built from the lock
#    file it was released with.
if [ "${1:-}" = --test ] && [ "${WWP_SKIP_BROWSER:-0}" != 1 ] \
   && [ "$(geckodriver --version 2>/dev/null | awk 'NR==1{print $2}')" != "$GECKODRIVER_VERSION" ]; then
  cargo_install geckodriver "$GECKODRIVER_VERSION" --locked
fi
say "ready: $(rustup run "$toolchain" rustc --version), wasm-bindgen $WASM_BINDGEN_VERSION, wasm-pack $WASM_PACK_VERSION, $("$CHROMIUM" --version 2>/dev/null | head -1)"
