//! Fault paths of the web runtime on real Web Workers, in headless Chromium
//! and Firefox (`wasm-pack test --headless --chrome`, `--firefox`; each case
//! runs in the case worker, see web_common): threads whose module cannot be
//! loaded, tasks that trap (a real wasm `unreachable` kills the thread
//! without unwinding), and a spawn whose `postMessage` throws. Every run must
//! end in bounded time with the truth: tasks that could not run are failed,
//! with the reason, never cancelled.
#![cfg(target_arch = "wasm32")]

#[macro_use]
mod web_common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use wasm_worker_pool::web::session::WebSession;
use wasm_worker_pool::web::thread::{
    self, use_current_glue_for_threads, use_glue_for_threads, WebSpawner,
};
use wasm_worker_pool::{RunConfig, Spawner, StrategyKind, TaskKind};
use web_common::{run_within, sleep_ms, threads_gone, total, until};

wasm_bindgen_test_configure!(run_in_browser);

cases! {
    threads_whose_module_fails_to_load_fail_every_task_in_every_strategy,
    a_thread_whose_glue_import_never_settles_fails_at_the_start_limit,
    a_task_that_traps_fails_and_the_run_finishes_in_pool_and_spawn_per_task,
    aborting_a_run_whose_thread_trapped_settles_within_a_second,
    a_spawn_whose_post_message_throws_drops_its_closure_once,
    a_start_refused_after_its_pool_spawned_returns_at_once_and_joins_nothing,
    the_thread_entry_ignores_an_id_it_never_gave,
    the_spawn_budget_does_not_depend_on_how_far_memory_once_grew,
}

fn config(strategy: StrategyKind, workers: usize, tasks: u64) -> RunConfig {
    web_common::config(strategy, workers, tasks, 3)
}

const STRATEGIES: [StrategyKind; 3] = [
    StrategyKind::Pool,
    StrategyKind::SpawnPerTask,
    StrategyKind::Rayon,
];

/// Every thread's glue import fails (its glue URL is a 404): the tasks
/// fail, naming the start failure, in every strategy; none is "cancelled".
async fn threads_whose_module_fails_to_load_fail_every_task_in_every_strategy() {
    for strategy in STRATEGIES {
        // Firefox now and then never ends one of these starts: the thread
        // start limit ends it well inside the run's 10 s.
        let glue = GlueForThreads::at("/no-such-glue/wasm_worker_pool.js", 3_000);
        let summary = run_within(10_000, config(strategy, 2, 100)).await;
        drop(glue);
        assert_eq!(total(&summary), 100, "{strategy:?}");
        assert_eq!(
            (summary.failed, summary.cancelled, summary.never_submitted),
            (100, 0, 0),
            "{strategy:?}: {summary:?}"
        );
        assert_eq!(summary.thread_failures, 100, "{strategy:?}");
        assert_eq!(summary.failed_task_ids, (0..100).collect::<Vec<u64>>());
        let reason = summary.thread_failure_reason.clone().unwrap_or_default();
        assert!(
            reason.starts_with("thread failed to start"),
            "{strategy:?}: {reason}"
        );
        assert!(
            reason.contains("no-such-glue")
                || reason.contains("dynamically imported module")
                || reason.contains("the thread did not start within 3 s"),
            "{strategy:?}: {reason}"
        );
        threads_gone().await;
    }
}

/// Every thread's glue import never settles (a module whose top-level await
/// never ends stands in for the import of a 404 that Firefox now and then
/// leaves pending): once the thread start limit passes, the threads fail to
/// start, saying so, and the run ends with every task failed.
async fn a_thread_whose_glue_import_never_settles_fails_at_the_start_limit() {
    let glue = GlueForThreads::at("data:text/javascript,await new Promise(() => {});", 2_000);
    let summary = run_within(10_000, config(StrategyKind::Pool, 2, 10)).await;
    drop(glue);
    assert_eq!(
        (summary.failed, summary.cancelled, total(&summary)),
        (10, 0, 10),
        "{summary:?}"
    );
    let reason = summary.thread_failure_reason.clone().unwrap_or_default();
    assert!(
        reason.starts_with("thread failed to start")
            && reason.contains("the thread did not start within 2 s"),
        "{reason}"
    );
    threads_gone().await;
}

/// Thread workers import the glue from another URL, with another thread
/// start limit, until this is dropped (also when an assertion fails): then from
/// the test binary's own glue, with the default limit, again.
struct GlueForThreads;

impl GlueForThreads {
    fn at(url: &str, limit_ms: u32) -> GlueForThreads {
        use_glue_for_threads(url);
        thread::limit_thread_starts_to(limit_ms);
        GlueForThreads
    }
}

impl Drop for GlueForThreads {
    fn drop(&mut self) {
        use_current_glue_for_threads();
        thread::limit_thread_starts_to(thread::DEFAULT_THREAD_START_LIMIT_MS);
    }
}

