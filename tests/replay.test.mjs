// The replay's state at an instant (www/src/replay.ts), computed from
// synthetic timeline events, loaded from source through Vite (no browser):
// counts and each worker's state before, between and after events, ties,
// connection waits, tasks that never started, workers that never ran or left
// after a resize, a run still going on; and the link's t=.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { useSource } from './helpers.mjs';

const src = useSource({ replay: '/src/replay.ts', urlState: '/src/url-state.ts', config: '/src/config.ts' });

/** A timeline event; times in ms, -1 = never. */
const ev = (taskId, workerId, enqueuedMs, startedMs, endedMs, outcome = 'succeeded', waitStartMs = -1, waitEndMs = -1) =>
  ({ taskId, workerId, enqueuedMs, startedMs, endedMs, waitStartMs, waitEndMs, outcome });

const pool = (workers, resizes = []) => ({ strategy: 'pool', workers, resizes });
const ZERO = { succeeded: 0, failed: 0, panicked: 0, timedOut: 0, cancelled: 0, inFlight: 0, queued: 0, waiting: 0 };
const counts = (partial) => ({ ...ZERO, ...partial });
/** Each worker's state as "running 3", "idle", "notStarted"…, by id. */
const workers = (state) => state.workers.map((w) => (w.taskId === null ? w.state : `${w.state} ${w.taskId}`));

// Two workers, three tasks: task 2 takes worker 0 the moment task 0 ends there (a tie at 5 ms).
const BASIC = [
  ev(0, 0, 0, 1, 5, 'succeeded'),
  ev(1, 1, 0, 2, 4, 'failed'),
  ev(2, 0, 0.5, 5, 7, 'timedOut'),
];

test('the counts and the workers before, between and after the events', () => {
  const at = (t) => src.replay.stateAt(BASIC, t, pool(2));
  const before = at(-1);
  assert.deepEqual(before.counts, ZERO, 'before the first event, nothing');
  assert.equal(before.position, 0);
  assert.equal(before.last, null);
  assert.deepEqual(workers(before), ['notStarted', 'notStarted']);

  assert.deepEqual(at(0).counts, counts({ queued: 2 }), 'at an event\'s time, the event has happened');
  assert.deepEqual(at(0.25).counts, counts({ queued: 2 }), 'between events, the state of the last one');
  assert.deepEqual(at(0.5).counts, counts({ queued: 3 }));
  const one = at(1.5);
  assert.deepEqual(one.counts, counts({ queued: 2, inFlight: 1 }));
  assert.deepEqual(workers(one), ['running 0', 'notStarted']);
  const two = at(3);
  assert.deepEqual(two.counts, counts({ queued: 1, inFlight: 2 }));
  assert.deepEqual(workers(two), ['running 0', 'running 1']);
  const failed = at(4.5);
  assert.deepEqual(failed.counts, counts({ failed: 1, queued: 1, inFlight: 1 }));
  assert.deepEqual(workers(failed), ['running 0', 'idle']);
  const handover = at(5);
  assert.deepEqual(handover.counts, counts({ succeeded: 1, failed: 1, inFlight: 1 }), 'task 0 ended and task 2 started at 5 ms');
  assert.deepEqual(workers(handover), ['running 2', 'idle']);
  const after = at(100);
  assert.deepEqual(after.counts, counts({ succeeded: 1, failed: 1, timedOut: 1 }), 'after the last event, every outcome');
  assert.deepEqual(workers(after), ['idle', 'idle']);
  assert.equal(after.position, after.total);
  assert.equal(after.total, 9, 'three instants per task without connection waits');
});

