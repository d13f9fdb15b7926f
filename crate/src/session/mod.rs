//! One run of one strategy, from a [`RunConfig`] to a [`RunSummary`]: strategy
//! dispatch, the pool's feeder thread, the tally of results, the timeline
//! encoding and the summary arithmetic. Portable: generic over how threads
//! are spawned and time is read, tested natively like the core; the web
//! layer only drives it from the orchestrator's event loop and converts
//! values to and from JavaScript.
//!
//! Nothing here blocks. Blocking work (submitting into a full or rendezvous
//! queue, rayon's job) happens on spawned threads, and on the web a thread
//! spawned by the caller starts only once the caller returns to its event
//! loop: [`Session::advance`] is polled.

mod config;
mod dispatch;
mod error;
mod feeder;
pub mod lessons;
mod summary;
mod tally;

#[cfg(all(test, not(loom), not(target_arch = "wasm32")))]
mod tests;

pub use config::{RunConfig, StrategyKind, MAX_SAFE_INTEGER};
pub use error::{ErrorKind, WireError};
pub use feeder::QUEUED_BEFORE_FEEDER;
pub use summary::{RunSummary, WorkerCount};
pub use tally::{EVENT_STRIDE, MAX_TIMELINE_EVENTS};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::config::{check_usize, ConfigError, MAX_WORKERS};
use crate::runtime::{Clock, Spawner};
use crate::stats::StatsSnapshot;
use crate::strategy::pool::ResizeError;
use crate::strategy::Results;
use dispatch::Dispatch;
use summary::{Inputs, Unsubmitted};
use tally::Tally;

/// Why a session did not start; nothing runs then.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SessionError {
    /// A config value out of range or of the wrong type.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A thread the strategy needs could not be started.
    #[error("{0}")]
    Start(String),
}

/// Why a session's worker count was not changed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResizeRefused {
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Only a pool has workers to add or remove.
    #[error("{0}")]
    NotAPool(&'static str),
    /// The run was cancelled or has ended.
    #[error("the run has ended: there is no pool to resize")]
    Ended,
    /// A new worker's thread could not be spawned.
    #[error("could not start a new worker: {0}")]
    Spawn(String),
}

/// One run of one strategy, advanced by polling.
pub struct Session {
    config: RunConfig,
    spawner: Arc<dyn Spawner>,
    clock: Arc<dyn Clock>,
    origin_us: f64,
    dispatch: Dispatch,
    results: Results,
    tally: Tally,
    finished_at_us: Option<f64>,
    /// Set by [`Session::cancel`]: the summary's `aborted`.
    cancelled: AtomicBool,
    /// One thread per task: the spawner's parked threads have left.
    parked_gone: bool,
}

impl Session {
    /// Validates `config` (also against the spawner's limits) and starts its
    /// strategy. Never waits for a thread it spawned.
    pub fn start(
        config: RunConfig,
        spawner: Arc<dyn Spawner>,
        clock: Arc<dyn Clock>,
    ) -> Result<Session, SessionError> {
        config.validate().map_err(SessionError::Config)?;
        check_spawner_limits(&config, &*spawner).map_err(SessionError::Config)?;
        let origin_us = clock.now_us();
        let dispatch = Dispatch::start(&config, &*spawner, clock.clone())?;
        let results = dispatch.strategy.results();
        let tally = Tally::new(config.tasks);
        Ok(Session {
            config,
            spawner,
            clock,
            origin_us,
            dispatch,
            results,
            tally,
            finished_at_us: None,
            cancelled: AtomicBool::new(false),
            parked_gone: false,
        })
    }

