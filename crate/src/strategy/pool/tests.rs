//! Unit tests of the pool's own mechanics (the tutorial scenes are in
//! `crate/tests/golang.rs`).

use std::sync::Arc;

use super::*;
use crate::runtime::{SystemClock, ThreadSpawner};
use crate::task::{Outcome, TaskError, TaskResult};

fn clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock::new())
}

fn ok_task(id: u64) -> Task {
    Task::new(id, move |_| Ok(format!("{id}")))
}

#[test]
fn shared_types_are_send_and_sync() {
    // The strategies themselves are, by the `Strategy: Send + Sync` bound.
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Pool>();
    send_sync::<crate::TaskContext<'static>>();
    send_sync::<crate::StatsSnapshot>();
    send::<Task>();
    send::<SubmitError>();
    send::<crate::TaskResult>();
}

#[test]
fn runs_every_task_and_disconnects_results() {
    let spawner = ThreadSpawner::new();
    let pool = Pool::start(PoolConfig::default(), &spawner, clock()).unwrap();
    for id in 0..50 {
        pool.submit(ok_task(id)).unwrap();
    }
    pool.close();
    let mut ids: Vec<u64> = pool.results().iter().map(|r| r.task_id).collect();
    ids.sort_unstable();
    assert_eq!(ids, (0..50).collect::<Vec<_>>());
    pool.join();
    assert!(pool.is_finished());
    let stats = pool.stats();
    assert_eq!(stats.submitted, 50);
    assert_eq!(stats.succeeded, 50);
    assert_eq!(stats.completed(), 50);
    assert_eq!(stats.live_threads, 0);
    assert_eq!(stats.peak_threads, 4);
    assert!(stats
        .workers
        .iter()
        .all(|w| w.state == crate::WorkerState::Exited));
    assert_eq!(stats.workers.iter().map(|w| w.tasks_done).sum::<u64>(), 50);
}

#[test]
fn refused_spawn_is_a_start_error_and_spawned_workers_exit() {
    let spawner = ThreadSpawner::with_limit(2);
    let config = PoolConfig {
        workers: 3,
        ..PoolConfig::default()
    };
    match Pool::start(config, &spawner, clock()) {
        Err(StartError::Spawn(e)) => assert!(e.reason.contains("limit"), "{e}"),
        other => panic!("expected a spawn error, got {:?}", other.map(|_| ())),
    }
    spawner.wait_until_idle();
    assert_eq!(spawner.live_threads(), 0);
    assert_eq!(spawner.refused(), 1);
}

#[test]
fn invalid_config_is_a_start_error() {
    let config = PoolConfig {
        workers: 0,
        ..PoolConfig::default()
    };
    let err = Pool::start(config, &ThreadSpawner::new(), clock()).unwrap_err();
    assert!(
        matches!(err, StartError::Config(ref e) if e.field == "workers"),
        "{err}"
    );
}

#[test]
fn try_submit_reports_full_then_closed_then_cancelled() {
    let spawner = ThreadSpawner::new();
    let (gate_tx, gate_rx) = crossbeam_channel::bounded::<()>(0);
    let (started_tx, started_rx) = crossbeam_channel::bounded::<()>(1);
    let pool = Pool::start(
        PoolConfig {
            workers: 1,
            queue_capacity: 1,
            ..PoolConfig::default()
        },
        &spawner,
        clock(),
    )
    .unwrap();
    pool.submit(Task::new(0, move |_| {
        started_tx.send(()).unwrap();
        gate_rx.recv().unwrap();
        Ok(String::new())
    }))
    .unwrap();
    started_rx.recv().unwrap(); // the worker holds task 0: the queue is empty
    pool.try_submit(ok_task(1)).unwrap();
    assert!(pool.try_submit(ok_task(2)).unwrap_err().is_full());
    assert_eq!(pool.stats().queued, 1);
    assert_eq!(pool.stats().queue_high_water, 1);
    pool.close();
    let err = pool.try_submit(ok_task(3)).unwrap_err();
    assert!(err.is_closed());
    assert_eq!(err.into_task().id, 3);
    pool.cancel();
    assert!(pool.try_submit(ok_task(4)).unwrap_err().is_cancelled());
    gate_tx.send(()).unwrap();
    pool.join();
    let results: Vec<_> = pool.results().iter().collect();
    assert_eq!(results.len(), 2);
    let queued = results.iter().find(|r| r.task_id == 1).unwrap();
    assert_eq!(queued.outcome, Outcome::Cancelled);
    assert_eq!(queued.started_us, None);
    assert_eq!(queued.worker_id, None);
    let stats = pool.stats();
    assert_eq!(stats.submitted, 2);
    assert_eq!(stats.completed(), 2);
}

