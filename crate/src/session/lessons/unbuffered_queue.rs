//! An unbuffered queue nobody reads: in Go, a deadlock; here, backpressure.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::{observed, quick_task, CommonError, CommonErrorReport, Env, Helper, Observed};
use crate::{Pool, Strategy};

const TASKS: u64 = 20;

pub(super) struct State {
    pool: Arc<Pool>,
    helper: Arc<Helper>,
}

pub(super) fn start(env: &Env) -> Result<State, String> {
    let pool = env.start_pool(2, 0)?;
    let helper = Arc::new(Helper::default());
    env.spawn_helper(&helper, {
        let pool = pool.clone();
        let clock = env.clock.clone();
        move |helper| {
            // Submit everything before reading any result: in Go with
            // unbuffered jobs and results, this deadlocks.
            for id in 0..TASKS {
                let before = clock.now_us();
                if pool.submit(quick_task(id)).is_err() {
                    break;
                }
                helper
                    .blocked_us
                    .fetch_add((clock.now_us() - before) as u64, Ordering::Relaxed);
                helper.value.fetch_add(1, Ordering::Relaxed);
            }
            pool.close();
        }
    })?;
    Ok(State { pool, helper })
}

pub(super) fn step(s: &mut State) -> Option<CommonErrorReport> {
    if !(s.helper.is_done() && s.pool.is_finished()) {
        return None;
    }
    let stats = s.pool.stats();
    let submitted = s.helper.value.load(Ordering::Acquire);
    let blocked_ms = s.helper.blocked_us.load(Ordering::Acquire) as f64 / 1000.0;
    Some(CommonErrorReport {
        error: CommonError::UnbufferedQueue,
        title: "Unbuffered queue nobody reads",
        symptom: "In Go, with unbuffered jobs and results channels, a main goroutine that sends every job before reading any result deadlocks: \"all goroutines are asleep\".",
        detected: format!(
            "A capacity-0 (rendezvous) queue took {submitted} tasks from a submitter that read no results; it spent {blocked_ms:.1} ms blocked handing tasks over (backpressure), the queue never held a task (high-water {}), and all {} results arrived.",
            stats.queue_high_water,
            stats.completed()
        ),
        prevention: "The results stream is unbounded and owned by the pool, so workers never block on delivering a result: a rendezvous queue gives backpressure, not deadlock.",
        observed: observed([
            ("submitted", Observed::Number(submitted as f64)),
            ("completed", Observed::Number(stats.completed() as f64)),
            ("submitterBlockedMs", Observed::Number(blocked_ms)),
            ("queueHighWater", Observed::Number(stats.queue_high_water as f64)),
        ]),
    })
}
