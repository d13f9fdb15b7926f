// The live line's word on when a run ends, from the run's own counts as they
// change, never a constant. A pool or rayon finishes tasks at a steady rate
// once its workers run: the rate so far says when the rest are done. One
// worker per task starts a thread for every task, and starting threads is
// where its time goes (Web Workers start one after another, slower with
// hundreds pending, while the tasks themselves may take milliseconds): no
// task finishes before its thread starts. So its estimate is the tasks still
// waiting for a thread over the rate threads started at lately, plus a
// task's run time, and until that rate can be measured it says so.
import type { Progress, StatsSnapshot, StrategyKind } from 'wasm-worker-pool';
import { count, counted, ms } from './format';

/** Threads that started over the last this long give the rate threads start at. */
const RATE_WINDOW_MS = 3000;
/** A rate needs at least this long of starts to say anything. */
const MIN_RATE_SPAN_MS = 500;

/**
 * One worker per task: threads alive that run no task yet, i.e. still
 * starting (its thread exits with its task, so it is never idle).
 */
export const startingThreads = (s: StatsSnapshot) => Math.max(0, s.liveThreads - s.inFlight);

/** "52", "3.5": a rate per second as the line says it. */
const perSecond = (perMs: number) => {
  const value = perMs * 1000;
  return value >= 10 ? count(value) : value.toFixed(1);
};

export class RunEta {
  /** One worker per task: how many tasks had a started thread, when (only since the first did). */
  private samples: { atMs: number; started: number }[] = [];

  constructor(private strategy: StrategyKind, private total: number) {}

  /** Before the first progress: what the run is doing. */
  get opening(): string {
    return this.strategy === 'spawn-per-task' ? 'starting threads…' : 'starting workers…';
  }

  /** The end of the live line for this progress, of which `done` tasks ended. */
  phrase(p: Progress, done: number): string {
    return this.strategy === 'spawn-per-task' ? this.perTask(p, done) : this.pooled(p, done);
  }

  /** A pool or rayon: starting its workers, running its first tasks, or done in about the time so far per task. */
  private pooled(p: Progress, done: number): string {
    if (done + p.stats.inFlight === 0) return this.opening;
    if (done === 0) return 'first tasks running…';
    return `ETA ${ms((this.total - done) * (p.elapsedMs / done))}`;
  }

  /** One worker per task: the tasks still waiting for a thread, at the rate threads started at lately. */
  private perTask(p: Progress, done: number): string {
    const s = p.stats;
    // Tasks that got a thread (or ended without one: a refused spawn).
    const started = done + s.inFlight;
    const starting = startingThreads(s);
    const toGo = this.total - started;
    if (started === 0) return starting > 0 ? `${counted(starting, 'thread')} starting, no ETA before one runs…` : this.opening;
    if (toGo <= 0) return s.inFlight > 0 ? `the last ${counted(s.inFlight, 'task')} running…` : 'finishing…';
    this.samples.push({ atMs: p.elapsedMs, started });
    // Keep the newest sample older than the window, so the rate spans all of it.
    while (this.samples.length > 2 && this.samples[1].atMs <= p.elapsedMs - RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    const span = p.elapsedMs - first.atMs;
    const gained = started - first.started;
    if (span < MIN_RATE_SPAN_MS) return `${counted(starting, 'thread')} starting, no ETA until they start at a measurable rate…`;
    if (gained <= 0) return `${counted(starting, 'thread')} starting, none started in the last ${ms(span)}: no ETA yet…`;
    const rate = gained / span;
    const etaMs = toGo / rate + s.runTime.p50Us / 1000;
    return `ETA ${ms(etaMs)}: ${counted(toGo, 'task')} still waiting for a thread, threads starting at ${perSecond(rate)} a second`;
  }
}
