use super::summary::{summarize, Inputs, Unsubmitted};
use super::tally::{Tally, EVENT_STRIDE, MAX_TIMELINE_EVENTS};
use super::*;
use crate::stats::StatsSnapshot;
use crate::task::{Fault, Outcome, TaskResult};

fn result(id: u64, outcome: Outcome, started: Option<f64>, ended: f64) -> TaskResult {
    TaskResult {
        fault: None,
        task_id: id,
        worker_id: started.map(|_| (id % 2) as usize),
        enqueued_us: 1_000.0,
        started_us: started,
        ended_us: ended,
        connection_wait: None,
        outcome,
    }
}

/// A result the machinery failed, as the strategies mark it.
fn faulted(fault: Fault, result: TaskResult) -> TaskResult {
    TaskResult {
        fault: Some(fault),
        ..result
    }
}

fn failed(error: &str) -> Outcome {
    Outcome::Failed {
        error: error.into(),
    }
}

#[test]
fn the_tally_counts_each_outcome_and_encodes_the_timeline_relative_to_the_start() {
    let mut tally = Tally::new(2);
    let mut events = Vec::new();
    let origin = 1_000.0;
    tally.add(
        &result(
            0,
            Outcome::Succeeded {
                output: String::new(),
            },
            Some(1_500.0),
            3_000.0,
        ),
        origin,
        &mut events,
    );
    tally.add(
        &result(
            1,
            failed("task 1: random processing error"),
            Some(1_200.0),
            2_000.0,
        ),
        origin,
        &mut events,
    );
    tally.add(
        &faulted(
            Fault::SpawnRefused,
            result(2, failed("spawn refused: the limit"), None, 1_100.0),
        ),
        origin,
        &mut events,
    );
    tally.add(
        &faulted(
            Fault::ThreadDied,
            result(
                3,
                failed("thread died: worker 1 died: RuntimeError: unreachable"),
                Some(2_000.0),
                2_500.0,
            ),
        ),
        origin,
        &mut events,
    );
    tally.add(
        &result(4, Outcome::Cancelled, None, 4_000.0),
        origin,
        &mut events,
    );
    tally.add(
        &result(
            5,
            Outcome::Panicked {
                message: "boom".into(),
            },
            Some(2_100.0),
            2_200.0,
        ),
        origin,
        &mut events,
    );
    assert_eq!(tally.by_outcome, [1, 3, 1, 0, 1]);
    assert_eq!(tally.failed_ids, [1, 2, 3]);
    assert_eq!(tally.panicked_ids, [5]);
    assert_eq!(tally.spawn_refused.count, 1);
    assert_eq!(tally.thread_failures.count, 1);
    assert!(tally
        .thread_failures
        .first_reason
        .as_deref()
        .unwrap()
        .contains("unreachable"));
    assert_eq!(tally.first_start_us, Some(200.0));
    // The earliest end, not the first to arrive (task 2's, refused at 1,100).
    assert_eq!(tally.first_result_us, Some(100.0));
    assert_eq!(tally.last_result_us, 3_000.0);
    assert_eq!(events.len(), 6 * EVENT_STRIDE);
    // Task 2 never started: worker and start are -1; its outcome code is failed.
    assert_eq!(
        &events[2 * EVENT_STRIDE..3 * EVENT_STRIDE],
        &[2.0, -1.0, 0.0, -1.0, 100.0, -1.0, -1.0, 1.0]
    );
    assert_eq!(events[5 * EVENT_STRIDE + 7], 2.0, "panicked is code 2");
}

