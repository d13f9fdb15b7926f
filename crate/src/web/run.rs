//! One run of one strategy, driven from the orchestrator's event loop.
//!
//! The orchestrator worker calls [`Run::start`], then [`Run::poll`] on a timer
//! until it reports `finished`. Nothing here blocks: blocking work (submitting
//! into a full queue, rayon's `install`) happens on spawned threads, and
//! threads spawned from the orchestrator only start once `start`/`poll`
//! return to the event loop.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use crossbeam_channel::Receiver;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::clock::WebClock;
use super::thread::{self, WebSpawner};
use crate::runtime::fault::{self, FAILED_TO_START, THREAD_DIED};
use crate::{
    Clock, ConfigError, Outcome, Percentiles, Pool, RayonRun, RunConfig, SpawnPerTask, Spawner,
    StartError, StatsSnapshot, Strategy, Task, TaskResult,
};

/// The timeline keeps the first this many tasks of a run; counts stay exact.
pub const MAX_TIMELINE_EVENTS: usize = 50_000;
/// How the core words a task's failure when its thread was refused.
const SPAWN_REFUSED: &str = "spawn refused";
/// Numbers per timeline event in `Progress.events` (a flat Float64Array).
pub const EVENT_STRIDE: usize = 8;

/// A failure to start a run, as JavaScript sees it: `{ name, field?, message }`.
fn start_error(field: Option<&str>, message: String) -> JsValue {
    let error = js_sys::Error::new(&message);
    error.set_name(if field.is_some() {
        "ConfigError"
    } else {
        "RunError"
    });
    if let Some(field) = field {
        let _ = js_sys::Reflect::set(&error, &"field".into(), &field.into());
    }
    error.into()
}

fn config_error(error: ConfigError) -> JsValue {
    start_error(Some(error.field), error.to_string())
}

/// Refuse fields RunConfig does not have. serde-wasm-bindgen reads only the
/// fields it knows, so `deny_unknown_fields` never fires for JS objects; the
/// known names are those of a serialised default config.
fn check_fields(value: &JsValue) -> Result<(), JsValue> {
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(start_error(
            Some("config"),
            "config must be an object".into(),
        ));
    }
    let known = RunConfig::default()
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| start_error(None, e.to_string()))?;
    let known = js_sys::Object::keys(known.unchecked_ref::<js_sys::Object>());
    for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
        if !known.includes(&key, 0) {
            let names: Vec<String> = known.iter().filter_map(|k| k.as_string()).collect();
            let key = key.as_string().unwrap_or_default();
            return Err(start_error(
                Some("config"),
                format!("unknown field `{key}`; the fields are {}", names.join(", ")),
            ));
        }
    }
    Ok(())
}

/// Parse a config from JavaScript, naming the field on a type error.
fn parse_config(value: JsValue) -> Result<RunConfig, JsValue> {
    check_fields(&value)?;
    let deserializer = serde_wasm_bindgen::Deserializer::from(value);
    let config: RunConfig = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        // serde-wasm-bindgen's errors are JS errors: drop their "Error: " prefix.
        let inner = error.inner().to_string();
        let inner = inner.strip_prefix("Error: ").unwrap_or(&inner);
        let field = if path == "." {
            None
        } else {
            Some(path.as_str())
        };
        let message = match field {
            Some(field) => format!("{field}: {inner}"),
            None => format!("invalid config: {inner}"),
        };
        start_error(field.or(Some("config")), message)
    })?;
    Ok(config)
}

/// Progress of the pool strategy's feeder thread.
#[derive(Default)]
struct Feeder {
    submitted: AtomicU64,
    done: AtomicBool,
    /// Why the feeder stopped before submitting every task, unless cancelled:
    /// its thread never started, or the pool refused a task.
    stopped: std::sync::Mutex<Option<String>>,
}

/// Ends the feeder's part even if its thread never runs (a failed start
/// drops the closure): close the pool so its workers drain and exit.
struct FeederGuard {
    feeder: Arc<Feeder>,
    pool: Arc<Pool>,
    ran: bool,
}

