//! Send after close: Go panics; here `submit` returns `Err(Closed)`.

use std::sync::Arc;

use super::{observed, quick_task, CommonError, CommonErrorReport, Env, Observed};
use crate::{Pool, Strategy, SubmitError};

pub(super) struct State {
    pool: Arc<Pool>,
    submit_after_close: String,
}

pub(super) fn start(env: &Env) -> Result<State, String> {
    let pool = env.start_pool(2, 16)?;
    for id in 0..3 {
        pool.submit(quick_task(id)).map_err(|e| e.to_string())?;
    }
    pool.close();
    pool.close(); // a second close is harmless (Go: panic: close of closed channel)
    let submit_after_close = match pool.submit(quick_task(3)) {
        Err(SubmitError::Closed(task)) => format!("Err(Closed) for task {}", task.id),
        Err(other) => format!("an error, but not Closed: {other}"),
        Ok(()) => "Ok (the task was accepted!)".into(),
    };
    Ok(State {
        pool,
        submit_after_close,
    })
}

pub(super) fn step(s: &mut State) -> Option<CommonErrorReport> {
    if !s.pool.is_finished() {
        return None;
    }
    let completed = s.pool.stats().completed();
    Some(CommonErrorReport {
        error: CommonError::SendAfterClose,
        title: "Send after close",
        symptom: "In Go, sending on a closed channel panics (\"send on closed channel\"), and closing it twice panics too.",
        detected: format!(
            "close() was called twice without harm; the submit after close returned {}; the {completed} tasks submitted before close all completed.",
            s.submit_after_close
        ),
        prevention: "Pool::submit returns Err(SubmitError::Closed(task)) after close, handing the task back; close() is idempotent, like sync.Once.",
        observed: observed([
            ("submitAfterClose", Observed::Text(s.submit_after_close.clone())),
            ("completedBeforeClose", Observed::Number(completed as f64)),
            ("secondCloseHarmless", Observed::Flag(true)),
        ]),
    })
}
