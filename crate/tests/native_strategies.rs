//! The three strategies on the same seeded workload: the pool, one thread per
//! task (the tutorial's "unlimited goroutines"), and rayon's work stealing.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use crossbeam_channel::bounded;
use wasm_worker_pool::{
    Clock, Outcome, Pool, PoolConfig, RayonConfig, RayonRun, SpawnPerTask, SpawnPerTaskConfig,
    Strategy, SystemClock, Task, TaskKind, TaskLimits, TaskResult, ThreadSpawner, WorkloadConfig,
};

const PATIENCE: Duration = Duration::from_secs(20);

fn clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock::new())
}

fn workload(kind: TaskKind) -> WorkloadConfig {
    WorkloadConfig {
        tasks: 120,
        kind,
        sleep_ms: (0.0, 1.0),
        cpu_iterations: (1_000, 50_000),
        failure_rate: 0.2,
        panic_rate: 0.05,
        trap_rate: 0.0,
        use_connection: false,
        seed: 7,
    }
}

/// Task id -> outcome kind, checking every id appears exactly once.
fn by_id(results: &[TaskResult], tasks: u64) -> BTreeMap<u64, &'static str> {
    let mut map = BTreeMap::new();
    for r in results {
        assert!(
            map.insert(r.task_id, r.outcome.kind().name()).is_none(),
            "task {} twice",
            r.task_id
        );
    }
    assert_eq!(map.len() as u64, tasks);
    map
}

fn ids_with(map: &BTreeMap<u64, &'static str>, kind: &str) -> BTreeSet<u64> {
    map.iter()
        .filter(|(_, k)| **k == kind)
        .map(|(id, _)| *id)
        .collect()
}

fn run_pool(w: &WorkloadConfig) -> Vec<TaskResult> {
    let spawner = ThreadSpawner::new();
    let pool = Pool::start(
        PoolConfig {
            workers: 3,
            ..PoolConfig::default()
        },
        &spawner,
        clock(),
    )
    .unwrap();
    for task in w.tasks() {
        pool.submit(task).unwrap();
    }
    pool.close();
    let results = pool.results().iter().collect();
    let stats = pool.stats();
    assert_eq!(stats.completed(), stats.submitted);
    results
}

fn expected(w: &WorkloadConfig) -> (BTreeSet<u64>, BTreeSet<u64>) {
    let panics: BTreeSet<u64> = w.specs().filter(|s| s.panics).map(|s| s.id).collect();
    let fails = w
        .specs()
        .filter(|s| s.fails && !s.panics)
        .map(|s| s.id)
        .collect();
    (fails, panics)
}

mod spawn_per_task {
    use super::*;

    #[test]
    fn same_failing_ids_as_the_pool() {
        let w = workload(TaskKind::Noop);
        let pool_results = run_pool(&w);
        let spawner = ThreadSpawner::new();
        let run =
            SpawnPerTask::new(SpawnPerTaskConfig::default(), w.tasks().collect(), clock()).unwrap();
        run.join(&spawner);
        assert!(run.is_finished());
        let results: Vec<_> = run.results().iter().collect();
        let (pool_map, map) = (by_id(&pool_results, w.tasks), by_id(&results, w.tasks));
        assert_eq!(pool_map, map, "same outcome for every id");
        let (fails, panics) = expected(&w);
        assert!(!fails.is_empty() && !panics.is_empty());
        assert_eq!(ids_with(&map, "failed"), fails);
        assert_eq!(ids_with(&map, "panicked"), panics);
        let stats = run.stats();
        assert_eq!(stats.submitted, w.tasks);
        assert_eq!(stats.completed(), w.tasks);
        assert!(stats.workers.is_empty());
        assert_eq!(stats.live_threads, 0);
        assert_eq!(
            stats.worker_startup.count, w.tasks,
            "one thread start per task"
        );
        assert_eq!(run.startup_us().count, w.tasks);
        assert!(spawner.wait_until_idle_for(PATIENCE));
        assert_eq!(spawner.spawned(), w.tasks);
    }

