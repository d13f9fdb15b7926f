// The walking skeleton on the optimised production build (vite build of www/
// over the wasm-opt'ed package): this is what catches a wasm-opt that
// corrupts wasm-bindgen output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, sum, useSite } from './helpers.mjs';

const env = useSite();

test('the built page is isolated, runs a 2-worker pool on Web Workers over shared memory', async () => {
  // The playground's URL state sets the skeleton's run: 2 workers × 20 short tasks.
  const page = await openPage(env.browser, `${env.site.url}?workers=2&tasks=20&sleep=1-5`);
  await page.waitForSelector('#run:not([disabled])', { timeout: 30_000 });
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  // createPlayground refuses a module whose memory is not a SharedArrayBuffer,
  // so a silently single-threaded build never gets this far.
  assert.match(await page.textContent('#isolation'), /threads share memory: yes/);
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary, null, { timeout: 30_000 });
  const summary = JSON.parse(await page.$eval('#counts', (el) => el.dataset.summary));
  assert.equal(summary.tasks, 20);
  assert.equal(sum(summary), 20, 'every task ends exactly once');
  // Two Web Worker threads ran the pool (that they run tasks at the same
  // time is proven with a barrier in crate/tests/web_runtime.rs).
  assert.equal(summary.peakThreads, 2);
  assert.equal(summary.perWorkerTasks.reduce((n, w) => n + w.tasks, 0), 20);
  assert.deepEqual(page.errors, []);
});
