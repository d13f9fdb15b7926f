//! The Go worker-pool tutorial (shared/SEED.md), behaviour by behaviour, ported
//! to this pool — shaped like crossbeam-channel's `tests/golang.rs`: one module
//! per section of the tutorial, one named test per behaviour it shows, and one
//! per "common error", each shown impossible or reported as a value.
//!
//! Synchronisation in these tests is by handshakes (channels, barriers, the
//! pool's own `join`, `ThreadSpawner::wait_until_idle_for`), never by sleeping
//! and hoping. Sleeps inside tasks only make tasks last.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use crossbeam_channel::{bounded, Receiver, Sender};
use wasm_worker_pool::{
    Clock, Outcome, Pool, PoolConfig, Strategy, SubmitError, SystemClock, Task, TaskError,
    TaskLimits, TaskResult, ThreadSpawner, WorkerState, WorkloadConfig,
};

/// Generous bound for "this must happen": only reached when a test fails.
const PATIENCE: Duration = Duration::from_secs(20);

fn clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock::new())
}

fn pool(workers: usize, queue_capacity: usize, spawner: &ThreadSpawner) -> Pool {
    let config = PoolConfig {
        workers,
        queue_capacity,
        ..PoolConfig::default()
    };
    Pool::start(config, spawner, clock()).unwrap()
}

fn ok(id: u64) -> Task {
    Task::new(id, |_| Ok(String::new()))
}

/// A task that tells `started` it runs, then waits for `gate`.
fn gated(id: u64, started: Sender<u64>, gate: Receiver<()>) -> Task {
    Task::new(id, move |_| {
        started.send(id).unwrap();
        gate.recv().unwrap();
        Ok(format!("task {id} released"))
    })
}

fn ids(results: &[TaskResult]) -> Vec<u64> {
    let mut ids: Vec<u64> = results.iter().map(|r| r.task_id).collect();
    ids.sort_unstable();
    ids
}

/// Polls `cond` (a handshake on observable state, not a timed sleep),
/// failing the test after `PATIENCE`.
fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(start.elapsed() < PATIENCE, "timed out waiting for: {what}");
        thread::yield_now();
    }
}

/// "Implementation With Worker Pool": `numWorkers` goroutines ranging over
/// `jobs`, results collected until the channel closes.
mod with_worker_pool {
    use super::*;

    /// Controlled concurrency: never more than N tasks in flight, and N
    /// distinct workers (the first N tasks meet at a barrier, which they can
    /// only pass if N different workers hold them at once).
    #[test]
    fn fixed_workers_bound_concurrency() {
        const N: usize = 3;
        let spawner = ThreadSpawner::new();
        let pool = pool(N, 100, &spawner);
        let barrier = Arc::new(Barrier::new(N));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        for id in 0..60u64 {
            let (barrier, running, most) = (barrier.clone(), running.clone(), most.clone());
            pool.submit(Task::new(id, move |ctx| {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                if id < N as u64 {
                    barrier.wait();
                } else {
                    ctx.sleep_ms(0.2)?;
                }
                running.fetch_sub(1, Ordering::SeqCst);
                Ok(String::new())
            }))
            .unwrap();
        }
        pool.close();
        let results: Vec<TaskResult> = pool.results().iter().collect();
        assert_eq!(ids(&results), (0..60).collect::<Vec<_>>());
        assert!(most.load(Ordering::SeqCst) <= N);
        assert_eq!(most.load(Ordering::SeqCst), N);
        let first: HashSet<_> = results
            .iter()
            .filter(|r| r.task_id < N as u64)
            .map(|r| r.worker_id.unwrap())
            .collect();
        assert_eq!(
            first.len(),
            N,
            "the barrier tasks ran on N distinct workers"
        );
        let stats = pool.stats();
        assert_eq!(
            stats.peak_threads, N as u64,
            "only N threads were ever created"
        );
        assert_eq!(stats.workers.len(), N);
        pool.join();
        assert!(spawner.wait_until_idle_for(PATIENCE));
        assert_eq!(spawner.spawned(), N as u64);
    }

