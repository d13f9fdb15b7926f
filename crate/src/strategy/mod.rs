//! The strategy contract: what a pool, one thread per task and rayon have in
//! common. Each starts from its config, a spawner and a clock and never
//! waits for a thread it spawned; each shares one `RunCore` with its
//! threads; and each is driven the same way from outside: stats, results,
//! cancel, finished, and a shutdown that never blocks (dropping any of them
//! cancels and returns at once; its threads finish on their own, and each
//! has a blocking `join` for callers that may wait).

pub(crate) mod core;
mod error;
pub mod pool;
pub mod rayon_run;
mod results;
pub mod spawn_per_task;

use crate::runtime::Spawner;
use crate::stats::StatsSnapshot;
pub use error::StartError;
pub use results::Results;
pub(crate) use results::{channel as results_channel, ResultSender};

pub(crate) use self::core::{
    hold_results, lock, release_results, send_result, send_results, RunCore,
};

/// One way of running tasks on threads.
pub trait Strategy: Send + Sync {
    /// The run's counters now (lock-free: polled from an event loop).
    fn stats(&self) -> StatsSnapshot;

    /// Every task's result, in completion order except that a batch's
    /// results arrive together when its last task ended.
    fn results(&self) -> Results;

    /// Stops the run: tasks not started end `Cancelled`, running ones see
    /// their context cancelled, waiters for a connection wake. Idempotent,
    /// never blocks.
    fn cancel(&self);

    /// Every task has its result and every thread of the run returned (or,
    /// for a rayon run that lost a thread, its driver did).
    fn is_finished(&self) -> bool;

    /// What the caller's loop does for the run: one thread per task spawns
    /// the threads its cap allows now. Never blocks; nothing for the others.
    fn advance(&self, spawner: &dyn Spawner);
}

/// What each strategy supplies; the [`Strategy`] glue over it is written
/// once, below.
pub(crate) trait Core: Send + Sync {
    /// The shared run core, and the run's results.
    fn parts(&self) -> (&RunCore, &Results);

    /// Tasks waiting to start (in the queue, for a thread, for rayon).
    fn queued(&self) -> u64;

    /// The strategy's cancel.
    fn stop(&self);

    /// The strategy's end.
    fn finished(&self) -> bool;

    /// Work for the caller's loop, if the strategy has any.
    fn step(&self, _spawner: &dyn Spawner) {}
}

impl<T: Core> Strategy for T {
    fn stats(&self) -> StatsSnapshot {
        let queued = self.queued();
        let (core, _) = self.parts();
        core.stats.snapshot(queued, core.connections.as_ref())
    }

    fn results(&self) -> Results {
        self.parts().1.clone()
    }

    fn cancel(&self) {
        self.stop();
    }

    fn is_finished(&self) -> bool {
        self.finished()
    }

    fn advance(&self, spawner: &dyn Spawner) {
        self.step(spawner);
    }
}

/// A strategy shared with its own threads (the pool's feeder holds one).
impl<T: Core> Core for std::sync::Arc<T> {
    fn parts(&self) -> (&RunCore, &Results) {
        (**self).parts()
    }

    fn queued(&self) -> u64 {
        (**self).queued()
    }

    fn stop(&self) {
        (**self).stop()
    }

    fn finished(&self) -> bool {
        (**self).finished()
    }

    fn step(&self, spawner: &dyn Spawner) {
        (**self).step(spawner)
    }
}
