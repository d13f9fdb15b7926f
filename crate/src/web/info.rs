//! What the browser offers this module: shared memory, isolation, threads.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::thread;
use crate::runtime::RuntimeInfo;

fn global_property(name: &str) -> JsValue {
    js_sys::Reflect::get(&js_sys::global(), &name.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn runtime_info() -> RuntimeInfo {
    let buffer = wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer();
    let navigator = global_property("navigator");
    let cores = js_sys::Reflect::get(&navigator, &"hardwareConcurrency".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(1.0);
    RuntimeInfo {
        version: env!("CARGO_PKG_VERSION"),
        shared_memory: buffer.is_instance_of::<js_sys::SharedArrayBuffer>(),
        cross_origin_isolated: global_property("crossOriginIsolated")
            .as_bool()
            .unwrap_or(false),
        hardware_concurrency: cores,
        memory_bytes: thread::memory_bytes() as f64,
        max_memory_bytes: thread::MAX_MEMORY_BYTES as f64,
        live_threads: thread::live_threads(),
        peak_threads: thread::peak_threads(),
        max_live_threads: thread::max_live_threads(),
        thread_stack_bytes: thread::THREAD_STACK_BYTES,
        live_workers: thread::live_worker_count(),
        warm_threads: super::warm::spawner().warm_threads(),
        threads_spawned: thread::threads_spawned() as f64,
    }
}

/// `runtimeInfo()` for JavaScript.
#[wasm_bindgen(js_name = runtimeInfo)]
pub fn runtime_info_js() -> Result<JsValue, JsValue> {
    super::error::to_value(&runtime_info())
}

/// `compiledModule()` for JavaScript: the module this instance runs. The
/// package keeps it on the page and starts its next runtime from it, so a
/// second playground neither fetches nor compiles the binary again.
#[wasm_bindgen(js_name = compiledModule)]
pub fn compiled_module() -> JsValue {
    wasm_bindgen::module()
}