    /// `jobs := make(chan Job, 100)`: a buffered queue holds `capacity` tasks
    /// and then pushes back (`try_submit` says Full, `submit` blocks).
    #[test]
    fn buffered_queue_applies_backpressure() {
        let spawner = ThreadSpawner::new();
        let pool = Arc::new(pool(1, 2, &spawner));
        let (started_tx, started) = bounded(1);
        let (gate, gate_rx) = bounded(0);
        pool.submit(gated(0, started_tx, gate_rx)).unwrap();
        started.recv().unwrap();
        pool.submit(ok(1)).unwrap();
        pool.submit(ok(2)).unwrap();
        let full = pool.try_submit(ok(3)).unwrap_err();
        assert!(full.is_full());
        assert_eq!(pool.stats().queued, 2);
        // A blocking submit waits for room: it returns once the gate opens.
        let (returned_tx, returned) = bounded(1);
        let feeder = {
            let pool = pool.clone();
            thread::spawn(move || {
                pool.submit(full.into_task()).unwrap();
                returned_tx.send(()).unwrap();
            })
        };
        eventually("the feeder is counted as submitting", || {
            pool.stats().submitted == 4
        });
        assert!(
            returned.try_recv().is_err(),
            "submit returned while the queue was full"
        );
        gate.send(()).unwrap();
        returned.recv_timeout(PATIENCE).unwrap();
        feeder.join().unwrap();
        pool.close();
        pool.join();
        let results: Vec<_> = pool.results().iter().collect();
        assert_eq!(ids(&results), vec![0, 1, 2, 3]);
        assert_eq!(pool.stats().queue_high_water, 2);
    }

    /// `make(chan Job)` (capacity 0): a rendezvous. A task is only accepted
    /// when a worker takes it; the queue never holds anything.
    #[test]
    fn unbuffered_queue_is_a_rendezvous() {
        let spawner = ThreadSpawner::new();
        let pool = pool(1, 0, &spawner);
        let (started_tx, started) = bounded(1);
        let (gate, gate_rx) = bounded(0);
        // Blocks until the (only) worker has taken it.
        pool.submit(gated(0, started_tx, gate_rx)).unwrap();
        started.recv().unwrap();
        // The worker is busy: nobody is waiting on the other side.
        assert!(pool.try_submit(ok(1)).unwrap_err().is_full());
        gate.send(()).unwrap();
        for id in 1..20 {
            pool.submit(ok(id)).unwrap();
            assert_eq!(pool.stats().queued, 0);
        }
        pool.close();
        pool.join();
        assert_eq!(pool.results().iter().count(), 20);
        assert_eq!(pool.stats().queue_high_water, 0);
    }

    /// Results carry task id, worker id and timing, like the tutorial's
    /// `Result{JobID, Success, Message, Duration}`.
    #[test]
    fn results_carry_id_worker_and_times() {
        let spawner = ThreadSpawner::new();
        let pool = pool(2, 10, &spawner);
        for id in 0..10 {
            pool.submit(Task::new(id, move |ctx| {
                ctx.sleep_ms(1.0)?;
                Ok(format!("Processed by worker {}", ctx.worker_id()))
            }))
            .unwrap();
        }
        pool.close();
        for r in pool.results().iter() {
            let worker = r.worker_id.unwrap();
            assert!(worker < 2);
            let started = r.started_us.unwrap();
            assert!(r.enqueued_us <= started && started < r.ended_us);
            assert!(r.ended_us - started >= 1_000.0, "slept 1 ms");
            assert_eq!(
                r.outcome,
                Outcome::Succeeded {
                    output: format!("Processed by worker {worker}")
                }
            );
        }
    }
}

/// "Advanced Worker Pool with Context": `Close` with `sync.Once`, `Submit`
/// returning `ctx.Err()`, `Cancel`, timeouts, errors and `recover()`.
mod with_context {
    use super::*;

