#![doc = include_str!("README.md")]

mod arrivals;
mod rng;

pub use arrivals::Arrivals;

use crate::config::{check_f64_range, check_rate, check_u64, check_u64_range, ConfigError};
use crate::task::{Task, TaskKind, TaskSpec};
use rng::{draw, unit, Stream};

/// Most tasks in one run.
pub const MAX_TASKS: u64 = 1_000_000;
/// Longest simulated sleep (one minute).
pub const MAX_SLEEP_MS: f64 = 60_000.0;
/// Most iterations of the CPU loop.
pub const MAX_CPU_ITERATIONS: u64 = 10_000_000_000;

/// A seeded workload: `tasks` tasks, ids `0..tasks`.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadConfig {
    /// 1..=1_000_000.
    pub tasks: u64,
    pub kind: TaskKind,
    /// `[min, max]` ms for `Sleep`, 0 <= min <= max <= 60_000.
    pub sleep_ms: (f64, f64),
    /// `[min, max]` iterations for `Cpu`, min <= max <= 10_000_000_000.
    pub cpu_iterations: (u64, u64),
    /// Share of tasks that return an error, finite, 0..=1.
    pub failure_rate: f64,
    /// Share of tasks that panic, finite, 0..=1 (a panic wins over a failure).
    pub panic_rate: f64,
    /// Share of tasks that trap, finite, 0..=1: the thread running one dies
    /// without unwinding, like a WebAssembly `unreachable` (wins over both).
    pub trap_rate: f64,
    /// Every task holds a connection while it works.
    pub use_connection: bool,
    pub seed: u64,
}

impl Default for WorkloadConfig {
    fn default() -> Self {
        WorkloadConfig {
            tasks: 200,
            kind: TaskKind::Sleep,
            sleep_ms: (5.0, 20.0),
            cpu_iterations: (100_000, 1_000_000),
            failure_rate: 0.1,
            panic_rate: 0.0,
            trap_rate: 0.0,
            use_connection: false,
            seed: 42,
        }
    }
}

impl WorkloadConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_u64("tasks", self.tasks, 1, MAX_TASKS)?;
        check_f64_range("sleepMs", self.sleep_ms, 0.0, MAX_SLEEP_MS)?;
        check_u64_range("cpuIterations", self.cpu_iterations, 0, MAX_CPU_ITERATIONS)?;
        check_rate("failureRate", self.failure_rate)?;
        check_rate("panicRate", self.panic_rate)?;
        check_rate("trapRate", self.trap_rate)?;
        Ok(())
    }

    /// The task with this id (a pure function of the config and the id).
    pub fn spec(&self, id: u64) -> TaskSpec {
        let seed = self.seed;
        let fails = unit(draw(seed, id, Stream::Fail)) < self.failure_rate;
        let panics = unit(draw(seed, id, Stream::Panic)) < self.panic_rate;
        let traps = unit(draw(seed, id, Stream::Trap)) < self.trap_rate;
        let iterations = match self.kind {
            TaskKind::Cpu => {
                let (min, max) = self.cpu_iterations;
                let span = max.saturating_sub(min);
                if span == 0 {
                    min
                } else {
                    min + draw(seed, id, Stream::Iterations) % (span + 1)
                }
            }
            _ => 0,
        };
        let sleep_ms = match self.kind {
            TaskKind::Sleep => {
                let (min, max) = self.sleep_ms;
                min + unit(draw(seed, id, Stream::Sleep)) * (max - min)
            }
            _ => 0.0,
        };
        TaskSpec {
            id,
            kind: self.kind,
            iterations,
            sleep_ms,
            fails,
            panics,
            traps,
            use_connection: self.use_connection,
        }
    }

    /// Every task, ids `0..tasks`.
    pub fn specs(&self) -> impl Iterator<Item = TaskSpec> + Send + 'static {
        let config = self.clone();
        (0..config.tasks).map(move |id| config.spec(id))
    }

    /// Every task, ready to submit.
    pub fn tasks(&self) -> impl Iterator<Item = Task> + Send + 'static {
        self.specs().map(Task::from_spec)
    }
}

#[cfg(all(test, not(loom), not(target_arch = "wasm32")))]
mod tests;
