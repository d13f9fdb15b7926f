//! Why a strategy could not start.

use crate::config::ConfigError;
use crate::runtime::SpawnError;

/// Why a pool, one thread per task or a rayon run could not start;
/// nothing runs then.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StartError {
    #[error("invalid configuration: {0}")]
    Config(#[from] ConfigError),
    #[error("could not start the workers: {0}")]
    Spawn(#[from] SpawnError),
}