    /// Best practice 10: close only once. Here `close` is idempotent.
    #[test]
    fn close_once_second_close_is_harmless() {
        let spawner = ThreadSpawner::new();
        let pool = pool(2, 10, &spawner);
        for id in 0..5 {
            pool.submit(ok(id)).unwrap();
        }
        pool.close();
        pool.close();
        assert!(pool.is_closed());
        pool.join();
        pool.close();
        assert_eq!(pool.results().iter().count(), 5);
        assert_eq!(pool.stats().completed(), 5);
    }

    /// Go panics on a send to a closed channel; here it is an error value
    /// that hands the task back.
    #[test]
    fn submit_after_close_is_an_error_value() {
        let spawner = ThreadSpawner::new();
        let pool = pool(1, 1, &spawner);
        pool.close();
        match pool.submit(ok(7)) {
            Err(SubmitError::Closed(task)) => assert_eq!(task.id, 7),
            other => panic!("expected Closed, got {other:?}"),
        }
        assert!(pool.try_submit(ok(8)).unwrap_err().is_closed());
        pool.join();
        assert_eq!(pool.stats().submitted, 0);
    }

    /// `Cancel()`: the running task sees it, queued tasks end Cancelled
    /// without running, and a submitter blocked on the full queue gets its
    /// task back as `Cancelled` (Go: `Submit` returns `ctx.Err()`).
    #[test]
    fn cancel_ends_queued_tasks_and_releases_a_blocked_submitter() {
        let spawner = ThreadSpawner::new();
        let pool = Arc::new(pool(1, 3, &spawner));
        let (started_tx, started) = bounded(1);
        let (gate, gate_rx) = bounded::<()>(0);
        pool.submit(Task::new(0, move |ctx| {
            started_tx.send(0).unwrap();
            gate_rx.recv().unwrap();
            ctx.checkpoint()?; // sees the cancel
            Ok("finished".into())
        }))
        .unwrap();
        started.recv().unwrap();
        for id in 1..=3 {
            pool.submit(ok(id)).unwrap();
        }
        let feeder = {
            let pool = pool.clone();
            thread::spawn(move || pool.submit(ok(4)))
        };
        eventually("the feeder is submitting", || pool.stats().submitted == 5);
        pool.cancel();
        match feeder.join().unwrap() {
            Err(SubmitError::Cancelled(task)) => assert_eq!(task.id, 4),
            other => panic!("expected Cancelled, got {other:?}"),
        }
        assert!(pool.submit(ok(5)).unwrap_err().is_cancelled());
        gate.send(()).unwrap();
        pool.join();
        let results: Vec<_> = pool.results().iter().collect();
        assert_eq!(ids(&results), vec![0, 1, 2, 3]);
        for r in &results {
            assert_eq!(r.outcome, Outcome::Cancelled, "task {}", r.task_id);
            if r.task_id > 0 {
                assert_eq!(r.started_us, None, "queued task {} never ran", r.task_id);
            }
        }
        let stats = pool.stats();
        assert_eq!((stats.submitted, stats.cancelled), (4, 4));
    }

    /// `context.WithTimeout` per task: a cooperative task is interrupted at
    /// its deadline; a task that ignores the context and returns late has its
    /// result discarded as TimedOut; a fast task succeeds.
    #[test]
    fn per_task_timeout() {
        let spawner = ThreadSpawner::new();
        let config = PoolConfig {
            workers: 3,
            queue_capacity: 10,
            limits: TaskLimits {
                timeout_ms: Some(30.0),
                connections: None,
            },
            replace_dead_workers: false,
        };
        let pool = Pool::start(config, &spawner, clock()).unwrap();
        pool.submit(Task::new(0, |ctx| {
            ctx.sleep_ms(10_000.0)?;
            Ok("overslept".into())
        }))
        .unwrap();
        pool.submit(Task::new(1, |_| {
            thread::sleep(Duration::from_millis(60)); // never checks
            Ok("late".into())
        }))
        .unwrap();
        pool.submit(Task::new(2, |_| Ok("quick".into()))).unwrap();
        pool.close();
        let mut results: Vec<_> = pool.results().iter().collect();
        results.sort_by_key(|r| r.task_id);
        assert_eq!(results[0].outcome, Outcome::TimedOut);
        let took = results[0].ended_us - results[0].started_us.unwrap();
        assert!(
            (30_000.0..5_000_000.0).contains(&took),
            "interrupted after {took} µs"
        );
        assert_eq!(results[1].outcome, Outcome::TimedOut);
        assert_eq!(
            results[2].outcome,
            Outcome::Succeeded {
                output: "quick".into()
            }
        );
        assert_eq!(pool.stats().timed_out, 2);
    }