#[test]
fn join_from_own_worker_panics_instead_of_deadlocking() {
    let spawner = ThreadSpawner::new();
    let pool = Arc::new(Pool::start(PoolConfig::default(), &spawner, clock()).unwrap());
    let inner = pool.clone();
    pool.submit(Task::new(0, move |_| {
        inner.join();
        Ok(String::new())
    }))
    .unwrap();
    pool.close();
    let result = pool.results().recv().unwrap();
    match result.outcome {
        Outcome::Panicked { message } => assert!(message.contains("wait for itself"), "{message}"),
        other => panic!("{other:?}"),
    }
    pool.join();
}

#[test]
fn pool_dropped_by_its_own_task_does_not_deadlock() {
    let spawner = ThreadSpawner::new();
    let pool = Arc::new(Pool::start(PoolConfig::default(), &spawner, clock()).unwrap());
    let results = pool.results();
    let (tx, rx) = crossbeam_channel::bounded::<Arc<Pool>>(1);
    pool.submit(Task::new(0, move |_| {
        let last = rx.recv().unwrap();
        drop(last); // the last reference: Pool::drop runs on a worker
        Ok(String::new())
    }))
    .unwrap();
    tx.send(pool).unwrap();
    assert!(results.recv().unwrap().outcome.is_success());
    // Every worker exits (cancelled by the drop): the channel disconnects.
    assert!(results.recv().is_err());
    spawner.wait_until_idle();
}

#[test]
fn errors_display_the_task() {
    let e = SubmitError::Closed(ok_task(7));
    assert_eq!(e.to_string(), "task 7 not submitted: the pool is closed");
    assert_eq!(format!("{e:?}"), "Closed(task 7)");
    let e: TaskError = crate::Interrupt::TimedOut.into();
    assert_eq!(e.to_string(), "interrupted: timed out");
}

#[test]
fn a_submitter_sees_close_and_cancel_like_submit_and_lets_the_queue_end() {
    let spawner = ThreadSpawner::new();
    let pool = Pool::start(PoolConfig::default(), &spawner, clock()).unwrap();
    let mut submitter = pool.submitter();
    for id in 0..20 {
        submitter.submit(ok_task(id)).unwrap();
    }
    pool.close();
    // Its handle kept the queue open, but a submit after close is refused
    // (and lets go of the handle): the workers drain the queue and leave.
    match submitter.submit(ok_task(20)) {
        Err(SubmitError::Closed(task)) => assert_eq!(task.id, 20),
        other => panic!("expected Closed after close, got {other:?}"),
    }
    pool.join();
    assert_eq!(pool.results().iter().count(), 20);
    assert_eq!(pool.stats().submitted, 20);
    drop(submitter);

    let pool = Pool::start(PoolConfig::default(), &spawner, clock()).unwrap();
    let mut submitter = pool.submitter();
    submitter.submit(ok_task(0)).unwrap();
    pool.cancel();
    assert!(matches!(
        submitter.submit(ok_task(1)),
        Err(SubmitError::Cancelled(_))
    ));
    pool.join();
    assert_eq!(pool.stats().completed(), 1);
}

#[test]
fn a_pool_closed_while_a_submitter_is_held_ends_once_it_is_dropped() {
    let spawner = ThreadSpawner::new();
    let pool = Pool::start(PoolConfig::default(), &spawner, clock()).unwrap();
    let mut submitter = pool.submitter();
    submitter.submit(ok_task(0)).unwrap();
    pool.close();
    // The queue cannot end while the handle could still send.
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(!pool.is_finished());
    drop(submitter);
    pool.join();
    assert_eq!(pool.stats().succeeded, 1);
}

/// Counts its readings.
struct CountingClock {
    inner: SystemClock,
    reads: std::sync::atomic::AtomicU64,
}

impl Clock for CountingClock {
    fn now_us(&self) -> f64 {
        self.reads.fetch_add(1, Ordering::Relaxed);
        self.inner.now_us()
    }
}

/// Holds the bodies it is given until `release`, which runs them on threads.
#[derive(Default)]
struct GateSpawner {
    held: Mutex<Vec<Box<dyn FnOnce() + Send + 'static>>>,
}

impl Spawner for GateSpawner {
    fn spawn(&self, f: Box<dyn FnOnce() + Send + 'static>) -> Result<(), crate::SpawnError> {
        lock(&self.held).push(f);
        Ok(())
    }
}

impl GateSpawner {
    fn release(&self) -> Vec<std::thread::JoinHandle<()>> {
        lock(&self.held).drain(..).map(std::thread::spawn).collect()
    }
}

