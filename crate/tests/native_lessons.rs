//! The common-error demonstrations on std threads: each runs the mistake
//! and the fix, and the tests assert what each observed (exact where the
//! code decides it): the tutorial's failure happens in the mistake and not
//! in the fix, and every thread a demonstration started has returned.

#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;
use std::time::{Duration, Instant};

use wasm_worker_pool::session::lessons::{
    CommonError, CommonErrorReport, Demonstration, Observed, VariantReport,
};
use wasm_worker_pool::{SystemClock, ThreadSpawner};

fn demonstrate(error: CommonError) -> CommonErrorReport {
    let spawner = ThreadSpawner::new();
    let mut demo = Demonstration::start(
        error,
        Arc::new(spawner.clone()),
        Arc::new(SystemClock::new()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let deadline = Instant::now() + Duration::from_secs(30);
    let report = loop {
        if let Some(report) = demo.poll().unwrap_or_else(|e| panic!("{e}")) {
            break report;
        }
        assert!(
            Instant::now() < deadline,
            "{error:?} did not report in 30 s"
        );
        std::thread::sleep(Duration::from_millis(2));
    };
    assert_eq!(report.error, error);
    // Nothing is left running once it reported (the pools' workers may
    // still be on their way out of a dropped pool: give them a moment).
    drop(demo);
    let deadline = Instant::now() + Duration::from_secs(10);
    while spawner.live_threads() > 0 {
        assert!(Instant::now() < deadline, "{error:?} left threads behind");
        std::thread::sleep(Duration::from_millis(2));
    }
    report
}

fn number(part: &VariantReport, key: &str) -> f64 {
    match part.observed.get(key) {
        Some(Observed::Number(n)) => *n,
        other => panic!("{key}: {other:?} in {part:?}"),
    }
}

fn flag(part: &VariantReport, key: &str) -> bool {
    match part.observed.get(key) {
        Some(Observed::Flag(b)) => *b,
        other => panic!("{key}: {other:?} in {part:?}"),
    }
}

fn text<'a>(part: &'a VariantReport, key: &str) -> &'a str {
    match part.observed.get(key) {
        Some(Observed::Text(t)) => t,
        other => panic!("{key}: {other:?} in {part:?}"),
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
fn a_queue_never_closed_leaks_its_workers_and_close_leaves_none() {
    let report = demonstrate(CommonError::QueueNeverClosed);
    let (mistake, fix) = (&report.mistake, &report.fix);
    assert!(mistake.happened, "{mistake:?}");
    assert_eq!(number(mistake, "processed"), 10.0);
    assert_eq!(number(mistake, "leakedThreads"), 5.0);
    assert_eq!(number(mistake, "blockedInRecv"), 5.0);
    assert_eq!(number(mistake, "threadsLeftAfterRelease"), 0.0);
    assert!(!fix.happened, "{fix:?}");
    assert_eq!(number(fix, "processed"), 10.0);
    assert_eq!(number(fix, "leakedThreads"), 0.0);
}

#[test]
fn a_send_after_close_panics_on_the_go_channel_and_is_refused_by_the_pool() {
    let report = demonstrate(CommonError::SendAfterClose);
    let (mistake, fix) = (&report.mistake, &report.fix);
    assert!(mistake.happened, "{mistake:?}");
    assert_eq!(number(mistake, "sent"), 5.0);
    assert_eq!(number(mistake, "processed"), 5.0);
    assert!(flag(mistake, "lateSendPanicked"));
    assert_eq!(text(mistake, "panicMessage"), "send on closed channel");
    assert!(flag(mistake, "secondClosePanicked"));
    assert_eq!(
        text(mistake, "secondCloseMessage"),
        "close of closed channel"
    );
    assert!(!fix.happened, "{fix:?}");
    assert_eq!(number(fix, "submitted"), 5.0);
    assert_eq!(number(fix, "completed"), 5.0);
    assert_eq!(text(fix, "lateSubmit"), "Err(Closed)");
    assert_eq!(number(fix, "taskHandedBack"), 999.0);
    assert!(!flag(fix, "secondCloseChanged"));
    assert!(!flag(fix, "panicked"));
}

#[test]
fn unbuffered_jobs_and_results_deadlock_and_the_pools_results_do_not() {
    let report = demonstrate(CommonError::UnbufferedQueue);
    let (mistake, fix) = (&report.mistake, &report.fix);
    assert!(mistake.happened, "{mistake:?}");
    assert!(flag(mistake, "deadlocked"));
    // Two jobs go to the two workers, which then block on their results;
    // main blocks on the third.
    assert_eq!(number(mistake, "jobsHandedOver"), 2.0);
    assert_eq!(number(mistake, "resultsRead"), 0.0);
    assert_eq!(number(mistake, "blockedThreads"), 3.0);
    let at = text(mistake, "blockedAt");
    assert!(at.contains("main: blocked sending job 2"), "{at}");
    assert_eq!(
        at.matches("blocked sending the result of job").count(),
        2,
        "{at}"
    );
    assert_eq!(number(mistake, "threadsLeft"), 0.0);
    assert!(!fix.happened, "{fix:?}");
    assert!(!flag(fix, "deadlocked"));
    assert_eq!(number(fix, "completed"), 10.0);
    assert_eq!(number(fix, "queueHighWater"), 0.0);
}

#[test]
fn wait_group_misuse_returns_early_or_hangs_and_join_waits_for_exactly_the_workers() {
    let report = demonstrate(CommonError::WaitGroupMisuse);
    let (mistake, fix) = (&report.mistake, &report.fix);
    assert!(mistake.happened, "{mistake:?}");
    assert!(flag(mistake, "addInsideReturnedEarly"));
    assert_eq!(number(mistake, "doneWhenWaitReturned"), 0.0);
    assert_eq!(number(mistake, "goroutines"), 5.0);
    assert!(flag(mistake, "copiedWaitGroupHung"));
    assert_eq!(number(mistake, "copiedCounterLeft"), 3.0);
    assert!(flag(mistake, "missingDoneHung"));
    assert_eq!(number(mistake, "missingDoneCounterLeft"), 1.0);
    assert_eq!(number(mistake, "threadsLeft"), 0.0);
    assert!(!fix.happened, "{fix:?}");
    assert_eq!(number(fix, "workers"), 5.0);
    assert_eq!(number(fix, "tasks"), 10.0);
    assert_eq!(number(fix, "completed"), 10.0);
    assert_eq!(number(fix, "exitedWhenJoinReturned"), 5.0);
    assert!(!flag(fix, "hung"));
}
