//! One strategy behind one set of calls: start it from a run config, read
//! its stats and results, cancel it, advance it, ask whether it finished.

use std::sync::Arc;

use crossbeam_channel::Receiver;

use super::feeder::{self, Feeder};
use super::{RunConfig, SessionError, Strategy};
use crate::runtime::{Clock, Spawner};
use crate::stats::{Percentiles, StatsSnapshot};
use crate::task::{Task, TaskResult};
use crate::{Pool, RayonRun, SpawnPerTask, StartError};

pub(crate) enum Dispatch {
    Pool {
        pool: Arc<Pool>,
        feeder: Arc<Feeder>,
    },
    SpawnPerTask(SpawnPerTask),
    Rayon(RayonRun),
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
        match config.strategy {
            Strategy::Pool => {
                let pool =
                    Pool::start(config.pool_config(), spawner, clock).map_err(start_failed)?;
                // Dropping a pool joins its workers; on the web theirs start
                // only once this thread returns to its event loop: never join
                // here, wherever the last handle goes.
                pool.detach();
                let pool = Arc::new(pool);
                let feeder = feeder::start(pool.clone(), config.workload().specs(), spawner)
                    .map_err(|error| {
                        SessionError::Start(format!("could not start the feeder thread: {error}"))
                    })?;
                Ok(Dispatch::Pool { pool, feeder })
            }
            Strategy::SpawnPerTask => {
                let run =
                    SpawnPerTask::new(config.spawn_per_task_config(), tasks_of(config), clock)
                        .map_err(SessionError::Config)?;
                Ok(Dispatch::SpawnPerTask(run))
            }
            Strategy::Rayon => {
                let run = RayonRun::start(
                    config.workers,
                    tasks_of(config),
                    config.timeout_ms,
                    config.connections,
                    spawner,
                    clock,
                )
                .map_err(start_failed)?;
                Ok(Dispatch::Rayon(run))
            }
        }
    }

    pub fn stats(&self) -> StatsSnapshot {
        match self {
            Dispatch::Pool { pool, .. } => pool.stats(),
            Dispatch::SpawnPerTask(run) => run.stats(),
            Dispatch::Rayon(run) => run.stats(),
        }
    }

    pub fn results(&self) -> Receiver<TaskResult> {
        match self {
            Dispatch::Pool { pool, .. } => pool.results(),
            Dispatch::SpawnPerTask(run) => run.results(),
            Dispatch::Rayon(run) => run.results(),
        }
    }

    pub fn cancel(&self) {
        match self {
            Dispatch::Pool { pool, .. } => pool.cancel(),
            Dispatch::SpawnPerTask(run) => run.cancel(),
            Dispatch::Rayon(run) => run.cancel(),
        }
    }

    /// What the strategy does from its caller's loop (spawn-per-task spawns
    /// the threads its cap allows); never blocks.
    pub fn pump(&self, spawner: &dyn Spawner) {
        if let Dispatch::SpawnPerTask(run) = self {
            run.pump(spawner);
        }
    }

    pub fn is_finished(&self) -> bool {
        match self {
            Dispatch::Pool { pool, feeder } => feeder.is_done() && pool.is_finished(),
            Dispatch::SpawnPerTask(run) => run.is_finished(),
            Dispatch::Rayon(run) => run.is_finished(),
        }
    }

    pub fn feeder(&self) -> Option<&Feeder> {
        match self {
            Dispatch::Pool { feeder, .. } => Some(feeder),
            _ => None,
        }
    }

    /// spawn-per-task: from spawning a thread to its first instruction.
    pub fn worker_startup(&self) -> Option<Percentiles> {
        match self {
            Dispatch::SpawnPerTask(run) => Some(run.startup_us()),
            _ => None,
        }
    }
}
