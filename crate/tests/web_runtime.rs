//! The web runtime on real Web Worker threads over shared memory, in headless
//! Chromium and Firefox (`wasm-pack test --headless --chrome`, `--firefox`).
//! Each case runs in the case worker (web_common), like a run in the
//! orchestrator: threads spawned there start only once the case awaits
//! (returns to the event loop) in Chromium; in Firefox the page starts them.
#![cfg(target_arch = "wasm32")]

#[macro_use]
mod web_common;

use std::sync::Arc;

use wasm_bindgen_test::*;
use wasm_worker_pool::web::clock::WebClock;
use wasm_worker_pool::web::info::runtime_info;
use wasm_worker_pool::web::session::WebSession;
use wasm_worker_pool::web::thread::{self, use_current_glue_for_threads, WebSpawner};
use wasm_worker_pool::RunSummary;
use wasm_worker_pool::{
    Outcome, Pool, PoolConfig, RunConfig, Strategy, StrategyKind, Task, TaskError,
};

use web_common::{threads_gone, total, until};

wasm_bindgen_test_configure!(run_in_browser);

cases! {
    memory_is_shared_and_the_worker_is_isolated,
    a_spawn_cap_above_the_live_thread_limit_is_refused_naming_the_limit,
    a_pool_run_adds_up_on_exactly_its_workers,
    two_workers_run_two_tasks_at_the_same_time,
    a_panicking_task_is_caught_and_its_thread_runs_the_next_task,
    the_same_seed_fails_the_same_tasks_in_every_strategy,
    cancel_ends_the_run_promptly_and_accounts_for_every_task,
    threads_and_memory_do_not_grow_over_consecutive_runs,
}

async fn run_to_end(config: RunConfig) -> RunSummary {
    use_current_glue_for_threads();
    web_common::run_within(60_000, config).await
}

fn config(strategy: StrategyKind, workers: usize, tasks: u64) -> RunConfig {
    web_common::config(strategy, workers, tasks, 7)
}

/// What the engine gives the runtime: shared memory in an isolated worker.
async fn memory_is_shared_and_the_worker_is_isolated() {
    let info = runtime_info();
    assert!(
        info.shared_memory,
        "memory.buffer is not a SharedArrayBuffer: the build is single-threaded"
    );
    assert!(info.cross_origin_isolated);
}

/// More live threads than the runtime allows is a config error naming the
/// field and the real limit, not a run whose tasks fail. The limit is 512,
/// and 511 in Firefox (512 workers per site, the case worker included).
async fn a_spawn_cap_above_the_live_thread_limit_is_refused_naming_the_limit() {
    let limit = if web_common::in_firefox() { 511 } else { 512 };
    assert_eq!(thread::max_live_threads(), limit);
    let capped = RunConfig {
        spawn_cap: Some(limit + 1),
        ..config(StrategyKind::SpawnPerTask, 4, 10)
    };
    let error = match WebSession::start_with(capped) {
        Ok(_) => panic!("a cap of {} was accepted", limit + 1),
        Err(error) => error,
    };
    let property = |name: &str| {
        js_sys::Reflect::get(&error, &name.into())
            .unwrap()
            .as_string()
    };
    assert_eq!(property("kind").as_deref(), Some("config"));
    assert_eq!(property("field").as_deref(), Some("spawnCap"));
    let message = property("message").unwrap_or_default();
    assert!(message.contains(&limit.to_string()), "{message}");
    let ok = RunConfig {
        spawn_cap: Some(limit),
        ..config(StrategyKind::SpawnPerTask, 4, 10)
    };
    assert!(WebSession::start_with(ok).is_ok());
}

async fn a_pool_run_adds_up_on_exactly_its_workers() {
    let summary = run_to_end(config(StrategyKind::Pool, 2, 20)).await;
    assert_eq!(summary.tasks, 20);
    assert_eq!(total(&summary), 20);
    assert_eq!(summary.peak_threads, 2, "the pool ran exactly its workers");
    assert_eq!(
        summary
            .per_worker_tasks
            .iter()
            .map(|w| w.tasks)
            .sum::<u64>(),
        20
    );
    threads_gone().await;
}

/// Two tasks that each wait for the other to be running: they can only
/// both succeed if two workers run them at the same time (a barrier, not a
/// timing: one worker alone would wait 10 s and fail).
async fn two_workers_run_two_tasks_at_the_same_time() {
    use_current_glue_for_threads();
    let config = PoolConfig {
        workers: 2,
        queue_capacity: 2,
        ..PoolConfig::default()
    };
    let pool = Pool::start(config, &WebSpawner, Arc::new(WebClock::new())).unwrap();
    let arrived = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for id in 0..2 {
        let arrived = arrived.clone();
        pool.submit(Task::new(id, move |ctx| {
            arrived.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let give_up = ctx.now_us() + 10_000_000.0;
            while arrived.load(std::sync::atomic::Ordering::SeqCst) < 2 {
                if ctx.now_us() > give_up {
                    return Err(TaskError::failed("the other task never ran alongside"));
                }
                ctx.sleep_ms(1.0)?;
            }
            Ok(String::new())
        }))
        .unwrap();
    }
    pool.close();
    assert!(
        until(20_000, || pool.is_finished()).await,
        "the pool did not drain"
    );
    let results: Vec<_> = pool.results().try_iter().collect();
    assert_eq!(results.len(), 2);
    assert!(
        results.iter().all(|r| r.outcome.is_success()),
        "{results:?}"
    );
    assert_ne!(results[0].worker_id, results[1].worker_id);
    drop(pool);
    threads_gone().await;
}

