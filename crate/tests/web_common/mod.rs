//! What the browser test binaries share: running each test case in the case
//! worker ([`cases!`], host.js), waiting on the event loop (in Chromium, the
//! threads a case spawns start only once it awaits), running a `WebSession` to its end,
//! and checking that no thread is left.
#![allow(dead_code)] // each binary uses its own part

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;

use futures_util::FutureExt as _;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_worker_pool::web::session::WebSession;
use wasm_worker_pool::web::thread;
use wasm_worker_pool::RunSummary;
use wasm_worker_pool::Spawner as _;
use wasm_worker_pool::{RunConfig, StrategyKind, TaskKind};

/// Declares a test binary's cases, each an `async fn` of the binary's root:
/// a `#[wasm_bindgen_test]` runs on the page's main thread and hands the
/// case, by name, to the case worker (host.js), where the binary's
/// `wwpTestCase` export runs it. As in the package, no Rust runs on the page
/// beyond that hand-over, since the main thread must not block: the threads
/// are spawned by the case worker, which constructs them itself (in Firefox,
/// the page constructs them for it).
macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        /// The tests: each runs its case in the case worker.
        mod in_case_worker {
            $(
                #[wasm_bindgen_test::wasm_bindgen_test]
                async fn $name() {
                    super::web_common::in_case_worker(stringify!($name)).await;
                }
            )*
        }

        /// Runs the case `name` (in the case worker): the promise rejects
        /// with its panic message.
        #[wasm_bindgen::prelude::wasm_bindgen(js_name = wwpTestCase)]
        pub fn wwp_test_case(name: String) -> js_sys::Promise {
            let case: Option<web_common::Case> = match name.as_str() {
                $(stringify!($name) => Some(Box::pin($name())),)*
                _ => None,
            };
            web_common::case_promise(name, case)
        }
    };
}

/// A test case's body, as [`cases!`] hands it to the case worker.
pub type Case = Pin<Box<dyn Future<Output = ()>>>;

#[wasm_bindgen(module = "/tests/web_common/host.js")]
extern "C" {
    #[wasm_bindgen(js_name = runCase)]
    fn run_case(
        name: &str,
        module: &JsValue,
        memory: &JsValue,
        glue_url: &str,
        thread_worker_url: &str,
    ) -> js_sys::Promise;
}

// Declared so that wasm-bindgen ships the case worker's script beside
// host.js, which starts it; never called, so the glue never imports it.
#[wasm_bindgen(module = "/tests/web_common/case_worker.js")]
extern "C" {
    #[wasm_bindgen(js_name = caseWorkerIsShipped)]
    fn case_worker_is_shipped();
}

/// On the page: runs the case `name` in the case worker; panics with its
/// panic message (and where it panicked) if it failed.
pub async fn in_case_worker(name: &str) {
    let ended = run_case(
        name,
        &wasm_bindgen::module(),
        &wasm_bindgen::memory(),
        &thread::current_glue_url(),
        &thread::thread_worker_url(),
    );
    if let Err(error) = JsFuture::from(ended).await {
        panic!("{}", thread::js_message(&error));
    }
}

std::thread_local! {
    /// This thread's last panic, as the panic hook printed it (message and place).
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The promise of running `case` (none: there is no case of that `name`):
/// it rejects with the panic's message and place.
pub fn case_promise(name: String, case: Option<Case>) -> js_sys::Promise {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            LAST_PANIC.with(|last| *last.borrow_mut() = Some(info.to_string()));
            previous(info);
        }));
    });
    wasm_bindgen_futures::future_to_promise(AssertUnwindSafe(async move {
        let case = case.ok_or_else(|| format!("no test case named {name}"))?;
        LAST_PANIC.with(|last| last.borrow_mut().take());
        match AssertUnwindSafe(case).catch_unwind().await {
            Ok(()) => Ok(JsValue::UNDEFINED),
            Err(payload) => Err(panic_report(&name, &*payload).into()),
        }
    }))
}

/// What a case's panic reports: the hook's text (message and place) when it
/// is this panic's, else the payload's message (a `resume_unwind` runs no
/// hook, so the hook's text may be an earlier, caught panic's).
fn panic_report(name: &str, payload: &(dyn std::any::Any + Send)) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned());
    let hooked = LAST_PANIC.with(|last| last.borrow_mut().take());
    match (message, hooked) {
        (Some(message), Some(hooked)) if !message.is_empty() && hooked.contains(&message) => hooked,
        (Some(message), _) => message,
        (None, _) => format!("{name} panicked"),
    }
}

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
    assert!(
        until(limit_ms, || run.advance()).await,
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
