#![doc = include_str!("README.md")]

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crossbeam_channel::{bounded, unbounded, Receiver, Sender};
use rayon::iter::{IndexedParallelIterator, IntoParallelIterator, ParallelIterator};

use crate::config::{check_usize, ConfigError, TaskLimits, MAX_WORKERS};
use crate::runtime::{fault, Clock, Spawner};
use crate::stats::LiveStats;
use crate::strategy::StartError;
use crate::strategy::{lock, results_channel, Core, ResultSender, Results, RunCore};
use crate::sync::{CloseSlot, Flag, Latch};
use crate::task::exec::drop_quietly;
use crate::task::{Fault, Outcome, Task, TaskResult};

/// Configuration of a rayon run.
#[derive(Debug, Clone, PartialEq)]
pub struct RayonConfig {
    /// rayon threads, 1..=256 (reported as `workers`, as JavaScript names it).
    pub threads: usize,
    pub limits: TaskLimits,
}

impl Default for RayonConfig {
    fn default() -> Self {
        RayonConfig {
            threads: 4,
            limits: TaskLimits::default(),
        }
    }
}

impl RayonConfig {
    /// `threads` rayon threads, no deadline, no limited resource.
    pub fn with_threads(threads: usize) -> RayonConfig {
        RayonConfig {
            threads,
            ..RayonConfig::default()
        }
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        check_usize("workers", self.threads, 1, MAX_WORKERS)?;
        self.limits.validate()
    }
}

/// A run of tasks on a fresh rayon thread pool of `threads` threads.
///
/// `start` never blocks: it spawns `threads` *carrier* threads, each waiting
/// on a channel for a `rayon::ThreadBuilder`, and one *driver* thread that
/// builds the rayon pool (its spawn handler only sends the builders to the
/// carriers), `spawn`s one job that runs every task on the pool and waits
/// for it on its own channel (not `install`: see README.md), then drops the
/// pool, so that all its threads exit.
pub struct RayonRun {
    shared: Arc<RayonShared>,
    results: Results,
}

struct RayonShared {
    core: RunCore,
    threads: usize,
    total: u64,
    /// Carriers + driver: counts down as each of them returns.
    exited: Latch,
    ended: AtomicU64,
    /// The tasks, until the rayon job takes them (or the driver fails them).
    tasks: Mutex<Option<Vec<Task>>>,
    /// The tasks' ids, by position.
    ids: Box<[u64]>,
    /// One bit per task position, set by whoever takes the task: the rayon
    /// thread about to run it, or a dying thread's hook ending it unrun. So
    /// after a thread died each task still ends exactly once.
    taken: Box<[AtomicU64]>,
    /// Set when a rayon thread died: why.
    broken: Mutex<Option<String>>,
    /// The driver has returned (or was dropped unrun).
    driver_done: Flag,
    /// Cloned by the rayon job when it starts; closed by the driver.
    results: CloseSlot<ResultSender>,
    /// To the driver: the job is done, or no carrier will ever run.
    events: Sender<DriverEvent>,
    /// Carriers dropped without running their rayon thread.
    unrun_carriers: AtomicUsize,
    /// Why the last carrier dropped unrun never started, when the spawner said.
    start_failure: Mutex<Option<String>>,
}

enum DriverEvent {
    Done,
    NoThreads,
    /// A rayon thread died: the job will never finish.
    ThreadDied,
}

/// Why the tasks end `Failed` when no rayon thread of the run ever started.
pub const NO_THREADS: &str = "thread failed to start: no rayon thread of the run started";

/// Why the tasks end `Failed` when the driver thread never ran.
pub const DRIVER_FAILED: &str = "thread failed to start: the rayon run's driver thread never ran";

/// `base`, with the spawner's reason when a drop is reporting one.
fn with_start_failure(base: &str) -> String {
    match fault::start_failure() {
        Some(reason) => format!("{base} ({reason})"),
        None => base.to_string(),
    }
}

