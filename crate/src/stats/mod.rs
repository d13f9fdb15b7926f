#![doc = include_str!("README.md")]

mod histogram;

pub(crate) use histogram::{Histogram, ShardedHistogram};

use serde::Serialize;
use std::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering};
use ts_rs::TS;

use crate::sync::Semaphore;
use crate::task::context::ConnectionWaits;
use crate::task::{Outcome, OutcomeCounts};

/// p50/p95/p99/max of a duration, from a log-linear histogram (≈3 % error).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Percentiles {
    pub count: u64,
    pub p50_us: f64,
    pub p95_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
}

/// What a worker is doing. JavaScript sees `{ state: 'running', taskId: 7 }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "state",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum WorkerState {
    /// Spawned, its thread has not begun yet.
    Starting,
    /// Waiting for a task.
    Idle,
    Running {
        task_id: u64,
    },
    WaitingForConnection {
        task_id: u64,
    },
    Exited,
}

/// One worker thread of a pool (or of a rayon run).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkerSnapshot {
    pub id: usize,
    pub state: WorkerState,
    pub tasks_done: u64,
    /// Time spent running tasks (including waiting for a connection).
    pub busy_us: f64,
    /// Time spent waiting for a connection.
    pub connection_wait_us: f64,
}

/// A point-in-time view of a run's counters. Once the run is finished,
/// `completed() == submitted`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatsSnapshot {
    /// Tasks accepted (for spawn-per-task and rayon: all tasks of the run).
    pub submitted: u64,
    /// Waiting to start: in the queue, or in a batch a worker took
    /// (spawn-per-task: waiting for a thread).
    pub queued: u64,
    /// Running now.
    pub in_flight: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub timed_out: u64,
    pub cancelled: u64,
    pub panicked: u64,
    /// Deepest the queue has been (never above its capacity).
    pub queue_high_water: u64,
    /// Tasks whose submit found no room in the queue and waited (backpressure;
    /// a batch counts its tasks).
    pub submits_blocked: u64,
    /// Threads of this run spawned and not yet exited.
    pub live_threads: u64,
    /// Most threads of this run live at once.
    pub peak_threads: u64,
    /// Empty for spawn-per-task.
    pub workers: Vec<WorkerSnapshot>,
    /// From hand-over to start, for tasks that started.
    pub queue_wait: Percentiles,
    /// From start to end, for tasks that started.
    pub run_time: Percentiles,
    /// From a thread's spawn call to its first instruction (the cost of a
    /// thread start: ~55 µs natively, ~15-20 ms for a Web Worker).
    pub worker_startup: Percentiles,
    /// Connections held now (0 without connections).
    pub connections_in_use: u64,
    /// Most connections held at once.
    pub connections_peak: u64,
}

impl StatsSnapshot {
    /// Sum of the five outcomes.
    pub fn completed(&self) -> u64 {
        self.succeeded + self.failed + self.timed_out + self.cancelled + self.panicked
    }
}

const STARTING: u8 = 0;
const IDLE: u8 = 1;
const RUNNING: u8 = 2;
const WAITING: u8 = 3;
const EXITED: u8 = 4;

/// The live state of one worker, written only by (the task running on) that
/// worker, read by anyone. Cache-line aligned so workers do not share lines.
#[repr(align(128))]
#[derive(Debug, Default)]
pub(crate) struct WorkerSlot {
    state: AtomicU8,
    task_id: AtomicU64,
    tasks_done: AtomicU64,
    busy_us: AtomicU64,
    connection_wait_us: AtomicU64,
    /// Tasks of a batch this worker took and has not started yet (they
    /// count as queued: they wait to start).
    held: AtomicU64,
    /// Outcomes of the tasks this worker ran (summed by `snapshot`): workers
    /// never contend on a shared counter.
    outcomes: Outcomes,
}

/// The five outcome counters, by [`crate::task::OutcomeKind`].
#[derive(Debug, Default)]
struct Outcomes([AtomicU64; 5]);

