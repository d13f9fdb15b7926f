// The orchestrator's drain pace (lib/drain.ts, built to dist/): how long
// it waits before taking a run's results again, from the rate they arrived at.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DRAIN_BATCH, DRAIN_MIN_MS, DrainPace, nextDrainMs } from '../dist/drain.js';

/** The waits of `drains` drains in a row when results arrive at `perMs` a millisecond. */
function waits(perMs, drains, maxMs = 33) {
  const out = [];
  let wait = DRAIN_MIN_MS;
  for (let i = 0; i < drains; i++) {
    wait = nextDrainMs(wait, Math.floor(wait * perMs), maxMs);
    out.push(wait);
  }
  return out;
}

test('results that arrive fast are taken every DRAIN_MIN_MS', () => {
  // 100,000 no-op tasks at 2 workers: about 10,000 results a millisecond.
  assert.deepEqual(waits(10_000, 5), [2, 2, 2, 2, 2]);
  assert.equal(nextDrainMs(4.3, 40_000, 33), DRAIN_MIN_MS, 'a backlog brings the pace back at once');
});

test('sparse results make each wait twice the last, up to the progress interval', () => {
  // 200 × doWork(1e6) at 2 workers: about 5 results a millisecond.
  assert.deepEqual(waits(5, 6), [4, 8, 16, 32, 33, 33]);
  assert.deepEqual(waits(5, 6, 20), [4, 8, 16, 20, 20, 20], 'never past maxMs');
});

test('in between, the wait is the time DRAIN_BATCH results take', () => {
  assert.equal(nextDrainMs(8, 2 * DRAIN_BATCH, 33), 4);
  assert.equal(nextDrainMs(16, DRAIN_BATCH / 2, 33), 32);
  // 20 results a millisecond settle where a drain takes about DRAIN_BATCH.
  const settled = waits(20, 12).at(-1);
  assert.ok(Math.abs(settled * 20 - DRAIN_BATCH) <= 20, `settled at ${settled} ms`);
});

test('no result, or no time since the last drain, waits DRAIN_MIN_MS at first', () => {
  assert.equal(nextDrainMs(0, 0, 33), DRAIN_MIN_MS);
  assert.equal(nextDrainMs(0.3, 0, 33), DRAIN_MIN_MS);
  assert.equal(nextDrainMs(5, 0, 33), 10);
});

test("a run's pace stays at DRAIN_MIN_MS until its first result, then follows the rate", () => {
  const pace = new DrainPace(100);
  let now = 100;
  // Threads still starting send nothing: the wait does not grow.
  for (let i = 0; i < 10; i++) {
    now += 4;
    assert.equal(pace.drained(now, 0, 33), DRAIN_MIN_MS);
  }
  // 20 results 4 ms after the last drain: sparse, so twice the wait.
  now += 4;
  assert.equal(pace.drained(now, 20, 33), 8);
  // Then an empty drain is a pause in the results: the wait grows on.
  now += 8;
  assert.equal(pace.drained(now, 0, 33), 16);
});
