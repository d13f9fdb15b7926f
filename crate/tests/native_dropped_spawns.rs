//! Spawns that are accepted and whose closure is then dropped unrun. On the
//! web, `Spawner::spawn` returns Ok and the Web Worker can still fail to load:
//! the closure is then dropped on the spawning thread, never run. Every
//! strategy must treat that like a thread that exited at once: nothing hangs,
//! and every task still ends exactly once.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use wasm_worker_pool::{
    Clock, Outcome, Pool, PoolConfig, RayonConfig, RayonRun, SpawnError, SpawnPerTask,
    SpawnPerTaskConfig, Spawner, Strategy, SystemClock, Task, TaskResult, ThreadSpawner,
};

fn clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock::new())
}

type Closure = Box<dyn FnOnce() + Send + 'static>;

/// Accepts every spawn and keeps the closure, unrun, until `drop_all`
/// (a Web Worker whose module fails to load later, on the spawning thread).
#[derive(Default)]
struct FailingLater {
    held: Mutex<Vec<Closure>>,
}

impl FailingLater {
    fn drop_all(&self) -> usize {
        let held = std::mem::take(&mut *self.held.lock().unwrap());
        let n = held.len();
        drop(held);
        n
    }

    /// Like a web spawner whose workers failed to load, saying why.
    fn drop_all_because(&self, reason: &str) {
        let held = std::mem::take(&mut *self.held.lock().unwrap());
        for closure in held {
            wasm_worker_pool::runtime::fault::drop_unstarted(closure, reason);
        }
    }
}

impl Spawner for FailingLater {
    fn spawn(&self, f: Closure) -> Result<(), SpawnError> {
        self.held.lock().unwrap().push(f);
        Ok(())
    }
}

/// Accepts every spawn and drops the closure at once.
struct FailingAtOnce;

impl Spawner for FailingAtOnce {
    fn spawn(&self, f: Closure) -> Result<(), SpawnError> {
        drop(f);
        Ok(())
    }
}

/// Runs every `every`-th closure on a real thread, drops the others unrun.
struct Flaky {
    every: usize,
    count: AtomicUsize,
    threads: ThreadSpawner,
}

impl Spawner for Flaky {
    fn spawn(&self, f: Closure) -> Result<(), SpawnError> {
        if self
            .count
            .fetch_add(1, Ordering::SeqCst)
            .is_multiple_of(self.every)
        {
            self.threads.spawn(f)
        } else {
            drop(f);
            Ok(())
        }
    }
}

fn ids(results: &[TaskResult]) -> BTreeSet<u64> {
    let set: BTreeSet<u64> = results.iter().map(|r| r.task_id).collect();
    assert_eq!(set.len(), results.len(), "an id appeared twice");
    set
}

fn ok(id: u64) -> Task {
    Task::new(id, |_| Ok(String::new()))
}

mod pool {
    use super::*;

    #[test]
    fn workers_that_never_run_end_queued_and_later_tasks_failed() {
        let spawner = FailingLater::default();
        let config = PoolConfig {
            workers: 3,
            queue_capacity: 10,
            ..PoolConfig::default()
        };
        let pool = Pool::start(config, &spawner, clock()).unwrap();
        for id in 0..10 {
            pool.submit(ok(id)).unwrap();
        }
        assert!(!pool.is_finished());
        assert_eq!(spawner.drop_all(), 3); // every worker fails to start
                                           // Not closed yet: a task submitted now is taken, and fails at once
                                           // (it is not "closed": the caller never closed the pool).
        pool.submit(ok(10)).unwrap();
        pool.try_submit(ok(11)).unwrap();
        assert!(!pool.is_finished(), "a pool is finished only once closed");
        pool.close();
        assert!(pool.is_finished());
        pool.join();
        assert!(pool.submit(ok(99)).unwrap_err().is_closed());
        let results: Vec<_> = pool.results().iter().collect();
        assert_eq!(ids(&results), (0..12).collect());
        for r in &results {
            match &r.outcome {
                Outcome::Failed { error } => {
                    assert!(error.starts_with("thread failed to start"), "{error}")
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(r.started_us, None);
        }
        let stats = pool.stats();
        assert_eq!(
            (
                stats.submitted,
                stats.failed,
                stats.cancelled,
                stats.live_threads
            ),
            (12, 12, 0, 0)
        );
    }

    #[test]
    fn dropped_at_once_then_submits_end_failed_and_nothing_hangs() {
        let pool = Pool::start(PoolConfig::default(), &FailingAtOnce, clock()).unwrap();
        pool.submit(ok(1)).unwrap();
        pool.try_submit(ok(2)).unwrap();
        assert!(!pool.is_finished());
        pool.close();
        assert!(pool.is_finished());
        assert!(pool.submit(ok(3)).unwrap_err().is_closed());
        pool.join();
        let failed: Vec<u64> = pool
            .results()
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Failed { .. }))
            .map(|r| r.task_id)
            .collect();
        assert_eq!(failed, [1, 2]);
        drop(pool);
    }

