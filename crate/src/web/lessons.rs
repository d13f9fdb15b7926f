//! The demonstrations of the tutorial's common errors
//! ([`crate::session::lessons`]) for the orchestrator's event loop.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use wasm_bindgen::prelude::*;

use super::clock::WebClock;
use super::error;
use crate::session::lessons::{self, CommonError};
use crate::session::{ErrorKind, WireError};

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
            error::to_js(WireError::config(
                "error",
                format!("unknown common error '{name}': choose {}", names.join(", ")),
            ))
        })?;
        lessons::Demonstration::start(error, super::warm::spawner(), Arc::new(WebClock::new()))
            .map(|inner| Demonstration {
                inner: AssertUnwindSafe(inner),
            })
            .map_err(|why| error::to_js(WireError::new(ErrorKind::Start, why)))
    }

    /// Advance without blocking; the report once the demonstration is over, else undefined.
    pub fn poll(&mut self) -> Result<JsValue, JsValue> {
        match self.inner.poll() {
            Ok(Some(report)) => error::to_value(&report),
            Ok(None) => Ok(JsValue::UNDEFINED),
            Err(why) => Err(error::to_js(WireError::new(ErrorKind::Start, why))),
        }
    }
}
