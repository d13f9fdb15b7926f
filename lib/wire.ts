// Generated from the Rust types by crate/tests/wire_types.rs: do not edit.
// Regenerate with `npm run wire`; `npm test` fails while this file is stale.

/**
 * Which way the tasks are run. JavaScript sees `'pool' | 'spawn-per-task' | 'rayon'`.
 */
export type StrategyKind = "pool" | "spawn-per-task" | "rayon";

/**
 * What the tasks do. JavaScript sees `'cpu' | 'sleep' | 'noop'`.
 */
export type TaskKind = "cpu" | "sleep" | "noop";

/**
 * Everything the web layer receives from JavaScript, in one validated struct.
 * Missing fields take their defaults; unknown fields are refused.
 */
export type RunConfig = { strategy: StrategyKind,
/**
 * Workers of the pool, threads of rayon: 1..=256.
 */
workers: number,
/**
 * 1..=1_000_000.
 */
tasks: number,
/**
 * Finite, 0..=1.
 */
failureRate: number,
/**
 * 0..=1_000_000 (0 = rendezvous).
 */
queueCapacity: number, kind: TaskKind,
/**
 * `[min, max]` in ms, 0 <= min <= max <= 60_000.
 */
sleepMs: [number, number],
/**
 * `[min, max]`, min <= max <= 10_000_000_000.
 */
cpuIterations: [number, number],
/**
 * Per-task deadline: `None`, or finite, > 0 and <= 3_600_000 ms.
 */
timeoutMs: number | null,
/**
 * Size of the limited resource: `None`, or 1..=256. When set, every task
 * holds a connection while it works.
 */
connections: number | null,
/**
 * Finite, 0..=1.
 */
panicRate: number,
/**
 * Finite, 0..=1: tasks that kill their thread without unwinding (a
 * WebAssembly trap), to watch how each strategy copes.
 */
trapRate: number,
/**
 * <= 2^53 - 1, so that JavaScript numbers carry it exactly.
 */
seed: number,
/**
 * Spawn-per-task only: most live threads at once (`None` = unbounded,
 * else 1..=100_000).
 */
spawnCap: number | null,
/**
 * How tasks arrive: `None`, every task at once (the tutorial's batch);
 * else open arrivals at this many tasks per second, Poisson (exponential
 * gaps, seeded by `seed`): finite, > 0 and <= 1_000_000. Pool only.
 */
arrivalRate: number | null, };

/**
 * The five outcomes, in the one order everything counts them in: stats,
 * the session's tally, the timeline's outcome codes and JavaScript's
 * `OUTCOMES`.
 */
export type OutcomeKind = "succeeded" | "failed" | "panicked" | "timedOut" | "cancelled";

/**
 * p50/p95/p99/max of a duration, from a log-linear histogram (≈3 % error).
 */
export type Percentiles = { count: number, p50Us: number, p95Us: number, p99Us: number, maxUs: number, };

/**
 * What a worker is doing. JavaScript sees `{ state: 'running', taskId: 7 }`.
 */
export type WorkerState = { "state": "starting" } | { "state": "idle" } | { "state": "running", taskId: number, } | { "state": "waitingForConnection", taskId: number, } | { "state": "exited" };

/**
 * One worker thread of a pool (or of a rayon run).
 */
export type WorkerSnapshot = { id: number, state: WorkerState, tasksDone: number,
/**
 * Time spent running tasks (including waiting for a connection).
 */
busyUs: number,
/**
 * Time spent waiting for a connection.
 */
connectionWaitUs: number, };

/**
 * A point-in-time view of a run's counters. Once the run is finished,
 * `completed() == submitted`.
 */
export type StatsSnapshot = {
/**
 * Tasks accepted (for spawn-per-task and rayon: all tasks of the run).
 */
submitted: number,
/**
 * Waiting to start: in the queue, or in a batch a worker took
 * (spawn-per-task: waiting for a thread).
 */
queued: number,
/**
 * Running now.
 */
inFlight: number, succeeded: number, failed: number, timedOut: number, cancelled: number, panicked: number,
/**
 * Deepest the queue has been (never above its capacity).
 */
queueHighWater: number,
/**
 * Tasks whose submit found no room in the queue and waited (backpressure;
 * a batch counts its tasks).
 */
submitsBlocked: number,
/**
 * Threads of this run spawned and not yet exited.
 */
liveThreads: number,
/**
 * Most threads of this run live at once.
 */
peakThreads: number,
/**
 * Empty for spawn-per-task.
 */
workers: Array<WorkerSnapshot>,
/**
 * From hand-over to start, for tasks that started.
 */
queueWait: Percentiles,
/**
 * From start to end, for tasks that started.
 */
runTime: Percentiles,
/**
 * From a thread's spawn call to its first instruction (the cost of a
 * thread start: ~55 µs natively, ~15-20 ms for a Web Worker).
 */
workerStartup: Percentiles,
/**
 * Connections held now (0 without connections).
 */
connectionsInUse: number,
/**
 * Most connections held at once.
 */
connectionsPeak: number, };

export type WorkerCount = { worker: number, tasks: number, };

