// The "cancellation and timeouts" lesson's Rust. Compiled and run by
// crate/tests/shown_code.rs; the Lessons tab shows the marked region.
use std::sync::Arc;

use wasm_worker_pool::{Outcome, Pool, PoolConfig, Strategy, SystemClock, Task, TaskLimits, ThreadSpawner};

pub fn main() {
    let spawner = ThreadSpawner::new();
    let clock = Arc::new(SystemClock::new());
    // snippet: cancel-timeout
    // context.WithTimeout for every task: a deadline from its start.
    let config = PoolConfig {
        workers: 3,
        limits: TaskLimits {
            timeout_ms: Some(50.0),
            ..Default::default()
        },
        ..Default::default()
    };
    let pool = Pool::start(config, &spawner, clock).expect("valid");
    for id in 0..9 {
        let work_ms = if id % 3 == 0 { 500.0 } else { 1.0 };
        pool.submit(Task::new(id, move |ctx| {
            // Err(TimedOut) past the deadline, Err(Cancelled) after
            // pool.cancel(): the task stops early, nothing is killed.
            ctx.sleep_ms(work_ms)?;
            Ok(format!("task {id} done"))
        }))
        .expect("open");
    }
    pool.close();
    // pool.cancel() would end every queued task Outcome::Cancelled.
    // end snippet: cancel-timeout
    pool.join();
    let results: Vec<_> = pool.results().try_iter().collect();
    let timed_out = results.iter().filter(|r| matches!(r.outcome, Outcome::TimedOut)).count();
    assert_eq!(results.len(), 9);
    assert_eq!(timed_out, 3);
}
