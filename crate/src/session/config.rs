//! What a session is asked to run: [`RunConfig`], everything the web layer
//! receives from JavaScript, in one validated struct.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::config::{
    check_f64_range, check_opt_positive, check_opt_usize, check_rate, check_timeout, check_u64,
    check_u64_range, check_usize, ConfigError, PoolConfig, TaskLimits, MAX_CONNECTIONS,
    MAX_QUEUE_CAPACITY, MAX_WORKERS,
};
use crate::strategy::rayon_run::RayonConfig;
use crate::strategy::spawn_per_task::{SpawnPerTaskConfig, MAX_SPAWN_CAP};
use crate::task::TaskKind;
use crate::workload::{WorkloadConfig, MAX_CPU_ITERATIONS, MAX_SLEEP_MS, MAX_TASKS};

/// Largest integer a JavaScript number holds exactly (2^53 - 1): seeds above
/// it would change on their way through JS.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Most tasks per second an open-arrival run may ask for.
pub const MAX_ARRIVAL_RATE: f64 = 1_000_000.0;

/// Which way the tasks are run. JavaScript sees `'pool' | 'spawn-per-task' | 'rayon'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
pub enum StrategyKind {
    /// A fixed set of workers fed by a bounded queue ([`crate::Pool`]).
    #[default]
    #[serde(rename = "pool")]
    Pool,
    /// One new thread per task ([`crate::SpawnPerTask`]), the tutorial's
    /// "unlimited goroutines".
    #[serde(rename = "spawn-per-task")]
    SpawnPerTask,
    /// rayon's work stealing ([`crate::RayonRun`]).
    #[serde(rename = "rayon")]
    Rayon,
}

/// Everything the web layer receives from JavaScript, in one validated struct.
/// Missing fields take their defaults; unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RunConfig {
    pub strategy: StrategyKind,
    /// Workers of the pool, threads of rayon: 1..=256.
    pub workers: usize,
    /// 1..=1_000_000.
    pub tasks: u64,
    /// Finite, 0..=1.
    pub failure_rate: f64,
    /// 0..=1_000_000 (0 = rendezvous).
    pub queue_capacity: usize,
    pub kind: TaskKind,
    /// `[min, max]` in ms, 0 <= min <= max <= 60_000.
    pub sleep_ms: (f64, f64),
    /// `[min, max]`, min <= max <= 10_000_000_000.
    pub cpu_iterations: (u64, u64),
    /// Per-task deadline: `None`, or finite, > 0 and <= 3_600_000 ms.
    pub timeout_ms: Option<f64>,
    /// Size of the limited resource: `None`, or 1..=256. When set, every task
    /// holds a connection while it works.
    pub connections: Option<usize>,
    /// Finite, 0..=1.
    pub panic_rate: f64,
    /// Finite, 0..=1: tasks that kill their thread without unwinding (a
    /// WebAssembly trap), to watch how each strategy copes.
    pub trap_rate: f64,
    /// <= 2^53 - 1, so that JavaScript numbers carry it exactly.
    pub seed: u64,
    /// Spawn-per-task only: most live threads at once (`None` = unbounded,
    /// else 1..=100_000).
    pub spawn_cap: Option<usize>,
    /// How tasks arrive: `None`, every task at once (the tutorial's batch);
    /// else open arrivals at this many tasks per second, Poisson (exponential
    /// gaps, seeded by `seed`): finite, > 0 and <= 1_000_000. Pool only.
    pub arrival_rate: Option<f64>,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            strategy: StrategyKind::Pool,
            workers: 4,
            tasks: 200,
            failure_rate: 0.1,
            queue_capacity: 100,
            kind: TaskKind::Sleep,
            sleep_ms: (5.0, 20.0),
            cpu_iterations: (100_000, 1_000_000),
            timeout_ms: None,
            connections: None,
            panic_rate: 0.0,
            trap_rate: 0.0,
            seed: 42,
            spawn_cap: None,
            arrival_rate: None,
        }
    }
}

impl RunConfig {
    /// Checks every field, the first bad one is reported.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_usize("workers", self.workers, 1, MAX_WORKERS)?;
        check_u64("tasks", self.tasks, 1, MAX_TASKS)?;
        check_rate("failureRate", self.failure_rate)?;
        check_usize("queueCapacity", self.queue_capacity, 0, MAX_QUEUE_CAPACITY)?;
        check_f64_range("sleepMs", self.sleep_ms, 0.0, MAX_SLEEP_MS)?;
        check_u64_range("cpuIterations", self.cpu_iterations, 0, MAX_CPU_ITERATIONS)?;
        check_timeout("timeoutMs", self.timeout_ms)?;
        check_opt_usize("connections", self.connections, 1, MAX_CONNECTIONS)?;
        check_rate("panicRate", self.panic_rate)?;
        check_rate("trapRate", self.trap_rate)?;
        check_u64("seed", self.seed, 0, MAX_SAFE_INTEGER)?;
        check_opt_usize("spawnCap", self.spawn_cap, 1, MAX_SPAWN_CAP)?;
        check_opt_positive("arrivalRate", self.arrival_rate, MAX_ARRIVAL_RATE)?;
        if self.arrival_rate.is_some() && self.strategy != StrategyKind::Pool {
            return Err(ConfigError::new(
                "arrivalRate",
                "applies to the pool strategy only: its feeder submits at that rate (leave it empty for spawn-per-task and rayon)",
            ));
        }
        Ok(())
    }

    /// The deadline and connections every strategy gives each task.
    pub fn limits(&self) -> TaskLimits {
        TaskLimits {
            timeout_ms: self.timeout_ms,
            connections: self.connections,
        }
    }

    pub fn pool_config(&self) -> PoolConfig {
        PoolConfig {
            workers: self.workers,
            queue_capacity: self.queue_capacity,
            limits: self.limits(),
            // A session polls (`advance`): it can replace a worker that dies.
            replace_dead_workers: true,
        }
    }

    /// The seeded workload; tasks use the connection iff `connections` is set.
    pub fn workload(&self) -> WorkloadConfig {
        WorkloadConfig {
            tasks: self.tasks,
            kind: self.kind,
            sleep_ms: self.sleep_ms,
            cpu_iterations: self.cpu_iterations,
            failure_rate: self.failure_rate,
            panic_rate: self.panic_rate,
            trap_rate: self.trap_rate,
            use_connection: self.connections.is_some(),
            seed: self.seed,
        }
    }

    pub fn rayon_config(&self) -> RayonConfig {
        RayonConfig {
            threads: self.workers,
            limits: self.limits(),
        }
    }

    pub fn spawn_per_task_config(&self) -> SpawnPerTaskConfig {
        SpawnPerTaskConfig {
            cap: self.spawn_cap,
            limits: self.limits(),
        }
    }
}