impl Drop for FeederGuard {
    fn drop(&mut self) {
        if !self.ran {
            let why = format!("{} (the feeder thread)", fault::failed_to_start_message());
            *self
                .feeder
                .stopped
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = Some(why);
        }
        self.pool.close();
        self.feeder.done.store(true, Ordering::Release);
    }
}

enum Driver {
    Pool {
        pool: Arc<Pool>,
        feeder: Arc<Feeder>,
    },
    SpawnPerTask(Arc<SpawnPerTask>),
    Rayon(RayonRun),
}

impl Driver {
    fn stats(&self) -> StatsSnapshot {
        match self {
            Driver::Pool { pool, .. } => pool.stats(),
            Driver::SpawnPerTask(run) => run.stats(),
            Driver::Rayon(run) => run.stats(),
        }
    }

    fn results(&self) -> Receiver<TaskResult> {
        match self {
            Driver::Pool { pool, .. } => pool.results(),
            Driver::SpawnPerTask(run) => run.results(),
            Driver::Rayon(run) => run.results(),
        }
    }

    fn cancel(&self) {
        match self {
            Driver::Pool { pool, .. } => pool.cancel(),
            Driver::SpawnPerTask(run) => run.cancel(),
            Driver::Rayon(run) => run.cancel(),
        }
    }

    fn is_finished(&self) -> bool {
        match self {
            Driver::Pool { pool, feeder } => {
                feeder.done.load(Ordering::Acquire) && pool.is_finished()
            }
            Driver::SpawnPerTask(run) => run.is_finished(),
            Driver::Rayon(run) => run.is_finished(),
        }
    }
}

/// What the results said so far: exact counts, and the timeline's events.
#[derive(Default)]
struct Tally {
    by_outcome: [u64; 5],
    failed_ids: Vec<u64>,
    panicked_ids: Vec<u64>,
    spawn_refused: u64,
    spawn_refused_reason: Option<String>,
    thread_failures: u64,
    thread_failure_reason: Option<String>,
    per_worker: BTreeMap<usize, u64>,
    first_result_us: Option<f64>,
    first_start_us: Option<f64>,
    last_result_us: f64,
    seen: u64,
    timeline_kept: usize,
}

fn outcome_code(outcome: &Outcome) -> usize {
    match outcome {
        Outcome::Succeeded { .. } => 0,
        Outcome::Failed { .. } => 1,
        Outcome::Panicked { .. } => 2,
        Outcome::TimedOut => 3,
        Outcome::Cancelled => 4,
    }
}

