//! wasm-worker-pool: a bounded worker pool in portable Rust.