impl RayonRun {
    /// Validates (`threads` 1..=256 is reported as `workers`), spawns the
    /// carriers and the driver, and returns at once. If a spawn fails, the
    /// threads already spawned exit on their own and the error is returned.
    pub fn start(
        config: RayonConfig,
        tasks: Vec<Task>,
        spawner: &dyn Spawner,
        clock: Arc<dyn Clock>,
    ) -> Result<RayonRun, StartError> {
        config.validate()?;
        let threads = config.threads;
        let total = tasks.len() as u64;
        let ids: Box<[u64]> = tasks.iter().map(|t| t.id).collect();
        let taken = (0..tasks.len().div_ceil(64))
            .map(|_| AtomicU64::new(0))
            .collect();
        let core = RunCore::new(clock, LiveStats::new(threads), config.limits);
        core.stats.add_submitted(total);
        let (results_tx, results_rx) = results_channel();
        let (events_tx, events_rx) = unbounded();
        let shared = Arc::new(RayonShared {
            tasks: Mutex::new(Some(tasks)),
            ids,
            taken,
            broken: Mutex::new(None),
            driver_done: Flag::new(),
            results: CloseSlot::new(results_tx),
            events: events_tx,
            unrun_carriers: AtomicUsize::new(0),
            start_failure: Mutex::new(None),
            core,
            threads,
            total,
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

    pub fn is_cancelled(&self) -> bool {
        self.shared.core.cancelled.is_set()
    }

    /// Why the run broke (a rayon thread died), if it did.
    pub fn broken(&self) -> Option<String> {
        lock(&self.shared.broken).clone()
    }

    /// Blocks until `is_finished` (never call it from the thread that must
    /// return to its event loop for the run's threads to start).
    pub fn join(&self) {
        self.shared.exited.wait();
    }

    pub fn threads(&self) -> usize {
        self.shared.threads
    }
}

/// rayon as a [`crate::Strategy`]: `results` disconnects when the driver is
/// done; `is_finished` means every task has ended and every thread of the
/// run (driver, carriers and so rayon's threads) has returned, or, after a
/// rayon thread died, every task has ended and the driver has returned (the
/// threads that waited on the dead one stay blocked: rayon cannot lose a
/// thread).
impl Core for RayonRun {
    fn parts(&self) -> (&RunCore, &Results) {
        (&self.shared.core, &self.results)
    }

    fn queued(&self) -> u64 {
        let stats = &self.shared.core.stats;
        self.shared
            .total
            .saturating_sub(stats.completed() + stats.in_flight())
    }

    fn stop(&self) {
        self.shared.core.cancel();
    }

    fn finished(&self) -> bool {
        let s = &self.shared;
        s.exited.is_done()
            || (s.driver_done.is_set()
                && lock(&s.broken).is_some()
                && s.ended.load(Ordering::Acquire) == s.total)
    }
}

impl Drop for RayonRun {
    /// Cancels; does not wait (the run's threads end on their own).
    fn drop(&mut self) {
        self.shared.cancel();
    }
}

impl RayonShared {
    fn cancel(&self) {
        self.core.cancel();
    }

    /// After a refused spawn: count out the `never` threads not spawned (the
    /// driver included) and stop.
    fn fail_start(&self, never: usize) {
        for _ in 0..never {
            self.exited.count_down();
        }
        self.core.cancelled.set();
    }
}

/// A thread that waits for its `rayon::ThreadBuilder` and runs it. Its `Drop`
/// counts it out (also when the spawn was refused and it never ran).
struct Carrier {
    shared: Arc<RayonShared>,
    index: usize,
    builder: Receiver<rayon::ThreadBuilder>,
    spawned_us: f64,
    ran: bool,
}

impl Carrier {
    fn new(
        shared: Arc<RayonShared>,
        index: usize,
        builder: Receiver<rayon::ThreadBuilder>,
    ) -> Carrier {
        let spawned_us = shared.core.thread_spawned();
        Carrier {
            shared,
            index,
            builder,
            spawned_us,
            ran: false,
        }
    }

    fn run(mut self) {
        // Dropped (unrun) before `self` when `run` returns or unwinds.
        let _watch = {
            let (shared, index) = (self.shared.clone(), self.index);
            fault::on_death(move |reason| shared.thread_died(index, reason))
        };
        let s = &*self.shared;
        s.core
            .stats
            .thread_started(self.spawned_us, s.core.now_us());
        self.ran = true;
        if let Ok(builder) = self.builder.recv() {
            if let Some(slot) = s.core.stats.slot(builder.index()) {
                slot.set_idle();
            }
            builder.run();
        }
    }
}

impl Drop for Carrier {
    fn drop(&mut self) {
        let s = &*self.shared;
        if !self.ran {
            if let Some(reason) = fault::start_failure() {
                *lock(&s.start_failure) = Some(reason);
            }
        }
        if !self.ran && s.unrun_carriers.fetch_add(1, Ordering::AcqRel) + 1 == s.threads {
            // Every carrier was dropped unrun (on the web: its Web Worker
            // failed to load): no rayon thread will ever take the job.
            let _ = s.events.send(DriverEvent::NoThreads);
        }
        if let Some(slot) = s.core.stats.slot(self.index) {
            slot.set_exited();
        }
        s.core.stats.thread_exited();
        s.exited.count_down();
    }
}

/// The thread that builds the rayon pool and runs the tasks on it.
struct Driver {
    shared: Arc<RayonShared>,
    builders: Vec<Sender<rayon::ThreadBuilder>>,
    events: Receiver<DriverEvent>,
    spawned_us: f64,
}

impl Driver {
    fn new(
        shared: Arc<RayonShared>,
        builders: Vec<Sender<rayon::ThreadBuilder>>,
        events: Receiver<DriverEvent>,
    ) -> Driver {
        let spawned_us = shared.core.thread_spawned();
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
        s.core
            .stats
            .thread_started(self.spawned_us, s.core.now_us());
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
                        Ok(DriverEvent::Done | DriverEvent::ThreadDied) | Err(_) => break,
                        Ok(DriverEvent::NoThreads) => {
                            let reason = lock(&s.start_failure).take();
                            let error = match reason {
                                Some(reason) => format!("{NO_THREADS} ({reason})"),
                                None => NO_THREADS.to_string(),
                            };
                            if s.fail_all(&error) {
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

impl RayonShared {
    /// Takes the task at `position` (to run it or to end it unrun): `true` once.
    fn take(&self, position: usize) -> bool {
        let bit = 1u64 << (position % 64);
        self.taken[position / 64].fetch_or(bit, Ordering::AcqRel) & bit == 0
    }

    fn deliver(&self, result: TaskResult, results: &ResultSender) {
        let _ = results.send(result);
        self.ended.fetch_add(1, Ordering::AcqRel);
    }

    /// From a carrier's death hook, on the dying rayon thread. rayon cannot
    /// lose a thread (the work it had taken never completes, and whoever
    /// waits for it waits for ever), so the run ends here: the dying task and
    /// every task not yet taken end `Failed`, tasks running elsewhere finish,
    /// and the driver stops waiting for the job.
    fn thread_died(&self, index: usize, reason: &str) {
        // rayon's deques hold jobs on this thread's stack, which other
        // threads may still steal and run: it must stay allocated.
        fault::keep_stack();
        let message = format!(
            "{}: rayon thread {index} died: {reason}",
            fault::THREAD_DIED
        );
        lock(&self.broken).get_or_insert_with(|| message.clone());
        let slot = self.core.stats.slot(index);
        let dying = self.core.end_dying_task(slot, &message);
        if let Some(results) = self.results.get() {
            if let Some(result) = dying {
                self.deliver(result, &results);
            }
            let lost =
                format!("{message}; rayon cannot go on without a thread, so this task never ran");
            for (position, &id) in self.ids.iter().enumerate() {
                if self.take(position) {
                    let outcome = Outcome::Failed {
                        error: lost.clone(),
                    };
                    let _ = results.send(self.core.end_unstarted(
                        id,
                        self.core.created_us,
                        outcome,
                        Some(Fault::ThreadDied),
                    ));
                    self.ended.fetch_add(1, Ordering::AcqRel);
                }
            }
        }
        let _ = self.events.send(DriverEvent::ThreadDied);
        if let Some(slot) = slot {
            slot.set_exited();
        }
        self.core.stats.thread_exited();
        self.exited.count_down();
    }
}

impl RayonShared {
    /// The rayon job: every task, in parallel, on the run's rayon threads.
    fn run_all(&self) {
        let Some(tasks) = lock(&self.tasks).take() else {
            return;
        };
        if let Some(results) = self.results.get() {
            tasks
                .into_par_iter()
                .enumerate()
                .for_each(|(position, task)| {
                    if !self.take(position) {
                        // Ended unrun by a dying thread's hook.
                        drop_quietly(task);
                        return;
                    }
                    let worker = rayon::current_thread_index().unwrap_or(0);
                    let result = self.core.execute(
                        task,
                        worker,
                        self.core.created_us,
                        self.core.stats.slot(worker),
                        None,
                    );
                    self.deliver(result, &results);
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
        for (position, task) in tasks.into_iter().enumerate() {
            if !self.take(position) {
                continue;
            }
            let outcome = Outcome::Failed {
                error: error.to_string(),
            };
            let result = self.core.end_unstarted(
                task.id,
                self.core.created_us,
                outcome,
                Some(Fault::FailedToStart),
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
        s.fail_all(&with_start_failure(DRIVER_FAILED));
        // The results channel disconnects once the job's clone is gone too.
        s.results.close();
        s.driver_done.set();
        s.core.stats.thread_exited();
        s.exited.count_down();
    }
}
