//! What the browser test binaries share: waiting on the event loop (threads
//! spawned by a test start only once it awaits), running a `WebSession` to its end,
//! and checking that no thread is left.
#![allow(dead_code)] // each binary uses its own part

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_worker_pool::web::session::WebSession;
use wasm_worker_pool::web::thread;
use wasm_worker_pool::RunSummary;
use wasm_worker_pool::Spawner as _;
use wasm_worker_pool::{RunConfig, StrategyKind, TaskKind};

/// Waits `ms` on the event loop.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout: js_sys::Function = js_sys::Reflect::get(&global, &"setTimeout".into())
            .unwrap()
            .unchecked_into();
        set_timeout.call2(&global, &resolve, &ms.into()).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Poll until `done()` or about `limit_ms`; the event loop turns meanwhile.
pub async fn until(limit_ms: i32, mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..limit_ms / 5 {
        if done() {
            return true;
        }
        sleep_ms(5).await;
    }
    done()
}

/// Starts `config` and advances it until it ends, failing after `limit_ms`.
pub async fn run_within(limit_ms: i32, config: RunConfig) -> RunSummary {
    let strategy = config.strategy;
    let mut run = WebSession::start_with(config)
        .unwrap_or_else(|e| panic!("start failed: {}", thread::js_message(&e)));
    let mut events = Vec::new();
    assert!(
        until(limit_ms, || run.advance(&mut events)).await,
        "{strategy:?}: the run did not end within {limit_ms} ms"
    );
    run.build_summary()
}

/// Whether these tests run in Firefox (its user agent says so).
pub fn in_firefox() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"userAgent".into()))
        .ok()
        .and_then(|a| a.as_string())
        .is_some_and(|a| a.contains("Firefox/"))
}

/// The five outcomes, added up.
pub fn total(s: &RunSummary) -> u64 {
    s.succeeded + s.failed + s.timed_out + s.cancelled + s.panicked
}

/// Waits (up to 10 s) until no thread of this module is alive: the parked
/// (warm) threads are told to leave first.
pub async fn threads_gone() {
    let gone = until(10_000, || {
        wasm_worker_pool::web::warm::spawner().release_warm();
        thread::live_threads() == 0 && thread::live_worker_count() == 0
    })
    .await;
    assert!(
        gone,
        "threads left: {} live, {} workers open",
        thread::live_threads(),
        thread::live_worker_count()
    );
}

/// Short sleep tasks, 10 % failing, with this `seed`.
pub fn config(strategy: StrategyKind, workers: usize, tasks: u64, seed: u64) -> RunConfig {
    RunConfig {
        strategy,
        workers,
        tasks,
        failure_rate: 0.1,
        kind: TaskKind::Sleep,
        sleep_ms: (1.0, 3.0),
        seed,
        ..RunConfig::default()
    }
}
