//! Property: whatever the configuration and wherever a cancel lands, every
//! accepted task ends exactly once, and the counts add up:
//! submitted = succeeded + failed + timed out + cancelled + panicked.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::sync::Arc;

use proptest::prelude::*;
use wasm_worker_pool::{
    Clock, Pool, PoolConfig, RayonConfig, RayonRun, SpawnPerTask, SpawnPerTaskConfig,
    StatsSnapshot, Strategy as _, SystemClock, TaskKind, TaskLimits, TaskResult, ThreadSpawner,
    WorkloadConfig,
};

#[derive(Debug, Clone, Copy)]
enum CancelAt {
    Never,
    /// The feeder cancels after this many accepted submissions.
    AfterSubmissions(u64),
    /// The reader cancels after this many results.
    AfterResults(u64),
}

#[derive(Debug, Clone, Copy)]
enum Ending {
    Close,
    /// Drop the pool without closing (after the feeder is done).
    Drop,
}

fn cancel_at() -> impl Strategy<Value = CancelAt> {
    prop_oneof![
        Just(CancelAt::Never),
        (0u64..40).prop_map(CancelAt::AfterSubmissions),
        (0u64..40).prop_map(CancelAt::AfterResults),
    ]
}

fn workload() -> impl Strategy<Value = WorkloadConfig> {
    (
        1u64..50,
        prop_oneof![
            Just(TaskKind::Noop),
            Just(TaskKind::Sleep),
            Just(TaskKind::Cpu)
        ],
        0.0f64..=1.0,
        prop_oneof![Just(0.0), 0.0f64..=0.3],
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(
            |(tasks, kind, failure_rate, panic_rate, use_connection, seed)| WorkloadConfig {
                tasks,
                kind,
                sleep_ms: (0.0, 1.5),
                cpu_iterations: (0, 200_000),
                failure_rate,
                panic_rate,
                trap_rate: 0.0,
                use_connection,
                seed,
            },
        )
}

fn timeout() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![Just(None), (0.2f64..3.0).prop_map(Some)]
}

fn check(results: &[TaskResult], accepted: &BTreeSet<u64>, stats: Option<&StatsSnapshot>) {
    let mut seen = BTreeSet::new();
    for r in results {
        assert!(seen.insert(r.task_id), "task {} ended twice", r.task_id);
        if r.started_us.is_none() {
            assert!(r.worker_id.is_none(), "task {} never started", r.task_id);
        }
    }
    assert_eq!(&seen, accepted, "every accepted id exactly once");
    if let Some(stats) = stats {
        let count = |kind: &str| {
            results
                .iter()
                .filter(|r| r.outcome.kind().name() == kind)
                .count() as u64
        };
        assert_eq!(stats.submitted, accepted.len() as u64);
        assert_eq!(stats.completed(), stats.submitted, "{stats:?}");
        assert_eq!(stats.succeeded, count("succeeded"));
        assert_eq!(stats.failed, count("failed"));
        assert_eq!(stats.timed_out, count("timedOut"));
        assert_eq!(stats.cancelled, count("cancelled"));
        assert_eq!(stats.panicked, count("panicked"));
        assert_eq!(
            (stats.queued, stats.in_flight, stats.live_threads),
            (0, 0, 0)
        );
    }
}

