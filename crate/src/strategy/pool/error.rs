use std::fmt;

use crate::task::Task;

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
