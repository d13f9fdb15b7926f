//! What every task of a run shares, whichever strategy runs it: the clock,
//! the cancel flag, the limited resource, the deadline, the stats; and the
//! one way a task is run, ended unrun, or ended by its thread's death, so
//! that outcomes follow the same rules everywhere.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use super::ResultSender;

use crate::config::TaskLimits;
use crate::runtime::Clock;
use crate::stats::{LiveStats, WorkerSlot};
use crate::sync::{Flag, Semaphore};
use crate::task::context::ConnectionWaits;
use crate::task::exec::{classify, drop_quietly};
use crate::task::{context, Fault, Outcome, Task, TaskContext, TaskResult};

/// The shared core of one run of any strategy.
pub(crate) struct RunCore {
    pub clock: Arc<dyn Clock>,
    /// When the run was created (spawn-per-task and rayon enqueue every
    /// task then).
    pub created_us: f64,
    pub cancelled: Flag,
    /// The limited resource, if the run has one.
    pub connections: Option<Semaphore>,
    /// Per-task deadline from the task's start.
    pub timeout_us: Option<f64>,
    pub stats: LiveStats,
}

/// The task this thread is running, so that a thread that dies without
/// unwinding (a wasm trap) can still end it: see [`RunCore::end_dying_task`].
#[derive(Clone, Copy)]
struct InProgress {
    task_id: u64,
    worker_id: usize,
    enqueued_us: f64,
    started_us: f64,
}

thread_local! {
    static IN_PROGRESS: Cell<Option<InProgress>> = const { Cell::new(None) };
    /// The results sender of the run this thread works for. Kept here, not
    /// in the worker, so that a thread that dies without unwinding can still
    /// drop it (from its death hook) and the results channel disconnects.
    static RESULTS: RefCell<Option<ResultSender>> = const { RefCell::new(None) };
}

/// Keeps `results` as this thread's results sender (see [`send_result`]).
pub(crate) fn hold_results(results: Option<ResultSender>) {
    RESULTS.with(|r| *r.borrow_mut() = results);
}

/// Sends through this thread's results sender; `false` without one.
pub(crate) fn send_result(result: TaskResult) -> bool {
    RESULTS.with(|r| match r.borrow().as_ref() {
        Some(tx) => {
            // Fails only if every receiver is gone: nobody is listening.
            let _ = tx.send(result);
            true
        }
        None => false,
    })
}

/// Sends a batch's results through this thread's results sender, as one
/// message; `false` without one.
pub(crate) fn send_results(results: Vec<TaskResult>) -> bool {
    RESULTS.with(|r| match r.borrow().as_ref() {
        Some(tx) => {
            let _ = tx.send_all(results);
            true
        }
        None => false,
    })
}

/// Takes this thread's results sender back (at the thread's end, normal or not).
pub(crate) fn release_results() -> Option<ResultSender> {
    RESULTS.with(|r| r.borrow_mut().take())
}

impl RunCore {
    /// A run with `slots` per-worker stats slots (0 for spawn-per-task).
    /// A run core counting into `stats` (`LiveStats::new(workers)`, or one
    /// with room to grow).
    pub(crate) fn new(clock: Arc<dyn Clock>, stats: LiveStats, limits: TaskLimits) -> RunCore {
        RunCore {
            created_us: clock.now_us(),
            clock,
            cancelled: Flag::new(),
            connections: limits.connections.map(Semaphore::new),
            timeout_us: limits.timeout_ms.map(|ms| ms * 1_000.0),
            stats,
        }
    }

    pub fn now_us(&self) -> f64 {
        self.clock.now_us()
    }

    /// Counts a thread of the run spawned, and returns when (for its
    /// start-up time, measured once it begins).
    pub fn thread_spawned(&self) -> f64 {
        self.stats.thread_spawned();
        self.now_us()
    }

    /// Sets the cancel flag and wakes whoever waits for a connection (they
    /// see the flag: `Semaphore::wake_all` notifies under its lock, after the
    /// flag is set, so no wake-up is lost). `true` for the one caller that
    /// cancelled.
    pub fn cancel(&self) -> bool {
        let first = self.cancelled.set();
        if first {
            if let Some(sem) = &self.connections {
                sem.wake_all();
            }
        }
        first
    }

