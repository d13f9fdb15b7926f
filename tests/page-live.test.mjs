// The live view and the defaults behind it, on the built page: one worker
// per task shows the threads that are starting beside those in flight, and
// an ETA from the rate threads start at (never before it can be measured);
// CPU tasks at the defaults are big enough for more workers to matter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, pageSummary, ready, runOnPage, useSite } from './helpers.mjs';

const env = useSite();

const summaryOf = pageSummary;
const run = (page, timeout = 120_000) => runOnPage(page, timeout);
const number = (text) => Number(text.replace(/,/g, ''));
/** A duration as the page writes it ("850 µs", "12.3 ms", "4.21 s"), in ms. */
function duration(text) {
  const m = /^([\d.,]+) (µs|ms|s)$/.exec(text);
  assert.ok(m, `a duration: ${text}`);
  return number(m[1]) * { µs: 1e-3, ms: 1, s: 1000 }[m[2]];
}

test('one worker per task shows its starting threads beside those in flight, and an ETA from the rate threads start at', async (t) => {
  const tasks = 300;
  const page = await openPage(env.browser, `${env.site.url}?strategy=spawn-per-task&tasks=${tasks}&sleep=5-20&failure=0`);
  await ready(page);
  const keys = await page.$$eval('#counters .counter', (els) => els.map((el) => el.dataset.key));
  assert.equal(keys[keys.indexOf('inFlight') + 1], 'startingThreads', 'starting threads, beside in flight');
  const counter = (key) => `#counters [data-key=${key}] dd`;
  const read = ['#progress-text', ...['succeeded', 'failed', 'panicked', 'timedOut', 'cancelled', 'inFlight', 'startingThreads', 'liveThreads'].map(counter)];
  await page.evaluate((read) => {
    window.records = [];
    const snap = () => window.records.push(Object.fromEntries(read.map((s) => [s, document.querySelector(s).textContent])));
    new MutationObserver(snap).observe(document.querySelector('#progress-text'), { subtree: true, childList: true, characterData: true });
  }, read);
  const summary = await run(page);
  assert.equal(summary.succeeded, tasks);
  assert.equal(await page.isVisible('#counters [data-key=startingThreads]'), true);
  assert.equal(await page.textContent('#counters [data-key=startingThreads] dt'), 'Starting threads');

  const records = (await page.evaluate(() => window.records)).filter((r) => !/finished in/.test(r['#progress-text']));
  assert.ok(records.length >= 5, `${records.length} frames`);
  let issueMoment = 0;
  const ratios = [];
  for (const r of records) {
    const text = r['#progress-text'];
    const [inFlight, starting, live] = ['inFlight', 'startingThreads', 'liveThreads'].map((k) => number(r[counter(k)]));
    const done = ['succeeded', 'failed', 'panicked', 'timedOut', 'cancelled'].reduce((n, k) => n + number(r[counter(k)]), 0);
    assert.equal(starting, Math.max(0, live - inFlight), `starting threads are the live ones not in flight: ${JSON.stringify(r)}`);
    if (inFlight === 0 && starting > 0) issueMoment++;
    if (done + inFlight === 0) {
      // Nothing has started: there is nothing to estimate from.
      assert.doesNotMatch(text, /ETA [\d.,]/, text);
      if (starting > 0) assert.match(text, new RegExp(`· ${r[counter('startingThreads')]} threads? starting, no ETA before one runs…$`), text);
      continue;
    }
    const m = /· ([\d.,]+ [µm]?s) elapsed · ETA ([\d.,]+ [µm]?s): ([\d,]+) tasks? still waiting for a thread, threads starting at ([\d.,]+) a second$/.exec(text);
    if (!m) {
      // Too soon after the first start for a rate, or the last tasks running.
      assert.match(text, /(threads? starting, no ETA until they start at a measurable rate…|none started in the last .*: no ETA yet…|the last [\d,]+ tasks? running…|finishing…)$/, text);
      continue;
    }
    const [elapsedMs, etaMs, toGo, rate] = [duration(m[1]), duration(m[2]), number(m[3]), number(m[4])];
    assert.equal(toGo, tasks - done - inFlight, `the tasks still without a thread, from the counters: ${text}`);
    // The ETA is those tasks at that rate (the rate is rounded as shown), plus a task's own run time (5-20 ms).
    const atRate = (toGo / rate) * 1000;
    assert.ok(etaMs >= atRate * 0.9 && etaMs <= atRate * 1.1 + 100, `ETA ${etaMs} ms for ${toGo} at ${rate}/s: ${text}`);
    ratios.push((elapsedMs + etaMs) / summary.elapsedMs);
  }
  assert.ok(issueMoment > 0, 'a moment with threads alive and none in flight: they are shown starting');
  assert.ok(ratios.length > 0, 'an ETA was shown');
  // Far off it is not: the issue's was 1.6 s for 14 s (the old rate-so-far
  // ETA said 200 s for an 11 s run). Judged on the median frame: one early
  // frame may catch a burst or a lull of thread starts on this noisy machine.
  const typical = [...ratios].sort((a, b) => a - b)[ratios.length >> 1];
  assert.ok(typical >= 1 / 3 && typical <= 3, `the ETAs' median predicted end was ${typical.toFixed(2)} × the real ${Math.round(summary.elapsedMs)} ms`);
  t.diagnostic(`${ratios.length} ETAs; the end they predicted was ${Math.min(...ratios).toFixed(2)} to ${Math.max(...ratios).toFixed(2)} × the real ${Math.round(summary.elapsedMs)} ms`);

  // A pool has no starting threads to show.
  await page.check('#strategy-pool');
  await page.fill('#f-tasks', '20');
  await run(page);
  assert.equal(await page.isVisible('#counters [data-key=startingThreads]'), false, 'a pool run hides it');
  assert.deepEqual(page.errors.filter((e) => !e.includes('thread failed')), []);
  await page.context().close();
});

test('CPU tasks at the defaults take milliseconds each: dispatch (about 1 µs) is negligible beside them, so a second worker can show its speed-up', async (t) => {
  const page = await openPage(env.browser, `${env.site.url}?kind=cpu&workers=1&failure=0`);
  await ready(page);
  const one = await run(page);
  await page.fill('#f-workers', '2');
  const two = await run(page);
  for (const [workers, summary] of [[1, one], [2, two]]) {
    assert.equal(summary.succeeded, 1000);
    assert.ok(summary.runTime.p50Us >= 1000, `${workers} worker(s): a default CPU task's median run time is ${Math.round(summary.runTime.p50Us)} µs, at least 1 ms`);
  }
  // Timing on a shared machine is noisy: reported, not asserted.
  t.diagnostic(`1,000 default CPU tasks: ${Math.round(one.elapsedMs)} ms on 1 worker, ${Math.round(two.elapsedMs)} ms on 2 (×${(one.elapsedMs / two.elapsedMs).toFixed(2)})`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
