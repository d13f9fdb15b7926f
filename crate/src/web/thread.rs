//! Rust threads on Web Workers.
//!
//! `std::thread::spawn` is unsupported on wasm32-unknown-unknown. A thread
//! here is a module Web Worker (js/spawn.js, js/thread_worker.js) that
//! instantiates this module on the same shared `WebAssembly.Memory` and runs
//! a boxed closure, then frees its stack and TLS.
//!
//! Two browser facts shape this file:
//! - A worker starts only after its creator returns to the event loop, so
//!   [`WebSpawner::spawn`] never waits for the thread it starts.
//! - A thread start that fails on a full memory wedges every later start, so
//!   spawns are refused *before* the ceiling: a live-thread limit (the
//!   renderer crashes at ~2,600 workers) and a shared-memory budget.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::{SpawnError, Spawner};

/// Most Web Workers this module keeps alive at once (each also costs the
/// renderer ~2.7 MB; it crashes near 2,600 on our machines).
pub const MAX_LIVE_THREADS: usize = 512;
/// Stack of every spawned thread, allocated on the shared heap (a multiple of 64 KiB).
pub const THREAD_STACK_BYTES: usize = 1 << 20;
/// Ceiling of the shared memory, as linked (`--max-memory` in crate/.cargo/config.toml).
pub const MAX_MEMORY_BYTES: usize = 1 << 30;
/// Stack, TLS and allocator slack one thread can take from the heap.
const PER_THREAD_BYTES: usize = THREAD_STACK_BYTES + (64 << 10);
/// Kept free for everything that is not a thread stack (results, queues, the page's runs).
const HEAP_RESERVE_BYTES: usize = 128 << 20;

/// Threads spawned whose closure has not returned yet (started or not).
static LIVE: AtomicUsize = AtomicUsize::new(0);
/// Threads spawned that have not yet entered their closure.
static NOT_STARTED: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Where thread workers import the glue from, when it is not the packaged
/// `wasm_worker_pool.js` (under wasm-bindgen-test's runner).
static GLUE_URL: Mutex<Option<String>> = Mutex::new(None);

type ThreadBody = Box<dyn FnOnce() + Send + 'static>;

#[wasm_bindgen(module = "/js/spawn.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = spawnThread)]
    fn spawn_thread(
        module: &JsValue,
        memory: &JsValue,
        ptr: u32,
        stack_size: u32,
        glue_url: Option<String>,
        on_start_failed: &js_sys::Function,
    ) -> Result<(), JsValue>;

    /// Web Workers started by this thread that have not closed yet.
    #[wasm_bindgen(js_name = liveWorkerCount)]
    pub fn live_worker_count() -> u32;
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
    static ON_START_FAILED: Closure<dyn Fn(u32, String)> = Closure::new(|ptr: u32, message: String| {
        // The thread never took ownership of its closure: drop it here, which
        // runs its guards (the core counts the thread as exited).
        let body = unsafe { Box::from_raw(ptr as *mut ThreadBody) };
        NOT_STARTED.fetch_sub(1, Ordering::AcqRel);
        LIVE.fetch_sub(1, Ordering::AcqRel);
        web_sys::console::warn_1(&format!("wasm-worker-pool: a thread failed to start: {message}").into());
        drop(body);
    });
}

/// Make thread workers import the glue from the module this code was loaded
/// from. Needed where the glue is not `wasm_worker_pool.js` (wasm-bindgen-test).
pub fn use_current_glue_for_threads() {
    let url = GLUE_MODULE_URL
        .with(|url| url.as_string())
        .expect("import.meta.url is a string");
    *GLUE_URL.lock().unwrap() = Some(url);
}

/// Entry of every thread (called by js/thread_worker.js).
#[wasm_bindgen]
pub fn wwp_thread_main(ptr: u32) {
    let body = unsafe { Box::from_raw(ptr as *mut ThreadBody) };
    NOT_STARTED.fetch_sub(1, Ordering::AcqRel);
    // The core catches task panics; this keeps the count right if a thread
    // body itself panics.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
    LIVE.fetch_sub(1, Ordering::AcqRel);
}

/// Threads of this module alive now (spawned, closure not yet returned).
pub fn live_threads() -> usize {
    LIVE.load(Ordering::Acquire)
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

/// Why a new thread may not start now, if it may not.
fn refusal() -> Option<String> {
    let live = LIVE.load(Ordering::Acquire);
    if live >= MAX_LIVE_THREADS {
        return Some(format!(
            "the limit of {MAX_LIVE_THREADS} live Web Workers is reached (the browser crashes near 2,600)"
        ));
    }
    let stacks = (live + 1) * PER_THREAD_BYTES;
    let pending = (NOT_STARTED.load(Ordering::Acquire) + 1) * PER_THREAD_BYTES;
    if stacks + HEAP_RESERVE_BYTES > MAX_MEMORY_BYTES || memory_bytes() + pending > MAX_MEMORY_BYTES
    {
        return Some(format!(
            "shared memory ceiling: {live} live threads with {} KiB stacks would not fit in {} MiB",
            THREAD_STACK_BYTES >> 10,
            MAX_MEMORY_BYTES >> 20
        ));
    }
    None
}

/// Spawns threads as Web Workers on this module's shared memory.
#[derive(Clone, Copy, Debug, Default)]
pub struct WebSpawner;

impl Spawner for WebSpawner {
    fn spawn(&self, f: Box<dyn FnOnce() + Send + 'static>) -> Result<(), SpawnError> {
        if let Some(reason) = refusal() {
            return Err(SpawnError { reason });
        }
        let live = LIVE.fetch_add(1, Ordering::AcqRel) + 1;
        PEAK.fetch_max(live, Ordering::AcqRel);
        NOT_STARTED.fetch_add(1, Ordering::AcqRel);
        let ptr = Box::into_raw(Box::new(f)) as u32;
        let glue_url = GLUE_URL.lock().unwrap().clone();
        let result = ON_START_FAILED.with(|on_failed| {
            spawn_thread(
                &wasm_bindgen::module(),
                &wasm_bindgen::memory(),
                ptr,
                THREAD_STACK_BYTES as u32,
                glue_url,
                on_failed.as_ref().unchecked_ref(),
            )
        });
        result.map_err(|error| {
            // `new Worker` threw: nothing owns the closure but us.
            drop(unsafe { Box::from_raw(ptr as *mut ThreadBody) });
            NOT_STARTED.fetch_sub(1, Ordering::AcqRel);
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
