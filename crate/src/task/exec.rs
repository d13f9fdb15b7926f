//! Running one task: the part shared by every strategy (pool, spawn-per-task,
//! rayon), so that outcomes are decided by the same rules everywhere.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crossbeam_channel::Sender;

use super::{Interrupt, Outcome, Task, TaskContext, TaskError, TaskResult};
use crate::runtime::Clock;
use crate::stats::{RunStats, WorkerSlot};
use crate::sync::{Flag, Semaphore};

/// What every task of a run shares.
pub(crate) struct RunEnv<'a> {
    pub clock: &'a dyn Clock,
    pub cancelled: &'a Flag,
    pub connections: Option<&'a Semaphore>,
    pub timeout_us: Option<f64>,
    pub stats: &'a RunStats,
}

/// The task this thread is running, so that a thread that dies without
/// unwinding (a wasm trap) can still end it: see [`end_dead_task`].
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
    static RESULTS: RefCell<Option<Sender<TaskResult>>> = const { RefCell::new(None) };
}

/// Keeps `results` as this thread's results sender (see [`send_result`]).
pub(crate) fn hold_results(results: Option<Sender<TaskResult>>) {
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

/// Takes this thread's results sender back (at the thread's end, normal or not).
pub(crate) fn release_results() -> Option<Sender<TaskResult>> {
    RESULTS.with(|r| r.borrow_mut().take())
}

/// Runs `task` under `catch_unwind` (or ends it `Cancelled` without running if
/// the run is cancelled), records it in the stats, and returns its result.
pub(crate) fn run_task(
    task: Task,
    worker_id: usize,
    enqueued_us: f64,
    env: &RunEnv<'_>,
    slot: Option<&WorkerSlot>,
) -> TaskResult {
    if env.cancelled.is_set() {
        let id = task.id;
        drop_quietly(task);
        return unstarted(
            id,
            enqueued_us,
            env.clock.now_us(),
            Outcome::Cancelled,
            env.stats,
        );
    }
    let id = task.id;
    let started = env.clock.now_us();
    env.stats.task_started(slot);
    if let Some(slot) = slot {
        slot.set_running(id);
    }
    let deadline = env.timeout_us.map(|t| started + t);
    let ctx = TaskContext::new(
        id,
        worker_id,
        deadline,
        env.clock,
        Some(env.cancelled),
        env.connections,
        slot,
    );
    IN_PROGRESS.with(|p| {
        p.set(Some(InProgress {
            task_id: id,
            worker_id,
            enqueued_us,
            started_us: started,
        }))
    });
    let returned = catch_unwind(AssertUnwindSafe(|| task.run(&ctx)));
    IN_PROGRESS.with(|p| p.set(None));
    let ended = env.clock.now_us();
    let outcome = classify(returned, ended, deadline);
    let resource_wait = ctx.resource_wait();
    env.stats
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
        resource_wait,
        outcome,
    }
}

/// On a thread that is dying without unwinding (from its death hook): ends
/// the task it was running, if any, `Failed` with `reason` (what stats and
/// `run_task` would have recorded for it), and gives back the connections it
/// held. The caller sends the result.
pub(crate) fn end_dead_task(
    env: &RunEnv<'_>,
    slot: Option<&WorkerSlot>,
    reason: &str,
) -> Option<TaskResult> {
    if let Some(sem) = env.connections {
        for _ in 0..super::context::take_connections_held() {
            sem.release();
        }
    }
    let task = IN_PROGRESS.with(|p| p.take())?;
    let ended = env.clock.now_us();
    let outcome = Outcome::Failed {
        error: format!("{reason} (it was running task {})", task.task_id),
    };
    env.stats.task_ended(
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
        resource_wait: None,
        outcome,
    })
}

/// The result of a task that never ran (cancelled while queued, refused
/// spawn), recorded in the stats.
pub(crate) fn unstarted(
    task_id: u64,
    enqueued_us: f64,
    ended_us: f64,
    outcome: Outcome,
    stats: &RunStats,
) -> TaskResult {
    stats.record_outcome(&outcome);
    TaskResult {
        task_id,
        worker_id: None,
        enqueued_us,
        started_us: None,
        ended_us,
        resource_wait: None,
        outcome,
    }
}

/// The outcome rules: a panic is `Panicked`; an interrupt is `Cancelled` or
/// `TimedOut`; a result that arrives after the deadline is discarded as
/// `TimedOut` (Go's `select` on `ctx.Done()`); then `Failed` / `Succeeded`.
pub(crate) fn classify(
    returned: std::thread::Result<Result<String, TaskError>>,
    ended_us: f64,
    deadline_us: Option<f64>,
) -> Outcome {
    let late = deadline_us.is_some_and(|d| ended_us > d);
    match returned {
        Err(payload) => Outcome::Panicked {
            message: panic_message(payload),
        },
        Ok(Err(TaskError::Interrupted(Interrupt::Cancelled))) => Outcome::Cancelled,
        Ok(Err(TaskError::Interrupted(Interrupt::TimedOut))) => Outcome::TimedOut,
        Ok(_) if late => Outcome::TimedOut,
        Ok(Err(TaskError::Failed(error))) => Outcome::Failed { error },
        Ok(Ok(output)) => Outcome::Succeeded { output },
    }
}

/// The message of a `&str` / `String` panic payload. The payload is dropped
/// under `catch_unwind`: a payload whose destructor panics must not take the
/// worker down.
pub(crate) fn panic_message(payload: Box<dyn Any + Send>) -> String {
    let message = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_string()
    };
    drop_quietly(payload);
    message
}

/// Drops a value, swallowing a panic from its destructor.
pub(crate) fn drop_quietly<T>(value: T) {
    if let Err(payload) = catch_unwind(AssertUnwindSafe(move || drop(value))) {
        // Dropping this payload could panic again: leak it instead.
        std::mem::forget(payload);
    }
}
