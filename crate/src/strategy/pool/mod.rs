#![doc = include_str!("README.md")]

mod batch;
mod error;
mod room;
mod worker;

pub use error::{ResizeError, SubmitError, TrySubmitError};

use std::cell::Cell;
use std::sync::atomic::{fence, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crossbeam_channel::{
    bounded, unbounded, Receiver, Select, SendError, Sender, TryRecvError, TrySendError,
};
use crossbeam_utils::Backoff;

use crate::config::{check_usize, PoolConfig, MAX_WORKERS};
use crate::runtime::fault::{FAILED_TO_START, THREAD_DIED};
use crate::runtime::{Clock, Spawner};
use crate::stats::LiveStats;
use crate::strategy::Strategy as _;
use crate::strategy::{lock, results_channel, Core, ResultSender, Results, RunCore, StartError};
use crate::sync::{CloseSlot, Flag, Latch};
use crate::task::exec::drop_quietly;
use crate::task::{Fault, Outcome, Task};
use batch::Batch;
use room::Room;
use worker::Worker;

/// Why a task ends `Failed` when no worker thread of the pool is left to
/// run it and no more precise reason is known.
pub const NO_WORKER: &str =
    "thread failed to start: no worker of the pool is running to take this task";

/// Why the pool has no worker left, from how the last one went.
fn orphan_reason(last: WorkerEnd) -> String {
    match last {
        WorkerEnd::NeverStarted(Some(reason)) => {
            format!("{FAILED_TO_START}: no worker of the pool is running to take this task (the last one: {reason})")
        }
        WorkerEnd::NeverStarted(None) | WorkerEnd::Unwound => NO_WORKER.to_string(),
        WorkerEnd::Died(reason) => {
            format!("{THREAD_DIED}: no worker of the pool is left to take this task (the last one died: {reason})")
        }
        WorkerEnd::SawEnd | WorkerEnd::Retired => {
            unreachable!("a worker that saw the end of the queue or retired orphans nothing")
        }
    }
}

/// How a worker left the pool.
pub(crate) enum WorkerEnd {
    /// It drained the closed queue: the normal end.
    SawEnd,
    /// Its closure was dropped unrun (on the web: its Web Worker failed to
    /// load), with the spawner's reason when it gave one.
    NeverStarted(Option<String>),
    /// Its thread died without unwinding (on the web: a wasm trap).
    Died(String),
    /// It unwound out of its loop (a bug).
    Unwound,
    /// It left because the pool shrank.
    Retired,
}

/// Every how many plain sends the queue depth is read.
const DEPTH_SAMPLE: usize = 8;

/// What the queue carries.
pub(crate) enum Job {
    /// A task, with the time it was handed to `submit`.
    Task(Queued),
    /// Several tasks queued at once by the feeder (see [`batch`]).
    Batch(Batch),
    /// Sent by a shrinking `resize` to reach idle workers: the worker that
    /// takes it leaves if the pool still has more workers than it should.
    Retire,
}

pub(crate) struct Queued {
    task: Task,
    enqueued_us: f64,
}

impl Job {
    /// The task of a job that `submit` sent (submit never sends `Retire`).
    fn into_task(self) -> Task {
        match self {
            Job::Task(queued) => queued.task,
            Job::Batch(_) | Job::Retire => unreachable!("submit sends single tasks only"),
        }
    }
}

/// Everything the pool's threads share.
pub(crate) struct PoolShared {
    config: PoolConfig,
    core: RunCore,
    /// The queue's sender; closed by `close` (and `cancel`).
    jobs: CloseSlot<Sender<Job>>,
    /// The queue's capacity in tasks (`None`: a rendezvous queue, whose
    /// crossbeam bound of 0 is the capacity).
    room: Option<Room>,
    /// Tasks in the queue that a dying worker sent back (`batch::requeue`):
    /// queued, but outside the room, which never exceeds its capacity.
    requeued: AtomicUsize,
    /// Kept for `len()` (queue depth): receivers do not keep a channel open.
    jobs_rx: Receiver<Job>,
    /// Dropped by `cancel`, and when the pool is orphaned: wakes every
    /// submitter blocked on a full queue.
    wake_signal: CloseSlot<Sender<()>>,
    wake_rx: Receiver<()>,
    /// Counts down as workers exit: `join` / `is_finished`.
    exited: Latch,
    /// Workers not yet exited (decremented *before* `exited` counts down).
    alive: AtomicUsize,
    /// Workers the pool should have: set by `resize`; workers above it
    /// retire, and dead ones are replaced up to it (`replace_dead_workers`).
    target: AtomicUsize,
    /// Which lanes (stats slots, worker ids) have a worker; a new worker
    /// takes the lowest free one.
    lanes: Mutex<Vec<bool>>,
    /// Serialises `resize` and `replace_dead`.
    resizing: Mutex<()>,
    /// A sender of the results channel for workers that join later; dropped
    /// once no worker is left, so that the channel disconnects.
    results_tx: CloseSlot<ResultSender>,
    /// Dead workers whose replacement `replace_dead` has not spawned yet;
    /// each keeps its count in `exited`, so the pool is not finished.
    dead_awaiting_replacement: AtomicUsize,
    /// Set when the last worker exited without seeing the end of the queue
    /// (every worker's closure was dropped unrun, on the web a Web Worker that
    /// failed to load; or every worker died). Queued tasks are then ended by
    /// `reap`, and later submits end at once, both `Failed` with
    /// `orphan_reason`.
    orphaned: Flag,
    orphan_reason: Mutex<String>,
    orphan_fault: Mutex<Fault>,
    /// The last worker's results sender, kept for `reap` once orphaned.
    orphan_results: Mutex<Option<ResultSender>>,
    reaped: Flag,
    /// `close` was called (not only the queue closed by orphaning or cancel).
    closed: Flag,
    /// Successful sends, for sampling the queue depth.
    depth_samples: AtomicUsize,
}

thread_local! {
    /// The pool whose worker this thread is (0: none), so that `join` from
    /// inside a task is caught instead of deadlocking.
    static CURRENT_POOL: Cell<usize> = const { Cell::new(0) };
}

impl PoolShared {
    fn key(self: &Arc<Self>) -> usize {
        Arc::as_ptr(self) as usize
    }
}

/// A fixed pool of worker threads fed by a bounded queue.
///
/// `Send + Sync`: share it through an `Arc` (an event loop polls `stats` and
/// `is_finished`, a feeder thread blocks in `submit`). Dropping it cancels it
/// and returns at once: its workers drain the queue and leave on their own,
/// so a pool that is never closed leaks no thread; `join` waits for them.
pub struct Pool {
    shared: Arc<PoolShared>,
    results: Results,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("config", &self.shared.config)
            .field("closed", &self.shared.jobs.is_closed())
            .field("cancelled", &self.shared.core.cancelled.is_set())
            .field("finished", &self.is_finished())
            .finish()
    }
}

