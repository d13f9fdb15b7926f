//! rayon's work stealing over the same [`Spawner`]: a `rayon::ThreadPool` per
//! run, built with `ThreadPoolBuilder::spawn_handler` (see README.md).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crossbeam_channel::{bounded, unbounded, Receiver, Sender};
use rayon::iter::{IntoParallelIterator, ParallelIterator};

use crate::config::{check_opt_usize, check_timeout, check_usize, MAX_CONNECTIONS, MAX_WORKERS};
use crate::pool::StartError;
use crate::runtime::{Clock, Spawner};
use crate::stats::{RunStats, StatsSnapshot};
use crate::sync::{Flag, Latch, Semaphore};
use crate::task::exec::{run_task, unstarted, RunEnv};
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
        let shared = Arc::new(Shared {
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
        let (results_tx, results_rx) = unbounded();

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
        let driver = Driver::new(shared.clone(), tasks, builders, results_tx);
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
        }
    }

    fn run(self) {
        let s = &*self.shared;
        s.stats.thread_started(self.spawned_us, s.clock.now_us());
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
    tasks: Vec<Task>,
    builders: Vec<Sender<rayon::ThreadBuilder>>,
    results: Option<Sender<TaskResult>>,
    spawned_us: f64,
}

impl Driver {
    fn new(
        shared: Arc<Shared>,
        tasks: Vec<Task>,
        builders: Vec<Sender<rayon::ThreadBuilder>>,
        results: Sender<TaskResult>,
    ) -> Driver {
        shared.stats.thread_spawned();
        let spawned_us = shared.clock.now_us();
        Driver {
            shared,
            tasks,
            builders,
            results: Some(results),
            spawned_us,
        }
    }

    fn run(mut self) {
        let shared = self.shared.clone();
        let s = &*shared;
        s.stats.thread_started(self.spawned_us, s.clock.now_us());
        let tasks = std::mem::take(&mut self.tasks);
        let builders = std::mem::take(&mut self.builders);
        let Some(results) = self.results.take() else {
            return;
        };
        let built = rayon::ThreadPoolBuilder::new()
            .num_threads(s.threads)
            .thread_name(|i| format!("rayon-run-{i}"))
            .spawn_handler(move |builder| {
                // Only hands the builder over: the carrier may not have
                // started yet (on the web it cannot, before our spawner's
                // caller returns to its event loop), and must not be waited for.
                builders[builder.index()]
                    .send(builder)
                    .map_err(|_| std::io::Error::other("carrier thread is gone"))
            })
            .build();
        match built {
            Ok(pool) => {
                let env = RunEnv {
                    clock: &*s.clock,
                    cancelled: &s.cancelled,
                    connections: s.connections.as_ref(),
                    timeout_us: s.timeout_us,
                    stats: &s.stats,
                };
                pool.install(|| {
                    tasks.into_par_iter().for_each(|task| {
                        let worker = rayon::current_thread_index().unwrap_or(0);
                        let result =
                            run_task(task, worker, s.created_us, &env, s.stats.slot(worker));
                        let _ = results.send(result);
                        s.ended.fetch_add(1, Ordering::AcqRel);
                    })
                });
                // Terminates rayon's threads (it does not wait for them: the
                // carriers count themselves out as their threads return).
                drop(pool);
            }
            Err(e) => {
                let error = format!("rayon thread pool could not be built: {e}");
                for task in tasks {
                    let result = unstarted(
                        task.id,
                        s.created_us,
                        s.clock.now_us(),
                        Outcome::Failed {
                            error: error.clone(),
                        },
                        &s.stats,
                    );
                    crate::task::exec::drop_quietly(task);
                    let _ = results.send(result);
                    s.ended.fetch_add(1, Ordering::AcqRel);
                }
            }
        }
        drop(results);
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let s = &*self.shared;
        drop(self.results.take());
        s.stats.thread_exited();
        s.exited.count_down();
    }
}
