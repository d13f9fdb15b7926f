#!/usr/bin/env bash
# Builds the wasm package into pkg/: release, threaded (shared memory), then
# optimised with npm binaryen's wasm-opt, then checked for shared memory.
# Usage: scripts/build-wasm.sh [--dev]   (--dev: debug build, no wasm-opt)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT/crate"
profile=--release
[ "${1:-}" = --dev ] && profile=--dev
# Run from crate/ so crate/.cargo/config.toml applies (atomics, shared memory,
# panic=unwind, build-std). Never pass RUSTFLAGS here: it would replace them.
wasm-pack --log-level warn build "$profile" --target web --out-dir ../pkg --out-name wasm_worker_pool --no-pack
cd "$ROOT"
rm -f pkg/.gitignore
if [ "$profile" = --release ]; then
  wasm-opt -O2 --enable-threads --enable-bulk-memory --enable-mutable-globals \
    --enable-exception-handling --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-reference-types --enable-multivalue \
    pkg/wasm_worker_pool_bg.wasm -o pkg/wasm_worker_pool_bg.wasm
fi
node scripts/check-shared-memory.mjs pkg/wasm_worker_pool_bg.wasm
