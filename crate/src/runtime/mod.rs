#![doc = include_str!("README.md")]

pub mod fault;
mod info;
#[cfg(not(target_arch = "wasm32"))]
mod native;
mod warm;

pub use info::RuntimeInfo;
#[cfg(not(target_arch = "wasm32"))]
pub use native::{SystemClock, ThreadSpawner};
pub use warm::{WarmPolicy, WarmSpawner};

/// Starts threads. Native: `ThreadSpawner` (std threads). Web: a Web Worker
/// on the shared memory (the web adapter's spawner).
pub trait Spawner: Send + Sync + 'static {
    /// Start a thread running `f`. Never waits for the thread to start: on the
    /// web a new worker only starts once the spawning thread has returned to
    /// its event loop, so waiting here would deadlock. On `Err`, `f` has been
    /// dropped without running (callers rely on its destructor to hand back
    /// what it owned).
    ///
    /// A spawner that accepts `f` but later finds it cannot run it drops it
    /// with [`fault::drop_unstarted`]; one whose thread dies without unwinding
    /// calls [`fault::die`] on that thread.
    fn spawn(&self, f: Box<dyn FnOnce() + Send + 'static>) -> Result<(), SpawnError>;

    /// Most threads this spawner keeps alive at once, if it has a limit
    /// (a config asking for more, such as a spawn cap, is refused up front).
    fn max_live_threads(&self) -> Option<usize> {
        None
    }

    /// Threads of this spawner alive now, if it counts them.
    fn live_threads(&self) -> Option<usize> {
        None
    }

    /// A spawner whose every thread is new, if this one reuses threads
    /// ([`WarmSpawner::cold`]): one thread per task must pay for each.
    fn cold(&self) -> Option<&dyn Spawner> {
        None
    }

    /// Asks the threads this spawner keeps parked to leave (they share the
    /// live-thread budget with new ones); `true` while any of its reused
    /// threads is still alive. Never blocks.
    fn release_warm(&self) -> bool {
        false
    }
}

impl<S: Spawner + ?Sized> Spawner for std::sync::Arc<S> {
    fn spawn(&self, f: Box<dyn FnOnce() + Send + 'static>) -> Result<(), SpawnError> {
        (**self).spawn(f)
    }

    fn max_live_threads(&self) -> Option<usize> {
        (**self).max_live_threads()
    }

    fn live_threads(&self) -> Option<usize> {
        (**self).live_threads()
    }

    fn cold(&self) -> Option<&dyn Spawner> {
        (**self).cold()
    }

    fn release_warm(&self) -> bool {
        (**self).release_warm()
    }
}

/// A refused or failed thread start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("thread spawn failed: {reason}")]
pub struct SpawnError {
    pub reason: String,
}

impl SpawnError {
    pub fn new(reason: impl Into<String>) -> SpawnError {
        SpawnError {
            reason: reason.into(),
        }
    }
}

/// Reads time. All timing in the core goes through a `Clock`: `Instant` panics
/// on wasm32-unknown-unknown.
pub trait Clock: Send + Sync + 'static {
    /// µs since an epoch shared by all threads
    fn now_us(&self) -> f64;
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now_us(&self) -> f64 {
        (**self).now_us()
    }
}

/// Ends this thread the way a WebAssembly trap does: without unwinding, so
/// none of its destructors run. On wasm32 this executes `unreachable` (the
/// web spawner then runs the thread's death hooks); natively it runs the
/// death hooks itself, as a web spawner would, and parks the thread for ever.
pub fn trap() -> ! {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::unreachable()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        fault::die(
            "RuntimeError: unreachable (a simulated trap: the thread died without unwinding)",
        );
        loop {
            std::thread::park();
        }
    }
}
