//! The seeded workload of the playground: the tutorial's tasks (sleep, CPU
//! sum loop, no-op), with deterministic failures and panics per task id
//! (see README.md).

mod rng;

use serde::{Deserialize, Serialize};
use std::hint::black_box;
use ts_rs::TS;

use crate::config::{check_f64_range, check_rate, check_u64, check_u64_range, ConfigError};
use crate::task::{Interrupt, Task, TaskContext, TaskError};
use rng::{draw, unit, Stream};

/// Most tasks in one run.
pub const MAX_TASKS: u64 = 1_000_000;
/// Longest simulated sleep (one minute).
pub const MAX_SLEEP_MS: f64 = 60_000.0;
/// Most iterations of the CPU loop.
pub const MAX_CPU_ITERATIONS: u64 = 10_000_000_000;

/// What the tasks do. JavaScript sees `'cpu' | 'sleep' | 'noop'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TaskKind {
    /// The tutorial's `doWork`: a sum loop.
    Cpu,
    /// The tutorial's `time.Sleep(rand)`: I/O-like waiting.
    #[default]
    Sleep,
    /// Nothing: measures dispatch overhead.
    Noop,
}

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

/// One task of a workload, fully determined by (config, id).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSpec {
    pub id: u64,
    pub kind: TaskKind,
    /// Iterations of the sum loop (0 unless `Cpu`).
    pub iterations: u64,
    /// Sleep in ms (0 unless `Sleep`).
    pub sleep_ms: f64,
    pub fails: bool,
    pub panics: bool,
    /// Kills its thread (see [`crate::runtime::trap`]) while holding its
    /// connection, if it uses one.
    pub traps: bool,
    pub use_connection: bool,
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
        self.specs().map(TaskSpec::into_task)
    }
}

impl TaskSpec {
    /// Runs the task: takes a connection first if it uses one (held for the
    /// work, like a DB query), does the work, then panics or fails as drawn.
    pub fn execute(&self, ctx: &TaskContext<'_>) -> Result<String, TaskError> {
        let permit = if self.use_connection {
            Some(ctx.acquire_connection()?)
        } else {
            None
        };
        let detail = match self.kind {
            TaskKind::Cpu => Some(format!(" (sum {})", do_work(self.iterations, ctx)?)),
            TaskKind::Sleep => {
                ctx.sleep_ms(self.sleep_ms)?;
                Some(format!(" (slept {:.1} ms)", self.sleep_ms))
            }
            // A no-op measures dispatch: no formatting, no allocation.
            TaskKind::Noop => None,
        };
        if self.traps {
            crate::runtime::trap();
        }
        drop(permit);
        if self.panics {
            panic!("task {}: simulated panic", self.id);
        }
        if self.fails {
            return Err(TaskError::Failed(format!(
                "task {}: random processing error",
                self.id
            )));
        }
        Ok(match detail {
            Some(detail) => format!(
                "task {}: processed by worker {}{detail}",
                self.id,
                ctx.worker_id()
            ),
            None => String::new(),
        })
    }

    pub fn into_task(self) -> Task {
        Task::from_spec(self)
    }
}

/// Iterations between two checks of cancel/deadline in [`do_work`].
pub const DO_WORK_CHECK_EVERY: u64 = 1 << 16;

/// The tutorial's `doWork`: `sum += i` for `i` in `0..iterations`, with
/// `black_box` so that the loop is not folded into a formula, checking `ctx`
/// (cancel, deadline) every 2^16 iterations.
pub fn do_work(iterations: u64, ctx: &TaskContext<'_>) -> Result<u64, Interrupt> {
    let mut sum = 0u64;
    let mut i = 0u64;
    while i < iterations {
        ctx.checkpoint()?;
        let end = (i | (DO_WORK_CHECK_EVERY - 1))
            .saturating_add(1)
            .min(iterations);
        sum = sum_range(sum, i, end);
        i = end;
    }
    Ok(black_box(sum))
}

/// The loop itself, never inlined: every caller (a pool worker, a rayon
/// thread, a serial baseline) runs the same machine code, so timings compare.
#[inline(never)]
fn sum_range(mut sum: u64, start: u64, end: u64) -> u64 {
    for j in start..end {
        sum = sum.wrapping_add(black_box(j));
    }
    sum
}

#[cfg(all(test, not(loom), not(target_arch = "wasm32")))]
mod tests;
