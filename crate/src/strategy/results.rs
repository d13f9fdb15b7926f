//! The results channel of a run: every task's result, in completion order.
//!
//! A worker that ran a batch of tasks (see `pool::batch`) sends their
//! results as one message, so a run of tiny tasks pays the channel's send
//! and receive once per batch. [`Results`] reads them one at a time, like a
//! crossbeam receiver.

use std::cell::RefCell;

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
pub(crate) fn channel() -> (ResultSender, Receiver<Delivery>) {
    let (tx, rx) = unbounded();
    (ResultSender(tx), rx)
}

/// Every task's result, in completion order: a receiver of the run's
/// results channel, read one result at a time. Each `results()` call gives a
/// new one; like crossbeam's receivers, each result reaches one of them.
pub struct Results {
    rx: Receiver<Delivery>,
    /// The rest of the batch last received.
    pending: RefCell<std::vec::IntoIter<TaskResult>>,
}

impl std::fmt::Debug for Results {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Results")
            .field("pending", &self.pending.borrow().len())
            .finish_non_exhaustive()
    }
}

impl Results {
    pub(crate) fn new(rx: Receiver<Delivery>) -> Results {
        Results {
            rx,
            pending: RefCell::new(Vec::new().into_iter()),
        }
    }

    fn unpack(&self, delivery: Delivery) -> TaskResult {
        match delivery {
            Delivery::One(result) => result,
            Delivery::Batch(results) => {
                let mut results = results.into_iter();
                let first = results.next();
                *self.pending.borrow_mut() = results;
                first.expect("a batch's results are never sent empty")
            }
        }
    }

    /// The next result if one has arrived; `Disconnected` once every thread
    /// of the run has left and every result was taken.
    pub fn try_recv(&self) -> Result<TaskResult, TryRecvError> {
        if let Some(result) = self.pending.borrow_mut().next() {
            return Ok(result);
        }
        self.rx.try_recv().map(|d| self.unpack(d))
    }

    /// Waits for the next result; `Err` once every thread of the run has
    /// left and every result was taken.
    pub fn recv(&self) -> Result<TaskResult, RecvError> {
        if let Some(result) = self.pending.borrow_mut().next() {
            return Ok(result);
        }
        self.rx.recv().map(|d| self.unpack(d))
    }

    /// Waits up to `timeout` for the next result (natively: on wasm32 the
    /// wait would read `Instant`, which panics there).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn recv_timeout(&self, timeout: Duration) -> Result<TaskResult, RecvTimeoutError> {
        if let Some(result) = self.pending.borrow_mut().next() {
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
        let (tx, rx) = channel();
        let results = Results::new(rx);
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
        let (tx, rx) = channel();
        tx.send_all((0..3).map(result).collect()).unwrap();
        drop(tx);
        let ids: Vec<u64> = Results::new(rx).iter().map(|r| r.task_id).collect();
        assert_eq!(ids, [0, 1, 2]);
    }
}
