// Resizing a pool run from the page: the Workers control stays live during a
// pool run and resizes the running pool (debounced, through
// playground.resize); the timeline gets lanes for the workers that join and
// the charts mark each resize; rayon and one worker per task keep the
// control locked and say why. On the built page, in Chromium.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPage, outputDir, ready, sum, useSite } from './helpers.mjs';

const env = useSite();

const RESIZE = [0x5c, 0x3c, 0x92];
const SUCCEEDED = [0x00, 0x9e, 0x73];

/** Pixels of a canvas within `tolerance` of an [r, g, b] colour, in rows [y0, y1) of CSS px (default all). */
const pixelsLike = (page, selector, rgb, { tolerance = 30, rows } = {}) =>
  page.$eval(selector, (canvas, [rgb, tolerance, rows]) => {
    const scale = canvas.width / canvas.clientWidth;
    const y0 = rows ? Math.floor(rows[0] * scale) : 0;
    const y1 = rows ? Math.ceil(rows[1] * scale) : canvas.height;
    const data = canvas.getContext('2d').getImageData(0, y0, canvas.width, Math.max(1, y1 - y0)).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - rgb[0]) <= tolerance && Math.abs(data[i + 1] - rgb[1]) <= tolerance && Math.abs(data[i + 2] - rgb[2]) <= tolerance) n++;
    }
    return n;
  }, [rgb, tolerance, rows ?? null]);

const resizeLog = (page) => page.$eval('#resize-log', (el) => JSON.parse(el.dataset.resizes ?? '[]'));
const running = (page) => page.$eval('#cancel', (el) => !el.disabled);

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return readFile(await file.path(), 'utf8');
}

