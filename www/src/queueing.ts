// Queueing theory, portable (no DOM, no package): the formulas the Run view's
// theory panel (theory.ts) and the workers sweep (sweep.ts) set beside what a
// run measured, and the measurements themselves, taken from a run's timeline
// events. Times are in any one unit (the page uses ms); a rate is per that
// unit. The names follow the usual notation: λ arrival rate, S mean service
// time (μ = 1/S), c servers (workers), a = λS the offered load in Erlangs,
// ρ = a/c the utilisation, Wq the mean wait in the queue, W = Wq + S the mean
// time in the system, Lq and L the mean numbers waiting and in the system.

/**
 * Erlang's B formula (the loss formula, M/M/c/c): the share of arrivals that
 * find all c servers busy when nobody waits. By the stable recursion
 * B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), which never forms a^c or c!.
 */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/**
 * Erlang's C formula (M/M/c): the probability that an arriving task has to
 * wait, C(c, a) = B / (1 − ρ(1 − B)) with B = erlangB(c, a), ρ = a/c. 1 when
 * ρ ≥ 1 (no steady state: eventually everyone waits).
 */
export function erlangC(c: number, a: number): number {
  if (a <= 0) return 0;
  const rho = a / c;
  if (rho >= 1) return 1;
  const b = erlangB(c, a);
  return b / (1 - rho * (1 - b));
}

/**
 * The mean queue wait of M/M/c (Poisson arrivals, exponential service):
 * Wq = C(c, a) / (cμ − λ), with μ = 1/S and a = λS. Infinity when ρ ≥ 1.
 */
export function erlangCWait(lambda: number, meanService: number, c: number): number {
  const a = lambda * meanService;
  if (a >= c) return Infinity;
  if (a <= 0) return 0;
  return erlangC(c, a) / (c / meanService - lambda);
}

/**
 * The Allen–Cunneen approximation of the mean queue wait of G/G/c (here
 * M/G/c, Ca² = 1): Wq ≈ C(c, a) / (cμ − λ) · (Ca² + Cs²) / 2, where Ca² and
 * Cs² are the squared coefficients of variation (variance / mean²) of the
 * gaps between arrivals and of the service times. With Ca² = Cs² = 1 it is
 * Erlang C's M/M/c wait exactly; for M/G/1 it is the Pollaczek–Khinchine
 * formula exactly.
 */
export function allenCunneenWait(lambda: number, meanService: number, c: number, ca2: number, cs2: number): number {
  const wait = erlangCWait(lambda, meanService, c);
  return Number.isFinite(wait) ? (wait * (ca2 + cs2)) / 2 : wait;
}

/** A service-time distribution: its mean, its variance and Cs² = variance / mean². */
export interface Service { mean: number; variance: number; cs2: number }

const service = (mean: number, variance: number): Service => ({ mean, variance, cs2: mean > 0 ? variance / (mean * mean) : 0 });

/**
 * min(X, cap) for X uniform on [a, b] (a sleep task, cut short by its
 * deadline when `cap` is below b): without a cap the mean is (a + b)/2 and
 * the variance (b − a)²/12.
 */
export function uniformService(a: number, b: number, cap: number | null = null): Service {
  if (cap === null || cap >= b) return service((a + b) / 2, ((b - a) ** 2) / 12);
  if (cap <= a) return service(cap, 0);
  // The uniform part on [a, cap] with density 1/(b − a), and an atom at cap of mass (b − cap)/(b − a).
  const w = b - a;
  const mean = ((cap * cap - a * a) / 2 + cap * (b - cap)) / w;
  const second = ((cap ** 3 - a ** 3) / 3 + cap * cap * (b - cap)) / w;
  return service(mean, Math.max(0, second - mean * mean));
}

/** A batch (all n tasks at t = 0) on c workers with every task taking S: the last ends at ceil(n/c)·S. */
export function batchMakespan(n: number, c: number, meanService: number): number {
  return Math.ceil(n / c) * meanService;
}

/**
 * A batch of n tasks, each taking exactly S, fed one after another to c
 * workers through a queue of `capacity` jobs (0: a rendezvous), the feeder
 * blocking while the queue is full, each task's wait counted from the moment
 * it was handed to submit (as the pool timestamps it) to its start: the mean
 * wait, by following the n tasks through (O(n)). With room for every task it
 * is S·mean(floor(i/c)), about S·(n/c − 1)/2; with a bounded queue about
 * S·(capacity + 1)/c once the queue is full.
 */
export function batchWait(n: number, c: number, meanService: number, capacity: number): number {
  if (n <= 0) return 0;
  const start = new Float64Array(n);
  let accepted = 0; // when the previous task was taken by the queue (the feeder then calls submit again)
  let total = 0;
  for (let j = 0; j < n; j++) {
    const submitted = accepted;
    const free = j >= c ? start[j - c] + meanService : 0;
    if (capacity <= 0) {
      // A rendezvous: taken when a worker takes it.
      start[j] = Math.max(submitted, free);
      accepted = start[j];
    } else {
      // Room in the queue once the task `capacity` places ahead has started.
      accepted = j >= capacity ? Math.max(submitted, start[j - capacity]) : submitted;
      start[j] = Math.max(accepted, free);
    }
    total += start[j] - submitted;
  }
  return total / n;
}

