//! Go's channel and `sync.WaitGroup`, with Go's rules, written for the
//! lessons so that the tutorial's mistakes can be made for real: a send on
//! a closed channel panics, closing twice panics, a copied wait group has a
//! counter of its own, and a counter below zero panics. (The pool never uses
//! these: its queue is a crossbeam channel whose sender is dropped once.)

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::runtime::Clock;
use crate::strategy::lock;

/// A buffered Go channel (the buffer has no limit: the lesson is about
/// closing it, not its capacity).
pub(crate) struct GoChan<T> {
    state: Mutex<(VecDeque<T>, bool)>,
    ready: Condvar,
}

impl<T> GoChan<T> {
    pub fn new() -> GoChan<T> {
        GoChan {
            state: Mutex::new((VecDeque::new(), false)),
            ready: Condvar::new(),
        }
    }

    /// `ch <- value`: panics with Go's message if the channel is closed.
    pub fn send(&self, value: T) {
        let mut state = lock(&self.state);
        if state.1 {
            drop(state);
            panic!("send on closed channel");
        }
        state.0.push_back(value);
        self.ready.notify_one();
    }

    /// `close(ch)`: panics with Go's message if it is closed already.
    pub fn close(&self) {
        let mut state = lock(&self.state);
        if state.1 {
            drop(state);
            panic!("close of closed channel");
        }
        state.1 = true;
        self.ready.notify_all();
    }

    /// `v, ok := <-ch`: waits for a value; `None` once closed and drained.
    pub fn recv(&self) -> Option<T> {
        let mut state = lock(&self.state);
        loop {
            if let Some(value) = state.0.pop_front() {
                return Some(value);
            }
            if state.1 {
                return None;
            }
            state = self.ready.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// Go's `sync.WaitGroup`. `Clone` is Go's copy of the struct: the copy
/// starts with the same count and then counts on its own.
pub(crate) struct WaitGroup {
    count: Mutex<i64>,
    zero: Condvar,
}

impl WaitGroup {
    pub fn new() -> WaitGroup {
        WaitGroup {
            count: Mutex::new(0),
            zero: Condvar::new(),
        }
    }

    /// `wg.Add(delta)`: panics like Go's below zero.
    pub fn add(&self, delta: i64) {
        let mut count = lock(&self.count);
        *count += delta;
        if *count < 0 {
            drop(count);
            panic!("sync: negative WaitGroup counter");
        }
        if *count == 0 {
            self.zero.notify_all();
        }
    }

    /// `wg.Done()`.
    pub fn done(&self) {
        self.add(-1);
    }

    /// The counter now.
    pub fn count(&self) -> i64 {
        *lock(&self.count)
    }

    /// `wg.Wait()`, giving up after `timeout_ms` (the tutorial's `select`
    /// with `time.After`): `true` if the counter reached zero. Timed by
    /// `clock` (`Instant` does not exist on the web).
    pub fn wait_timeout(&self, timeout_ms: f64, clock: &dyn Clock) -> bool {
        let deadline = clock.now_us() + timeout_ms * 1_000.0;
        let mut count = lock(&self.count);
        loop {
            if *count == 0 {
                return true;
            }
            let left_us = deadline - clock.now_us();
            if left_us.is_nan() || left_us <= 0.0 {
                return false;
            }
            let slice = Duration::from_secs_f64(left_us.min(10_000.0) / 1e6);
            count = match self.zero.wait_timeout(count, slice) {
                Ok((count, _)) => count,
                Err(p) => p.into_inner().0,
            };
        }
    }
}

impl Clone for WaitGroup {
    /// Go passes a `sync.WaitGroup` by value as a copy of its counter.
    fn clone(&self) -> WaitGroup {
        WaitGroup {
            count: Mutex::new(self.count()),
            zero: Condvar::new(),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::panic::catch_unwind;

    use super::*;
    use crate::SystemClock;

    fn panic_text(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
        let payload = catch_unwind(f).expect_err("it panics");
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    }

    #[test]
    fn a_closed_channel_drains_then_ends_and_panics_on_send_and_second_close() {
        let ch = GoChan::new();
        ch.send(1);
        ch.send(2);
        ch.close();
        assert_eq!(ch.recv(), Some(1));
        assert_eq!(ch.recv(), Some(2));
        assert_eq!(ch.recv(), None);
        assert_eq!(panic_text(|| ch.send(3)), "send on closed channel");
        assert_eq!(panic_text(|| ch.close()), "close of closed channel");
    }

    #[test]
    fn a_copied_wait_group_counts_on_its_own_and_a_negative_counter_panics() {
        let wg = WaitGroup::new();
        wg.add(2);
        let copy = wg.clone();
        copy.done();
        copy.done();
        let clock = SystemClock::new();
        assert!(copy.wait_timeout(1.0, &clock));
        assert!(!wg.wait_timeout(20.0, &clock));
        assert_eq!(wg.count(), 2);
        wg.done();
        wg.done();
        assert!(wg.wait_timeout(1.0, &clock));
        assert_eq!(panic_text(|| wg.done()), "sync: negative WaitGroup counter");
    }
}
