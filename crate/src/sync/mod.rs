#![doc = include_str!("README.md")]

mod close_slot;
mod flag;
mod latch;
mod semaphore;

#[cfg(all(test, loom))]
mod loom_tests;

pub(crate) use close_slot::CloseSlot;
pub(crate) use flag::Flag;
pub(crate) use latch::Latch;
pub(crate) use semaphore::Semaphore;

/// The std/loom switch: every primitive in this module uses these names only.
#[cfg(not(loom))]
pub(crate) mod shim {
    pub(crate) use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    pub(crate) use std::sync::{Condvar, Mutex, MutexGuard};
}

/// The std/loom switch: every primitive in this module uses these names only.
#[cfg(loom)]
pub(crate) mod shim {
    pub(crate) use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};
}

/// Locks a mutex, ignoring poisoning: our critical sections never run user code,
/// so a poisoned lock only means another thread panicked *outside* of it.
pub(crate) fn lock<T>(m: &shim::Mutex<T>) -> shim::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}
