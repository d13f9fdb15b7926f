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
 * of a burst), within DRAIN_MIN_MS and `maxMs`.
 */
export function nextDrainMs(waitedMs: number, taken: number, maxMs: number): number {
  const atRate = taken > 0 ? (waitedMs * DRAIN_BATCH) / taken : Infinity;
  return Math.max(DRAIN_MIN_MS, Math.min(atRate, 2 * waitedMs, maxMs));
}