test('during a pool run the Workers control resizes the running pool: lanes join, the charts mark each resize, every task ends once', async () => {
  // Sleeping tasks: at 1 or 2 workers the run lasts far longer than the resizes take.
  const tasks = 2500;
  const page = await openPage(env.browser, `${env.site.url}?workers=3&tasks=${tasks}&failure=0&sleep=10-20&seed=4`);
  await ready(page);
  await page.click('#run');
  await page.waitForSelector('#cancel:not([disabled])');
  // Only Workers stays editable, and says so.
  assert.equal(await page.$eval('#f-workers', (el) => el.disabled), false, 'Workers stays live during a pool run');
  for (const selector of ['#f-tasks', '#f-failurePct', '#strategy-rayon', '#f-kind', '#f-trapPct']) {
    assert.equal(await page.$eval(selector, (el) => el.disabled), true, `${selector} is locked during the run`);
  }
  assert.match(await page.textContent('#f-workers-note'), /^Live: the running pool has 3 workers; a new count resizes it\.$/);
  assert.equal(await page.isVisible('#resize-log'), false, 'no resize yet');
  await page.waitForFunction(() => Number(document.querySelector('#counters [data-key=succeeded] dd')?.textContent.replace(/,/g, '')) > 0, null, { timeout: 30_000 });
  assert.equal(await pixelsLike(page, '#chart-progress canvas', RESIZE), 0, 'no resize marker before a resize');

  // A value the page refuses is not sent: the control says why, the run goes on.
  await page.fill('#f-workers', '0');
  assert.match(await page.textContent('#f-workers-error'), /Workers must be a whole number from 1 to 256/);
  await page.waitForTimeout(800);
  assert.deepEqual(await resizeLog(page), [], 'an invalid count resizes nothing');

  // Down to 1, above the initial count, down, and up again; the last one typed
  // digit by digit ("1", then "12"): the debounce sends only 12.
  const sizes = [1, 10, 2, 12];
  for (const [i, workers] of sizes.entries()) {
    if (i === sizes.length - 1) {
      await page.fill('#f-workers', '');
      await page.locator('#f-workers').pressSequentially(String(workers), { delay: 60 });
    } else {
      await page.fill('#f-workers', String(workers));
    }
    await page.waitForFunction((n) => JSON.parse(document.querySelector('#resize-log').dataset.resizes ?? '[]').at(-1)?.workers === n, workers, { timeout: 30_000 });
    assert.ok(await running(page), `the run was still going when it had ${workers} workers`);
    assert.match(await page.textContent('#f-workers-note'), new RegExp(`^Live: the running pool has ${workers} workers?;`));
  }
  const during = await resizeLog(page);
  assert.deepEqual(during.map((r) => r.workers), sizes, 'each count resized the pool once, in order (no resize to 1 on the way to 12)');
  await page.waitForTimeout(300); // a frame or two
  assert.ok(await pixelsLike(page, '#chart-progress canvas', RESIZE) > 100, 'the progress chart marks the resizes');
  assert.ok(await pixelsLike(page, '#chart-queue canvas', RESIZE) > 100, 'the queue chart marks the resizes');
  await page.$eval('#panel-run', (el) => el.scrollIntoView());
  await page.screenshot({ path: join(outputDir, 'page-resize-live-1280x800.png') });

  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary && !document.querySelector('#cancel:not([disabled])'), null, { timeout: 120_000 });
  const summary = JSON.parse(await page.$eval('#counts', (el) => el.dataset.summary));
  assert.equal(summary.aborted, false);
  assert.equal(summary.tasks, tasks);
  assert.equal(sum(summary), tasks, 'every task ended once');
  assert.equal(summary.succeeded, tasks, 'none lost or failed by the resizes');
  assert.equal(summary.perWorkerTasks.reduce((n, w) => n + w.tasks, 0), tasks, 'per-worker counts add up');
  assert.equal(summary.timelineEvents, tasks);
  const ids = summary.perWorkerTasks.map((w) => w.worker);
  const joined = ids.filter((id) => id >= 3);
  assert.ok(joined.length >= 7, `workers with ids from 3 up ran tasks (ids ${ids})`);
  assert.ok(Math.max(...ids) < 12, 'a pool of at most 12 uses lanes below 12');
  assert.ok(summary.peakThreads >= 12, `12 workers at once (peak ${summary.peakThreads})`);

  // The log: in order, each asked for before it was in effect, all within the run.
  const log = await resizeLog(page);
  assert.deepEqual(log, during);
  for (const [i, r] of log.entries()) {
    assert.ok(r.askedMs > 0 && r.askedMs <= r.atMs && r.atMs <= summary.elapsedMs, JSON.stringify(r));
    if (i > 0) assert.ok(r.askedMs >= log[i - 1].atMs, 'one resize at a time');
  }
  const logText = await page.textContent('#resize-log');
  assert.match(logText, /^Pool resized \(dashed lines, labelled with the new count\): at [\d,.]+ m?s to 1 worker \(in effect [\d,.]+ [mµ]?s later\); at .* to 10 workers .* to 2 workers .* to 12 workers \(in effect [^)]+\)\.$/);

  // The timeline: a lane for each worker id that ran (12 lanes), bars in the lanes that joined, the resizes marked.
  const timeline = await page.$eval('#timeline', (el) => ({ ...el.dataset }));
  assert.equal(Number(timeline.workerLanes), 12, 'lanes for worker ids 0 to 11');
  assert.equal(Number(timeline.rows), 12);
  const laneHeight = Number(timeline.laneHeight);
  for (const id of joined) {
    const top = 3 + id * laneHeight;
    assert.ok(await pixelsLike(page, '#timeline', SUCCEEDED, { tolerance: 10, rows: [top + 2, top + laneHeight - 2] }) > 20, `lane w${id + 1} (worker ${id}) has bars`);
  }
  assert.ok(await pixelsLike(page, '#timeline', RESIZE) > 100, 'the timeline marks the resizes');
  assert.match(await page.textContent('#timeline-caption'),
    /^2,500 tasks drawn on 12 worker lanes \(the pool started with 3 and was resized 4 times, to 1, 10, 2 and 12: the dashed lines\) over /);
  assert.match(await page.textContent('#run-status'), /^Finished 2,500 tasks in .*: 2,500 succeeded, 0 failed\. The pool was resized 4 times\.$/);
  // The markers stay after the end (the charts redraw with the final data).
  assert.ok(await pixelsLike(page, '#chart-progress canvas', RESIZE) > 100);

  // After the run: nothing live, the note gone, every control editable; the link keeps the last count.
  assert.equal(await page.isVisible('#f-workers-note'), false);
  for (const selector of ['#f-workers', '#f-tasks', '#strategy-rayon']) assert.equal(await page.$eval(selector, (el) => el.disabled), false);
  assert.equal(new URL(page.url()).searchParams.get('workers'), '12');
  // The export records the resizes.
  const data = JSON.parse(await download(page, '#export-json'));
  assert.deepEqual(data.resizes, log);
  assert.equal(data.config.workers, 3, 'the run started with 3');
  const trace = JSON.parse(await download(page, '#export-trace'));
  assert.deepEqual(trace.traceEvents.filter((e) => e.cat === 'resize').map((e) => e.args.workers), sizes);

  await page.$eval('#panel-run', (el) => el.scrollIntoView());
  await page.screenshot({ path: join(outputDir, 'page-resize-1280-full.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('rayon and one worker per task keep the Workers control locked during a run, and say why', async () => {
  for (const [strategy, why] of [['rayon', /^Fixed while rayon runs: its thread pool cannot be resized\.$/], ['spawn-per-task', /^One worker per task has no pool to resize\.$/]]) {
    const page = await openPage(env.browser, `${env.site.url}?strategy=${strategy}&workers=2&tasks=300&failure=0&sleep=5-10`);
    await ready(page);
    await page.click('#run');
    await page.waitForSelector('#cancel:not([disabled])');
    assert.equal(await page.$eval('#f-workers', (el) => el.disabled), true, `${strategy}: Workers is locked`);
    assert.match(await page.textContent('#f-workers-note'), why, strategy);
    assert.equal(await page.isVisible('#f-workers-note'), true);
    await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary && !document.querySelector('#cancel:not([disabled])'), null, { timeout: 120_000 });
    assert.equal(await page.isVisible('#f-workers-note'), false, `${strategy}: the note goes with the run`);
    assert.equal(await page.$eval('#f-workers', (el) => el.disabled), false);
    assert.deepEqual(await resizeLog(page), []);
    assert.equal(await pixelsLike(page, '#chart-progress canvas', RESIZE), 0, `${strategy}: no resize marker`);
    assert.deepEqual(page.errors.filter((e) => !e.includes('thread failed')), []);
    await page.context().close();
  }
});
