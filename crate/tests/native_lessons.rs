//! The common-error demonstrations on std threads: each ends with the
//! values it observed (exact where the code decides them).

#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;
use std::time::{Duration, Instant};

use wasm_worker_pool::session::lessons::{CommonError, CommonErrorReport, Demonstration, Observed};
use wasm_worker_pool::{SystemClock, ThreadSpawner};

fn demonstrate(error: CommonError) -> (CommonErrorReport, ThreadSpawner) {
    let spawner = ThreadSpawner::new();
    let mut demo = Demonstration::start(
        error,
        Arc::new(spawner.clone()),
        Arc::new(SystemClock::new()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(report) = demo.poll() {
            return (report, spawner);
        }
        assert!(
            Instant::now() < deadline,
            "{error:?} did not report in 20 s"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn number(report: &CommonErrorReport, key: &str) -> f64 {
    match report.observed.get(key) {
        Some(Observed::Number(n)) => *n,
        other => panic!("{key}: {other:?}"),
    }
}

#[test]
fn every_common_error_has_a_name_that_parses_back() {
    for error in CommonError::ALL {
        assert_eq!(CommonError::parse(error.name()), Some(error));
    }
    assert_eq!(CommonError::parse("goroutine-leak"), None);
}

#[test]
fn a_queue_never_closed_leaves_its_idle_workers_until_the_pool_is_dropped() {
    let (report, spawner) = demonstrate(CommonError::QueueNeverClosed);
    assert_eq!(report.error, CommonError::QueueNeverClosed);
    assert_eq!(number(&report, "tasks"), 8.0);
    assert_eq!(number(&report, "idleWorkersAfterWork"), 4.0);
    assert!(number(&report, "idleForMs") >= 200.0);
    assert_eq!(number(&report, "threadsLeftAfterDrop"), 0.0);
    assert_eq!(spawner.live_threads(), 0);
}

#[test]
fn a_submit_after_close_is_refused_and_hands_the_task_back() {
    let (report, _) = demonstrate(CommonError::SendAfterClose);
    assert_eq!(
        report.observed["submitAfterClose"],
        Observed::Text("Err(Closed) for task 3".into())
    );
    assert_eq!(number(&report, "completedBeforeClose"), 3.0);
}

#[test]
fn a_rendezvous_queue_with_unread_results_gives_backpressure_not_deadlock() {
    let (report, _) = demonstrate(CommonError::UnbufferedQueue);
    assert_eq!(number(&report, "submitted"), 20.0);
    assert_eq!(number(&report, "completed"), 20.0);
    assert_eq!(number(&report, "queueHighWater"), 0.0);
}

#[test]
fn join_returns_only_once_every_worker_exited() {
    let (report, _) = demonstrate(CommonError::WaitGroupMisuse);
    assert_eq!(number(&report, "workers"), 3.0);
    assert_eq!(number(&report, "exitedWhenJoinReturned"), 3.0);
    assert_eq!(number(&report, "completed"), 6.0);
}
