use super::{
    lock,
    shim::{AtomicUsize, Condvar, Mutex, Ordering},
};

/// A count-down latch: the join side of Go's `sync.WaitGroup`, but owned by
/// the pool, with its count set at construction and raised only while it is
/// not done (`try_add`: a worker joins a pool still running), so `Add` after
/// the end, a forgotten `Done` or a copied group cannot be expressed.
///
/// `is_done` is a single atomic load (event-loop callers poll it); `wait`
/// blocks on a condvar. `count_down` notifies under the mutex, so a waiter
/// that saw a non-zero count while holding the lock is already parked (and
/// gets the notification) by the time the last `count_down` can take the lock.
#[derive(Debug)]
pub(crate) struct Latch {
    remaining: AtomicUsize,
    lock: Mutex<()>,
    cv: Condvar,
}

impl Latch {
    pub(crate) fn new(count: usize) -> Latch {
        Latch {
            remaining: AtomicUsize::new(count),
            lock: Mutex::new(()),
            cv: Condvar::new(),
        }
    }

    /// Counts down by one; the last call wakes every waiter.
    pub(crate) fn count_down(&self) {
        let before = self.remaining.fetch_sub(1, Ordering::AcqRel);
        debug_assert!(before > 0, "latch counted down below zero");
        if before == 1 {
            let _guard = lock(&self.lock);
            self.cv.notify_all();
        }
    }

    /// Counts up by one, unless the latch is already done (then `false`:
    /// whoever waits has been released, nothing may join any more).
    pub(crate) fn try_add(&self) -> bool {
        self.remaining
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n > 0).then_some(n + 1)
            })
            .is_ok()
    }

    pub(crate) fn remaining(&self) -> usize {
        self.remaining.load(Ordering::Acquire)
    }

    pub(crate) fn is_done(&self) -> bool {
        self.remaining() == 0
    }

    /// Blocks until the count reaches zero.
    pub(crate) fn wait(&self) {
        let mut guard = lock(&self.lock);
        while !self.is_done() {
            guard = match self.cv.wait(guard) {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
        }
    }
}
