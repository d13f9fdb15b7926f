//! A queue never closed: workers ranging over an open queue wait for ever.

use std::sync::Arc;

use super::{observed, quick_task, CommonError, CommonErrorReport, Env, Observed};
use crate::{Pool, Strategy, WorkerState};

const TASKS: u64 = 8;
const WORKERS: usize = 4;
/// How long idle workers must sit on an open queue before we call it a leak.
const LEAK_GRACE_US: f64 = 200_000.0;
/// How long the workers may take to leave once the pool is dropped.
const LEAVE_LIMIT_US: f64 = 10_000_000.0;

pub(super) struct State {
    started_us: f64,
    threads_before: usize,
    pool: Option<Arc<Pool>>,
    all_done_at_us: Option<f64>,
    /// Once the leak was seen and the pool dropped: idle workers, and for how long.
    dropped: Option<(u64, f64)>,
}

pub(super) fn start(env: &Env) -> Result<State, String> {
    let threads_before = env.spawner.live_threads().unwrap_or(0);
    let pool = env.start_pool(WORKERS, 16)?;
    for id in 0..TASKS {
        pool.submit(quick_task(id)).map_err(|e| e.to_string())?;
    }
    // The mistake: no close(). The workers will wait for more work.
    Ok(State {
        started_us: env.now_us(),
        threads_before,
        pool: Some(pool),
        all_done_at_us: None,
        dropped: None,
    })
}

pub(super) fn step(s: &mut State, env: &Env) -> Option<CommonErrorReport> {
    let now = env.now_us();
    let Some((idle_workers, leaked_for_us)) = s.dropped else {
        let pool = s.pool.as_ref()?;
        if pool.stats().completed() < TASKS {
            return None;
        }
        let all_done = *s.all_done_at_us.get_or_insert(now);
        if now - all_done < LEAK_GRACE_US {
            return None;
        }
        let idle = pool
            .stats()
            .workers
            .iter()
            .filter(|w| matches!(w.state, WorkerState::Idle))
            .count() as u64;
        // The fix the Rust API makes automatic: dropping the pool cancels
        // it, the workers drain the queue and leave (watched below).
        s.pool = None;
        s.dropped = Some((idle, now - all_done));
        return None;
    };
    let left = env
        .spawner
        .live_threads()
        .unwrap_or(0)
        .saturating_sub(s.threads_before);
    if left > 0 && now - s.started_us < LEAVE_LIMIT_US {
        return None;
    }
    Some(CommonErrorReport {
        error: CommonError::QueueNeverClosed,
        title: "A queue never closed",
        symptom: "In Go, workers ranging over a jobs channel that is never closed wait forever: a goroutine leak that grows with every pool.",
        detected: format!(
            "All {TASKS} tasks finished, yet {idle_workers} of {WORKERS} workers were still alive and idle on the open queue {:.0} ms later: leaked. Dropping the pool closed the queue and they exited: {left} left.",
            leaked_for_us / 1000.0
        ),
        prevention: "Drop for Pool cancels it: its workers drain the queue and leave on their own, so a pool that goes out of scope without close() takes its threads with it (join() waits for them where waiting is allowed).",
        observed: observed([
            ("tasks", Observed::Number(TASKS as f64)),
            ("idleWorkersAfterWork", Observed::Number(idle_workers as f64)),
            ("idleForMs", Observed::Number(leaked_for_us / 1000.0)),
            ("threadsLeftAfterDrop", Observed::Number(left as f64)),
        ]),
    })
}
