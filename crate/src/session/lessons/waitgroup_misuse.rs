//! WaitGroup misuse: the pool's own wait group cannot be misused.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::{observed, quick_task, CommonError, CommonErrorReport, Env, Helper, Observed};
use crate::{Pool, Strategy, WorkerState};

const TASKS: u64 = 6;

pub(super) struct State {
    pool: Arc<Pool>,
    helper: Arc<Helper>,
}

pub(super) fn start(env: &Env) -> Result<State, String> {
    let pool = env.start_pool(3, 16)?;
    for id in 0..TASKS {
        pool.submit(quick_task(id)).map_err(|e| e.to_string())?;
    }
    pool.close();
    let helper = Arc::new(Helper::default());
    env.spawn_helper(&helper, {
        let pool = pool.clone();
        move |helper| {
            // join() is the pool's own wait group: it returns only once
            // every worker has exited.
            pool.join();
            let exited = pool
                .stats()
                .workers
                .iter()
                .filter(|w| matches!(w.state, WorkerState::Exited))
                .count();
            helper.value.store(exited as u64, Ordering::Release);
        }
    })?;
    Ok(State { pool, helper })
}

pub(super) fn step(s: &mut State) -> Option<CommonErrorReport> {
    if !s.helper.is_done() {
        return None;
    }
    let exited = s.helper.value.load(Ordering::Acquire);
    let workers = s.pool.workers() as u64;
    let completed = s.pool.stats().completed();
    Some(CommonErrorReport {
        error: CommonError::WaitGroupMisuse,
        title: "WaitGroup misuse",
        symptom: "In Go, wg.Add inside the goroutine lets Wait return before the work starts, and one Done too many panics with \"negative WaitGroup counter\".",
        detected: format!(
            "join() returned with {exited} of {workers} workers exited and {completed} of {TASKS} tasks completed: it cannot return early."
        ),
        prevention: "There is no WaitGroup to misuse: the pool counts its own workers when it starts them, and join() (also run by Drop) waits for exactly those.",
        observed: observed([
            ("workers", Observed::Number(workers as f64)),
            ("exitedWhenJoinReturned", Observed::Number(exited as f64)),
            ("completed", Observed::Number(completed as f64)),
        ]),
    })
}
