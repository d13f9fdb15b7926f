// Replaying a run: the state at any instant, computed from the recorded
// timeline events alone (no browser, no DOM: tests/replay.test.mjs).
//
// Each recorded task gives up to five instants: enqueued, started,
// connection wait started and ended, ended (an instant it never reached, -1,
// is left out; a task that never started has only its enqueue and its end).
// The log is every instant in time order; ties at the same time stay
// separate instants, so that stepping goes through them one at a time:
// among instants at the same time, those of a task that ends sooner come
// first (a worker's task ends before its next one starts), then by the
// order the events arrived in, then in a task's own order. A task's
// instants never go back in time: each is taken as at least the one before
// it (clocks of different threads may disagree by a hair).
//
// The state after the first `position` instants: the counts by outcome, in
// flight (started, not ended, waiting for a connection included), queued
// (enqueued, not started or ended), waiting for a connection, and each
// worker's state: running task N, waiting for a connection for task N, idle,
// not started yet, or left after a resize shrank the pool. While the run goes
// on (`open`), a worker with no recorded instant from the cursor on is
// "unknown": the timeline records a task once it ends, so the one it may be
// running then is not recorded yet.
import type { OutcomeKind, StrategyKind, TimelineEvent } from 'wasm-worker-pool';
import { count, ms } from './format';

export type InstantKind = 'enqueued' | 'started' | 'waitStarted' | 'waitEnded' | 'ended';

/** A task's own order of its instants. */
const PHASE: Record<InstantKind, number> = { enqueued: 0, started: 1, waitStarted: 2, waitEnded: 3, ended: 4 };

/** One recorded instant: what happened to which event (an index into the log's events), when. */
export interface Instant { timeMs: number; kind: InstantKind; event: number }

export interface ReplayLog {
  readonly events: readonly TimelineEvent[];
  /** Every recorded instant, in the order replay steps through them. */
  readonly instants: readonly Instant[];
  /** The instants' times, in the same order (for looking a time up). */
  readonly times: Float64Array;
  /** Per worker id: the index of its last instant in `instants`. */
  readonly lastOfWorker: ReadonlyMap<number, number>;
  /** One more than the highest worker id a task started on (0: none). */
  readonly workerIds: number;
  /** The tallies every CHECKPOINT instants, filled in as they are needed (a cache: the results do not depend on it). */
  readonly checkpoints: Tally[];
}

/** What a worker does after the instants so far, and since when. */
interface Doing { state: 'running' | 'waiting' | 'idle'; taskId: number; at: number }
/** The counts and what each worker does, after some instants. */
interface Tally { counts: ReplayCounts; doing: Map<number, Doing> }

/** Instants between two cached tallies: a state costs at most this many steps once its checkpoint is known. */
const CHECKPOINT = 2048;

/** The counts at an instant, keyed as the page's counters are. */
export interface ReplayCounts {
  succeeded: number; failed: number; panicked: number; timedOut: number; cancelled: number;
  inFlight: number; queued: number; waiting: number;
}

export type WorkerActivity = 'running' | 'waiting' | 'idle' | 'notStarted' | 'left' | 'unknown';

export interface WorkerAt {
  /** The runtime's id (0-based; the page shows it plus 1). */
  id: number;
  state: WorkerActivity;
  /** The task it runs or waits for (running, waiting), else null. */
  taskId: number | null;
}

export interface ReplayState {
  timeMs: number;
  /** Instants applied: 0 to `total`. */
  position: number;
  total: number;
  /** The last instant applied (null at position 0). */
  last: Instant | null;
  counts: ReplayCounts;
  /** Each worker of a pool or rayon run, by id; empty for one worker per task. */
  workers: WorkerAt[];
}

/** What the run's workers were: the strategy, the count it started with, and the resizes of a pool. */
export interface PoolShape {
  strategy: StrategyKind;
  workers: number;
  resizes: readonly { askedMs: number; workers: number }[];
}