    #[test]
    fn cap_bounds_live_threads() {
        const CAP: usize = 4;
        let spawner = ThreadSpawner::new();
        let barrier = Arc::new(Barrier::new(CAP));
        let tasks = (0..40u64)
            .map(|id| {
                let barrier = barrier.clone();
                Task::new(id, move |ctx| {
                    if id < CAP as u64 {
                        barrier.wait(); // the first CAP threads are live at once
                    }
                    ctx.sleep_ms(0.3)?;
                    Ok(String::new())
                })
            })
            .collect();
        let config = SpawnPerTaskConfig {
            cap: Some(CAP),
            ..SpawnPerTaskConfig::default()
        };
        let run = SpawnPerTask::new(config, tasks, clock()).unwrap();
        assert_eq!(run.pump(&spawner), CAP, "pump spawns up to the cap");
        assert_eq!(run.pump(&spawner), 0, "and no more while they live");
        run.join(&spawner);
        let stats = run.stats();
        assert_eq!(stats.peak_threads, CAP as u64);
        assert_eq!(stats.succeeded, 40);
        assert_eq!(run.results().iter().count(), 40);
    }

    #[test]
    fn refused_spawns_fail_the_rest_with_the_reason() {
        let spawner = ThreadSpawner::with_limit(3);
        let (gate, gate_rx) = bounded::<()>(0);
        let tasks = (0..20u64)
            .map(|id| {
                let gate_rx = gate_rx.clone();
                Task::new(id, move |_| {
                    let _ = gate_rx.recv();
                    Ok(String::new())
                })
            })
            .collect();
        let run = SpawnPerTask::new(SpawnPerTaskConfig::default(), tasks, clock()).unwrap();
        // Three threads start (and wait at the gate); the fourth is refused.
        assert_eq!(run.pump(&spawner), 3);
        assert_eq!(run.pump(&spawner), 0, "nothing is spawned after a refusal");
        drop(gate); // opens the gate: recv fails
        drop(gate_rx);
        run.join(&spawner);
        let results: Vec<_> = run.results().iter().collect();
        let map = by_id(&results, 20);
        assert_eq!(ids_with(&map, "succeeded").len(), 3);
        for r in &results {
            if let Outcome::Failed { error } = &r.outcome {
                assert!(error.starts_with("spawn refused: "), "{error}");
                assert!(error.contains("limit of 3"), "{error}");
                assert_eq!(r.started_us, None);
            }
        }
        let stats = run.stats();
        assert_eq!((stats.succeeded, stats.failed), (3, 17));
        assert_eq!(stats.completed(), stats.submitted);
        assert_eq!(spawner.refused(), 1);
    }

    #[test]
    fn cancel_ends_unspawned_and_interrupts_running() {
        let spawner = ThreadSpawner::new();
        let running = Arc::new(AtomicUsize::new(0));
        let tasks = (0..10u64)
            .map(|id| {
                let running = running.clone();
                Task::new(id, move |ctx| {
                    running.fetch_add(1, Ordering::SeqCst);
                    loop {
                        ctx.sleep_ms(1.0)?; // until cancelled
                    }
                })
            })
            .collect();
        let config = SpawnPerTaskConfig {
            cap: Some(2),
            ..SpawnPerTaskConfig::default()
        };
        let run = SpawnPerTask::new(config, tasks, clock()).unwrap();
        assert_eq!(run.pump(&spawner), 2);
        let start = std::time::Instant::now();
        while running.load(Ordering::SeqCst) < 2 {
            assert!(start.elapsed() < PATIENCE);
            std::thread::yield_now();
        }
        run.cancel();
        run.cancel();
        assert_eq!(run.pump(&spawner), 0);
        run.join(&spawner);
        let results: Vec<_> = run.results().iter().collect();
        let map = by_id(&results, 10);
        assert!(map.values().all(|k| *k == "cancelled"));
        let started: Vec<_> = results.iter().filter(|r| r.started_us.is_some()).collect();
        assert_eq!(started.len(), 2);
        assert_eq!(run.stats().cancelled, 10);
    }

    #[test]
    fn connections_and_timeouts_apply() {
        let w = WorkloadConfig {
            tasks: 30,
            kind: TaskKind::Sleep,
            sleep_ms: (1.0, 2.0),
            failure_rate: 0.0,
            panic_rate: 0.0,
            use_connection: true,
            seed: 1,
            ..WorkloadConfig::default()
        };
        let config = SpawnPerTaskConfig {
            cap: None,
            limits: TaskLimits {
                timeout_ms: Some(3_600_000.0),
                connections: Some(2),
            },
        };
        let run = SpawnPerTask::new(config, w.tasks().collect(), clock()).unwrap();
        run.join(&ThreadSpawner::new());
        let stats = run.stats();
        assert_eq!(stats.succeeded, 30);
        assert!(stats.connections_peak <= 2 && stats.connections_peak >= 1);
        assert!(run.results().iter().all(|r| r.connection_wait.is_some()));
    }

