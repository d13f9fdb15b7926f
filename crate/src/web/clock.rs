//! Time on the web: `performance.timeOrigin + performance.now()`.
//!
//! Each worker has its own `timeOrigin`, so `now()` alone is not comparable
//! across threads; the sum is (to the timer's resolution). `Instant::now()`
//! panics on wasm32-unknown-unknown, so the core reads time only through
//! [`Clock`].

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use wasm_bindgen::JsCast;

use crate::Clock;

/// Epoch shared by every thread of the module (ms since 1970, as f64 bits),
/// so that `now_us` stays small enough for exact f64 microseconds.
static EPOCH_MS_BITS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// This thread's `performance` and its `timeOrigin` (constant per
    /// worker): one JS call per reading instead of two, on the per-task path.
    static PERFORMANCE: RefCell<Option<(web_sys::Performance, f64)>> = const { RefCell::new(None) };
}

fn absolute_ms() -> f64 {
    PERFORMANCE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let (performance, origin) = cell.get_or_insert_with(|| {
            // `performance` exists on both Window and WorkerGlobalScope.
            let performance: web_sys::Performance =
                js_sys::Reflect::get(&js_sys::global(), &"performance".into())
                    .expect("performance is available")
                    .unchecked_into();
            let origin = performance.time_origin();
            (performance, origin)
        });
        *origin + performance.now()
    })
}

/// A [`Clock`] readable from any thread of the module.
#[derive(Clone, Copy, Debug, Default)]
pub struct WebClock;

impl WebClock {
    pub fn new() -> WebClock {
        let now = absolute_ms();
        let _ =
            EPOCH_MS_BITS.compare_exchange(0, now.to_bits(), Ordering::AcqRel, Ordering::Acquire);
        WebClock
    }
}

impl Clock for WebClock {
    fn now_us(&self) -> f64 {
        let epoch = f64::from_bits(EPOCH_MS_BITS.load(Ordering::Acquire));
        (absolute_ms() - epoch) * 1000.0
    }
}