/** The log of `events`' instants, sorted. */
export function buildLog(events: readonly TimelineEvent[]): ReplayLog {
  const instants: Instant[] = [];
  const endKey = new Float64Array(events.length);
  events.forEach((e, event) => {
    let at = -Infinity;
    const add = (timeMs: number, kind: InstantKind) => {
      at = Math.max(at, timeMs);
      instants.push({ timeMs: at, kind, event });
    };
    const known = (t: number) => Number.isFinite(t) && t >= 0;
    if (known(e.enqueuedMs)) add(e.enqueuedMs, 'enqueued');
    if (known(e.startedMs)) {
      add(e.startedMs, 'started');
      if (known(e.waitStartMs)) {
        add(e.waitStartMs, 'waitStarted');
        if (known(e.waitEndMs) && e.waitEndMs >= e.waitStartMs) add(e.waitEndMs, 'waitEnded');
      }
    }
    if (known(e.endedMs)) add(e.endedMs, 'ended');
    endKey[event] = at;
  });
  instants.sort((a, b) => a.timeMs - b.timeMs || endKey[a.event] - endKey[b.event] || a.event - b.event || PHASE[a.kind] - PHASE[b.kind]);
  const times = new Float64Array(instants.length);
  const lastOfWorker = new Map<number, number>();
  let workerIds = 0;
  instants.forEach((instant, i) => {
    times[i] = instant.timeMs;
    const worker = events[instant.event].workerId;
    if (worker >= 0 && instant.kind !== 'enqueued') {
      lastOfWorker.set(worker, i);
      workerIds = Math.max(workerIds, worker + 1);
    }
  });
  const empty: Tally = { counts: { succeeded: 0, failed: 0, panicked: 0, timedOut: 0, cancelled: 0, inFlight: 0, queued: 0, waiting: 0 }, doing: new Map() };
  return { events, instants, times, lastOfWorker, workerIds, checkpoints: [empty] };
}

const copy = (t: Tally): Tally => ({ counts: { ...t.counts }, doing: new Map(t.doing) });

/** Applies instants `from` to `to` (excluded) of `log` to `tally`. */
function apply(log: ReplayLog, tally: Tally, from: number, to: number): void {
  const { counts, doing } = tally;
  for (let i = from; i < to; i++) {
    const { kind, event, timeMs: at } = log.instants[i];
    const e = log.events[event];
    const worker = e.workerId;
    const set = (state: Doing['state']) => {
      if (worker >= 0) doing.set(worker, { state, taskId: e.taskId, at });
    };
    switch (kind) {
      case 'enqueued':
        counts.queued++;
        break;
      case 'started':
        counts.queued--;
        counts.inFlight++;
        set('running');
        break;
      case 'waitStarted':
        counts.waiting++;
        set('waiting');
        break;
      case 'waitEnded':
        counts.waiting--;
        set('running');
        break;
      case 'ended': {
        if (e.startedMs >= 0) {
          counts.inFlight--;
          // Ended while it still waited for a connection (a timeout, a cancel).
          if (e.waitStartMs >= 0 && !(e.waitEndMs >= e.waitStartMs)) counts.waiting--;
          // Its worker is idle, unless (a tie) it already took its next task.
          if (worker >= 0 && doing.get(worker)?.taskId === e.taskId) set('idle');
        } else {
          counts.queued--;
        }
        counts[e.outcome as OutcomeKind]++;
        break;
      }
    }
  }
}

/** The tally after the first `position` instants: from the nearest checkpoint before it. */
function tallyAfter(log: ReplayLog, position: number): Tally {
  const checkpoints = log.checkpoints;
  const k = Math.floor(position / CHECKPOINT);
  while (checkpoints.length <= k) {
    const last = checkpoints.length - 1;
    const next = copy(checkpoints[last]);
    apply(log, next, last * CHECKPOINT, (last + 1) * CHECKPOINT);
    checkpoints.push(next);
  }
  const tally = copy(checkpoints[k]);
  apply(log, tally, k * CHECKPOINT, position);
  return tally;
}

