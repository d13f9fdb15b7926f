//! The tutorial's tasks, described as data rather than as closures: a
//! sleep, a CPU sum loop or nothing, that may fail, panic or trap. A
//! [`super::Task`] built from a [`TaskSpec`] allocates nothing.

use serde::{Deserialize, Serialize};
use std::hint::black_box;
use ts_rs::TS;

use super::{Interrupt, TaskContext, TaskError};

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

/// A simulated task, described as data: what it does and how it ends.
/// A seeded workload draws one per task id.
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