export type RunSummary = { strategy: StrategyKind, tasks: number, succeeded: number, failed: number, timedOut: number, cancelled: number, panicked: number,
/**
 * Tasks the run never submitted because it was cancelled first
 * (included in `cancelled`).
 */
neverSubmitted: number,
/**
 * spawn-per-task: tasks that failed because the browser or the
 * live-thread limit refused their thread (included in `failed`), and why.
 */
spawnRefused: number, spawnRefusedReason: string | null,
/**
 * Tasks that failed because their thread failed to start (its Web
 * Worker did not load or instantiate) or died (a trap) (included in
 * `failed`), and the first such reason.
 */
threadFailures: number, threadFailureReason: string | null, elapsedMs: number, firstResultMs: number | null,
/**
 * When the first task started and the last result was produced, ms
 * since the run started: the busy window, free of polling delays.
 */
firstStartMs: number | null, lastResultMs: number | null,
/**
 * Tasks ended per second of the run.
 */
throughputPerSec: number, peakThreads: number,
/**
 * Deepest the queue has been (the pool; 0 otherwise).
 */
queueHighWater: number,
/**
 * Submits that found the queue full and waited (the pool; 0 otherwise).
 */
submitsBlocked: number,
/**
 * Distinct threads that ran at least one task.
 */
threadsUsed: number, failedTaskIds: Array<number>, panickedTaskIds: Array<number>,
/**
 * Tasks started per worker (pool: worker id; rayon: rayon thread index).
 */
perWorkerTasks: Array<WorkerCount>, queueWait: Percentiles, runTime: Percentiles,
/**
 * spawn-per-task: time from spawning a thread to its first instruction.
 */
workerStartup: Percentiles | null,
/**
 * The runtime's memory at the end (set by a runtime that has one to
 * report; 0 natively).
 */
memoryBytes: number,
/**
 * Tasks the timeline (and the page's exports) kept: 0 when the run kept
 * none (JavaScript: `run()` was given no `onProgress` to send them to).
 */
timelineEvents: number,
/**
 * The timeline keeps the tasks whose id is a multiple of this, a uniform
 * sample across the whole run (1: every task).
 */
timelineEvery: number,
/**
 * The caller cancelled the run (JavaScript: through its AbortSignal).
 */
aborted: boolean, };

export type RuntimeInfo = { version: string,
/**
 * `memory.buffer instanceof SharedArrayBuffer`: false means a build
 * without shared memory, where no thread could share anything.
 */
sharedMemory: boolean, crossOriginIsolated: boolean, hardwareConcurrency: number, memoryBytes: number, maxMemoryBytes: number, liveThreads: number, peakThreads: number, maxLiveThreads: number, threadStackBytes: number,
/**
 * Web Workers started from this thread and not yet closed.
 */
liveWorkers: number,
/**
 * Threads parked between runs, waiting for the next pool or rayon run.
 */
warmThreads: number,
/**
 * Threads this runtime has started, ever (warm threads are reused, not
 * started again).
 */
threadsSpawned: number, };

/**
 * One of the tutorial's common errors. JavaScript names them
 * `'queue-never-closed' | 'send-after-close' | 'unbuffered-queue' | 'waitgroup-misuse'`.
 */
export type CommonError = "queue-never-closed" | "send-after-close" | "unbuffered-queue" | "waitgroup-misuse";

/**
 * One number, text or flag behind a verdict.
 */
export type Observed = number | string | boolean;

/**
 * What one variant of a demonstration (the mistake or the fix) did.
 */
export type VariantReport = {
/**
 * The tutorial's failure (a leak, a panic, a deadlock, an early return or a
 * hang) was observed in this variant.
 */
happened: boolean,
/**
 * The sentence written from `observed`.
 */
verdict: string, observed: { [key in string]: Observed }, };

/**
 * A demonstration's report: the mistake run as the tutorial writes it, and
 * the fix run the same way, each with what was observed.
 */
export type CommonErrorReport = { error: CommonError, title: string,
/**
 * What goes wrong in Go.
 */
symptom: string,
/**
 * How the Rust API prevents or reports it.
 */
prevention: string,
/**
 * The mistake, run as the tutorial writes it.
 */
mistake: VariantReport,
/**
 * The fix, run the same way.
 */
fix: VariantReport, };

/**
 * What failed, as the package's error classes tell it apart.
 */
export type ErrorKind = "config" | "start" | "busy" | "runtime";

/**
 * An error on its way to JavaScript: `{ kind, message, field? }`.
 */
export type WireError = { kind: ErrorKind, message: string,
/**
 * The offending field (`kind: 'config'` only), e.g. `"workers"`.
 */
field?: string, };

/** Outcome codes, in the order timeline events encode them. */
export const OUTCOMES: readonly OutcomeKind[] = ['succeeded', 'failed', 'panicked', 'timedOut', 'cancelled'];

/** The tutorial's common errors, each reproduced by `demonstrate()`. */
export const COMMON_ERRORS: readonly CommonError[] = ['queue-never-closed', 'send-after-close', 'unbuffered-queue', 'waitgroup-misuse'];

/** Numbers per timeline event in a progress message's `events`. */
export const EVENT_STRIDE = 8;
