use std::time::Duration;

use super::{
    lock,
    shim::{AtomicUsize, Condvar, Mutex, Ordering},
};

/// A counting semaphore for the limited resource (the tutorial's pool of 3
/// database connections shared by 10 workers).
///
/// `acquire` is interruptible: before every wait it asks the caller whether it
/// must give up (cancelled, or past its deadline) and how long it may wait.
/// Cancellation is delivered by `wake_all`, which the run calls *after* setting
/// its cancel flag: because the waiter checks the flag while holding the
/// mutex and `wake_all` notifies while holding it, the wake-up cannot be lost.
/// Deadlines use `Condvar::wait_timeout` (it does not read `Instant` on wasm);
/// the deadline itself is always judged by the run's `Clock`.
#[derive(Debug)]
pub(crate) struct Semaphore {
    capacity: usize,
    state: Mutex<State>,
    cv: Condvar,
    /// Mirrors of the state, written under the lock, read without it (stats
    /// are polled from an event loop and must not wait on this mutex).
    in_use: AtomicUsize,
    peak_in_use: AtomicUsize,
}

#[derive(Debug)]
struct State {
    available: usize,
}

impl Semaphore {
    pub(crate) fn new(permits: usize) -> Semaphore {
        Semaphore {
            capacity: permits,
            state: Mutex::new(State { available: permits }),
            cv: Condvar::new(),
            in_use: AtomicUsize::new(0),
            peak_in_use: AtomicUsize::new(0),
        }
    }

    /// Takes a permit, waiting while none is free. `check` runs under the lock
    /// before each attempt: `Err(e)` gives up with `e`; `Ok(None)` allows an
    /// unbounded wait (woken by `release` or `wake_all`), `Ok(Some(d))` a wait
    /// of at most `d` before checking again.
    pub(crate) fn acquire<E>(
        &self,
        mut check: impl FnMut() -> Result<Option<Duration>, E>,
    ) -> Result<(), E> {
        let mut state = lock(&self.state);
        loop {
            let limit = match check() {
                Ok(limit) => limit,
                Err(e) => {
                    // We may have consumed the `notify_one` of a `release`:
                    // pass it on so that a free permit never sits unclaimed
                    // while another waiter sleeps.
                    if state.available > 0 {
                        self.cv.notify_one();
                    }
                    return Err(e);
                }
            };
            if state.available > 0 {
                state.available -= 1;
                let in_use = self.capacity - state.available;
                self.in_use.store(in_use, Ordering::Release);
                if in_use > self.peak_in_use.load(Ordering::Relaxed) {
                    self.peak_in_use.store(in_use, Ordering::Release);
                }
                return Ok(());
            }
            state = match limit {
                None => match self.cv.wait(state) {
                    Ok(g) => g,
                    Err(p) => p.into_inner(),
                },
                Some(d) => match self.cv.wait_timeout(state, d) {
                    Ok((g, _)) => g,
                    Err(p) => p.into_inner().0,
                },
            };
        }
    }

    /// Returns a permit and wakes one waiter.
    pub(crate) fn release(&self) {
        let mut state = lock(&self.state);
        debug_assert!(state.available < self.capacity, "semaphore over-released");
        state.available += 1;
        self.in_use
            .store(self.capacity - state.available, Ordering::Release);
        drop(state);
        self.cv.notify_one();
    }

    /// Wakes every waiter so that it re-runs its `check` (used by cancel).
    pub(crate) fn wake_all(&self) {
        let _state = lock(&self.state);
        self.cv.notify_all();
    }

    /// Permits held now (lock-free).
    pub(crate) fn in_use(&self) -> usize {
        self.in_use.load(Ordering::Acquire)
    }

    /// Most permits held at once (lock-free).
    pub(crate) fn peak_in_use(&self) -> usize {
        self.peak_in_use.load(Ordering::Acquire)
    }
}
