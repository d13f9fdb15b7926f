//! Config validation: every field's bad values are refused with an error that
//! names the field as JavaScript spells it, and `RunConfig` round-trips through
//! JSON the way the web layer sends it.

#![cfg(not(target_arch = "wasm32"))]

use std::sync::Arc;

use serde_json::json;
use wasm_worker_pool::{
    ConfigError, Pool, PoolConfig, RayonConfig, RayonRun, RunConfig, SpawnPerTask,
    SpawnPerTaskConfig, StartError, StrategyKind, SystemClock, TaskKind, TaskLimits, ThreadSpawner,
};

fn refused(config: RunConfig) -> ConfigError {
    config
        .validate()
        .expect_err("expected the config to be refused")
}

/// Applies `edit` to the default config and returns the refused field (and
/// checks the message leads with it).
fn field(edit: impl FnOnce(&mut RunConfig)) -> &'static str {
    let mut c = RunConfig::default();
    edit(&mut c);
    let e = refused(c);
    let shown = e.to_string();
    assert!(shown.starts_with(e.field), "{shown}");
    assert!(shown.contains("(got "), "{shown}");
    e.field
}

#[test]
fn workers() {
    assert_eq!(field(|c| c.workers = 0), "workers");
    assert_eq!(field(|c| c.workers = 257), "workers");
    let c = RunConfig {
        workers: 0,
        ..RunConfig::default()
    };
    assert_eq!(
        refused(c).to_string(),
        "workers must be between 1 and 256 (got 0)"
    );
}

#[test]
fn tasks() {
    assert_eq!(field(|c| c.tasks = 0), "tasks");
    assert_eq!(field(|c| c.tasks = 1_000_001), "tasks");
}

#[test]
fn failure_and_panic_rates() {
    for bad in [f64::NAN, -0.1, 1.01, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(field(|c| c.failure_rate = bad), "failureRate", "{bad}");
        assert_eq!(field(|c| c.panic_rate = bad), "panicRate", "{bad}");
    }
    for good in [0.0, 0.5, 1.0] {
        RunConfig {
            failure_rate: good,
            panic_rate: good,
            ..RunConfig::default()
        }
        .validate()
        .unwrap();
    }
}

#[test]
fn queue_capacity() {
    assert_eq!(field(|c| c.queue_capacity = 1_000_001), "queueCapacity");
    RunConfig {
        queue_capacity: 0,
        ..RunConfig::default()
    }
    .validate()
    .unwrap();
}

#[test]
fn timeout() {
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 3_600_000.5] {
        assert_eq!(field(|c| c.timeout_ms = Some(bad)), "timeoutMs", "{bad}");
    }
    let e = refused(RunConfig {
        timeout_ms: Some(-1.0),
        ..RunConfig::default()
    });
    assert!(e.message.contains("greater than 0"), "{e}");
}

#[test]
fn ranges_min_max() {
    assert_eq!(field(|c| c.sleep_ms = (20.0, 5.0)), "sleepMs");
    assert_eq!(field(|c| c.sleep_ms = (-1.0, 5.0)), "sleepMs");
    assert_eq!(field(|c| c.sleep_ms = (0.0, f64::NAN)), "sleepMs");
    assert_eq!(field(|c| c.sleep_ms = (0.0, 60_001.0)), "sleepMs");
    assert_eq!(field(|c| c.cpu_iterations = (10, 9)), "cpuIterations");
    assert_eq!(
        field(|c| c.cpu_iterations = (0, 10_000_000_001)),
        "cpuIterations"
    );
    let e = refused(RunConfig {
        sleep_ms: (30.0, 10.0),
        ..RunConfig::default()
    });
    assert_eq!(
        e.to_string(),
        "sleepMs must be [min, max] with 0 <= min <= max <= 60000 (got [30, 10])"
    );
}

#[test]
fn connections_seed_and_spawn_cap() {
    assert_eq!(field(|c| c.connections = Some(0)), "connections");
    assert_eq!(field(|c| c.connections = Some(257)), "connections");
    assert_eq!(field(|c| c.seed = 1 << 53), "seed");
    assert_eq!(field(|c| c.spawn_cap = Some(0)), "spawnCap");
    assert_eq!(field(|c| c.spawn_cap = Some(100_001)), "spawnCap");
    RunConfig {
        seed: (1 << 53) - 1,
        spawn_cap: Some(100_000),
        connections: Some(256),
        ..RunConfig::default()
    }
    .validate()
    .unwrap();
}

