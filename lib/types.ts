// The data that crosses the package boundary. Field names match the Rust
// types (serde camelCase) in crate/src.

export type Strategy = 'pool' | 'spawn-per-task' | 'rayon';
export type TaskKind = 'cpu' | 'sleep' | 'noop';
export type Outcome = 'succeeded' | 'failed' | 'panicked' | 'timedOut' | 'cancelled';
/** Outcome codes in the order the runtime encodes them in timeline events. */
export const OUTCOMES: readonly Outcome[] = ['succeeded', 'failed', 'panicked', 'timedOut', 'cancelled'];

/** A run's configuration; every field is optional and has a sensible default. */
export interface RunConfig {
  strategy?: Strategy;
  /** Pool workers, or rayon threads: 1 to 256. */
  workers?: number;
  /** 1 to 1,000,000. */
  tasks?: number;
  /** Share of tasks that return an error, 0 to 1. */
  failureRate?: number;
  /** Job queue capacity; 0 = rendezvous (an unbuffered channel). */
  queueCapacity?: number;
  kind?: TaskKind;
  /** [min, max] duration of a sleep task, ms. */
  sleepMs?: [number, number];
  /** [min, max] iterations of a CPU task's sum loop. */
  cpuIterations?: [number, number];
  /** Per-task deadline, ms; null = none. */
  timeoutMs?: number | null;
  /** Size of the limited shared resource (the tutorial's DB connections); null = none. */
  connections?: number | null;
  /** Share of tasks that panic, 0 to 1. */
  panicRate?: number;
  /**
   * Share of tasks that trap, 0 to 1: each kills the thread running it
   * without unwinding (a WebAssembly `unreachable`); the task ends failed.
   */
  trapRate?: number;
  /** Same seed, same tasks and the same failing ids, in every strategy. */
  seed?: number;
  /** spawn-per-task only: most threads alive at once; null = unbounded. */
  spawnCap?: number | null;
}

export interface Percentiles { count: number; p50Us: number; p95Us: number; p99Us: number; maxUs: number }

export type WorkerState =
  | { state: 'starting' } | { state: 'idle' } | { state: 'exited' }
  | { state: 'running'; taskId: number }
  | { state: 'waitingForResource'; taskId: number };

export interface WorkerSnapshot { id: number; state: WorkerState; tasksDone: number; busyUs: number; resourceWaitUs: number }

export interface StatsSnapshot {
  submitted: number; queued: number; inFlight: number;
  succeeded: number; failed: number; timedOut: number; cancelled: number; panicked: number;
  queueHighWater: number; liveThreads: number; peakThreads: number;
  workers: WorkerSnapshot[];
  queueWait: Percentiles; runTime: Percentiles;
  /** From a thread's spawn to its first instruction. */
  workerStartup: Percentiles;
  /** Connections (the limited resource) held now, and the most held at once. */
  connectionsInUse: number; connectionsPeak: number;
}

/** One finished task on the timeline; times in ms since the run started, -1 = never. */
export interface TimelineEvent {
  taskId: number; workerId: number;
  enqueuedMs: number; startedMs: number; endedMs: number;
  waitStartMs: number; waitEndMs: number;
  outcome: Outcome;
}

export interface Progress { elapsedMs: number; stats: StatsSnapshot; events: TimelineEvent[] }

export interface RunSummary {
  strategy: Strategy;
  tasks: number; succeeded: number; failed: number; timedOut: number; cancelled: number; panicked: number;
  /** Tasks never submitted because the run was cancelled first (counted in `cancelled`). */
  neverSubmitted: number;
  /** spawn-per-task: tasks whose thread the browser or the memory ceiling refused (counted in `failed`), and why. */
  spawnRefused: number; spawnRefusedReason: string | null;
  /**
   * Tasks that failed because their thread failed to start (its Web Worker did
   * not load or instantiate the module) or died (a trap), counted in `failed`;
   * and the first such reason.
   */
  threadFailures: number; threadFailureReason: string | null;
  elapsedMs: number; firstResultMs: number | null; throughputPerSec: number;
  /** When the first task started and the last result came, ms since the run started (the busy window). */
  firstStartMs: number | null; lastResultMs: number | null;
  peakThreads: number; threadsUsed: number;
  failedTaskIds: number[]; panickedTaskIds: number[];
  perWorkerTasks: { worker: number; tasks: number }[];
  queueWait: Percentiles; runTime: Percentiles;
  /** spawn-per-task only: from spawning a thread to its first instruction. */
  workerStartup: Percentiles | null;
  memoryBytes: number; timelineEvents: number;
  /** True when the run was cancelled through its AbortSignal. */
  aborted: boolean;
}

export interface RuntimeInfo {
  version: string; sharedMemory: boolean; crossOriginIsolated: boolean;
  hardwareConcurrency: number; memoryBytes: number; maxMemoryBytes: number;
  liveThreads: number; peakThreads: number; maxLiveThreads: number; threadStackBytes: number;
  /** Web Workers of this runtime not yet closed (counted by the JS side). */
  liveWorkers: number;
}

/** The tutorial's common errors, each reproduced by `demonstrate()` on real threads. */
export type CommonError = 'queue-never-closed' | 'send-after-close' | 'unbuffered-queue' | 'waitgroup-misuse';
export const COMMON_ERRORS: readonly CommonError[] = ['queue-never-closed', 'send-after-close', 'unbuffered-queue', 'waitgroup-misuse'];

export interface CommonErrorReport {
  error: CommonError;
  title: string;
  /** What goes wrong in Go. */
  symptom: string;
  /** What the runtime observed just now, on real threads. */
  detected: string;
  /** How the Rust API prevents or reports it. */
  prevention: string;
  /** The numbers behind `detected`. */
  observed: Record<string, number | string | boolean>;
}
