//! rayon's work stealing over the same [`Spawner`]: a `rayon::ThreadPool` per
//! run, built with `ThreadPoolBuilder::spawn_handler` (see README.md).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crossbeam_channel::{bounded, unbounded, Receiver, Sender};
use rayon::iter::{IntoParallelIterator, ParallelIterator};

use crate::config::{check_opt_usize, check_timeout, check_usize, MAX_CONNECTIONS, MAX_WORKERS};
use crate::pool::StartError;
use crate::runtime::{Clock, Spawner};
use crate::stats::{RunStats, StatsSnapshot};
use crate::sync::{CloseSlot, Flag, Latch, Semaphore};
use crate::task::exec::{drop_quietly, run_task, unstarted, RunEnv};
use crate::task::{Outcome, Task, TaskResult};

/// A run of tasks on a fresh rayon thread pool of `threads` threads.
///
/// `start` never blocks: it spawns `threads` *carrier* threads, each waiting
/// on a channel for a `rayon::ThreadBuilder`, and one *driver* thread that
/// builds the rayon pool (its spawn handler only sends the builders to the
/// carriers), runs every task with `install(|| into_par_iter().for_each(..))`
/// and then drops the pool, so that all its threads exit.
pub struct RayonRun {
    shared: Arc<Shared>,
    results: Receiver<TaskResult>,
}

struct Shared {
    clock: Arc<dyn Clock>,
    created_us: f64,
    threads: usize,
    total: u64,
    cancelled: Flag,
    connections: Option<Semaphore>,
    timeout_us: Option<f64>,
    stats: RunStats,
    /// Carriers + driver: counts down as each of them returns.
    exited: Latch,
    ended: AtomicU64,
    /// The tasks, until the rayon job takes them (or the driver fails them).
    tasks: Mutex<Option<Vec<Task>>>,
    /// Cloned by the rayon job when it starts; closed by the driver.
    results: CloseSlot<Sender<TaskResult>>,
    /// To the driver: the job is done, or no carrier will ever run.
    events: Sender<DriverEvent>,
    /// Carriers dropped without running their rayon thread.
    unrun_carriers: AtomicUsize,
}

enum DriverEvent {
    Done,
    NoThreads,
}

/// Why the tasks end `Failed` when no rayon thread of the run ever started.
pub const NO_THREADS: &str = "thread failed to start: no rayon thread of the run started";

