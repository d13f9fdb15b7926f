//! Warm threads: a second run on a `WarmSpawner` starts no thread, parked
//! threads leave after the idle timeout or beyond the policy's count, and
//! one thread per task still gets a new thread per task.

#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;
use std::time::{Duration, Instant};

use wasm_worker_pool::{
    Clock, Pool, PoolConfig, RunConfig, RunSummary, Session, Spawner, StrategyKind, SystemClock,
    Task, TaskKind, ThreadSpawner, WarmPolicy, WarmSpawner,
};

fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "never: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock::new())
}

/// A warm spawner over `threads`, with the default policy, for sessions.
fn shared_warm(threads: &ThreadSpawner) -> Arc<WarmSpawner<ThreadSpawner>> {
    Arc::new(WarmSpawner::new(
        threads.clone(),
        WarmPolicy::default(),
        clock(),
    ))
}

/// Runs `config` as a session on `warm` to its end, polling as the web
/// orchestrator does.
fn finish(warm: &Arc<WarmSpawner<ThreadSpawner>>, config: RunConfig) -> RunSummary {
    let mut session = Session::start(config, warm.clone(), clock()).unwrap();
    let mut events = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !session.advance(&mut events) {
        assert!(Instant::now() < deadline, "the session never finished");
        std::thread::sleep(Duration::from_micros(200));
    }
    session.summary()
}

fn run_pool(spawner: &dyn Spawner, workers: usize, tasks: u64) {
    let config = PoolConfig {
        workers,
        ..PoolConfig::default()
    };
    let pool = Pool::start(config, spawner, clock()).unwrap();
    for id in 0..tasks {
        pool.submit(Task::new(id, |_| Ok(String::new()))).unwrap();
    }
    pool.close();
    pool.join();
}

fn policy(max_warm: usize, idle_timeout_ms: f64) -> WarmPolicy {
    WarmPolicy {
        max_warm,
        idle_timeout_ms,
    }
}

#[test]
fn a_second_pool_takes_the_parked_threads_of_the_first() {
    let threads = ThreadSpawner::new();
    let warm = WarmSpawner::new(threads.clone(), policy(256, 60_000.0), clock());
    run_pool(&warm, 8, 100);
    eventually("8 threads parked", || warm.warm_threads() == 8);
    assert_eq!(warm.threads_spawned(), 8);
    for _ in 0..5 {
        run_pool(&warm, 8, 100);
        eventually("8 threads parked again", || warm.warm_threads() == 8);
    }
    assert_eq!(warm.threads_spawned(), 8, "later runs spawned no thread");
    assert_eq!(threads.spawned(), 8);
    // A bigger pool takes the 8 parked threads and spawns only the rest.
    run_pool(&warm, 12, 100);
    assert_eq!(warm.threads_spawned(), 12);
    warm.set_policy(policy(0, 60_000.0));
    eventually("every thread left", || threads.live_threads() == 0);
    assert_eq!(warm.warm_threads(), 0);
}

#[test]
fn parked_threads_leave_after_the_idle_timeout_and_beyond_the_policy() {
    let threads = ThreadSpawner::new();
    let warm = WarmSpawner::new(threads.clone(), policy(3, 60_000.0), clock());
    run_pool(&warm, 8, 10);
    eventually("3 kept, 5 left", || {
        warm.warm_threads() == 3 && threads.live_threads() == 3
    });
    warm.set_policy(policy(3, 20.0));
    eventually("the idle ones left", || threads.live_threads() == 0);
    // Nothing parked: the next run spawns again.
    run_pool(&warm, 2, 10);
    assert_eq!(warm.threads_spawned(), 8 + 2);
    warm.set_policy(policy(0, 60_000.0));
    eventually("every thread left", || threads.live_threads() == 0);
}

#[test]
fn sessions_reuse_warm_threads_except_one_thread_per_task() {
    let threads = ThreadSpawner::new();
    let warm = shared_warm(&threads);
    let pool = |strategy| RunConfig {
        strategy,
        workers: 4,
        tasks: 50,
        kind: TaskKind::Noop,
        ..RunConfig::default()
    };
    finish(&warm, pool(StrategyKind::Pool));
    // 4 workers and the feeder.
    eventually("5 parked", || warm.warm_threads() == 5);
    let spawned = warm.threads_spawned();
    finish(&warm, pool(StrategyKind::Pool));
    // A finished run's threads park a moment after its end: wait for them,
    // so that the next run finds them (rayon: 4 threads and its driver).
    eventually("5 parked again", || warm.warm_threads() == 5);
    finish(&warm, pool(StrategyKind::Rayon));
    assert_eq!(
        warm.threads_spawned(),
        spawned,
        "pool and rayon runs reuse them"
    );
    let before = threads.spawned();
    let summary = finish(&warm, pool(StrategyKind::SpawnPerTask));
    assert_eq!(summary.succeeded + summary.failed, 50);
    assert_eq!(threads.spawned() - before, 50, "a new thread per task");
    warm.set_policy(policy(0, 60_000.0));
    eventually("every thread left", || threads.live_threads() == 0);
}

#[test]
fn parked_threads_leave_before_one_thread_per_task_spends_the_thread_budget() {
    // A spawner that allows 8 live threads: the 5 parked threads of a pool
    // run (4 workers, the feeder) would leave room for only 3.
    let threads = ThreadSpawner::with_limit(8);
    let warm = shared_warm(&threads);
    let config = |strategy| RunConfig {
        strategy,
        workers: 4,
        tasks: 20,
        failure_rate: 0.0,
        kind: TaskKind::Sleep,
        sleep_ms: (20.0, 20.0),
        ..RunConfig::default()
    };
    finish(&warm, config(StrategyKind::Pool));
    eventually("5 parked", || warm.warm_threads() == 5);
    let summary = finish(&warm, config(StrategyKind::SpawnPerTask));
    assert_eq!(
        (summary.succeeded, summary.spawn_refused),
        (8, 12),
        "8 threads at once, the other 12 refused"
    );
    assert_eq!(warm.warm_threads(), 0);
}

/// A thread that died (a trap) or hangs in its body is no parked thread:
/// one thread per task does not wait for it.
#[test]
fn one_thread_per_task_runs_after_a_pool_whose_worker_died() {
    let threads = ThreadSpawner::new();
    let warm = shared_warm(&threads);
    let config = |strategy| RunConfig {
        strategy,
        workers: 2,
        tasks: 200,
        trap_rate: 0.02,
        kind: TaskKind::Noop,
        ..RunConfig::default()
    };
    let pool = finish(&warm, config(StrategyKind::Pool));
    assert!(pool.thread_failures > 0, "some tasks trapped");
    let spawn = finish(
        &warm,
        RunConfig {
            trap_rate: 0.0,
            ..config(StrategyKind::SpawnPerTask)
        },
    );
    assert_eq!(spawn.succeeded + spawn.failed, 200);
}