impl Pool {
    /// Validates `config` and spawns its workers. Never waits for a worker to
    /// start. If a spawn fails, the workers already spawned are told to stop
    /// (they exit on their own) and the spawn error is returned.
    pub fn start(
        config: PoolConfig,
        spawner: &dyn Spawner,
        clock: Arc<dyn Clock>,
    ) -> Result<Pool, StartError> {
        config.validate()?;
        // With a capacity, `room` counts it in tasks (a batch is one job);
        // at 0 the channel itself is the rendezvous.
        let (jobs_tx, jobs_rx) = match config.queue_capacity {
            0 => bounded(0),
            _ => unbounded(),
        };
        let room = (config.queue_capacity > 0).then(|| Room::new(config.queue_capacity));
        let (wake_tx, wake_rx) = bounded(0);
        let (results_tx, results_rx) = results_channel();
        let stats = LiveStats::with_capacity(config.workers, MAX_WORKERS);
        let mut lanes = vec![false; MAX_WORKERS];
        lanes[..config.workers].fill(true);
        let shared = Arc::new(PoolShared {
            core: RunCore::new(clock, stats, config.limits),
            // snippet: best-practices/3
            exited: Latch::new(config.workers),
            // end snippet: best-practices/3
            alive: AtomicUsize::new(config.workers),
            target: AtomicUsize::new(config.workers),
            lanes: Mutex::new(lanes),
            resizing: Mutex::new(()),
            results_tx: CloseSlot::new(results_tx.clone()),
            dead_awaiting_replacement: AtomicUsize::new(0),
            orphaned: Flag::new(),
            orphan_reason: Mutex::new(String::new()),
            orphan_fault: Mutex::new(Fault::FailedToStart),
            orphan_results: Mutex::new(None),
            reaped: Flag::new(),
            closed: Flag::new(),
            depth_samples: AtomicUsize::new(0),
            jobs: CloseSlot::new(jobs_tx),
            room,
            requeued: AtomicUsize::new(0),
            jobs_rx: jobs_rx.clone(),
            wake_signal: CloseSlot::new(wake_tx),
            wake_rx,
            config,
        });
        drop(results_tx);
        for id in 0..shared.config.workers {
            let Some(results_tx) = shared.results_tx.get() else {
                unreachable!("no worker has left before the pool starts");
            };
            let worker = Worker::new(shared.clone(), id, jobs_rx.clone(), results_tx);
            if let Err(e) = spawner.spawn(Box::new(move || worker.run())) {
                // The refused closure was dropped, and with it its `Worker`,
                // whose `Drop` counted it out. Count out the workers never
                // built, and tell the spawned ones to stop: they exit on their
                // own (nothing here may wait for them: on the web they cannot
                // start before this thread returns to its event loop).
                for never in id + 1..shared.config.workers {
                    if let Some(slot) = shared.core.stats.slot(never) {
                        slot.set_exited();
                    }
                    shared.free_lane(never);
                    shared.alive.fetch_sub(1, Ordering::AcqRel);
                    shared.exited.count_down();
                }
                shared.cancel();
                return Err(StartError::Spawn(e));
            }
        }
        Ok(Pool {
            shared,
            results: results_rx,
        })
    }