/// `+= 1` by the counter's single writer.
fn bump(counter: &AtomicU64) {
    counter.store(counter.load(Ordering::Relaxed) + 1, Ordering::Release);
}

impl Outcomes {
    fn counter(&self, outcome: &Outcome) -> &AtomicU64 {
        &self.0[outcome.kind().index()]
    }

    fn add(&self, outcome: &Outcome) {
        self.counter(outcome).fetch_add(1, Ordering::AcqRel);
    }

    fn load(&self) -> OutcomeCounts {
        std::array::from_fn(|i| self.0[i].load(Ordering::Acquire))
    }
}

fn add_f64(cell: &AtomicU64, delta: f64) {
    let _ = cell.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| {
        Some((f64::from_bits(bits) + delta).to_bits())
    });
}

impl ConnectionWaits for WorkerSlot {
    fn waiting(&self, task_id: u64) {
        self.set(WAITING, task_id);
    }

    fn waited(&self, task_id: u64, wait_us: f64) {
        self.set(RUNNING, task_id);
        add_f64(&self.connection_wait_us, wait_us);
    }
}

impl WorkerSlot {
    fn set(&self, state: u8, task_id: u64) {
        self.task_id.store(task_id, Ordering::Relaxed);
        self.state.store(state, Ordering::Release);
    }

    pub(crate) fn set_starting(&self) {
        self.set(STARTING, 0);
    }

    pub(crate) fn set_idle(&self) {
        self.set(IDLE, 0);
    }

    pub(crate) fn set_running(&self, task_id: u64) {
        self.set(RUNNING, task_id);
    }

    pub(crate) fn set_exited(&self) {
        self.set(EXITED, 0);
    }

    /// Its worker holds `n` tasks of a batch it has not started (only the
    /// slot's own worker calls this).
    pub(crate) fn set_held(&self, n: usize) {
        self.held.store(n as u64, Ordering::Release);
    }

    /// Only the slot's own worker calls this (one task at a time): plain
    /// loads and stores, no locked read-modify-write.
    fn task_done(&self, run_us: f64, outcome: &Outcome) {
        bump(&self.tasks_done);
        let busy = f64::from_bits(self.busy_us.load(Ordering::Relaxed)) + run_us;
        self.busy_us.store(busy.to_bits(), Ordering::Relaxed);
        bump(self.outcomes.counter(outcome));
    }

    fn is_starting(&self) -> bool {
        self.state.load(Ordering::Acquire) == STARTING
    }

    fn is_busy(&self) -> bool {
        matches!(self.state.load(Ordering::Acquire), RUNNING | WAITING)
    }

    pub(crate) fn state(&self) -> WorkerState {
        let state = self.state.load(Ordering::Acquire);
        let task_id = self.task_id.load(Ordering::Relaxed);
        match state {
            STARTING => WorkerState::Starting,
            IDLE => WorkerState::Idle,
            RUNNING => WorkerState::Running { task_id },
            WAITING => WorkerState::WaitingForConnection { task_id },
            _ => WorkerState::Exited,
        }
    }

    fn snapshot(&self, id: usize) -> WorkerSnapshot {
        WorkerSnapshot {
            id,
            state: self.state(),
            tasks_done: self.tasks_done.load(Ordering::Relaxed),
            busy_us: f64::from_bits(self.busy_us.load(Ordering::Relaxed)),
            connection_wait_us: f64::from_bits(self.connection_wait_us.load(Ordering::Relaxed)),
        }
    }
}

/// The counters of one run, shared by its threads. Workers with a slot
/// (pool, rayon) count their tasks in it; threads without one
/// (spawn-per-task) and tasks that never started use the shared counters.
#[derive(Debug)]
pub(crate) struct LiveStats {
    submitted: AtomicU64,
    /// Outcomes of tasks ended outside any slot.
    outcomes: Outcomes,
    /// Tasks running outside any slot.
    in_flight: AtomicU64,
    queue_high_water: AtomicU64,
    submits_blocked: AtomicU64,
    live_threads: AtomicU64,
    peak_threads: AtomicU64,
    queue_wait: ShardedHistogram,
    run_time: ShardedHistogram,
    startup: Histogram,
    slots: Box<[WorkerSlot]>,
    /// Slots `0..slots_in_use` have had a worker: what snapshots show.
    slots_in_use: AtomicUsize,
}

