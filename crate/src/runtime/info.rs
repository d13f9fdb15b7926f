//! What a runtime reports about itself: its memory, its threads and, on the
//! web, what the browser offers. Filled in by the web adapter; declared here so
//! that its wire type is generated and checked natively.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeInfo {
    pub version: &'static str,
    /// `memory.buffer instanceof SharedArrayBuffer`: false means a build
    /// without shared memory, where no thread could share anything.
    pub shared_memory: bool,
    pub cross_origin_isolated: bool,
    pub hardware_concurrency: f64,
    pub memory_bytes: f64,
    pub max_memory_bytes: f64,
    pub live_threads: usize,
    pub peak_threads: usize,
    pub max_live_threads: usize,
    pub thread_stack_bytes: usize,
    /// Web Workers started from this thread and not yet closed.
    pub live_workers: u32,
    /// Threads parked between runs, waiting for the next pool or rayon run.
    pub warm_threads: usize,
    /// Threads this runtime has started, ever (warm threads are reused, not
    /// started again).
    pub threads_spawned: f64,
}
