// Runs that fail loudly, through the package API in headless Chromium: a
// host that lost the thread worker script, tasks that trap (each kills its
// thread with a real wasm `unreachable`), a runtime that stops answering,
// and aborts that must settle. Every run ends in bounded time with the truth.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_FIXTURE, launch, openPage, serveRepo, startPlayground, sum } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const STRATEGIES = ['pool', 'spawn-per-task', 'rayon'];

/**
 * Runs `config` in the page's playground; resolves to { summary } or
 * { error }, how long it took, and how long after its abort it settled.
 * `abortWhenTaskEnds`: abort as soon as that task's result arrives.
 * `window.abortRun()` aborts it from the test.
 */
const runIn = (page, config, { abortWhenTaskEnds } = {}) =>
  page.evaluate(async ({ config, abortWhenTaskEnds }) => {
    const controller = new AbortController();
    const t0 = performance.now();
    let abortedAt = null;
    window.abortRun = () => { abortedAt = performance.now(); controller.abort(); };
    window.progressSeen = false;
    const onProgress = ({ events }) => {
      window.progressSeen = true;
      if (abortedAt === null && events.some((e) => e.taskId === abortWhenTaskEnds)) window.abortRun();
    };
    const settled = () => ({ ms: performance.now() - t0, settledAfterAbortMs: abortedAt === null ? null : performance.now() - abortedAt });
    try {
      const summary = await window.playground.run(config, { signal: controller.signal, onProgress });
      return { summary, ...settled() };
    } catch (e) {
      return { error: { name: e.name, message: e.message }, ...settled() };
    }
  }, { config, abortWhenTaskEnds });

test('served without the thread worker script (404), a run ends within 10 s with every task failed, naming the start failure, in all three strategies', async () => {
  const server = await serveRepo({ missing: (path) => path.endsWith('/thread_worker.js') });
  try {
    const page = await openPage(browser, server.url + API_FIXTURE);
    await startPlayground(page);
    for (const strategy of STRATEGIES) {
      const { summary, error, ms } = await runIn(page, { strategy, workers: 2, tasks: 100, kind: 'sleep', sleepMs: [1, 2] });
      assert.equal(error, undefined, `${strategy}: ${JSON.stringify(error)}`);
      assert.ok(ms < 10_000, `${strategy}: took ${ms.toFixed(0)} ms`);
      assert.equal(sum(summary), 100, strategy);
      assert.equal(summary.failed, 100, `${strategy}: ${JSON.stringify(summary)}`);
      assert.equal(summary.cancelled, 0, strategy);
      assert.equal(summary.aborted, false);
      assert.equal(summary.threadFailures, 100, strategy);
      assert.match(summary.threadFailureReason, /^thread failed to start/, strategy);
      assert.match(summary.threadFailureReason, /failed to load|fetch|import/i, strategy);
    }
    await page.context().close();
  } finally {
    await server.close();
  }
});

test('tasks that trap fail within 5 s saying the thread died, in all three strategies, and aborting after a trap settles within 1 s', async () => {
  const server = await serveRepo();
  try {
    const page = await openPage(browser, server.url + API_FIXTURE);
    await startPlayground(page);
    // Seed 3 at a 4 % trap rate: tasks 27 and 31 of 60 trap (crate/tests/web_faults.rs).
    const config = { workers: 4, tasks: 60, failureRate: 0.1, trapRate: 0.04, kind: 'sleep', sleepMs: [1, 3], seed: 3 };
    const failed = {};
    for (const strategy of STRATEGIES) {
      const { summary, error, ms } = await runIn(page, { ...config, strategy });
      assert.equal(error, undefined, `${strategy}: ${JSON.stringify(error)}`);
      assert.ok(ms < 5_000, `${strategy}: took ${ms.toFixed(0)} ms`);
      assert.equal(sum(summary), 60, strategy);
      assert.equal(summary.cancelled, 0, `${strategy}: a fault is not a cancel`);
      assert.ok(summary.threadFailures >= 2, `${strategy}: ${summary.threadFailures}`);
      assert.match(summary.threadFailureReason, /^thread died: .*RuntimeError: unreachable/, strategy);
      assert.ok(summary.failedTaskIds.includes(27) && summary.failedTaskIds.includes(31), strategy);
      failed[strategy] = summary.failedTaskIds;
    }
    // Pool and one worker per task lose only the trapping tasks' threads:
    // both fail exactly the seed's failures plus the two traps.
    assert.deepEqual(failed['spawn-per-task'], failed.pool);
    assert.equal(failed.pool.length, 6, `4 seeded failures and the 2 traps: ${JSON.stringify(failed.pool)}`);

    // Seed 126 at 0.2 %: task 5 of 400 traps early; abort once it has.
    const aborted = await runIn(page, { strategy: 'pool', workers: 2, tasks: 400, trapRate: 0.002, seed: 126, kind: 'sleep', sleepMs: [20, 40] }, { abortWhenTaskEnds: 5 });
    assert.equal(aborted.error, undefined, JSON.stringify(aborted.error));
    assert.ok(aborted.settledAfterAbortMs < 1_000, `settled ${aborted.settledAfterAbortMs.toFixed(0)} ms after the abort`);
    assert.equal(aborted.summary.aborted, true);
    assert.equal(aborted.summary.threadFailures, 1, 'task 5 trapped before the abort');
    assert.equal(sum(aborted.summary), 400);
    assert.ok(aborted.summary.cancelled > 0);
    await page.context().close();
  } finally {
    await server.close();
  }
});

