//! A pool that changes size while it runs (`Pool::resize`), and one that
//! replaces a worker whose thread died (`replace_dead_workers`): no task is
//! lost, run twice or stranded in a leaving worker.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use wasm_worker_pool::runtime::trap;
use wasm_worker_pool::task::Fault;
use wasm_worker_pool::{
    Clock, Outcome, Pool, PoolConfig, ResizeError, Strategy, SystemClock, Task, TaskResult,
    ThreadSpawner,
};

fn clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock::new())
}

fn pool(workers: usize, replace_dead_workers: bool, spawner: &ThreadSpawner) -> Arc<Pool> {
    let config = PoolConfig {
        workers,
        queue_capacity: 64,
        replace_dead_workers,
        ..PoolConfig::default()
    };
    Arc::new(Pool::start(config, spawner, clock()).unwrap())
}

/// Waits (polling, bounded) until `done`; the bound only turns a hang into
/// a failure.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "never: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Every id exactly once.
fn by_id(results: &[TaskResult]) -> BTreeMap<u64, &TaskResult> {
    let mut map = BTreeMap::new();
    for r in results {
        assert!(
            map.insert(r.task_id, r).is_none(),
            "task {} ended twice",
            r.task_id
        );
    }
    map
}

#[test]
fn resizing_many_times_during_a_run_loses_and_repeats_no_task() {
    const TASKS: u64 = 100_000;
    let spawner = ThreadSpawner::new();
    let pool = pool(4, false, &spawner);
    // The pool is closed only after the last resize, so it cannot have
    // finished before any of them, however fast the tasks run.
    let (resized, all_resized) = std::sync::mpsc::channel::<()>();
    let feeder = {
        let pool = pool.clone();
        std::thread::spawn(move || {
            for id in 0..TASKS {
                pool.submit(Task::new(id, |_| Ok(String::new()))).unwrap();
            }
            all_resized.recv().unwrap();
            pool.close();
        })
    };
    let sizes = [1, 64, 2, 17, 1, 8, 64, 3, 1, 32, 5];
    for &size in sizes.iter().cycle().take(40) {
        pool.resize(size, &spawner).unwrap();
        assert_eq!(pool.workers(), size);
        std::thread::sleep(Duration::from_micros(300));
    }
    resized.send(()).unwrap();
    feeder.join().unwrap();
    pool.join();
    let results: Vec<TaskResult> = pool.results().try_iter().collect();
    let ended = by_id(&results);
    assert_eq!(ended.len() as u64, TASKS, "every task ended");
    assert!(ended.values().all(|r| r.outcome.is_success()));
    let stats = pool.stats();
    assert_eq!(stats.succeeded, TASKS);
    let per_worker: u64 = stats.workers.iter().map(|w| w.tasks_done).sum();
    assert_eq!(per_worker, TASKS, "per-worker counts add up");
    assert!(
        stats.peak_threads >= 64,
        "it grew to 64 ({})",
        stats.peak_threads
    );
    // Hundreds of workers joined over the 40 resizes; a joining worker takes
    // the lowest free lane, but a worker told to leave keeps its lane until
    // its task ends, so growing right after shrinking can use lanes above
    // the new size: at most the largest size (64) plus the 63 still leaving.
    assert!(
        stats.workers.len() < 128,
        "lanes are reused: {}",
        stats.workers.len()
    );
    spawner.wait_until_idle();
    assert_eq!(spawner.live_threads(), 0, "no thread left");
}

#[test]
fn an_idle_pool_shrinks_and_grows_to_the_asked_count() {
    let spawner = ThreadSpawner::new();
    let pool = pool(8, false, &spawner);
    // Park all eight in the queue's `recv`: each runs a task, then waits for
    // the next (the pause only makes that likelier; the test holds either way).
    for id in 1000..1008 {
        pool.submit(Task::new(id, |_| Ok(String::new()))).unwrap();
    }
    let results = pool.results();
    for _ in 0..8 {
        results.recv().unwrap();
    }
    std::thread::sleep(Duration::from_millis(20));
    pool.resize(2, &spawner).unwrap();
    eventually("2 workers left", || {
        pool.live_workers() == 2 && spawner.live_threads() == 2
    });
    pool.resize(5, &spawner).unwrap();
    assert_eq!(pool.live_workers(), 5);
    eventually("5 workers", || spawner.live_threads() == 5);
    // They still work: tasks submitted now all run.
    for id in 0..50 {
        pool.submit(Task::new(id, |_| Ok(String::new()))).unwrap();
    }
    pool.close();
    pool.join();
    let results: Vec<TaskResult> = pool.results().try_iter().collect();
    assert_eq!(by_id(&results).len(), 50);
    let workers: std::collections::BTreeSet<usize> =
        results.iter().filter_map(|r| r.worker_id).collect();
    // Which two stayed is up to the scheduler; the three that joined took
    // free lanes of the eight.
    assert!(
        workers.len() <= 5 && workers.iter().all(|&w| w < 8),
        "five workers on the first eight lanes: {workers:?}"
    );
    spawner.wait_until_idle();
}

#[test]
fn a_resize_out_of_range_or_after_the_end_is_refused() {
    let spawner = ThreadSpawner::new();
    let pool = pool(2, false, &spawner);
    for bad in [0, 257] {
        match pool.resize(bad, &spawner) {
            Err(ResizeError::Config(e)) => assert_eq!(e.field, "workers"),
            other => panic!("resize({bad}): {other:?}"),
        }
    }
    assert_eq!(pool.workers(), 2, "a refused resize changes nothing");
    pool.cancel();
    assert_eq!(pool.resize(4, &spawner), Err(ResizeError::Ended));
    pool.join();
    spawner.wait_until_idle();
}

#[test]
fn a_worker_that_dies_is_replaced_and_the_run_completes() {
    const TASKS: u64 = 2_000;
    let traps: Vec<u64> = (0..TASKS).filter(|id| id % 97 == 13).collect();
    let spawner = ThreadSpawner::new();
    // One worker: without a replacement, the first trap would leave every
    // later task without a worker.
    let pool = pool(1, true, &spawner);
    let feeder = {
        let (pool, traps) = (pool.clone(), traps.clone());
        std::thread::spawn(move || {
            for id in 0..TASKS {
                let dies = traps.contains(&id);
                pool.submit(Task::new(id, move |_| {
                    if dies {
                        trap();
                    }
                    Ok(String::new())
                }))
                .unwrap();
            }
            pool.close();
        })
    };
    // The caller's loop: `advance` spawns the replacements.
    eventually("the run finished", || {
        pool.advance(&spawner);
        pool.is_finished()
    });
    feeder.join().unwrap();
    let results: Vec<TaskResult> = pool.results().try_iter().collect();
    let ended = by_id(&results);
    assert_eq!(ended.len() as u64, TASKS);
    for (id, r) in &ended {
        if traps.contains(id) {
            assert_eq!(r.fault, Some(Fault::ThreadDied), "task {id}");
            match &r.outcome {
                Outcome::Failed { error } => assert!(error.contains("died"), "{error}"),
                other => panic!("task {id}: {other:?}"),
            }
        } else {
            assert!(r.outcome.is_success(), "task {id}: {:?}", r.outcome);
        }
    }
    let stats = pool.stats();
    assert_eq!(stats.failed, traps.len() as u64);
    assert_eq!(stats.succeeded, TASKS - traps.len() as u64);
    assert_eq!(pool.workers(), 1, "the worker count is restored");
}