test('ties at the same time are separate instants, stepped one at a time: a task ends before its worker starts the next', () => {
  const log = src.replay.buildLog(BASIC);
  const p = src.replay.positionAt(log, 5);
  // Instants at 5 ms: task 0's end, then task 2's start.
  const atFive = log.instants.map((instant, i) => [i, instant]).filter(([, instant]) => instant.timeMs === 5);
  assert.deepEqual(atFive.map(([, i]) => [BASIC[i.event].taskId, i.kind]), [[0, 'ended'], [2, 'started']]);
  assert.equal(p, atFive[1][0] + 1, 'positionAt counts every instant at that time');
  const middle = src.replay.stateAfter(log, atFive[0][0] + 1, pool(2));
  assert.equal(middle.timeMs, 5, 'a position\'s time is its last instant\'s');
  assert.deepEqual(middle.counts, counts({ succeeded: 1, failed: 1, queued: 1 }));
  assert.deepEqual(workers(middle), ['idle', 'idle'], 'between the two: worker 0 idle for no time at all');
  assert.equal(src.replay.describeInstant(log, middle.last, 'pool'), 'task 0 ended on worker 1: succeeded');
  const next = src.replay.stateAfter(log, atFive[1][0] + 1, pool(2));
  assert.deepEqual(workers(next), ['running 2', 'idle']);
  assert.equal(src.replay.describeInstant(log, next.last, 'pool'), 'task 2 started on worker 1');

  // A no-op task that starts and ends at the same instant, beside another task's end then.
  const noop = [ev(0, 0, 0, 0, 3), ev(1, 0, 0, 3, 3), ev(2, 1, 0, 1, 3, 'failed')];
  const tied = src.replay.buildLog(noop);
  const order = tied.instants.filter((i) => i.timeMs === 3).map((i) => `${noop[i.event].taskId} ${i.kind}`);
  assert.deepEqual(order, ['0 ended', '1 started', '1 ended', '2 ended'], 'by when each task ends, then as they came, then in a task\'s own order');
  const seen = [];
  for (let q = 0; q <= tied.instants.length; q++) {
    const s = src.replay.stateAfter(tied, q, pool(2));
    for (const v of Object.values(s.counts)) assert.ok(v >= 0, `no count below zero at ${q}`);
    seen.push(s.counts.inFlight);
  }
  // At 0 ms: task 0 enqueued and started, tasks 1 and 2 enqueued; at 1 ms task 2 started; then the four at 3 ms.
  assert.deepEqual(seen, [0, 0, 1, 1, 1, 2, 1, 2, 1, 0], 'in flight, instant by instant');
  assert.deepEqual(src.replay.stateAt(noop, 3, pool(2)).counts, counts({ succeeded: 2, failed: 1 }));
});

test('connection waits: waiting at the cursor, and a task that ended still waiting', () => {
  const events = [
    ev(0, 0, 0, 1, 6, 'succeeded', 1, 3),
    ev(1, 1, 0, 1.5, 4, 'timedOut', 2, -1),
  ];
  const at = (t) => src.replay.stateAt(events, t, pool(2));
  assert.deepEqual(at(1.2).counts, counts({ inFlight: 1, queued: 1, waiting: 1 }), 'a wait that begins as the task starts');
  assert.deepEqual(workers(at(1.2)), ['waiting 0', 'notStarted']);
  assert.deepEqual(at(2.5).counts, counts({ inFlight: 2, waiting: 2 }));
  assert.deepEqual(workers(at(2.5)), ['waiting 0', 'waiting 1']);
  assert.deepEqual(at(3).counts, counts({ inFlight: 2, waiting: 1 }), 'task 0 got its connection at 3 ms');
  assert.deepEqual(workers(at(3)), ['running 0', 'waiting 1']);
  assert.deepEqual(at(4).counts, counts({ inFlight: 1, timedOut: 1 }), 'task 1 timed out still waiting: no longer waiting');
  assert.deepEqual(workers(at(4)), ['running 0', 'idle']);
  assert.deepEqual(at(9).counts, counts({ succeeded: 1, timedOut: 1 }));
  assert.equal(src.replay.buildLog(events).instants.length, 9, 'five instants with a wait, four when it never ended');
  const log = src.replay.buildLog(events);
  const kinds = log.instants.filter((i) => i.event === 0).map((i) => i.kind);
  assert.deepEqual(kinds, ['enqueued', 'started', 'waitStarted', 'waitEnded', 'ended']);
  assert.equal(src.replay.describeInstant(log, log.instants.find((i) => i.kind === 'waitStarted'), 'pool'), 'task 0 began waiting for a connection on worker 1');
  assert.equal(src.replay.describeInstant(log, log.instants.find((i) => i.kind === 'waitEnded'), 'pool'), 'task 0 got a connection on worker 1');
});

