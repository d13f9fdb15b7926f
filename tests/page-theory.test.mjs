// The Run view's queueing theory panel and its workers sweep, on the built
// page in Chromium: after a default run the panel shows ρ and Little's law,
// and its numbers are the ones computed here from the same run's events (the
// JSON export); a long open-arrival run at ρ ≈ 0.8 shows the measured mean
// queue wait beside the predictions; a sweep up to 4 workers ends with 3
// points (charts and a table), and a sweep can be cancelled. Screenshots of
// the panel and of the sweep at 1280×800 go to tests/output.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPage, outputDir, ready, runOnPage, useSite } from './helpers.mjs';

const env = useSite();

/** A number as the panel shows it (theory.ts figure()): 3 significant digits, thousands grouped. */
const figure = (v) => (!Number.isFinite(v) ? (v > 0 ? '∞' : '–') : Math.abs(v) >= 1000
  ? Math.round(v).toLocaleString('en-US') : String(Number(v.toPrecision(3))));
const near = (actual, expected, what, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: the page shows ${actual}, the events give ${expected}`);

async function exportedRun(page) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  return JSON.parse(await readFile(await file.path(), 'utf8'));
}

const theoryData = (page) => page.$eval('#theory', (el) => ({ ...el.dataset }));
const cellTexts = (page, row) => page.$$eval(`#${row} td`, (tds) => tds.map((td) => td.textContent));

test('after a default run the panel shows ρ and Little\'s law, computed from the run\'s own events', async () => {
  const page = await openPage(env.browser, env.site.url);
  await ready(page);
  assert.equal(await page.isHidden('#theory'), true, 'no panel before a run');
  const summary = await runOnPage(page);
  await page.waitForSelector('#theory:not([hidden])');
  await page.waitForSelector('#export-json:not([disabled])');
  const { timeline: events } = await exportedRun(page);
  assert.equal(events.length, summary.tasks);
  const data = await theoryData(page);
  assert.equal(data.mode, 'batch');
  assert.equal(Number(data.servers), 8);

  // λ from the enqueue times, S from the run times, ρ = λS/c.
  const enqueued = events.map((e) => e.enqueuedMs);
  const span = Math.max(...enqueued) - Math.min(...enqueued);
  const lambda = (events.length - 1) / (span / 1000);
  const started = events.filter((e) => e.startedMs >= 0);
  const S = started.reduce((s, e) => s + e.endedMs - e.startedMs, 0) / started.length;
  const rho = (lambda * S) / 1000 / 8;
  near(Number(data.lambda), lambda, 'λ');
  near(Number(data.serviceMs), S, 'S');
  near(Number(data.rho), rho, 'ρ');
  // Little's law over the whole run: L is the area under "in the system" over the run's time.
  const T = summary.elapsedMs;
  const area = (from, to) => events.reduce((s, e) => s + Math.max(0, Math.min(to(e), T) - Math.max(from(e), 0)), 0);
  const L = area((e) => e.enqueuedMs, (e) => e.endedMs) / T;
  const Lq = area((e) => e.enqueuedMs, (e) => (e.startedMs >= 0 ? e.startedMs : e.endedMs)) / T;
  const through = (summary.tasks - summary.neverSubmitted) / (T / 1000);
  const W = events.reduce((s, e) => s + e.endedMs - e.enqueuedMs, 0) / events.length;
  const Wq = events.reduce((s, e) => s + (e.startedMs >= 0 ? e.startedMs : e.endedMs) - e.enqueuedMs, 0) / events.length;
  near(Number(data.littleL), L, 'L', 1e-6);
  near(Number(data.littleLambdaW), through * (W / 1000), 'λW', 1e-6);
  near(Number(data.littleLq), Lq, 'Lq', 1e-6);
  near(Number(data.littleLambdaWq), through * (Wq / 1000), 'λWq', 1e-6);
  assert.ok(Number(data.littleError) < 0.01, `Little's law holds on the measured run (${data.littleError})`);

  // What the panel shows is those numbers.
  const list = await page.textContent('#theory .theory-list');
  assert.ok(list.includes(`Utilisation ρ = λS/c${figure(rho)}`), `ρ shown as ${figure(rho)}: ${list}`);
  assert.ok(list.includes(`${figure(lambda)} tasks/s`), 'λ shown');
  const system = await cellTexts(page, 'theory-little-system');
  assert.equal(system[0], figure(L));
  assert.equal(system[1], figure(through * (W / 1000)));
  const queue = await cellTexts(page, 'theory-little-queue');
  assert.equal(queue[0], figure(Lq));
  assert.equal(queue[1], figure(through * (Wq / 1000)));
  const text = await page.textContent('#theory');
  assert.match(text, /Every task was submitted at once: a batch, everything arrives at t = 0/);
  assert.match(text, /ceil\(n\/c\) = 125 rounds of S = 12\.5 ms/, 'the settings\' mean task time');
  await page.locator('#theory').screenshot({ path: join(outputDir, 'page-theory-batch-panel.png') });
  // The formulas on demand.
  assert.equal(await page.$eval('#theory-formulas', (el) => el.open), false);
  await page.click('#theory-formulas > summary');
  assert.match(await page.textContent('#theory-formulas'), /Allen–Cunneen \(M\/G\/c\)Wq ≈ C\(c, a\) \/ \(c\/S − λ\) · \(Ca² \+ Cs²\) \/ 2/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an open-arrival run at ρ ≈ 0.8 shows the measured mean queue wait beside Erlang C and Allen–Cunneen', async () => {
  // 4 workers, sleep tasks of 20–30 ms (S = 25 ms), 128 tasks/s: ρ = 128 × 0.025 / 4 = 0.8; 400 tasks arrive over about 3 s.
  const page = await openPage(env.browser, `${env.site.url}?workers=4&tasks=400&sleep=20-30&rate=128&failure=0`);
  await ready(page);
  assert.equal(await page.inputValue('#f-arrivalRate'), '128');
  assert.match(await page.textContent('#run-estimate'), /about 3 s/, 'the estimate counts the arrivals: 400 / 128 s');
  const summary = await runOnPage(page, 90_000);
  assert.equal(summary.succeeded, 400);
  assert.ok(summary.elapsedMs > 2000, `paced by the arrivals (${summary.elapsedMs} ms)`);
  await page.waitForSelector('#theory:not([hidden])');
  const data = await theoryData(page);
  assert.equal(data.mode, 'open');
  near(Number(data.predictedRho), 0.8, 'ρ from the settings');
  for (const key of ['measuredWaitMs', 'erlangCWaitMs', 'predictedWaitMs', 'erlangCProbability', 'rho', 'littleL', 'littleLambdaW']) {
    assert.ok(Number.isFinite(Number(data[key])), `${key} = ${data[key]}`);
  }
  // Allen–Cunneen for uniform 20–30 ms: Cs² = (10²/12) / 25² ≈ 0.0133.
  near(Number(data.predictedWaitMs), (Number(data.erlangCWaitMs) * (1 + 100 / 12 / 625)) / 2, 'Allen–Cunneen from Erlang C', 1e-9);
  const ms = /^\d[\d,.]* (ms|µs|s)$/;
  const [measured] = await cellTexts(page, 'theory-wait-measured');
  const [erlang] = await cellTexts(page, 'theory-wait-erlang');
  const [predicted] = await cellTexts(page, 'theory-wait-predicted');
  assert.match(measured, ms, `measured: ${measured}`);
  assert.match(erlang, ms, `Erlang C: ${erlang}`);
  assert.match(predicted, ms, `Allen–Cunneen: ${predicted}`);
  const text = await page.textContent('#theory');
  assert.match(text, /Tasks arrived one by one at random gaps \(Poisson arrivals, 128 per second set\), to 4 workers/);
  assert.match(text, /ρ = 0\.8 < 1/);
  assert.match(text, /C\(c, a\) = 0\.\d+ \(Erlang C\)/);

  await page.$eval('#theory', (el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(outputDir, 'page-theory-1280x800.png') });
  await page.locator('#theory').screenshot({ path: join(outputDir, 'page-theory-panel.png') });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a sweep up to 4 workers runs 1, 2 and 4 workers one after another and ends with 3 points', async () => {
  const page = await openPage(env.browser, `${env.site.url}?workers=2&tasks=60&sleep=4-6&failure=0`);
  await ready(page);
  assert.equal(await page.getAttribute('#sweep-max', 'placeholder'), '16', 'the default limit: Workers or 16');
  await page.fill('#sweep-max', '65');
  assert.match(await page.textContent('#sweep-max-error'), /Up to must be a whole number from 1 to 64/);
  assert.equal(await page.$eval('#sweep-run', (el) => el.disabled), true, 'a bad limit disables the sweep');
  await page.fill('#sweep-max', '4');
  await page.click('#sweep-run');
  // Nothing else runs meanwhile.
  await page.waitForFunction(() => window.playgroundPage.busy === 'sweep');
  assert.equal(await page.$eval('#run', (el) => el.disabled), true);
  assert.equal(await page.$eval('#compare-run', (el) => el.disabled), true);
  assert.equal(await page.$eval('#cancel', (el) => el.disabled), false, 'Cancel stops a sweep');
  assert.equal(await page.$eval('#f-tasks', (el) => el.disabled), true);
  assert.match(await page.textContent('#sweep-status'), /^Sweeping 3 runs \(1, 2, 4 workers\), 60 tasks each/);
  await page.waitForFunction(() => document.querySelector('#sweep-results')?.dataset.done === 'true', null, { timeout: 60_000 });
  await page.waitForSelector('#run:not([disabled])');
  const points = JSON.parse(await page.$eval('#sweep-results', (el) => el.dataset.points));
  assert.deepEqual(points.map((p) => p.workers), [1, 2, 4]);
  for (const p of points) {
    assert.equal(p.tasks, 60);
    assert.ok(p.throughputPerSec > 0 && Number.isFinite(p.meanWaitMs), JSON.stringify(p));
  }
  assert.ok(points[2].throughputPerSec > 1.5 * points[0].throughputPerSec, 'more workers, more throughput (a batch of sleeps)');
  const curve = JSON.parse(await page.$eval('#sweep-results', (el) => el.dataset.theory));
  assert.deepEqual(curve.workers, [1, 2, 3, 4]);
  near(curve.throughput[0], 200, 'theory: 1/S for S = 5 ms');
  assert.match(await page.textContent('#sweep-progress-text'), /^Done: 3 of 3 runs\.$/);
  assert.match(await page.textContent('#sweep-sentence'), /^Throughput went from [\d.,]+ tasks\/s with 1 worker to [\d.,]+ tasks\/s with 4(, and was within 10 % of its best from \d workers? on \(the knee\)|, still rising at the last point: the knee \(where more workers stop helping\) lies beyond 4 workers)\./);
  // The text alternative: a row per point.
  const rows = await page.$$eval('#sweep-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.deepEqual(rows.map((r) => r[0]), ['1', '2', '4']);
  assert.ok(rows.every((r) => r.length === 6 && / tasks\/s$/.test(r[1]) && / tasks\/s$/.test(r[2])), JSON.stringify(rows));
  assert.equal(await page.$$eval('#sweep canvas', (cs) => cs.length >= 2), true, 'both charts drew');
  await page.click('#sweep-data > summary');
  await page.$eval('#sweep', (el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(outputDir, 'page-sweep-1280x800.png') });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a sweep can be cancelled: it keeps the points it measured and the page is usable again', async () => {
  const page = await openPage(env.browser, `${env.site.url}?workers=2&tasks=300&sleep=10-20&failure=0`);
  await ready(page);
  await page.fill('#sweep-max', '8');
  await page.click('#sweep-run');
  await page.waitForSelector('#sweep-cancel:not([hidden])');
  await page.waitForFunction(() => /^Run 2 of 4/.test(document.querySelector('#sweep-progress-text')?.textContent ?? ''), null, { timeout: 60_000 });
  await page.click('#sweep-cancel');
  await page.waitForFunction(() => document.querySelector('#sweep-results')?.dataset.done === 'true', null, { timeout: 30_000 });
  await page.waitForSelector('#run:not([disabled])');
  const points = JSON.parse(await page.$eval('#sweep-results', (el) => el.dataset.points));
  assert.deepEqual(points.map((p) => p.workers), [1], 'the first run measured, the second cancelled');
  assert.match(await page.textContent('#sweep-progress-text'), /^Cancelled after 1 of 4 runs\.$/);
  assert.match(await page.textContent('#run-status'), /^Sweep cancelled after 1 of 4 runs\./);
  assert.equal(await page.isHidden('#sweep-cancel'), true);
  assert.equal(await page.$eval('#sweep-run', (el) => el.disabled), false);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the Arrival rate setting: a link sets it, it is for the worker pool only, and Compare says why it cannot use it', async () => {
  const page = await openPage(env.browser, `${env.site.url}?rate=128&tasks=100`);
  await ready(page);
  assert.equal(await page.inputValue('#f-arrivalRate'), '128');
  assert.equal(await page.$eval('#more-settings', (el) => el.open), true, 'More settings opens for a setting off its default');
  assert.match(await page.textContent('#f-arrivalRate-help'), /^Worker pool only\. Empty: every task is submitted at once/);
  assert.equal(await page.getAttribute('#f-arrivalRate', 'placeholder'), 'all at once');
  await page.check('#strategy-rayon');
  assert.equal(await page.textContent('#f-arrivalRate-error'), 'Arrival rate works with the worker pool only: choose Worker pool, or empty it (all at once).');
  assert.equal(await page.$eval('#run', (el) => el.disabled), true);
  await page.check('#strategy-pool');
  assert.equal(await page.isHidden('#f-arrivalRate-error'), true);
  await page.fill('#f-arrivalRate', '0');
  assert.equal(await page.textContent('#f-arrivalRate-error'), 'Arrival rate must be a number greater than 0 and at most 1,000,000 tasks/s, or empty for all at once.');
  await page.fill('#f-arrivalRate', '200');
  await page.waitForFunction(() => /[?&]rate=200(&|$)/.test(location.search), null, { timeout: 5_000 }); // the link follows
  await page.click('#tab-compare');
  await page.click('#compare-run');
  assert.match(await page.textContent('#run-status'), /^Compare runs every task at once in each strategy \(open arrivals are for the worker pool only\)/);
  assert.equal(await page.$eval('#compare-results', (el) => el.dataset.results ?? null), null, 'nothing ran');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