/** Makes the page's orchestrator worker stop answering: its event loop spins for a minute. */
function hangOrchestrator(page) {
  const orchestrator = page.workers().find((w) => w.url().includes('orchestrator'));
  assert.ok(orchestrator, 'the orchestrator worker is found');
  // Not awaited: it never returns (until the worker is ended).
  orchestrator.evaluate(() => { const end = Date.now() + 60_000; while (Date.now() < end); }).catch(() => {});
}

test('a runtime that stops answering is ended by the watchdog: the run rejects with RuntimeError, the next run gets a fresh runtime', async () => {
  const server = await serveRepo();
  try {
    const page = await openPage(browser, server.url + API_FIXTURE);
    await page.waitForFunction(() => window.api !== undefined);
    await page.evaluate(async () => { window.playground = await window.api.createPlayground({ watchdogMs: 2_000 }); });
    const pending = runIn(page, { strategy: 'pool', workers: 2, tasks: 100_000, kind: 'sleep', sleepMs: [1, 2] });
    await page.waitForFunction(() => window.progressSeen);
    const hungAt = Date.now();
    hangOrchestrator(page);
    const { error } = await pending;
    const silentMs = Date.now() - hungAt;
    assert.equal(error?.name, 'RuntimeError', JSON.stringify(error));
    assert.match(error.message, /stopped answering/);
    // The watchdog's 2 s, plus at most one check interval (1 s) and slack.
    assert.ok(silentMs < 2_000 + 1_000 + 1_000, `rejected ${silentMs} ms after the runtime went silent`);
    const next = await runIn(page, { strategy: 'pool', workers: 2, tasks: 20, kind: 'noop' });
    assert.equal(next.error, undefined, JSON.stringify(next.error));
    assert.equal(sum(next.summary), 20);
    await page.context().close();
  } finally {
    await server.close();
  }
});

test('an abort settles within 1 s even when the runtime does not answer', async () => {
  const server = await serveRepo();
  try {
    const page = await openPage(browser, server.url + API_FIXTURE);
    await page.waitForFunction(() => window.api !== undefined);
    // A watchdog far longer than the abort's second.
    await page.evaluate(async () => { window.playground = await window.api.createPlayground({ watchdogMs: 30_000 }); });
    const pending = runIn(page, { strategy: 'pool', workers: 2, tasks: 100_000, kind: 'sleep', sleepMs: [1, 2] });
    await page.waitForFunction(() => window.progressSeen);
    hangOrchestrator(page);
    await page.evaluate(() => window.abortRun());
    const { error, settledAfterAbortMs } = await pending;
    assert.equal(error?.name, 'RuntimeError', JSON.stringify(error));
    assert.match(error.message, /did not stop within 1000 ms of its abort/);
    assert.ok(settledAfterAbortMs < 1_500, `settled ${settledAfterAbortMs?.toFixed(0)} ms after the abort`);
    await page.context().close();
  } finally {
    await server.close();
  }
});
