// Compare (three strategies on one seeded workload) and every lesson's
// "Try it", on the built page.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPage, outputDir, ready, sum, useSite } from './helpers.mjs';

const env = useSite();


// A comparison waits up to 30 s per strategy for the browser's memory answer
// (www/src/memory-question.ts), hence the long waits for its results.
test('Compare runs the same workload three ways and explains the numbers', async () => {
  const page = await openPage(env.browser, `${env.site.url}?tasks=200&workers=4&view=compare`);
  await ready(page);
  assert.equal(await page.isVisible('#panel-compare'), true);
  await page.click('#compare-run');
  await page.waitForSelector('#cancel:not([disabled])');
  assert.equal(await page.$eval('#f-tasks', (el) => el.matches(':disabled')), true, 'settings locked while comparing');
  await page.waitForFunction(() => document.querySelector('#compare-results')?.dataset.results, null, { timeout: 120_000 });
  const results = JSON.parse(await page.$eval('#compare-results', (el) => el.dataset.results));
  assert.deepEqual(results.map((r) => r.strategy), ['pool', 'spawn-per-task', 'rayon']);
  for (const r of results) {
    assert.equal(r.tasks, 200);
    assert.equal(r.succeeded + r.failed + r.panicked + r.timedOut + r.cancelled, 200, `${r.strategy} adds up`);
    assert.ok(r.elapsedMs > 0 && r.firstResultMs > 0 && r.firstResultMs <= r.elapsedMs);
    assert.ok(r.peakThreads >= 1 && r.memoryBytes > 0 && r.startupMs !== null);
  }
  // Same seed, same failing tasks in every strategy.
  assert.equal(new Set(results.map((r) => r.failed)).size, 1, 'the same tasks fail in every strategy');
  const [pool, spawn] = results;
  assert.ok(spawn.peakThreads > pool.peakThreads, `one worker per task peaks higher (${spawn.peakThreads} vs ${pool.peakThreads})`);
  // The sentence is computed from the numbers it shows.
  const sentence = await page.textContent('#compare-sentence');
  assert.match(sentence, /^One worker per task (took|finished)/);
  assert.ok(sentence.includes(spawn.peakThreads.toLocaleString('en-US')), 'the sentence cites the peak threads');
  assert.match(sentence, /rayon, with 4 threads, took/);
  // Five metrics, three bars each.
  assert.equal(await page.$$eval('.metric', (els) => els.length), 5);
  assert.equal(await page.$$eval('.metric .bar-row', (els) => els.length), 15);
  const titles = await page.$$eval('.metric h3', (els) => els.map((e) => e.textContent));
  assert.deepEqual(titles, ['Wall time', 'Time to first result', 'Peak threads', 'Memory', 'Worker start-up']);
  assert.match(await page.textContent('#compare-results'), /Same seed, same work: each strategy ran the same 200 tasks/);
  await page.screenshot({ path: join(outputDir, 'page-compare-1280x800.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'no horizontal scrolling at 390 px');
  await page.$eval('#compare-results', (el) => el.scrollIntoView());
  await page.screenshot({ path: join(outputDir, 'page-compare-390x844.png') });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Cancel stops a comparison and says how far it got', async () => {
  const page = await openPage(env.browser, `${env.site.url}?tasks=3000&workers=2&sleep=5-10&view=compare`);
  await ready(page);
  await page.click('#compare-run');
  await page.waitForFunction(() => /1 of 3: Worker pool · [1-9]/.test(document.querySelector('#compare-progress-text')?.textContent ?? ''), null, { timeout: 30_000 });
  await page.click('#cancel');
  await page.waitForFunction(() => document.querySelector('#compare-results')?.dataset.results, null, { timeout: 30_000 });
  assert.deepEqual(JSON.parse(await page.$eval('#compare-results', (el) => el.dataset.results)), []);
  assert.match(await page.textContent('#compare-sentence'), /^Cancelled after 0 of 3 strategies\./);
  assert.match(await page.textContent('#run-status'), /Comparison cancelled/);
  await page.waitForSelector('#compare-run:not([disabled])');
  assert.equal(await page.$eval('#f-tasks', (el) => el.matches(':disabled')), false);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('every lesson preset runs', async () => {
  const page = await openPage(env.browser, `${env.site.url}?view=lessons`);
  await ready(page);
  const lessons = await page.$$eval('button.try', (els) => els.map((e) => e.dataset.lesson));
  assert.deepEqual(lessons, [
    'unlimited-vs-pool', 'connections', 'cancel-timeout', 'panics', 'traps',
    'queue-never-closed', 'send-after-close', 'unbuffered-queue', 'waitgroup-misuse', 'best-practices',
  ]);
  // Each lesson shows the tutorial's Go beside the Rust that ran (tests/lesson-code.test.mjs checks what the code is).
  for (const id of lessons) {
    const code = await page.$$eval(`#lesson-${id} figure.code`, (els) => els.map((el) => ({ language: el.dataset.language, text: el.querySelector('pre').textContent })));
    assert.ok(code.some((c) => c.language === 'Go') && code.some((c) => c.language === 'Rust'), `${id}: Go and Rust`);
    assert.ok(code.every((c) => c.text.trim().length > 0), `${id}: no empty box`);
  }
  const tryIt = async (id) => {
    await page.click('#tab-lessons');
    await page.waitForSelector(`button.try[data-lesson="${id}"]:not([disabled])`);
    await page.click(`button.try[data-lesson="${id}"]`);
  };
  const ranSummary = async (id) => {
    await page.waitForFunction((id) => document.querySelector(`#report-${id}`)?.dataset.summary, id, { timeout: 60_000 });
    return JSON.parse(await page.$eval(`#report-${id}`, (el) => el.dataset.summary));
  };

  // Unlimited goroutines vs a pool: a comparison with 300 tasks.
  await tryIt('unlimited-vs-pool');
  assert.equal(await page.getAttribute('#tab-compare', 'aria-selected'), 'true');
  assert.equal(await page.inputValue('#f-tasks'), '300');
  await page.waitForFunction(() => document.querySelector('#compare-results')?.dataset.results, null, { timeout: 120_000 });
  const compared = JSON.parse(await page.$eval('#compare-results', (el) => el.dataset.results));
  assert.equal(compared.length, 3);
  assert.ok(compared.every((r) => r.tasks === 300));

  // 10 workers sharing 3 connections.
  await tryIt('connections');
  assert.equal(await page.getAttribute('#tab-run', 'aria-selected'), 'true');
  let s = await ranSummary('connections');
  assert.equal(s.tasks, 90);
  assert.equal(sum(s), 90);
  assert.equal(s.peakThreads, 10, '10 workers');
  assert.match(await page.textContent('#timeline-caption'), /waited for a connection/);
  assert.equal(await page.inputValue('#f-connections'), '3');
  assert.match(page.url(), /connections=3/);
  await page.screenshot({ path: join(outputDir, 'page-lesson-connections-run-1280x800.png') });

  // Cancellation and timeouts: some tasks pass their 250 ms deadline.
  await tryIt('cancel-timeout');
  s = await ranSummary('cancel-timeout');
  assert.equal(sum(s), 30);
  assert.ok(s.timedOut > 0, `some tasks timed out (got ${s.timedOut})`);

  // Panics recovered: panics are outcomes, every worker kept working.
  await tryIt('panics');
  s = await ranSummary('panics');
  assert.equal(sum(s), 200);
  assert.ok(s.panicked > 0, 'some tasks panicked');
  assert.equal(s.panickedTaskIds.length, s.panicked);
  assert.equal(s.peakThreads, 5, 'its 5 workers');
  assert.equal(s.threadFailures, 0, 'a panic is caught: no thread died');

  // Traps: each kills its thread, the pool replaces the worker; the report's
  // numbers are that run's.
  await tryIt('traps');
  s = await ranSummary('traps');
  assert.equal(await page.inputValue('#f-trapPct'), '5');
  assert.match(page.url(), /trap=5/);
  assert.equal(s.tasks, 200);
  assert.equal(sum(s), 200);
  const trapped = s.threadFailures;
  assert.ok(trapped > 0, 'some tasks trapped');
  assert.equal(s.failed, trapped, 'the trapped tasks are the failed ones');
  assert.equal(s.succeeded, 200 - trapped, 'every other task succeeded');
  assert.match(s.threadFailureReason, /^thread died: worker \d+ died: /);
  const trapReport = JSON.parse(await page.$eval('#report-traps', (el) => el.dataset.report));
  assert.deepEqual(
    { trapped: trapReport.observed.trapped, failed: trapReport.observed.failed, tasks: trapReport.observed.tasks, succeeded: trapReport.observed.otherTasksSucceeded, reason: trapReport.observed.threadFailureReason },
    { trapped, failed: s.failed, tasks: 200, succeeded: s.succeeded, reason: s.threadFailureReason },
    'observed in the run\'s summary');
  assert.equal(trapReport.observed.failedTaskIds, s.failedTaskIds.join(', '));
  const count = (n) => n.toLocaleString('en-US');
  assert.ok(trapReport.detected.startsWith(`${count(trapped)} of the 200 tasks trapped and took down the thread that ran ${trapped === 1 ? 'it' : 'them'}; ${trapped === 1 ? 'it' : `all ${count(trapped)}`} ended failed, with the reason that the thread died (`), trapReport.detected);
  assert.ok(trapReport.detected.includes(`"${s.threadFailureReason}"`), 'it quotes the reason');
  assert.ok(trapReport.detected.includes(`The run went on: every one of the other ${count(200 - trapped)} tasks succeeded, on at most ${count(s.peakThreads)} threads at once.`), trapReport.detected);
  const trapText = await page.textContent('#report-traps');
  assert.ok(trapText.includes(trapReport.detected), 'the report shows the sentence');
  assert.match(trapText, /Symptom in Go.*recover\(\).*Detected just now.*How the Rust API prevents or reports it.*Observed.*Trapped/s);

  // Best practices: the tutorial's sizes (5 workers, a queue of 50), with timeouts, failures and panics.
  await tryIt('best-practices');
  s = await ranSummary('best-practices');
  assert.equal(s.tasks, 100);
  assert.equal(sum(s), 100, 'every task ended exactly once');
  assert.equal(s.peakThreads, 5, 'its 5 workers');
  assert.equal(await page.inputValue('#f-queueCapacity'), '50');
  await page.click('#tab-lessons');
  assert.equal(await page.$$eval('#lesson-best-practices .practice', (els) => els.length), 15);

  // The four common errors: the mistake and the fix, demonstrated on real threads.
  const pick = (observed, expected) => Object.fromEntries(Object.keys(expected).map((key) => [key, observed[key]]));
  const EXPECTED = {
    'queue-never-closed': {
      mistake: { workers: 5, jobs: 10, processed: 10, leakedThreads: 5, blockedInRecv: 5, threadsLeftAfterRelease: 0 },
      fix: { workers: 5, jobs: 10, processed: 10, leakedThreads: 0, threadsLeft: 0 },
    },
    'send-after-close': {
      mistake: { sent: 5, processed: 5, lateSendPanicked: true, panicMessage: 'send on closed channel', secondClosePanicked: true, secondCloseMessage: 'close of closed channel' },
      fix: { submitted: 5, completed: 5, lateSubmit: 'Err(Closed)', taskHandedBack: 999, secondCloseChanged: false, panicked: false },
    },
    'unbuffered-queue': {
      mistake: { jobs: 10, jobsHandedOver: 2, resultsRead: 0, blockedThreads: 3, deadlocked: true },
      fix: { jobs: 10, completed: 10, deadlocked: false },
    },
    'waitgroup-misuse': {
      mistake: { addInsideReturnedEarly: true, doneWhenWaitReturned: 0, goroutines: 5, copiedWaitGroupHung: true, missingDoneHung: true },
      fix: { workers: 5, tasks: 10, completed: 10, exitedWhenJoinReturned: 5, hung: false },
    },
  };
  for (const [id, expected] of Object.entries(EXPECTED)) {
    // The mistake and the fix side by side, each its Go beside its Rust, the tutorial's marked lines highlighted.
    const columns = await page.$$eval(`#lesson-${id} .code-column`, (els) => els.map((el) => ({
      heading: el.querySelector('h4').textContent,
      go: el.querySelectorAll('figure[data-language="Go"]').length,
      rust: el.querySelectorAll('figure[data-language="Rust"]').length,
      marks: el.querySelectorAll('figure[data-language="Go"] pre mark.line-mark').length,
    })));
    assert.deepEqual(columns.map((c) => c.heading), ['The mistake', 'The fix'], id);
    for (const c of columns) assert.ok(c.go > 0 && c.rust > 0 && c.marks > 0, `${id}, ${c.heading}: Go with marked lines beside Rust`);
    if (id === 'waitgroup-misuse') {
      assert.deepEqual(await page.$$eval(`#lesson-${id} .code-column h5`, (els) => els.map((e) => e.textContent)),
        ['wg.Add inside the goroutine', 'A WaitGroup passed by value', 'A forgotten Done']);
    }

    await tryIt(id);
    await page.waitForFunction((id) => document.querySelector(`#report-${id}`)?.dataset.report, id, { timeout: 60_000 });
    const box = `#report-${id}`;
    const report = JSON.parse(await page.$eval(box, (el) => el.dataset.report));
    assert.equal(report.error, id);
    for (const field of ['title', 'symptom', 'prevention']) assert.ok(report[field].length > 10, `${id}: ${field}`);
    assert.equal(report.mistake.happened, true, `${id}: the tutorial's failure happened in the mistake: ${report.mistake.verdict}`);
    assert.equal(report.fix.happened, false, `${id}: and not in the fix: ${report.fix.verdict}`);
    assert.deepEqual(pick(report.mistake.observed, expected.mistake), expected.mistake, `${id}: observed in the mistake`);
    assert.deepEqual(pick(report.fix.observed, expected.fix), expected.fix, `${id}: observed in the fix`);
    if (id === 'unbuffered-queue') assert.match(report.mistake.observed.blockedAt, /blocked/, 'where each thread is blocked');
    assert.equal(await page.getAttribute(box, 'data-mistake-happened'), 'true');
    assert.equal(await page.getAttribute(box, 'data-fix-happened'), 'false');

    // Both shown: statuses in words, verdicts, and what was observed.
    const text = await page.textContent(box);
    assert.ok(text.includes(report.symptom) && text.includes(report.prevention), `${id}: symptom and prevention`);
    assert.match(text, /Symptom in Go.*How the Rust API prevents or reports it.*The mistake, run just now.*The fix, run just now/s);
    const shown = await page.$$eval(`${box} .variant`, (els) => els.map((el) => ({
      status: el.querySelector('.status').textContent,
      verdict: el.querySelector('.verdict').textContent,
      observed: Object.fromEntries([...el.querySelectorAll('.observed tr')].map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent])),
    })));
    assert.equal(shown.length, 2);
    assert.match(shown[0].status, /^Happened: yes — ./, `${id}: the mistake's status`);
    assert.match(shown[1].status, /^Did not happen — ./, `${id}: the fix's status`);
    assert.equal(shown[0].verdict, report.mistake.verdict);
    assert.equal(shown[1].verdict, report.fix.verdict);
    assert.equal(Object.keys(shown[0].observed).length, Object.keys(report.mistake.observed).length, `${id}: every number the mistake observed`);
    assert.equal(Object.keys(shown[1].observed).length, Object.keys(report.fix.observed).length, `${id}: every number the fix observed`);
    const cell = (value) => (typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(value));
    for (const [i, variant] of [[0, 'mistake'], [1, 'fix']]) {
      const values = Object.values(shown[i].observed);
      for (const [key, value] of Object.entries(expected[variant])) assert.ok(values.includes(cell(value)), `${id}: the ${variant}'s ${key} (${value}) is shown`);
    }
  }

  // Every lesson at 1280×800, its code and (where tried) its report.
  await page.click('#tab-lessons');
  assert.deepEqual(page.viewportSize(), { width: 1280, height: 800 });
  for (const id of lessons) await page.locator(`#lesson-${id}`).screenshot({ path: join(outputDir, `page-lesson-${id}-1280x800.png`) });
  await page.screenshot({ path: join(outputDir, 'page-lessons-1280-full.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
