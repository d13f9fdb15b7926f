//! The runtime's warm threads: one [`WarmSpawner`] over the Web Worker
//! spawner for the orchestrator's lifetime, so that every pool and rayon
//! run after the first takes parked threads instead of starting Web
//! Workers. `configureWarmThreads` sets its policy from JavaScript.

use std::sync::{Arc, OnceLock};

use wasm_bindgen::prelude::*;

use super::clock::WebClock;
use super::error;
use super::thread::{self, WebSpawner};
use crate::runtime::{WarmPolicy, WarmSpawner};
use crate::session::WireError;

static WARM: OnceLock<Arc<WarmSpawner<WebSpawner>>> = OnceLock::new();

/// The spawner every session and demonstration of this runtime uses.
pub fn spawner() -> Arc<WarmSpawner<WebSpawner>> {
    WARM.get_or_init(|| {
        Arc::new(
            WarmSpawner::new(WebSpawner, WarmPolicy::default(), Arc::new(WebClock::new()))
                .with_body_ended(thread::report_body_ended),
        )
    })
    .clone()
}

/// Longest idle timeout a timer holds (2^31 - 1 ms).
const MAX_IDLE_TIMEOUT_MS: f64 = 2_147_483_647.0;

/// `configureWarmThreads(warmThreads, idleTimeoutMs)`: keep at most
/// `warmThreads` (0..=256) threads parked between runs, each for at most
/// `idleTimeoutMs` (1..=2^31 - 1) without work. Throws a `WireError` naming
/// the field on a bad value; parked threads beyond the new policy leave.
#[wasm_bindgen(js_name = configureWarmThreads)]
pub fn configure_warm_threads(warm_threads: f64, idle_timeout_ms: f64) -> Result<(), JsValue> {
    if !(warm_threads.is_finite()
        && warm_threads.fract() == 0.0
        && (0.0..=256.0).contains(&warm_threads))
    {
        return Err(error::to_js(WireError::config(
            "warmThreads",
            format!("warmThreads must be a whole number from 0 to 256 (got {warm_threads})"),
        )));
    }
    if !(idle_timeout_ms.is_finite() && (1.0..=MAX_IDLE_TIMEOUT_MS).contains(&idle_timeout_ms)) {
        return Err(error::to_js(WireError::config(
            "idleTimeoutMs",
            format!(
                "idleTimeoutMs must be a number of ms from 1 to 2147483647 (got {idle_timeout_ms})"
            ),
        )));
    }
    spawner().set_policy(WarmPolicy {
        max_warm: warm_threads as usize,
        idle_timeout_ms,
    });
    Ok(())
}