    /// Hands a task to the workers, blocking while the queue is full
    /// (backpressure). Refused tasks come back in the error: `Closed` after
    /// `close`, `Cancelled` after (or during a blocked wait, at) `cancel`.
    /// When no worker is left to run it (every worker failed to start or
    /// died), the task is accepted and ends at once as `Failed`, with why.
    pub fn submit(&self, task: Task) -> Result<(), SubmitError> {
        let mut submitter = self.submitter();
        let result = submitter.submit_inner(task);
        // Its handle goes before the one check (the queue may end now), so
        // its drop has nothing left to check.
        submitter.tx = None;
        self.shared.after_submit();
        result
    }

    /// A handle for submitting many tasks in a row from one thread (a
    /// producer loop): it holds its own handle on the queue, so that each
    /// submit takes no lock. Submits behave as [`Pool::submit`]. The queue
    /// ends (the workers drain it and exit) only once every submitter is
    /// dropped, or has seen the pool closed, cancelled or orphaned.
    pub fn submitter(&self) -> Submitter<'_> {
        Submitter {
            pool: self,
            tx: self.shared.jobs.get(),
        }
    }

    /// Like `submit`, but never blocks: a full queue is `Full(task)`.
    pub fn try_submit(&self, task: Task) -> Result<(), TrySubmitError> {
        let result = self.try_submit_inner(task);
        self.shared.after_submit();
        result
    }

    fn try_submit_inner(&self, task: Task) -> Result<(), TrySubmitError> {
        let s = &*self.shared;
        if s.core.cancelled.is_set() {
            return Err(TrySubmitError::Cancelled(task));
        }
        let Some(tx) = s.jobs.get() else {
            return s.refuse(task).into_try_submit();
        };
        if let Some(room) = &s.room {
            if room.reserve(1) == 0 {
                s.core
                    .stats
                    .note_queue_depth(s.config.queue_capacity as u64);
                return Err(TrySubmitError::Full(task));
            }
        }
        s.core.stats.add_submitted(1);
        let job = Job::Task(Queued {
            task,
            enqueued_us: s.core.now_us(),
        });
        match tx.try_send(job) {
            Ok(()) => {
                s.sample_queue_depth();
                Ok(())
            }
            Err(TrySendError::Full(job)) => {
                s.core.stats.sub_submitted(1);
                s.core
                    .stats
                    .note_queue_depth(s.config.queue_capacity as u64);
                Err(TrySubmitError::Full(job.into_task()))
            }
            Err(TrySendError::Disconnected(job)) => {
                s.give_back_room(1);
                s.core.stats.sub_submitted(1);
                s.refuse(job.into_task()).into_try_submit()
            }
        }
    }

    /// No more tasks: later submits get `Closed`. Tasks already queued still
    /// run; the workers exit once the queue is drained. Idempotent (Go's
    /// `sync.Once` around `close(jobs)`), never blocks.
    // snippet: best-practices/10
    pub fn close(&self) {
        self.shared.closed.set();
        self.shared.jobs.close();
    }
    // end snippet: best-practices/10

    pub fn is_cancelled(&self) -> bool {
        self.shared.core.cancelled.is_set()
    }

    pub fn is_closed(&self) -> bool {
        self.shared.jobs.is_closed()
    }

    /// Blocks until every worker has exited (call `close` or `cancel` first,
    /// or this waits for ever). This is the pool's own `wg.Wait()`.
    ///
    /// # Panics
    /// When called from a task of this same pool (it would wait for itself).
    pub fn join(&self) {
        assert!(
            !self.on_own_worker(),
            "Pool::join called from one of the pool's own workers: it would wait for itself"
        );
        self.shared.join();
    }

    /// The workers the pool should have: its config's, until a `resize`.
    pub fn workers(&self) -> usize {
        self.shared.target.load(Ordering::Acquire)
    }

    /// Workers whose thread has not left (started or not yet started).
    pub fn live_workers(&self) -> usize {
        self.shared.alive.load(Ordering::Acquire)
    }

    /// The last `resize` is in effect: the extra workers have left and the
    /// new ones have started. A few atomic loads (polled from an event loop).
    pub fn resized(&self) -> bool {
        self.live_workers() == self.workers() && self.shared.core.stats.starting_slots() == 0
    }

    /// Changes the number of workers, without blocking: growing spawns the
    /// new workers at once (they take the lowest free lanes); shrinking lets
    /// the extra workers finish the task they are running and leave. No
    /// task is lost: a leaving worker takes no new one. `live_workers()`
    /// reaches the new count once they have started or left.
    ///
    /// Refused with `Ended` once the pool was cancelled, has no worker left
    /// or has finished.
    pub fn resize(&self, workers: usize, spawner: &dyn Spawner) -> Result<(), ResizeError> {
        check_usize("workers", workers, 1, MAX_WORKERS)?;
        let s = &self.shared;
        let _one_at_a_time = lock(&s.resizing);
        if s.core.cancelled.is_set() || s.orphaned.is_set() || s.exited.is_done() {
            return Err(ResizeError::Ended);
        }
        let before = s.target.swap(workers, Ordering::AcqRel);
        let alive = s.alive.load(Ordering::Acquire);
        for _ in alive.max(before).min(MAX_WORKERS)..workers {
            s.join_worker(spawner)?;
        }
        if workers < alive {
            // Idle workers wait in `recv`: hand each extra one a token (a
            // busy one retires after its job anyway, and a token it meets
            // later is ignored; a full rendezvous queue means nobody idles).
            // A closed queue drains and ends them regardless.
            if let Some(tx) = s.jobs.get() {
                for _ in workers..alive {
                    if tx.try_send(Job::Retire).is_err() {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    pub fn config(&self) -> &PoolConfig {
        &self.shared.config
    }

    fn on_own_worker(&self) -> bool {
        CURRENT_POOL.with(|c| c.get()) == self.shared.key()
    }
}

/// Submits tasks to a [`Pool`] without taking its lock: see
/// [`Pool::submitter`].
pub struct Submitter<'a> {
    pool: &'a Pool,
    /// The queue's sender, taken once; dropped as soon as the pool is seen
    /// closed, cancelled or orphaned, so that the queue can end.
    tx: Option<Sender<Job>>,
}

impl Submitter<'_> {
    /// [`Pool::submit`], through this submitter's handle on the queue.
    pub fn submit(&mut self, task: Task) -> Result<(), SubmitError> {
        let result = self.submit_inner(task);
        self.pool.shared.after_submit();
        result
    }

    /// How many tasks the next [`Submitter::submit_batch`] should hold, from
    /// how long the pool's tasks have run so far (see `batch::size_for`); 1
    /// for a rendezvous queue.
    pub(crate) fn batch_size(&self) -> usize {
        let s = &*self.pool.shared;
        match &s.room {
            Some(room) => batch::size_for(
                s.core.stats.mean_run_us(),
                room.capacity(),
                s.target.load(Ordering::Relaxed),
            ),
            None => 1,
        }
    }

    /// Queues `tasks` in order, in as few jobs as the queue's free room
    /// allows (a worker takes a job of several tasks whole), blocking while
    /// the queue is full. Returns how many were accepted, and why the next
    /// one was not (the rest are dropped unsubmitted), with the same rules
    /// as [`Submitter::submit`].
    pub(crate) fn submit_batch(&mut self, mut tasks: Vec<Task>) -> (usize, Option<SubmitError>) {
        let s = &*self.pool.shared;
        let mut accepted = 0;
        // The fast path: the queue counts its room and nothing stops it.
        while let (Some(room), Some(tx), false) = (&s.room, &self.tx, tasks.is_empty()) {
            if s.core.cancelled.is_set() || s.closed.is_set() || s.orphaned.is_set() {
                break;
            }
            // At most the capacity: a batch waits for room for all of it.
            let Some(got) = s.reserve_room(room, tasks.len().min(room.capacity())) else {
                break;
            };
            let rest = tasks.split_off(got);
            let mut these = std::mem::replace(&mut tasks, rest);
            s.core.stats.add_submitted(got as u64);
            let enqueued_us = s.core.now_us();
            let job = match these.len() {
                1 => Job::Task(Queued {
                    task: these.remove(0),
                    enqueued_us,
                }),
                _ => Job::Batch(Batch::new(these, enqueued_us, tx.clone())),
            };
            match tx.try_send(job) {
                Ok(()) => {
                    accepted += got;
                    s.sample_queue_depth();
                }
                Err(refused) => {
                    // Closed under us: the slow path below refuses them.
                    room.release(got);
                    s.core.stats.sub_submitted(got as u64);
                    let mut back: Vec<Task> = match refused.into_inner() {
                        Job::Task(queued) => vec![queued.task],
                        Job::Batch(batch) => batch.into_tasks().collect(),
                        Job::Retire => Vec::new(),
                    };
                    back.append(&mut tasks);
                    tasks = back;
                    break;
                }
            }
        }
        // One at a time: a rendezvous queue, or whatever refuses them.
        let mut tasks = tasks.into_iter();
        let refused = tasks
            .by_ref()
            .find_map(|task| match self.submit_inner(task) {
                Ok(()) => {
                    accepted += 1;
                    None
                }
                Err(refused) => Some(refused),
            });
        tasks.for_each(drop_quietly);
        s.after_submit();
        (accepted, refused)
    }

    fn submit_inner(&mut self, task: Task) -> Result<(), SubmitError> {
        let s = &*self.pool.shared;
        // snippet: best-practices/9
        if s.core.cancelled.is_set() {
            self.tx = None;
            return Err(SubmitError::Cancelled(task));
        }
        // end snippet: best-practices/9
        if s.closed.is_set() || s.orphaned.is_set() {
            self.tx = None;
        }
        let Some(tx) = &self.tx else {
            return s.refuse(task).into_submit();
        };
        s.core.stats.add_submitted(1);
        let job = Job::Task(Queued {
            task,
            enqueued_us: s.core.now_us(),
        });
        if let Some(room) = &s.room {
            let Some(_) = s.reserve_room(room, 1) else {
                // Cancelled, or no worker is left.
                s.core.stats.sub_submitted(1);
                self.tx = None;
                return s.refuse(job.into_task()).into_submit();
            };
            // Unbounded (the room is the bound): only a closed queue refuses.
            return match tx.try_send(job) {
                Ok(()) => {
                    s.sample_queue_depth();
                    Ok(())
                }
                Err(refused) => {
                    room.release(1);
                    s.core.stats.sub_submitted(1);
                    s.refuse(refused.into_inner().into_task()).into_submit()
                }
            };
        }
        // A rendezvous queue. Full: spin and yield a little first (like crossbeam's own `send`):
        // with a producer faster than the workers, parking at once would
        // cost a futex wake-up per task.
        let mut job = job;
        let backoff = Backoff::new();
        let mut blocked = false;
        loop {
            job = match tx.try_send(job) {
                Ok(()) => {
                    s.sample_queue_depth();
                    return Ok(());
                }
                Err(TrySendError::Full(job)) => {
                    s.core
                        .stats
                        .note_queue_depth(s.config.queue_capacity as u64);
                    if !std::mem::replace(&mut blocked, true) {
                        s.core.stats.submit_blocked(1);
                    }
                    job
                }
                Err(TrySendError::Disconnected(job)) => {
                    s.core.stats.sub_submitted(1);
                    return s.refuse(job.into_task()).into_submit();
                }
            };
            if backoff.is_completed() || s.core.cancelled.is_set() || s.orphaned.is_set() {
                break;
            }
            backoff.snooze();
        }
        // Still full: wait for room, or for cancel or the last worker to
        // leave (both close the wake signal), whichever comes first.
        let mut sel = Select::new();
        let send_op = sel.send(tx);
        let wake_op = sel.recv(&s.wake_rx);
        let op = sel.select();
        if op.index() == send_op {
            match op.send(tx, job) {
                Ok(()) => {
                    s.note_queue_depth();
                    Ok(())
                }
                Err(SendError(job)) => {
                    s.core.stats.sub_submitted(1);
                    s.refuse(job.into_task()).into_submit()
                }
            }
        } else {
            debug_assert_eq!(op.index(), wake_op);
            let _ = op.recv(&s.wake_rx);
            s.core.stats.sub_submitted(1);
            self.tx = None;
            s.refuse(job.into_task()).into_submit()
        }
    }
}

impl Drop for Submitter<'_> {
    /// Lets the queue end, and ends what an orphaned pool's `reap` could
    /// not while this handle kept the queue open (if it still held it).
    fn drop(&mut self) {
        if self.tx.take().is_some() {
            self.pool.shared.after_submit();
        }
    }
}

impl std::fmt::Debug for Submitter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Submitter")
            .field("open", &self.tx.is_some())
            .finish()
    }
}

