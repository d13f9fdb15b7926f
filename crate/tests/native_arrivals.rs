//! Open arrivals on std threads: the feeder submits each task at its
//! Poisson arrival time; below saturation the queue stays short and no
//! submit waits, above it the bounded queue fills and the submitter blocks.

#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;
use std::time::{Duration, Instant};

use wasm_worker_pool::workload::Arrivals;
use wasm_worker_pool::{
    RunConfig, RunSummary, Session, SessionError, StrategyKind, SystemClock, TaskKind,
    ThreadSpawner,
};

fn run(config: RunConfig) -> RunSummary {
    let mut session = Session::start(
        config,
        Arc::new(ThreadSpawner::new()),
        Arc::new(SystemClock::new()),
    )
    .unwrap_or_else(|e| panic!("start failed: {e}"));
    let mut events = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !session.advance(&mut events) {
        assert!(Instant::now() < deadline, "the run did not finish in 60 s");
        std::thread::sleep(Duration::from_millis(1));
    }
    session.summary()
}

fn open(rate: f64, tasks: u64) -> RunConfig {
    RunConfig {
        strategy: StrategyKind::Pool,
        workers: 2,
        tasks,
        failure_rate: 0.0,
        queue_capacity: 10,
        kind: TaskKind::Sleep,
        sleep_ms: (4.0, 6.0),
        seed: 7,
        arrival_rate: Some(rate),
        ..RunConfig::default()
    }
}

#[test]
fn below_saturation_tasks_arrive_on_their_schedule_and_no_submit_waits() {
    // ρ = λS/c = 40/s × 5 ms / 2 = 0.1.
    let config = open(40.0, 40);
    let last_arrival_ms = Arrivals::new(config.seed, 40.0)
        .nth(39)
        .expect("40 arrivals")
        / 1e3;
    let summary = run(config);
    assert_eq!(summary.succeeded, 40);
    // Nothing is submitted before it arrives: the run cannot end sooner.
    assert!(
        summary.elapsed_ms >= last_arrival_ms,
        "ended after {} ms, the last task arrives at {last_arrival_ms} ms",
        summary.elapsed_ms
    );
    assert_eq!(summary.submits_blocked, 0);
    assert!(
        summary.queue_high_water < 10,
        "{}",
        summary.queue_high_water
    );
}

#[test]
fn above_saturation_the_queue_fills_and_the_submitter_blocks() {
    // ρ = 2,000/s × 5 ms / 2 = 5.
    let summary = run(open(2_000.0, 200));
    assert_eq!(summary.succeeded, 200);
    assert_eq!(summary.queue_high_water, 10);
    assert!(summary.submits_blocked > 0);
}

#[test]
fn an_arrival_rate_is_refused_out_of_range_and_for_other_strategies_naming_the_field() {
    for rate in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e7] {
        let error = open(rate, 1).validate().expect_err("refused");
        assert_eq!(error.field, "arrivalRate", "{rate}");
    }
    for strategy in [StrategyKind::SpawnPerTask, StrategyKind::Rayon] {
        let config = RunConfig {
            strategy,
            ..open(10.0, 1)
        };
        let error = config.validate().expect_err("refused");
        assert_eq!(error.field, "arrivalRate");
        assert!(
            error.message.contains("pool strategy only"),
            "{}",
            error.message
        );
        let start = Session::start(
            config,
            Arc::new(ThreadSpawner::new()),
            Arc::new(SystemClock::new()),
        );
        assert!(matches!(start, Err(SessionError::Config(e)) if e.field == "arrivalRate"));
    }
}
