use super::shim::{AtomicBool, Ordering};

/// A boolean that goes from unset to set exactly once, like Go's `sync.Once`
/// guarding `close(ch)`: `set` tells its caller whether it was the one that
/// flipped it, so the side effects of close/cancel run exactly once.
#[derive(Debug)]
pub(crate) struct Flag(AtomicBool);

impl Flag {
    pub(crate) fn new() -> Flag {
        Flag(AtomicBool::new(false))
    }

    /// Sets the flag; `true` for the single caller that changed it.
    pub(crate) fn set(&self) -> bool {
        !self.0.swap(true, Ordering::AcqRel)
    }

    pub(crate) fn is_set(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

impl Default for Flag {
    fn default() -> Self {
        Flag::new()
    }
}
