#![doc = include_str!("README.md")]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use crate::config::{check_opt_usize, ConfigError, TaskLimits};
use crate::runtime::{fault, Clock, Spawner};
use crate::stats::{LiveStats, Percentiles};
use crate::strategy::StartError;
use crate::strategy::Strategy as _;
use crate::strategy::{
    hold_results, lock, release_results, results_channel, send_result, Core, ResultSender, Results,
    RunCore,
};
use crate::task::exec::drop_quietly;
use crate::task::{Fault, Outcome, Task};

/// Largest cap on live threads.
pub const MAX_SPAWN_CAP: usize = 100_000;

/// Configuration of a spawn-per-task run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpawnPerTaskConfig {
    /// Most live threads at once: `None` = unbounded, else 1..=100_000.
    pub cap: Option<usize>,
    pub limits: TaskLimits,
}

impl SpawnPerTaskConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_opt_usize("cap", self.cap, 1, MAX_SPAWN_CAP)?;
        self.limits.validate()
    }
}

/// One thread per task. Construction spawns nothing: the caller `pump`s
/// (non-blocking; on the web from its event loop, again and again while a cap
/// holds threads back) or, natively, calls `join`.
pub struct SpawnPerTask {
    shared: Arc<SpawnPerTaskShared>,
    results: Results,
}

struct SpawnPerTaskShared {
    core: RunCore,
    cap: Option<usize>,
    total: u64,
    state: Mutex<State>,
    /// Tasks with a result.
    ended: AtomicU64,
    /// `state.pending.len()`, for lock-free stats.
    pending: AtomicU64,
    /// Bumped (under its mutex) whenever a thread ends or the run is
    /// cancelled: `join` waits on it instead of spinning.
    generation: Mutex<u64>,
    changed: Condvar,
}

struct State {
    pending: VecDeque<Task>,
    /// Dropped once no task is left to hand out, so that the results channel
    /// disconnects when the last thread is done.
    results: Option<ResultSender>,
    refused: Option<String>,
    /// A task whose closure was dropped unrun *inside* `pump`'s call to
    /// `Spawner::spawn` (with the sender it held): `pump` ends it with the
    /// spawn's reason.
    bounced: Option<Bounced>,
    next_thread: usize,
}

/// A task whose closure was dropped unrun inside `pump`'s spawn call, with
/// the sender it held and why (read while it was dropped: the spawner's
/// reason is known only then).
struct Bounced {
    task: Task,
    results: Option<ResultSender>,
    why: String,
}

