// Open arrivals through the package API in Chromium: tasks submitted at a
// Poisson rate by the feeder thread. Below saturation the queue stays short
// and no submit waits; above it the bounded queue fills and the submitter
// blocks (backpressure); a rate is refused naming the field when invalid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApiPage } from './helpers.mjs';

const env = useApiPage();

/**
 * `config` on a playground whose threads are already up: a warm-up run first,
 * then `config` once its threads parked (the arrivals' clock starts with the
 * feeder, and cold Web Workers could take longer than the first gaps).
 */
const run = (config) => env.page.evaluate(async (config) => {
  const pg = await window.api.createPlayground();
  try {
    await pg.run({ strategy: 'pool', workers: config.workers, tasks: 20, kind: 'noop' });
    for (let wait = 0; (await pg.refreshInfo()).warmThreads < config.workers + 1 && wait < 200; wait++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    return await pg.run(config);
  } catch (e) {
    return { error: { name: e.name, field: e.field, message: e.message } };
  } finally {
    pg.dispose();
  }
}, config);

const open = (arrivalRate, tasks) => ({ strategy: 'pool', workers: 2, tasks, failureRate: 0, queueCapacity: 10, kind: 'sleep', sleepMs: [4, 6], seed: 7, arrivalRate });

test('below saturation (ρ = 0.1) the queue stays short, no submit waits, and the run lasts as long as the arrivals', async () => {
  // 40 tasks at 40/s arrive over about a second (the last at ~1.17 s for this seed, natively computed).
  const summary = await run(open(40, 40));
  assert.equal(summary.succeeded, 40);
  assert.equal(summary.submitsBlocked, 0);
  assert.ok(summary.queueHighWater < 10, `queue high-water ${summary.queueHighWater}`);
  assert.ok(summary.elapsedMs >= 1170, `a paced run cannot end before its last arrival (ended after ${summary.elapsedMs} ms)`);
});

test('above saturation (ρ = 5) the queue reaches its capacity and the submitter blocks', async () => {
  const summary = await run(open(2000, 200));
  assert.equal(summary.succeeded, 200);
  assert.equal(summary.queueHighWater, 10);
  assert.ok(summary.submitsBlocked > 0);
});

test('an arrival rate is refused naming the field: out of range, or with another strategy', async () => {
  for (const config of [open(0, 1), open(-5, 1), open(2e6, 1), { ...open(10, 1), strategy: 'rayon' }, { ...open(10, 1), strategy: 'spawn-per-task' }]) {
    const { error } = await run(config);
    assert.equal(error?.name, 'ConfigError', JSON.stringify(config));
    assert.equal(error.field, 'arrivalRate');
  }
});
