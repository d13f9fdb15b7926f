//! A [`Session`] for the orchestrator's event loop: its config read from a
//! JavaScript object, its progress and summary written back as JavaScript
//! values. The orchestrator calls [`Run::start`], then [`Run::poll`] on a
//! timer until it reports `finished`; nothing here blocks.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::clock::WebClock;
use super::thread::{self, WebSpawner};
use crate::{ConfigError, RunConfig, Session, SessionError, Summary};

/// A failure to start a run, as JavaScript sees it: `{ name, field?, message }`.
fn start_error(field: Option<&str>, message: String) -> JsValue {
    let error = js_sys::Error::new(&message);
    error.set_name(if field.is_some() {
        "ConfigError"
    } else {
        "RunError"
    });
    if let Some(field) = field {
        let _ = js_sys::Reflect::set(&error, &"field".into(), &field.into());
    }
    error.into()
}

fn config_error(error: ConfigError) -> JsValue {
    start_error(Some(error.field), error.to_string())
}

fn session_error(error: SessionError) -> JsValue {
    match error {
        SessionError::Config(error) => config_error(error),
        SessionError::Start(why) => start_error(None, why),
    }
}

/// Refuse fields RunConfig does not have. serde-wasm-bindgen reads only the
/// fields it knows, so `deny_unknown_fields` never fires for JS objects; the
/// known names are those of a serialised default config.
fn check_fields(value: &JsValue) -> Result<(), JsValue> {
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(start_error(
            Some("config"),
            "config must be an object".into(),
        ));
    }
    let known = RunConfig::default()
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| start_error(None, e.to_string()))?;
    let known = js_sys::Object::keys(known.unchecked_ref::<js_sys::Object>());
    for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
        if !known.includes(&key, 0) {
            let names: Vec<String> = known.iter().filter_map(|k| k.as_string()).collect();
            let key = key.as_string().unwrap_or_default();
            return Err(start_error(
                Some("config"),
                format!("unknown field `{key}`; the fields are {}", names.join(", ")),
            ));
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
        let field = (path != ".").then_some(path.as_str());
        let message = match field {
            Some(field) => format!("{field}: {inner}"),
            None => format!("invalid config: {inner}"),
        };
        start_error(field.or(Some("config")), message)
    })
}

/// A run of one strategy; JavaScript drives it with `poll()` until finished.
#[wasm_bindgen]
pub struct Run {
    // wasm-bindgen's exports catch panics (panic=unwind); a panic there
    // aborts the run anyway, so no broken invariant can be observed.
    session: AssertUnwindSafe<Session>,
}

#[wasm_bindgen]
impl Run {
    /// Validate `config` and start the run. Rejects with `{ name:
    /// 'ConfigError', field, message }` on a bad config; nothing runs then.
    pub fn start(config: JsValue) -> Result<Run, JsValue> {
        Run::start_with(parse_config(config)?)
    }

    /// Cancel: queued and unstarted tasks end cancelled, running tasks see
    /// their context cancelled. Idempotent.
    pub fn cancel(&self) {
        self.session.cancel();
    }

    /// Advance the run without blocking and report progress:
    /// `{ elapsedMs, finished, stats, events: Float64Array }`.
    pub fn poll(&mut self) -> Result<JsValue, JsError> {
        let mut events = Vec::new();
        let finished = self.session.advance(&mut events);
        let progress = js_sys::Object::new();
        let set = |key: &str, value: &JsValue| {
            js_sys::Reflect::set(&progress, &key.into(), value)
                .map(|_| ())
                .map_err(|e| JsError::new(&thread::js_message(&e)))
        };
        let stats = serde_wasm_bindgen::to_value(&self.session.stats())
            .map_err(|e| JsError::new(&e.to_string()))?;
        set("elapsedMs", &self.session.elapsed_ms().into())?;
        set("finished", &JsValue::from_bool(finished))?;
        set("stats", &stats)?;
        set("events", &js_sys::Float64Array::from(&events[..]).into())?;
        Ok(progress.into())
    }

    /// The run's summary: final once `poll()` reported `finished`.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        self.build_summary()
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| JsError::new(&e.to_string()))
    }
}

impl Run {
    /// Start a run from an already parsed config (Rust callers and tests).
    pub fn start_with(config: RunConfig) -> Result<Run, JsValue> {
        let session = Session::start(config, Arc::new(WebSpawner), Arc::new(WebClock::new()))
            .map_err(session_error)?;
        Ok(Run {
            session: AssertUnwindSafe(session),
        })
    }

    /// Advance without blocking; `true` once the run has finished.
    pub fn advance(&mut self, events: &mut Vec<f64>) -> bool {
        self.session.advance(events)
    }

    /// The summary, with the shared memory's size now.
    pub fn build_summary(&self) -> Summary {
        Summary {
            memory_bytes: super::info::runtime_info().memory_bytes,
            ..self.session.summary()
        }
    }
}
