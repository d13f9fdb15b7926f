// The runtime in Firefox ESR (Debian's firefox-esr, driven over WebDriver
// BiDi by playwright-core 1.64.1, the newest that works with ESR 153): the
// runs that deadlocked while the orchestrator worker constructed the thread
// workers itself (scripts/firefox-nested-workers: while Playwright listens
// for console messages, Firefox blocks a worker inside `new Worker` after a
// few nested workers) complete now that the
// page starts them. Each would end with "the runtime stopped answering"
// before that change.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_FIXTURE, ready, runOnPage, serveRepo, serveSite } from '../helpers.mjs';
import { launchFirefox } from './launch.mjs';

let browser, repo, site, page;
before(async () => {
  browser = await launchFirefox();
  repo = await serveRepo();
  site = await serveSite();
  page = await (await browser.newContext()).newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(`pageerror: ${error.message}`));
  await page.goto(repo.url + API_FIXTURE);
  await page.waitForFunction(() => window.api !== undefined);
});
after(async () => {
  await browser?.close();
  await repo?.close();
  await site?.close();
});

/** `config` run on a fresh playground; the summary, or the error's message. The page logged no error meanwhile. */
async function run(config) {
  const summary = await page.evaluate(async (config) => {
    const pg = await window.api.createPlayground();
    try {
      return await pg.run(config);
    } catch (error) {
      return { error: String(error) };
    } finally {
      pg.dispose();
    }
  }, config);
  assert.deepEqual(page.errors.splice(0), [], 'no page error');
  return summary;
}

test("the thread ceiling is Firefox's: 511, and a spawn cap over it is refused naming it", async () => {
  const seen = await page.evaluate(async () => {
    const pg = await window.api.createPlayground();
    try {
      const max = pg.info.maxLiveThreads;
      const refused = await pg.run({ strategy: 'spawn-per-task', tasks: 4, kind: 'noop', spawnCap: max + 1 }).then(
        () => null, (error) => ({ field: error.field, message: error.message }));
      return { max, refused };
    } finally {
      pg.dispose();
    }
  });
  // 512 workers per site (dom.workers.maxPerDomain), the orchestrator included.
  assert.equal(seen.max, 511);
  assert.equal(seen.refused?.field, 'spawnCap');
  assert.match(seen.refused.message, /511/);
});

test('a 64-worker pool runs 2,000 tasks to the end', async () => {
  const summary = await run({ strategy: 'pool', workers: 64, tasks: 2000, kind: 'sleep', sleepMs: [1, 3], failureRate: 0 });
  assert.equal(summary.error, undefined, summary.error);
  assert.equal(summary.succeeded, 2000);
  assert.equal(summary.peakThreads, 64);
});

test('a 1,000-task one-worker-per-task run starts every thread and ends every task', async () => {
  const summary = await run({ strategy: 'spawn-per-task', tasks: 1000, kind: 'noop', failureRate: 0, spawnCap: 64 });
  assert.equal(summary.error, undefined, summary.error);
  assert.equal(summary.succeeded, 1000);
  assert.equal(summary.threadFailures, 0);
});

test('60 threads started at once, one per task, all run', async () => {
  const summary = await run({ strategy: 'spawn-per-task', tasks: 60, kind: 'noop', failureRate: 0 });
  assert.equal(summary.error, undefined, summary.error);
  assert.equal(summary.succeeded, 60);
  assert.equal(summary.peakThreads, 60);
});

test('rayon and a warm second pool run', async () => {
  const rounds = await page.evaluate(async () => {
    const pg = await window.api.createPlayground();
    try {
      const rayon = await pg.run({ strategy: 'rayon', workers: 4, tasks: 400, kind: 'cpu', cpuIterations: [1000, 10000], failureRate: 0 });
      const first = await pg.run({ strategy: 'pool', workers: 8, tasks: 200, kind: 'noop', failureRate: 0 });
      let info = await pg.refreshInfo();
      for (let wait = 0; info.warmThreads < 9 && wait < 200; wait++) {
        await new Promise((r) => setTimeout(r, 10));
        info = await pg.refreshInfo();
      }
      const before = info.threadsSpawned;
      const second = await pg.run({ strategy: 'pool', workers: 8, tasks: 200, kind: 'noop', failureRate: 0 });
      return { rayon: rayon.succeeded, first: first.succeeded, second: second.succeeded, spawned: (await pg.refreshInfo()).threadsSpawned - before };
    } finally {
      pg.dispose();
    }
  });
  assert.deepEqual(rounds, { rayon: 400, first: 200, second: 200, spawned: 0 });
});

test('the built page runs its defaults', async () => {
  const sitePage = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const errors = [];
  sitePage.on('pageerror', (error) => errors.push(error.message));
  await sitePage.goto(site.url);
  await ready(sitePage);
  const summary = await runOnPage(sitePage);
  assert.equal(summary.succeeded + summary.failed, 1000);
  assert.equal(summary.peakThreads, 8);
  assert.deepEqual(errors, []);
  await sitePage.context().close();
});
