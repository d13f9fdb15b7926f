use super::*;
use crate::workload::TaskKind;

fn field_of(r: Result<(), ConfigError>) -> &'static str {
    r.expect_err("expected a refusal").field
}

#[test]
fn defaults_are_valid() {
    PoolConfig::default().validate().unwrap();
    RunConfig::default().validate().unwrap();
    let d = RunConfig::default();
    assert_eq!(d.strategy, Strategy::Pool);
    assert_eq!(
        (d.workers, d.tasks, d.queue_capacity, d.seed),
        (4, 200, 100, 42)
    );
    assert_eq!(d.kind, TaskKind::Sleep);
    assert_eq!(d.sleep_ms, (5.0, 20.0));
    assert_eq!(d.failure_rate, 0.1);
}

#[test]
fn message_names_field_then_range_then_value() {
    let e = PoolConfig {
        workers: 0,
        ..PoolConfig::default()
    }
    .validate()
    .unwrap_err();
    assert_eq!(e.to_string(), "workers must be between 1 and 256 (got 0)");
    let e = RunConfig {
        failure_rate: f64::NAN,
        ..RunConfig::default()
    }
    .validate()
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "failureRate must be a finite number between 0 and 1 (got NaN)"
    );
}

#[test]
fn pool_config_bounds() {
    let p = |f: fn(&mut PoolConfig)| {
        let mut c = PoolConfig::default();
        f(&mut c);
        c.validate()
    };
    assert_eq!(field_of(p(|c| c.workers = 257)), "workers");
    assert_eq!(
        field_of(p(|c| c.queue_capacity = 1_000_001)),
        "queueCapacity"
    );
    assert_eq!(
        field_of(p(|c| c.task_timeout_ms = Some(0.0))),
        "taskTimeoutMs"
    );
    assert_eq!(field_of(p(|c| c.connections = Some(0))), "connections");
    p(|c| c.queue_capacity = 0).unwrap();
    p(|c| c.workers = 256).unwrap();
    p(|c| c.task_timeout_ms = Some(3_600_000.0)).unwrap();
}
