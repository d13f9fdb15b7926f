// Warm threads through the package API in Chromium: a second run starts no
// thread, parked threads leave after the idle timeout, warmThreads: 0 keeps
// none, a run ends when its threads are done, and bad options are refused
// naming the option.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sum, useApiPage } from './helpers.mjs';

const env = useApiPage();

/** Runs `runs` pool runs of 8 workers on a playground made with `options`; what each cost in threads. */
const runsOn = (options, runs) => env.page.evaluate(async ({ options, runs }) => {
  const pg = await window.api.createPlayground(options);
  try {
    const rounds = [];
    for (let i = 0; i < runs; i++) {
      const before = (await pg.refreshInfo()).threadsSpawned;
      const summary = await pg.run({ strategy: 'pool', workers: 8, tasks: 200, kind: 'noop', failureRate: 0 });
      // Its threads park a moment after its end (the 8 workers and the feeder, as the policy allows).
      const parking = Math.min(9, options.warmThreads ?? 256);
      let info = await pg.refreshInfo();
      for (let wait = 0; info.warmThreads < parking && wait < 100; wait++) {
        await new Promise((r) => setTimeout(r, 10));
        info = await pg.refreshInfo();
      }
      rounds.push({ spawned: info.threadsSpawned - before, total: summary.succeeded, firstStartMs: summary.firstStartMs, warm: info.warmThreads });
    }
    return rounds;
  } finally {
    pg.dispose();
  }
}, { options, runs });

test('the second and later runs of an 8-worker pool start no thread', async () => {
  const rounds = await runsOn({}, 4);
  assert.deepEqual(rounds.map((r) => r.total), [200, 200, 200, 200]);
  assert.equal(rounds[0].spawned, 9, 'the first run starts its 8 workers and its feeder');
  assert.deepEqual(rounds.slice(1).map((r) => r.spawned), [0, 0, 0], 'later runs take parked threads');
  console.log(`# first task start after run(): cold ${rounds[0].firstStartMs.toFixed(1)} ms, warm ${rounds.slice(1).map((r) => r.firstStartMs.toFixed(1)).join(', ')} ms`);
});

test('warmThreads: 0 keeps no thread: every run starts its own', async () => {
  const rounds = await runsOn({ warmThreads: 0 }, 3);
  assert.deepEqual(rounds.map((r) => r.spawned), [9, 9, 9]);
  assert.deepEqual(rounds.map((r) => r.warm), [0, 0, 0]);
});

test('parked threads leave once idle for idleTimeoutMs', async () => {
  const left = await env.page.evaluate(async () => {
    const pg = await window.api.createPlayground({ idleTimeoutMs: 300 });
    try {
      const summary = await pg.run({ strategy: 'pool', workers: 4, tasks: 50, kind: 'noop' });
      // They park a moment after the run's end (which run() now learns at
      // once), and leave 300 ms later: the most seen parked in the first 250 ms.
      let parked = 0;
      for (const t = performance.now(); parked < 5 && performance.now() - t < 250;) {
        parked = Math.max(parked, (await pg.refreshInfo()).warmThreads);
        await new Promise((r) => setTimeout(r, 5));
      }
      const t0 = performance.now();
      let info = await pg.refreshInfo();
      while (info.liveThreads > 0 && performance.now() - t0 < 10_000) {
        await new Promise((r) => setTimeout(r, 25));
        info = await pg.refreshInfo();
      }
      return { total: summary.tasks, parked, after: info };
    } finally {
      pg.dispose();
    }
  });
  assert.equal(left.parked, 5, 'its 4 workers and feeder were parked');
  assert.equal(left.after.warmThreads, 0);
  assert.equal(left.after.liveThreads, 0, 'and then left');
});

// With progress posted only every 20 s, a run learns of its end from its
// threads alone: from a parked thread's finished body (warm) or from a
// thread's exit (warmThreads: 0). Otherwise run() waits for the next poll.
test('run() resolves when its last thread is done, not at the next progress poll, warm or not', async () => {
  for (const warmThreads of [256, 0]) {
    const gaps = await env.page.evaluate(async (warmThreads) => {
      const pg = await window.api.createPlayground({ progressIntervalMs: 20_000, warmThreads });
      try {
        const gaps = [];
        for (let i = 0; i < 3; i++) {
          const summary = await pg.run({ strategy: 'pool', workers: 2, tasks: 20, kind: 'sleep', sleepMs: [1, 2], failureRate: 0 });
          gaps.push(summary.elapsedMs - summary.lastResultMs);
        }
        return gaps;
      } finally {
        pg.dispose();
      }
    }, warmThreads);
    for (const gap of gaps) assert.ok(gap < 5_000, `warmThreads ${warmThreads}: run() learnt of the end ${gap} ms after the last result`);
  }
});

test('createPlayground refuses warm-thread options out of range, naming the option', async () => {
  for (const [options, field] of [
    ['{ warmThreads: -1 }', 'warmThreads'], ['{ warmThreads: 2.5 }', 'warmThreads'], ['{ warmThreads: 257 }', 'warmThreads'],
    ["{ warmThreads: '8' }", 'warmThreads'], ['{ idleTimeoutMs: 0 }', 'idleTimeoutMs'], ['{ idleTimeoutMs: Infinity }', 'idleTimeoutMs'],
    ['{ progressIntervalMs: 0 }', 'progressIntervalMs'], ["{ progressIntervalMs: '33' }", 'progressIntervalMs'],
  ]) {
    const error = await env.page.evaluate(
      (options) => window.api.createPlayground((0, eval)(`(${options})`))
        .then((p) => { p.dispose(); return null; }, (e) => ({ name: e.name, field: e.field, message: e.message })),
      options,
    );
    assert.ok(error, `${options} was accepted`);
    assert.equal(error.name, 'ConfigError', options);
    assert.equal(error.field, field, options);
  }
});

test('one worker per task still starts a new thread for every task', async () => {
  const spawned = await env.page.evaluate(async () => {
    const pg = window.playground;
    await pg.run({ strategy: 'pool', workers: 4, tasks: 20, kind: 'noop' });
    const before = (await pg.refreshInfo()).threadsSpawned;
    const summary = await pg.run({ strategy: 'spawn-per-task', tasks: 30, kind: 'noop', failureRate: 0 });
    return { spawned: (await pg.refreshInfo()).threadsSpawned - before, summary };
  });
  assert.equal(sum(spawned.summary), 30);
  assert.equal(spawned.summary.succeeded, 30);
  assert.equal(spawned.spawned, 30, 'a new thread for each of its 30 tasks');
});
