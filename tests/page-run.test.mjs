// The playground page, built (vite build over the optimised package), in
// Chromium: the default run, live charts and timeline, Cancel, validation,
// the page without cross-origin isolation, and screenshots at both sizes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPage, outputDir, ready, serveSite, sum, useSite } from './helpers.mjs';

const env = useSite();

const lastSummary = async (page) => JSON.parse(await page.$eval('#counts', (el) => el.dataset.summary));
/** Runs and waits for a new summary (data-summary changes). */
async function runAndWait(page, timeout = 60_000) {
  const before = await page.$eval('#counts', (el) => el.dataset.summary ?? '');
  await page.click('#run');
  await page.waitForFunction((old) => {
    const now = document.querySelector('#counts')?.dataset.summary;
    return now && now !== old && !document.querySelector('#cancel:not([disabled])');
  }, before, { timeout });
  return lastSummary(page);
}

/** Pixels of a canvas within `tolerance` of an [r, g, b] colour. */
const pixelsLike = (page, selector, rgb, tolerance = 40) =>
  page.$eval(selector, (canvas, [rgb, tolerance]) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - rgb[0]) <= tolerance && Math.abs(data[i + 1] - rgb[1]) <= tolerance && Math.abs(data[i + 2] - rgb[2]) <= tolerance) n++;
    }
    return n;
  }, [rgb, tolerance]);

const SUCCEEDED = [0x00, 0x9e, 0x73];
const FAILED = [0xd5, 0x5e, 0x00];
const IN_FLIGHT = [0x00, 0x72, 0xb2];

