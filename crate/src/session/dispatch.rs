//! One strategy behind the strategy contract, started from a run config;
//! for the pool also its feeder thread.

use std::sync::Arc;

use super::feeder::{self, Feeder, Pace};
use super::{RunConfig, SessionError, StrategyKind};
use crate::runtime::{Clock, Spawner};
use crate::stats::Percentiles;
use crate::task::Task;
use crate::workload::Arrivals;
use crate::{Pool, RayonRun, SpawnPerTask, StartError, Strategy};

pub(crate) struct Dispatch {
    pub strategy: Box<dyn Strategy>,
    /// The pool's feeder thread (the pool strategy only).
    pub feeder: Option<Arc<Feeder>>,
    /// The pool itself, for `resize` (the pool strategy only).
    pub pool: Option<Arc<Pool>>,
}

fn tasks_of(config: &RunConfig) -> Vec<Task> {
    config.workload().tasks().collect()
}

fn start_failed(error: StartError) -> SessionError {
    match error {
        StartError::Config(error) => SessionError::Config(error),
        StartError::Spawn(error) => {
            SessionError::Start(format!("could not start the workers: {error}"))
        }
    }
}

impl Dispatch {
    /// Starts `config`'s strategy; never waits for a thread it spawned.
    pub fn start(
        config: &RunConfig,
        spawner: &dyn Spawner,
        clock: Arc<dyn Clock>,
    ) -> Result<Dispatch, SessionError> {
        let mut resizable = None;
        let (strategy, feeder): (Box<dyn Strategy>, _) = match config.strategy {
            StrategyKind::Pool => {
                let pace = match config.arrival_rate {
                    Some(rate) => Pace::Open(Arrivals::new(config.seed, rate), clock.clone()),
                    None => Pace::AllAtOnce,
                };
                let pool = Arc::new(
                    Pool::start(config.pool_config(), spawner, clock).map_err(start_failed)?,
                );
                let feeder = feeder::start(pool.clone(), config.workload().specs(), pace, spawner)
                    .map_err(|error| {
                        SessionError::Start(format!("could not start the feeder thread: {error}"))
                    })?;
                resizable = Some(pool.clone());
                (Box::new(pool), Some(feeder))
            }
            StrategyKind::SpawnPerTask => {
                // Spawns nothing yet: `Session::advance` pumps it once the
                // parked threads (which share the live-thread budget) left.
                let run =
                    SpawnPerTask::new(config.spawn_per_task_config(), tasks_of(config), clock)
                        .map_err(SessionError::Config)?;
                (Box::new(run), None)
            }
            StrategyKind::Rayon => {
                let run = RayonRun::start(config.rayon_config(), tasks_of(config), spawner, clock)
                    .map_err(start_failed)?;
                (Box::new(run), None)
            }
        };
        Ok(Dispatch {
            strategy,
            feeder,
            pool: resizable,
        })
    }

    /// The strategy's run is over (the pool's also needs its feeder done).
    pub fn is_finished(&self) -> bool {
        self.feeder.as_ref().is_none_or(|f| f.is_done()) && self.strategy.is_finished()
    }

    /// spawn-per-task: from spawning a thread to its first instruction.
    pub fn worker_startup(&self, kind: StrategyKind) -> Option<Percentiles> {
        (kind == StrategyKind::SpawnPerTask).then(|| self.strategy.stats().worker_startup)
    }
}
