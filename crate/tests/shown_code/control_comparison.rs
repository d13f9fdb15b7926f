// The "unlimited goroutines vs a pool" lesson's Rust: one thread per task,
// then a fixed pool over the same tasks. Compiled and run by
// crate/tests/shown_code.rs; the Lessons tab shows the marked regions.
use std::sync::Arc;
use std::time::Duration;

use wasm_worker_pool::{
    Clock, Pool, PoolConfig, SpawnPerTask, SpawnPerTaskConfig, Strategy, SystemClock, Task,
    ThreadSpawner,
};

fn process_task(id: u64) -> Task {
    Task::new(id, move |ctx| {
        ctx.sleep_ms(1.0)?;
        Ok(format!("task {id} done"))
    })
}

pub fn main() {
    let spawner = ThreadSpawner::new();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock::new());
    let tasks = || (0..100).map(process_task).collect::<Vec<_>>();

    // snippet: unlimited-vs-pool/wrong
    // One thread (on the web: a new Web Worker) per task, no limit.
    let config = SpawnPerTaskConfig {
        cap: None,
        ..Default::default()
    };
    let run = SpawnPerTask::start(config, tasks(), &spawner, clock.clone()).expect("valid");
    while !run.is_finished() {
        run.pump(&spawner); // spawns every waiting task at once
        std::thread::sleep(Duration::from_millis(1));
    }
    println!("one thread per task: {} threads at once", run.stats().peak_threads);
    // end snippet: unlimited-vs-pool/wrong
    assert_eq!(run.stats().succeeded, 100);

    // snippet: unlimited-vs-pool/right
    // A fixed pool fed by a bounded queue: jobs := make(chan Job, 100).
    let config = PoolConfig {
        workers: 8,
        queue_capacity: 100,
        ..Default::default()
    };
    let pool = Pool::start(config, &spawner, clock).expect("valid");
    for task in tasks() {
        pool.submit(task).expect("open"); // blocks while the queue is full
    }
    pool.close(); // close(jobs)
    let done = pool.results().iter().count(); // ends once every worker has left
    println!("a pool of 8: {done} results on {} threads", pool.stats().peak_threads);
    // end snippet: unlimited-vs-pool/right
    assert_eq!(done, 100);
    assert!(pool.stats().peak_threads <= 8);
}
