// Cargo.toml: wasm-worker-pool = { path = "crate" } (this repository), run natively on std threads.
use std::sync::Arc;
use std::time::Duration;

use wasm_worker_pool::{RunConfig, Session, StrategyKind, SystemClock, TaskKind, ThreadSpawner};

fn main() {
    let config = RunConfig {
        strategy: StrategyKind::Pool,
        workers: 8,
        tasks: 1000,
        failure_rate: 0.1,
        queue_capacity: 100,
        kind: TaskKind::Sleep,
        sleep_ms: (5.0, 20.0),
        cpu_iterations: (2_000_000, 8_000_000),
        timeout_ms: None,
        connections: None,
        panic_rate: 0.0,
        trap_rate: 0.0,
        seed: 42,
        spawn_cap: None,
        arrival_rate: None,
    };
    let mut session = Session::start(config, Arc::new(ThreadSpawner::new()), Arc::new(SystemClock::new()))
        .expect("settings the page accepts are valid");
    // advance() never blocks: poll it until the run has finished, as the page does.
    let mut events = Vec::new();
    while !session.advance(&mut events) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let summary = session.summary();
    println!("{} succeeded, {} failed in {:.1} ms", summary.succeeded, summary.failed, summary.elapsed_ms);
}