/// Why the tasks end `Failed` when the driver thread never ran.
pub const DRIVER_FAILED: &str = "thread failed to start: the rayon run's driver thread never ran";

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl RayonRun {
    /// Validates (`threads` 1..=256 is reported as `workers`), spawns the
    /// carriers and the driver, and returns at once. If a spawn fails, the
    /// threads already spawned exit on their own and the error is returned.
    pub fn start(
        threads: usize,
        tasks: Vec<Task>,
        task_timeout_ms: Option<f64>,
        connections: Option<usize>,
        spawner: &dyn Spawner,
        clock: Arc<dyn Clock>,
    ) -> Result<RayonRun, StartError> {
        check_usize("workers", threads, 1, MAX_WORKERS)?;
        check_timeout("taskTimeoutMs", task_timeout_ms)?;
        check_opt_usize("connections", connections, 1, MAX_CONNECTIONS)?;
        let total = tasks.len() as u64;
        let stats = RunStats::new(threads);
        stats.add_submitted(total);
        let (results_tx, results_rx) = unbounded();
        let (events_tx, events_rx) = unbounded();
        let shared = Arc::new(Shared {
            tasks: Mutex::new(Some(tasks)),
            results: CloseSlot::new(results_tx),
            events: events_tx,
            unrun_carriers: AtomicUsize::new(0),
            created_us: clock.now_us(),
            clock,
            threads,
            total,
            cancelled: Flag::new(),
            connections: connections.map(Semaphore::new),
            timeout_us: task_timeout_ms.map(|ms| ms * 1_000.0),
            stats,
            exited: Latch::new(threads + 1),
            ended: AtomicU64::new(0),
        });

        let mut builders = Vec::with_capacity(threads);
        for index in 0..threads {
            let (tx, rx) = bounded(1);
            let carrier = Carrier::new(shared.clone(), index, rx);
            if let Err(e) = spawner.spawn(Box::new(move || carrier.run())) {
                // The refused carrier was dropped (and counted out). Dropping
                // `builders` makes the spawned carriers' `recv` fail: they exit.
                shared.fail_start(threads - index);
                return Err(StartError::Spawn(e));
            }
            builders.push(tx);
        }
        let driver = Driver::new(shared.clone(), builders, events_rx);
        if let Err(e) = spawner.spawn(Box::new(move || driver.run())) {
            // The driver was dropped, and with it the builders' senders.
            shared.fail_start(0);
            return Err(StartError::Spawn(e));
        }
        Ok(RayonRun {
            shared,
            results: results_rx,
        })
    }

    /// Tasks not yet started end `Cancelled`; running ones see
    /// `is_cancelled`; connection waiters wake. Idempotent, never blocks.
    pub fn cancel(&self) {
        self.shared.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.shared.cancelled.is_set()
    }

    /// Every task has ended and every thread of the run (driver, carriers and
    /// so rayon's threads) has returned.
    pub fn is_finished(&self) -> bool {
        self.shared.exited.is_done()
    }

    /// Blocks until `is_finished` (never call it from the thread that must
    /// return to its event loop for the run's threads to start).
    pub fn join(&self) {
        self.shared.exited.wait();
    }

    /// Every task's result; disconnects when the driver is done.
    pub fn results(&self) -> Receiver<TaskResult> {
        self.results.clone()
    }

    pub fn stats(&self) -> StatsSnapshot {
        let s = &self.shared;
        let started_or_ended = s.stats.completed() + s.stats.in_flight();
        let queued = s.total.saturating_sub(started_or_ended);
        s.stats.snapshot(queued, s.connections.as_ref())
    }

    pub fn threads(&self) -> usize {
        self.shared.threads
    }

    /// Tasks with a result so far.
    pub fn ended(&self) -> u64 {
        self.shared.ended.load(Ordering::Acquire)
    }
}

impl Drop for RayonRun {
    /// Cancels; does not wait (the run's threads end on their own).
    fn drop(&mut self) {
        self.shared.cancel();
    }
}

impl Shared {
    fn cancel(&self) {
        if self.cancelled.set() {
            if let Some(sem) = &self.connections {
                sem.wake_all();
            }
        }
    }

    /// After a refused spawn: count out the `never` threads not spawned (the
    /// driver included) and stop.
    fn fail_start(&self, never: usize) {
        for _ in 0..never {
            self.exited.count_down();
        }
        self.cancelled.set();
    }
}

/// A thread that waits for its `rayon::ThreadBuilder` and runs it. Its `Drop`
/// counts it out (also when the spawn was refused and it never ran).
struct Carrier {
    shared: Arc<Shared>,
    index: usize,
    builder: Receiver<rayon::ThreadBuilder>,
    spawned_us: f64,
    ran: bool,
}

impl Carrier {
    fn new(shared: Arc<Shared>, index: usize, builder: Receiver<rayon::ThreadBuilder>) -> Carrier {
        shared.stats.thread_spawned();
        let spawned_us = shared.clock.now_us();
        Carrier {
            shared,
            index,
            builder,
            spawned_us,
            ran: false,
        }
    }

    fn run(mut self) {
        let s = &*self.shared;
        s.stats.thread_started(self.spawned_us, s.clock.now_us());
        self.ran = true;
        if let Ok(builder) = self.builder.recv() {
            if let Some(slot) = s.stats.slot(builder.index()) {
                slot.set_idle();
            }
            builder.run();
        }
    }
}

impl Drop for Carrier {
    fn drop(&mut self) {
        let s = &*self.shared;
        if !self.ran && s.unrun_carriers.fetch_add(1, Ordering::AcqRel) + 1 == s.threads {
            // Every carrier was dropped unrun (on the web: its Web Worker
            // failed to load): no rayon thread will ever take the job.
            let _ = s.events.send(DriverEvent::NoThreads);
        }
        if let Some(slot) = s.stats.slot(self.index) {
            slot.set_exited();
        }
        s.stats.thread_exited();
        s.exited.count_down();
    }
}

