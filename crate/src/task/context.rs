use std::cell::Cell;
use std::sync::Mutex;
use std::time::Duration;

use super::Interrupt;
use crate::runtime::Clock;
use crate::sync::{Flag, Semaphore};

thread_local! {
    /// Connections held by the task running on this thread: a thread that
    /// dies holding one never drops its permit (see `exec::end_dead_task`).
    static CONNECTIONS_HELD: Cell<usize> = const { Cell::new(0) };
}

/// Takes this thread's count of held connections (its death hook gives them back).
pub(crate) fn take_connections_held() -> usize {
    CONNECTIONS_HELD.with(|held| held.replace(0))
}

/// Told when the running task starts and ends a wait for a connection, so
/// that its worker's live state shows it (the stats' worker slot).
pub(crate) trait ConnectionWaits: Sync {
    fn waiting(&self, task_id: u64);
    fn waited(&self, task_id: u64, wait_us: f64);
}

/// Longest single sleep or wait between two checks of cancel and deadline.
pub(crate) const SLICE_US: f64 = 5_000.0;

/// What a running task sees: who and when it is, whether it must stop, and the
/// limited resource. Cancellation is cooperative, like Go's `ctx.Done()`: a
/// task that never checks runs to its end (its late result is then discarded
/// as timed out, or kept if it was only cancelled).
pub struct TaskContext<'a> {
    task_id: u64,
    worker_id: usize,
    deadline_us: Option<f64>,
    clock: &'a dyn Clock,
    cancelled: Option<&'a Flag>,
    connections: Option<&'a Semaphore>,
    slot: Option<&'a dyn ConnectionWaits>,
    connection_wait: Mutex<Option<(f64, f64)>>,
}

impl<'a> TaskContext<'a> {
    pub(crate) fn new(
        task_id: u64,
        worker_id: usize,
        deadline_us: Option<f64>,
        clock: &'a dyn Clock,
        cancelled: Option<&'a Flag>,
        connections: Option<&'a Semaphore>,
        slot: Option<&'a dyn ConnectionWaits>,
    ) -> TaskContext<'a> {
        TaskContext {
            task_id,
            worker_id,
            deadline_us,
            clock,
            cancelled,
            connections,
            slot,
            connection_wait: Mutex::new(None),
        }
    }

    /// A context outside any run: never cancelled, no deadline, no limited
    /// resource (for serial baselines, benchmarks and tests).
    pub fn detached(task_id: u64, clock: &'a dyn Clock) -> TaskContext<'a> {
        TaskContext::new(task_id, 0, None, clock, None, None, None)
    }

    pub fn task_id(&self) -> u64 {
        self.task_id
    }

    pub fn worker_id(&self) -> usize {
        self.worker_id
    }

    pub fn now_us(&self) -> f64 {
        self.clock.now_us()
    }

    /// The task's deadline (µs on the run's clock), if it has a timeout.
    pub fn deadline_us(&self) -> Option<f64> {
        self.deadline_us
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.is_some_and(Flag::is_set)
    }

    /// `Err` if the run was cancelled or this task is past its deadline.
    pub fn checkpoint(&self) -> Result<(), Interrupt> {
        if self.is_cancelled() {
            return Err(Interrupt::Cancelled);
        }
        if let Some(deadline) = self.deadline_us {
            if self.clock.now_us() >= deadline {
                return Err(Interrupt::TimedOut);
            }
        }
        Ok(())
    }

    /// Sleeps `ms` milliseconds in slices of at most 5 ms, checking cancel and
    /// deadline before each slice.
    pub fn sleep_ms(&self, ms: f64) -> Result<(), Interrupt> {
        let ms = if ms.is_finite() { ms.max(0.0) } else { 0.0 };
        let end = self.clock.now_us() + ms * 1_000.0;
        loop {
            self.checkpoint()?;
            let now = self.clock.now_us();
            let mut left = end - now;
            // (`!(x > 0)` rather than `x <= 0`: a NaN from a broken clock
            // ends the sleep instead of spinning.)
            if left.is_nan() || left <= 0.0 {
                return Ok(());
            }
            if let Some(deadline) = self.deadline_us {
                left = left.min(deadline - now);
            }
            if left > 0.0 {
                std::thread::sleep(Duration::from_secs_f64(left.min(SLICE_US) / 1e6));
            }
        }
    }

    /// Waits for one of the run's connections (the limited resource), giving
    /// up when the run is cancelled or the task passes its deadline. The wait
    /// is recorded (start, end) in the task's result and the worker's stats.
    /// Without configured connections it returns a no-op permit at once.
    /// The permit is released when dropped.
    pub fn acquire_connection(&self) -> Result<ConnectionPermit<'_>, Interrupt> {
        let Some(sem) = self.connections else {
            return Ok(ConnectionPermit { sem: None });
        };
        let start = self.clock.now_us();
        if let Some(slot) = self.slot {
            slot.waiting(self.task_id);
        }
        let acquired = sem.acquire(|| {
            if self.is_cancelled() {
                return Err(Interrupt::Cancelled);
            }
            match self.deadline_us {
                None => Ok(None),
                Some(deadline) => {
                    let left = deadline - self.clock.now_us();
                    if left <= 0.0 {
                        Err(Interrupt::TimedOut)
                    } else {
                        Ok(Some(Duration::from_secs_f64(left.min(SLICE_US) / 1e6)))
                    }
                }
            }
        });
        let end = self.clock.now_us();
        if let Some(slot) = self.slot {
            slot.waited(self.task_id, end - start);
        }
        {
            let mut wait = self
                .connection_wait
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            *wait = Some(match *wait {
                None => (start, end),
                Some((first, _)) => (first, end),
            });
        }
        acquired.map(|()| {
            CONNECTIONS_HELD.with(|held| held.set(held.get() + 1));
            ConnectionPermit { sem: Some(sem) }
        })
    }

    /// (start of the first wait, end of the last wait) for a connection.
    pub fn connection_wait(&self) -> Option<(f64, f64)> {
        self.connections?;
        *self
            .connection_wait
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }
}

/// A held connection; released on drop.
#[must_use = "the connection is released as soon as the permit is dropped"]
#[derive(Debug)]
pub struct ConnectionPermit<'a> {
    sem: Option<&'a Semaphore>,
}

impl ConnectionPermit<'_> {
    /// `false` for the no-op permit of a run without connections.
    pub fn is_limited(&self) -> bool {
        self.sem.is_some()
    }
}

impl Drop for ConnectionPermit<'_> {
    fn drop(&mut self) {
        if let Some(sem) = self.sem {
            CONNECTIONS_HELD.with(|held| held.set(held.get().saturating_sub(1)));
            sem.release();
        }
    }
}
