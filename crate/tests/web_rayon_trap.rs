//! A rayon thread that traps, on real Web Workers (its own test binary: the
//! rayon threads that waited on the dead one stay blocked, and would be
//! counted by the other tests' "no thread left" checks).
#![cfg(target_arch = "wasm32")]

#[macro_use]
mod web_common;

use wasm_bindgen_test::*;
use wasm_worker_pool::web::session::WebSession;
use wasm_worker_pool::web::thread::{self, use_current_glue_for_threads};
use wasm_worker_pool::{RunConfig, StrategyKind, TaskKind};

use web_common::sleep_ms;

wasm_bindgen_test_configure!(run_in_browser);

cases! {
    a_rayon_thread_that_traps_ends_the_run_with_every_task_failed_or_done,
}

/// rayon cannot lose a thread: the run ends within 5 s, every task once,
/// the undone ones failed with the reason, none cancelled.
async fn a_rayon_thread_that_traps_ends_the_run_with_every_task_failed_or_done() {
    use_current_glue_for_threads();
    let config = RunConfig {
        strategy: StrategyKind::Rayon,
        workers: 4,
        tasks: 60,
        failure_rate: 0.1,
        trap_rate: 0.04,
        kind: TaskKind::Sleep,
        sleep_ms: (1.0, 3.0),
        seed: 3,
        ..RunConfig::default()
    };
    let mut run = WebSession::start_with(config)
        .unwrap_or_else(|e| panic!("start failed: {}", thread::js_message(&e)));
    let mut finished = false;
    for _ in 0..1_000 {
        if run.advance() {
            finished = true;
            break;
        }
        sleep_ms(5).await;
    }
    assert!(finished, "the run did not end within 5 s");
    let s = run.build_summary();
    assert_eq!(
        s.succeeded + s.failed + s.timed_out + s.cancelled + s.panicked,
        60
    );
    assert_eq!(s.cancelled, 0, "{s:?}");
    assert!(s.thread_failures >= 1, "{s:?}");
    let reason = s.thread_failure_reason.unwrap_or_default();
    assert!(reason.starts_with("thread died: rayon thread "), "{reason}");
    assert!(reason.contains("RuntimeError: unreachable"), "{reason}");
}
