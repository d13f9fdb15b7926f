// The "traps" lesson's Rust: a pool that replaces a worker whose thread
// died. Compiled and run by crate/tests/shown_code.rs (natively no thread
// traps; in the browser a trapRate makes some).
use std::sync::Arc;

use wasm_worker_pool::{Pool, PoolConfig, Strategy, SystemClock, Task, ThreadSpawner};

pub fn main() {
    let spawner = ThreadSpawner::new();
    let clock = Arc::new(SystemClock::new());
    // snippet: traps/config
    let config = PoolConfig {
        workers: 4,
        // A worker whose thread dies (a wasm trap: no unwinding) is
        // replaced in its lane; the task it ran ends Failed, "thread died".
        replace_dead_workers: true,
        ..Default::default()
    };
    let pool = Pool::start(config, &spawner, clock).expect("valid");
    // end snippet: traps/config
    for id in 0..8 {
        pool.submit(Task::new(id, move |_ctx| Ok(format!("task {id}")))).expect("open");
    }
    pool.close();
    pool.join();
    assert_eq!(pool.results().try_iter().count(), 8);
}