/// What became of a task the queue did not take.
enum Refused {
    Cancelled(Task),
    Closed(Task),
    /// No worker is left: the task was ended `Failed` (its result is sent).
    Ended,
}

impl Refused {
    fn into_submit(self) -> Result<(), SubmitError> {
        match self {
            Refused::Cancelled(task) => Err(SubmitError::Cancelled(task)),
            Refused::Closed(task) => Err(SubmitError::Closed(task)),
            Refused::Ended => Ok(()),
        }
    }

    fn into_try_submit(self) -> Result<(), TrySubmitError> {
        match self {
            Refused::Cancelled(task) => Err(TrySubmitError::Cancelled(task)),
            Refused::Closed(task) => Err(TrySubmitError::Closed(task)),
            Refused::Ended => Ok(()),
        }
    }
}

impl PoolShared {
    /// The queue was closed to `task`: by `cancel`, by `close`, or because
    /// the pool was orphaned, in which case the task ends `Failed` at once
    /// (unless the pool finished meanwhile, after a racing `close`).
    fn refuse(&self, task: Task) -> Refused {
        if self.core.cancelled.is_set() {
            return Refused::Cancelled(task);
        }
        if self.closed.is_set() || !self.orphaned.is_set() {
            return Refused::Closed(task);
        }
        let results = lock(&self.orphan_results);
        let Some(tx) = results.as_ref() else {
            return Refused::Closed(task);
        };
        self.core.stats.add_submitted(1);
        let outcome = Outcome::Failed {
            error: lock(&self.orphan_reason).clone(),
        };
        let id = task.id;
        drop_quietly(task);
        let fault = *lock(&self.orphan_fault);
        let _ = tx.send(
            self.core
                .end_unstarted(id, self.core.now_us(), outcome, Some(fault)),
        );
        Refused::Ended
    }

