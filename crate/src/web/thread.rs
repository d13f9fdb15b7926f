//! Rust threads on Web Workers.
//!
//! `std::thread::spawn` is unsupported on wasm32-unknown-unknown. A thread
//! here is a module Web Worker (js/spawn.js, js/thread_worker.js) that
//! instantiates this module on the same shared `WebAssembly.Memory` and runs
//! a boxed closure, then frees its stack and TLS.
//!
//! Three browser facts shape this file:
//! - A worker starts only after its creator returns to the event loop, so
//!   [`WebSpawner::spawn`] never waits for the thread it starts.
//! - A thread start that fails on a full memory wedges every later start, so
//!   spawns are refused *before* the ceiling: at most [`MAX_LIVE_THREADS`]
//!   live threads, whose stacks always fit (checked at compile time), and
//!   fewer where the engine caps workers lower ([`max_live_threads`]).
//! - A thread that traps (`unreachable`, out of memory) dies without
//!   unwinding: thread_worker.js catches it and calls [`wwp_thread_died`] on
//!   the dying thread, which runs what the thread left to do
//!   (`runtime::fault`).
//!
//! Closures wait in a table under an id until their thread takes them: no
//! raw pointer crosses into JavaScript, so a wrong or repeated id from JS can
//! never free or run a closure twice.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::runtime::fault;
use crate::{SpawnError, Spawner};

/// Most Web Workers this module keeps alive at once in any engine (each also
/// costs Chromium's renderer ~2.7 MB; it crashes near 2,600 on our machines).
pub const MAX_LIVE_THREADS: usize = 512;
/// Firefox starts at most this many workers per site (`dom.workers.maxPerDomain`);
/// one more is constructed without error and never starts.
const FIREFOX_WORKERS_PER_SITE: usize = 512;
/// Stack of every spawned thread, allocated on the shared heap (a multiple of 64 KiB).
pub const THREAD_STACK_BYTES: usize = 1 << 20;
/// Ceiling of the shared memory, as linked (`--max-memory` in crate/.cargo/config.toml).
pub const MAX_MEMORY_BYTES: usize = 1 << 30;
/// Stack, TLS and allocator slack one thread can take from the heap.
const PER_THREAD_BYTES: usize = THREAD_STACK_BYTES + (64 << 10);
/// Kept free for everything that is not a thread stack (results, queues, the page's runs).
const HEAP_RESERVE_BYTES: usize = 128 << 20;

// The spawn budget is the live-thread limit alone: the stacks of that many
// threads and the reserve always fit under the memory ceiling, so the same
// settings get the same refusals however far the memory once grew.
const _: () = assert!(MAX_LIVE_THREADS * PER_THREAD_BYTES + HEAP_RESERVE_BYTES <= MAX_MEMORY_BYTES);

/// Threads spawned whose closure has not returned yet (started or not).
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Where thread workers import the glue from, when it is not the packaged
/// `wasm_worker_pool.js` (under wasm-bindgen-test's runner).
static GLUE_URL: Mutex<Option<String>> = Mutex::new(None);
/// How long a thread may take to take its body before its start counts as
/// failed (spawn.js says why there is a limit).
static THREAD_START_LIMIT_MS: AtomicU32 = AtomicU32::new(DEFAULT_THREAD_START_LIMIT_MS);
/// Far above a normal start (under many starts at once Firefox took over 10 s
/// for some here; most take well under a second), so only a start that never
/// ends hits it ([`limit_thread_starts_to`] changes it).
pub const DEFAULT_THREAD_START_LIMIT_MS: u32 = 60_000;

type ThreadBody = Box<dyn FnOnce() + Send + 'static>;

/// Closures spawned and not yet taken by their thread (or dropped unrun).
static BODIES: Mutex<BTreeMap<u32, ThreadBody>> = Mutex::new(BTreeMap::new());
static NEXT_ID: AtomicU32 = AtomicU32::new(1);
/// Threads this module has started, ever.
static SPAWNED: AtomicU64 = AtomicU64::new(0);

/// The engine's ceiling on this module's live threads, and why: in Firefox
/// its per-site worker cap less the worker this runtime runs in (the
/// orchestrator, or the tests' case worker), else [`MAX_LIVE_THREADS`].
fn engine_ceiling() -> (usize, &'static str) {
    static CEILING: std::sync::OnceLock<(usize, &'static str)> = std::sync::OnceLock::new();
    *CEILING.get_or_init(|| {
        let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into());
        let agent = navigator
            .and_then(|n| js_sys::Reflect::get(&n, &"userAgent".into()))
            .ok()
            .and_then(|a| a.as_string())
            .unwrap_or_default();
        if agent.contains("Firefox/") {
            (
                (FIREFOX_WORKERS_PER_SITE - 1).min(MAX_LIVE_THREADS),
                "Firefox starts at most 512 workers per site, this runtime's own included",
            )
        } else {
            (MAX_LIVE_THREADS, "the browser crashes near 2,600")
        }
    })
}

