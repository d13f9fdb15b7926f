//! One worker thread: `for job := range jobs { ... }`.

use std::sync::Arc;

use crossbeam_channel::{Receiver, RecvError, TryRecvError};

use super::{batch, Job, PoolShared, WorkerEnd, CURRENT_POOL};
use crate::runtime::fault;
use crate::strategy::{hold_results, release_results, send_result, send_results, ResultSender};

/// A worker, built on the spawning thread and moved into the new thread.
///
/// Its `Drop` is the pool's `defer wg.Done()`: it drops the worker's results
/// sender, marks the worker exited and counts down the exit latch, whether the
/// worker ran to the end of the queue, unwound, or was never started because
/// the spawn was refused (the closure holding it is dropped). A worker whose
/// thread dies without unwinding is never dropped: its death hook does the
/// same (`PoolShared::worker_died`).
pub(super) struct Worker {
    shared: Arc<PoolShared>,
    id: usize,
    jobs: Receiver<Job>,
    results: Option<ResultSender>,
    spawned_us: f64,
    /// `run` began on the worker's own thread.
    ran: bool,
    /// `recv` reported the queue closed and drained.
    saw_end: bool,
    /// It left because the pool shrank (`alive` already counts it out).
    retired: bool,
}

impl Worker {
    pub(super) fn new(
        shared: Arc<PoolShared>,
        id: usize,
        jobs: Receiver<Job>,
        results: ResultSender,
    ) -> Worker {
        let spawned_us = shared.core.thread_spawned();
        Worker {
            shared,
            id,
            jobs,
            results: Some(results),
            spawned_us,
            ran: false,
            saw_end: false,
            retired: false,
        }
    }

    pub(super) fn run(mut self) {
        self.ran = true;
        // Dropped (unrun) before `self` when `run` returns or unwinds.
        // snippet: traps/death-hook
        let _watch = {
            let (shared, id) = (self.shared.clone(), self.id);
            fault::on_death(move |reason| shared.worker_died(id, release_results(), reason))
        };
        // end snippet: traps/death-hook
        // Sent through a thread-local, which the death hook can empty.
        hold_results(self.results.take());
        let s = &*self.shared;
        s.core
            .stats
            .thread_started(self.spawned_us, s.core.now_us());
        CURRENT_POOL.with(|c| c.set(self.shared.key()));
        let slot = s.core.stats.slot(self.id);
        if let Some(slot) = slot {
            slot.set_idle();
        }

        // The previous task's end, while this worker has not waited since:
        // a job taken at once starts then (not later than it was queued), so
        // a busy worker reads the clock once per task. The hand-over (a few
        // hundred ns) counts as the next task's run time.
        let mut busy_since: Option<f64> = None;
        // Runs until the queue is closed *and* drained. After `cancel`,
        // `RunCore::execute` ends each remaining job `Cancelled` without running it.
        loop {
            if s.retire_one() {
                self.retired = true;
                break;
            }
            let job = match self.jobs.try_recv() {
                Ok(job) => Ok(job),
                Err(TryRecvError::Empty) => {
                    busy_since = None;
                    self.jobs.recv()
                }
                Err(TryRecvError::Disconnected) => Err(RecvError),
            };
            match job {
                Ok(Job::Task(job)) => {
                    s.give_back_room(1);
                    let started = busy_since.map(|end| end.max(job.enqueued_us));
                    let result = s
                        .core
                        .execute(job.task, self.id, job.enqueued_us, slot, started);
                    busy_since = Some(result.ended_us);
                    send_result(result);
                }
                Ok(Job::Batch(job)) => {
                    // Held before the room is given back: it stays counted.
                    if let Some(slot) = slot {
                        slot.set_held(job.len());
                    }
                    s.took_batch(&job);
                    let enqueued_us = job.enqueued_us();
                    // Held where the death hook can requeue what is left.
                    batch::hold(job);
                    while let Some((task, left)) = batch::next_task() {
                        if let Some(slot) = slot {
                            slot.set_held(left);
                        }
                        let started = busy_since.map(|end| end.max(enqueued_us));
                        let result = s.core.execute(task, self.id, enqueued_us, slot, started);
                        busy_since = Some(result.ended_us);
                        batch::finished(result);
                    }
                    // One message for the batch's results.
                    send_results(batch::release());
                }
                Ok(Job::Retire) => {}
                // snippet: best-practices/6
                Err(_) => {
                    self.saw_end = true;
                    break;
                } // end snippet: best-practices/6
            }
        }
        CURRENT_POOL.with(|c| c.set(0));
    }
}

// snippet: best-practices/4
impl Drop for Worker {
    fn drop(&mut self) {
        // Order matters: the results channel disconnects (last sender gone)
        // before `is_finished` can report true, unless this is the last
        // worker and it never saw the end of the queue (its closure was
        // dropped unrun): then the pool keeps its sender to end the queued
        // tasks (see `PoolShared::reap`).
        // Unstarted, the worker still holds its sender; run on its own
        // thread (returned or unwound), the thread-local does.
        // Unwinding out of a batch (a bug): its other workers run the rest.
        // (An unstarted worker is dropped on another thread: not its batch.)
        if let Some(slot) = self.shared.core.stats.slot(self.id) {
            slot.set_held(0);
        }
        let done = if self.ran {
            batch::requeue_held(&self.shared.requeued)
        } else {
            Vec::new()
        };
        let results = self.results.take().or_else(release_results);
        if let Some(tx) = &results {
            let _ = tx.send_all(done);
        }
        if let Some(slot) = self.shared.core.stats.slot(self.id) {
            slot.set_exited();
        }
        let end = if self.retired {
            WorkerEnd::Retired
        } else if self.saw_end {
            WorkerEnd::SawEnd
        } else if !self.ran {
            WorkerEnd::NeverStarted(fault::start_failure())
        } else {
            WorkerEnd::Unwound
        };
        self.shared.free_lane(self.id);
        self.shared.worker_leaving(end, results);
        self.shared.core.stats.thread_exited();
        self.shared.exited.count_down();
    }
}
// end snippet: best-practices/4
