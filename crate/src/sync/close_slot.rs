use super::{lock, shim::Mutex};

/// Holds a value (a channel sender) until it is closed: `get` hands out clones
/// while open, `close` takes the value out and drops it, exactly once.
///
/// The pool keeps its job-queue `Sender` here. A submitter clones it (a cheap
/// reference count) and sends *outside* the lock, so a submitter blocked on a
/// full queue never blocks `close`. The queue disconnects (and the workers,
/// after draining it, exit) when the slot's sender and every submitter's clone
/// are gone: a task is therefore either refused (`None` from `get`) or fully
/// queued before the workers can see the end of the queue.
#[derive(Debug)]
pub(crate) struct CloseSlot<T> {
    slot: Mutex<Option<T>>,
}

impl<T> CloseSlot<T> {
    pub(crate) fn new(value: T) -> CloseSlot<T> {
        CloseSlot {
            slot: Mutex::new(Some(value)),
        }
    }

    /// A clone of the value, or `None` once closed.
    pub(crate) fn get(&self) -> Option<T>
    where
        T: Clone,
    {
        lock(&self.slot).clone()
    }

    /// Closes the slot; `true` for the single caller that closed it. The value
    /// is dropped after the lock is released.
    pub(crate) fn close(&self) -> bool {
        let taken = lock(&self.slot).take();
        let first = taken.is_some();
        drop(taken);
        first
    }

    pub(crate) fn is_closed(&self) -> bool {
        lock(&self.slot).is_none()
    }
}
