# Sourced by every script: where the tools that setup.sh installs live.
# (cargo-installed tools are not on a fresh machine's PATH; npm's are local.)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$ROOT/node_modules/.bin:$PATH"
# Pinned versions: keep in step with crate/Cargo.toml (wasm-bindgen = "=...").
WASM_BINDGEN_VERSION=0.2.130
WASM_PACK_VERSION=0.15.1
CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver
# The second engine of the e2e tests (tests/firefox/): Debian's Firefox ESR.
FIREFOX=/usr/bin/firefox-esr
# The WebDriver server wasm-pack test --firefox drives it through (crates.io).
GECKODRIVER_VERSION=0.37.1
say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }
