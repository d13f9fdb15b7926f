//! What the results of a run said so far: exact counts by outcome, the ids
//! that failed or panicked, per-worker counts, the busy window, and the
//! timeline, encoded for the page as a flat list of numbers.

use std::collections::BTreeMap;

use crate::task::{Fault, Outcome, OutcomeCounts, TaskResult};

/// The timeline keeps at most this many tasks of a run, a uniform sample by
/// task id across the whole run (every [`Tally::timeline_every`]th); counts
/// stay exact.
pub const MAX_TIMELINE_EVENTS: usize = 50_000;
/// Numbers per timeline event: task id, worker (-1: none), enqueued, started,
/// ended, connection wait start and end (µs since the run began, -1: never),
/// outcome code ([`crate::task::OutcomeKind::index`]).
pub const EVENT_STRIDE: usize = 8;

/// A kind of machinery failure the tally counts apart, with its first reason.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Faults {
    pub count: u64,
    pub first_reason: Option<String>,
}

impl Faults {
    fn add(&mut self, reason: &str) {
        self.count += 1;
        self.first_reason.get_or_insert_with(|| reason.to_string());
    }
}

#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Counts by [`crate::task::OutcomeKind`].
    pub by_outcome: OutcomeCounts,
    pub failed_ids: Vec<u64>,
    pub panicked_ids: Vec<u64>,
    pub spawn_refused: Faults,
    pub thread_failures: Faults,
    pub per_worker: BTreeMap<usize, u64>,
    /// µs since the run began.
    pub first_result_us: Option<f64>,
    pub first_start_us: Option<f64>,
    pub last_result_us: f64,
    pub seen: u64,
    pub timeline_kept: usize,
    /// The timeline keeps the tasks whose id is a multiple of this (1: all).
    pub timeline_every: u64,
    /// At most this many events: [`MAX_TIMELINE_EVENTS`], or 0 for a run
    /// whose caller takes no timeline.
    pub timeline_limit: usize,
}

impl Tally {
    /// A tally of a run of `tasks` tasks (ids `0..tasks`): its timeline
    /// samples them evenly, at most [`MAX_TIMELINE_EVENTS`].
    pub fn new(tasks: u64) -> Tally {
        Tally {
            timeline_every: tasks.div_ceil(MAX_TIMELINE_EVENTS as u64).max(1),
            timeline_limit: MAX_TIMELINE_EVENTS,
            ..Tally::default()
        }
    }

    /// Keep no timeline from now on: counts only (measured: the last poll of
    /// a 100,000-task no-op run copied 3.2 MB of events, ~2 ms).
    pub fn keep_no_timeline(&mut self) {
        self.timeline_limit = 0;
    }

    /// Counts `result` and, while the timeline has room, appends its event
    /// (times relative to `origin_us`).
    pub fn add(&mut self, result: &TaskResult, origin_us: f64, events: &mut Vec<f64>) {
        let code = result.outcome.kind().index();
        self.by_outcome[code] += 1;
        self.seen += 1;
        match &result.outcome {
            Outcome::Failed { error } => {
                self.failed_ids.push(result.task_id);
                match result.fault {
                    Some(Fault::SpawnRefused) => self.spawn_refused.add(error),
                    Some(Fault::FailedToStart | Fault::ThreadDied) => {
                        self.thread_failures.add(error)
                    }
                    None => {}
                }
            }
            Outcome::Panicked { .. } => self.panicked_ids.push(result.task_id),
            _ => {}
        }
        if let (Some(worker), Some(_)) = (result.worker_id, result.started_us) {
            *self.per_worker.entry(worker).or_default() += 1;
        }
        if let Some(started) = result.started_us {
            let started = started - origin_us;
            self.first_start_us = Some(self.first_start_us.map_or(started, |t| t.min(started)));
        }
        let ended = result.ended_us - origin_us;
        // A batch's results arrive together: not in the order they ended.
        self.first_result_us = Some(self.first_result_us.map_or(ended, |t| t.min(ended)));
        self.last_result_us = self.last_result_us.max(ended);
        if result.task_id.is_multiple_of(self.timeline_every.max(1))
            && self.timeline_kept < self.timeline_limit
        {
            self.timeline_kept += 1;
            let rel = |t: Option<f64>| t.map_or(-1.0, |t| t - origin_us);
            let (wait_start, wait_end) = result
                .connection_wait
                .map_or((None, None), |(a, b)| (Some(a), Some(b)));
            let event: [f64; EVENT_STRIDE] = [
                result.task_id as f64,
                result.worker_id.map_or(-1.0, |w| w as f64),
                result.enqueued_us - origin_us,
                rel(result.started_us),
                ended,
                rel(wait_start),
                rel(wait_end),
                code as f64,
            ];
            events.extend_from_slice(&event);
        }
    }
}