#[test]
fn json_from_javascript() {
    let c: RunConfig = serde_json::from_value(json!({
        "strategy": "spawn-per-task", "workers": 8, "tasks": 50, "failureRate": 0.2,
        "queueCapacity": 0, "kind": "cpu", "sleepMs": [1, 2], "cpuIterations": [10, 20],
        "timeoutMs": 100, "connections": 3, "panicRate": 0.01, "seed": 7, "spawnCap": 10
    }))
    .unwrap();
    c.validate().unwrap();
    assert_eq!(c.strategy, StrategyKind::SpawnPerTask);
    assert_eq!(c.kind, TaskKind::Cpu);
    assert_eq!(c.sleep_ms, (1.0, 2.0));
    assert_eq!(c.timeout_ms, Some(100.0));
    let w = c.workload();
    assert!(w.use_connection);
    assert_eq!(w.cpu_iterations, (10, 20));
    assert_eq!(c.pool_config().limits.timeout_ms, Some(100.0));
    assert_eq!(c.spawn_per_task_config().cap, Some(10));
    // And back: the same names.
    let back = serde_json::to_value(&c).unwrap();
    assert_eq!(back["strategy"], "spawn-per-task");
    assert_eq!(back["sleepMs"], json!([1.0, 2.0]));
    assert_eq!(back["spawnCap"], 10);

    // Missing fields take their defaults; null is "none".
    let partial: RunConfig =
        serde_json::from_value(json!({ "strategy": "rayon", "timeoutMs": null })).unwrap();
    assert_eq!(
        partial,
        RunConfig {
            strategy: StrategyKind::Rayon,
            ..RunConfig::default()
        }
    );
    assert_eq!(serde_json::to_value(StrategyKind::Pool).unwrap(), "pool");
}

#[test]
fn json_refusals() {
    let unknown = serde_json::from_value::<RunConfig>(json!({ "wrokers": 4 })).unwrap_err();
    assert!(
        unknown.to_string().contains("unknown field `wrokers`"),
        "{unknown}"
    );
    let strategy =
        serde_json::from_value::<RunConfig>(json!({ "strategy": "threads" })).unwrap_err();
    assert!(
        strategy.to_string().contains("unknown variant"),
        "{strategy}"
    );
    let negative = serde_json::from_value::<RunConfig>(json!({ "workers": -1 })).unwrap_err();
    assert!(negative.to_string().contains("invalid value"), "{negative}");
    let pair = serde_json::from_value::<RunConfig>(json!({ "sleepMs": [1] })).unwrap_err();
    assert!(pair.to_string().contains("invalid length"), "{pair}");
}

#[test]
fn constructors_validate_too() {
    let clock = Arc::new(SystemClock::new());
    let spawner = ThreadSpawner::new();
    let e = Pool::start(
        PoolConfig {
            limits: TaskLimits {
                timeout_ms: Some(f64::NAN),
                connections: None,
            },
            ..PoolConfig::default()
        },
        &spawner,
        clock.clone(),
    )
    .unwrap_err();
    assert!(
        matches!(&e, StartError::Config(c) if c.field == "timeoutMs"),
        "{e}"
    );
    let e = SpawnPerTask::new(
        SpawnPerTaskConfig {
            cap: Some(0),
            ..SpawnPerTaskConfig::default()
        },
        vec![],
        clock.clone(),
    )
    .err()
    .unwrap();
    assert_eq!(e.field, "cap");
    let e = RayonRun::start(
        RayonConfig::with_threads(0),
        vec![],
        &spawner,
        clock.clone(),
    )
    .err()
    .unwrap();
    assert!(
        matches!(&e, StartError::Config(c) if c.field == "workers"),
        "{e}"
    );
    let e = RayonRun::start(
        RayonConfig {
            threads: 2,
            limits: TaskLimits {
                timeout_ms: None,
                connections: Some(0),
            },
        },
        vec![],
        &spawner,
        clock,
    )
    .err()
    .unwrap();
    assert!(
        matches!(&e, StartError::Config(c) if c.field == "connections"),
        "{e}"
    );
    assert_eq!(spawner.spawned(), 0, "nothing was spawned for a bad config");
}
