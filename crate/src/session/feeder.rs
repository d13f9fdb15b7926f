//! The pool strategy's feeder: a thread of its own submits the workload
//! (past the first tasks, which the starting thread queues when every task
//! goes at once), because submitting blocks on a full (or rendezvous) queue
//! and the caller's thread must not. With open arrivals it also waits for each task's
//! arrival time before submitting it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use std::time::Duration;

use crate::runtime::fault;
use crate::runtime::{Clock, SpawnError, Spawner};
use crate::task::{Task, TaskSpec};
use crate::workload::Arrivals;
use crate::{Pool, SubmitError};

/// Longest single sleep while waiting for an arrival: a cancel is seen
/// within this long.
const ARRIVAL_SLICE_US: f64 = 5_000.0;

/// Sleeps until `at_us` on `clock`, or until `pool` is cancelled.
fn wait_for_arrival(at_us: f64, clock: &dyn Clock, pool: &Pool) {
    loop {
        let left = at_us - clock.now_us();
        if left.is_nan() || left <= 0.0 || pool.is_cancelled() {
            return;
        }
        std::thread::sleep(Duration::from_secs_f64(left.min(ARRIVAL_SLICE_US) / 1e6));
    }
}

/// How far the feeder got.
#[derive(Default)]
pub(crate) struct Feeder {
    submitted: AtomicU64,
    done: AtomicBool,
    /// Why the feeder stopped before submitting every task, unless cancelled:
    /// its thread never started, or the pool refused a task.
    stopped: Mutex<Option<String>>,
}

impl Feeder {
    /// Tasks handed to the pool (ids `0..submitted`, in order).
    pub fn submitted(&self) -> u64 {
        self.submitted.load(Ordering::Acquire)
    }

    /// The feeder is done: every task submitted, or it stopped.
    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Why the rest was never submitted, if not because of a cancel.
    pub fn stopped(&self) -> Option<String> {
        self.stopped
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn stop(&self, why: String) {
        *self.stopped.lock().unwrap_or_else(|p| p.into_inner()) = Some(why);
    }
}

/// Ends the feeder's part even if its thread never runs (a failed start
/// drops the closure): close the pool so its workers drain and exit.
struct FeederGuard {
    feeder: Arc<Feeder>,
    pool: Arc<Pool>,
    ran: bool,
}

impl Drop for FeederGuard {
    fn drop(&mut self) {
        if !self.ran {
            self.feeder.stop(format!(
                "{} (the feeder thread)",
                fault::failed_to_start_message()
            ));
        }
        self.pool.close();
        self.feeder.done.store(true, Ordering::Release);
    }
}

/// When the feeder submits each task.
pub(crate) enum Pace {
    /// Every task at once (as fast as the queue takes them).
    AllAtOnce,
    /// Each task at its arrival time after the feeder starts; a full queue
    /// still blocks it, so late tasks go as soon as there is room.
    Open(Arrivals, Arc<dyn Clock>),
}

/// A pool session with every task at once queues up to this many of them
/// on the thread that starts it (as many as fit, never blocking), and its
/// feeder thread submits the rest.
pub const QUEUED_BEFORE_FEEDER: u64 = 256;

/// All at once, queues what fits without blocking, up to
/// QUEUED_BEFORE_FEEDER tasks, on the caller's thread, and returns how many.
/// A worker that finds the queue empty parks, and the feeder's sends must
/// wake it again: in 2-worker CPU runs on 2 cores, before this, one worker
/// started 1-5 ms after the other in most runs, and once the workers had
/// taken one task each, the feeder (woken third) came 0.7-5 ms later
/// (timelines of warm runs, 2026-12-03).
fn queue_first_tasks(
    pool: &Pool,
    specs: &mut std::iter::Peekable<impl Iterator<Item = TaskSpec>>,
    pace: &Pace,
) -> u64 {
    // Paced tasks wait for their arrival times, on the feeder's thread.
    if !matches!(pace, Pace::AllAtOnce) {
        return 0;
    }
    let mut queued = 0;
    while queued < QUEUED_BEFORE_FEEDER {
        let Some(spec) = specs.peek() else { break };
        // Refused (a full or rendezvous queue), the task comes back
        // untouched and its spec stays next for the feeder thread.
        if pool.try_submit(Task::from_spec(spec.clone())).is_err() {
            break;
        }
        specs.next();
        queued += 1;
    }
    queued
}

/// Starts a thread that submits `specs` to `pool` in order, at `pace`, then
/// closes it (the first few are queued before it starts:
/// `queue_first_tasks`).
pub(crate) fn start(
    pool: Arc<Pool>,
    specs: impl Iterator<Item = TaskSpec> + Send + 'static,
    pace: Pace,
    spawner: &dyn Spawner,
) -> Result<Arc<Feeder>, SpawnError> {
    let mut specs = specs.peekable();
    let feeder = Arc::new(Feeder {
        submitted: AtomicU64::new(queue_first_tasks(&pool, &mut specs, &pace)),
        ..Feeder::default()
    });
    let mut guard = FeederGuard {
        feeder: feeder.clone(),
        pool,
        ran: false,
    };
    spawner.spawn(Box::new(move || {
        guard.ran = true;
        let mut pace = match pace {
            Pace::AllAtOnce => None,
            Pace::Open(arrivals, clock) => Some((clock.now_us(), arrivals, clock)),
        };
        let mut submitter = guard.pool.submitter();
        while specs.peek().is_some() {
            // All at once, tasks as short as those measured so far go in
            // batches (`Submitter::batch_size`); one batch holds a few µs of
            // work, so workers still share the run evenly.
            let size = match pace {
                None => submitter.batch_size(),
                Some(_) => 1,
            };
            let (accepted, refused) = if size > 1 {
                submitter.submit_batch(specs.by_ref().take(size).map(Task::from_spec).collect())
            } else {
                let Some(spec) = specs.next() else { break };
                if let Some((start_us, arrivals, clock)) = &mut pace {
                    let at = *start_us + arrivals.next().unwrap_or(0.0);
                    wait_for_arrival(at, &**clock, &guard.pool);
                }
                match submitter.submit(Task::from_spec(spec)) {
                    Ok(()) => (1, None),
                    Err(refused) => (0, Some(refused)),
                }
            };
            guard
                .feeder
                .submitted
                .fetch_add(accepted as u64, Ordering::Release);
            match refused {
                None => {}
                // Cancelled: the rest is counted as never submitted.
                Some(SubmitError::Cancelled(_)) => break,
                Some(refused) => {
                    guard
                        .feeder
                        .stop(format!("the pool refused the task: {refused}"));
                    break;
                }
            }
        }
        // Before the guard closes the pool: the queue ends once it is gone.
        drop(submitter);
    }))?;
    Ok(feeder)
}