fn clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock::new())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn pool_ends_every_task_exactly_once(
        workers in 1usize..6,
        queue_capacity in 0usize..6,
        connections in prop_oneof![Just(None), (1usize..3).prop_map(Some)],
        task_timeout_ms in timeout(),
        w in workload(),
        cancel in cancel_at(),
        ending in prop_oneof![Just(Ending::Close), Just(Ending::Drop)],
    ) {
        let spawner = ThreadSpawner::new();
        let config = PoolConfig { workers, queue_capacity, limits: TaskLimits { timeout_ms: task_timeout_ms, connections }, replace_dead_workers: false };
        let pool = Arc::new(Pool::start(config, &spawner, clock()).unwrap());
        let results = pool.results();
        let (done_tx, done_rx) = crossbeam_channel::bounded(1);
        let feeder = {
            let pool = pool.clone();
            let w = w.clone();
            std::thread::spawn(move || {
                let mut accepted = BTreeSet::new();
                for task in w.tasks() {
                    if let CancelAt::AfterSubmissions(k) = cancel {
                        if accepted.len() as u64 == k {
                            pool.cancel();
                        }
                    }
                    let id = task.id;
                    match pool.submit(task) {
                        Ok(()) => {
                            accepted.insert(id);
                        }
                        Err(e) => {
                            assert!(e.is_cancelled(), "{e}");
                            assert_eq!(e.into_task().id, id);
                        }
                    }
                }
                if let Ending::Close = ending {
                    pool.close();
                }
                drop(pool);
                done_tx.send(accepted).unwrap();
            })
        };
        let mut got = Vec::new();
        let mut pool = Some(pool);
        let mut stats = None;
        let accepted = loop {
            if let (CancelAt::AfterResults(k), Some(pool)) = (cancel, &pool) {
                if got.len() as u64 == k {
                    pool.cancel();
                }
            }
            match results.recv_timeout(std::time::Duration::from_millis(1)) {
                Ok(r) => got.push(r),
                // Every worker has exited (closed, or cancelled).
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                    break done_rx.recv().unwrap()
                }
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                    if let Ok(accepted) = done_rx.try_recv() {
                        break accepted;
                    }
                }
            }
        };
        feeder.join().unwrap();
        // The feeder dropped its handle before reporting: ours is the last.
        let pool = Arc::try_unwrap(pool.take().unwrap())
            .unwrap_or_else(|_| panic!("the feeder still holds the pool"));
        match ending {
            Ending::Close => {
                pool.join();
                stats = Some(pool.stats());
            }
            // Never closed: dropping cancels; the workers leave on their own.
            Ending::Drop => drop(pool),
        }
        got.extend(results.iter()); // disconnected: every worker has exited
        check(&got, &accepted, stats.as_ref());
        prop_assert!(spawner.wait_until_idle_for(std::time::Duration::from_secs(20)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// The same property for one-thread-per-task and rayon, cancelling after
    /// k results (or never).
    #[test]
    fn other_strategies_end_every_task_exactly_once(
        rayon in any::<bool>(),
        threads in 1usize..5,
        cap in prop_oneof![Just(None), (1usize..6).prop_map(Some)],
        connections in prop_oneof![Just(None), (1usize..3).prop_map(Some)],
        task_timeout_ms in timeout(),
        w in workload(),
        cancel_after in prop_oneof![Just(None), (0u64..40).prop_map(Some)],
    ) {
        let spawner = ThreadSpawner::new();
        let accepted: BTreeSet<u64> = (0..w.tasks).collect();
        let mut got = Vec::new();
        let cancel_if = |got: &Vec<TaskResult>, cancel: &dyn Fn()| {
            if cancel_after == Some(got.len() as u64) {
                cancel();
            }
        };
        let stats = if rayon {
            let run = RayonRun::start(RayonConfig { threads, limits: TaskLimits { timeout_ms: task_timeout_ms, connections } }, w.tasks().collect(), &spawner, clock()).unwrap();
            let results = run.results();
            loop {
                cancel_if(&got, &|| run.cancel());
                match results.recv() {
                    Ok(r) => got.push(r),
                    Err(_) => break,
                }
            }
            run.join();
            run.stats()
        } else {
            let config = SpawnPerTaskConfig { cap, limits: TaskLimits { timeout_ms: task_timeout_ms, connections } };
            let run = Arc::new(SpawnPerTask::new(config, w.tasks().collect(), clock()).unwrap());
            let runner = {
                let (run, spawner) = (run.clone(), spawner.clone());
                std::thread::spawn(move || run.join(&spawner))
            };
            let results = run.results();
            loop {
                cancel_if(&got, &|| run.cancel());
                match results.recv() {
                    Ok(r) => got.push(r),
                    Err(_) => break,
                }
            }
            runner.join().unwrap();
            prop_assert!(run.is_finished());
            run.stats()
        };
        check(&got, &accepted, Some(&stats));
        prop_assert!(spawner.wait_until_idle_for(std::time::Duration::from_secs(20)));
    }
}