test('a task that never started is queued until it ends (cancelled), and never on a worker', () => {
  const events = [ev(0, 0, 0, 1, 2), ev(1, -1, 0.5, -1, 6, 'cancelled')];
  assert.deepEqual(src.replay.stateAt(events, 3, pool(1)).counts, counts({ succeeded: 1, queued: 1 }));
  const end = src.replay.stateAt(events, 6, pool(1));
  assert.deepEqual(end.counts, counts({ succeeded: 1, cancelled: 1 }));
  assert.deepEqual(workers(end), ['idle']);
  const log = src.replay.buildLog(events);
  assert.equal(src.replay.describeInstant(log, log.instants.at(-1), 'pool'), 'task 1 ended before it started: cancelled');
});

test('workers that never ran, joined or left after a resize', () => {
  // A pool of 3 where worker 2 never gets a task.
  const idle = [ev(0, 0, 0, 1, 3), ev(1, 1, 0, 1, 2)];
  for (const t of [0, 1.5, 10]) assert.equal(src.replay.stateAt(idle, t, pool(3)).workers[2].state, 'notStarted', `at ${t} ms`);

  // Grown from 2 to 3 at 4 ms (worker 2's first task at 5 ms), shrunk to 1 at 8 ms (worker 1 finishes its task at 9 ms).
  const events = [ev(0, 0, 0, 1, 3), ev(1, 1, 0, 1, 6), ev(2, 2, 0, 5, 7), ev(3, 1, 0, 6, 9), ev(4, 0, 0, 3, 12)];
  const shape = pool(2, [{ askedMs: 4, workers: 3 }, { askedMs: 8, workers: 1 }]);
  const at = (t) => workers(src.replay.stateAt(events, t, shape));
  assert.deepEqual(at(2), ['running 0', 'running 1', 'notStarted'], 'before the pool grew, worker 3 does not exist yet');
  assert.deepEqual(at(4.5), ['running 4', 'running 1', 'notStarted'], 'grown: worker 3 is starting');
  assert.deepEqual(at(7.5), ['running 4', 'running 3', 'idle']);
  assert.deepEqual(at(8.5), ['running 4', 'running 3', 'left'], 'shrunk: worker 3 was idle and left');
  assert.deepEqual(at(10), ['running 4', 'left', 'left'], 'worker 2 left once its task was done');
  assert.deepEqual(at(20), ['idle', 'left', 'left']);

  // Shrunk then grown again: the worker that comes back is starting until its next task.
  const again = [ev(0, 1, 0, 1, 2), ev(1, 1, 0, 7, 8), ev(2, 0, 0, 0, 9)];
  const twice = pool(2, [{ askedMs: 3, workers: 1 }, { askedMs: 5, workers: 2 }]);
  assert.deepEqual(workers(src.replay.stateAt(again, 4, twice)), ['running 2', 'left']);
  assert.deepEqual(workers(src.replay.stateAt(again, 6, twice)), ['running 2', 'notStarted']);
  assert.deepEqual(workers(src.replay.stateAt(again, 7.5, twice)), ['running 2', 'running 1']);

  // One worker per task lists no workers; rayon's threads are listed as a pool's workers are.
  assert.deepEqual(src.replay.stateAt(idle, 1.5, { strategy: 'spawn-per-task', workers: 1, resizes: [] }).workers, []);
  assert.equal(src.replay.stateAt(idle, 1.5, { strategy: 'rayon', workers: 3, resizes: [] }).workers.length, 3);
});

