//! How a task's return decides its outcome, and dropping what a task leaves
//! without letting a panicking destructor take its thread down.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::{Interrupt, Outcome, TaskError};

/// The outcome rules: a panic is `Panicked`; an interrupt is `Cancelled` or
/// `TimedOut`; a result that arrives after the deadline is discarded as
/// `TimedOut` (Go's `select` on `ctx.Done()`); then `Failed` / `Succeeded`.
// snippet: panics/classify
pub(crate) fn classify(
    returned: std::thread::Result<Result<String, TaskError>>,
    ended_us: f64,
    deadline_us: Option<f64>,
) -> Outcome {
    let late = deadline_us.is_some_and(|d| ended_us > d);
    match returned {
        Err(payload) => Outcome::Panicked {
            message: panic_message(payload),
        },
        Ok(Err(TaskError::Interrupted(Interrupt::Cancelled))) => Outcome::Cancelled,
        Ok(Err(TaskError::Interrupted(Interrupt::TimedOut))) => Outcome::TimedOut,
        Ok(_) if late => Outcome::TimedOut,
        Ok(Err(TaskError::Failed(error))) => Outcome::Failed { error },
        Ok(Ok(output)) => Outcome::Succeeded { output },
    }
}
// end snippet: panics/classify

/// The message of a `&str` / `String` panic payload. The payload is dropped
/// under `catch_unwind`: a payload whose destructor panics must not take the
/// worker down.
pub(crate) fn panic_message(payload: Box<dyn Any + Send>) -> String {
    let message = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_string()
    };
    drop_quietly(payload);
    message
}

/// Drops a value, swallowing a panic from its destructor.
pub(crate) fn drop_quietly<T>(value: T) {
    if let Err(payload) = catch_unwind(AssertUnwindSafe(move || drop(value))) {
        // Dropping this payload could panic again: leak it instead.
        std::mem::forget(payload);
    }
}
