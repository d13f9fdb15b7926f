// The traps lesson's report (www/src/lessons.ts explainTraps), loaded from
// source through Vite: its numbers and its sentence come from the summary it
// is given, whatever the summary says, never from a sentence written for one
// run. (tests/page-compare-lessons.test.mjs runs the lesson itself.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useSource } from './helpers.mjs';

const src = useSource({ lessons: '/src/lessons.ts' });

/** A summary of a pool run: `tasks`, of which `trapped` died and `succeeded` succeeded. */
function summary({ tasks, trapped, succeeded, failed = trapped, reason, peakThreads = 4 }) {
  const failedTaskIds = Array.from({ length: failed }, (_, i) => i * 7 + 3);
  return {
    strategy: 'pool', tasks, succeeded, failed, timedOut: 0, cancelled: tasks - succeeded - failed, panicked: 0,
    neverSubmitted: 0, spawnRefused: 0, spawnRefusedReason: null,
    threadFailures: trapped, threadFailureReason: reason ?? (trapped ? `thread died: worker 1 died: RuntimeError: unreachable (it was running task ${failedTaskIds[0]})` : null),
    elapsedMs: 100, firstResultMs: 1, firstStartMs: 1, lastResultMs: 99, throughputPerSec: 1000, peakThreads, threadsUsed: peakThreads,
    failedTaskIds, panickedTaskIds: [], perWorkerTasks: [], memoryBytes: 0, timelineEvents: tasks, aborted: false,
  };
}

test('the traps report counts what the summary says and writes its sentence from those numbers', () => {
  for (const [tasks, trapped, peak] of [[200, 5, 4], [50, 3, 2], [1000, 1, 8], [37, 12, 3]]) {
    const s = summary({ tasks, trapped, succeeded: tasks - trapped, peakThreads: peak });
    const report = src.lessons.explainTraps(s);
    assert.equal(report.observed.trapped, trapped);
    assert.equal(report.observed.tasks, tasks);
    assert.equal(report.observed.otherTasks, tasks - trapped);
    assert.equal(report.observed.otherTasksSucceeded, tasks - trapped);
    assert.equal(report.observed.threadFailureReason, s.threadFailureReason);
    assert.equal(report.observed.reasonSaysThreadDied, true);
    const n = (v) => v.toLocaleString('en-US');
    assert.ok(report.detected.startsWith(`${n(trapped)} of the ${n(tasks)} tasks trapped`), report.detected);
    assert.ok(report.detected.includes(trapped === 1 ? 'it ended failed' : `all ${n(trapped)} ended failed`), report.detected);
    assert.ok(report.detected.includes(`"${s.threadFailureReason}"`), report.detected);
    assert.ok(report.detected.includes(`every one of the other ${n(tasks - trapped)} task${tasks - trapped === 1 ? '' : 's'} succeeded, on at most ${n(peak)} threads at once.`), report.detected);
  }
});

test('the traps report says so when the summary does not bear the lesson out', () => {
  // Fewer successes than the other tasks: it says how many did not succeed.
  let report = src.lessons.explainTraps(summary({ tasks: 100, trapped: 4, succeeded: 90 }));
  assert.match(report.detected, /The run went on: 90 of the other 96 tasks succeeded and 6 did not/);
  // Failures besides the traps: the trapped ones are some of the failed.
  report = src.lessons.explainTraps(summary({ tasks: 100, trapped: 4, failed: 9, succeeded: 91 }));
  assert.match(report.detected, /^4 of the 100 tasks trapped .*; they are 4 of the 9 that failed,/);
  // A reason that is not a thread death.
  report = src.lessons.explainTraps(summary({ tasks: 10, trapped: 2, succeeded: 8, reason: 'failed to start: no module' }));
  assert.equal(report.observed.reasonSaysThreadDied, false);
  assert.match(report.detected, /but the summary gives no thread-died reason \(failed to start: no module\)/);
  // No trap at all.
  report = src.lessons.explainTraps(summary({ tasks: 20, trapped: 0, succeeded: 20 }));
  assert.equal(report.detected, 'None of the 20 tasks trapped this time, so no thread died; 20 of them succeeded.');
  assert.equal(report.observed.trapped, 0);
});