async fn a_panicking_task_is_caught_and_its_thread_runs_the_next_task() {
    use_current_glue_for_threads();
    let config = PoolConfig {
        workers: 1,
        queue_capacity: 4,
        ..PoolConfig::default()
    };
    let pool = Pool::start(config, &WebSpawner, Arc::new(WebClock::new())).unwrap();
    pool.submit(Task::new(1, |_| -> Result<String, TaskError> {
        panic!("boom in a Web Worker")
    }))
    .unwrap();
    pool.submit(Task::new(2, |ctx| {
        Ok(format!("after the panic, on worker {}", ctx.worker_id()))
    }))
    .unwrap();
    pool.close();
    assert!(
        until(20_000, || pool.is_finished()).await,
        "the pool did not drain"
    );
    let mut results: Vec<_> = pool.results().try_iter().collect();
    results.sort_by_key(|r| r.task_id);
    assert_eq!(results.len(), 2);
    assert!(
        matches!(&results[0].outcome, Outcome::Panicked { message } if message.contains("boom in a Web Worker")),
        "{:?}",
        results[0].outcome
    );
    assert!(
        matches!(results[1].outcome, Outcome::Succeeded { .. }),
        "{:?}",
        results[1].outcome
    );
    assert_eq!(
        results[0].worker_id, results[1].worker_id,
        "the same (only) worker ran both"
    );
    drop(pool);
    threads_gone().await;
}

async fn the_same_seed_fails_the_same_tasks_in_every_strategy() {
    let pool = run_to_end(config(StrategyKind::Pool, 4, 60)).await;
    let spawned = run_to_end(config(StrategyKind::SpawnPerTask, 4, 60)).await;
    let rayon = run_to_end(config(StrategyKind::Rayon, 4, 60)).await;
    for summary in [&pool, &spawned, &rayon] {
        assert_eq!(total(summary), 60, "{:?}", summary.strategy);
    }
    assert!(!pool.failed_task_ids.is_empty());
    assert_eq!(pool.failed_task_ids, spawned.failed_task_ids);
    assert_eq!(pool.failed_task_ids, rayon.failed_task_ids);
    assert!(spawned.peak_threads >= 2);
    threads_gone().await;
}

async fn cancel_ends_the_run_promptly_and_accounts_for_every_task() {
    use_current_glue_for_threads();
    let config = RunConfig {
        sleep_ms: (5.0, 10.0),
        ..config(StrategyKind::Pool, 2, 2_000)
    };
    let mut run = WebSession::start_with(config).unwrap();
    until(100, || run.advance()).await;
    run.cancel();
    assert!(
        until(5_000, || run.advance()).await,
        "cancel did not end the run within 5 s"
    );
    let summary = run.build_summary();
    assert_eq!(total(&summary), 2_000);
    assert!(summary.cancelled > 0);
    assert!(summary.succeeded + summary.failed < 2_000);
    threads_gone().await;
}

async fn threads_and_memory_do_not_grow_over_consecutive_runs() {
    // Shared memory never shrinks, and how many stacks are alive at once
    // depends on how thread starts overlap, so the bound is physical: the
    // first run's memory plus the stacks of the most threads any round can
    // have (8 workers + the feeder) plus 8 MiB. Leaking one stack per run
    // would cross it within 18 of the 30 rounds.
    let mut memory = Vec::new();
    for round in 0..30 {
        let (strategy, workers, tasks) = match round % 3 {
            0 => (StrategyKind::SpawnPerTask, 8, 8),
            1 => (StrategyKind::Pool, 2, 40),
            _ => (StrategyKind::Pool, 8, 40),
        };
        let summary = run_to_end(config(strategy, workers, tasks)).await;
        assert_eq!(total(&summary), tasks);
        threads_gone().await;
        memory.push(runtime_info().memory_bytes);
    }
    let per_thread = (thread::THREAD_STACK_BYTES + (64 << 10)) as f64;
    let bound = memory[0] + 9.0 * per_thread + 8.0 * 1048576.0;
    let most = memory.iter().cloned().fold(0.0, f64::max);
    assert!(
        most <= bound,
        "shared memory reached {most}, over {bound}: {memory:?}"
    );
}
