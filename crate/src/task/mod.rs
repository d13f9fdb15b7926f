#![doc = include_str!("README.md")]

pub(crate) mod context;
pub(crate) mod exec;
mod outcome;
mod spec;

pub use context::{ConnectionPermit, TaskContext};
pub use outcome::{Fault, Outcome, OutcomeCounts, OutcomeKind, TaskResult};
pub use spec::{do_work, TaskKind, TaskSpec, DO_WORK_CHECK_EVERY};

use std::fmt;

/// Why a task stopped early: the run was cancelled, or the task is past its
/// deadline (Go's `ctx.Err()`: `Canceled` / `DeadlineExceeded`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Interrupt {
    #[error("cancelled")]
    Cancelled,
    #[error("timed out")]
    TimedOut,
}

/// How a task can fail without panicking.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    /// An ordinary error (the tutorial's "random processing error").
    #[error("{0}")]
    Failed(String),
    /// The task gave up because of a cancel or its deadline.
    #[error("interrupted: {0}")]
    Interrupted(#[from] Interrupt),
}

impl TaskError {
    pub fn failed(message: impl Into<String>) -> TaskError {
        TaskError::Failed(message.into())
    }
}

type TaskFn = Box<dyn FnOnce(&TaskContext<'_>) -> Result<String, TaskError> + Send + 'static>;

/// What a task runs.
enum Work {
    Closure(TaskFn),
    /// A generated workload task: plain data, so submitting it allocates
    /// nothing. On wasm every allocation takes the one global allocator
    /// lock, shared by the submitter and the workers.
    Spec(TaskSpec),
}

/// A unit of work: an id and a closure run once on some thread.
pub struct Task {
    pub id: u64,
    work: Work,
}

impl Task {
    pub fn new(
        id: u64,
        f: impl FnOnce(&TaskContext<'_>) -> Result<String, TaskError> + Send + 'static,
    ) -> Task {
        Task {
            id,
            work: Work::Closure(Box::new(f)),
        }
    }

    /// A workload task, run by [`TaskSpec::execute`] without boxing.
    pub fn from_spec(spec: TaskSpec) -> Task {
        Task {
            id: spec.id,
            work: Work::Spec(spec),
        }
    }

    /// Runs the task directly on this thread (no catch_unwind): for serial
    /// baselines and tests.
    pub fn execute(self, ctx: &TaskContext<'_>) -> Result<String, TaskError> {
        match self.work {
            Work::Closure(f) => f(ctx),
            Work::Spec(spec) => spec.execute(ctx),
        }
    }
}

impl fmt::Debug for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

#[cfg(all(test, not(loom), not(target_arch = "wasm32")))]
mod tests;