    fn cancel(&self) {
        if self.core.cancel() {
            self.wake_signal.close();
        }
        self.jobs.close();
    }

    fn free_lane(&self, id: usize) {
        if let Some(lane) = lock(&self.lanes).get_mut(id) {
            *lane = false;
        }
    }

    /// From a worker, before it takes its next job: leaves (counted out of
    /// `alive` here) if the pool has more workers than its target.
    pub(super) fn retire_one(&self) -> bool {
        let target = self.target.load(Ordering::Relaxed);
        if self.alive.load(Ordering::Relaxed) <= target {
            return false;
        }
        self.alive
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |alive| {
                (alive > target).then(|| alive - 1)
            })
            .is_ok()
    }

    /// Spawns one more worker into a running pool (under `resizing`).
    fn join_worker(self: &Arc<Self>, spawner: &dyn Spawner) -> Result<(), ResizeError> {
        // Counted into `exited` first: the pool cannot finish under us. It
        // fails only once the last worker has counted out.
        if !self.exited.try_add() {
            return Err(ResizeError::Ended);
        }
        let joined = self
            .alive
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |alive| {
                (alive > 0).then_some(alive + 1)
            });
        if joined.is_err() {
            // The last worker is leaving (orphaning the pool, or at its end).
            self.exited.count_down();
            return Err(ResizeError::Ended);
        }
        self.spawn_counted_worker(spawner)
    }

    /// Spawns a worker already counted in `alive` and `exited`.
    fn spawn_counted_worker(self: &Arc<Self>, spawner: &dyn Spawner) -> Result<(), ResizeError> {
        let lane = {
            let mut lanes = lock(&self.lanes);
            let free = lanes.iter().position(|used| !used);
            if let Some(free) = free {
                lanes[free] = true;
            }
            free
        };
        let (Some(lane), Some(results)) = (lane, self.results_tx.get()) else {
            // No lane (more than MAX_WORKERS alive: not reachable through
            // `resize`) or no results sender (no worker left): count it out.
            if let Some(lane) = lane {
                self.free_lane(lane);
            }
            self.worker_leaving(WorkerEnd::NeverStarted(None), None);
            self.exited.count_down();
            return Err(ResizeError::Ended);
        };
        self.core.stats.use_slot(lane);
        let worker = Worker::new(self.clone(), lane, self.jobs_rx.clone(), results);
        // A refused closure drops its `Worker`, which counts itself out.
        spawner
            .spawn(Box::new(move || worker.run()))
            .map_err(ResizeError::Spawn)
    }

    /// Spawns a replacement for each worker that died (a pool started with
    /// `replace_dead_workers`); from the caller's loop, never blocking. A
    /// replacement that cannot be spawned ends like a worker that never
    /// started (with no worker left, the pool is orphaned and its tasks
    /// fail with the reason).
    fn replace_dead(self: &Arc<Self>, spawner: &dyn Spawner) {
        if self.dead_awaiting_replacement.load(Ordering::Acquire) == 0 {
            return;
        }
        let _one_at_a_time = lock(&self.resizing);
        while self
            .dead_awaiting_replacement
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
            .is_ok()
        {
            // Its count in `exited` was kept for it.
            self.alive.fetch_add(1, Ordering::AcqRel);
            // A refused replacement's `Worker` counted itself out (with no
            // worker left, that orphans the pool: its tasks fail).
            let _ = self.spawn_counted_worker(spawner);
        }
    }

    fn join(&self) {
        self.exited.wait();
        // Only when orphaned: a submitter may still be finishing its send.
        while !self.reap() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    /// Called by a worker on its way out, before counting itself out of
    /// `exited`. The last one out, unless it saw the end of the queue,
    /// orphans the pool: closes the queue, wakes blocked submitters and keeps
    /// its results sender, so that every task queued or submitted from then
    /// on ends `Failed` with the reason.
    fn worker_leaving(&self, end: WorkerEnd, results: Option<ResultSender>) {
        if matches!(end, WorkerEnd::Retired) {
            return; // counted out of `alive` when it retired; never the last
        }
        let last = self.alive.fetch_sub(1, Ordering::AcqRel) == 1;
        if last && self.dead_awaiting_replacement.load(Ordering::Acquire) == 0 {
            // Nobody can join any more: the results channel may disconnect.
            self.results_tx.close();
        }
        if last && !matches!(end, WorkerEnd::SawEnd) {
            *lock(&self.orphan_fault) = match end {
                WorkerEnd::Died(_) => Fault::ThreadDied,
                _ => Fault::FailedToStart,
            };
            *lock(&self.orphan_reason) = orphan_reason(end);
            *lock(&self.orphan_results) = results;
            self.jobs.close();
            self.orphaned.set();
            self.wake_signal.close();
            fence(Ordering::SeqCst);
            self.reap();
        }
    }

    /// From a worker's death hook, on its dying thread: what its `Drop`
    /// would have done, after ending the task it was running `Failed`.
    fn worker_died(&self, id: usize, results: Option<ResultSender>, reason: &str) {
        let slot = self.core.stats.slot(id);
        let message = format!("{THREAD_DIED}: worker {id} died: {reason}");
        // Before it counts itself out: with no worker left, `reap` ends the
        // requeued tasks. The results of its batch's tasks that ended go first.
        if let Some(slot) = slot {
            slot.set_held(0);
        }
        let done = batch::requeue_held(&self.requeued);
        if let Some(tx) = &results {
            let _ = tx.send_all(done);
        }
        if let Some(result) = self.core.end_dying_task(slot, &message) {
            if let Some(tx) = &results {
                let _ = tx.send(result);
            }
        }
        if let Some(slot) = slot {
            slot.set_exited();
        }
        self.free_lane(id);
        if self.config.replace_dead_workers && !self.core.cancelled.is_set() {
            // Its replacement inherits its count in `exited`, and the queue
            // waits for it: `replace_dead`, from the caller's loop.
            self.dead_awaiting_replacement
                .fetch_add(1, Ordering::AcqRel);
            self.alive.fetch_sub(1, Ordering::AcqRel);
            drop(results);
            self.core.stats.thread_exited();
            return;
        }
        self.worker_leaving(WorkerEnd::Died(reason.to_string()), results);
        self.core.stats.thread_exited();
        self.exited.count_down();
    }

    /// After every submit: if the pool was orphaned, the task just queued may
    /// have missed the last worker's `reap`. (Dekker: the submitter sends then
    /// reads `orphaned`; the worker sets `orphaned` then reads the queue;
    /// the SeqCst fences make at least one of them see the other.)
    fn after_submit(&self) {
        fence(Ordering::SeqCst);
        if self.orphaned.is_set() {
            self.reap();
        }
    }

    /// Once orphaned, ends every queued task `Failed` (no thread will run
    /// it) and, once the pool is closed (or cancelled) and its queue drained,
    /// drops the results sender. Non-blocking. `true` when there is nothing
    /// (left) to reap.
    fn reap(&self) -> bool {
        if !self.orphaned.is_set() || self.reaped.is_set() {
            return true;
        }
        let mut results = lock(&self.orphan_results);
        loop {
            match self.jobs_rx.try_recv() {
                Ok(Job::Retire) => {}
                Ok(Job::Task(job)) => {
                    self.give_back_room(1);
                    self.end_orphaned(job.task, job.enqueued_us, results.as_ref());
                }
                Ok(Job::Batch(batch)) => {
                    self.took_batch(&batch);
                    let enqueued_us = batch.enqueued_us();
                    for task in batch.into_tasks() {
                        self.end_orphaned(task, enqueued_us, results.as_ref());
                    }
                }
                Err(TryRecvError::Empty) => return false,
                Err(TryRecvError::Disconnected) => {
                    // Until `close`, submits keep ending through `refuse`.
                    if !(self.closed.is_set() || self.core.cancelled.is_set()) {
                        return false;
                    }
                    *results = None;
                    self.reaped.set();
                    return true;
                }
            }
        }
    }

    /// Ends a task of an orphaned pool's queue `Failed`, with why.
    fn end_orphaned(&self, task: Task, enqueued_us: f64, results: Option<&ResultSender>) {
        let outcome = Outcome::Failed {
            error: lock(&self.orphan_reason).clone(),
        };
        let id = task.id;
        drop_quietly(task);
        let fault = *lock(&self.orphan_fault);
        let result = self
            .core
            .end_unstarted(id, enqueued_us, outcome, Some(fault));
        if let Some(tx) = results {
            let _ = tx.send(result);
        }
    }

    fn note_queue_depth(&self) {
        self.core.stats.note_queue_depth(self.queue_len());
    }

    /// Tasks in the queue: counted in its room, or (rendezvous) the
    /// channel's length.
    fn queue_len(&self) -> u64 {
        match &self.room {
            Some(room) => room.len() as u64,
            None => self.jobs_rx.len() as u64,
        }
    }

    /// A worker (or `reap`) took `n` tasks out of the queue.
    fn give_back_room(&self, n: usize) {
        if let Some(room) = &self.room {
            room.release(n);
        }
    }

    /// A worker (or `reap`) took `batch` out of the queue.
    fn took_batch(&self, batch: &Batch) {
        if batch.requeued() {
            self.requeued.fetch_sub(batch.len(), Ordering::AcqRel);
        } else {
            self.give_back_room(batch.counted());
        }
    }

    /// Reserves places in the queue, waiting while there is not enough
    /// room: one for a single task (`want` 1), all `want` for a batch (see
    /// `room`). A short spin first (as crossbeam's own `send` does: parking
    /// at once would cost a wake-up per task when the producer is faster
    /// than the workers), then a wait for a worker to free places, a
    /// cancel, or the last worker leaving (both close the wake signal).
    /// How many it reserved; `None` after a cancel or the last worker left.
    fn reserve_room(&self, room: &Room, want: usize) -> Option<usize> {
        let take = |want: usize| match want {
            1 => room.reserve(1),
            _ if room.reserve_exactly(want) => want,
            _ => 0,
        };
        let got = take(want);
        if got > 0 {
            return Some(got);
        }
        self.core.stats.note_queue_depth(room.len() as u64);
        self.core.stats.submit_blocked(want as u64);
        // A blocked batch waits until half the queue is free, then fills
        // it: waking once per batch would cost a wake-up per batch (on the
        // web, microseconds each), and the other half keeps the workers busy.
        let wake_at = want.max(room.capacity() / 2);
        let batch = (want > 1).then(|| room.batch_waiter(wake_at)).flatten();
        // Another batch waits already: wait as a single task.
        let (want, wake_at) = if batch.is_some() {
            (want, wake_at)
        } else {
            (1, 1)
        };
        let room_enough = || room.capacity() - room.len() >= wake_at;
        let signal = batch.as_ref().map_or(room.signal(), |b| b.signal());
        let backoff = Backoff::new();
        let mut waited = false;
        let got = loop {
            if self.core.cancelled.is_set() || self.orphaned.is_set() {
                break None;
            }
            let got = if room_enough() { take(want) } else { 0 };
            if got > 0 {
                break Some(got);
            }
            if !backoff.is_completed() {
                backoff.snooze();
                continue;
            }
            waited = true;
            let mut sel = Select::new();
            let token = sel.recv(signal);
            sel.recv(&self.wake_rx);
            let op = sel.select();
            if op.index() == token {
                let _ = op.recv(signal);
            } else {
                let _ = op.recv(&self.wake_rx);
            }
        };
        if waited && batch.is_none() {
            // It may have taken the token another waiter needs.
            room.pass_on();
        }
        got
    }

    /// The queue's length is read from counters the workers write (a cache
    /// miss per read), so after a plain successful send it is sampled: every
    /// `DEPTH_SAMPLE`th send. The high-water mark is still exact whenever the
    /// queue filled up (a `Full` records the capacity) and at every `stats()`.
    fn sample_queue_depth(&self) {
        let n = self.depth_samples.fetch_add(1, Ordering::Relaxed);
        if n.is_multiple_of(DEPTH_SAMPLE) {
            self.note_queue_depth();
        }
    }
}

