// A pool that changes size while it runs, and one that replaces a worker
// whose thread died, through the package API in Chromium on real Web Worker
// threads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sum, useApiPage } from './helpers.mjs';

const env = useApiPage();

test('resizing a 100,000-task pool run many times (down to 1, up to 64) ends every task once', async () => {
  const sizes = [1, 64, 2, 17, 1, 8, 64, 3, 1, 32, 5, 2];
  const outcome = await env.page.evaluate(async (sizes) => {
    const pg = window.playground;
    const seen = new Set();
    let repeated = 0;
    let ended = false;
    const run = pg.run(
      // Sleeping tasks: long enough at any size for every resize to land mid-run.
      { strategy: 'pool', workers: 4, tasks: 100_000, failureRate: 0, kind: 'sleep', sleepMs: [1, 2], seed: 5 },
      { onProgress: (p) => { for (const e of p.events) { if (seen.has(e.taskId)) repeated++; seen.add(e.taskId); } } },
    ).finally(() => { ended = true; });
    const resized = [];
    for (const workers of sizes) {
      if (ended) break;
      try {
        await pg.resize(workers);
        resized.push(workers);
      } catch (e) {
        if (!ended) throw e;
      }
    }
    // Then finish quickly.
    if (!ended) await pg.resize(64).catch(() => {});
    const summary = await run;
    // The run resolves when its last task ends; its threads leave or park a
    // moment later (65 still live against 27 parked was seen at once, on a
    // fresh machine): wait for that, up to 10 s.
    let info = await pg.refreshInfo();
    for (let wait = 0; info.liveThreads !== info.warmThreads && wait < 1000; wait++) {
      await new Promise((r) => setTimeout(r, 10));
      info = await pg.refreshInfo();
    }
    return { summary, resized, seen: seen.size, repeated, liveThreads: info.liveThreads, warmThreads: info.warmThreads };
  }, sizes);
  const { summary } = outcome;
  assert.deepEqual(outcome.resized, sizes, 'every resize landed while the run ran');
  assert.equal(summary.tasks, 100_000);
  assert.equal(sum(summary), 100_000, 'every task ended once');
  assert.equal(summary.succeeded, 100_000);
  assert.equal(summary.perWorkerTasks.reduce((n, w) => n + w.tasks, 0), 100_000, 'per-worker counts add up');
  assert.ok(summary.perWorkerTasks.every((w) => w.worker < 64), 'lanes are reused');
  assert.equal(outcome.repeated, 0, 'no timeline event twice');
  assert.equal(outcome.seen, summary.timelineEvents);
  assert.equal(outcome.liveThreads, outcome.warmThreads, 'every thread of the run has left or is parked');
});

test('a resize is refused out of range, outside a run, and for rayon, saying why', async () => {
  const errors = await env.page.evaluate(async () => {
    const pg = window.playground;
    const caught = (p) => p.then(() => null, (e) => ({ name: e.name, field: e.field, message: e.message }));
    const idle = await caught(pg.resize(4));
    const run = pg.run({ strategy: 'pool', workers: 2, tasks: 400, kind: 'sleep', sleepMs: [5, 10] });
    const zero = await caught(pg.resize(0));
    const fraction = await caught(pg.resize(2.5));
    const tooMany = await caught(pg.resize(257));
    await run;
    const rayonRun = pg.run({ strategy: 'rayon', workers: 2, tasks: 400, kind: 'sleep', sleepMs: [5, 10] });
    const rayon = await caught(pg.resize(4));
    await rayonRun;
    return { idle, zero, fraction, tooMany, rayon };
  });
  assert.equal(errors.idle?.name, 'RuntimeError');
  assert.match(errors.idle.message, /no run is in progress/);
  for (const refused of [errors.zero, errors.fraction, errors.tooMany]) {
    assert.equal(refused?.name, 'ConfigError', JSON.stringify(refused));
    assert.equal(refused.field, 'workers');
  }
  assert.equal(errors.rayon?.name, 'RuntimeError', JSON.stringify(errors.rayon));
  assert.match(errors.rayon.message, /^rayon cannot be resized/);
});

test('tasks that trap in a one-worker pool fail saying the thread died; each worker is replaced and every other task succeeds', async () => {
  // Seed 12 at a 1 % trap rate: these 12 of 2,000 trap (computed from the Rust workload).
  const traps = [10, 447, 524, 790, 856, 891, 1004, 1057, 1126, 1569, 1853, 1945];
  const summary = await env.page.evaluate(() => window.playground.run(
    { strategy: 'pool', workers: 1, tasks: 2_000, failureRate: 0, trapRate: 0.01, kind: 'noop', seed: 12 }));
  assert.equal(sum(summary), 2_000);
  assert.deepEqual(summary.failedTaskIds, traps, 'exactly the trapped tasks fail');
  assert.equal(summary.threadFailures, traps.length);
  assert.match(summary.threadFailureReason, /^thread died: worker 0 died: /);
  assert.equal(summary.succeeded, 2_000 - traps.length, 'a replacement ran every other task');
  assert.equal(summary.peakThreads, 1, 'one worker at a time');
});
