//! The demonstrations of the tutorial's common errors
//! ([`crate::session::lessons`]) for the orchestrator's event loop.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::clock::WebClock;
use super::thread::WebSpawner;
use crate::session::lessons::{self, CommonError};

/// One demonstration; JavaScript polls it until it yields a report.
#[wasm_bindgen]
pub struct Demonstration {
    // See web::run: a panic in an export ends the demonstration anyway.
    inner: AssertUnwindSafe<lessons::Demonstration>,
}

#[wasm_bindgen]
impl Demonstration {
    /// Start the named demonstration ('queue-never-closed', 'send-after-close',
    /// 'unbuffered-queue', 'waitgroup-misuse').
    pub fn start(name: &str) -> Result<Demonstration, JsValue> {
        let error = CommonError::parse(name).ok_or_else(|| {
            let names: Vec<&str> = CommonError::ALL.iter().map(|e| e.name()).collect();
            let error = js_sys::Error::new(&format!(
                "unknown common error '{name}': choose {}",
                names.join(", ")
            ));
            error.set_name("ConfigError");
            let _ = js_sys::Reflect::set(&error, &"field".into(), &"error".into());
            JsValue::from(error)
        })?;
        lessons::Demonstration::start(error, Arc::new(WebSpawner), Arc::new(WebClock::new()))
            .map(|inner| Demonstration {
                inner: AssertUnwindSafe(inner),
            })
            .map_err(|why| js_sys::Error::new(&why).into())
    }

    /// Advance without blocking; the report once the demonstration is over, else undefined.
    pub fn poll(&mut self) -> Result<JsValue, JsError> {
        match self.inner.poll() {
            Some(report) => report
                .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
                .map_err(|e| JsError::new(&e.to_string())),
            None => Ok(JsValue::UNDEFINED),
        }
    }
}