thread_local! {
    /// The run (its `SpawnPerTaskShared`'s address) whose `pump` is inside a call to
    /// `Spawner::spawn` on this thread; 0 when none.
    static SPAWNING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Why a task ends `Failed` when its thread was accepted by the spawner but
/// never ran (on the web: its Web Worker failed to load); the spawner's reason
/// follows it when known.
pub const FAILED_TO_START: &str = fault::FAILED_TO_START;

impl SpawnPerTaskShared {
    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn bump(&self) {
        *lock(&self.generation) += 1;
        self.changed.notify_all();
    }

    /// Ends one unstarted task `Failed` (under the state lock), sending
    /// through `results` or else the state's sender.
    fn end_one(
        &self,
        state: &State,
        id: u64,
        (fault, error): (Fault, String),
        results: Option<ResultSender>,
    ) {
        let result = self.core.end_unstarted(
            id,
            self.core.created_us,
            Outcome::Failed { error },
            Some(fault),
        );
        if let Some(tx) = results.as_ref().or(state.results.as_ref()) {
            let _ = tx.send(result);
        }
        self.ended.fetch_add(1, Ordering::AcqRel);
    }

    /// From a task thread's death hook, on the dying thread: what
    /// `TaskThread`'s `Drop` would have done, after ending its task `Failed`.
    fn thread_died(&self, index: usize, results: Option<ResultSender>, reason: &str) {
        let message = format!("{}: thread {index} died: {reason}", fault::THREAD_DIED);
        if let Some(result) = self.core.end_dying_task(None, &message) {
            if let Some(tx) = &results {
                let _ = tx.send(result);
            }
            self.ended.fetch_add(1, Ordering::AcqRel);
        }
        drop(results);
        self.core.stats.thread_exited();
        self.bump();
    }

    /// Ends every pending task with `outcome` (under the state lock).
    fn end_pending(&self, state: &mut State, outcome: Outcome, fault: Option<Fault>) {
        let results = state.results.take();
        self.pending.store(0, Ordering::Release);
        for task in state.pending.drain(..) {
            let result =
                self.core
                    .end_unstarted(task.id, self.core.created_us, outcome.clone(), fault);
            drop_quietly(task);
            if let Some(tx) = &results {
                let _ = tx.send(result);
            }
            self.ended.fetch_add(1, Ordering::AcqRel);
        }
    }
}

impl SpawnPerTask {
    /// Validates `config` and spawns as many of `tasks` as its cap allows
    /// (see [`SpawnPerTask::pump`]); the caller pumps again for the rest.
    pub fn start(
        config: SpawnPerTaskConfig,
        tasks: Vec<Task>,
        spawner: &dyn Spawner,
        clock: Arc<dyn Clock>,
    ) -> Result<SpawnPerTask, StartError> {
        let run = SpawnPerTask::new(config, tasks, clock)?;
        run.pump(spawner);
        Ok(run)
    }

    /// Validates `config`; spawns nothing until the first [`SpawnPerTask::pump`].
    pub fn new(
        config: SpawnPerTaskConfig,
        tasks: Vec<Task>,
        clock: Arc<dyn Clock>,
    ) -> Result<SpawnPerTask, ConfigError> {
        config.validate()?;
        let (tx, rx) = results_channel();
        let total = tasks.len() as u64;
        let core = RunCore::new(clock, LiveStats::new(0), config.limits);
        core.stats.add_submitted(total);
        let shared = Arc::new(SpawnPerTaskShared {
            core,
            cap: config.cap,
            total,
            state: Mutex::new(State {
                results: if tasks.is_empty() { None } else { Some(tx) },
                pending: tasks.into(),
                refused: None,
                bounced: None,
                next_thread: 0,
            }),
            ended: AtomicU64::new(0),
            pending: AtomicU64::new(total),
            generation: Mutex::new(0),
            changed: Condvar::new(),
        });
        Ok(SpawnPerTask {
            shared,
            results: rx,
        })
    }

    /// Spawns as many waiting tasks as the cap allows (all, if uncapped) and
    /// returns how many. Never blocks and never waits for a thread to start.
    ///
    /// On the first refused spawn, that task and every task not yet spawned
    /// end `Failed` with `"spawn refused: <reason>"` (threads already running
    /// finish normally) and nothing more is spawned.
    pub fn pump(&self, spawner: &dyn Spawner) -> usize {
        let s = &self.shared;
        let mut spawned = 0;
        loop {
            let (task, results, index) = {
                let mut state = s.state();
                if s.core.cancelled.is_set() || state.refused.is_some() || state.pending.is_empty()
                {
                    break;
                }
                if s.cap
                    .is_some_and(|cap| s.core.stats.live_threads() >= cap as u64)
                {
                    break;
                }
                let Some(task) = state.pending.pop_front() else {
                    break;
                };
                s.pending.fetch_sub(1, Ordering::AcqRel);
                let results = if state.pending.is_empty() {
                    state.results.take()
                } else {
                    state.results.clone()
                };
                // Counted live before the spawn, under the lock: the cap holds.
                s.core.stats.thread_reserved();
                let index = state.next_thread;
                state.next_thread += 1;
                (task, results, index)
            };
            let id = task.id;
            let thread = TaskThread {
                shared: s.clone(),
                task: Some(task),
                results,
                index,
                spawned_us: s.core.now_us(),
            };
            let previous = SPAWNING.with(|f| f.replace(Arc::as_ptr(s) as usize));
            let outcome = spawner.spawn(Box::new(move || thread.run()));
            SPAWNING.with(|f| f.set(previous));
            let mut state = s.state();
            let bounced = state.bounced.take();
            match outcome {
                Ok(()) => {
                    s.core.stats.thread_accepted();
                    spawned += 1;
                    if let Some(Bounced { task, results, why }) = bounced {
                        // Accepted, yet dropped unrun at once.
                        s.end_one(&state, task.id, (Fault::FailedToStart, why), results);
                        drop_quietly(task);
                    }
                }
                Err(e) => {
                    // The refused closure was dropped (its `TaskThread` handed
                    // the task back as `bounced`). Fail it and every task not
                    // yet spawned, with the spawn's reason.
                    let reason = format!("spawn refused: {}", e.reason);
                    match bounced {
                        Some(Bounced { task, results, .. }) => {
                            if state.results.is_none() {
                                state.results = results;
                            }
                            state.pending.push_front(task);
                            s.pending.fetch_add(1, Ordering::AcqRel);
                        }
                        // A spawner that kept the closure (against the
                        // contract): report the task by id.
                        None => s.end_one(&state, id, (Fault::SpawnRefused, reason.clone()), None),
                    }
                    state.refused = Some(reason.clone());
                    s.end_pending(
                        &mut state,
                        Outcome::Failed { error: reason },
                        Some(Fault::SpawnRefused),
                    );
                    drop(state);
                    s.bump();
                    break;
                }
            }
        }
        spawned
    }

    pub fn is_cancelled(&self) -> bool {
        self.shared.core.cancelled.is_set()
    }

    /// For native callers: pumps, and waits (on a condvar, no spinning) for
    /// threads to end before pumping again, until finished.
    pub fn join(&self, spawner: &dyn Spawner) {
        let s = &self.shared;
        loop {
            let seen = *lock(&s.generation);
            self.pump(spawner);
            if self.is_finished() {
                return;
            }
            let mut generation = lock(&s.generation);
            while *generation == seen {
                generation = s
                    .changed
                    .wait(generation)
                    .unwrap_or_else(|p| p.into_inner());
            }
        }
    }

    /// From each spawn call to the first instruction of its thread.
    pub fn startup_us(&self) -> Percentiles {
        self.stats().worker_startup
    }

    /// Threads of this run whose closure has not returned.
    pub fn live_threads(&self) -> usize {
        self.shared.core.stats.live_threads() as usize
    }
}

/// One thread per task as a [`crate::Strategy`]: `queued` counts tasks
/// waiting for a thread; `workers` in its stats is empty; `advance` pumps.
impl Core for SpawnPerTask {
    fn parts(&self) -> (&RunCore, &Results) {
        (&self.shared.core, &self.results)
    }

    fn queued(&self) -> u64 {
        self.shared.pending.load(Ordering::Acquire)
    }

    fn stop(&self) {
        let s = &self.shared;
        if s.core.cancel() {
            s.end_pending(&mut s.state(), Outcome::Cancelled, None);
            s.bump();
        }
    }

    /// Every task has its result and every thread of the run has returned.
    fn finished(&self) -> bool {
        let s = &self.shared;
        s.ended.load(Ordering::Acquire) == s.total && s.core.stats.live_threads() == 0
    }

    fn step(&self, spawner: &dyn Spawner) {
        self.pump(spawner);
    }
}

impl Drop for SpawnPerTask {
    /// Cancels (unspawned tasks end `Cancelled`); does not wait for running
    /// threads, which end on their own.
    fn drop(&mut self) {
        self.cancel();
    }
}

/// One spawned task, moved into its thread. Its `Drop` ends the thread's
/// bookkeeping; if the task never ran (the spawn was refused and the closure
/// dropped), it also ends the task `Failed`, as refused.
struct TaskThread {
    shared: Arc<SpawnPerTaskShared>,
    task: Option<Task>,
    results: Option<ResultSender>,
    index: usize,
    spawned_us: f64,
}

impl TaskThread {
    fn run(mut self) {
        // Dropped (unrun) before `self` when `run` returns or unwinds.
        let _watch = {
            let (shared, index) = (self.shared.clone(), self.index);
            fault::on_death(move |reason| shared.thread_died(index, release_results(), reason))
        };
        // Sent through a thread-local, which the death hook can empty.
        hold_results(self.results.take());
        let s = &*self.shared;
        let started = s.core.now_us();
        s.core.stats.thread_started(self.spawned_us, started);
        let Some(task) = self.task.take() else {
            return;
        };
        let result = s
            .core
            .execute(task, self.index, s.core.created_us, None, None);
        send_result(result);
        // The sender goes before the task counts as ended, so that the
        // results channel has disconnected once the run is finished.
        drop(release_results());
        s.ended.fetch_add(1, Ordering::AcqRel);
    }
}

impl Drop for TaskThread {
    fn drop(&mut self) {
        let s = &*self.shared;
        if let Some(task) = self.task.take() {
            // Never ran: the closure was dropped unrun.
            let mut state = s.state();
            if SPAWNING.with(|f| f.get()) == std::ptr::from_ref(s) as usize {
                // Inside `pump`'s spawn call (a refusal, or an acceptance
                // that dropped it at once): `pump` ends it with the reason.
                state.bounced = Some(Bounced {
                    task,
                    results: self.results.take(),
                    why: fault::failed_to_start_message(),
                });
            } else {
                // Later, after the spawner had accepted it (on the web: the
                // Web Worker failed to load).
                let results = self.results.take();
                let why = fault::failed_to_start_message();
                s.end_one(&state, task.id, (Fault::FailedToStart, why), results);
                drop_quietly(task);
            }
        } else {
            // It ran on this thread (and returned or unwound).
            drop(release_results());
        }
        drop(self.results.take());
        s.core.stats.thread_exited();
        s.bump();
    }
}
