// The four common errors through the package API in Chromium, on real Web
// Workers: each demonstration runs the mistake and the fix, and what each
// observed is asserted (the same values as crate/tests/native_lessons.rs):
// the tutorial's failure happens in the mistake, not in the fix, and no
// thread is left running afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApiPage } from './helpers.mjs';

const env = useApiPage();

/** demonstrate(error) on a fresh playground, and the live threads once its threads are gone. */
const demonstrate = (error) => env.page.evaluate(async (error) => {
  const pg = await window.api.createPlayground();
  try {
    const report = await pg.demonstrate(error);
    let info = await pg.refreshInfo();
    for (let wait = 0; info.liveThreads > info.warmThreads && wait < 500; wait++) {
      await new Promise((r) => setTimeout(r, 10));
      info = await pg.refreshInfo();
    }
    return { report, busyThreads: info.liveThreads - info.warmThreads };
  } finally {
    pg.dispose();
  }
}, error);

test('a queue never closed: the mistake leaks its 5 workers, blocked in recv(); close() leaves none', async () => {
  const { report, busyThreads } = await demonstrate('queue-never-closed');
  const { mistake, fix } = report;
  assert.equal(mistake.happened, true, mistake.verdict);
  assert.deepEqual(
    { processed: mistake.observed.processed, leakedThreads: mistake.observed.leakedThreads, blockedInRecv: mistake.observed.blockedInRecv, threadsLeftAfterRelease: mistake.observed.threadsLeftAfterRelease },
    { processed: 10, leakedThreads: 5, blockedInRecv: 5, threadsLeftAfterRelease: 0 });
  assert.equal(fix.happened, false, fix.verdict);
  assert.equal(fix.observed.processed, 10);
  assert.equal(fix.observed.leakedThreads, 0);
  assert.equal(busyThreads, 0);
});

test('send after close: the Go channel panics twice, caught; the pool refuses the submit and hands the task back', async () => {
  const { report } = await demonstrate('send-after-close');
  const { mistake, fix } = report;
  assert.equal(mistake.happened, true, mistake.verdict);
  assert.equal(mistake.observed.sent, 5);
  assert.equal(mistake.observed.processed, 5);
  assert.equal(mistake.observed.panicMessage, 'send on closed channel');
  assert.equal(mistake.observed.secondCloseMessage, 'close of closed channel');
  assert.equal(fix.happened, false, fix.verdict);
  assert.deepEqual(
    { lateSubmit: fix.observed.lateSubmit, taskHandedBack: fix.observed.taskHandedBack, secondCloseChanged: fix.observed.secondCloseChanged, panicked: fix.observed.panicked, completed: fix.observed.completed },
    { lateSubmit: 'Err(Closed)', taskHandedBack: 999, secondCloseChanged: false, panicked: false, completed: 5 });
});

test('unbuffered jobs and results: the mistake deadlocks with every thread blocked; the pool completes', async () => {
  const { report, busyThreads } = await demonstrate('unbuffered-queue');
  const { mistake, fix } = report;
  assert.equal(mistake.happened, true, mistake.verdict);
  assert.equal(mistake.observed.deadlocked, true);
  assert.equal(mistake.observed.jobsHandedOver, 2);
  assert.equal(mistake.observed.resultsRead, 0);
  assert.equal(mistake.observed.blockedThreads, 3);
  assert.match(mistake.observed.blockedAt, /main: blocked sending job 2/);
  assert.equal(mistake.observed.blockedAt.match(/blocked sending the result of job/g)?.length, 2, mistake.observed.blockedAt);
  assert.equal(fix.happened, false, fix.verdict);
  assert.equal(fix.observed.completed, 10);
  assert.equal(fix.observed.deadlocked, false);
  assert.equal(busyThreads, 0);
});

test('wait-group misuse: Wait returns early or hangs three ways; join() waits for exactly the pool\'s workers', async () => {
  const { report, busyThreads } = await demonstrate('waitgroup-misuse');
  const { mistake, fix } = report;
  assert.equal(mistake.happened, true, mistake.verdict);
  assert.deepEqual(
    { addInsideReturnedEarly: mistake.observed.addInsideReturnedEarly, doneWhenWaitReturned: mistake.observed.doneWhenWaitReturned, copiedWaitGroupHung: mistake.observed.copiedWaitGroupHung, copiedCounterLeft: mistake.observed.copiedCounterLeft, missingDoneHung: mistake.observed.missingDoneHung, missingDoneCounterLeft: mistake.observed.missingDoneCounterLeft },
    { addInsideReturnedEarly: true, doneWhenWaitReturned: 0, copiedWaitGroupHung: true, copiedCounterLeft: 3, missingDoneHung: true, missingDoneCounterLeft: 1 });
  assert.equal(fix.happened, false, fix.verdict);
  assert.deepEqual(
    { completed: fix.observed.completed, exitedWhenJoinReturned: fix.observed.exitedWhenJoinReturned, hung: fix.observed.hung },
    { completed: 10, exitedWhenJoinReturned: 5, hung: false });
  assert.equal(busyThreads, 0);
});

test('an unknown common error is refused naming the field', async () => {
  const error = await env.page.evaluate(async () => {
    const pg = await window.api.createPlayground();
    try {
      await pg.demonstrate('goroutine-leak');
      return null;
    } catch (e) {
      return { name: e.name, field: e.field, message: e.message };
    } finally {
      pg.dispose();
    }
  });
  assert.equal(error?.field, 'error');
  assert.match(error.message, /unknown common error 'goroutine-leak'/);
});
