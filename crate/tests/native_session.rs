//! Sessions on std threads: what the browser runs, with the same dispatch,
//! feeder, tally and summary, checked natively (including spawners that fail
//! and tasks that trap).

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wasm_worker_pool::runtime::fault;
use wasm_worker_pool::session::{ResizeRefused, EVENT_STRIDE, QUEUED_BEFORE_FEEDER};
use wasm_worker_pool::{
    ConfigError, RunConfig, RunSummary, Session, SessionError, SpawnError, Spawner, StrategyKind,
    SystemClock, TaskKind, ThreadSpawner,
};

type Closure = Box<dyn FnOnce() + Send + 'static>;

/// Runs `session` to its end from this thread, as the orchestrator would.
fn finish(mut session: Session) -> (RunSummary, Vec<f64>) {
    let mut events = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !session.advance(&mut events) {
        assert!(
            Instant::now() < deadline,
            "the session did not finish in 30 s"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    (session.summary(), events)
}

fn start(config: RunConfig, spawner: impl Spawner) -> Session {
    Session::start(config, Arc::new(spawner), Arc::new(SystemClock::new()))
        .unwrap_or_else(|e| panic!("start failed: {e}"))
}

fn total(s: &RunSummary) -> u64 {
    s.succeeded + s.failed + s.timed_out + s.cancelled + s.panicked
}

fn config(strategy: StrategyKind, tasks: u64) -> RunConfig {
    RunConfig {
        strategy,
        workers: 3,
        tasks,
        failure_rate: 0.2,
        kind: TaskKind::Sleep,
        sleep_ms: (0.0, 1.0),
        seed: 5,
        ..RunConfig::default()
    }
}

const STRATEGIES: [StrategyKind; 3] = [
    StrategyKind::Pool,
    StrategyKind::SpawnPerTask,
    StrategyKind::Rayon,
];

#[test]
fn every_strategy_adds_up_and_fails_exactly_the_seeded_tasks() {
    for strategy in STRATEGIES {
        let config = config(strategy, 200);
        let expected: Vec<u64> = config
            .workload()
            .specs()
            .filter(|s| s.fails)
            .map(|s| s.id)
            .collect();
        let (summary, events) = finish(start(config, ThreadSpawner::new()));
        assert_eq!(total(&summary), 200, "{strategy:?}");
        assert_eq!(summary.failed_task_ids, expected, "{strategy:?}");
        assert_eq!(summary.cancelled, 0);
        assert!(!summary.aborted, "{strategy:?}");
        assert_eq!(summary.timeline_events, 200);
        assert_eq!(events.len(), 200 * EVENT_STRIDE);
        let ids: BTreeSet<u64> = events.chunks(EVENT_STRIDE).map(|e| e[0] as u64).collect();
        assert_eq!(
            ids.len(),
            200,
            "{strategy:?}: every task on the timeline once"
        );
        match strategy {
            StrategyKind::Pool => assert_eq!(summary.peak_threads, 3, "its 3 workers"),
            StrategyKind::Rayon => {
                assert_eq!(summary.peak_threads, 4, "3 rayon threads and the driver")
            }
            StrategyKind::SpawnPerTask => assert!(summary.peak_threads >= 1),
        }
        if strategy != StrategyKind::SpawnPerTask {
            assert_eq!(
                summary
                    .per_worker_tasks
                    .iter()
                    .map(|w| w.tasks)
                    .sum::<u64>(),
                200
            );
        }
        let (first, last) = (
            summary.first_start_ms.unwrap(),
            summary.last_result_ms.unwrap(),
        );
        assert!(
            0.0 <= first && first <= last && last <= summary.elapsed_ms,
            "{summary:?}"
        );
    }
}

#[test]
fn a_session_without_a_timeline_sends_no_events_and_counts_the_same() {
    for strategy in STRATEGIES {
        let (with, events) = finish(start(config(strategy, 200), ThreadSpawner::new()));
        assert_eq!(events.len(), 200 * EVENT_STRIDE, "{strategy:?}");
        let mut session = start(config(strategy, 200), ThreadSpawner::new());
        session.keep_no_timeline();
        let (without, events) = finish(session);
        assert!(events.is_empty(), "{strategy:?}: {} numbers", events.len());
        assert_eq!(without.timeline_events, 0, "{strategy:?}");
        assert_eq!(
            (
                without.succeeded,
                &without.failed_task_ids,
                without.cancelled
            ),
            (with.succeeded, &with.failed_task_ids, with.cancelled),
            "{strategy:?}: the same seeded outcomes"
        );
        assert_eq!(total(&without), 200, "{strategy:?}");
    }
}

#[test]
fn drain_says_how_many_results_it_took_and_they_add_up_to_the_tasks() {
    // (One thread per task spawns from `advance`, which drains too.)
    for strategy in [StrategyKind::Pool, StrategyKind::Rayon] {
        let mut session = start(config(strategy, 300), ThreadSpawner::new());
        let (mut events, mut taken) = (Vec::new(), 0);
        let deadline = Instant::now() + Duration::from_secs(30);
        while !session.is_over() {
            assert!(Instant::now() < deadline, "{strategy:?}: not over in 30 s");
            taken += session.drain(&mut events);
            std::thread::sleep(Duration::from_millis(1));
        }
        taken += session.drain(&mut events);
        assert_eq!(taken, 300, "{strategy:?}: every result taken once");
        assert_eq!(session.drain(&mut events), 0, "{strategy:?}: none left");
        assert!(session.advance(&mut events), "{strategy:?}: finished");
        assert_eq!(total(&session.summary()), 300, "{strategy:?}");
    }
}

#[test]
fn a_cancelled_pool_session_counts_the_unsubmitted_tasks_as_cancelled() {
    let config = RunConfig {
        workers: 2,
        tasks: 10_000,
        queue_capacity: 4,
        sleep_ms: (1.0, 2.0),
        ..config(StrategyKind::Pool, 10_000)
    };
    let mut session = start(config, ThreadSpawner::new());
    let mut events = Vec::new();
    while session.stats().completed() < 20 {
        session.advance(&mut events);
        std::thread::sleep(Duration::from_millis(1));
    }
    session.cancel();
    let (summary, _) = finish(session);
    assert_eq!(total(&summary), 10_000);
    assert!(
        summary.never_submitted > 9_000,
        "{}",
        summary.never_submitted
    );
    assert!(summary.cancelled >= summary.never_submitted);
    assert_eq!(summary.thread_failures, 0);
    assert!(summary.aborted);
}

/// Accepts every spawn and drops the closure at once, as a web spawner
/// whose worker script is a 404 does.
struct NoThreadLoads;

impl Spawner for NoThreadLoads {
    fn spawn(&self, f: Closure) -> Result<(), SpawnError> {
        fault::drop_unstarted(f, "the thread script returned 404");
        Ok(())
    }
}

#[test]
fn when_no_thread_loads_every_task_fails_naming_the_cause_in_every_strategy() {
    for strategy in STRATEGIES {
        let (summary, _) = finish(start(config(strategy, 100), NoThreadLoads));
        assert_eq!(total(&summary), 100, "{strategy:?}");
        assert_eq!(
            (summary.failed, summary.cancelled),
            (100, 0),
            "{strategy:?}: {summary:?}"
        );
        assert_eq!(summary.thread_failures, 100, "{strategy:?}");
        assert_eq!(summary.failed_task_ids, (0..100).collect::<Vec<u64>>());
        let reason = summary.thread_failure_reason.unwrap();
        assert!(
            reason.starts_with("thread failed to start"),
            "{strategy:?}: {reason}"
        );
        assert!(reason.contains("404"), "{strategy:?}: {reason}");
    }
}

/// Accepts spawns, and drops (unrun) the ones after the first `runs`.
struct OnlyFirst {
    runs: Mutex<usize>,
    threads: ThreadSpawner,
}

impl Spawner for OnlyFirst {
    fn spawn(&self, f: Closure) -> Result<(), SpawnError> {
        let mut left = self.runs.lock().unwrap();
        if *left == 0 {
            fault::drop_unstarted(f, "the module failed to instantiate");
            return Ok(());
        }
        *left -= 1;
        self.threads.spawn(f)
    }
}

/// The pool's workers start, its feeder thread does not: the tasks it never
/// submitted fail (they are not "cancelled": nobody cancelled). Those the
/// session queued before the feeder's thread started run.
#[test]
fn a_feeder_that_never_starts_fails_the_tasks_it_never_submitted() {
    let spawner = OnlyFirst {
        runs: Mutex::new(3),
        threads: ThreadSpawner::new(),
    };
    let queued = QUEUED_BEFORE_FEEDER;
    let config = RunConfig {
        failure_rate: 0.0,
        queue_capacity: 1_000,
        ..config(StrategyKind::Pool, queued + 50)
    };
    let (summary, _) = finish(start(config, spawner));
    assert_eq!(
        (
            summary.succeeded,
            summary.failed,
            summary.cancelled,
            summary.never_submitted
        ),
        (queued, 50, 0, 0)
    );
    assert_eq!(
        summary.failed_task_ids,
        (queued..queued + 50).collect::<Vec<u64>>()
    );
    assert!(summary
        .thread_failure_reason
        .unwrap()
        .ends_with("(the feeder thread)"));
}

#[test]
fn tasks_that_trap_fail_saying_the_thread_died_and_the_rest_run() {
    for strategy in [StrategyKind::Pool, StrategyKind::SpawnPerTask] {
        let config = RunConfig {
            workers: 8,
            trap_rate: 0.02,
            ..config(strategy, 200)
        };
        let traps = config.workload().specs().filter(|s| s.traps).count() as u64;
        assert!(
            (1..8).contains(&traps),
            "the seed makes a few traps: {traps}"
        );
        let (summary, _) = finish(start(config, ThreadSpawner::new()));
        assert_eq!(total(&summary), 200, "{strategy:?}");
        assert_eq!(summary.thread_failures, traps, "{strategy:?}");
        assert_eq!(summary.cancelled, 0);
        assert!(summary
            .thread_failure_reason
            .unwrap()
            .starts_with("thread died: "));
    }
}

/// The tasks `config`'s seed makes trap (more than 5 of them).
fn trap_ids(config: &RunConfig) -> Vec<u64> {
    let traps: Vec<u64> = config
        .workload()
        .specs()
        .filter(|s| s.traps)
        .map(|s| s.id)
        .collect();
    assert!(traps.len() > 5, "the seed makes traps: {traps:?}");
    traps
}

/// Of `tasks`, exactly the `traps` failed, as thread deaths; every other
/// task succeeded.
fn assert_only_the_traps_failed(summary: &RunSummary, traps: &[u64], tasks: u64) {
    assert_eq!(total(summary), tasks);
    assert_eq!(summary.failed_task_ids, traps, "exactly the traps fail");
    assert_eq!(summary.thread_failures, traps.len() as u64);
    assert_eq!(summary.succeeded, tasks - traps.len() as u64);
}

/// A pool session replaces a worker that dies: with one worker, every trap
/// would otherwise leave the rest of the run without one.
#[test]
fn a_pool_session_replaces_dead_workers_and_every_other_task_succeeds() {
    let config = RunConfig {
        workers: 1,
        tasks: 2_000,
        failure_rate: 0.0,
        trap_rate: 0.01,
        ..config(StrategyKind::Pool, 2_000)
    };
    let traps = trap_ids(&config);
    let (summary, _) = finish(start(config, ThreadSpawner::new()));
    assert_only_the_traps_failed(&summary, &traps, 2_000);
    // The first worker and one replacement per trap, one at a time.
    assert_eq!(summary.peak_threads, 1);
}

/// Short tasks go to the workers in batches (one job, taken whole by one
/// worker): a trap in the middle of one hands the rest of it back to the
/// queue, so exactly the traps fail and every other task succeeds.
#[test]
fn short_tasks_go_in_batches_and_a_trap_in_one_loses_none_of_the_rest() {
    let config = RunConfig {
        workers: 2,
        kind: TaskKind::Noop,
        failure_rate: 0.0,
        trap_rate: 0.001,
        queue_capacity: 4096,
        ..config(StrategyKind::Pool, 20_000)
    };
    let traps = trap_ids(&config);
    let (summary, events) = finish(start(config, ThreadSpawner::new()));
    // Batches formed: the tasks of one share its enqueue time (a task sent
    // alone reads the clock itself, to the nanosecond).
    let mut enqueued: Vec<f64> = events.chunks(EVENT_STRIDE).map(|e| e[2]).collect();
    enqueued.sort_by(f64::total_cmp);
    enqueued.dedup();
    assert!(
        enqueued.len() < 20_000 / 4,
        "{} enqueue times for 20,000 tasks: few batches",
        enqueued.len()
    );
    assert_only_the_traps_failed(&summary, &traps, 20_000);
}

#[test]
fn a_pool_session_resizes_while_it_runs_and_every_task_ends_once() {
    // Long enough (5,000 × 1 ms) for every resize to land while it runs.
    let config = RunConfig {
        workers: 2,
        kind: TaskKind::Sleep,
        sleep_ms: (1.0, 1.0),
        ..config(StrategyKind::Pool, 5_000)
    };
    let mut session = start(config, ThreadSpawner::new());
    let mut events = Vec::new();
    for workers in [8, 1, 16, 3] {
        session.resize(workers).unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !session.workers_in_effect() {
            session.advance(&mut events);
            assert!(
                Instant::now() < deadline,
                "resize to {workers} never took effect"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    assert_eq!(
        session.resize(0),
        Err(ResizeRefused::Config(ConfigError::new(
            "workers",
            "must be between 1 and 256 (got 0)"
        )))
    );
    let (summary, _) = finish(session);
    assert_eq!(total(&summary), 5_000);
    assert_eq!(
        summary.succeeded,
        5_000 - summary.failed_task_ids.len() as u64
    );
    let per_worker: u64 = summary.per_worker_tasks.iter().map(|w| w.tasks).sum();
    assert_eq!(per_worker, 5_000);
}

#[test]
fn a_bad_count_is_refused_as_such_even_once_the_run_ended() {
    let mut session = start(config(StrategyKind::Pool, 5), ThreadSpawner::new());
    let mut events = Vec::new();
    while !session.advance(&mut events) {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(matches!(session.resize(0), Err(ResizeRefused::Config(e)) if e.field == "workers"));
    assert_eq!(session.resize(4), Err(ResizeRefused::Ended));
}

#[test]
fn only_a_pool_session_can_be_resized_and_the_refusal_says_why() {
    let rayon = start(config(StrategyKind::Rayon, 20), ThreadSpawner::new());
    match rayon.resize(4) {
        Err(ResizeRefused::NotAPool(why)) => {
            assert!(why.starts_with("rayon cannot be resized"), "{why}")
        }
        other => panic!("{other:?}"),
    }
    let spawn = start(config(StrategyKind::SpawnPerTask, 20), ThreadSpawner::new());
    assert!(matches!(spawn.resize(4), Err(ResizeRefused::NotAPool(_))));
    let pool = start(config(StrategyKind::Pool, 20), ThreadSpawner::new());
    let (summary, _) = finish(pool);
    assert_eq!(total(&summary), 20);
    finish(rayon);
    finish(spawn);
}

#[test]
fn a_spawn_cap_beyond_what_the_spawner_allows_is_a_config_error() {
    let config = RunConfig {
        spawn_cap: Some(65),
        ..config(StrategyKind::SpawnPerTask, 10)
    };
    let refused = Session::start(
        config.clone(),
        Arc::new(ThreadSpawner::with_limit(64)),
        Arc::new(SystemClock::new()),
    );
    match refused {
        Err(SessionError::Config(e)) => {
            assert_eq!(e.field, "spawnCap");
            assert!(e.message.contains("64"), "{}", e.message);
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("a cap of 65 was accepted by a spawner of at most 64"),
    }
    // Without a limit, the same config runs.
    finish(start(config, ThreadSpawner::new()));
}
