//! Every error this module throws to JavaScript, built here and only here: a
//! plain `{ kind, message, field? }` object ([`WireError`]) that lib/ turns
//! into one of its error classes.

use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::session::{ErrorKind, WireError};

/// The JavaScript value to throw for `error`.
pub fn to_js(error: impl Into<WireError>) -> JsValue {
    let error = error.into();
    error
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        // Serialising two strings cannot fail; should it, the message survives.
        .unwrap_or_else(|_| js_sys::Error::new(&error.message).into())
}

/// A failure of the runtime itself (a value that could not be converted).
pub fn runtime(why: impl std::fmt::Display) -> JsValue {
    to_js(WireError::new(ErrorKind::Runtime, why.to_string()))
}

/// A value serialised for JavaScript the way every wire type is (maps as
/// plain objects, u64 as numbers).
pub fn to_value(value: &impl Serialize) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(runtime)
}
