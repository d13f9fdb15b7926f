//! The tutorial's "common errors", reproduced on real threads: each
//! demonstration runs the mistake's setting through the Rust API and reports
//! what it observed, and why the Go symptom cannot happen (or is reported).
//!
//! Like [`super::run::Run`], a demonstration is driven by `poll()` from the
//! orchestrator's event loop and never blocks it.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::clock::WebClock;
use super::thread::{self, WebSpawner};
use crate::{Clock, Pool, PoolConfig, Spawner, SubmitError, Task, WorkerState};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    QueueNeverClosed,
    SendAfterClose,
    UnbufferedQueue,
    WaitGroupMisuse,
}

impl Kind {
    fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "queue-never-closed" => Kind::QueueNeverClosed,
            "send-after-close" => Kind::SendAfterClose,
            "unbuffered-queue" => Kind::UnbufferedQueue,
            "waitgroup-misuse" => Kind::WaitGroupMisuse,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Kind::QueueNeverClosed => "queue-never-closed",
            Kind::SendAfterClose => "send-after-close",
            Kind::UnbufferedQueue => "unbuffered-queue",
            Kind::WaitGroupMisuse => "waitgroup-misuse",
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub error: &'static str,
    pub title: &'static str,
    pub symptom: &'static str,
    pub detected: String,
    pub prevention: &'static str,
    pub observed: Observations,
}

/// One number, text or flag behind a report's `detected` sentence.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Observed {
    Number(f64),
    Text(String),
    Flag(bool),
}

/// The values behind `detected`, by name (a plain object in JavaScript).
pub type Observations = BTreeMap<&'static str, Observed>;