impl Tally {
    fn add(&mut self, result: &TaskResult, origin_us: f64, events: &mut Vec<f64>) {
        let code = outcome_code(&result.outcome);
        self.by_outcome[code] += 1;
        self.seen += 1;
        if let Outcome::Failed { error } = &result.outcome {
            if error.starts_with(SPAWN_REFUSED) {
                self.spawn_refused += 1;
                self.spawn_refused_reason
                    .get_or_insert_with(|| error.clone());
            } else if error.starts_with(FAILED_TO_START) || error.starts_with(THREAD_DIED) {
                self.thread_failures += 1;
                self.thread_failure_reason
                    .get_or_insert_with(|| error.clone());
            }
        }
        match code {
            1 => self.failed_ids.push(result.task_id),
            2 => self.panicked_ids.push(result.task_id),
            _ => {}
        }
        if let (Some(worker), Some(_)) = (result.worker_id, result.started_us) {
            *self.per_worker.entry(worker).or_default() += 1;
        }
        if let Some(started) = result.started_us {
            let started = started - origin_us;
            self.first_start_us =
                Some(self.first_start_us.map_or(started, |t: f64| t.min(started)));
        }
        let ended = result.ended_us - origin_us;
        self.first_result_us.get_or_insert(ended);
        self.last_result_us = self.last_result_us.max(ended);
        if self.timeline_kept < MAX_TIMELINE_EVENTS {
            self.timeline_kept += 1;
            let rel = |t: Option<f64>| t.map_or(-1.0, |t| t - origin_us);
            let (wait_start, wait_end) = result
                .resource_wait
                .map_or((None, None), |(a, b)| (Some(a), Some(b)));
            events.extend_from_slice(&[
                result.task_id as f64,
                result.worker_id.map_or(-1.0, |w| w as f64),
                result.enqueued_us - origin_us,
                rel(result.started_us),
                ended,
                rel(wait_start),
                rel(wait_end),
                code as f64,
            ]);
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub strategy: Strategy,
    pub tasks: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub timed_out: u64,
    pub cancelled: u64,
    pub panicked: u64,
    /// Tasks the run never submitted because it was cancelled first
    /// (included in `cancelled`).
    pub never_submitted: u64,
    /// spawn-per-task: tasks that failed because the browser or the memory
    /// ceiling refused their thread (included in `failed`), and why.
    pub spawn_refused: u64,
    pub spawn_refused_reason: Option<String>,
    /// Tasks that failed because their thread failed to start (its Web
    /// Worker did not load or instantiate) or died (a trap) (included in
    /// `failed`), and the first such reason.
    pub thread_failures: u64,
    pub thread_failure_reason: Option<String>,
    pub elapsed_ms: f64,
    pub first_result_ms: Option<f64>,
    /// When the first task started and the last result was produced, ms
    /// since the run started: the busy window, free of polling delays.
    pub first_start_ms: Option<f64>,
    pub last_result_ms: Option<f64>,
    pub throughput_per_sec: f64,
    pub peak_threads: u64,
    /// Distinct threads that ran at least one task.
    pub threads_used: usize,
    pub failed_task_ids: Vec<u64>,
    pub panicked_task_ids: Vec<u64>,
    /// Tasks started per worker (pool: worker id; rayon: rayon thread index).
    pub per_worker_tasks: Vec<WorkerCount>,
    pub queue_wait: Percentiles,
    pub run_time: Percentiles,
    /// spawn-per-task: time from spawning a thread to its first instruction.
    pub worker_startup: Option<Percentiles>,
    pub memory_bytes: f64,
    pub timeline_events: usize,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct WorkerCount {
    pub worker: usize,
    pub tasks: u64,
}

/// A run of one strategy; JavaScript drives it with `poll()` until finished.
#[wasm_bindgen]
pub struct Run {
    config: RunConfig,
    clock: WebClock,
    origin_us: f64,
    // wasm-bindgen's exports catch panics (panic=unwind); a panic there
    // aborts the run anyway, so no broken invariant can be observed.
    driver: AssertUnwindSafe<Driver>,
    results: Receiver<TaskResult>,
    tally: Tally,
    finished_at_us: Option<f64>,
}

fn tasks_of(config: &RunConfig) -> Vec<Task> {
    config
        .workload()
        .specs()
        .map(|spec| spec.into_task())
        .collect()
}

fn start_driver(config: &RunConfig, clock: &WebClock) -> Result<Driver, JsValue> {
    let spawner = WebSpawner;
    let clock_arc: Arc<dyn Clock> = Arc::new(*clock);
    let start_failed = |error: StartError| match error {
        StartError::Config(error) => config_error(error),
        StartError::Spawn(error) => {
            start_error(None, format!("could not start the workers: {error}"))
        }
    };
    match config.strategy {
        Strategy::Pool => {
            let pool =
                Pool::start(config.pool_config(), &spawner, clock_arc).map_err(start_failed)?;
            // Dropping a pool joins its workers, and theirs start only once
            // this thread returns to its event loop: never join here.
            pool.detach();
            let pool = Arc::new(pool);
            let feeder = Arc::new(Feeder::default());
            let guard = FeederGuard {
                feeder: feeder.clone(),
                pool: pool.clone(),
                ran: false,
            };
            let specs = config.workload().specs();
            let body = move || {
                let mut guard = guard;
                guard.ran = true;
                for spec in specs {
                    match guard.pool.submit(spec.into_task()) {
                        Ok(()) => {}
                        // Cancelled: the rest is counted as never submitted.
                        Err(crate::SubmitError::Cancelled(_)) => break,
                        Err(refused) => {
                            let why = format!("the pool refused the task: {refused}");
                            *guard
                                .feeder
                                .stopped
                                .lock()
                                .unwrap_or_else(|p| p.into_inner()) = Some(why);
                            break;
                        }
                    }
                    guard.feeder.submitted.fetch_add(1, Ordering::Release);
                }
            };
            if let Err(error) = spawner.spawn(Box::new(body)) {
                // The pool is detached: dropping it cancels and does not wait.
                return Err(start_error(
                    None,
                    format!("could not start the feeder thread: {error}"),
                ));
            }
            Ok(Driver::Pool { pool, feeder })
        }
        Strategy::SpawnPerTask => {
            let run =
                SpawnPerTask::new(config.spawn_per_task_config(), tasks_of(config), clock_arc)
                    .map_err(config_error)?;
            Ok(Driver::SpawnPerTask(Arc::new(run)))
        }
        Strategy::Rayon => {
            let run = RayonRun::start(
                config.workers,
                tasks_of(config),
                config.timeout_ms,
                config.connections,
                &spawner,
                clock_arc,
            )
            .map_err(start_failed)?;
            Ok(Driver::Rayon(run))
        }
    }
}

#[wasm_bindgen]
impl Run {
    /// Validate `config` and start the run. Rejects with `{ name:
    /// 'ConfigError', field, message }` on a bad config; nothing runs then.
    pub fn start(config: JsValue) -> Result<Run, JsValue> {
        Run::start_with(parse_config(config)?)
    }

    /// Cancel: queued and unstarted tasks end cancelled, running tasks see
    /// their context cancelled. Idempotent.
    pub fn cancel(&self) {
        self.driver.cancel();
    }

    /// Advance the run without blocking and report progress:
    /// `{ elapsedMs, finished, stats, events: Float64Array }`.
    pub fn poll(&mut self) -> Result<JsValue, JsError> {
        let mut events = Vec::new();
        let finished = self.advance(&mut events);
        let now = self.clock.now_us();
        let progress = js_sys::Object::new();
        let set = |key: &str, value: &JsValue| {
            js_sys::Reflect::set(&progress, &key.into(), value).map(|_| ())
        };
        let stats = serde_wasm_bindgen::to_value(&self.driver.stats())
            .map_err(|e| JsError::new(&e.to_string()))?;
        set("elapsedMs", &((now - self.origin_us) / 1000.0).into()).map_err(js_error)?;
        set("finished", &JsValue::from_bool(finished)).map_err(js_error)?;
        set("stats", &stats).map_err(js_error)?;
        set("events", &js_sys::Float64Array::from(&events[..]).into()).map_err(js_error)?;
        Ok(progress.into())
    }

    /// The run's summary: final once `poll()` reported `finished`.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        let summary = self.build_summary();
        summary
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| JsError::new(&e.to_string()))
    }
}

fn js_error(value: JsValue) -> JsError {
    JsError::new(&thread::js_message(&value))
}

impl Run {
    /// Start a run from an already parsed config (Rust callers and tests).
    pub fn start_with(config: RunConfig) -> Result<Run, JsValue> {
        config.validate().map_err(config_error)?;
        check_web_limits(&config).map_err(config_error)?;
        let clock = WebClock::new();
        let origin_us = clock.now_us();
        let driver = start_driver(&config, &clock)?;
        let results = driver.results();
        Ok(Run {
            config,
            clock,
            origin_us,
            driver: AssertUnwindSafe(driver),
            results,
            tally: Tally::default(),
            finished_at_us: None,
        })
    }