    /// "Simulate occasional errors (10% failure rate)": an error is a result,
    /// and the seeded workload fails exactly the ids its spec says.
    #[test]
    fn failures_are_results() {
        let spawner = ThreadSpawner::new();
        let pool = pool(3, 10, &spawner);
        let workload = WorkloadConfig {
            tasks: 100,
            kind: wasm_worker_pool::TaskKind::Noop,
            failure_rate: 0.1,
            ..WorkloadConfig::default()
        };
        for task in workload.tasks() {
            pool.submit(task).unwrap();
        }
        pool.submit(Task::new(100, |_| {
            Err(TaskError::failed("random processing error"))
        }))
        .unwrap();
        pool.close();
        let mut failed: Vec<u64> = pool
            .results()
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Failed { .. }))
            .map(|r| r.task_id)
            .collect();
        failed.sort_unstable();
        let mut expected: Vec<u64> = workload.specs().filter(|s| s.fails).map(|s| s.id).collect();
        expected.push(100);
        assert_eq!(failed, expected);
        assert!(expected.len() > 1);
        assert_eq!(pool.stats().failed, expected.len() as u64);
    }

    /// Best practice 7, `recover()` in workers: a panic is an outcome, and the
    /// worker that caught it goes on to run the next task (one worker, no
    /// thread was replaced).
    #[test]
    fn panic_is_recovered_and_the_worker_runs_the_next_task() {
        let spawner = ThreadSpawner::new();
        let pool = pool(1, 10, &spawner);
        pool.submit(Task::new(0, |_| panic!("worker blew up")))
            .unwrap();
        pool.submit(Task::new(1, |_| std::panic::panic_any(42u32)))
            .unwrap();
        pool.submit(Task::new(2, |ctx| {
            Ok(format!("worker {}", ctx.worker_id()))
        }))
        .unwrap();
        pool.close();
        let mut results: Vec<_> = pool.results().iter().collect();
        results.sort_by_key(|r| r.task_id);
        assert_eq!(
            results[0].outcome,
            Outcome::Panicked {
                message: "worker blew up".into()
            }
        );
        assert_eq!(
            results[1].outcome,
            Outcome::Panicked {
                message: "non-string panic payload".into()
            }
        );
        assert!(results[2].outcome.is_success());
        assert!(results.iter().all(|r| r.worker_id == Some(0)));
        let stats = pool.stats();
        assert_eq!((stats.panicked, stats.succeeded), (2, 1));
        assert_eq!(stats.workers[0].tasks_done, 3);
        assert_eq!(stats.peak_threads, 1);
        assert_eq!(spawner.spawned(), 1);
    }
}

/// "Real-World Example: Database Operations": 10 workers share 3 connections.
mod database {
    use super::*;