test('while the run goes on, a worker with nothing recorded from the cursor on is unknown, not idle', () => {
  const events = [ev(0, 0, 0, 1, 3), ev(1, 1, 0, 1, 2), ev(2, 0, 0, 3, 5)];
  const at = (t, open) => workers(src.replay.stateAt(events, t, pool(3), open));
  assert.deepEqual(at(4, false), ['running 2', 'idle', 'notStarted']);
  assert.deepEqual(at(4, true), ['running 2', 'unknown', 'unknown'], 'worker 2 may be running a task not recorded yet');
  assert.deepEqual(at(2.5, true), ['running 0', 'unknown', 'unknown']);
  assert.deepEqual(at(0.5, true), ['notStarted', 'notStarted', 'unknown'], 'before its first recorded task, a worker had not started');
});

test('an event\'s instants never go back in time (clocks of two threads), so no count goes below zero', () => {
  const skewed = [ev(0, 0, 2.0001, 2, 3)];
  const log = src.replay.buildLog(skewed);
  assert.deepEqual(log.instants.map((i) => [i.kind, i.timeMs]), [['enqueued', 2.0001], ['started', 2.0001], ['ended', 3]]);
  for (let p = 0; p <= 3; p++) for (const v of Object.values(src.replay.stateAfter(log, p, pool(1)).counts)) assert.ok(v >= 0);
});

/** Random logs of a pool: tasks on workers, some waiting for a connection, some never started. */
const eventLog = fc.array(fc.record({
  worker: fc.integer({ min: 0, max: 3 }),
  enqueued: fc.integer({ min: 0, max: 40 }),
  queueWait: fc.integer({ min: 0, max: 10 }),
  run: fc.integer({ min: 0, max: 10 }),
  wait: fc.option(fc.integer({ min: 0, max: 5 })),
  started: fc.boolean(),
  outcome: fc.constantFrom('succeeded', 'failed', 'panicked', 'timedOut', 'cancelled'),
}), { maxLength: 30 }).map((rows) => rows.map((r, id) => {
  const start = r.enqueued + r.queueWait;
  if (!r.started) return ev(id, -1, r.enqueued, -1, start, 'cancelled');
  const wait = r.wait === null ? [-1, -1] : [start, Math.min(start + r.wait, start + r.run)];
  return ev(id, r.worker, r.enqueued, start, start + r.run, r.outcome, ...wait);
}));

test('on any log: one instant changes the counts by its own kind only, no count goes below zero, and the end has every outcome', () => {
  fc.assert(fc.property(eventLog, (events) => {
    const log = src.replay.buildLog(events);
    let before = src.replay.stateAfter(log, 0, pool(4));
    for (let p = 1; p <= log.instants.length; p++) {
      const now = src.replay.stateAfter(log, p, pool(4));
      const { kind, event } = log.instants[p - 1];
      const e = events[event];
      const delta = Object.fromEntries(Object.keys(ZERO).map((k) => [k, now.counts[k] - before.counts[k]]).filter(([, d]) => d !== 0));
      const expected = {
        enqueued: { queued: 1 },
        started: { queued: -1, inFlight: 1 },
        waitStarted: { waiting: 1 },
        waitEnded: { waiting: -1 },
        ended: e.startedMs < 0 ? { queued: -1, [e.outcome]: 1 } : { inFlight: -1, [e.outcome]: 1, ...(e.waitStartMs >= 0 && e.waitEndMs < e.waitStartMs ? { waiting: -1 } : {}) },
      }[kind];
      assert.deepEqual(delta, expected, `instant ${p}: ${kind} of task ${e.taskId}`);
      for (const v of Object.values(now.counts)) assert.ok(v >= 0);
      assert.ok(log.instants[p - 1].timeMs >= (p > 1 ? log.instants[p - 2].timeMs : 0), 'in time order');
      before = now;
    }
    const end = src.replay.stateAt(events, Infinity, pool(4));
    for (const outcome of ['succeeded', 'failed', 'panicked', 'timedOut', 'cancelled']) {
      assert.equal(end.counts[outcome], events.filter((e) => e.outcome === outcome).length, outcome);
    }
    assert.equal(end.counts.inFlight + end.counts.queued + end.counts.waiting, 0);
    // stateAt(t) is the state after every instant at or before t.
    for (const t of [0, 5.5, 12, 30]) {
      const expectedPosition = log.instants.filter((i) => i.timeMs <= t).length;
      assert.equal(src.replay.stateAt(events, t, pool(4)).position, expectedPosition, `at ${t} ms`);
    }
  }), { numRuns: 300 });
});

