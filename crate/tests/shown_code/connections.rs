// The "10 workers sharing 3 connections" lesson's Rust. Compiled and run by
// crate/tests/shown_code.rs; the Lessons tab shows the marked region.
use std::sync::Arc;

use wasm_worker_pool::{Pool, PoolConfig, Strategy, SystemClock, Task, TaskLimits, ThreadSpawner};

fn query(id: u64) -> Result<String, wasm_worker_pool::TaskError> {
    Ok(format!("row {id}"))
}

pub fn main() {
    let spawner = ThreadSpawner::new();
    let clock = Arc::new(SystemClock::new());
    // snippet: connections
    let config = PoolConfig {
        workers: 10,
        limits: TaskLimits {
            connections: Some(3), // the database allows 3 at once
            ..Default::default()
        },
        ..Default::default()
    };
    let pool = Pool::start(config, &spawner, clock).expect("valid");
    for id in 0..30 {
        pool.submit(Task::new(id, move |ctx| {
            // Waits for one of the 3 connections (gives up on cancel or
            // deadline); the wait is recorded in the task's result.
            let _connection = ctx.acquire_connection()?;
            ctx.sleep_ms(2.0)?;
            query(id)
        })) // the connection is released when `_connection` drops
        .expect("open");
    }
    pool.close();
    // end snippet: connections
    pool.join();
    let stats = pool.stats();
    assert_eq!(stats.succeeded, 30);
    assert!(stats.connections_peak <= 3, "{}", stats.connections_peak);
}