#[test]
fn the_timeline_keeps_an_even_sample_across_the_whole_run_and_the_counts_stay_exact() {
    let tasks = 2 * MAX_TIMELINE_EVENTS as u64 + 10;
    let mut tally = Tally::new(tasks);
    let mut events = Vec::new();
    for id in 0..tasks {
        tally.add(
            &result(id, Outcome::TimedOut, Some(1.0), 2.0),
            0.0,
            &mut events,
        );
    }
    assert_eq!(tally.timeline_every, 3);
    let kept: Vec<u64> = events.chunks(EVENT_STRIDE).map(|e| e[0] as u64).collect();
    assert_eq!(kept, (0..tasks).step_by(3).collect::<Vec<_>>());
    assert!(kept.len() <= MAX_TIMELINE_EVENTS);
    assert_eq!(tally.timeline_kept, kept.len());
    assert_eq!(tally.by_outcome[3], tasks);
    // A run that fits keeps every task.
    assert_eq!(Tally::new(MAX_TIMELINE_EVENTS as u64).timeline_every, 1);
}

fn inputs(tally: &Tally, unsubmitted: Unsubmitted) -> Inputs<'_> {
    Inputs {
        strategy: StrategyKind::Pool,
        tasks: 10,
        tally,
        stats: StatsSnapshot {
            peak_threads: 2,
            ..StatsSnapshot::default()
        },
        unsubmitted,
        elapsed_ms: 500.0,
        worker_startup: None,
        aborted: false,
    }
}

#[test]
fn tasks_never_submitted_after_a_cancel_count_as_cancelled() {
    let mut tally = Tally::default();
    for id in 0..4 {
        tally.add(
            &result(
                id,
                Outcome::Succeeded {
                    output: String::new(),
                },
                Some(10.0),
                20.0,
            ),
            0.0,
            &mut Vec::new(),
        );
    }
    let s = summarize(inputs(
        &tally,
        Unsubmitted {
            first_id: 4,
            count: 6,
            failure: None,
        },
    ));
    assert_eq!(
        (s.succeeded, s.cancelled, s.never_submitted, s.failed),
        (4, 6, 6, 0)
    );
    assert_eq!(
        s.succeeded + s.failed + s.cancelled + s.timed_out + s.panicked,
        s.tasks
    );
    // 10 tasks ended in 0.5 s.
    assert_eq!(s.throughput_per_sec, 20.0);
    assert_eq!(
        (s.first_start_ms, s.last_result_ms),
        (Some(0.01), Some(0.02))
    );
    assert_eq!(s.threads_used, 2);
    assert_eq!(s.peak_threads, 2);
}

#[test]
fn tasks_never_submitted_because_the_feeder_never_started_failed_saying_why() {
    let mut tally = Tally::default();
    tally.add(
        &result(0, failed("task 0: random processing error"), Some(1.0), 2.0),
        0.0,
        &mut Vec::new(),
    );
    let why = "thread failed to start: TypeError: Failed to fetch (the feeder thread)";
    let s = summarize(inputs(
        &tally,
        Unsubmitted {
            first_id: 1,
            count: 9,
            failure: Some(why.into()),
        },
    ));
    assert_eq!((s.failed, s.cancelled, s.never_submitted), (10, 0, 0));
    assert_eq!(s.failed_task_ids, (0..10).collect::<Vec<u64>>());
    assert_eq!(s.thread_failures, 9);
    assert_eq!(s.thread_failure_reason.as_deref(), Some(why));
}

#[test]
fn an_empty_run_has_no_busy_window_and_no_throughput() {
    let tally = Tally::default();
    let s = summarize(Inputs {
        elapsed_ms: 0.0,
        ..inputs(&tally, Unsubmitted::default())
    });
    assert_eq!(
        (s.first_result_ms, s.first_start_ms, s.last_result_ms),
        (None, None, None)
    );
    assert_eq!(s.throughput_per_sec, 0.0);
}

#[test]
fn run_config_defaults_are_valid_and_name_their_fields() {
    RunConfig::default().validate().unwrap();
    let d = RunConfig::default();
    assert_eq!(d.strategy, StrategyKind::Pool);
    assert_eq!(
        (d.workers, d.tasks, d.queue_capacity, d.seed),
        (4, 200, 100, 42)
    );
    let e = RunConfig {
        failure_rate: f64::NAN,
        ..RunConfig::default()
    }
    .validate()
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "failureRate must be a finite number between 0 and 1 (got NaN)"
    );
}
