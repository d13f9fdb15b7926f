//! Threads that die without unwinding. On the web a wasm trap (`unreachable`,
//! out of memory) kills a thread mid-task and runs none of its destructors;
//! natively `runtime::trap()` does the same (it runs the thread's death hooks,
//! as the web spawner does after a trap, and parks the thread for ever). Every
//! strategy must end the dying task `Failed` with the reason, count the
//! thread out, and still end every other task exactly once.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use wasm_worker_pool::runtime::trap;
use wasm_worker_pool::{
    Clock, Outcome, Pool, PoolConfig, RayonConfig, RayonRun, SpawnPerTask, SpawnPerTaskConfig,
    Strategy, SystemClock, Task, TaskLimits, TaskResult, ThreadSpawner,
};

fn clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock::new())
}

/// Task `id` traps if it is in `traps`, else succeeds after ~1 ms.
fn task(id: u64, traps: &[u64]) -> Task {
    let dies = traps.contains(&id);
    Task::new(id, move |ctx| {
        if dies {
            trap();
        }
        ctx.sleep_ms(1.0)?;
        Ok(String::new())
    })
}

fn by_id(results: Vec<TaskResult>) -> BTreeMap<u64, Outcome> {
    let mut map = BTreeMap::new();
    for r in results {
        assert!(
            map.insert(r.task_id, r.outcome).is_none(),
            "task {} ended twice",
            r.task_id
        );
    }
    map
}

fn error(outcome: &Outcome) -> &str {
    match outcome {
        Outcome::Failed { error } => error,
        other => panic!("expected a failure, got {other:?}"),
    }
}

mod pool {
    use super::*;

    #[test]
    fn a_dying_worker_fails_its_task_and_the_others_run_the_rest() {
        let spawner = ThreadSpawner::new();
        let config = PoolConfig {
            workers: 2,
            queue_capacity: 30,
            ..PoolConfig::default()
        };
        let pool = Pool::start(config, &spawner, clock()).unwrap();
        for id in 0..30 {
            pool.submit(task(id, &[5])).unwrap();
        }
        pool.close();
        pool.join();
        let outcomes = by_id(pool.results().iter().collect());
        assert_eq!(outcomes.len(), 30);
        let why = error(&outcomes[&5]);
        assert!(why.starts_with("thread died: worker "), "{why}");
        assert!(why.contains("unreachable"), "{why}");
        assert!(why.ends_with("(it was running task 5)"), "{why}");
        for (id, outcome) in &outcomes {
            if *id != 5 {
                assert!(outcome.is_success(), "task {id}: {outcome:?}");
            }
        }
        let stats = pool.stats();
        assert_eq!(
            (stats.submitted, stats.succeeded, stats.failed),
            (30, 29, 1)
        );
        assert_eq!((stats.in_flight, stats.live_threads), (0, 0));
        assert!(
            spawner.wait_until_idle_for(Duration::from_secs(10)),
            "the dead thread is counted out"
        );
    }

    /// Tasks 0 and 1 are the first two taken from the queue, one by each
    /// worker, and both kill their worker: the rest fail, saying so.
    #[test]
    fn when_every_worker_died_the_rest_fail_with_the_last_death() {
        let spawner = ThreadSpawner::new();
        let config = PoolConfig {
            workers: 2,
            queue_capacity: 10,
            ..PoolConfig::default()
        };
        let pool = Pool::start(config, &spawner, clock()).unwrap();
        for id in 0..10 {
            pool.submit(task(id, &[0, 1])).unwrap();
        }
        assert!(spawner.wait_until_idle_for(Duration::from_secs(10)));
        // No worker is left: a task submitted now ends failed at once.
        pool.submit(task(10, &[])).unwrap();
        pool.close();
        pool.join();
        let outcomes = by_id(pool.results().iter().collect());
        assert_eq!(outcomes.len(), 11);
        for id in [0, 1] {
            assert!(error(&outcomes[&id]).ends_with(&format!("(it was running task {id})")));
        }
        for id in 2..11 {
            let why = error(&outcomes[&id]);
            assert!(
                why.starts_with("thread died: no worker of the pool is left"),
                "{why}"
            );
        }
        let stats = pool.stats();
        assert_eq!(
            (stats.submitted, stats.failed, stats.cancelled),
            (11, 11, 0)
        );
    }