/// The thread that builds the rayon pool and runs the tasks on it.
struct Driver {
    shared: Arc<Shared>,
    builders: Vec<Sender<rayon::ThreadBuilder>>,
    events: Receiver<DriverEvent>,
    spawned_us: f64,
}

impl Driver {
    fn new(
        shared: Arc<Shared>,
        builders: Vec<Sender<rayon::ThreadBuilder>>,
        events: Receiver<DriverEvent>,
    ) -> Driver {
        shared.stats.thread_spawned();
        let spawned_us = shared.clock.now_us();
        Driver {
            shared,
            builders,
            events,
            spawned_us,
        }
    }

    fn run(mut self) {
        let shared = self.shared.clone();
        let s = &*shared;
        s.stats.thread_started(self.spawned_us, s.clock.now_us());
        let builders = std::mem::take(&mut self.builders);
        let built = rayon::ThreadPoolBuilder::new()
            .num_threads(s.threads)
            .thread_name(|i| format!("rayon-run-{i}"))
            .spawn_handler(move |builder| {
                // Only hands the builder over: the carrier may not have
                // started yet (on the web it cannot before our spawner's
                // caller returns to its event loop) and must not be waited for.
                // A carrier that is already gone (its closure dropped unrun)
                // is a rayon thread that exited at once: the builder is
                // dropped and the other threads do the work.
                let _ = builders[builder.index()].send(builder);
                Ok(())
            })
            .build();
        match built {
            Ok(pool) => {
                let job = shared.clone();
                // `spawn` + our own event rather than `install`: `install`
                // would wait for ever if no rayon thread ever started.
                pool.spawn(move || job.run_all());
                loop {
                    match self.events.recv() {
                        Ok(DriverEvent::Done) | Err(_) => break,
                        Ok(DriverEvent::NoThreads) => {
                            if s.fail_all(NO_THREADS) {
                                break;
                            }
                            // The job had taken the tasks after all: a rayon
                            // thread runs them; wait for `Done`.
                        }
                    }
                }
                // Terminates rayon's threads (it does not wait for them: the
                // carriers count themselves out as their threads return).
                drop(pool);
            }
            Err(e) => {
                s.fail_all(&format!("rayon thread pool could not be built: {e}"));
            }
        }
    }
}

impl Shared {
    /// The rayon job: every task, in parallel, on the run's rayon threads.
    fn run_all(&self) {
        let Some(tasks) = lock(&self.tasks).take() else {
            return;
        };
        if let Some(results) = self.results.get() {
            let env = RunEnv {
                clock: &*self.clock,
                cancelled: &self.cancelled,
                connections: self.connections.as_ref(),
                timeout_us: self.timeout_us,
                stats: &self.stats,
            };
            tasks.into_par_iter().for_each(|task| {
                let worker = rayon::current_thread_index().unwrap_or(0);
                let result = run_task(task, worker, self.created_us, &env, self.stats.slot(worker));
                let _ = results.send(result);
                self.ended.fetch_add(1, Ordering::AcqRel);
            });
        }
        let _ = self.events.send(DriverEvent::Done);
    }

    /// Ends every task not taken by the rayon job `Failed`; `false` if the
    /// job had taken them.
    fn fail_all(&self, error: &str) -> bool {
        let Some(tasks) = lock(&self.tasks).take() else {
            return false;
        };
        let results = self.results.get();
        for task in tasks {
            let outcome = Outcome::Failed {
                error: error.to_string(),
            };
            let result = unstarted(
                task.id,
                self.created_us,
                self.clock.now_us(),
                outcome,
                &self.stats,
            );
            drop_quietly(task);
            if let Some(tx) = &results {
                let _ = tx.send(result);
            }
            self.ended.fetch_add(1, Ordering::AcqRel);
        }
        true
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let s = &*self.shared;
        // If the driver never ran (its closure was dropped unrun: on the web,
        // a Web Worker that failed to load), no job exists: end the tasks.
        s.fail_all(DRIVER_FAILED);
        // The results channel disconnects once the job's clone is gone too.
        s.results.close();
        s.stats.thread_exited();
        s.exited.count_down();
    }
}