    /// Keep no timeline: `advance` and `drain` append no events and the
    /// summary's `timeline_events` is 0; counts stay exact. For a caller
    /// that shows no timeline; call it before the first `advance`.
    pub fn keep_no_timeline(&mut self) {
        self.tally.keep_no_timeline();
    }

    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    /// Queued and unstarted tasks end cancelled, running tasks see their
    /// context cancelled. Idempotent, never blocks.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
        self.dispatch.strategy.cancel();
    }

    /// Advances without blocking: spawns what may be spawned, takes the
    /// results that arrived (appending their timeline events, [`EVENT_STRIDE`]
    /// numbers each), reports whether the run has finished.
    pub fn advance(&mut self, events: &mut Vec<f64>) -> bool {
        // One thread per task spawns new threads (that is what it shows).
        match self.config.strategy {
            StrategyKind::SpawnPerTask => {
                // Parked threads share the live-thread budget: they leave
                // first (asked once per poll until gone, then never again).
                if !self.parked_gone {
                    self.parked_gone = !self.spawner.release_warm();
                }
                if self.parked_gone {
                    let cold = self.spawner.cold().unwrap_or(&*self.spawner);
                    self.dispatch.strategy.advance(cold);
                }
            }
            _ => self.dispatch.strategy.advance(&*self.spawner),
        }
        // Read "finished" before draining: results sent before the last
        // thread exited are then all in the channel.
        let finished = self.dispatch.is_finished();
        self.drain(events);
        if finished && self.finished_at_us.is_none() {
            self.finished_at_us = Some(self.clock.now_us());
        }
        self.finished_at_us.is_some()
    }

    /// Takes the results that arrived (appending their timeline events),
    /// and nothing else: between two `advance` calls, so that counting keeps
    /// pace with the threads. Returns how many it took. Never blocks.
    pub fn drain(&mut self, events: &mut Vec<f64>) -> usize {
        let (tally, origin_us) = (&mut self.tally, self.origin_us);
        let mut taken = 0;
        self.results.try_for_each(|result| {
            tally.add(&result, origin_us, events);
            taken += 1;
        });
        taken
    }

    pub fn is_finished(&self) -> bool {
        self.finished_at_us.is_some()
    }

    /// The strategy's run is over (the next `advance` reports finished);
    /// unlike `advance`, it takes no result.
    pub fn is_over(&self) -> bool {
        self.dispatch.is_finished()
    }

    /// Changes the pool's worker count while it runs (see `Pool::resize`);
    /// never blocks. [`Session::workers_in_effect`] tells when it took hold.
    pub fn resize(&self, workers: usize) -> Result<(), ResizeRefused> {
        // A bad count is refused as such, whatever state the run is in.
        check_usize("workers", workers, 1, MAX_WORKERS)?;
        let Some(pool) = &self.dispatch.pool else {
            return Err(ResizeRefused::NotAPool(match self.config.strategy {
                StrategyKind::Rayon => {
                    "rayon cannot be resized: its thread pool is fixed once it is built \
                     (only a worker pool run can change its worker count)"
                }
                _ => "one worker per task has no workers to resize (only a worker pool run can)",
            }));
        };
        if self.is_finished() {
            return Err(ResizeRefused::Ended);
        }
        pool.resize(workers, &*self.spawner).map_err(|e| match e {
            ResizeError::Config(e) => ResizeRefused::Config(e),
            ResizeError::Ended => ResizeRefused::Ended,
            ResizeError::Spawn(e) => ResizeRefused::Spawn(e.to_string()),
        })
    }

    /// The pool runs with the count it was last resized to: the extra
    /// workers have left and the new ones have started (or the run is over).
    pub fn workers_in_effect(&self) -> bool {
        let Some(pool) = &self.dispatch.pool else {
            return true;
        };
        if self.is_finished() {
            return true;
        }
        pool.resized()
    }

    /// ms since the session started (until it finished).
    pub fn elapsed_ms(&self) -> f64 {
        let end = self.finished_at_us.unwrap_or_else(|| self.clock.now_us());
        (end - self.origin_us) / 1000.0
    }

    pub fn stats(&self) -> StatsSnapshot {
        self.dispatch.strategy.stats()
    }

    /// The summary so far; final once [`Session::advance`] reported finished.
    pub fn summary(&self) -> RunSummary {
        // The pool's feeder stops at cancel: those tasks count as
        // cancelled. If it stopped for another reason (its thread never
        // started), they failed, with that reason.
        let unsubmitted = match &self.dispatch.feeder {
            Some(feeder) if self.is_finished() => {
                let submitted = feeder.submitted();
                Unsubmitted {
                    first_id: submitted,
                    count: self.config.tasks - submitted,
                    failure: feeder.stopped(),
                }
            }
            _ => Unsubmitted::default(),
        };
        summary::summarize(Inputs {
            strategy: self.config.strategy,
            tasks: self.config.tasks,
            tally: &self.tally,
            stats: self.dispatch.strategy.stats(),
            unsubmitted,
            elapsed_ms: self.elapsed_ms(),
            worker_startup: self.dispatch.worker_startup(self.config.strategy),
            aborted: self.cancelled.load(Ordering::Relaxed),
        })
    }
}

/// Limits of the runtime that the portable config does not know.
fn check_spawner_limits(config: &RunConfig, spawner: &dyn Spawner) -> Result<(), ConfigError> {
    match (config.spawn_cap, spawner.max_live_threads()) {
        (Some(cap), Some(max)) if cap > max => Err(ConfigError::new(
            "spawnCap",
            format!("must be empty or between 1 and {max}: this runtime keeps at most {max} threads alive (got {cap})"),
        )),
        _ => Ok(()),
    }
}
