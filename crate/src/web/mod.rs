//! The web runtime: the portable core on Web Workers over shared memory.
//!
//! A thin adapter: [`thread`] spawns Rust threads as Web Workers, [`clock`]
//! reads `performance` aligned across workers, [`session`] is the session
//! the orchestrator worker drives from its event loop (it never blocks), and
//! [`info`] reports what the browser offers. See README.md for the design.

pub mod clock;
pub mod error;
pub mod info;
pub mod lessons;
pub mod session;
pub mod thread;

#[cfg(all(not(target_feature = "atomics"), not(doc)))]
compile_error!(
    "wasm-worker-pool needs shared memory: build from crate/ so that crate/.cargo/config.toml \
     applies (+atomics,+bulk-memory and --shared-memory), e.g. `npm run build:wasm`"
);