    /// Runs `task` under `catch_unwind` (or ends it `Cancelled` without
    /// running if the run is cancelled), records it in the stats, and
    /// returns its result. `started_us` is when it started if the caller
    /// knows (a worker that took it at once after its previous task: then
    /// that task's end, and the clock is read once per task); `None` reads
    /// the clock.
    pub fn execute(
        &self,
        task: Task,
        worker_id: usize,
        enqueued_us: f64,
        slot: Option<&WorkerSlot>,
        started_us: Option<f64>,
    ) -> TaskResult {
        // snippet: best-practices/5
        if self.cancelled.is_set() {
            let id = task.id;
            drop_quietly(task);
            return self.end_unstarted(id, enqueued_us, Outcome::Cancelled, None);
        }
        // end snippet: best-practices/5
        let id = task.id;
        let started = started_us.unwrap_or_else(|| self.now_us());
        self.stats.task_started(slot);
        if let Some(slot) = slot {
            slot.set_running(id);
        }
        let deadline = self.timeout_us.map(|t| started + t);
        let ctx = TaskContext::new(
            id,
            worker_id,
            deadline,
            &*self.clock,
            Some(&self.cancelled),
            self.connections.as_ref(),
            slot.map(|s| s as &dyn ConnectionWaits),
        );
        IN_PROGRESS.with(|p| {
            p.set(Some(InProgress {
                task_id: id,
                worker_id,
                enqueued_us,
                started_us: started,
            }))
        });
        // snippet: best-practices/7
        // snippet: panics/catch
        let returned = catch_unwind(AssertUnwindSafe(|| task.execute(&ctx)));
        IN_PROGRESS.with(|p| p.set(None));
        let ended = self.now_us();
        let outcome = classify(returned, ended, deadline);
        // end snippet: panics/catch
        // end snippet: best-practices/7
        let connection_wait = ctx.connection_wait();
        self.stats
            .task_ended(&outcome, worker_id, (enqueued_us, started, ended), slot);
        if let Some(slot) = slot {
            slot.set_idle();
        }
        TaskResult {
            task_id: id,
            worker_id: Some(worker_id),
            enqueued_us,
            started_us: Some(started),
            ended_us: ended,
            connection_wait,
            outcome,
            fault: None,
        }
    }

    /// The result of a task that never ran (cancelled while queued, its
    /// thread refused or never started: the `fault`), recorded in the stats.
    pub fn end_unstarted(
        &self,
        task_id: u64,
        enqueued_us: f64,
        outcome: Outcome,
        fault: Option<Fault>,
    ) -> TaskResult {
        self.stats.record_outcome(&outcome);
        TaskResult {
            task_id,
            worker_id: None,
            enqueued_us,
            started_us: None,
            ended_us: self.now_us(),
            connection_wait: None,
            outcome,
            fault,
        }
    }

    /// On a thread that is dying without unwinding (from its death hook):
    /// ends the task it was running, if any, `Failed` with `reason` (what
    /// the stats and [`RunCore::execute`] would have recorded for it), and gives
    /// back the connections it held. The caller sends the result.
    pub fn end_dying_task(&self, slot: Option<&WorkerSlot>, reason: &str) -> Option<TaskResult> {
        if let Some(sem) = &self.connections {
            for _ in 0..context::take_connections_held() {
                sem.release();
            }
        }
        let task = IN_PROGRESS.with(|p| p.take())?;
        let ended = self.now_us();
        let outcome = Outcome::Failed {
            error: format!("{reason} (it was running task {})", task.task_id),
        };
        self.stats.task_ended(
            &outcome,
            task.worker_id,
            (task.enqueued_us, task.started_us, ended),
            slot,
        );
        Some(TaskResult {
            task_id: task.task_id,
            worker_id: Some(task.worker_id),
            enqueued_us: task.enqueued_us,
            started_us: Some(task.started_us),
            ended_us: ended,
            connection_wait: None,
            outcome,
            fault: Some(Fault::ThreadDied),
        })
    }
}

/// Locks a std mutex, ignoring poisoning: no critical section of the
/// strategies runs user code, so a poisoned lock only means another thread
/// panicked outside of it.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