test('a long log (past the cached tallies every 2,048 instants): any position, in any order, gives what one instant after another gives', () => {
  const events = Array.from({ length: 3000 }, (_, id) => {
    const start = id * 0.3 + (id % 7) * 0.1;
    return id % 11 === 0
      ? ev(id, -1, id * 0.1, -1, start, 'cancelled')
      : ev(id, id % 5, id * 0.1, start, start + 1 + (id % 4), ['succeeded', 'failed', 'timedOut'][id % 3], id % 3 ? start : -1, id % 3 ? start + 0.5 : -1);
  });
  const log = src.replay.buildLog(events);
  assert.ok(log.instants.length > 5 * 2048, `${log.instants.length} instants`);
  const shape = pool(5);
  // One instant after another, with a tally of our own.
  const own = { ...ZERO };
  const expected = [{ ...own }];
  for (const { kind, event } of log.instants) {
    const e = events[event];
    if (kind === 'enqueued') own.queued++;
    else if (kind === 'started') { own.queued--; own.inFlight++; }
    else if (kind === 'waitStarted') own.waiting++;
    else if (kind === 'waitEnded') own.waiting--;
    else { own[e.outcome]++; if (e.startedMs < 0) own.queued--; else own.inFlight--; }
    expected.push({ ...own });
  }
  const fresh = src.replay.buildLog(events);
  const positions = [log.instants.length, 0, 2047, 2048, 2049, 4096, 6000, 1, 10_000, 4095];
  for (const p of positions) {
    assert.deepEqual(src.replay.stateAfter(log, p, shape).counts, expected[p], `position ${p}`);
  }
  for (let p = 0; p <= fresh.instants.length; p += 97) assert.deepEqual(src.replay.stateAfter(fresh, p, shape).counts, expected[p], `position ${p}, in order`);
  assert.deepEqual(workers(src.replay.stateAfter(log, 4100, shape)), workers(src.replay.stateAfter(src.replay.buildLog(events), 4100, shape)));
});

test('the link\'s t=: ms, an integer or a decimal; a bad one is named and the rest of the link still loads', () => {
  const { parseTime, formatTime } = src.replay;
  assert.deepEqual(parseTime('250'), { value: 250 });
  assert.deepEqual(parseTime('12.5'), { value: 12.5 });
  assert.deepEqual(parseTime(' 0 '), { value: 0 });
  assert.deepEqual(parseTime('.5'), { value: 0.5 });
  for (const bad of ['', 'abc', '-5', '1e3', '1,5', 'Infinity', '0x10', '12ms', '9'.repeat(40)]) {
    assert.ok('error' in parseTime(bad), `t=${bad} is refused`);
  }
  assert.equal(formatTime(812.5), '812.5');
  assert.equal(formatTime(1200), '1200');
  assert.equal(formatTime(1 / 3), '0.333');

  const { decode, decodeTime, encode } = src.urlState;
  assert.deepEqual(decodeTime('?workers=3&t=812.5'), { time: 812.5, problem: null });
  assert.deepEqual(decodeTime('?workers=3'), { time: null, problem: null });
  const bad = decodeTime('?workers=3&t=soon');
  assert.equal(bad.time, null);
  assert.match(bad.problem, /^t=soon: the replay time must be a number of ms since the run started/);
  const rest = decode('?workers=3&t=soon');
  assert.deepEqual(rest.problems, [], 't is no setting: the settings still load');
  assert.equal(rest.settings.workers, 3);
  const settings = { ...src.config.DEFAULTS, workers: 3 };
  assert.equal(encode(settings, 'run', 812.5), '?workers=3&t=812.5');
  assert.equal(encode(settings, 'run'), '?workers=3', 'no cursor, no t');
  assert.equal(decodeTime(encode(settings, 'compare', 1 / 3)).time, 0.333);
});