    #[test]
    fn empty_run_is_finished_at_once() {
        let run = SpawnPerTask::new(SpawnPerTaskConfig::default(), vec![], clock()).unwrap();
        assert!(run.is_finished());
        assert_eq!(run.pump(&ThreadSpawner::new()), 0);
        assert!(run.results().recv().is_err(), "disconnected");
    }
}

mod rayon {
    use super::*;

    #[test]
    fn same_failing_ids_as_the_pool_and_threads_exit() {
        for kind in [TaskKind::Noop, TaskKind::Cpu] {
            let w = workload(kind);
            let pool_results = run_pool(&w);
            let spawner = ThreadSpawner::new();
            let run = RayonRun::start(
                RayonConfig::with_threads(3),
                w.tasks().collect(),
                &spawner,
                clock(),
            )
            .unwrap();
            run.join();
            assert!(run.is_finished());
            let results: Vec<_> = run.results().iter().collect();
            let (pool_map, map) = (by_id(&pool_results, w.tasks), by_id(&results, w.tasks));
            assert_eq!(pool_map, map);
            let (fails, panics) = expected(&w);
            assert_eq!(ids_with(&map, "failed"), fails);
            assert_eq!(ids_with(&map, "panicked"), panics);
            assert!(results.iter().all(|r| r.worker_id.is_some_and(|w| w < 3)));
            let stats = run.stats();
            assert_eq!(stats.completed(), w.tasks);
            assert_eq!(stats.queued, 0);
            assert_eq!(stats.live_threads, 0);
            assert_eq!(stats.peak_threads, 4, "3 carriers + the driver");
            assert_eq!(stats.workers.len(), 3);
            assert!(
                spawner.wait_until_idle_for(PATIENCE),
                "the run's threads all exit"
            );
            assert_eq!(spawner.live_threads(), 0);
        }
    }

    #[test]
    fn cancel_ends_every_task_once() {
        let spawner = ThreadSpawner::new();
        let started = Arc::new(AtomicUsize::new(0));
        let tasks = (0..50u64)
            .map(|id| {
                let started = started.clone();
                Task::new(id, move |ctx| {
                    started.fetch_add(1, Ordering::SeqCst);
                    loop {
                        ctx.sleep_ms(1.0)?;
                    }
                })
            })
            .collect();
        let run = RayonRun::start(RayonConfig::with_threads(2), tasks, &spawner, clock()).unwrap();
        let t0 = std::time::Instant::now();
        while started.load(Ordering::SeqCst) < 2 {
            assert!(t0.elapsed() < PATIENCE);
            std::thread::yield_now();
        }
        run.cancel();
        run.join();
        let results: Vec<_> = run.results().iter().collect();
        let map = by_id(&results, 50);
        assert!(map.values().all(|k| *k == "cancelled"));
        assert!(results.iter().filter(|r| r.started_us.is_none()).count() >= 40);
        assert!(spawner.wait_until_idle_for(PATIENCE));
    }

    #[test]
    fn refused_spawn_is_a_start_error() {
        let spawner = ThreadSpawner::with_limit(2);
        let tasks = (0..5)
            .map(|id| Task::new(id, |_| Ok(String::new())))
            .collect();
        let e = RayonRun::start(RayonConfig::with_threads(2), tasks, &spawner, clock())
            .err()
            .unwrap();
        assert!(e.to_string().contains("limit"), "{e}");
        assert!(spawner.wait_until_idle_for(PATIENCE), "the carriers exit");
    }

    #[test]
    fn connections_bound_holders() {
        let w = WorkloadConfig {
            tasks: 40,
            kind: TaskKind::Sleep,
            sleep_ms: (0.5, 1.0),
            failure_rate: 0.0,
            panic_rate: 0.0,
            use_connection: true,
            seed: 3,
            ..WorkloadConfig::default()
        };
        let spawner = ThreadSpawner::new();
        let run = RayonRun::start(
            RayonConfig {
                threads: 4,
                limits: TaskLimits {
                    timeout_ms: Some(60_000.0),
                    connections: Some(2),
                },
            },
            w.tasks().collect(),
            &spawner,
            clock(),
        )
        .unwrap();
        run.join();
        let stats = run.stats();
        assert_eq!(stats.succeeded, 40);
        assert!(stats.connections_peak <= 2);
        assert!(stats.workers.iter().map(|w| w.tasks_done).sum::<u64>() == 40);
    }
}
