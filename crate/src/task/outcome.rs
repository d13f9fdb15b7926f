use serde::Serialize;
use ts_rs::TS;

/// How a task ended. Exactly one per submitted task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Succeeded { output: String },
    Failed { error: String },
    Panicked { message: String },
    TimedOut,
    Cancelled,
}

/// The five outcomes, in the one order everything counts them in: stats,
/// the session's tally, the timeline's outcome codes and JavaScript's
/// `OUTCOMES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum OutcomeKind {
    Succeeded = 0,
    Failed = 1,
    Panicked = 2,
    TimedOut = 3,
    Cancelled = 4,
}

impl OutcomeKind {
    pub const ALL: [OutcomeKind; 5] = [
        OutcomeKind::Succeeded,
        OutcomeKind::Failed,
        OutcomeKind::Panicked,
        OutcomeKind::TimedOut,
        OutcomeKind::Cancelled,
    ];

    /// Position in [`OutcomeKind::ALL`] (the timeline's outcome code).
    pub fn index(self) -> usize {
        self as usize
    }

    /// `"succeeded"`, `"failed"`, `"panicked"`, `"timedOut"` or `"cancelled"`.
    pub fn name(self) -> &'static str {
        match self {
            OutcomeKind::Succeeded => "succeeded",
            OutcomeKind::Failed => "failed",
            OutcomeKind::Panicked => "panicked",
            OutcomeKind::TimedOut => "timedOut",
            OutcomeKind::Cancelled => "cancelled",
        }
    }
}

/// Counts by [`OutcomeKind`], in its order.
pub type OutcomeCounts = [u64; 5];

impl Outcome {
    pub fn kind(&self) -> OutcomeKind {
        match self {
            Outcome::Succeeded { .. } => OutcomeKind::Succeeded,
            Outcome::Failed { .. } => OutcomeKind::Failed,
            Outcome::Panicked { .. } => OutcomeKind::Panicked,
            Outcome::TimedOut => OutcomeKind::TimedOut,
            Outcome::Cancelled => OutcomeKind::Cancelled,
        }
    }

    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Succeeded { .. })
    }
}

/// One task's result: who ran it, when, and how it ended. Times are µs on the
/// run's clock.
#[derive(Debug, Clone, PartialEq)]
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
    pub connection_wait: Option<(f64, f64)>,
    pub outcome: Outcome,
    /// When the task failed because of the machinery, not the task: what
    /// went wrong.
    pub fault: Option<Fault>,
}

/// A machinery failure that ended a task `Failed`: the task itself did not
/// fail, its thread did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The spawner refused the task's thread (a live-thread limit).
    SpawnRefused,
    /// The thread was accepted but never started (on the web: its script or
    /// the module failed to load).
    FailedToStart,
    /// The thread died without unwinding (on the web: a wasm trap), or the
    /// task was lost with a run that a dying thread broke.
    ThreadDied,
}