    /// The spawner's reason (on the web: "TypeError: Failed to fetch
    /// dynamically imported module ...") reaches every task's failure.
    #[test]
    fn the_reason_a_thread_never_started_is_in_each_failure() {
        let spawner = FailingLater::default();
        let config = PoolConfig {
            workers: 2,
            queue_capacity: 4,
            ..PoolConfig::default()
        };
        let pool = Pool::start(config, &spawner, clock()).unwrap();
        pool.submit(ok(0)).unwrap();
        spawner.drop_all_because("the thread script returned 404");
        pool.submit(ok(1)).unwrap();
        pool.close();
        pool.join();
        let errors: Vec<String> = pool
            .results()
            .iter()
            .map(|r| match r.outcome {
                Outcome::Failed { error } => error,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(errors.len(), 2);
        for error in errors {
            assert!(error.contains("the thread script returned 404"), "{error}");
        }
    }

    /// A rendezvous queue has no buffer: a submitter waits for a worker
    /// that never comes. When the last worker fails to start it wakes, and
    /// its task and every later one end failed; nothing hangs.
    #[test]
    fn a_submitter_waiting_on_a_rendezvous_queue_wakes_when_no_worker_is_left() {
        let spawner = Arc::new(FailingLater::default());
        let config = PoolConfig {
            workers: 2,
            queue_capacity: 0,
            ..PoolConfig::default()
        };
        let pool = Arc::new(Pool::start(config, &*spawner, clock()).unwrap());
        let feeder = {
            let pool = pool.clone();
            std::thread::spawn(move || {
                for id in 0..5 {
                    pool.submit(ok(id)).unwrap();
                }
                pool.close();
            })
        };
        // Let the feeder block on its first hand-over (it cannot finish
        // without a receiver, so whenever the drop comes, it is in time).
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(
            !feeder.is_finished(),
            "a rendezvous send waits for a worker"
        );
        spawner.drop_all();
        feeder.join().unwrap();
        pool.join();
        let results: Vec<_> = pool.results().iter().collect();
        assert_eq!(ids(&results), (0..5).collect());
        assert!(results
            .iter()
            .all(|r| matches!(&r.outcome, Outcome::Failed { error } if error.starts_with("thread failed to start"))));
    }

    /// Half the workers fail to start: the others run everything.
    #[test]
    fn some_workers_missing_the_rest_run_everything() {
        let spawner = Flaky {
            every: 2,
            count: AtomicUsize::new(0),
            threads: ThreadSpawner::new(),
        };
        let config = PoolConfig {
            workers: 4,
            queue_capacity: 0,
            ..PoolConfig::default()
        };
        let pool = Pool::start(config, &spawner, clock()).unwrap();
        for id in 0..50 {
            pool.submit(ok(id)).unwrap();
        }
        pool.close();
        pool.join();
        let results: Vec<_> = pool.results().iter().collect();
        assert_eq!(ids(&results), (0..50).collect());
        assert!(results.iter().all(|r| r.outcome.is_success()));
        let workers: BTreeSet<_> = results.iter().map(|r| r.worker_id.unwrap()).collect();
        assert!(workers.is_subset(&[0, 2].into()), "{workers:?}");
    }

    /// A feeder blocked on a full queue when the last worker fails: it is not
    /// stranded, and its task still ends exactly once.
    #[test]
    fn blocked_submitter_is_not_stranded() {
        let spawner = Arc::new(FailingLater::default());
        let config = PoolConfig {
            workers: 1,
            queue_capacity: 2,
            ..PoolConfig::default()
        };
        let pool = Arc::new(Pool::start(config, &*spawner, clock()).unwrap());
        pool.submit(ok(0)).unwrap();
        pool.submit(ok(1)).unwrap();
        let feeder = {
            let pool = pool.clone();
            std::thread::spawn(move || pool.submit(ok(2)).is_ok())
        };
        let t0 = std::time::Instant::now();
        while pool.stats().submitted < 3 {
            assert!(t0.elapsed() < std::time::Duration::from_secs(20));
            std::thread::yield_now();
        }
        spawner.drop_all();
        // Its task was taken, and failed: no worker was left to run it.
        assert!(feeder.join().unwrap(), "the blocked submit was accepted");
        pool.close();
        pool.join();
        let results: Vec<_> = pool.results().iter().collect();
        assert_eq!(ids(&results), (0..3).collect());
        assert!(results
            .iter()
            .all(|r| matches!(r.outcome, Outcome::Failed { .. })));
        assert_eq!(pool.stats().completed(), pool.stats().submitted);
    }
}

mod spawn_per_task {
    use super::*;

    #[test]
    fn tasks_of_threads_that_never_run_end_failed_once() {
        let spawner = FailingLater::default();
        let tasks = (0..8).map(ok).collect();
        let run = SpawnPerTask::new(SpawnPerTaskConfig::default(), tasks, clock()).unwrap();
        assert_eq!(run.pump(&spawner), 8);
        assert!(!run.is_finished());
        assert_eq!(spawner.drop_all(), 8);
        assert!(run.is_finished());
        let results: Vec<_> = run.results().iter().collect();
        assert_eq!(ids(&results), (0..8).collect());
        for r in &results {
            assert_eq!(
                r.outcome,
                Outcome::Failed {
                    error: "thread failed to start".into()
                }
            );
        }
        assert_eq!(run.stats().failed, 8);
    }

    #[test]
    fn dropped_at_once_ends_failed_and_the_rest_still_spawn() {
        let spawner = Flaky {
            every: 3,
            count: AtomicUsize::new(0),
            threads: ThreadSpawner::new(),
        };
        let tasks = (0..30).map(ok).collect();
        let config = SpawnPerTaskConfig {
            cap: Some(2),
            ..SpawnPerTaskConfig::default()
        };
        let run = SpawnPerTask::new(config, tasks, clock()).unwrap();
        run.join(&spawner);
        let results: Vec<_> = run.results().iter().collect();
        assert_eq!(ids(&results), (0..30).collect());
        let stats = run.stats();
        assert_eq!(stats.succeeded, 10);
        assert_eq!(stats.failed, 20);
        assert_eq!(stats.completed(), 30);
        assert!(stats.peak_threads <= 2);
    }
}

mod rayon {
    use super::*;

    #[test]
    fn no_carrier_ever_runs() {
        // The driver runs on a real thread; every carrier fails to start.
        struct DriverOnly {
            seen: AtomicUsize,
            threads: ThreadSpawner,
            carriers: usize,
        }
        impl Spawner for DriverOnly {
            fn spawn(&self, f: Closure) -> Result<(), SpawnError> {
                if self.seen.fetch_add(1, Ordering::SeqCst) == self.carriers {
                    self.threads.spawn(f)
                } else {
                    drop(f);
                    Ok(())
                }
            }
        }
        let spawner = DriverOnly {
            seen: AtomicUsize::new(0),
            threads: ThreadSpawner::new(),
            carriers: 2,
        };
        let tasks = (0..6).map(ok).collect();
        let run = RayonRun::start(RayonConfig::with_threads(2), tasks, &spawner, clock()).unwrap();
        run.join();
        let results: Vec<_> = run.results().iter().collect();
        assert_eq!(ids(&results), (0..6).collect());
        assert!(results
            .iter()
            .all(|r| matches!(&r.outcome, Outcome::Failed { error } if error.starts_with("thread failed to start"))));
        assert!(spawner
            .threads
            .wait_until_idle_for(std::time::Duration::from_secs(20)));
    }

    #[test]
    fn driver_never_runs() {
        let spawner = FailingAtOnce;
        let tasks = (0..4).map(ok).collect();
        let run = RayonRun::start(RayonConfig::with_threads(2), tasks, &spawner, clock()).unwrap();
        assert!(run.is_finished());
        let results: Vec<_> = run.results().iter().collect();
        assert_eq!(ids(&results), (0..4).collect());
        assert_eq!(run.stats().failed, 4);
    }

    #[test]
    fn one_carrier_missing_the_other_runs_everything() {
        let spawner = Flaky {
            every: 2, // carrier 0 runs, carrier 1 dropped, driver (index 2) runs
            count: AtomicUsize::new(0),
            threads: ThreadSpawner::new(),
        };
        let tasks = (0..40).map(ok).collect();
        let run = RayonRun::start(RayonConfig::with_threads(2), tasks, &spawner, clock()).unwrap();
        run.join();
        let results: Vec<_> = run.results().iter().collect();
        assert_eq!(ids(&results), (0..40).collect());
        assert!(results.iter().all(|r| r.outcome.is_success()));
        assert!(spawner
            .threads
            .wait_until_idle_for(std::time::Duration::from_secs(20)));
    }
}
