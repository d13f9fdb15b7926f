#![doc = include_str!("README.md")]

pub mod clock;
pub mod error;
pub mod info;
pub mod lessons;
pub mod session;
pub mod thread;
pub mod warm;

#[cfg(all(not(target_feature = "atomics"), not(doc)))]
compile_error!(
    "wasm-worker-pool needs shared memory: build from crate/ so that crate/.cargo/config.toml \
     applies (+atomics,+bulk-memory and --shared-memory), e.g. `npm run build:wasm`"
);