#[test]
fn a_busy_worker_reads_the_clock_once_per_task() {
    const TASKS: u64 = 1_000;
    let counting = Arc::new(CountingClock {
        inner: SystemClock::new(),
        reads: Default::default(),
    });
    let spawner = GateSpawner::default();
    let config = PoolConfig {
        workers: 1,
        queue_capacity: TASKS as usize,
        ..PoolConfig::default()
    };
    let pool = Pool::start(config, &spawner, counting.clone()).unwrap();
    // Every task is queued before the worker starts: it never waits.
    for id in 0..TASKS {
        pool.try_submit(Task::new(id, |_| Ok(String::new())))
            .unwrap();
    }
    pool.close();
    let before = counting.reads.load(Ordering::Relaxed);
    for thread in spawner.release() {
        thread.join().unwrap();
    }
    let results: Vec<_> = pool.results().iter().collect();
    assert_eq!(results.len() as u64, TASKS);
    // The first task's start, then one reading per task (its end), and the
    // worker's own start-up reading.
    let worker_reads = counting.reads.load(Ordering::Relaxed) - before;
    assert!(
        worker_reads <= TASKS + 3,
        "{worker_reads} clock readings for {TASKS} tasks"
    );
    // Back to back: each task starts when the one before it ended.
    for pair in results.windows(2) {
        assert_eq!(
            pair[1].started_us,
            Some(pair[0].ended_us.max(pair[1].enqueued_us))
        );
    }
}

fn ids_of(results: &[TaskResult]) -> Vec<u64> {
    results.iter().map(|r| r.task_id).collect()
}

fn succeeded(result: &TaskResult) -> bool {
    matches!(result.outcome, Outcome::Succeeded { .. })
}

/// A pool of `workers` (queue capacity 100) whose threads wait at the gate.
fn gated_pool(workers: usize) -> (Pool, GateSpawner) {
    let spawner = GateSpawner::default();
    let config = PoolConfig {
        workers,
        queue_capacity: 100,
        ..PoolConfig::default()
    };
    let pool = Pool::start(config, &spawner, clock()).unwrap();
    (pool, spawner)
}

/// Tasks 0..10 as one batch into a gated pool of `workers`, task `trap`
/// trapping; the pool closed and its threads let go (the dying one parks
/// for ever, natively: not joined). The pool and its results, by id.
fn a_batch_that_traps_at(trap: u64, workers: usize) -> (Pool, Vec<TaskResult>) {
    let (pool, spawner) = gated_pool(workers);
    let tasks = (0..10)
        .map(|id| match id {
            _ if id == trap => Task::new(id, |_| crate::runtime::trap()),
            _ => ok_task(id),
        })
        .collect();
    assert_eq!(pool.submitter().submit_batch(tasks).0, 10);
    pool.close();
    drop(spawner.release());
    let mut results: Vec<_> = pool.results().iter().collect();
    results.sort_by_key(|r| r.task_id);
    (pool, results)
}

#[test]
fn a_batch_is_one_job_run_in_order_by_one_worker() {
    let (pool, spawner) = gated_pool(2);
    let mut submitter = pool.submitter();
    let (accepted, refused) = submitter.submit_batch((0..40).map(ok_task).collect());
    assert_eq!((accepted, refused.is_none()), (40, true));
    // Counted in tasks, though it is one job.
    assert_eq!(pool.stats().queued, 40);
    drop(submitter);
    pool.close();
    for thread in spawner.release() {
        thread.join().unwrap();
    }
    let results: Vec<_> = pool.results().iter().collect();
    assert_eq!(ids_of(&results), (0..40).collect::<Vec<_>>());
    assert!(results.iter().all(succeeded));
    let worker = results[0].worker_id;
    assert!(
        results.iter().all(|r| r.worker_id == worker),
        "one worker took it whole"
    );
    // One enqueue time, and back to back from it.
    assert!(results
        .iter()
        .all(|r| r.enqueued_us == results[0].enqueued_us));
    for pair in results.windows(2) {
        assert_eq!(pair[1].started_us, Some(pair[0].ended_us));
    }
    assert_eq!(pool.stats().queued, 0);
}

