#![doc = include_str!("README.md")]

/// A refused configuration value. `field` is the camelCase name JavaScript
/// uses; `message` says the allowed range and the bad value.
///
/// Displays as `"workers must be between 1 and 256 (got 0)"`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field} {message}")]
pub struct ConfigError {
    pub field: &'static str,
    pub message: String,
}

impl ConfigError {
    pub fn new(field: &'static str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            field,
            message: message.into(),
        }
    }
}

/// Largest number of workers / threads of any strategy.
pub const MAX_WORKERS: usize = 256;
/// Largest job-queue capacity.
pub const MAX_QUEUE_CAPACITY: usize = 1_000_000;
/// Largest per-task timeout (one hour).
pub const MAX_TIMEOUT_MS: f64 = 3_600_000.0;
/// Largest number of connections of the limited resource.
pub const MAX_CONNECTIONS: usize = 256;

/// What every strategy imposes on each of its tasks: a deadline and the
/// limited shared resource (the tutorial's database connections).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TaskLimits {
    /// Per-task deadline from the task's start: `None`, or finite, > 0 and
    /// <= 3_600_000 ms.
    pub timeout_ms: Option<f64>,
    /// Connections of the limited resource (`None`, or 1..=256).
    pub connections: Option<usize>,
}

impl TaskLimits {
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_timeout("timeoutMs", self.timeout_ms)?;
        check_opt_usize("connections", self.connections, 1, MAX_CONNECTIONS)
    }
}

/// Configuration of a [`crate::Pool`].
#[derive(Debug, Clone, PartialEq)]
pub struct PoolConfig {
    /// Worker threads, 1..=256.
    pub workers: usize,
    /// Job-queue capacity, 0..=1_000_000; 0 is a rendezvous (unbuffered) queue.
    pub queue_capacity: usize,
    pub limits: TaskLimits,
    /// A worker whose thread dies (a wasm trap) is replaced, from the
    /// caller's loop (`Strategy::advance`), instead of leaving the pool a
    /// worker short (and, if it was the last, its tasks without a worker).
    pub replace_dead_workers: bool,
}

impl Default for PoolConfig {
    fn default() -> Self {
        PoolConfig {
            workers: 4,
            queue_capacity: 100,
            limits: TaskLimits::default(),
            replace_dead_workers: false,
        }
    }
}

impl PoolConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_usize("workers", self.workers, 1, MAX_WORKERS)?;
        check_usize("queueCapacity", self.queue_capacity, 0, MAX_QUEUE_CAPACITY)?;
        self.limits.validate()
    }
}

// ---- shared checks: "<field> must be <range> (got <value>)" ----

pub(crate) fn check_usize(
    field: &'static str,
    value: usize,
    min: usize,
    max: usize,
) -> Result<(), ConfigError> {
    check_u64(field, value as u64, min as u64, max as u64)
}

pub(crate) fn check_u64(
    field: &'static str,
    value: u64,
    min: u64,
    max: u64,
) -> Result<(), ConfigError> {
    if value < min || value > max {
        return Err(ConfigError::new(
            field,
            format!("must be between {min} and {max} (got {value})"),
        ));
    }
    Ok(())
}

pub(crate) fn check_opt_usize(
    field: &'static str,
    value: Option<usize>,
    min: usize,
    max: usize,
) -> Result<(), ConfigError> {
    match value {
        None => Ok(()),
        Some(v) if v >= min && v <= max => Ok(()),
        Some(v) => Err(ConfigError::new(
            field,
            format!("must be empty or between {min} and {max} (got {v})"),
        )),
    }
}

pub(crate) fn check_rate(field: &'static str, value: f64) -> Result<(), ConfigError> {
    if !(value.is_finite() && (0.0..=1.0).contains(&value)) {
        return Err(ConfigError::new(
            field,
            format!("must be a finite number between 0 and 1 (got {value})"),
        ));
    }
    Ok(())
}

pub(crate) fn check_timeout(field: &'static str, value: Option<f64>) -> Result<(), ConfigError> {
    check_opt_positive(field, value, MAX_TIMEOUT_MS)
}

/// `None`, or finite, > 0 and <= `max`.
pub(crate) fn check_opt_positive(
    field: &'static str,
    value: Option<f64>,
    max: f64,
) -> Result<(), ConfigError> {
    match value {
        None => Ok(()),
        Some(v) if v.is_finite() && v > 0.0 && v <= max => Ok(()),
        Some(v) => Err(ConfigError::new(
            field,
            format!("must be empty or a finite number greater than 0 and at most {max} (got {v})"),
        )),
    }
}

pub(crate) fn check_f64_range(
    field: &'static str,
    (min, max): (f64, f64),
    lo: f64,
    hi: f64,
) -> Result<(), ConfigError> {
    let ok = min.is_finite() && max.is_finite() && lo <= min && min <= max && max <= hi;
    if !ok {
        return Err(ConfigError::new(
            field,
            format!("must be [min, max] with {lo} <= min <= max <= {hi} (got [{min}, {max}])"),
        ));
    }
    Ok(())
}

pub(crate) fn check_u64_range(
    field: &'static str,
    (min, max): (u64, u64),
    lo: u64,
    hi: u64,
) -> Result<(), ConfigError> {
    if !(lo <= min && min <= max && max <= hi) {
        return Err(ConfigError::new(
            field,
            format!("must be [min, max] with {lo} <= min <= max <= {hi} (got [{min}, {max}])"),
        ));
    }
    Ok(())
}

#[cfg(all(test, not(loom), not(target_arch = "wasm32")))]
mod tests;
