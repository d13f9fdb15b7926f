//! The pool strategy's feeder: a thread of its own submits the workload,
//! because submitting blocks on a full (or rendezvous) queue and the caller's
//! thread must not.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::runtime::fault;
use crate::runtime::{SpawnError, Spawner};
use crate::task::{Task, TaskSpec};
use crate::{Pool, SubmitError};

/// How far the feeder got.
#[derive(Default)]
pub(crate) struct Feeder {
    submitted: AtomicU64,
    done: AtomicBool,
    /// Why the feeder stopped before submitting every task, unless cancelled:
    /// its thread never started, or the pool refused a task.
    stopped: Mutex<Option<String>>,
}

impl Feeder {
    /// Tasks handed to the pool (ids `0..submitted`, in order).
    pub fn submitted(&self) -> u64 {
        self.submitted.load(Ordering::Acquire)
    }

    /// The feeder is done: every task submitted, or it stopped.
    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Why the rest was never submitted, if not because of a cancel.
    pub fn stopped(&self) -> Option<String> {
        self.stopped
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn stop(&self, why: String) {
        *self.stopped.lock().unwrap_or_else(|p| p.into_inner()) = Some(why);
    }
}

/// Ends the feeder's part even if its thread never runs (a failed start
/// drops the closure): close the pool so its workers drain and exit.
struct FeederGuard {
    feeder: Arc<Feeder>,
    pool: Arc<Pool>,
    ran: bool,
}

impl Drop for FeederGuard {
    fn drop(&mut self) {
        if !self.ran {
            self.feeder.stop(format!(
                "{} (the feeder thread)",
                fault::failed_to_start_message()
            ));
        }
        self.pool.close();
        self.feeder.done.store(true, Ordering::Release);
    }
}

/// Starts a thread that submits `specs` to `pool` in order, then closes it.
pub(crate) fn start(
    pool: Arc<Pool>,
    specs: impl Iterator<Item = TaskSpec> + Send + 'static,
    spawner: &dyn Spawner,
) -> Result<Arc<Feeder>, SpawnError> {
    let feeder = Arc::new(Feeder::default());
    let mut guard = FeederGuard {
        feeder: feeder.clone(),
        pool,
        ran: false,
    };
    spawner.spawn(Box::new(move || {
        guard.ran = true;
        let mut submitter = guard.pool.submitter();
        for spec in specs {
            match submitter.submit(Task::from_spec(spec)) {
                Ok(()) => {}
                // Cancelled: the rest is counted as never submitted.
                Err(SubmitError::Cancelled(_)) => break,
                Err(refused) => {
                    guard
                        .feeder
                        .stop(format!("the pool refused the task: {refused}"));
                    break;
                }
            }
            guard.feeder.submitted.fetch_add(1, Ordering::Release);
        }
        // Before the guard closes the pool: the queue ends once it is gone.
        drop(submitter);
    }))?;
    Ok(feeder)
}