    #[test]
    fn ten_workers_share_three_connections() {
        let spawner = ThreadSpawner::new();
        let config = PoolConfig {
            workers: 10,
            queue_capacity: 50,
            limits: TaskLimits {
                timeout_ms: None,
                connections: Some(3),
            },
            replace_dead_workers: false,
        };
        let pool = Pool::start(config, &spawner, clock()).unwrap();
        let holding = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let started = Arc::new(AtomicUsize::new(0));
        let barrier = Arc::new(Barrier::new(3));
        for id in 0..20u64 {
            let (holding, most, barrier) = (holding.clone(), most.clone(), barrier.clone());
            let started = started.clone();
            pool.submit(Task::new(id, move |ctx| {
                started.fetch_add(1, Ordering::SeqCst);
                let _conn = ctx.acquire_connection()?;
                let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                if id < 3 {
                    // The first three meet holding all three connections,
                    // and hold them until a fourth task is waiting.
                    barrier.wait();
                    while started.load(Ordering::SeqCst) < 4 {
                        thread::yield_now();
                    }
                }
                ctx.sleep_ms(2.0)?; // the query
                holding.fetch_sub(1, Ordering::SeqCst);
                Ok(format!("query {id}"))
            }))
            .unwrap();
        }
        pool.close();
        let results: Vec<_> = pool.results().iter().collect();
        assert_eq!(ids(&results), (0..20).collect::<Vec<_>>());
        assert!(results.iter().all(|r| r.outcome.is_success()));
        assert_eq!(
            most.load(Ordering::SeqCst),
            3,
            "never more than 3 hold a connection"
        );
        for r in &results {
            let (start, end) = r.connection_wait.expect("wait recorded");
            assert!(r.started_us.unwrap() <= start && start <= end && end <= r.ended_us);
        }
        let longest_wait = results
            .iter()
            .map(|r| r.connection_wait.map_or(0.0, |(s, e)| e - s))
            .fold(0.0, f64::max);
        assert!(
            longest_wait >= 1_000.0,
            "someone waited for a connection ({longest_wait} µs)"
        );
        let stats = pool.stats();
        assert_eq!(stats.connections_peak, 3);
        assert_eq!(stats.connections_in_use, 0);
        let waited: f64 = stats.workers.iter().map(|w| w.connection_wait_us).sum();
        assert!(waited >= longest_wait);
    }
}

/// Best practices 11 and 15: monitoring, queue depth.
mod monitoring {
    use super::*;

    #[test]
    fn stats_show_queue_depth_high_water_and_worker_states() {
        let spawner = ThreadSpawner::new();
        let pool = pool(1, 5, &spawner);
        let (started_tx, started) = bounded(1);
        let (gate, gate_rx) = bounded(0);
        pool.submit(gated(0, started_tx, gate_rx)).unwrap();
        started.recv().unwrap();
        for id in 1..=5 {
            pool.submit(ok(id)).unwrap();
        }
        let stats = pool.stats();
        assert_eq!((stats.submitted, stats.queued, stats.in_flight), (6, 5, 1));
        assert_eq!(stats.queue_high_water, 5);
        assert_eq!(stats.workers[0].state, WorkerState::Running { task_id: 0 });
        assert_eq!(stats.live_threads, 1);
        gate.send(()).unwrap();
        pool.close();
        pool.join();
        let stats = pool.stats();
        assert_eq!((stats.queued, stats.in_flight), (0, 0));
        assert_eq!(stats.completed(), stats.submitted);
        assert_eq!(stats.queue_high_water, 5);
        assert_eq!(stats.run_time.count, 6);
        assert_eq!(stats.queue_wait.count, 6);
        assert_eq!(stats.worker_startup.count, 1);
        assert_eq!(stats.workers[0].state, WorkerState::Exited);
        assert_eq!(stats.live_threads, 0);
    }
}

/// "Common Errors and Warnings", each impossible or reported.
mod common_errors {
    use super::*;

    /// Error 1, not closing channels (goroutine leak): a pool that is never
    /// closed stops its threads when dropped.
    #[test]
    fn pool_never_closed_does_not_leak_after_drop() {
        let spawner = ThreadSpawner::new();
        let pool = pool(4, 10, &spawner);
        for id in 0..10 {
            pool.submit(Task::new(id, |ctx| {
                ctx.sleep_ms(1.0)?;
                Ok(String::new())
            }))
            .unwrap();
        }
        let results = pool.results();
        drop(pool); // no close
        assert!(
            spawner.wait_until_idle_for(PATIENCE),
            "worker threads leaked"
        );
        assert_eq!(spawner.live_threads(), 0);
        assert_eq!(
            results.iter().count(),
            10,
            "every queued task still has a result"
        );
    }