    /// Advance without blocking: spawn what may be spawned, take the results
    /// that arrived (appending their timeline events), report whether the
    /// run has finished.
    pub fn advance(&mut self, events: &mut Vec<f64>) -> bool {
        if let Driver::SpawnPerTask(run) = &*self.driver {
            run.pump(&WebSpawner);
        }
        // Read "finished" before draining: results sent before the last
        // thread exited are then all in the channel.
        let driver_finished = self.driver.is_finished();
        while let Ok(result) = self.results.try_recv() {
            self.tally.add(&result, self.origin_us, events);
        }
        if driver_finished && self.finished_at_us.is_none() {
            self.finished_at_us = Some(self.clock.now_us());
        }
        self.finished_at_us.is_some()
    }

    pub fn build_summary(&self) -> Summary {
        let stats = self.driver.stats();
        let t = &self.tally;
        // The pool's feeder stops at cancel: those tasks count as cancelled.
        // If it stopped for another reason (its thread never started), they
        // failed, with that reason.
        let unsubmitted = match &*self.driver {
            Driver::Pool { feeder, .. } if self.finished_at_us.is_some() => {
                let submitted = feeder.submitted.load(Ordering::Acquire);
                let stopped = feeder
                    .stopped
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone();
                Unsubmitted {
                    first_id: submitted,
                    count: self.config.tasks - submitted,
                    failure: stopped,
                }
            }
            _ => Unsubmitted::default(),
        };
        let (never_submitted, unsubmitted_failed) = match unsubmitted.failure {
            None => (unsubmitted.count, 0),
            Some(_) => (0, unsubmitted.count),
        };
        let mut failed_ids = t.failed_ids.clone();
        failed_ids.extend(unsubmitted.first_id..unsubmitted.first_id + unsubmitted_failed);
        let (thread_failures, thread_failure_reason) = match &unsubmitted.failure {
            Some(why) if unsubmitted_failed > 0 => (
                t.thread_failures + unsubmitted_failed,
                t.thread_failure_reason
                    .clone()
                    .or_else(|| Some(why.clone())),
            ),
            _ => (t.thread_failures, t.thread_failure_reason.clone()),
        };
        let end = self.finished_at_us.unwrap_or_else(|| self.clock.now_us());
        let elapsed_ms = (end - self.origin_us) / 1000.0;
        let done = t.seen + unsubmitted.count;
        Summary {
            strategy: self.config.strategy,
            tasks: self.config.tasks,
            succeeded: t.by_outcome[0],
            failed: t.by_outcome[1] + unsubmitted_failed,
            panicked: t.by_outcome[2],
            timed_out: t.by_outcome[3],
            cancelled: t.by_outcome[4] + never_submitted,
            never_submitted,
            spawn_refused: t.spawn_refused,
            spawn_refused_reason: t.spawn_refused_reason.clone(),
            thread_failures,
            thread_failure_reason,
            elapsed_ms,
            first_result_ms: t.first_result_us.map(|us| us / 1000.0),
            first_start_ms: t.first_start_us.map(|us| us / 1000.0),
            last_result_ms: t.first_result_us.map(|_| t.last_result_us / 1000.0),
            throughput_per_sec: if elapsed_ms > 0.0 {
                done as f64 / (elapsed_ms / 1000.0)
            } else {
                0.0
            },
            peak_threads: stats.peak_threads,
            threads_used: t.per_worker.len(),
            failed_task_ids: sorted(&failed_ids),
            panicked_task_ids: sorted(&t.panicked_ids),
            per_worker_tasks: t
                .per_worker
                .iter()
                .map(|(&worker, &tasks)| WorkerCount { worker, tasks })
                .collect(),
            queue_wait: stats.queue_wait,
            run_time: stats.run_time,
            worker_startup: match &*self.driver {
                Driver::SpawnPerTask(run) => Some(run.startup_us()),
                _ => None,
            },
            memory_bytes: super::info::runtime_info().memory_bytes,
            timeline_events: t.timeline_kept,
        }
    }
}

/// Pool tasks the feeder never submitted: ids `first_id..first_id + count`.
#[derive(Default)]
struct Unsubmitted {
    first_id: u64,
    count: u64,
    /// Why, when not cancelled: they failed.
    failure: Option<String>,
}

/// Limits of this runtime that the portable config does not know.
fn check_web_limits(config: &RunConfig) -> Result<(), ConfigError> {
    match config.spawn_cap {
        Some(cap) if cap > thread::MAX_LIVE_THREADS => Err(ConfigError::new(
            "spawnCap",
            format!(
                "must be empty or between 1 and {max}: this runtime keeps at most {max} Web Workers alive (got {cap})",
                max = thread::MAX_LIVE_THREADS
            ),
        )),
        _ => Ok(()),
    }
}

fn sorted(ids: &[u64]) -> Vec<u64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids
}