    /// A task that dies holding the only connection: its death hook gives
    /// it back, so the others still get it.
    #[test]
    fn a_connection_held_by_a_dying_task_is_given_back() {
        let spawner = ThreadSpawner::new();
        let config = PoolConfig {
            workers: 2,
            queue_capacity: 10,
            limits: TaskLimits {
                timeout_ms: Some(10_000.0),
                connections: Some(1),
            },
            ..PoolConfig::default()
        };
        let pool = Pool::start(config, &spawner, clock()).unwrap();
        for id in 0..6 {
            pool.submit(Task::new(id, move |ctx| {
                let _connection = ctx.acquire_connection()?;
                if id == 2 {
                    trap();
                }
                Ok(String::new())
            }))
            .unwrap();
        }
        pool.close();
        pool.join();
        let outcomes = by_id(pool.results().iter().collect());
        assert!(error(&outcomes[&2]).contains("running task 2"));
        let succeeded = outcomes.values().filter(|o| o.is_success()).count();
        assert_eq!(succeeded, 5, "{outcomes:?}");
        assert_eq!(pool.stats().connections_in_use, 0);
    }
}

mod spawn_per_task {
    use super::*;

    #[test]
    fn a_dying_thread_fails_its_task_and_the_run_finishes() {
        let spawner = ThreadSpawner::new();
        let tasks = (0..12).map(|id| task(id, &[3, 8])).collect();
        let run = SpawnPerTask::new(SpawnPerTaskConfig::default(), tasks, clock()).unwrap();
        run.join(&spawner);
        assert!(run.is_finished());
        let outcomes = by_id(run.results().try_iter().collect());
        assert_eq!(outcomes.len(), 12);
        for id in [3, 8] {
            let why = error(&outcomes[&id]);
            assert!(
                why.starts_with(&format!("thread died: thread {id} died: ")),
                "{why}"
            );
        }
        assert_eq!(outcomes.values().filter(|o| o.is_success()).count(), 10);
        let stats = run.stats();
        assert_eq!(
            (stats.failed, stats.in_flight, stats.live_threads),
            (2, 0, 0)
        );
        assert!(spawner.wait_until_idle_for(Duration::from_secs(10)));
    }
}

mod rayon {
    use super::*;

    /// rayon cannot lose a thread: the run ends with the dying task and the
    /// undelivered ones failed, each task exactly once, and says why.
    #[test]
    fn a_dying_rayon_thread_ends_the_run_with_every_task_accounted_for() {
        let spawner = ThreadSpawner::new();
        let tasks = (0..40).map(|id| task(id, &[7])).collect();
        let run = RayonRun::start(RayonConfig::with_threads(2), tasks, &spawner, clock()).unwrap();
        let t0 = std::time::Instant::now();
        while !run.is_finished() {
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "the run did not end"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        let outcomes = by_id(run.results().try_iter().collect());
        assert_eq!(outcomes.len(), 40, "every task ended exactly once");
        assert!(error(&outcomes[&7]).ends_with("(it was running task 7)"));
        for (id, outcome) in &outcomes {
            if !outcome.is_success() {
                let why = error(outcome);
                assert!(
                    why.starts_with("thread died: rayon thread "),
                    "task {id}: {why}"
                );
            }
        }
        let broken = run.broken().expect("the run knows it broke");
        assert!(broken.contains("unreachable"), "{broken}");
        let stats = run.stats();
        assert_eq!(stats.completed(), 40);
    }
}