impl LiveStats {
    /// Stats with `workers` per-worker slots (0 for spawn-per-task).
    pub(crate) fn new(workers: usize) -> LiveStats {
        LiveStats::with_capacity(workers, workers)
    }

    /// `workers` slots in use and room for up to `capacity` (a pool that
    /// can grow).
    pub(crate) fn with_capacity(workers: usize, capacity: usize) -> LiveStats {
        let shards = if workers == 0 {
            ShardedHistogram::MAX_SHARDS
        } else {
            workers
        };
        LiveStats {
            submitted: AtomicU64::new(0),
            outcomes: Outcomes::default(),
            in_flight: AtomicU64::new(0),
            queue_high_water: AtomicU64::new(0),
            submits_blocked: AtomicU64::new(0),
            live_threads: AtomicU64::new(0),
            peak_threads: AtomicU64::new(0),
            queue_wait: ShardedHistogram::new(shards),
            run_time: ShardedHistogram::new(shards),
            startup: Histogram::new(),
            slots: (0..capacity.max(workers))
                .map(|_| WorkerSlot::default())
                .collect(),
            slots_in_use: AtomicUsize::new(workers),
        }
    }

    pub(crate) fn slot(&self, worker: usize) -> Option<&WorkerSlot> {
        self.slots.get(worker)
    }

    /// A new worker takes slot `worker` (a fresh one, or one whose worker
    /// left): it shows as starting.
    pub(crate) fn use_slot(&self, worker: usize) -> Option<&WorkerSlot> {
        let slot = self.slots.get(worker)?;
        slot.set_starting();
        self.slots_in_use.fetch_max(worker + 1, Ordering::AcqRel);
        Some(slot)
    }

    fn used_slots(&self) -> &[WorkerSlot] {
        &self.slots[..self
            .slots_in_use
            .load(Ordering::Acquire)
            .min(self.slots.len())]
    }

    pub(crate) fn add_submitted(&self, n: u64) {
        self.submitted.fetch_add(n, Ordering::AcqRel);
    }

    pub(crate) fn sub_submitted(&self, n: u64) {
        self.submitted.fetch_sub(n, Ordering::AcqRel);
    }

    /// `tasks` submitted together found no room for them and will wait.
    pub(crate) fn submit_blocked(&self, tasks: u64) {
        self.submits_blocked.fetch_add(tasks, Ordering::Relaxed);
    }

    pub(crate) fn note_queue_depth(&self, depth: u64) {
        if depth > self.queue_high_water.load(Ordering::Relaxed) {
            self.queue_high_water.fetch_max(depth, Ordering::Relaxed);
        }
    }

    pub(crate) fn thread_spawned(&self) {
        let live = self.live_threads.fetch_add(1, Ordering::AcqRel) + 1;
        self.peak_threads.fetch_max(live, Ordering::AcqRel);
    }

    /// Count a thread live before asking for it (so a cap holds), without
    /// touching the peak: a refused spawn must not show as a peak thread.
    pub(crate) fn thread_reserved(&self) {
        self.live_threads.fetch_add(1, Ordering::AcqRel);
    }

    /// The reserved thread was accepted by the spawner.
    pub(crate) fn thread_accepted(&self) {
        let live = self.live_threads.load(Ordering::Acquire);
        self.peak_threads.fetch_max(live, Ordering::AcqRel);
    }

    pub(crate) fn thread_exited(&self) {
        self.live_threads.fetch_sub(1, Ordering::AcqRel);
    }

    pub(crate) fn live_threads(&self) -> u64 {
        self.live_threads.load(Ordering::Acquire)
    }

