//! Warm threads: a spawner that keeps the threads it started parked after
//! their body returns, and hands them the next bodies it is asked to run, so
//! that a second run starts no thread at all (on the web a new thread is a
//! new Web Worker that loads and instantiates the module: tens of ms).
//!
//! A parked thread waits on a condvar with a timeout (no `Instant`: the
//! wait's clock is the OS's or `Atomics.wait`'s) and leaves once nobody used
//! it for the idle timeout, or at once when more than `max_warm` are parked;
//! its stack is then freed as for any thread that returns.
//!
//! What a body sees does not change: it runs on a thread of its own, its
//! death hooks and drop guards work as before (a body that dies takes its
//! thread with it; one dropped unrun because its thread never started is
//! dropped by the inner spawner as before).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::{Clock, SpawnError, Spawner};

/// Locks, ignoring poisoning: nothing here runs user code under the lock.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

type Body = Box<dyn FnOnce() + Send + 'static>;

/// How many parked threads to keep, and for how long.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WarmPolicy {
    /// Most threads kept parked (0: none, every thread leaves after its body).
    pub max_warm: usize,
    /// A parked thread nobody used for this long leaves.
    pub idle_timeout_ms: f64,
}

impl Default for WarmPolicy {
    /// Keep what the last runs used (up to 256 threads), for 30 s.
    fn default() -> WarmPolicy {
        WarmPolicy {
            max_warm: 256,
            idle_timeout_ms: 30_000.0,
        }
    }
}

/// A [`Spawner`] that reuses the threads of `inner` (see the module docs).
pub struct WarmSpawner<S: Spawner> {
    inner: S,
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<Parking>,
    wake: Condvar,
    /// Times a parked thread's idleness (`Instant` panics on wasm).
    clock: Arc<dyn Clock>,
    /// Threads started through the inner spawner, ever.
    spawned: AtomicU64,
    /// Threads that stopped parking and are on their way out (no body
    /// runs on them any more, so none can die and leave this count wrong).
    leaving: AtomicUsize,
    /// Run on a thread each time a body returned, before it parks.
    body_ended: Option<fn()>,
}

struct Parking {
    policy: WarmPolicy,
    /// Threads waiting for a body.
    parked: usize,
    /// Bodies handed over, each taken by one parked thread.
    handed: VecDeque<Body>,
    /// Bumped by `release_warm`: the threads parked before it leave.
    released: u64,
}

impl<S: Spawner> WarmSpawner<S> {
    pub fn new(inner: S, policy: WarmPolicy, clock: Arc<dyn Clock>) -> WarmSpawner<S> {
        WarmSpawner {
            inner,
            shared: Arc::new(Shared {
                state: Mutex::new(Parking {
                    policy,
                    parked: 0,
                    handed: VecDeque::new(),
                    released: 0,
                }),
                wake: Condvar::new(),
                clock,
                spawned: AtomicU64::new(0),
                leaving: AtomicUsize::new(0),
                body_ended: None,
            }),
        }
    }

    /// Runs `hook` on a thread each time a body it ran returned, before the
    /// thread parks: a parked thread does not exit, so whoever learns that
    /// work ended from thread exits (the web orchestrator) hears it here.
    pub fn with_body_ended(mut self, hook: fn()) -> WarmSpawner<S> {
        match Arc::get_mut(&mut self.shared) {
            Some(shared) => shared.body_ended = Some(hook),
            None => unreachable!("no thread shares the spawner before it is built"),
        }
        self
    }

    /// The spawner underneath, for threads that must be new (one thread
    /// per task shows what a fresh thread costs).
    pub fn cold(&self) -> &S {
        &self.inner
    }

    /// Changes the policy; parked threads beyond it (or idle for longer
    /// than its timeout) leave now. `max_warm: 0` releases every one.
    pub fn set_policy(&self, policy: WarmPolicy) {
        lock(&self.shared.state).policy = policy;
        self.shared.wake.notify_all();
    }

    pub fn policy(&self) -> WarmPolicy {
        lock(&self.shared.state).policy
    }

    /// Threads parked now, waiting for a body.
    pub fn warm_threads(&self) -> usize {
        let state = lock(&self.shared.state);
        state.parked - state.handed.len()
    }

    /// Threads started through the inner spawner since this one was made.
    pub fn threads_spawned(&self) -> u64 {
        self.shared.spawned.load(Ordering::Acquire)
    }
}

impl<S: Spawner> Spawner for WarmSpawner<S> {
    fn spawn(&self, f: Body) -> Result<(), SpawnError> {
        {
            let mut state = lock(&self.shared.state);
            if state.parked > state.handed.len() {
                state.handed.push_back(f);
                drop(state);
                self.shared.wake.notify_one();
                return Ok(());
            }
        }
        let shared = self.shared.clone();
        self.inner.spawn(Box::new(move || {
            f();
            shared.body_ended();
            shared.park_and_serve();
            // Last: the thread returns right after (and its stack is freed).
            shared.leaving.fetch_sub(1, Ordering::AcqRel);
        }))?;
        self.shared.spawned.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    fn max_live_threads(&self) -> Option<usize> {
        self.inner.max_live_threads()
    }

    fn live_threads(&self) -> Option<usize> {
        self.inner.live_threads()
    }

    fn cold(&self) -> Option<&dyn Spawner> {
        Some(&self.inner)
    }

    fn release_warm(&self) -> bool {
        let parked = {
            let mut state = lock(&self.shared.state);
            state.released += 1;
            state.parked
        };
        self.shared.wake.notify_all();
        parked > 0 || self.shared.leaving.load(Ordering::Acquire) > 0
    }
}

impl Shared {
    /// On a thread whose body returned: park, run what is handed over,
    /// park again, until idle for too long, over the policy's count, or
    /// released.
    fn park_and_serve(&self) {
        while let Some(body) = self.park() {
            body();
            self.body_ended();
        }
    }

    fn body_ended(&self) {
        if let Some(hook) = self.body_ended {
            hook();
        }
    }

    /// Waits for a body; `None` when this thread should leave instead.
    fn park(&self) -> Option<Body> {
        let mut state = lock(&self.state);
        let parked_at_us = self.clock.now_us();
        let released = state.released;
        state.parked += 1;
        loop {
            if let Some(body) = state.handed.pop_front() {
                state.parked -= 1;
                return Some(body);
            }
            let idle_ms = (self.clock.now_us() - parked_at_us) / 1e3;
            let left_ms = state.policy.idle_timeout_ms - idle_ms;
            let over = state.parked - state.handed.len() > state.policy.max_warm;
            if over || left_ms <= 0.0 || state.released != released {
                // Counted before it stops being parked: `release_warm` never
                // sees it in neither count.
                self.leaving.fetch_add(1, Ordering::AcqRel);
                state.parked -= 1;
                return None;
            }
            state = self
                .wake
                .wait_timeout(state, Duration::from_secs_f64(left_ms / 1e3))
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}
