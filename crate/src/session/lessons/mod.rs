//! The tutorial's "common errors", reproduced on real threads (one file
//! each): every demonstration runs the mistake as the tutorial writes it
//! (on Go-semantics primitives where Rust's would not let it be made),
//! then the fix through the pool, and reports for each what it observed
//! and whether the tutorial's failure happened. Like a [`super::Session`],
//! it is advanced by polling and never blocks its caller: the threads it
//! starts do anything that waits, and it reads them with atomic loads.
//!
//! Regions between `// snippet: NAME` and `// end snippet: NAME` are what
//! the playground's Lessons tab shows as the Rust that ran
//! (scripts/rust-snippets.mjs extracts them at build time).

mod crew;
mod go;
mod queue_never_closed;
mod send_after_close;
mod unbuffered_queue;
mod waitgroup_misuse;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

use crate::runtime::{Clock, Spawner};
use crate::{Pool, PoolConfig, Task};

/// One of the tutorial's common errors. JavaScript names them
/// `'queue-never-closed' | 'send-after-close' | 'unbuffered-queue' | 'waitgroup-misuse'`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, TS)]
pub enum CommonError {
    #[serde(rename = "queue-never-closed")]
    QueueNeverClosed,
    #[serde(rename = "send-after-close")]
    SendAfterClose,
    #[serde(rename = "unbuffered-queue")]
    UnbufferedQueue,
    #[serde(rename = "waitgroup-misuse")]
    WaitGroupMisuse,
}

impl CommonError {
    pub const ALL: [CommonError; 4] = [
        CommonError::QueueNeverClosed,
        CommonError::SendAfterClose,
        CommonError::UnbufferedQueue,
        CommonError::WaitGroupMisuse,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CommonError::QueueNeverClosed => "queue-never-closed",
            CommonError::SendAfterClose => "send-after-close",
            CommonError::UnbufferedQueue => "unbuffered-queue",
            CommonError::WaitGroupMisuse => "waitgroup-misuse",
        }
    }

    pub fn parse(name: &str) -> Option<CommonError> {
        CommonError::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// A demonstration's report: the mistake run as the tutorial writes it, and
/// the fix run the same way, each with what was observed.
#[derive(Serialize, Debug, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommonErrorReport {
    pub error: CommonError,
    pub title: &'static str,
    /// What goes wrong in Go.
    pub symptom: &'static str,
    /// How the Rust API prevents or reports it.
    pub prevention: &'static str,
    /// The mistake, run as the tutorial writes it.
    pub mistake: VariantReport,
    /// The fix, run the same way.
    pub fix: VariantReport,
}

/// What one variant of a demonstration (the mistake or the fix) did.
#[derive(Serialize, Debug, Clone, TS)]
pub struct VariantReport {
    /// The tutorial's failure (a leak, a panic, a deadlock, an early return or a
    /// hang) was observed in this variant.
    pub happened: bool,
    /// The sentence written from `observed`.
    pub verdict: String,
    pub observed: Observations,
}

/// One number, text or flag behind a verdict.
#[derive(Serialize, Debug, Clone, PartialEq, TS)]
#[serde(untagged)]
pub enum Observed {
    Number(f64),
    Text(String),
    Flag(bool),
}

impl From<u64> for Observed {
    fn from(n: u64) -> Observed {
        Observed::Number(n as f64)
    }
}

impl From<usize> for Observed {
    fn from(n: usize) -> Observed {
        Observed::Number(n as f64)
    }
}

impl From<f64> for Observed {
    fn from(n: f64) -> Observed {
        Observed::Number(n)
    }
}

impl From<bool> for Observed {
    fn from(flag: bool) -> Observed {
        Observed::Flag(flag)
    }
}

impl From<String> for Observed {
    fn from(text: String) -> Observed {
        Observed::Text(text)
    }
}

impl From<&str> for Observed {
    fn from(text: &str) -> Observed {
        Observed::Text(text.to_string())
    }
}

/// The values behind a verdict, by name (a plain object in JavaScript).
pub type Observations = BTreeMap<&'static str, Observed>;

fn observed<const N: usize>(pairs: [(&'static str, Observed); N]) -> Observations {
    pairs.into_iter().collect()
}

/// What a demonstration needs from its runtime.
pub(crate) struct Env {
    pub spawner: Arc<dyn Spawner>,
    pub clock: Arc<dyn Clock>,
}

impl Env {
    fn now_us(&self) -> f64 {
        self.clock.now_us()
    }

    /// A pool of `workers` with a queue of `queue_capacity`. Whoever drops
    /// its last handle, on whatever thread, does not wait for its workers.
    fn start_pool(&self, workers: usize, queue_capacity: usize) -> Result<Arc<Pool>, String> {
        let config = PoolConfig {
            workers,
            queue_capacity,
            ..PoolConfig::default()
        };
        let pool = Pool::start(config, &*self.spawner, self.clock.clone())
            .map_err(|e| format!("could not start the pool: {e}"))?;
        Ok(Arc::new(pool))
    }
}

/// A demonstration under way: its phase, and the mistake's report once the
/// mistake has run (the fix runs next).
pub(crate) struct Progress<P> {
    /// When the current phase began.
    pub(super) started_us: f64,
    pub(super) phase: P,
    pub(super) mistake: Option<VariantReport>,
}

/// A task that sleeps 2 ms.
fn quick_task(id: u64) -> Task {
    Task::new(id, |ctx| {
        ctx.sleep_ms(2.0)
            .map(|_| format!("done on worker {}", ctx.worker_id()))
            .map_err(Into::into)
    })
}

enum State {
    QueueNeverClosed(queue_never_closed::State),
    SendAfterClose(send_after_close::State),
    UnbufferedQueue(unbuffered_queue::State),
    WaitGroupMisuse(waitgroup_misuse::State),
}

/// One demonstration, advanced by [`Demonstration::poll`] until it reports.
pub struct Demonstration {
    env: Env,
    state: State,
}

impl Demonstration {
    /// Starts the demonstration of `error` (its mistake first); never waits
    /// for a thread.
    pub fn start(
        error: CommonError,
        spawner: Arc<dyn Spawner>,
        clock: Arc<dyn Clock>,
    ) -> Result<Demonstration, String> {
        let env = Env { spawner, clock };
        let state = match error {
            CommonError::QueueNeverClosed => {
                State::QueueNeverClosed(queue_never_closed::start(&env)?)
            }
            CommonError::SendAfterClose => State::SendAfterClose(send_after_close::start(&env)?),
            CommonError::UnbufferedQueue => State::UnbufferedQueue(unbuffered_queue::start(&env)?),
            CommonError::WaitGroupMisuse => State::WaitGroupMisuse(waitgroup_misuse::start(&env)?),
        };
        Ok(Demonstration { env, state })
    }

    /// Advances without blocking: the report once both variants ran, or
    /// why the fix could not start (then the demonstration is over).
    pub fn poll(&mut self) -> Result<Option<CommonErrorReport>, String> {
        match &mut self.state {
            State::QueueNeverClosed(s) => queue_never_closed::step(s, &self.env),
            State::SendAfterClose(s) => send_after_close::step(s, &self.env),
            State::UnbufferedQueue(s) => unbuffered_queue::step(s, &self.env),
            State::WaitGroupMisuse(s) => waitgroup_misuse::step(s, &self.env),
        }
    }
}