/// Seed 3 at a trap rate of 4 % makes tasks 27 and 31 of 60 trap: each
/// kills its thread with a real `unreachable`. They fail saying so; every
/// other task ends as its seed says; the run ends within 5 s.
async fn a_task_that_traps_fails_and_the_run_finishes_in_pool_and_spawn_per_task() {
    use_current_glue_for_threads();
    for strategy in [StrategyKind::Pool, StrategyKind::SpawnPerTask] {
        let config = RunConfig {
            trap_rate: 0.04,
            ..config(strategy, 4, 60)
        };
        let workload = config.workload();
        let traps: BTreeSet<u64> = workload.specs().filter(|s| s.traps).map(|s| s.id).collect();
        assert_eq!(traps, BTreeSet::from([27, 31]), "the seed's traps");
        let fails: BTreeSet<u64> = workload
            .specs()
            .filter(|s| s.fails || s.traps)
            .map(|s| s.id)
            .collect();
        let summary = run_within(5_000, config).await;
        assert_eq!(total(&summary), 60, "{strategy:?}");
        assert_eq!(summary.cancelled, 0, "{strategy:?}");
        assert_eq!(
            summary
                .failed_task_ids
                .iter()
                .copied()
                .collect::<BTreeSet<_>>(),
            fails,
            "{strategy:?}: exactly the seed's failures and the traps"
        );
        assert_eq!(summary.thread_failures, 2, "{strategy:?}");
        let reason = summary.thread_failure_reason.clone().unwrap_or_default();
        assert!(reason.starts_with("thread died:"), "{strategy:?}: {reason}");
        assert!(
            reason.contains("RuntimeError: unreachable"),
            "{strategy:?}: {reason}"
        );
        threads_gone().await;
    }
}

/// A trap, then an abort: the run settles at once.
async fn aborting_a_run_whose_thread_trapped_settles_within_a_second() {
    use_current_glue_for_threads();
    // Seed 126 at 0.2 %: task 5 is the only one of 400 that traps.
    let config = RunConfig {
        trap_rate: 0.002,
        sleep_ms: (20.0, 40.0),
        seed: 126,
        ..config(StrategyKind::Pool, 2, 400)
    };
    let traps: Vec<u64> = config
        .workload()
        .specs()
        .filter(|s| s.traps)
        .map(|s| s.id)
        .collect();
    assert_eq!(traps, [5]);
    let mut run = WebSession::start_with(config).unwrap();
    let trapped = until(20_000, || {
        run.advance();
        run.build_summary().thread_failures > 0
    })
    .await;
    assert!(trapped, "a task trapped");
    run.cancel();
    assert!(
        until(1_000, || run.advance()).await,
        "the aborted run did not settle within 1 s"
    );
    let summary = run.build_summary();
    assert_eq!(total(&summary), 400);
    assert!(summary.cancelled > 0);
    threads_gone().await;
}

/// Counts how often it was dropped.
struct Drops(Arc<AtomicUsize>);