/// Most threads of this module alive at once in this engine (see [`engine_ceiling`]).
pub fn max_live_threads() -> usize {
    engine_ceiling().0
}

fn take_body(id: u32) -> Option<ThreadBody> {
    BODIES.lock().unwrap_or_else(|p| p.into_inner()).remove(&id)
}

#[wasm_bindgen(module = "/js/spawn.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = spawnThread)]
    fn spawn_thread(
        module: &JsValue,
        memory: &JsValue,
        id: u32,
        stack_size: u32,
        glue_url: Option<String>,
        start_limit_ms: u32,
        on_start_failed: &js_sys::Function,
    ) -> Result<(), JsValue>;

    /// Web Workers started by this thread that have not closed yet.
    #[wasm_bindgen(js_name = liveWorkerCount)]
    pub fn live_worker_count() -> u32;

    /// On a thread, after each body of a warm thread: tells the thread that
    /// started it (the orchestrator) that a body returned, so that it hears
    /// at once that its run's work may be over (a parked thread does not
    /// exit, so its exit cannot say it).
    #[wasm_bindgen(js_name = reportBodyEnded)]
    pub(super) fn report_body_ended();

    #[wasm_bindgen(js_name = startThreadsThrough)]
    fn start_threads_through_js(post: &js_sys::Function);

    #[wasm_bindgen(js_name = threadMessage)]
    fn thread_message_js(id: u32, data: &JsValue);

    /// Where `thread_worker.js` is served from: what the receiver of
    /// [`start_threads_through`]'s messages starts.
    #[wasm_bindgen(js_name = threadWorkerUrl)]
    pub fn thread_worker_url() -> String;
}

/// Start every later thread by calling `post({ module, memory, id,
/// stackSize, glueUrl })` instead of constructing its Web Worker on this
/// thread: the receiver (the page) starts `thread_worker.js` with that
/// message and hands the thread's messages to [`thread_message`]. Firefox,
/// while a console listener is attached, deadlocks a worker that constructs
/// more than a few nested workers (scripts/firefox-nested-workers), and the
/// orchestrator is a worker.
#[wasm_bindgen(js_name = startThreadsThrough)]
pub fn start_threads_through(post: &js_sys::Function) {
    start_threads_through_js(post);
}

/// A message from a thread started through [`start_threads_through`]'s
/// receiver (a failed load as `{ type: 'start-failed', message }`).
#[wasm_bindgen(js_name = threadMessage)]
pub fn thread_message(id: u32, data: &JsValue) {
    thread_message_js(id, data);
}

// Declared so that wasm-bindgen ships the worker script beside spawn.js; it
// is loaded by `new Worker(...)`. Never called, so the glue never imports it.
#[wasm_bindgen(module = "/js/thread_worker.js")]
extern "C" {
    #[allow(dead_code)]
    #[wasm_bindgen(js_name = threadWorkerIsShipped)]
    fn thread_worker_is_shipped();
}

#[wasm_bindgen]
extern "C" {
    /// `import.meta.url` of the glue module this code was loaded by.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_MODULE_URL: JsValue;
}

thread_local! {
    /// `false` when the thread had already taken its closure: it runs (its
    /// start limit passed after it started).
    static ON_START_FAILED: Closure<dyn Fn(u32, String) -> bool> = Closure::new(|id: u32, message: String| {
        // The thread never took its closure: drop it here, which runs its
        // guards (the core counts the thread as exited and says why).
        let Some(body) = take_body(id) else { return false };
        LIVE.fetch_sub(1, Ordering::AcqRel);
        web_sys::console::warn_1(&format!("wasm-worker-pool: a thread failed to start: {message}").into());
        fault::drop_unstarted(body, &message);
        true
    });
}

/// The URL of the glue module this code was loaded by (`import.meta.url`).
pub fn current_glue_url() -> String {
    GLUE_MODULE_URL
        .with(|url| url.as_string())
        .expect("import.meta.url is a string")
}

/// Make thread workers import the glue from the module this code was loaded
/// by (under wasm-bindgen-test's runner, whose glue is not `wasm_worker_pool.js`).
pub fn use_current_glue_for_threads() {
    use_glue_for_threads(&current_glue_url());
}

