use serde::{Deserialize, Serialize};

/// How a task ended. Exactly one per submitted task.
///
/// JavaScript sees `{ kind: 'succeeded', output }`, `{ kind: 'failed', error }`,
/// `{ kind: 'panicked', message }`, `{ kind: 'timedOut' }`, `{ kind: 'cancelled' }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Outcome {
    Succeeded { output: String },
    Failed { error: String },
    Panicked { message: String },
    TimedOut,
    Cancelled,
}

impl Outcome {
    /// `"succeeded"`, `"failed"`, `"panicked"`, `"timedOut"` or `"cancelled"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Succeeded { .. } => "succeeded",
            Outcome::Failed { .. } => "failed",
            Outcome::Panicked { .. } => "panicked",
            Outcome::TimedOut => "timedOut",
            Outcome::Cancelled => "cancelled",
        }
    }

    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Succeeded { .. })
    }
}

/// One task's result: who ran it, when, and how it ended. Times are µs on the
/// run's clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskResult {
    pub task_id: u64,
    /// `None` when the task never started (cancelled while queued, or its
    /// thread was refused).
    pub worker_id: Option<usize>,
    /// When the task was handed to the run (`submit` was called; for
    /// spawn-per-task and rayon, when the run was created).
    pub enqueued_us: f64,
    /// When the task's closure began; `None` when it never started.
    pub started_us: Option<f64>,
    pub ended_us: f64,
    /// (start, end) of waiting for a connection.
    pub resource_wait: Option<(f64, f64)>,
    pub outcome: Outcome,
}