    /// Error 2, sending on a closed channel (a race between senders and the
    /// closer): several feeders race with `close`; every submit is either
    /// accepted or refused as a value, and exactly the accepted ones run.
    #[test]
    fn send_after_close_returns_an_error() {
        let spawner = ThreadSpawner::new();
        let pool = Arc::new(pool(2, 4, &spawner));
        let accepted = Arc::new(AtomicUsize::new(0));
        let feeders: Vec<_> = (0..4u64)
            .map(|f| {
                let (pool, accepted) = (pool.clone(), accepted.clone());
                thread::spawn(move || {
                    // Until refused: every feeder meets the close.
                    for i in 0.. {
                        match pool.submit(ok(f * 1_000_000 + i)) {
                            Ok(()) => accepted.fetch_add(1, Ordering::SeqCst),
                            Err(e) => {
                                assert!(e.is_closed(), "{e}");
                                assert_eq!(e.into_task().id, f * 1_000_000 + i);
                                break;
                            }
                        };
                    }
                })
            })
            .collect();
        eventually("some tasks were accepted", || pool.stats().submitted >= 50);
        pool.close();
        for f in feeders {
            f.join().unwrap();
        }
        pool.join();
        let n = accepted.load(Ordering::SeqCst);
        assert_eq!(pool.results().iter().count(), n);
        assert_eq!(pool.stats().submitted, n as u64);
    }

    /// Error 3, deadlock from unbuffered channels: with a rendezvous queue and
    /// nobody reading results while submitting, the pool still finishes — the
    /// results channel is unbounded, so a worker never blocks on it.
    #[test]
    fn rendezvous_queue_with_unread_results_does_not_deadlock() {
        let spawner = ThreadSpawner::new();
        let pool = pool(4, 0, &spawner);
        for id in 0..500 {
            pool.submit(ok(id)).unwrap();
        }
        pool.close();
        pool.join();
        assert_eq!(pool.results().iter().count(), 500);
    }

    /// Error 3 again, with a separate reader (the tutorial's fix) on a
    /// rendezvous queue.
    #[test]
    fn rendezvous_queue_with_a_concurrent_reader() {
        let spawner = ThreadSpawner::new();
        let pool = pool(2, 0, &spawner);
        let results = pool.results();
        let reader = thread::spawn(move || results.iter().count());
        for id in 0..300 {
            pool.submit(ok(id)).unwrap();
        }
        pool.close();
        assert_eq!(reader.join().unwrap(), 300);
    }

    /// Error 4, misusing `sync.WaitGroup` (Add inside the goroutine, passing
    /// it by value, forgetting Done on an early return): this cannot be
    /// expressed. The pool owns its wait group — a latch whose count is fixed
    /// at `start` to the number of workers, counted down by each worker's
    /// `Drop` (the `defer wg.Done()`), whatever way the worker leaves — and
    /// the API only offers `join`/`is_finished`: there is no `Add`, no `Done`
    /// and nothing to copy. A task that returns early, errs or panics does not
    /// touch it. Here: a joiner waiting *before* close, and early-returning
    /// and panicking tasks; join returns once the queue is drained.
    #[test]
    fn waitgroup_misuse_cannot_be_expressed() {
        let spawner = ThreadSpawner::new();
        let pool = Arc::new(pool(3, 10, &spawner));
        let joiner = {
            let pool = pool.clone();
            thread::spawn(move || {
                pool.join();
                pool.stats().completed()
            })
        };
        for id in 0..3 {
            pool.submit(Task::new(id, move |_| {
                if id == 1 {
                    return Err(TaskError::failed("early return"));
                }
                if id == 2 {
                    panic!("no Done called");
                }
                Ok(String::new())
            }))
            .unwrap();
        }
        assert!(
            !pool.is_finished(),
            "not closed yet: workers wait for more tasks"
        );
        pool.close();
        assert_eq!(joiner.join().unwrap(), 3);
        assert!(pool.is_finished());
    }
}
