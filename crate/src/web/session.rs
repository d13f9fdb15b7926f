//! A [`Session`] for the orchestrator's event loop: its config read from a
//! JavaScript object, its progress and summary written back as JavaScript
//! values. The orchestrator calls [`WebSession::start`] (`Session.start` in
//! JavaScript), then [`WebSession::poll`] on a
//! timer until it reports `finished`; nothing here blocks.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::clock::WebClock;
use super::error;
use crate::session::WireError;
use crate::{RunConfig, RunSummary, Session};

/// Refuse fields RunConfig does not have. serde-wasm-bindgen reads only the
/// fields it knows, so `deny_unknown_fields` never fires for JS objects; the
/// known names are those of a serialised default config.
fn check_fields(value: &JsValue) -> Result<(), JsValue> {
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(error::to_js(WireError::config(
            "config",
            "config must be an object",
        )));
    }
    let known = error::to_value(&RunConfig::default())?;
    let known = js_sys::Object::keys(known.unchecked_ref::<js_sys::Object>());
    for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
        if !known.includes(&key, 0) {
            let names: Vec<String> = known.iter().filter_map(|k| k.as_string()).collect();
            let key = key.as_string().unwrap_or_default();
            return Err(error::to_js(WireError::config(
                "config",
                format!("unknown field `{key}`; the fields are {}", names.join(", ")),
            )));
        }
    }
    Ok(())
}

/// Parse a config from JavaScript, naming the field on a type error.
fn parse_config(value: JsValue) -> Result<RunConfig, JsValue> {
    check_fields(&value)?;
    let deserializer = serde_wasm_bindgen::Deserializer::from(value);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        // serde-wasm-bindgen's errors are JS errors: drop their "Error: " prefix.
        let inner = error.inner().to_string();
        let inner = inner.strip_prefix("Error: ").unwrap_or(&inner);
        error::to_js(if path == "." {
            WireError::config("config", format!("invalid config: {inner}"))
        } else {
            WireError::config(path.as_str(), format!("{path}: {inner}"))
        })
    })
}

/// A session for JavaScript, which drives it with `poll()` until finished.
#[wasm_bindgen(js_name = Session)]
pub struct WebSession {
    // wasm-bindgen's exports catch panics (panic=unwind); a panic there
    // aborts the run anyway, so no broken invariant can be observed.
    session: AssertUnwindSafe<Session>,
    /// Timeline events taken by `drain` since the last `poll`, for the next.
    events: Vec<f64>,
}

#[wasm_bindgen(js_class = Session)]
impl WebSession {
    /// Validate `config` and start the run; with `timeline` false, `poll`
    /// sends no events (nobody shows them). Throws a [`WireError`] (`kind:
    /// 'config'` naming the field, or `'start'`); nothing runs then.
    pub fn start(config: JsValue, timeline: bool) -> Result<WebSession, JsValue> {
        let mut run = WebSession::start_with(parse_config(config)?)?;
        if !timeline {
            run.session.keep_no_timeline();
        }
        Ok(run)
    }

    /// Cancel: queued and unstarted tasks end cancelled, running tasks see
    /// their context cancelled. Idempotent.
    pub fn cancel(&self) {
        self.session.cancel();
    }

    /// Advance the run without blocking and report progress:
    /// `{ elapsedMs, finished, stats, events: Float64Array }`.
    pub fn poll(&mut self) -> Result<JsValue, JsValue> {
        let finished = self.session.advance(&mut self.events);
        let events = std::mem::take(&mut self.events);
        let progress = js_sys::Object::new();
        let set = |key: &str, value: &JsValue| {
            js_sys::Reflect::set(&progress, &key.into(), value).map(|_| ())
        };
        let stats = error::to_value(&self.session.stats())?;
        set("elapsedMs", &self.session.elapsed_ms().into())?;
        set("finished", &JsValue::from_bool(finished))?;
        set("stats", &stats)?;
        set("events", &js_sys::Float64Array::from(&events[..]).into())?;
        Ok(progress.into())
    }

    /// Advance the run like `poll()`, without a progress report (for a run
    /// nobody listens to; its timeline events are dropped): `true` once the
    /// run has finished.
    pub fn advance(&mut self) -> bool {
        let finished = self.session.advance(&mut self.events);
        self.events.clear();
        finished
    }

    /// Take the results that arrived and count them, and nothing else (the
    /// next `poll()` reports them); returns how many it took. Called between
    /// polls, so that counting keeps pace with the workers instead of facing
    /// a run's worth of results at its end.
    pub fn drain(&mut self) -> u32 {
        let taken = self.session.drain(&mut self.events);
        u32::try_from(taken).unwrap_or(u32::MAX)
    }

    /// Change the pool's worker count while it runs, without blocking;
    /// `workersInEffect()` tells when it took hold. Throws a [`WireError`]:
    /// `kind: 'config'` (field `workers`) for a count that is not a whole
    /// number from 1 to 256, `'runtime'` when the run is not a pool run or
    /// has ended, `'start'` when a new worker could not be spawned.
    pub fn resize(&self, workers: f64) -> Result<(), JsValue> {
        if !(workers.is_finite() && workers.fract() == 0.0 && workers >= 0.0) {
            return Err(error::to_js(WireError::config(
                "workers",
                format!("workers must be a whole number from 1 to 256 (got {workers})"),
            )));
        }
        self.session.resize(workers as usize).map_err(error::to_js)
    }

    /// Every thread of the run has left and every result is in (cheap: a few
    /// atomic loads); the next `poll()` then reports `finished`.
    #[wasm_bindgen(js_name = isOver)]
    pub fn is_over(&self) -> bool {
        self.session.is_over()
    }

    /// The pool runs with the count it was last resized to (or the run is over).
    #[wasm_bindgen(js_name = workersInEffect)]
    pub fn workers_in_effect(&self) -> bool {
        self.session.workers_in_effect()
    }

    /// The run's summary: final once `poll()` reported `finished`.
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        error::to_value(&self.build_summary())
    }
}

impl WebSession {
    /// Start a run from an already parsed config (Rust callers and tests).
    pub fn start_with(config: RunConfig) -> Result<WebSession, JsValue> {
        let session = Session::start(config, super::warm::spawner(), Arc::new(WebClock::new()))
            .map_err(error::to_js)?;
        Ok(WebSession {
            session: AssertUnwindSafe(session),
            events: Vec::new(),
        })
    }

    /// The summary, with the shared memory's size now.
    pub fn build_summary(&self) -> RunSummary {
        RunSummary {
            memory_bytes: super::info::runtime_info().memory_bytes,
            ..self.session.summary()
        }
    }
}
