// The charts' words (www/src/chart-alt.ts): before a run each chart says
// what it will show instead of an empty box; after a run each has a summary
// in words and a table whose numbers are the run summary's. The arithmetic
// behind them is checked on its own too, from the source.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, ready, sum, useSite, useSource } from './helpers.mjs';

const env = useSite();
const src = useSource({ alt: '/src/chart-alt.ts' });

const CHARTS = ['progress', 'queue'];
const en = (n) => n.toLocaleString('en-US');

/** What a user (or a screen reader) can see of one chart. */
const chartState = (page, id) => page.evaluate((id) => {
  const $ = (s) => document.querySelector(s);
  const shown = (el) => !!el && el.checkVisibility({ visibilityProperty: true });
  const table = $(`#chart-${id}-table`);
  return {
    empty: shown($(`#chart-${id}-empty`)) ? $(`#chart-${id}-empty`).textContent : null,
    drawing: shown($(`#chart-${id} canvas`)),
    hiddenFromAt: $(`#chart-${id}`).getAttribute('aria-hidden'),
    alt: shown($(`#chart-${id}-alt`)) ? $(`#chart-${id}-alt`).textContent : null,
    data: !$(`#chart-${id}-data`).hidden,
    caption: table.caption?.textContent ?? null,
    headers: [...table.querySelectorAll('thead th')].map((th) => th.textContent),
    rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)),
  };
}, id);

test('before a run each chart says what it will show; after it, its words and table give the run summary\'s numbers', async () => {
  const page = await openPage(env.browser, `${env.site.url}?tasks=240&workers=4&connections=2&queue=50`);
  await ready(page);
  for (const id of CHARTS) {
    const before = await chartState(page, id);
    assert.match(before.empty ?? '', /^Run to see /, `${id}: an empty state says what will appear`);
    assert.equal(before.drawing, false, `${id}: no empty axes are shown`);
    assert.equal(before.alt, null, `${id}: no summary before a run`);
    assert.equal(before.data, false, `${id}: no table before a run`);
    assert.equal(before.hiddenFromAt, 'true', `${id}: the canvas is left to its words`);
  }
  assert.match((await chartState(page, 'progress')).empty, /tasks finish over time/);
  assert.match((await chartState(page, 'queue')).empty, /wait in the queue/);

  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary, null, { timeout: 60_000 });
  await page.waitForSelector('#run:not([disabled])');
  const summary = JSON.parse(await page.$eval('#counts', (el) => el.dataset.summary));
  assert.equal(sum(summary), 240);
  const status = await page.textContent('#run-status');
  const elapsed = /in ([^:]+):/.exec(status)[1];

  const progress = await chartState(page, 'progress');
  assert.equal(progress.empty, null, 'the empty state is gone');
  assert.equal(progress.drawing, true, 'the chart is drawn');
  // The summary in words: the run summary's counts and time, as the status line says them.
  assert.ok(progress.alt.startsWith(`240 tasks finished in ${elapsed}: ${en(summary.succeeded)} succeeded, ${en(summary.failed)} failed.`), progress.alt);
  assert.match(progress.alt, new RegExp(`Throughput averaged ${en(Math.round(summary.throughputPerSec))} tasks/s`));
  const inFlight = Number(/In flight peaked at (\d+) tasks at [\d.]+ s\./.exec(progress.alt)?.[1]);
  assert.ok(inFlight >= 1 && inFlight <= 4, `at most the 4 workers in flight (${progress.alt})`);
  // Its table: time with its unit, then the series that occurred; its last row is the summary's.
  assert.equal(progress.data, true);
  assert.deepEqual(progress.headers, ['Time since start (s)', 'Succeeded', 'Failed', 'In flight']);
  assert.ok(progress.rows.length >= 2 && progress.rows.length <= 20, `${progress.rows.length} rows`);
  assert.deepEqual(progress.rows.at(-1), [(summary.elapsedMs / 1000).toFixed(2), en(summary.succeeded), en(summary.failed), '0']);
  const times = progress.rows.map((r) => Number(r[0]));
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'rows in time order');
  assert.match(progress.caption, /^Tasks finished so far by outcome, and in flight: /);

  const queue = await chartState(page, 'queue');
  assert.equal(queue.empty, null);
  const deepest = Number(/Jobs waiting in the queue peaked at (\d+) at [\d.]+ s/.exec(queue.alt)?.[1]);
  assert.ok(deepest >= 1 && deepest <= 50, `the queue, of capacity 50, peaked within it (${queue.alt})`);
  const highWater = Number(/high-water (\d+)/.exec(await page.textContent('#queue-high'))[1]);
  assert.ok(deepest <= highWater, 'the samples never exceed the runtime\'s high-water mark');
  assert.match(queue.alt, /Tasks waiting for a connection peaked at [12] at /, '2 connections for 4 workers: one or two wait');
  assert.deepEqual(queue.headers, ['Time since start (s)', 'Queued', 'Waiting for a connection']);
  assert.deepEqual(queue.rows.at(-1), [(summary.elapsedMs / 1000).toFixed(2), '0', '0']);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/** Columns as the charts keep them: [times, succeeded, failed, panicked, timedOut, cancelled, inFlight]. */
