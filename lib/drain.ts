// How long the orchestrator waits before taking a run's results again.
// Counting must keep pace with the workers (left to the end, a run of short
// tasks handed its whole tally to the last poll), but every wake of the
// orchestrator takes a core from a worker when the workers fill the machine:
// on 2 cores, waking every 4 ms during 200 × doWork(1e6) at 2 workers cost it
// 3.3 ms of CPU per 51 ms run, against 1.5 ms when it woke only to post.
// So the wait follows the rate results arrive at: about DRAIN_BATCH results
// per drain, from DRAIN_MIN_MS up to the progress interval.

/** The shortest wait (browsers clamp nested timers to about 4 ms anyway). */
export const DRAIN_MIN_MS = 2;
/** Results worth a wake: a drain that takes fewer waits longer next time. */
export const DRAIN_BATCH = 256;

/**
 * The wait before the next drain, after one that took `taken` results
 * `waitedMs` after the one before: the time DRAIN_BATCH results take at that
 * rate, at most twice `waitedMs` (a pause in the results is not yet the end
 * of a burst) and at most `maxMs`, but never under DRAIN_MIN_MS.
 */
export function nextDrainMs(waitedMs: number, taken: number, maxMs: number): number {
  const atRate = taken > 0 ? (waitedMs * DRAIN_BATCH) / taken : Infinity;
  return Math.max(DRAIN_MIN_MS, Math.min(atRate, 2 * waitedMs, maxMs));
}

/**
 * The pace of one run's drains. Until its first result the wait stays
 * DRAIN_MIN_MS: threads that are still starting send nothing, and a wait
 * grown meanwhile would leave the first burst of a short run to one drain.
 */
export class DrainPace {
  /** The wait before the next drain (ms). */
  waitMs = DRAIN_MIN_MS;
  private lastAt: number;
  private sawResults = false;

  /** `now`: when the run started (performance.now()). */
  constructor(now: number) {
    this.lastAt = now;
  }

  /** After a drain at `now` that took `taken` results: the wait before the next. */
  drained(now: number, taken: number, maxMs: number): number {
    this.sawResults ||= taken > 0;
    this.waitMs = this.sawResults ? nextDrainMs(now - this.lastAt, taken, maxMs) : DRAIN_MIN_MS;
    this.lastAt = now;
    return this.waitMs;
  }
}