/** An interval [from, to) of one task: in the system, or in the queue. */
export interface Interval { from: number; to: number }

/**
 * The time-average of N(t), the number of intervals that cover t, over
 * [t0, t1]: the area under N(t) by a sweep over the intervals' ends, divided
 * by the window. Intervals are clipped to the window.
 */
export function timeAverage(intervals: readonly Interval[], t0: number, t1: number): number {
  const span = t1 - t0;
  if (!(span > 0)) return 0;
  const edges: [number, number][] = [];
  for (const { from, to } of intervals) {
    const a = Math.max(t0, from);
    const b = Math.min(t1, to);
    if (b > a) edges.push([a, 1], [b, -1]);
  }
  // Ends before starts at the same instant: a task that leaves as another arrives is never counted twice.
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let area = 0;
  let n = 0;
  let at = t0;
  for (const [t, step] of edges) {
    area += n * (t - at);
    at = t;
    n += step;
  }
  return area / span;
}

/** What a task's times must hold (lib/types.ts's TimelineEvent has them): ms since the run started, -1 = never. */
export interface TaskTimes { enqueuedMs: number; startedMs: number; endedMs: number }

/** A run's queue, as measured from its timeline events. */
export interface Measured {
  /** Events measured (a sample of 1 in `every` tasks when the timeline sampled). */
  events: number;
  /** Of them, tasks that started. */
  started: number;
  /** Submissions per second from the enqueue times, (n − 1) / (last − first), scaled by the sample; null under 2 events, Infinity when all came at once. */
  arrivalRatePerSec: number | null;
  /** Mean of ended − started over the tasks that started (ms; null: none started). */
  meanServiceMs: number | null;
  /** Cs² of those service times (variance / mean²). */
  serviceCs2: number | null;
  /** Mean of ended − enqueued: the time in the system, W (ms). */
  meanSystemMs: number | null;
  /** Mean time in the queue, Wq: started − enqueued (ended − enqueued for a task that never started) (ms). */
  meanWaitMs: number | null;
  /** Time-average number in the system over the window, L. */
  inSystem: number;
  /** Time-average number in the queue over the window, Lq. */
  inQueue: number;
  /** The window [0, windowMs] L and Lq average over. */
  windowMs: number;
  /** Tasks through the window per second (every event counts `every` tasks). */
  ratePerSec: number;
  /** From the first start to the last end (ms), the busy window; null: none started. */
  busyMs: number | null;
  /** The sum of the service times (ms), scaled by the sample: the work done. */
  workMs: number;
}

const mean = (values: readonly number[]) => (values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length);

/**
 * Measures a run's queue from its events over the window [0, windowMs] (the
 * whole run: every task arrived and left inside it). `every`: the timeline
 * kept 1 task in `every` (a uniform sample by id), so counts and rates are
 * scaled up by it; means are not.
 */
export function measure(events: readonly TaskTimes[], windowMs: number, every = 1): Measured {
  const system: Interval[] = [];
  const queue: Interval[] = [];
  const services: number[] = [];
  const sojourns: number[] = [];
  const waits: number[] = [];
  let firstEnqueued = Infinity;
  let lastEnqueued = -Infinity;
  let firstStart = Infinity;
  let lastEnd = -Infinity;
  for (const e of events) {
    const queueEnd = e.startedMs >= 0 ? e.startedMs : e.endedMs;
    system.push({ from: e.enqueuedMs, to: e.endedMs });
    queue.push({ from: e.enqueuedMs, to: queueEnd });
    sojourns.push(e.endedMs - e.enqueuedMs);
    waits.push(queueEnd - e.enqueuedMs);
    firstEnqueued = Math.min(firstEnqueued, e.enqueuedMs);
    lastEnqueued = Math.max(lastEnqueued, e.enqueuedMs);
    if (e.startedMs >= 0) {
      services.push(e.endedMs - e.startedMs);
      firstStart = Math.min(firstStart, e.startedMs);
      lastEnd = Math.max(lastEnd, e.endedMs);
    }
  }
  const meanService = mean(services);
  const serviceCs2 = meanService === null || meanService <= 0 ? null
    : services.reduce((s, v) => s + (v - meanService) ** 2, 0) / services.length / (meanService * meanService);
  const n = events.length;
  const spanMs = lastEnqueued - firstEnqueued;
  return {
    events: n,
    started: services.length,
    arrivalRatePerSec: n < 2 ? null : spanMs > 0 ? ((n - 1) * every) / (spanMs / 1000) : Infinity,
    meanServiceMs: meanService,
    serviceCs2,
    meanSystemMs: mean(sojourns),
    meanWaitMs: mean(waits),
    inSystem: timeAverage(system, 0, windowMs) * every,
    inQueue: timeAverage(queue, 0, windowMs) * every,
    windowMs,
    ratePerSec: windowMs > 0 ? (n * every) / (windowMs / 1000) : 0,
    busyMs: services.length ? lastEnd - firstStart : null,
    workMs: services.reduce((s, v) => s + v, 0) * every,
  };
}

/** |a − b| / |b|: how far a measured value is from what it is checked against (0 when both are 0). */
export function relativeError(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.abs(b);
}
