use std::fmt;

use crate::config::ConfigError;
use crate::runtime::SpawnError;
use crate::task::Task;

/// Why a pool (or a rayon run) could not start.
#[derive(Debug, Clone, PartialEq)]
pub enum StartError {
    Config(ConfigError),
    Spawn(SpawnError),
}

impl From<ConfigError> for StartError {
    fn from(e: ConfigError) -> StartError {
        StartError::Config(e)
    }
}

impl From<SpawnError> for StartError {
    fn from(e: SpawnError) -> StartError {
        StartError::Spawn(e)
    }
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Config(e) => write!(f, "invalid configuration: {e}"),
            StartError::Spawn(e) => write!(f, "could not start the workers: {e}"),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Config(e) => Some(e),
            StartError::Spawn(e) => Some(e),
        }
    }
}

/// A task `submit` did not accept; the task is handed back.
pub enum SubmitError {
    /// The pool was closed (Go would panic: "send on closed channel").
    Closed(Task),
    /// The pool was cancelled (before or while the submitter was blocked).
    Cancelled(Task),
}

/// A task `try_submit` did not accept; the task is handed back.
pub enum TrySubmitError {
    /// The queue is full (for a rendezvous queue: no worker is waiting).
    Full(Task),
    Closed(Task),
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

impl fmt::Display for SubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubmitError::Closed(t) => write!(f, "task {} not submitted: the pool is closed", t.id),
            SubmitError::Cancelled(t) => {
                write!(f, "task {} not submitted: the pool was cancelled", t.id)
            }
        }
    }
}

impl fmt::Display for TrySubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySubmitError::Full(t) => write!(f, "task {} not submitted: the queue is full", t.id),
            TrySubmitError::Closed(t) => {
                write!(f, "task {} not submitted: the pool is closed", t.id)
            }
            TrySubmitError::Cancelled(t) => {
                write!(f, "task {} not submitted: the pool was cancelled", t.id)
            }
        }
    }
}

impl std::error::Error for SubmitError {}
impl std::error::Error for TrySubmitError {}