#[test]
fn a_batch_waits_for_room_and_never_overfills_the_queue() {
    const CAPACITY: usize = 8;
    let spawner = ThreadSpawner::new();
    let config = PoolConfig {
        workers: 2,
        queue_capacity: CAPACITY,
        ..PoolConfig::default()
    };
    let pool = Arc::new(Pool::start(config, &spawner, clock()).unwrap());
    // Each task, as it starts, counts the tasks accepted and not started:
    // at most the queue's capacity, and the rest of the batch each of the
    // two workers holds (3 at most besides the one starting).
    let accepted = Arc::new(AtomicUsize::new(0));
    let started = Arc::new(AtomicUsize::new(0));
    let most_waiting = Arc::new(AtomicUsize::new(0));
    let mut submitter = pool.submitter();
    for first in (0..2_000).step_by(4) {
        let tasks = (first..first + 4)
            .map(|id| {
                let (accepted, started) = (accepted.clone(), started.clone());
                let most_waiting = most_waiting.clone();
                Task::new(id, move |_| {
                    let started = started.fetch_add(1, Ordering::SeqCst) + 1;
                    let waiting = accepted.load(Ordering::SeqCst).saturating_sub(started);
                    most_waiting.fetch_max(waiting, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_micros(20));
                    Ok(String::new())
                })
            })
            .collect();
        // Counted before the send, so that a task never starts uncounted.
        accepted.fetch_add(4, Ordering::SeqCst);
        assert_eq!(submitter.submit_batch(tasks).0, 4);
    }
    drop(submitter);
    pool.close();
    let mut ids: Vec<u64> = pool.results().iter().map(|r| r.task_id).collect();
    ids.sort_unstable();
    assert_eq!(ids, (0..2_000).collect::<Vec<_>>());
    // The batch being accepted counts already (+4).
    let most_waiting = most_waiting.load(Ordering::SeqCst);
    assert!(
        most_waiting <= CAPACITY + 2 * 3 + 4,
        "{most_waiting} tasks waited at once"
    );
    let stats = pool.stats();
    assert!(stats.queue_high_water <= CAPACITY as u64);
    assert!(stats.submits_blocked > 0, "the queue filled up: {stats:?}");
    assert_eq!(
        stats.submits_blocked % 4,
        0,
        "a blocked batch counts its tasks"
    );
}

#[test]
fn a_worker_that_dies_mid_batch_hands_the_rest_back() {
    let (pool, results) = a_batch_that_traps_at(3, 2);
    assert_eq!(ids_of(&results), (0..10).collect::<Vec<_>>());
    for result in &results {
        match result.task_id {
            3 => assert!(
                matches!(&result.outcome, Outcome::Failed { error } if error.starts_with("thread died: ")),
                "{result:?}"
            ),
            _ => assert!(succeeded(result), "{result:?}"),
        }
    }
    // Tasks 4..10 ran on the other worker.
    let died = results[3].worker_id;
    assert!(results[4..].iter().all(|r| r.worker_id != died));
    // The requeued tasks left the count of waiting ones when they were taken.
    assert_eq!(pool.stats().queued, 0);
}

#[test]
fn the_rest_of_a_batch_fails_with_why_when_its_last_worker_dies() {
    let (pool, results) = a_batch_that_traps_at(0, 1);
    assert_eq!(ids_of(&results), (0..10).collect::<Vec<_>>());
    for result in &results[1..] {
        assert!(
            matches!(&result.outcome, Outcome::Failed { error }
                if error.contains("no worker of the pool is left") && error.contains("unreachable")),
            "{result:?}"
        );
        assert_eq!(result.fault, Some(Fault::ThreadDied));
    }
    assert!(pool.is_finished());
}

#[test]
fn a_batch_is_refused_like_a_task_once_closed_or_cancelled() {
    let spawner = GateSpawner::default();
    let pool = Pool::start(PoolConfig::default(), &spawner, clock()).unwrap();
    let mut submitter = pool.submitter();
    pool.close();
    let (accepted, refused) = submitter.submit_batch((0..5).map(ok_task).collect());
    assert_eq!(accepted, 0);
    assert!(matches!(refused, Some(SubmitError::Closed(task)) if task.id == 0));
    drop(submitter);

    let pool = Pool::start(PoolConfig::default(), &spawner, clock()).unwrap();
    pool.cancel();
    let (accepted, refused) = pool.submitter().submit_batch((0..5).map(ok_task).collect());
    assert_eq!(accepted, 0);
    assert!(matches!(refused, Some(SubmitError::Cancelled(task)) if task.id == 0));
    assert_eq!(pool.stats().submitted, 0);
    drop(spawner.release());
}

#[test]
fn a_rendezvous_queue_takes_a_batch_one_task_at_a_time() {
    let spawner = ThreadSpawner::new();
    let config = PoolConfig {
        workers: 2,
        queue_capacity: 0,
        ..PoolConfig::default()
    };
    let pool = Pool::start(config, &spawner, clock()).unwrap();
    let mut submitter = pool.submitter();
    assert_eq!(submitter.batch_size(), 1);
    assert_eq!(submitter.submit_batch((0..50).map(ok_task).collect()).0, 50);
    drop(submitter);
    pool.close();
    let results: Vec<_> = pool.results().iter().collect();
    let mut ids = ids_of(&results);
    ids.sort_unstable();
    assert_eq!(ids, (0..50).collect::<Vec<_>>());
    // One task per job: each has its own enqueue time.
    let mut enqueued: Vec<f64> = results.iter().map(|r| r.enqueued_us).collect();
    enqueued.dedup();
    assert_eq!(enqueued.len(), 50, "sent one at a time");
}
