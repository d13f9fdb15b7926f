// The tutorial's best-practices pool, practice by practice, as the settings
// and calls that implement them (the practices the pool implements inside
// are marked in its own source). Compiled and run by crate/tests/shown_code.rs.
use std::sync::Arc;

use wasm_worker_pool::{Pool, PoolConfig, Strategy, SystemClock, Task, TaskLimits, ThreadSpawner};

pub fn main() {
    let spawner = ThreadSpawner::new();
    let clock = Arc::new(SystemClock::new());
    // snippet: best-practices/13
    // CPU-bound work: about one worker per core; I/O-bound work can use more.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let workers = cores.clamp(1, 5);
    // end snippet: best-practices/13
    let config = PoolConfig {
        workers,
        // snippet: best-practices/2
        queue_capacity: 50, // buffered: submitters block only when 50 wait
        // end snippet: best-practices/2
        limits: TaskLimits {
            // snippet: best-practices/8
            timeout_ms: Some(1_000.0), // every task's deadline, from its start
            // end snippet: best-practices/8
            ..Default::default()
        },
        ..Default::default()
    };
    let pool = Pool::start(config, &spawner, clock).expect("valid");
    for id in 0..20 {
        // snippet: best-practices/1
        // Each task sees the run's cancellation and its deadline in `ctx`:
        // sleep_ms and checkpoint return Err once either fires.
        let task = Task::new(id, move |ctx| {
            ctx.checkpoint()?;
            ctx.sleep_ms(1.0)?;
            Ok(format!("task {id} done"))
        });
        // end snippet: best-practices/1
        pool.submit(task).expect("open");
    }
    // snippet: best-practices/15
    let stats = pool.stats();
    println!("queued {} (high-water {}), in flight {}", stats.queued, stats.queue_high_water, stats.in_flight);
    // end snippet: best-practices/15
    // snippet: best-practices/14
    pool.close(); // no more submits: the workers drain the queue and leave
    // end snippet: best-practices/14
    pool.join();
    // snippet: best-practices/11
    let stats = pool.stats(); // lock-free counters, per-worker states, percentiles
    println!(
        "{} succeeded, {} failed, {} timed out; queue wait p50 {:.0} µs",
        stats.succeeded, stats.failed, stats.timed_out, stats.queue_wait.p50_us
    );
    // end snippet: best-practices/11
    assert_eq!(stats.succeeded, 20);
    // snippet: best-practices/12
    // The pool's lifetime is the application's: dropping it cancels it,
    // and its workers leave on their own.
    drop(pool);
    // end snippet: best-practices/12
}
