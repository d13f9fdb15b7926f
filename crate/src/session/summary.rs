//! A run's summary: the exact outcome counts, and what they add up to.

use serde::Serialize;
use ts_rs::TS;

use super::tally::Tally;
use super::StrategyKind;
use crate::stats::{Percentiles, StatsSnapshot};
use crate::task::OutcomeKind;

#[derive(Serialize, Clone, Debug, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunSummary {
    pub strategy: StrategyKind,
    pub tasks: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub timed_out: u64,
    pub cancelled: u64,
    pub panicked: u64,
    /// Tasks the run never submitted because it was cancelled first
    /// (included in `cancelled`).
    pub never_submitted: u64,
    /// spawn-per-task: tasks that failed because the browser or the
    /// live-thread limit refused their thread (included in `failed`), and why.
    pub spawn_refused: u64,
    pub spawn_refused_reason: Option<String>,
    /// Tasks that failed because their thread failed to start (its Web
    /// Worker did not load or instantiate) or died (a trap) (included in
    /// `failed`), and the first such reason.
    pub thread_failures: u64,
    pub thread_failure_reason: Option<String>,
    pub elapsed_ms: f64,
    pub first_result_ms: Option<f64>,
    /// When the first task started and the last result was produced, ms
    /// since the run started: the busy window, free of polling delays.
    pub first_start_ms: Option<f64>,
    pub last_result_ms: Option<f64>,
    /// Tasks ended per second of the run.
    pub throughput_per_sec: f64,
    pub peak_threads: u64,
    /// Deepest the queue has been (the pool; 0 otherwise).
    pub queue_high_water: u64,
    /// Submits that found the queue full and waited (the pool; 0 otherwise).
    pub submits_blocked: u64,
    /// Distinct threads that ran at least one task.
    pub threads_used: usize,
    pub failed_task_ids: Vec<u64>,
    pub panicked_task_ids: Vec<u64>,
    /// Tasks started per worker (pool: worker id; rayon: rayon thread index).
    pub per_worker_tasks: Vec<WorkerCount>,
    pub queue_wait: Percentiles,
    pub run_time: Percentiles,
    /// spawn-per-task: time from spawning a thread to its first instruction.
    pub worker_startup: Option<Percentiles>,
    /// The runtime's memory at the end (set by a runtime that has one to
    /// report; 0 natively).
    pub memory_bytes: f64,
    /// Tasks the timeline (and the page's exports) kept: 0 when the run kept
    /// none (JavaScript: `run()` was given no `onProgress` to send them to).
    pub timeline_events: usize,
    /// The timeline keeps the tasks whose id is a multiple of this, a uniform
    /// sample across the whole run (1: every task).
    pub timeline_every: u64,
    /// The caller cancelled the run (JavaScript: through its AbortSignal).
    pub aborted: bool,
}

#[derive(Serialize, Clone, Debug, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkerCount {
    pub worker: usize,
    pub tasks: u64,
}

/// Tasks the feeder never submitted: ids `first_id..first_id + count`.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Unsubmitted {
    pub first_id: u64,
    pub count: u64,
    /// Why, when not because of a cancel: then they failed.
    pub failure: Option<String>,
}

/// Everything a summary is computed from.
pub(crate) struct Inputs<'a> {
    pub strategy: StrategyKind,
    pub tasks: u64,
    pub tally: &'a Tally,
    pub stats: StatsSnapshot,
    pub unsubmitted: Unsubmitted,
    pub elapsed_ms: f64,
    pub worker_startup: Option<Percentiles>,
    pub aborted: bool,
}

pub(crate) fn summarize(inputs: Inputs<'_>) -> RunSummary {
    let Inputs {
        strategy,
        tasks,
        tally: t,
        stats,
        unsubmitted,
        elapsed_ms,
        worker_startup,
        aborted,
    } = inputs;
    let (never_submitted, unsubmitted_failed) = match unsubmitted.failure {
        None => (unsubmitted.count, 0),
        Some(_) => (0, unsubmitted.count),
    };
    let mut failed_ids = t.failed_ids.clone();
    failed_ids.extend(unsubmitted.first_id..unsubmitted.first_id + unsubmitted_failed);
    failed_ids.sort_unstable();
    let mut panicked_ids = t.panicked_ids.clone();
    panicked_ids.sort_unstable();
    let mut thread_failures = t.thread_failures.clone();
    if unsubmitted_failed > 0 {
        thread_failures.count += unsubmitted_failed;
        thread_failures.first_reason = thread_failures.first_reason.or(unsubmitted.failure);
    }
    let ended = t.seen + unsubmitted.count;
    RunSummary {
        strategy,
        tasks,
        succeeded: t.by_outcome[OutcomeKind::Succeeded.index()],
        failed: t.by_outcome[OutcomeKind::Failed.index()] + unsubmitted_failed,
        panicked: t.by_outcome[OutcomeKind::Panicked.index()],
        timed_out: t.by_outcome[OutcomeKind::TimedOut.index()],
        cancelled: t.by_outcome[OutcomeKind::Cancelled.index()] + never_submitted,
        never_submitted,
        spawn_refused: t.spawn_refused.count,
        spawn_refused_reason: t.spawn_refused.first_reason.clone(),
        thread_failures: thread_failures.count,
        thread_failure_reason: thread_failures.first_reason,
        elapsed_ms,
        first_result_ms: t.first_result_us.map(|us| us / 1000.0),
        first_start_ms: t.first_start_us.map(|us| us / 1000.0),
        last_result_ms: t.first_result_us.map(|_| t.last_result_us / 1000.0),
        throughput_per_sec: if elapsed_ms > 0.0 {
            ended as f64 / (elapsed_ms / 1000.0)
        } else {
            0.0
        },
        peak_threads: stats.peak_threads,
        queue_high_water: stats.queue_high_water,
        submits_blocked: stats.submits_blocked,
        threads_used: t.per_worker.len(),
        failed_task_ids: failed_ids,
        panicked_task_ids: panicked_ids,
        per_worker_tasks: t
            .per_worker
            .iter()
            .map(|(&worker, &tasks)| WorkerCount { worker, tasks })
            .collect(),
        queue_wait: stats.queue_wait,
        run_time: stats.run_time,
        worker_startup,
        memory_bytes: 0.0,
        timeline_events: t.timeline_kept,
        timeline_every: t.timeline_every,
        aborted,
    }
}