impl Drop for Drops {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[wasm_bindgen(inline_js = "
export function breakWorkers() {
  const Real = globalThis.Worker;
  // A worker whose script fails to load (onerror comes later) and whose
  // postMessage throws: the two ways a start can fail, both for one spawn.
  globalThis.Worker = class extends Real {
    constructor(_url, options) { super(new URL('/no-such-thread-worker.js', location.href), options); }
    postMessage() { throw new DOMException('postMessage refused (test)', 'DataCloneError'); }
  };
  // Where the page starts the threads (Firefox), the start is posted to the page instead.
  const realPost = globalThis.postMessage;
  globalThis.postMessage = function (message, ...rest) {
    if (message && message.type === 'start-thread') throw new DOMException('postMessage refused (test)', 'DataCloneError');
    return realPost.call(this, message, ...rest);
  };
  return () => { globalThis.Worker = Real; globalThis.postMessage = realPost; };
}
")]
extern "C" {
    #[wasm_bindgen(js_name = breakWorkers)]
    fn break_workers() -> js_sys::Function;
}

/// `postMessage` throws after spawn.js attached its handlers: the closure is
/// dropped exactly once. In Chromium the worker's script then fails to load
/// too, and that late report must not drop it again; in Firefox the start
/// is posted to the page, and a post that throws sends nothing, so the
/// check after the late report cannot fail there.
async fn a_spawn_whose_post_message_throws_drops_its_closure_once() {
    use_current_glue_for_threads();
    threads_gone().await;
    let drops = Arc::new(AtomicUsize::new(0));
    let guard = Drops(drops.clone());
    let restore = break_workers();
    let spawned = WebSpawner.spawn(Box::new(move || drop(guard)));
    restore.call0(&JsValue::NULL).unwrap();
    let error = spawned.expect_err("the spawn fails");
    assert!(
        error.reason.contains("postMessage refused"),
        "{}",
        error.reason
    );
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "dropped when the spawn failed"
    );
    // Give the failed script load time to report (it must not drop again).
    sleep_ms(1_000).await;
    assert_eq!(drops.load(Ordering::SeqCst), 1, "dropped exactly once");
    assert_eq!(thread::live_threads(), 0);
    assert_eq!(thread::live_worker_count(), 0);
}

/// With the live-thread limit nearly reached, a demonstration's helper
/// thread (and a run's feeder) is refused right after its pool started two
/// workers. Nothing may join those workers on this thread (where it
/// constructs them they cannot start until it returns to its event loop):
/// the start fails at once. That it joins nothing can fail only where this
/// thread constructs them (Chromium: a join would hang the case); in
/// Firefox the page starts them at once. The fillers hold their places
/// until their guard is dropped, also when an assertion fails.
async fn a_start_refused_after_its_pool_spawned_returns_at_once_and_joins_nothing() {
    use wasm_worker_pool::web::lessons::Demonstration;
    use_current_glue_for_threads();
    threads_gone().await;
    let fillers = thread::max_live_threads() - 2;
    let held = spawn_fillers(fillers);
    // Two workers fit, the helper does not.
    let demo = Demonstration::start("unbuffered-queue");
    let error = demo.err().expect("the helper thread is refused");
    assert!(
        thread::js_message(&error).contains("helper thread"),
        "{}",
        thread::js_message(&error)
    );
    drop(held);
    threads_gone().await;
    let held = spawn_fillers(fillers);
    let run = WebSession::start_with(config(StrategyKind::Pool, 2, 10));
    let error = run.err().expect("the feeder thread is refused");
    assert!(
        thread::js_message(&error).contains("feeder thread"),
        "{}",
        thread::js_message(&error)
    );
    drop(held);
    threads_gone().await;
}

/// `count` threads that wait until the returned guard is dropped.
fn spawn_fillers(count: usize) -> Fillers {
    let fillers = Fillers(Arc::new(Gate::default()));
    for _ in 0..count {
        let gate = fillers.0.clone();
        WebSpawner
            .spawn(Box::new(move || gate.wait()))
            .expect("room for a filler thread");
    }
    fillers
}

/// Releases its filler threads when dropped: a failed assertion unwinds
/// through it, so no thread is left blocked for the next case.
struct Fillers(Arc<Gate>);

impl Drop for Fillers {
    fn drop(&mut self) {
        self.0.open();
    }
}

/// A gate that opens once: `wait` blocks (on a thread, never the page) until `open`.
#[derive(Default)]
struct Gate {
    is_open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn wait(&self) {
        let is_open = self.is_open.lock().unwrap();
        drop(
            self.opened
                .wait_while(is_open, |is_open| !*is_open)
                .unwrap(),
        );
    }

    fn open(&self) {
        *self.is_open.lock().unwrap() = true;
        self.opened.notify_all();
    }
}

/// The thread entry takes an id, not an address: a wrong one runs and frees nothing.
async fn the_thread_entry_ignores_an_id_it_never_gave() {
    assert!(!thread::wwp_thread_main(0));
    assert!(!thread::wwp_thread_main(u32::MAX));
}

/// The spawn budget counts live threads, not how far the memory once grew
/// (it never shrinks): after the heap reached 800 MiB and was freed, a
/// 256-worker pool still starts, and one worker per task is refused at the
/// same thread as before.
async fn the_spawn_budget_does_not_depend_on_how_far_memory_once_grew() {
    use_current_glue_for_threads();
    threads_gone().await;
    let spawned = RunConfig {
        tasks: 600,
        failure_rate: 0.0,
        ..config(StrategyKind::SpawnPerTask, 1, 600)
    };
    let limit = thread::max_live_threads() as u64;
    let before = run_within(60_000, spawned.clone()).await;
    assert_eq!(
        (before.peak_threads, before.spawn_refused),
        (limit, 600 - limit)
    );
    threads_gone().await;
    let grown = vec![1u8; 800 << 20];
    assert_eq!(std::hint::black_box(&grown)[grown.len() - 1], 1);
    drop(grown);
    assert!(wasm_worker_pool::web::info::runtime_info().memory_bytes >= (800 << 20) as f64);
    let wide = run_within(
        60_000,
        RunConfig {
            kind: TaskKind::Noop,
            ..config(StrategyKind::Pool, 256, 512)
        },
    )
    .await;
    assert_eq!(
        (total(&wide), wide.peak_threads, wide.thread_failures),
        (512, 256, 0)
    );
    threads_gone().await;
    let after = run_within(60_000, spawned).await;
    assert_eq!(
        (after.peak_threads, after.spawn_refused),
        (limit, 600 - limit),
        "the same refusals as before"
    );
    threads_gone().await;
}