test('the default run completes, its summary adds up, and the charts and the timeline drew', async () => {
  const page = await openPage(env.browser, env.site.url);
  await ready(page);
  assert.match(await page.textContent('#isolation'), /Cross-origin isolated · threads share memory: yes · \d+ threads available/);
  // Before any run the timeline holds no task bars.
  assert.equal(await pixelsLike(page, '#timeline', SUCCEEDED, 10), 0);

  // During the run: settings locked (but Workers, which resizes the running pool), Cancel enabled.
  await page.click('#run');
  await page.waitForSelector('#cancel:not([disabled])');
  assert.equal(await page.$eval('#f-tasks', (el) => el.matches(':disabled')), true, 'settings are locked during a run');
  assert.equal(await page.$eval('#f-workers', (el) => el.matches(':disabled')), false, 'Workers stays live during a pool run');
  assert.equal(await page.$eval('#run', (el) => el.disabled), true);
  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary, null, { timeout: 60_000 });
  const summary = await lastSummary(page);

  assert.equal(summary.strategy, 'pool');
  assert.equal(summary.tasks, 1000);
  assert.equal(sum(summary), 1000, 'every task ends exactly once');
  assert.equal(summary.aborted, false);
  // The defaults' seed (42) fails exactly 97 of 1,000 (pinned in crate/src/workload/tests.rs).
  assert.equal(summary.failed, 97);
  assert.equal(summary.failedTaskIds.length, summary.failed);
  assert.equal(summary.peakThreads, 8, 'exactly its 8 workers');
  assert.equal(summary.perWorkerTasks.length, summary.threadsUsed);
  assert.equal(summary.timelineEvents, 1000);

  // The summary shows the tutorial's numbers, formatted.
  const text = await page.textContent('#counts');
  for (const label of ['Total tasks', 'Succeeded', 'Failed', 'Timed out', 'Cancelled', 'Panicked', 'Workers used', 'Elapsed', 'Throughput', 'p50', 'p95', 'p99']) {
    assert.ok(text.includes(label), `summary shows ${label}`);
  }
  assert.match(text, /Total tasks1,000/);
  assert.match(text, new RegExp(`Succeeded${summary.succeeded.toLocaleString('en-US')} \\(`));
  assert.match(await page.textContent('#progress-text'), /^1,000 \/ 1,000 · finished in /);
  assert.equal(await page.$eval('#progress', (el) => el.value), 1000);
  assert.equal(await page.textContent('#counters [data-key=succeeded] dd'), summary.succeeded.toLocaleString('en-US'));

  // Charts: uPlot drew the succeeded and in-flight lines.
  assert.ok(await pixelsLike(page, '#chart-progress canvas', SUCCEEDED) > 50, 'progress chart drew succeeded');
  assert.ok(await pixelsLike(page, '#chart-progress canvas', IN_FLIGHT) > 20, 'progress chart drew in flight');
  assert.ok(await pixelsLike(page, '#chart-queue canvas', [0, 0, 0], 60) > 50, 'queue chart drew');
  // Timeline: bars in the outcome colours, 8 lanes.
  assert.ok(await pixelsLike(page, '#timeline', SUCCEEDED, 10) > 2000, 'timeline drew succeeded bars');
  assert.ok(await pixelsLike(page, '#timeline', FAILED, 10) > 50, 'timeline drew failed bars');
  assert.match(await page.textContent('#timeline-caption'), /^1,000 tasks drawn on 8 workers/);

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(outputDir, 'page-run-1280x800.png') });
  await page.screenshot({ path: join(outputDir, 'page-run-1280-full.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('on a 390-px-wide screen the controls come first and the charts fit', async () => {
  const page = await openPage(env.browser, `${env.site.url}?tasks=300&connections=3&workers=6`, { viewport: { width: 390, height: 844 } });
  await ready(page);
  const summary = await runAndWait(page);
  assert.equal(sum(summary), 300);
  const box = async (sel) => page.$eval(sel, (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  const controls = await box('.controls-column');
  const chart = await box('#chart-progress');
  assert.ok(controls.y + controls.h <= chart.y, 'controls above the charts');
  for (const sel of ['#chart-progress canvas', '#chart-queue canvas', '#timeline', '#counts']) {
    const b = await box(sel);
    assert.ok(b.x >= 0 && b.x + b.w <= 390, `${sel} fits in 390 px (x ${b.x}, width ${b.w})`);
  }
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'no horizontal scrolling');
  assert.ok(await pixelsLike(page, '#timeline', SUCCEEDED, 10) > 200, 'timeline drew');
  // Waiting for a connection is drawn (hatched sky blue).
  assert.ok(await pixelsLike(page, '#timeline', [0x56, 0xb4, 0xe9], 10) > 20, 'waiting for a connection drawn');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(outputDir, 'page-run-390x844.png') });
  await page.$eval('#panel-run', (el) => el.scrollIntoView());
  await page.screenshot({ path: join(outputDir, 'page-run-390x844-live.png') });
  await page.$eval('#timeline', (el) => el.scrollIntoView());
  await page.screenshot({ path: join(outputDir, 'page-run-390x844-timeline.png') });
  await page.screenshot({ path: join(outputDir, 'page-run-390-full.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Cancel mid-run leaves a consistent summary', async () => {
  const page = await openPage(env.browser, `${env.site.url}?workers=4&tasks=3000&sleep=10-30`);
  await ready(page);
  await page.click('#run');
  await page.waitForFunction(() => Number(document.querySelector('#counters [data-key=succeeded] dd')?.textContent.replace(/,/g, '')) > 40, null, { timeout: 30_000 });
  assert.equal(await page.$eval('#cancel', (el) => el.disabled), false, 'Cancel stays enabled');
  await page.click('#cancel');
  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary, null, { timeout: 30_000 });
  const summary = await lastSummary(page);
  assert.equal(summary.aborted, true);
  assert.equal(summary.tasks, 3000);
  assert.equal(sum(summary), 3000, 'sum of outcomes = tasks after a cancel');
  assert.ok(summary.cancelled > 1000, `most tasks were cancelled (got ${summary.cancelled})`);
  assert.ok(summary.succeeded > 40);
  assert.match(await page.textContent('#counts'), /Summary \(cancelled\)/);
  assert.match(await page.textContent('#run-status'), /^Cancelled after/);
  // Usable again.
  await page.waitForSelector('#run:not([disabled])');
  assert.equal(await page.$eval('#f-workers', (el) => el.matches(':disabled')), false);
  assert.equal(await page.$eval('#cancel', (el) => el.disabled), true);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('bad inputs disable Run and say what is allowed', async () => {
  const page = await openPage(env.browser, env.site.url);
  await ready(page);
  await page.click('#more-settings > summary');
  const cases = [
    ['#f-workers', '0', /Workers must be a whole number from 1 to 256/],
    ['#f-workers', 'lots', /Workers must be a whole number from 1 to 256/],
    ['#f-tasks', '2.5', /Tasks must be a whole number from 1 to 1,000,000/],
    ['#f-failurePct', '120', /Failure rate must be a number from 0 to 100 %/],
    ['#f-timeoutMs', '0', /Per-task timeout must be a number greater than 0 and at most 3,600,000 ms, or empty for none/],
    ['#f-seed', '-1', /Seed must be a whole number from 0 to 9,007,199,254,740,991/],
    // A decimal comma is not a thousands separator: "2,5" is refused, not read as 25.
    ['#f-failurePct', '2,5', /Failure rate: write decimals with a point \(2\.5\), not a comma \(2,5\)/],
    ['#f-workers', '2,5', /Workers: write decimals with a point/],
    ['#f-spawnCap', '600', /Thread cap must be a whole number from 1 to 512 threads, or empty for unbounded/],
  ];
  for (const [selector, value, message] of cases) {
    const good = await page.inputValue(selector);
    await page.fill(selector, value);
    assert.equal(await page.$eval('#run', (el) => el.disabled), true, `${selector}=${value} disables Run`);
    assert.equal(await page.$eval('#compare-run', (el) => el.disabled), true, `${selector}=${value} disables Compare`);
    assert.equal(await page.getAttribute(selector, 'aria-invalid'), 'true');
    assert.match(await page.textContent(`${selector}-error`), message);
    assert.ok(await page.isVisible(`${selector}-error`), 'the message is visible');
    assert.match(await page.textContent('#form-problem'), /Run is disabled until this setting is fixed/);
    await page.fill(selector, good);
    assert.equal(await page.$eval('#run', (el) => el.disabled), false, `${selector} back to ${good} enables Run`);
    assert.equal(await page.getAttribute(selector, 'aria-invalid'), null);
  }
  // Across fields: the longest task must not be shorter than the shortest.
  await page.fill('#f-sleepMin', '50');
  await page.fill('#f-sleepMax', '10');
  assert.equal(await page.$eval('#run', (el) => el.disabled), true);
  assert.match(await page.textContent('#f-sleepMax-error'), /at least the shortest \(50 ms\)/);
  await page.fill('#f-sleepMax', '60');
  assert.equal(await page.$eval('#run', (el) => el.disabled), false);
  // Optional fields accept empty (none) and thousands separators.
  await page.fill('#f-connections', '');
  await page.fill('#f-tasks', '2,000');
  assert.equal(await page.$eval('#run', (el) => el.disabled), false);
  assert.match(page.url(), /tasks=2000/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('without cross-origin isolation the page explains why nothing can run', async () => {
  // No headers and no service workers: coi-serviceworker cannot help either.
  const plain = await serveSite({ isolation: false });
  try {
    const page = await openPage(env.browser, plain.url, { serviceWorkers: 'block' });
    await page.waitForSelector('#not-isolated:not([hidden])', { timeout: 30_000 });
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    const text = await page.textContent('#not-isolated');
    assert.match(text, /not cross-origin isolated/);
    assert.match(text, /Cross-Origin-Opener-Policy: same-origin/);
    assert.match(text, /Cross-Origin-Embedder-Policy: require-corp/);
    // It says what to do where service workers cannot isolate the page.
    assert.match(text, /Service workers are unavailable|did not take effect/);
    assert.match(text, /serve the site's folder over http\(s\) from a static server/);
    assert.match(await page.textContent('#isolation'), /Not cross-origin isolated · nothing can run · \d+ threads/);
    assert.equal(await page.$eval('#run', (el) => el.disabled), true);
    assert.equal(await page.$eval('#compare-run', (el) => el.disabled), true);
    assert.match(await page.textContent('#run-status'), /Run is disabled: this page is not cross-origin isolated/);
    await page.screenshot({ path: join(outputDir, 'page-not-isolated-1280x800.png') });
    await page.context().close();
  } finally {
    await plain.close();
  }
});

test('one worker per task beyond the live-thread limit says which tasks never got a thread, and why', async () => {
  const page = await openPage(env.browser, `${env.site.url}?strategy=spawn-per-task&tasks=600&kind=sleep&sleep=1-2&failure=0`);
  await ready(page);
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary, null, { timeout: 60_000 });
  const summary = await lastSummary(page);
  assert.equal(sum(summary), 600);
  assert.ok(summary.spawnRefused > 0, 'some spawns were refused');
  assert.equal(summary.failed, summary.spawnRefused, 'the refused ones are the failed ones (failure rate 0)');
  const text = await page.textContent('#counts');
  assert.match(text, new RegExp(`${summary.spawnRefused} tasks never got a thread`));
  assert.match(text, /live Web Workers/);
  assert.deepEqual(page.errors.filter((e) => !e.includes('thread failed')), []);
});