impl Drop for Pool {
    /// Cancels and returns at once: the workers drain the queue (ending
    /// every queued task `Cancelled`) and leave on their own, so a pool
    /// dropped without `close` leaks no thread, and a drop never blocks
    /// (on the web the workers may need the dropping thread's event loop to
    /// start at all).
    fn drop(&mut self) {
        self.shared.cancel();
    }
}

/// Pool as a [`crate::Strategy`]. `results` is unbounded (a worker never
/// blocks on a slow reader) and disconnects once every worker has exited;
/// `cancel` also hands blocked submitters their task back as `Cancelled`
/// and implies `close`; `is_finished` means every worker has exited, so
/// every accepted task has its result in the results channel.
impl Core for Pool {
    fn parts(&self) -> (&RunCore, &Results) {
        (&self.shared.core, &self.results)
    }

    fn queued(&self) -> u64 {
        let s = &self.shared;
        let in_queue = s.queue_len();
        s.core.stats.note_queue_depth(in_queue);
        in_queue + s.requeued.load(Ordering::Acquire) as u64 + s.core.stats.held_in_batches()
    }

    fn stop(&self) {
        self.shared.cancel();
    }

    fn finished(&self) -> bool {
        self.shared.exited.is_done() && self.shared.reap()
    }

    /// Replaces workers that died (a pool started with
    /// `replace_dead_workers`).
    fn step(&self, spawner: &dyn Spawner) {
        self.shared.replace_dead(spawner);
    }
}

#[cfg(all(test, not(loom), not(target_arch = "wasm32")))]
mod tests;
