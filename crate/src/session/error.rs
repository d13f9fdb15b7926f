//! The one error a JavaScript caller receives, whatever failed: its kind
//! (which lib/ maps to one error class), a message, and for a refused
//! config value the field as JavaScript spells it.

use serde::Serialize;
use ts_rs::TS;

use super::{ResizeRefused, SessionError};
use crate::config::ConfigError;

/// What failed, as the package's error classes tell it apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// A config value out of range or of the wrong type; nothing ran.
    Config,
    /// The run's threads could not be started; nothing ran.
    Start,
    /// Another run or demonstration is in progress.
    Busy,
    /// The runtime itself failed.
    Runtime,
}

/// An error on its way to JavaScript: `{ kind, message, field? }`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WireError {
    pub kind: ErrorKind,
    pub message: String,
    /// The offending field (`kind: 'config'` only), e.g. `"workers"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
}

impl WireError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> WireError {
        WireError {
            kind,
            message: message.into(),
            field: None,
        }
    }

    /// A refused config value; `message` should start with the field's name.
    pub fn config(field: impl Into<String>, message: impl Into<String>) -> WireError {
        WireError {
            field: Some(field.into()),
            ..WireError::new(ErrorKind::Config, message)
        }
    }
}

impl From<ConfigError> for WireError {
    fn from(error: ConfigError) -> WireError {
        WireError::config(error.field, error.to_string())
    }
}

impl From<ResizeRefused> for WireError {
    fn from(error: ResizeRefused) -> WireError {
        match error {
            ResizeRefused::Config(error) => error.into(),
            ResizeRefused::Spawn(why) => WireError::new(
                ErrorKind::Start,
                format!("could not start a new worker: {why}"),
            ),
            other => WireError::new(ErrorKind::Runtime, other.to_string()),
        }
    }
}

impl From<SessionError> for WireError {
    fn from(error: SessionError) -> WireError {
        match error {
            SessionError::Config(error) => error.into(),
            SessionError::Start(why) => WireError::new(ErrorKind::Start, why),
        }
    }
}
