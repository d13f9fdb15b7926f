//! Threads that fail: a thread whose closure is dropped without running (on
//! the web: its Web Worker failed to load or to instantiate the module), and a
//! thread that dies without unwinding (on the web: a wasm trap such as
//! `unreachable` or running out of memory), which runs none of its
//! destructors.
//!
//! Both are reported on the thread where they are noticed, through
//! thread-locals, so that the core stays independent of how a spawner learns
//! about them:
//! - a spawner drops an unstarted closure with [`drop_unstarted`]; the drop
//!   guards inside it read [`start_failure`] to say why;
//! - a body that must account for itself if it dies registers a hook with
//!   [`on_death`] (the returned [`DeathWatch`] removes it when the body ends
//!   normally or unwinds); a spawner that sees its thread die calls [`die`]
//!   on that thread, which runs its hooks, innermost first.

use std::cell::{Cell, RefCell};

/// How the core words a task's failure when its thread never started.
pub const FAILED_TO_START: &str = "thread failed to start";
/// How the core words a task's failure when its thread died while running it.
pub const THREAD_DIED: &str = "thread died";

/// What a dying thread runs with the reason of its death.
pub type DeathHook = Box<dyn FnOnce(&str) + Send + 'static>;

thread_local! {
    static START_FAILURE: RefCell<Option<String>> = const { RefCell::new(None) };
    static HOOKS: RefCell<Vec<(u64, DeathHook)>> = const { RefCell::new(Vec::new()) };
    static NEXT_TOKEN: Cell<u64> = const { Cell::new(0) };
    static KEEP_STACK: Cell<bool> = const { Cell::new(false) };
}

/// Drops a thread body that never ran, making `reason` available to the
/// destructors it runs through [`start_failure`].
pub fn drop_unstarted<T>(body: T, reason: &str) {
    let previous = START_FAILURE.with(|r| r.replace(Some(reason.to_string())));
    drop(body);
    START_FAILURE.with(|r| *r.borrow_mut() = previous);
}

/// Inside a drop run by [`drop_unstarted`]: why the thread never started.
pub fn start_failure() -> Option<String> {
    START_FAILURE.with(|r| r.borrow().clone())
}

/// `"thread failed to start: <reason>"`, with the reason when one is known.
pub fn failed_to_start_message() -> String {
    match start_failure() {
        Some(reason) => format!("{FAILED_TO_START}: {reason}"),
        None => FAILED_TO_START.to_string(),
    }
}

/// Registers `hook` to run if this thread dies without unwinding. It is
/// dropped unrun when the returned watch is dropped.
#[must_use = "the hook is removed as soon as the watch is dropped"]
pub fn on_death(hook: impl FnOnce(&str) + Send + 'static) -> DeathWatch {
    let token = NEXT_TOKEN.with(|n| {
        let token = n.get();
        n.set(token + 1);
        token
    });
    HOOKS.with(|hooks| hooks.borrow_mut().push((token, Box::new(hook))));
    DeathWatch {
        token,
        _not_send: std::marker::PhantomData,
    }
}

/// What [`die`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Death {
    /// Death hooks run.
    pub hooks: usize,
    /// A hook asked (with [`keep_stack`]) that the thread's stack stay
    /// allocated: the spawner must leak it rather than free it.
    pub keep_stack: bool,
}

/// This thread is dying without unwinding: runs its death hooks, innermost
/// first. Called by a spawner on the dying thread (on the web: after a
/// trap), or by [`super::trap`].
pub fn die(reason: &str) -> Death {
    let hooks = HOOKS.with(|hooks| std::mem::take(&mut *hooks.borrow_mut()));
    let count = hooks.len();
    KEEP_STACK.with(|keep| keep.set(false));
    for (_, hook) in hooks.into_iter().rev() {
        hook(reason);
    }
    Death {
        hooks: count,
        keep_stack: KEEP_STACK.with(|keep| keep.replace(false)),
    }
}

/// From a death hook: other threads may still hold pointers into the dying
/// thread's stack (rayon keeps jobs there that others steal), so it must
/// not be freed.
pub fn keep_stack() {
    KEEP_STACK.with(|keep| keep.set(true));
}

/// Keeps a death hook registered; dropping it removes the hook unrun. It
/// belongs to the thread that registered it.
#[derive(Debug)]
pub struct DeathWatch {
    token: u64,
    _not_send: std::marker::PhantomData<*const ()>,
}

impl Drop for DeathWatch {
    fn drop(&mut self) {
        // Take the hook out before dropping it: its destructor may register
        // or remove hooks of its own.
        let removed = HOOKS.with(|hooks| {
            let mut hooks = hooks.borrow_mut();
            let at = hooks.iter().position(|(token, _)| *token == self.token);
            at.map(|at| hooks.remove(at))
        });
        drop(removed);
    }
}

#[cfg(all(test, not(loom), not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn hooks_run_innermost_first_and_only_while_watched() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let outer = {
            let log = log.clone();
            on_death(move |why| log.lock().unwrap().push(format!("outer {why}")))
        };
        {
            let log = log.clone();
            let _dropped = on_death(move |why| log.lock().unwrap().push(format!("gone {why}")));
        }
        let _inner = {
            let log = log.clone();
            on_death(move |why| log.lock().unwrap().push(format!("inner {why}")))
        };
        let death = die("trap");
        assert_eq!((death.hooks, death.keep_stack), (2, false));
        assert_eq!(*log.lock().unwrap(), ["inner trap", "outer trap"]);
        assert_eq!(die("again").hooks, 0, "hooks run once");
        let _keeping = on_death(|_| keep_stack());
        assert!(die("trap").keep_stack);
        drop(outer);
    }

    #[test]
    fn the_start_failure_is_seen_only_while_dropping_the_unstarted_body() {
        struct Guard(Arc<Mutex<Option<String>>>);
        impl Drop for Guard {
            fn drop(&mut self) {
                *self.0.lock().unwrap() = start_failure();
            }
        }
        let seen = Arc::new(Mutex::new(None));
        drop_unstarted(Guard(seen.clone()), "404 for thread_worker.js");
        assert_eq!(
            seen.lock().unwrap().as_deref(),
            Some("404 for thread_worker.js")
        );
        assert_eq!(start_failure(), None);
        drop(Guard(seen.clone()));
        assert_eq!(*seen.lock().unwrap(), None);
    }
}
