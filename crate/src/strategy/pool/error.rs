use std::fmt;

use crate::config::ConfigError;
use crate::runtime::SpawnError;
use crate::task::Task;

/// Why `Pool::resize` did not change the pool.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResizeError {
    #[error("invalid worker count: {0}")]
    Config(#[from] ConfigError),
    /// Cancelled, finished, or no worker left: nothing can join it.
    #[error("the pool has ended: it can no longer be resized")]
    Ended,
    /// A new worker's thread could not be spawned (the workers spawned
    /// before it stay).
    #[error("could not start a new worker: {0}")]
    Spawn(SpawnError),
}

/// A task `submit` did not accept; the task is handed back.
#[derive(thiserror::Error)]
pub enum SubmitError {
    /// The pool was closed (Go would panic: "send on closed channel").
    #[error("task {} not submitted: the pool is closed", .0.id)]
    Closed(Task),
    /// The pool was cancelled (before or while the submitter was blocked).
    #[error("task {} not submitted: the pool was cancelled", .0.id)]
    Cancelled(Task),
}

/// A task `try_submit` did not accept; the task is handed back.
#[derive(thiserror::Error)]
pub enum TrySubmitError {
    /// The queue is full (for a rendezvous queue: no worker is waiting).
    #[error("task {} not submitted: the queue is full", .0.id)]
    Full(Task),
    #[error("task {} not submitted: the pool is closed", .0.id)]
    Closed(Task),
    #[error("task {} not submitted: the pool was cancelled", .0.id)]
    Cancelled(Task),
}

impl SubmitError {
    pub fn into_task(self) -> Task {
        match self {
            SubmitError::Closed(t) | SubmitError::Cancelled(t) => t,
        }
    }

    pub fn is_closed(&self) -> bool {
        matches!(self, SubmitError::Closed(_))
    }

    pub fn is_cancelled(&self) -> bool {
        matches!(self, SubmitError::Cancelled(_))
    }
}

impl TrySubmitError {
    pub fn into_task(self) -> Task {
        match self {
            TrySubmitError::Full(t) | TrySubmitError::Closed(t) | TrySubmitError::Cancelled(t) => t,
        }
    }

    pub fn is_full(&self) -> bool {
        matches!(self, TrySubmitError::Full(_))
    }

    pub fn is_closed(&self) -> bool {
        matches!(self, TrySubmitError::Closed(_))
    }

    pub fn is_cancelled(&self) -> bool {
        matches!(self, TrySubmitError::Cancelled(_))
    }
}

impl fmt::Debug for SubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubmitError::Closed(t) => write!(f, "Closed(task {})", t.id),
            SubmitError::Cancelled(t) => write!(f, "Cancelled(task {})", t.id),
        }
    }
}

impl fmt::Debug for TrySubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySubmitError::Full(t) => write!(f, "Full(task {})", t.id),
            TrySubmitError::Closed(t) => write!(f, "Closed(task {})", t.id),
            TrySubmitError::Cancelled(t) => write!(f, "Cancelled(task {})", t.id),
        }
    }
}
