//! The tutorial's "common errors", reproduced on real threads: each
//! demonstration runs the mistake's setting through the Rust API and reports
//! what it observed (one file each). Like a [`super::Session`], it is
//! advanced by polling and never blocks its caller: a helper thread does
//! anything that waits.

mod queue_never_closed;
mod send_after_close;
mod unbuffered_queue;
mod waitgroup_misuse;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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

#[derive(Serialize, Debug, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommonErrorReport {
    pub error: CommonError,
    pub title: &'static str,
    pub symptom: &'static str,
    pub detected: String,
    pub prevention: &'static str,
    pub observed: Observations,
}

/// One number, text or flag behind a report's `detected` sentence.
#[derive(Serialize, Debug, Clone, PartialEq, TS)]
#[serde(untagged)]
pub enum Observed {
    Number(f64),
    Text(String),
    Flag(bool),
}

/// The values behind `detected`, by name (a plain object in JavaScript).
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

    /// Runs `body` on a helper thread; `helper.done` is set when it ends (or
    /// if it never runs).
    fn spawn_helper(
        &self,
        helper: &Arc<Helper>,
        body: impl FnOnce(&Helper) + Send + 'static,
    ) -> Result<(), String> {
        struct Done(Arc<Helper>);
        impl Drop for Done {
            fn drop(&mut self) {
                self.0.done.store(true, Ordering::Release);
            }
        }
        let done = Done(helper.clone());
        self.spawner
            .spawn(Box::new(move || {
                let done = done;
                body(&done.0);
            }))
            .map_err(|e| format!("could not start a helper thread: {e}"))
    }
}

/// Work a helper thread did for a demonstration (submitting, joining).
#[derive(Default)]
pub(crate) struct Helper {
    done: AtomicBool,
    blocked_us: AtomicU64,
    value: AtomicU64,
}

impl Helper {
    fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }
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
    /// Starts the demonstration of `error`; never waits for a thread.
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

    /// Advances without blocking; the report once the demonstration is over.
    pub fn poll(&mut self) -> Option<CommonErrorReport> {
        match &mut self.state {
            State::QueueNeverClosed(s) => queue_never_closed::step(s, &self.env),
            State::SendAfterClose(s) => send_after_close::step(s),
            State::UnbufferedQueue(s) => unbuffered_queue::step(s),
            State::WaitGroupMisuse(s) => waitgroup_misuse::step(s),
        }
    }
}