/// Make thread workers import the glue from `url` (a glue module of this
/// same build under another name or place).
pub fn use_glue_for_threads(url: &str) {
    *GLUE_URL.lock().unwrap_or_else(|p| p.into_inner()) = Some(url.to_string());
}

/// Make later threads count as failed to start when they have not started
/// `ms` after their spawn (tests of starts that fail or never end; the
/// default is [`DEFAULT_THREAD_START_LIMIT_MS`]). Panics unless `ms` is from
/// 1 to `i32::MAX` (what `setTimeout` takes).
pub fn limit_thread_starts_to(ms: u32) {
    assert!(
        (1..=i32::MAX as u32).contains(&ms),
        "the thread start limit must be from 1 to {} ms (got {ms})",
        i32::MAX
    );
    THREAD_START_LIMIT_MS.store(ms, Ordering::Relaxed);
}

/// Counts a thread out of `LIVE` when its body returns or unwinds.
struct LiveGuard;

impl Drop for LiveGuard {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Entry of every thread (called by js/thread_worker.js with the id it was
/// given): runs the closure spawned under `id`. `false` if there is none.
#[wasm_bindgen]
pub fn wwp_thread_main(id: u32) -> bool {
    let Some(body) = take_body(id) else {
        return false;
    };
    let live = LiveGuard;
    // A thread that dies never drops `live`: its last death hook counts it out.
    let _watch = fault::on_death(|_| {
        LIVE.fetch_sub(1, Ordering::AcqRel);
    });
    // The core catches task panics; this keeps the count right if a thread
    // body itself panics.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
    drop(_watch);
    drop(live);
    true
}

/// Called by js/thread_worker.js on a thread whose body trapped: runs the
/// death hooks it left (ending its task `Failed` with `reason`, counting it
/// out). `true` if the worker may then free the thread's stack and TLS.
#[wasm_bindgen]
pub fn wwp_thread_died(reason: String) -> bool {
    !fault::die(&reason).keep_stack
}

/// Threads of this module alive now (spawned, closure not yet returned).
pub fn live_threads() -> usize {
    LIVE.load(Ordering::Acquire)
}

/// Threads this module has started, ever.
pub fn threads_spawned() -> u64 {
    SPAWNED.load(Ordering::Relaxed)
}

/// Most threads alive at once since the module started.
pub fn peak_threads() -> usize {
    PEAK.load(Ordering::Acquire)
}

/// Current size of this module's memory. Read through `byteLength` so that
/// it also works on an unshared (misbuilt) memory, which `runtimeInfo()` must
/// still be able to report.
pub(crate) fn memory_bytes() -> usize {
    let buffer = wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer();
    js_sys::Reflect::get(&buffer, &"byteLength".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0) as usize
}

/// Reserves a live-thread slot, or says why a new thread may not start now.
fn reserve() -> Result<(), String> {
    let (ceiling, why) = engine_ceiling();
    LIVE.fetch_update(Ordering::AcqRel, Ordering::Acquire, |live| {
        (live < ceiling).then_some(live + 1)
    })
    .map(|before| {
        PEAK.fetch_max(before + 1, Ordering::AcqRel);
    })
    .map_err(|_| format!("the limit of {ceiling} live Web Workers is reached ({why})"))
}

/// Spawns threads as Web Workers on this module's shared memory.
#[derive(Clone, Copy, Debug, Default)]
pub struct WebSpawner;

impl Spawner for WebSpawner {
    fn max_live_threads(&self) -> Option<usize> {
        Some(max_live_threads())
    }

    fn live_threads(&self) -> Option<usize> {
        Some(live_threads())
    }

    fn spawn(&self, f: Box<dyn FnOnce() + Send + 'static>) -> Result<(), SpawnError> {
        reserve().map_err(|reason| SpawnError { reason })?;
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        BODIES
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, f);
        let glue_url = GLUE_URL.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let result = ON_START_FAILED.with(|on_failed| {
            spawn_thread(
                &wasm_bindgen::module(),
                &wasm_bindgen::memory(),
                id,
                THREAD_STACK_BYTES as u32,
                glue_url,
                THREAD_START_LIMIT_MS.load(Ordering::Relaxed),
                on_failed.as_ref().unchecked_ref(),
            )
        });
        if result.is_ok() {
            SPAWNED.fetch_add(1, Ordering::Relaxed);
        }
        result.map_err(|error| {
            // `new Worker` or `postMessage` threw: no thread will take the
            // closure (spawn.js has ended that worker), so drop it here.
            drop(take_body(id));
            LIVE.fetch_sub(1, Ordering::AcqRel);
            SpawnError {
                reason: format!(
                    "the browser refused a new Web Worker: {}",
                    js_message(&error)
                ),
            }
        })
    }
}

pub fn js_message(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}
