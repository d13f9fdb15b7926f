//! wasm-worker-pool: a bounded worker pool in portable Rust, run natively on
//! std threads and in the browser on Web Workers over shared memory.
//!
//! The portable core (everything but `web`) uses no browser API: it is generic
//! over how threads are spawned ([`runtime::Spawner`]) and how time is read
//! ([`runtime::Clock`]).
//!
//! The modules are layers, bottom to top; each uses only those below it
//! (`tests/layers.test.mjs` checks):
//!
//! | layer | modules | what |
//! |---|---|---|
//! | primitives | `sync` (private), [`config`] | latch, semaphore, close-once (loom-checked); `PoolConfig`, `ConfigError`, the shared checks |
//! | threads | [`runtime`] | `Spawner`, `Clock`, thread faults; native `ThreadSpawner`, `SystemClock` |
//! | tasks | [`task`] | `Task`, `TaskSpec`, `TaskContext` (cancel, deadline, connections), `Outcome`, `TaskResult` |
//! | measuring, generating | [`stats`], [`workload`] | live counters and lock-free histograms; the seeded tasks of the playground |
//! | strategies | [`strategy`] | the contract and run core the three share, and [`strategy::pool`] (`Pool`), [`strategy::spawn_per_task`] (`SpawnPerTask`), [`strategy::rayon_run`] (`RayonRun`), which do not use each other |
//! | sessions | [`session`] | one run of one strategy from a `RunConfig` to a `RunSummary`; the common-error demonstrations; the wire types |
//! | web | `web` (wasm32 only) | the adapter: Web Worker spawner, clock, wasm-bindgen glue |

// No `unsafe` anywhere: thread bodies cross into JavaScript by id, not by pointer.
#![forbid(unsafe_code)]

pub mod config;
pub mod runtime;
pub mod session;
pub mod stats;
pub mod strategy;
mod sync;
pub mod task;
pub mod workload;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use config::{ConfigError, PoolConfig, TaskLimits};
pub use runtime::{Clock, SpawnError, Spawner, WarmPolicy, WarmSpawner};
#[cfg(not(target_arch = "wasm32"))]
pub use runtime::{SystemClock, ThreadSpawner};
pub use session::{RunConfig, RunSummary, Session, SessionError, StrategyKind};
pub use stats::{Percentiles, StatsSnapshot, WorkerSnapshot, WorkerState};
pub use strategy::pool::{Pool, ResizeError, SubmitError, Submitter, TrySubmitError};
pub use strategy::rayon_run::{RayonConfig, RayonRun};
pub use strategy::spawn_per_task::{SpawnPerTask, SpawnPerTaskConfig};
pub use strategy::{Results, StartError, Strategy};
pub use task::{
    do_work, ConnectionPermit, Interrupt, Outcome, Task, TaskContext, TaskError, TaskKind,
    TaskResult, TaskSpec,
};
pub use workload::WorkloadConfig;

/// The channel crate of [`Results`]' errors and friends, re-exported so that
/// callers name the same types.
pub use crossbeam_channel;