/** How many instants happened by `timeMs` (at it included). */
export function positionAt(log: ReplayLog, timeMs: number): number {
  let low = 0;
  let high = log.times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (log.times[middle] <= timeMs) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The time the cursor shows at `position` (after a step): its last instant's, or 0 before the first. */
export const timeOfPosition = (log: ReplayLog, position: number): number =>
  (position > 0 ? log.times[Math.min(position, log.times.length) - 1] : 0);

/** The pool's size at `timeMs` (a shrink counts from when it was asked for: workers beyond it leave once their task is done). */
function sizes(pool: PoolShape, timeMs: number) {
  let size = pool.workers;
  let most = size;
  /** When each id last (re)joined the pool. */
  const joined = new Map<number, number>();
  for (const r of [...pool.resizes].sort((a, b) => a.askedMs - b.askedMs)) {
    if (r.askedMs > timeMs) break;
    for (let id = size; id < r.workers; id++) joined.set(id, r.askedMs);
    size = r.workers;
    most = Math.max(most, size);
  }
  return { size, most, joined };
}

/**
 * The state after the first `position` instants of `log`, with the cursor at
 * `timeMs` (the resizes asked for by then count). `open`: the run is still
 * going on (see the top of this file).
 */
export function stateAfter(log: ReplayLog, position: number, pool: PoolShape, timeMs = timeOfPosition(log, position), open = false): ReplayState {
  const p = Math.max(0, Math.min(position, log.instants.length));
  const { counts, doing: now } = tallyAfter(log, p);
  const workers: WorkerAt[] = [];
  if (pool.strategy !== 'spawn-per-task') {
    const { size, most, joined } = sizes(pool, timeMs);
    const ids = Math.max(pool.workers, most, log.workerIds);
    for (let id = 0; id < ids; id++) {
      const doing = now.get(id);
      let state: WorkerActivity;
      if (doing && doing.state !== 'idle') state = doing.state;
      else if (id >= size) state = id < most ? 'left' : 'notStarted';
      else if (open && (log.lastOfWorker.get(id) ?? -1) < p) state = 'unknown';
      else if (!doing || doing.at < (joined.get(id) ?? -Infinity)) state = 'notStarted';
      else state = 'idle';
      const busy = state === 'running' || state === 'waiting';
      workers.push({ id, state, taskId: busy ? doing!.taskId : null });
    }
  }
  return { timeMs, position: p, total: log.instants.length, last: p > 0 ? log.instants[p - 1] : null, counts, workers };
}

/** The state at `timeMs`: every instant by then applied. */
export function stateAt(events: readonly TimelineEvent[], timeMs: number, pool: PoolShape, open = false): ReplayState {
  const log = buildLog(events);
  return stateAfter(log, positionAt(log, timeMs), pool, timeMs, open);
}

/** What an instant was, in words: "task 57 started on worker 3". */
export function describeInstant(log: ReplayLog, instant: Instant, strategy: StrategyKind): string {
  const e = log.events[instant.event];
  const task = `task ${count(e.taskId)}`;
  const noun = strategy === 'rayon' ? 'rayon thread' : strategy === 'spawn-per-task' ? 'its thread' : 'worker';
  const on = e.workerId < 0 ? '' : strategy === 'spawn-per-task' ? ' on its thread' : ` on ${noun} ${count(e.workerId + 1)}`;
  switch (instant.kind) {
    case 'enqueued': return strategy === 'spawn-per-task' ? `${task} was submitted (it waits for its thread)` : `${task} was enqueued`;
    case 'started': return `${task} started${on}`;
    case 'waitStarted': return `${task} began waiting for a connection${on}`;
    case 'waitEnded': return `${task} got a connection${on}`;
    case 'ended': {
      const how = OUTCOME_WORD[e.outcome];
      return e.startedMs >= 0 ? `${task} ended${on}: ${how}` : `${task} ended before it started: ${how}`;
    }
  }
}

const OUTCOME_WORD: Record<OutcomeKind, string> = {
  succeeded: 'succeeded', failed: 'failed', panicked: 'panicked', timedOut: 'timed out', cancelled: 'cancelled',
};

/** The counts in words, the outcomes that occurred and the rest always: "412 succeeded, 45 failed, 8 in flight, 93 queued, 0 waiting for a connection". */
export function countsPhrase(c: ReplayCounts): string {
  const parts = [`${count(c.succeeded)} succeeded`, `${count(c.failed)} failed`];
  if (c.panicked) parts.push(`${count(c.panicked)} panicked`);
  if (c.timedOut) parts.push(`${count(c.timedOut)} timed out`);
  if (c.cancelled) parts.push(`${count(c.cancelled)} cancelled`);
  parts.push(`${count(c.inFlight)} in flight`, `${count(c.queued)} queued`, `${count(c.waiting)} waiting for a connection`);
  return parts.join(', ');
}

/** A worker's state in words, after its name: "running task 17", "no task yet". */
export function activityPhrase(w: WorkerAt): string {
  switch (w.state) {
    case 'running': return `running task ${count(w.taskId ?? 0)}`;
    case 'waiting': return `waiting for a connection (task ${count(w.taskId ?? 0)})`;
    case 'idle': return 'idle';
    // The events record tasks, not thread starts: a worker with no task yet may have started.
    case 'notStarted': return 'no task yet';
    case 'left': return 'left (the pool shrank)';
    case 'unknown': return 'not known yet (no task of it has ended since)';
  }
}

// ---- the link's replay time, t= ----

/** Longest t= text read: more cannot be a time in ms. */
const MAX_TIME_TEXT = 24;
const PLAIN_TIME = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A link's `t` (ms since the run started, an integer or a decimal), or why it is none. */
export function parseTime(text: string): { value: number } | { error: string } {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed.length <= MAX_TIME_TEXT && PLAIN_TIME.test(trimmed) && Number.isFinite(value)) return { value };
  return { error: 'the replay time must be a number of ms since the run started, 0 or more, written with a point for decimals (t=250, t=12.5).' };
}

/** A time as a link writes it: ms, to the µs, no trailing zeros ("812.5", "1200"). */
export const formatTime = (timeMs: number): string => String(Number(Math.max(0, timeMs).toFixed(3)));

/** The cursor's time for its control: "812 ms of 1,777 ms". */
export const timeOf = (timeMs: number, endMs: number): string => `${ms(timeMs)} of ${ms(endMs)}`;