fn observed<const N: usize>(pairs: [(&'static str, Observed); N]) -> Observations {
    pairs.into_iter().collect()
}

const TASKS: u64 = 8;
const WORKERS: usize = 4;
/// How long idle workers must sit on an open queue before we call it a leak.
const LEAK_GRACE_US: f64 = 200_000.0;

fn quick_task(id: u64) -> Task {
    Task::new(id, |ctx| {
        ctx.sleep_ms(2.0)
            .map(|_| format!("done on worker {}", ctx.worker_id()))
            .map_err(Into::into)
    })
}

fn start_pool(workers: usize, queue_capacity: usize) -> Result<Arc<Pool>, JsValue> {
    let config = PoolConfig {
        workers,
        queue_capacity,
        ..PoolConfig::default()
    };
    let pool = Pool::start(config, &WebSpawner, Arc::new(WebClock::new())).map_err(|e| {
        JsValue::from(js_sys::Error::new(&format!(
            "could not start the pool: {e}"
        )))
    })?;
    // Whoever drops the last handle, on whatever thread: never join on the
    // orchestrator, whose event loop the workers need in order to start.
    pool.detach();
    Ok(Arc::new(pool))
}

/// Work a helper thread did for a demonstration (submitting, joining).
#[derive(Default)]
struct Helper {
    done: AtomicBool,
    blocked_us: AtomicU64,
    value: AtomicU64,
}

enum Stage {
    /// Waiting for results (and, for the leak, for the grace period).
    Running,
    /// The leak was seen; the pool was dropped; waiting for its threads to go.
    Dropped {
        idle_workers: u64,
        leaked_for_us: f64,
    },
}

/// One demonstration; JavaScript polls it until it yields a report.
#[wasm_bindgen]
pub struct Demonstration {
    kind: Kind,
    clock: WebClock,
    started_us: f64,
    // See web::run: a panic in an export ends the demonstration anyway.
    pool: AssertUnwindSafe<Option<Arc<Pool>>>,
    helper: Arc<Helper>,
    threads_before: usize,
    all_done_at_us: Option<f64>,
    stage: Stage,
    note: String,
}

#[wasm_bindgen]
impl Demonstration {
    /// Start the named demonstration ('queue-never-closed', 'send-after-close',
    /// 'unbuffered-queue', 'waitgroup-misuse').
    pub fn start(name: &str) -> Result<Demonstration, JsValue> {
        let kind = Kind::parse(name).ok_or_else(|| {
            let error = js_sys::Error::new(&format!(
                "unknown common error '{name}': choose queue-never-closed, send-after-close, unbuffered-queue or waitgroup-misuse"
            ));
            error.set_name("ConfigError");
            let _ = js_sys::Reflect::set(&error, &"field".into(), &"error".into());
            JsValue::from(error)
        })?;
        let clock = WebClock::new();
        let threads_before = thread::live_threads();
        let helper = Arc::new(Helper::default());
        let mut note = String::new();
        let pool = match kind {
            Kind::QueueNeverClosed => {
                let pool = start_pool(WORKERS, 16)?;
                for id in 0..TASKS {
                    pool.submit(quick_task(id)).expect("the queue has room");
                }
                // The mistake: no close(). The workers will wait for more work.
                pool
            }
            Kind::SendAfterClose => {
                let pool = start_pool(2, 16)?;
                for id in 0..3 {
                    pool.submit(quick_task(id)).expect("the queue has room");
                }
                pool.close();
                pool.close(); // a second close is harmless (Go: panic: close of closed channel)
                note = match pool.submit(quick_task(3)) {
                    Err(SubmitError::Closed(task)) => format!("Err(Closed) for task {}", task.id),
                    Err(other) => format!("an error, but not Closed: {other}"),
                    Ok(()) => "Ok (the task was accepted!)".into(),
                };
                pool
            }
            Kind::UnbufferedQueue => {
                let pool = start_pool(2, 0)?;
                spawn_helper(&helper, {
                    let pool = pool.clone();
                    move |helper| {
                        // Submit everything before reading any result: in Go
                        // with unbuffered jobs and results, this deadlocks.
                        for id in 0..20 {
                            let before = clock.now_us();
                            if pool.submit(quick_task(id)).is_err() {
                                break;
                            }
                            helper
                                .blocked_us
                                .fetch_add((clock.now_us() - before) as u64, Ordering::Relaxed);
                            helper.value.fetch_add(1, Ordering::Relaxed);
                        }
                        pool.close();
                    }
                })?;
                pool
            }
            Kind::WaitGroupMisuse => {
                let pool = start_pool(3, 16)?;
                for id in 0..6 {
                    pool.submit(quick_task(id)).expect("the queue has room");
                }
                pool.close();
                spawn_helper(&helper, {
                    let pool = pool.clone();
                    move |helper| {
                        // join() is the pool's own wait group: it returns only
                        // once every worker has exited.
                        pool.join();
                        let exited = pool
                            .stats()
                            .workers
                            .iter()
                            .filter(|w| matches!(w.state, WorkerState::Exited))
                            .count();
                        helper.value.store(exited as u64, Ordering::Release);
                    }
                })?;
                pool
            }
        };
        let started_us = clock.now_us();
        Ok(Demonstration {
            kind,
            clock,
            started_us,
            pool: AssertUnwindSafe(Some(pool)),
            helper,
            threads_before,
            all_done_at_us: None,
            stage: Stage::Running,
            note,
        })
    }

    /// Advance without blocking; the report once the demonstration is over, else undefined.
    pub fn poll(&mut self) -> Result<JsValue, JsError> {
        match self.step() {
            Some(report) => report
                .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
                .map_err(|e| JsError::new(&e.to_string())),
            None => Ok(JsValue::UNDEFINED),
        }
    }
}

fn spawn_helper(
    helper: &Arc<Helper>,
    body: impl FnOnce(&Helper) + Send + 'static,
) -> Result<(), JsValue> {
    struct Done(Arc<Helper>);
    impl Drop for Done {
        fn drop(&mut self) {
            self.0.done.store(true, Ordering::Release);
        }
    }
    let done = Done(helper.clone());
    WebSpawner
        .spawn(Box::new(move || {
            let done = done;
            body(&done.0);
        }))
        .map_err(|e| js_sys::Error::new(&format!("could not start a helper thread: {e}")).into())
}

impl Demonstration {
    fn completed(&self) -> u64 {
        self.pool
            .as_ref()
            .map_or(0, |pool| pool.stats().completed())
    }

    fn step(&mut self) -> Option<Report> {
        let now = self.clock.now_us();
        match self.kind {
            Kind::QueueNeverClosed => self.step_leak(now),
            Kind::SendAfterClose => {
                let pool = self.pool.as_ref()?;
                if !pool.is_finished() {
                    return None;
                }
                let completed = pool.stats().completed();
                Some(Report {
                    error: self.kind.name(),
                    title: "Send after close",
                    symptom: "In Go, sending on a closed channel panics (\"send on closed channel\"), and closing it twice panics too.",
                    detected: format!(
                        "close() was called twice without harm; the submit after close returned {}; the {completed} tasks submitted before close all completed.",
                        self.note
                    ),
                    prevention: "Pool::submit returns Err(SubmitError::Closed(task)) after close, handing the task back; close() is idempotent, like sync.Once.",
                    observed: observed([
                        ("submitAfterClose", Observed::Text(self.note.clone())),
                        ("completedBeforeClose", Observed::Number(completed as f64)),
                        ("secondCloseHarmless", Observed::Flag(true)),
                    ]),
                })
            }
            Kind::UnbufferedQueue => {
                let pool = self.pool.as_ref()?;
                if !(self.helper.done.load(Ordering::Acquire) && pool.is_finished()) {
                    return None;
                }
                let stats = pool.stats();
                let submitted = self.helper.value.load(Ordering::Acquire);
                let blocked_ms = self.helper.blocked_us.load(Ordering::Acquire) as f64 / 1000.0;
                Some(Report {
                    error: self.kind.name(),
                    title: "Unbuffered queue nobody reads",
                    symptom: "In Go, with unbuffered jobs and results channels, a main goroutine that sends every job before reading any result deadlocks: \"all goroutines are asleep\".",
                    detected: format!(
                        "A capacity-0 (rendezvous) queue took {submitted} tasks from a submitter that read no results; it spent {blocked_ms:.1} ms blocked handing tasks over (backpressure), the queue never held a task (high-water {}), and all {} results arrived.",
                        stats.queue_high_water,
                        stats.completed()
                    ),
                    prevention: "The results stream is unbounded and owned by the pool, so workers never block on delivering a result: a rendezvous queue gives backpressure, not deadlock.",
                    observed: observed([
                        ("submitted", Observed::Number(submitted as f64)),
                        ("completed", Observed::Number(stats.completed() as f64)),
                        ("submitterBlockedMs", Observed::Number(blocked_ms)),
                        ("queueHighWater", Observed::Number(stats.queue_high_water as f64)),
                    ]),
                })
            }
            Kind::WaitGroupMisuse => {
                if !self.helper.done.load(Ordering::Acquire) {
                    return None;
                }
                let pool = self.pool.as_ref()?;
                let exited = self.helper.value.load(Ordering::Acquire);
                let workers = pool.workers() as u64;
                let completed = pool.stats().completed();
                Some(Report {
                    error: self.kind.name(),
                    title: "WaitGroup misuse",
                    symptom: "In Go, wg.Add inside the goroutine lets Wait return before the work starts, and one Done too many panics with \"negative WaitGroup counter\".",
                    detected: format!(
                        "join() returned with {exited} of {workers} workers exited and {completed} of 6 tasks completed: it cannot return early."
                    ),
                    prevention: "There is no WaitGroup to misuse: the pool counts its own workers when it starts them, and join() (also run by Drop) waits for exactly those.",
                    observed: observed([
                        ("workers", Observed::Number(workers as f64)),
                        ("exitedWhenJoinReturned", Observed::Number(exited as f64)),
                        ("completed", Observed::Number(completed as f64)),
                    ]),
                })
            }
        }
    }

    fn step_leak(&mut self, now: f64) -> Option<Report> {
        match self.stage {
            Stage::Running => {
                if self.completed() < TASKS {
                    return None;
                }
                let all_done = *self.all_done_at_us.get_or_insert(now);
                if now - all_done < LEAK_GRACE_US {
                    return None;
                }
                let pool = self.pool.take()?;
                let idle = pool
                    .stats()
                    .workers
                    .iter()
                    .filter(|w| matches!(w.state, WorkerState::Idle))
                    .count() as u64;
                // The fix the Rust API makes automatic: dropping the pool
                // closes the queue (natively Drop also joins; here it is
                // detached, so the workers are watched leaving).
                drop(pool);
                self.stage = Stage::Dropped {
                    idle_workers: idle,
                    leaked_for_us: now - all_done,
                };
                None
            }
            Stage::Dropped {
                idle_workers,
                leaked_for_us,
            } => {
                let left = thread::live_threads().saturating_sub(self.threads_before);
                if left > 0 && now - self.started_us < 10_000_000.0 {
                    return None;
                }
                Some(Report {
                    error: self.kind.name(),
                    title: "A queue never closed",
                    symptom: "In Go, workers ranging over a jobs channel that is never closed wait forever: a goroutine leak that grows with every pool.",
                    detected: format!(
                        "All {TASKS} tasks finished, yet {idle_workers} of {WORKERS} workers were still alive and idle on the open queue {:.0} ms later: leaked. Dropping the pool closed the queue and they exited: {left} left.",
                        leaked_for_us / 1000.0
                    ),
                    prevention: "Drop for Pool cancels and joins, so a pool that goes out of scope without close() takes its threads with it.",
                    observed: observed([
                        ("tasks", Observed::Number(TASKS as f64)),
                        ("idleWorkersAfterWork", Observed::Number(idle_workers as f64)),
                        ("idleForMs", Observed::Number(leaked_for_us / 1000.0)),
                        ("threadsLeftAfterDrop", Observed::Number(left as f64)),
                    ]),
                })
            }
        }
    }
}
