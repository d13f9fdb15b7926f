// How long a run of these settings should take, before it starts: the tasks'
// mean duration times their number, over the threads that run them at once,
// plus the time to start those threads; with open arrivals, at least the
// time the tasks take to arrive. A rough model (the per-unit costs
// below are this project's benchmarks, bench/results.md), so the page says
// "about"; the live ETA takes over once tasks finish.
import type { Settings } from './config';

/** What the model needs to know of the runtime. */
export interface RuntimeLimits {
  /** Cores: CPU tasks run no faster than this many at once. */
  cores: number;
  /** Most threads alive at once (one worker per task without a cap). */
  maxLiveThreads: number;
}

/** Starting one Web Worker, one after another (an idle pool of 8 is ready in ~180 ms). */
const THREAD_START_MS = 25;
/** One iteration of the CPU task's sum loop (200 × 1,000,000 iterations take ~120 ms). */
const CPU_MS_PER_ITERATION = 0.6e-6;
/** Handing out one task that does nothing (~1 µs). */
const DISPATCH_MS = 0.001;

/** The mean of min(X, limit) for X uniform on [low, high]: a deadline cuts the longer tasks short. */
function meanCappedUniform(low: number, high: number, limit: number | null): number {
  if (limit === null || limit >= high) return (low + high) / 2;
  if (limit <= low) return limit;
  return ((limit * limit - low * low) / 2 + limit * (high - limit)) / (high - low);
}

/** One task's mean duration in ms under these settings. */
export function meanTaskMs(s: Settings): number {
  if (s.kind === 'sleep') return meanCappedUniform(s.sleepMin, s.sleepMax, s.timeoutMs);
  if (s.kind === 'cpu') return meanCappedUniform(s.cpuMin * CPU_MS_PER_ITERATION, s.cpuMax * CPU_MS_PER_ITERATION, s.timeoutMs);
  return 0;
}

/** How many tasks run at once. */
export function parallelism(s: Settings, limits: RuntimeLimits): number {
  let threads = s.strategy === 'spawn-per-task' ? Math.min(s.tasks, s.spawnCap ?? limits.maxLiveThreads) : s.workers;
  if (s.kind === 'cpu') threads = Math.min(threads, Math.max(1, limits.cores));
  if (s.connections !== null) threads = Math.min(threads, s.connections);
  return Math.max(1, threads);
}

/** The estimated wall time of a run of these settings, in ms. */
export function estimateRunMs(s: Settings, limits: RuntimeLimits): number {
  const work = (s.tasks * (meanTaskMs(s) + DISPATCH_MS)) / parallelism(s, limits);
  // A pool or rayon starts its threads once; one worker per task starts one
  // per task, overlapping the work of those already running.
  if (s.strategy === 'spawn-per-task') return Math.max(work, s.tasks * THREAD_START_MS);
  // Open arrivals: the run lasts at least until the last task arrived (n/λ
  // on average) and ran; slower workers than arrivals make it the work's.
  const arrivals = s.arrivalRate === null ? 0 : (s.tasks / s.arrivalRate) * 1000 + meanTaskMs(s);
  return s.workers * THREAD_START_MS + Math.max(work, arrivals);
}

/** Runs at least this long get a warning with the estimate. */
export const LONG_RUN_MS = 60_000;
