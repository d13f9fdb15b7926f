//! The results channel of a run: every task's result, in completion order.
//!
//! A worker that ran a batch of tasks (see `pool::batch`) sends their
//! results as one message, so a run of tiny tasks pays the channel's send
//! and receive once per batch. [`Results`] reads them one at a time, like a
//! crossbeam receiver.

use std::sync::{Arc, Mutex};

use crossbeam_channel::{unbounded, Receiver, RecvError, Sender, TryRecvError};
#[cfg(not(target_arch = "wasm32"))]
use {crossbeam_channel::RecvTimeoutError, std::time::Duration};

use crate::task::TaskResult;

/// One message of the channel.
pub(crate) enum Delivery {
    One(TaskResult),
    Batch(Vec<TaskResult>),
}

/// The sending side, held by every thread of a run; the channel disconnects
/// once every clone is dropped.
#[derive(Clone, Debug)]
pub(crate) struct ResultSender(Sender<Delivery>);

impl ResultSender {
    /// Fails only if every receiver is gone: nobody is listening.
    pub fn send(&self, result: TaskResult) -> Result<(), ()> {
        self.0.send(Delivery::One(result)).map_err(drop)
    }

    /// A batch's results, in the order its tasks ran.
    pub fn send_all(&self, results: Vec<TaskResult>) -> Result<(), ()> {
        match results.len() {
            0 => Ok(()),
            _ => self.0.send(Delivery::Batch(results)).map_err(drop),
        }
    }
}

/// A new results channel.
pub(crate) fn channel() -> (ResultSender, Results) {
    let (tx, rx) = unbounded();
    let results = Results {
        rx,
        pending: Arc::new(Mutex::new(Vec::new().into_iter())),
    };
    (ResultSender(tx), results)
}

/// Every task's result: a receiver of the run's results channel, read one
/// result at a time. A batch's results arrive together, when its last task
/// ended. Clones (each `results()` call gives one) share what was received,
/// so a result reaches exactly one of them and none is lost with a dropped
/// clone.
#[derive(Clone)]
pub struct Results {
    rx: Receiver<Delivery>,
    /// The rest of the batch last received, shared by the clones.
    pending: Arc<Mutex<std::vec::IntoIter<TaskResult>>>,
}

impl std::fmt::Debug for Results {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Results").finish_non_exhaustive()
    }
}

impl Results {
    fn pending(&self) -> std::sync::MutexGuard<'_, std::vec::IntoIter<TaskResult>> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The first result of `delivery`; the rest wait in `pending`.
    fn unpack(&self, delivery: Delivery) -> TaskResult {
        match delivery {
            Delivery::One(result) => result,
            Delivery::Batch(results) => {
                let mut results = results.into_iter();
                let first = results.next();
                let mut pending = self.pending();
                // Another clone may have buffered a batch meanwhile: keep both.
                if pending.len() > 0 {
                    let mut both: Vec<TaskResult> = pending.by_ref().collect();
                    both.extend(results);
                    *pending = both.into_iter();
                } else {
                    *pending = results;
                }
                first.expect("a batch's results are never sent empty")
            }
        }
    }

    /// The next result if one has arrived; `Disconnected` once every thread
    /// of the run has left and every result was taken.
    pub fn try_recv(&self) -> Result<TaskResult, TryRecvError> {
        if let Some(result) = self.pending().next() {
            return Ok(result);
        }
        self.rx.try_recv().map(|d| self.unpack(d))
    }

    /// Waits for the next result; `Err` once every thread of the run has
    /// left and every result was taken.
    pub fn recv(&self) -> Result<TaskResult, RecvError> {
        if let Some(result) = self.pending().next() {
            return Ok(result);
        }
        self.rx.recv().map(|d| self.unpack(d))
    }

    /// Waits up to `timeout` for the next result (natively: on wasm32 the
    /// wait would read `Instant`, which panics there).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn recv_timeout(&self, timeout: Duration) -> Result<TaskResult, RecvTimeoutError> {
        if let Some(result) = self.pending().next() {
            return Ok(result);
        }
        self.rx.recv_timeout(timeout).map(|d| self.unpack(d))
    }

    /// Every result, waiting for each, until the channel disconnects.
    pub fn iter(&self) -> impl Iterator<Item = TaskResult> + '_ {
        std::iter::from_fn(|| self.recv().ok())
    }

    /// The results that have arrived, without waiting.
    pub fn try_iter(&self) -> impl Iterator<Item = TaskResult> + '_ {
        std::iter::from_fn(|| self.try_recv().ok())
    }

    /// Hands every result that has arrived to `f`, without waiting, a batch
    /// at a time (one lock for them all: the orchestrator's tally).
    pub fn try_for_each(&self, mut f: impl FnMut(TaskResult)) {
        let mut pending = self.pending();
        pending.by_ref().for_each(&mut f);
        while let Ok(delivery) = self.rx.try_recv() {
            match delivery {
                Delivery::One(result) => f(result),
                Delivery::Batch(results) => results.into_iter().for_each(&mut f),
            }
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::task::Outcome;

    fn result(id: u64) -> TaskResult {
        TaskResult {
            task_id: id,
            worker_id: Some(0),
            enqueued_us: 0.0,
            started_us: Some(0.0),
            ended_us: 1.0,
            connection_wait: None,
            outcome: Outcome::Cancelled,
            fault: None,
        }
    }

    #[test]
    fn batches_read_one_result_at_a_time_in_order() {
        let (tx, results) = channel();
        tx.send(result(0)).unwrap();
        tx.send_all((1..4).map(result).collect()).unwrap();
        tx.send_all(Vec::new()).unwrap();
        tx.send(result(4)).unwrap();
        assert_eq!(results.try_recv().unwrap().task_id, 0);
        assert_eq!(results.recv().unwrap().task_id, 1);
        let rest: Vec<u64> = results.try_iter().map(|r| r.task_id).collect();
        assert_eq!(rest, [2, 3, 4]);
        assert_eq!(results.try_recv().unwrap_err(), TryRecvError::Empty);
        drop(tx);
        assert_eq!(results.try_recv().unwrap_err(), TryRecvError::Disconnected);
        assert!(results.iter().next().is_none());
    }

    #[test]
    fn a_batch_received_before_the_disconnect_is_still_read_whole() {
        let (tx, results) = channel();
        tx.send_all((0..3).map(result).collect()).unwrap();
        drop(tx);
        let ids: Vec<u64> = results.iter().map(|r| r.task_id).collect();
        assert_eq!(ids, [0, 1, 2]);
    }

    #[test]
    fn clones_share_a_batch_so_a_dropped_one_loses_nothing() {
        let (tx, results) = channel();
        tx.send_all((0..4).map(result).collect()).unwrap();
        tx.send(result(4)).unwrap();
        drop(tx);
        let first = results.clone();
        assert_eq!(first.recv().unwrap().task_id, 0);
        drop(first);
        let mut ids = Vec::new();
        results.try_for_each(|r| ids.push(r.task_id));
        assert_eq!(ids, [1, 2, 3, 4]);
    }
}
