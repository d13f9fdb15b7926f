//! Native runtime: std threads and `Instant`.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use super::{fault, Clock, SpawnError, Spawner};

/// Spawns detached `std::thread`s and counts them.
///
/// Clones share the counters. `live_threads` counts threads whose closure has
/// not returned yet: it is decremented at the very end of the thread, after
/// the closure and everything it captured were dropped.
#[derive(Debug, Clone, Default)]
pub struct ThreadSpawner {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    limit: Option<usize>,
    counts: Mutex<Counts>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Counts {
    live: usize,
    peak: usize,
    spawned: u64,
    refused: u64,
}

impl ThreadSpawner {
    pub fn new() -> ThreadSpawner {
        ThreadSpawner::default()
    }

    /// A spawner that refuses (with a [`SpawnError`]) any spawn that would make
    /// more than `max_live` of its threads live at once.
    pub fn with_limit(max_live: usize) -> ThreadSpawner {
        ThreadSpawner {
            inner: Arc::new(Inner {
                limit: Some(max_live),
                ..Inner::default()
            }),
        }
    }

    /// Threads whose closure has not returned.
    pub fn live_threads(&self) -> usize {
        self.counts().live
    }

    /// Most threads live at once.
    pub fn peak_threads(&self) -> usize {
        self.counts().peak
    }

    /// Threads started so far.
    pub fn spawned(&self) -> u64 {
        self.counts().spawned
    }

    /// Spawns refused (limit reached, or the OS said no).
    pub fn refused(&self) -> u64 {
        self.counts().refused
    }

    /// Blocks until no thread of this spawner is live (a deterministic
    /// handshake for tests and benchmarks: no sleeping and polling).
    pub fn wait_until_idle(&self) {
        let mut counts = self.lock();
        while counts.live > 0 {
            counts = self
                .inner
                .changed
                .wait(counts)
                .unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Like `wait_until_idle`, giving up after `limit`; `true` if idle.
    pub fn wait_until_idle_for(&self, limit: std::time::Duration) -> bool {
        let deadline = Instant::now() + limit;
        let mut counts = self.lock();
        while counts.live > 0 {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            counts = match self.inner.changed.wait_timeout(counts, deadline - now) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
        true
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.lock()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.inner.counts.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Decrements the live count when the thread ends, even by a panic.
struct LiveGuard(Arc<Inner>);

impl Inner {
    fn thread_ended(&self) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        counts.live -= 1;
        drop(counts);
        self.changed.notify_all();
    }
}

impl Drop for LiveGuard {
    fn drop(&mut self) {
        self.0.thread_ended();
    }
}

impl Spawner for ThreadSpawner {
    fn max_live_threads(&self) -> Option<usize> {
        self.inner.limit
    }

    fn live_threads(&self) -> Option<usize> {
        Some(ThreadSpawner::live_threads(self))
    }

    fn spawn(&self, f: Box<dyn FnOnce() + Send + 'static>) -> Result<(), SpawnError> {
        {
            let mut counts = self.lock();
            if let Some(limit) = self.inner.limit {
                if counts.live >= limit {
                    counts.refused += 1;
                    return Err(SpawnError::new(format!(
                        "thread limit of {limit} live threads reached"
                    )));
                }
            }
            counts.live += 1;
            counts.peak = counts.peak.max(counts.live);
            counts.spawned += 1;
        }
        let guard = LiveGuard(self.inner.clone());
        let spawned = std::thread::Builder::new()
            .name("wasm-worker-pool".into())
            .spawn(move || {
                let guard = guard;
                // A thread that dies (`runtime::trap`) never drops `guard`:
                // count it out from its death hook instead.
                let inner = guard.0.clone();
                let _watch = fault::on_death(move |_| inner.thread_ended());
                f();
            });
        match spawned {
            Ok(_detached) => Ok(()),
            Err(e) => {
                // The closure (and the guard inside it) was dropped: the live
                // count is already back down.
                let mut counts = self.lock();
                counts.refused += 1;
                counts.spawned -= 1;
                Err(SpawnError::new(e.to_string()))
            }
        }
    }
}

/// `Instant`-based clock: µs since the clock was created. Clones share the
/// epoch.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    epoch: Instant,
}

impl SystemClock {
    pub fn new() -> SystemClock {
        SystemClock {
            epoch: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock::new()
    }
}

impl Clock for SystemClock {
    fn now_us(&self) -> f64 {
        self.epoch.elapsed().as_secs_f64() * 1e6
    }
}