    pub(crate) fn thread_started(&self, spawned_us: f64, started_us: f64) {
        self.startup.record_us(started_us - spawned_us);
    }

    /// Workers whose slot says they have not begun yet.
    pub(crate) fn starting_slots(&self) -> usize {
        self.used_slots().iter().filter(|s| s.is_starting()).count()
    }

    /// Tasks running now.
    pub(crate) fn in_flight(&self) -> u64 {
        self.in_flight.load(Ordering::Acquire)
            + self.used_slots().iter().filter(|s| s.is_busy()).count() as u64
    }

    /// A task starts (a slot's own state says so; the caller sets it).
    pub(crate) fn task_started(&self, slot: Option<&WorkerSlot>) {
        if slot.is_none() {
            self.in_flight.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// A started task ended; `worker` picks the histogram shard.
    pub(crate) fn task_ended(
        &self,
        outcome: &Outcome,
        worker: usize,
        (enqueued_us, started_us, ended_us): (f64, f64, f64),
        slot: Option<&WorkerSlot>,
    ) {
        self.queue_wait.record_us(worker, started_us - enqueued_us);
        self.run_time.record_us(worker, ended_us - started_us);
        match slot {
            Some(slot) => slot.task_done(ended_us - started_us, outcome),
            None => {
                self.outcomes.add(outcome);
                self.in_flight.fetch_sub(1, Ordering::AcqRel);
            }
        }
    }

    /// A task that never started ended.
    pub(crate) fn record_outcome(&self, outcome: &Outcome) {
        self.outcomes.add(outcome);
    }

    /// By [`crate::task::OutcomeKind`], all threads.
    fn outcome_totals(&self) -> OutcomeCounts {
        let mut totals = self.outcomes.load();
        for slot in self.used_slots() {
            for (t, n) in totals.iter_mut().zip(slot.outcomes.load()) {
                *t += n;
            }
        }
        totals
    }

    /// Tasks the workers hold in batches and have not started.
    pub(crate) fn held_in_batches(&self) -> u64 {
        self.used_slots()
            .iter()
            .map(|slot| slot.held.load(Ordering::Acquire))
            .sum()
    }

    /// The mean run time of the tasks the workers with a slot ran so far;
    /// `None` before the first one ended.
    pub(crate) fn mean_run_us(&self) -> Option<f64> {
        let (mut done, mut busy) = (0, 0.0);
        for slot in self.used_slots() {
            done += slot.tasks_done.load(Ordering::Relaxed);
            busy += f64::from_bits(slot.busy_us.load(Ordering::Relaxed));
        }
        (done > 0).then(|| busy / done as f64)
    }

    /// Ended tasks (the five outcomes).
    pub(crate) fn completed(&self) -> u64 {
        self.outcome_totals().iter().sum()
    }

    pub(crate) fn snapshot(&self, queued: u64, connections: Option<&Semaphore>) -> StatsSnapshot {
        let load = |c: &AtomicU64| c.load(Ordering::Acquire);
        let [succeeded, failed, panicked, timed_out, cancelled] = self.outcome_totals();
        StatsSnapshot {
            submitted: load(&self.submitted),
            queued,
            in_flight: self.in_flight(),
            succeeded,
            failed,
            timed_out,
            cancelled,
            panicked,
            queue_high_water: load(&self.queue_high_water),
            submits_blocked: load(&self.submits_blocked),
            live_threads: load(&self.live_threads),
            peak_threads: load(&self.peak_threads),
            workers: self
                .used_slots()
                .iter()
                .enumerate()
                .map(|(id, s)| s.snapshot(id))
                .collect(),
            queue_wait: self.queue_wait.percentiles(),
            run_time: self.run_time.percentiles(),
            worker_startup: self.startup.percentiles(),
            connections_in_use: connections.map_or(0, |s| s.in_use() as u64),
            connections_peak: connections.map_or(0, |s| s.peak_in_use() as u64),
        }
    }
}

#[cfg(all(test, not(loom), not(target_arch = "wasm32")))]
mod tests;
