//! Batches: several short tasks queued as one job, so that a run of tiny
//! tasks pays the queue's send, receive and clock read once per batch
//! instead of once per task.
//!
//! Only the feeder queues batches ([`super::Submitter::submit_batch`]), and
//! only as large as the tasks are short: [`size_for`] sizes a batch from the
//! mean run time the workers measured so far, so that one batch holds about
//! [`BATCH_BUDGET_US`] of work. Long tasks (and every task before the first
//! one ended) go one per job, exactly as before.
//!
//! A worker takes a batch whole, runs its tasks in order and sends their
//! results as one message. It keeps the batch and the results so far in a
//! thread-local while it does, so that if its thread dies (a trap) its death
//! hook can send those results, and the tasks it did not reach back to the
//! queue ([`requeue_held`]). Each batch carries a sender of the queue for exactly
//! that: the queue stays open while a batch is queued or running, and a
//! requeued batch reaches the other workers even after `close`.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};

use crossbeam_channel::Sender;

use super::Job;
use crate::task::{Task, TaskResult};

/// About how much work one batch holds.
pub(crate) const BATCH_BUDGET_US: f64 = 20.0;
/// The most tasks in one batch.
pub(crate) const MAX_BATCH: usize = 64;

/// How many tasks the next job should hold: as many as take about
/// [`BATCH_BUDGET_US`] at `mean_run_us` (`None`: nothing measured yet, so
/// one), at most [`MAX_BATCH`], and at most a share of the queue that
/// leaves a batch for every worker twice over.
pub(crate) fn size_for(mean_run_us: Option<f64>, capacity: usize, workers: usize) -> usize {
    let Some(mean) = mean_run_us else {
        return 1;
    };
    let by_time = if mean > 0.0 {
        (BATCH_BUDGET_US / mean).min(MAX_BATCH as f64) as usize
    } else {
        MAX_BATCH
    };
    let by_room = capacity / (2 * workers.max(1));
    by_time.min(by_room).clamp(1, MAX_BATCH)
}

/// Tasks queued together, with one enqueue time.
pub(crate) struct Batch {
    tasks: VecDeque<Task>,
    enqueued_us: f64,
    /// Places it holds in the queue's room (0 once requeued: its tasks are
    /// counted apart then, so that the room never exceeds its capacity).
    counted: usize,
    /// Keeps the queue open while the batch exists, for `requeue`.
    queue: Sender<Job>,
}

impl Batch {
    pub fn new(tasks: Vec<Task>, enqueued_us: f64, queue: Sender<Job>) -> Batch {
        Batch {
            counted: tasks.len(),
            tasks: tasks.into(),
            enqueued_us,
            queue,
        }
    }

    pub fn enqueued_us(&self) -> f64 {
        self.enqueued_us
    }

    /// Places of the queue's room it holds.
    pub fn counted(&self) -> usize {
        self.counted
    }

    /// Its tasks were sent back by a worker that died (counted apart).
    pub fn requeued(&self) -> bool {
        self.counted == 0
    }

    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    pub fn into_tasks(self) -> impl Iterator<Item = Task> {
        self.tasks.into_iter()
    }

    /// Sends the tasks left back to the queue (behind what is queued),
    /// counted in `requeued` instead of its room.
    fn requeue(mut self, requeued: &AtomicUsize) {
        if self.tasks.is_empty() {
            return;
        }
        self.counted = 0;
        // Before the send: the worker that takes it subtracts them.
        requeued.fetch_add(self.tasks.len(), Ordering::AcqRel);
        let queue = self.queue.clone();
        // It holds a sender itself: the queue cannot be disconnected.
        let _ = queue.send(Job::Batch(self));
    }
}

/// The batch a worker is running, and the results of its tasks so far.
struct Held {
    batch: Batch,
    done: Vec<TaskResult>,
}

thread_local! {
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
}

/// This thread's worker starts on `batch`.
pub(crate) fn hold(batch: Batch) {
    HELD.with(|h| {
        let mut held = h.borrow_mut();
        let held = held.insert(Held {
            batch,
            done: Vec::new(),
        });
        // Allocated once it is held: a trap here still requeues it.
        held.done.reserve_exact(held.batch.tasks.len());
    });
}

/// The next task of the held batch and how many are left after it (`None`
/// once every one ran).
pub(crate) fn next_task() -> Option<(Task, usize)> {
    HELD.with(|h| {
        let mut held = h.borrow_mut();
        let tasks = &mut held.as_mut()?.batch.tasks;
        tasks.pop_front().map(|task| (task, tasks.len()))
    })
}

/// A task of the held batch ended with `result`.
pub(crate) fn finished(result: TaskResult) {
    HELD.with(|h| match h.borrow_mut().as_mut() {
        Some(held) => held.done.push(result),
        None => debug_assert!(false, "a batch's result without a batch"),
    });
}

/// The held batch is done: lets it go (and its sender of the queue) and
/// returns its results.
pub(crate) fn release() -> Vec<TaskResult> {
    HELD.with(|h| h.borrow_mut().take())
        .map(|held| held.done)
        .unwrap_or_default()
}

/// From a worker's death hook or its unwinding: the tasks of its batch that
/// it never started go back to the queue, counted in `requeued`; the results
/// of those that ended are returned, to be sent.
pub(crate) fn requeue_held(requeued: &AtomicUsize) -> Vec<TaskResult> {
    // `try_with`: during thread teardown the thread-local may be gone.
    let held = HELD
        .try_with(|h| h.try_borrow_mut().ok().and_then(|mut h| h.take()))
        .ok()
        .flatten();
    match held {
        Some(Held { batch, done }) => {
            batch.requeue(requeued);
            done
        }
        None => Vec::new(),
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn one_task_per_job_until_something_was_measured() {
        assert_eq!(size_for(None, 4096, 2), 1);
    }

    #[test]
    fn batches_hold_about_the_budget_of_work() {
        assert_eq!(size_for(Some(1.0), 4096, 2), 20);
        assert_eq!(size_for(Some(0.1), 4096, 2), MAX_BATCH);
        assert_eq!(size_for(Some(0.0), 4096, 2), MAX_BATCH);
        // Long tasks go one by one.
        assert_eq!(size_for(Some(25.0), 4096, 2), 1);
        assert_eq!(size_for(Some(5_000.0), 4096, 2), 1);
    }

    #[test]
    fn a_small_queue_keeps_a_batch_for_every_worker() {
        assert_eq!(size_for(Some(0.1), 100, 2), 25);
        assert_eq!(size_for(Some(0.1), 10, 8), 1);
        assert_eq!(size_for(Some(0.1), 1, 1), 1);
    }
}