const columns = (times, finished, inFlight = times.map(() => 2)) =>
  [times, finished, times.map(() => 0), times.map(() => 0), times.map(() => 0), times.map(() => 0), inFlight];

test('the words\' arithmetic: peak throughput, the rows a table keeps, a cancelled run, an empty queue', () => {
  const { peakThroughput, rowsToShow, progressText, queueText } = src.alt;
  // A steady 100 tasks/s for 10 s (a sample every 1/8 s), with a burst of 500 tasks just after 5 s:
  // over windows of a tenth of the run (1 s), the one around the burst finished 600.
  const times = Array.from({ length: 81 }, (_, i) => i / 8);
  const finished = times.map((t) => 100 * t + (t > 5 ? 500 : 0));
  const peak = peakThroughput(columns(times, finished));
  assert.equal(peak.perSec, 600, 'the burst is the peak');
  assert.ok(peak.at > 4.5 && peak.at < 5.6, `around the burst (${peak.at})`);
  assert.equal(peakThroughput(columns([0], [0])), null, 'one sample has no throughput');

  const many = Array.from({ length: 1000 }, (_, i) => i / 100);
  const rows = rowsToShow(many);
  assert.ok(rows.length <= 20 && rows[0] === 0 && rows.at(-1) === 999, JSON.stringify(rows));
  assert.deepEqual(rowsToShow([0, 1, 2]), [0, 1, 2]);
  // Times where the 20th evenly spaced target, first + (span × 19) / 19, rounds below the last
  // time (a run's samples can): still 20 rows, the last one included.
  const first = 1 / 30, last = 1 / 30 + 13 / 7;
  const rounding = Array.from({ length: 50 }, (_, i) => (i === 49 ? last : first + ((last - first) * i) / 49));
  assert.ok(first + ((last - first) * 19) / 19 < last, 'the case rounds');
  const picked = rowsToShow(rounding);
  assert.equal(picked.length, 20, JSON.stringify(picked));
  assert.deepEqual([picked[0], picked.at(-1)], [0, 49]);

  const cancelled = {
    tasks: 1000, succeeded: 300, failed: 30, panicked: 0, timedOut: 0, cancelled: 670, neverSubmitted: 600,
    elapsedMs: 1234, throughputPerSec: 810.4, aborted: true,
  };
  assert.match(progressText(columns(times, finished), cancelled),
    /^Cancelled after 1,234 ms: of 1,000 tasks, 300 succeeded, 30 failed, 670 cancelled \(600 of them never submitted\)\. Throughput averaged 810 tasks\/s/);
  const queueCols = [times, times.map(() => 0), times.map(() => 0)];
  assert.equal(queueText(queueCols, 0), 'No job waited in the queue: each was taken as soon as it was sent.');
  assert.match(queueText(queueCols, 3), /^The queue held at most 3 jobs, too briefly to show between samples\.$/);
});
