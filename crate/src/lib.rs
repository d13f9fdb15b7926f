//! wasm-worker-pool: a bounded worker pool in portable Rust, run natively on
//! std threads and in the browser on Web Workers over shared memory.
//!
//! The portable core (everything but `web`) uses no browser API: it is generic
//! over how threads are spawned ([`runtime::Spawner`]) and how time is read
//! ([`runtime::Clock`]).
//!
//! | module | what |
//! |---|---|
//! | [`runtime`] | `Spawner`, `Clock`; native `ThreadSpawner`, `SystemClock` |
//! | [`config`] | `PoolConfig`, `ConfigError`, the shared checks |
//! | [`task`] | `Task`, `TaskContext` (cancel, deadline, connections), `Outcome`, `TaskResult` |
//! | [`pool`] | `Pool`: N workers, a bounded queue, close / cancel / join |
//! | [`spawn_per_task`] | `SpawnPerTask`: one thread per task, for comparison |
//! | [`rayon_run`] | `RayonRun`: rayon's work stealing over the same spawner |
//! | [`stats`] | `StatsSnapshot`: atomics and lock-free histograms |
//! | [`strategy`] | the contract the three strategies share, and their shared run core |
//! | [`workload`] | the seeded, deterministic tasks of the playground |
//! | [`session`] | one run of one strategy from a `RunConfig` (what JavaScript sends) to a `RunSummary` |
//! | `sync` (private) | our own primitives (latch, semaphore, close-once), loom-checked |

// No `unsafe` anywhere: thread bodies cross into JavaScript by id, not by pointer.
#![forbid(unsafe_code)]

pub mod config;
pub mod pool;
pub mod rayon_run;
pub mod runtime;
pub mod session;
pub mod spawn_per_task;
pub mod stats;
pub mod strategy;
mod sync;
pub mod task;
pub mod workload;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use config::{ConfigError, PoolConfig};
pub use pool::{Pool, SubmitError, TrySubmitError};
pub use rayon_run::{RayonConfig, RayonRun};
pub use runtime::{Clock, SpawnError, Spawner};
#[cfg(not(target_arch = "wasm32"))]
pub use runtime::{SystemClock, ThreadSpawner};
pub use session::{RunConfig, RunSummary, Session, SessionError, StrategyKind};
pub use spawn_per_task::{SpawnPerTask, SpawnPerTaskConfig};
pub use stats::{Percentiles, StatsSnapshot, WorkerSnapshot, WorkerState};
pub use strategy::{StartError, Strategy};
pub use task::{
    do_work, ConnectionPermit, Interrupt, Outcome, Task, TaskContext, TaskError, TaskKind,
    TaskResult, TaskSpec,
};
pub use workload::WorkloadConfig;

/// The channel crate of [`Pool::results`] and friends, re-exported so that
/// callers name the same `Receiver` type.
pub use crossbeam_channel;
