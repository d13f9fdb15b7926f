use super::*;

fn field_of(r: Result<(), ConfigError>) -> &'static str {
    r.expect_err("expected a refusal").field
}

#[test]
fn defaults_are_valid() {
    PoolConfig::default().validate().unwrap();
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
        field_of(p(|c| c.limits.timeout_ms = Some(0.0))),
        "timeoutMs"
    );
    assert_eq!(
        field_of(p(|c| c.limits.connections = Some(0))),
        "connections"
    );
    p(|c| c.queue_capacity = 0).unwrap();
    p(|c| c.workers = 256).unwrap();
    p(|c| c.limits.timeout_ms = Some(3_600_000.0)).unwrap();
}
