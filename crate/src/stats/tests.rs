use super::histogram::{bounds, index, BUCKETS};
use super::*;

#[test]
fn histogram_buckets_tile_the_u64_range() {
    let mut next = 0u64;
    for i in 0..BUCKETS {
        let (low, width) = bounds(i);
        assert_eq!(low, next, "bucket {i}");
        assert_eq!(index(low), i);
        assert_eq!(index(low + (width - 1)), i);
        next = low.wrapping_add(width);
    }
    assert_eq!(next, 0, "the last bucket ends at 2^64");
    assert_eq!(index(u64::MAX), BUCKETS - 1);
}

#[test]
fn percentiles_are_within_a_few_percent() {
    let h = Histogram::new();
    for us in 1..=1000 {
        h.record_us(us as f64);
    }
    let p = h.percentiles();
    assert_eq!(p.count, 1000);
    for (got, want) in [(p.p50_us, 500.0), (p.p95_us, 950.0), (p.p99_us, 990.0)] {
        assert!((got - want).abs() / want < 0.035, "{got} vs {want}");
    }
    assert_eq!(p.max_us, 1000.0);
    assert_eq!(Histogram::new().percentiles(), Percentiles::default());
}

#[test]
fn sharded_histogram_merges_its_shards() {
    let h = ShardedHistogram::new(3);
    for (shard, us) in [(0, 10.0), (1, 20.0), (2, 30.0), (7, 40.0)] {
        h.record_us(shard, us);
    }
    let p = h.percentiles();
    assert_eq!(p.count, 4);
    assert_eq!(p.max_us, 40.0);
    assert!((p.p50_us - 20.0).abs() < 1.0, "{p:?}");
}

#[test]
fn odd_values_count_as_zero() {
    let h = Histogram::new();
    h.record_us(f64::NAN);
    h.record_us(-5.0);
    let p = h.percentiles();
    assert_eq!((p.count, p.max_us, p.p99_us), (2, 0.0, 0.0));
}

#[test]
fn worker_slot_states_and_json() {
    let slot = WorkerSlot::default();
    assert_eq!(slot.state(), WorkerState::Starting);
    slot.set_running(7);
    assert_eq!(slot.state(), WorkerState::Running { task_id: 7 });
    slot.waiting(7);
    assert_eq!(
        serde_json::to_value(slot.state()).unwrap(),
        serde_json::json!({ "state": "waitingForConnection", "taskId": 7 })
    );
    slot.set_exited();
    assert_eq!(
        serde_json::to_value(slot.state()).unwrap(),
        serde_json::json!({ "state": "exited" })
    );
}

#[test]
fn snapshot_adds_up_and_serialises_camel_case() {
    let stats = LiveStats::new(2);
    stats.add_submitted(3);
    stats.task_started(stats.slot(1));
    stats.slot(1).unwrap().set_running(4);
    assert_eq!(stats.in_flight(), 1);
    stats.task_ended(
        &Outcome::Succeeded {
            output: String::new(),
        },
        1,
        (0.0, 1.0, 3.0),
        stats.slot(1),
    );
    stats.slot(1).unwrap().set_idle();
    // A task without a slot (spawn-per-task).
    stats.task_started(None);
    assert_eq!(stats.in_flight(), 1);
    stats.task_ended(&Outcome::TimedOut, 5, (0.0, 1.0, 2.0), None);
    assert_eq!(stats.in_flight(), 0);
    stats.record_outcome(&Outcome::Cancelled);
    let s = stats.snapshot(0, None);
    assert_eq!(s.completed(), 3);
    assert_eq!((s.succeeded, s.timed_out, s.cancelled), (1, 1, 1));
    assert_eq!(s.run_time.count, 2);
    assert_eq!(s.in_flight, 0);
    assert_eq!(s.workers[1].tasks_done, 1);
    assert_eq!(s.workers[1].busy_us, 2.0);
    let json = serde_json::to_value(&s).unwrap();
    for key in [
        "submitted",
        "queued",
        "inFlight",
        "timedOut",
        "queueHighWater",
        "liveThreads",
        "peakThreads",
        "workers",
        "queueWait",
        "runTime",
        "workerStartup",
        "connectionsInUse",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert!(json["runTime"].get("p95Us").is_some());
    assert!(json["workers"][0].get("connectionWaitUs").is_some());
}
