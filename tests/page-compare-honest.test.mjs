// Compare on equal terms, on the built page: with 1,000 tasks one worker per
// task runs capped at the runtime's live-thread ceiling, so no task is
// refused; the headline's claims are the measured ones (no strategy is
// called faster on work it did not do, tasks that never ran are counted);
// the memory figure says what it measures and the headline compares memory
// only from the browser's measurement; the results export as JSON and CSV.
// And the status line after a run names every outcome, adding up.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPage, outputDir, ready, useSite } from './helpers.mjs';

const env = useSite();

const LABEL = { pool: 'Worker pool', 'spawn-per-task': 'One worker per task', rayon: 'rayon' };
const count = (n) => n.toLocaleString('en-US');
/** As the page writes a ratio (format.ts times()). */
const times = (r) => `${r >= 10 ? Math.round(r).toLocaleString('en-US') : r.toLocaleString('en-US', { maximumFractionDigits: 1 })}×`;
const ALL = /(\d[\d,]*) (succeeded|failed|panicked|timed out|cancelled)/g;
const KEY = { succeeded: 'succeeded', failed: 'failed', panicked: 'panicked', 'timed out': 'timedOut', cancelled: 'cancelled' };

/** "293 succeeded, 28 failed, 679 timed out" → { succeeded: 293, failed: 28, timedOut: 679 }. */
function outcomesIn(phrase) {
  const found = {};
  for (const m of phrase.matchAll(ALL)) found[KEY[m[2]]] = Number(m[1].replace(/,/g, ''));
  return found;
}

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

/** The page of the first test, kept for the exports. */
let compared = null;

test('Compare with 1,000 tasks: every strategy does the same work, and the headline claims only what was measured', async () => {
  const page = await openPage(env.browser, `${env.site.url}?view=compare`);
  await ready(page);
  assert.equal((await page.inputValue('#f-tasks')).replace(/,/g, ''), '1000', 'the default 1,000 tasks');
  // Every text the progress line shows, to see the wait for the memory answer.
  await page.evaluate(() => {
    window.progressSeen = [];
    const line = document.querySelector('#compare-progress-text');
    new MutationObserver(() => {
      if (window.progressSeen.at(-1) !== line.textContent) window.progressSeen.push(line.textContent);
    }).observe(line, { childList: true, characterData: true, subtree: true });
  });
  await page.click('#compare-run');
  await page.waitForFunction(() => document.querySelector('#compare-results')?.dataset.results, null, { timeout: 600_000 });
  const results = JSON.parse(await page.$eval('#compare-results', (el) => el.dataset.results));
  const sentence = await page.textContent('#compare-sentence');
  // Kept for the exports whatever the checks below find.
  compared = { page, results, sentence };
  assert.deepEqual(results.map((r) => r.strategy), ['pool', 'spawn-per-task', 'rayon']);
  for (const r of results) {
    assert.equal(r.succeeded + r.failed + r.panicked + r.timedOut + r.cancelled, 1000, `${r.strategy} adds up`);
    assert.ok(r.firstResultMs > 0 && r.firstResultMs <= r.elapsedMs, `${r.strategy}: first result ${r.firstResultMs} within the run`);
  }
  const [pool, spawn] = results;

  // One worker per task waited for a thread at the runtime's ceiling instead of being refused one.
  assert.deepEqual(spawn.spawnCap, { threads: 512, by: 'runtime' });
  assert.ok(spawn.peakThreads <= 512, `at most 512 live threads (${spawn.peakThreads})`);
  assert.equal(spawn.spawnRefused, 0, 'no task was refused a Web Worker');
  if (spawn.peakThreads === 512) assert.match(sentence, /capped by the browser's limit of 512 live Web Workers/);

  // Tasks that never ran are counted in the headline; such a strategy is never ranked.
  for (const r of results.filter((x) => x.neverStarted > 0)) {
    assert.ok(sentence.includes(`${LABEL[r.strategy]} did not do the same work: ${count(r.neverStarted)} of its 1,000 tasks never ran`), sentence);
  }
  if (pool.neverStarted === 0 && spawn.neverStarted === 0) {
    const ratio = spawn.elapsedMs / pool.elapsedMs;
    if (ratio >= 1.1) assert.ok(sentence.startsWith(`One worker per task took ${times(ratio)} as long as the pool`), `${ratio}: ${sentence}`);
    else if (ratio <= 0.9) assert.ok(sentence.startsWith(`One worker per task finished ${times(1 / ratio)} faster than the pool`), `${ratio}: ${sentence}`);
    else assert.ok(sentence.startsWith('One worker per task took about as long as the pool'), `${ratio}: ${sentence}`);
  } else {
    assert.doesNotMatch(sentence, /× as long|× faster|about as long/, 'no ranking on work not done');
  }

  // The small print names every outcome of every strategy.
  const small = await page.textContent('#compare-outcomes');
  for (const r of results) {
    const expected = ['succeeded', 'failed', 'panicked', 'timedOut', 'cancelled'].filter((k) => r[k] > 0 || k === 'succeeded' || k === 'failed');
    const said = small.startsWith('Same seed, same work') ? outcomesIn(small) : outcomesIn(small.split(`${LABEL[r.strategy]}: `)[1].split(/[.)]/)[0]);
    assert.deepEqual(Object.keys(said).sort(), expected.sort(), `${r.strategy}: ${small}`);
    for (const k of expected) assert.equal(said[k], r[k], `${r.strategy} ${k}`);
  }

  // The memory figure says what it measures; memory is compared only from the browser's measurement.
  const label = await page.textContent('#compare-memory-label');
  const compares = /the memory|less memory|same memory/;
  if (pool.memorySource === 'shared memory') {
    assert.match(label, /^Size of the shared WebAssembly memory at the end of each run, in a fresh runtime: it excludes each Web Worker's own thread, V8 isolate and wasm instance, so it is not what a worker costs\./);
    assert.match(label, /performance\.measureUserAgentSpecificMemory\(\), gave no figure to compare: /);
    assert.doesNotMatch(sentence, compares);
    assert.match(sentence, /Memory is not compared: the browser gave no figure to compare/);
  } else {
    assert.match(label, /^Measured by the browser with performance\.measureUserAgentSpecificMemory\(\)/);
    if (await page.$eval('#compare-results', (el) => el.dataset.memoryCompared) === 'true') assert.match(sentence, /memory \([^)]* as the browser measured it\)/);
    else assert.doesNotMatch(sentence, compares);
  }
  // An answer that did not come while the run went was waited for, visibly.
  if (results.some((r) => r.memory.kind === 'unanswered' && /did not answer while the run was going/.test(r.memory.why))) {
    const seen = await page.evaluate(() => window.progressSeen);
    assert.ok(seen.some((t) => /measuring memory: asked the browser [\d.]+ s ago, no answer yet/.test(t)), JSON.stringify(seen.slice(-5)));
  }
  await page.screenshot({ path: join(outputDir, 'page-compare-honest-1280x800.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
});

test('the comparison exports as JSON and as CSV, with the numbers and sentences the page shows', async (t) => {
  if (!compared) return t.skip('the comparison did not run');
  const { page, results, sentence } = compared;
  try {
    const json = await download(page, '#compare-export-json');
    const label = await page.textContent('#compare-memory-label');
    assert.equal(json.name, 'wasm-worker-pool-compare-seed42-1000tasks.json');
    const data = JSON.parse(json.text);
    assert.equal(data.headline, sentence);
    assert.equal(data.memory.label, label);
    assert.equal(data.settings.tasks, 1000);
    assert.deepEqual(data.strategies.map((s) => s.strategy), results.map((r) => r.strategy));
    data.strategies.forEach((s, i) => {
      assert.equal(s.summary.elapsedMs, results[i].elapsedMs);
      assert.equal(s.summary.succeeded, results[i].succeeded);
      assert.equal(s.neverStarted.total, results[i].neverStarted);
      assert.equal(s.memoryBytes, results[i].memoryBytes);
    });
    assert.equal(data.strategies[1].config.spawnCap, 512, 'what one worker per task ran: capped');
    // Workers numbered as the run's exports and the timeline's lanes number them: from 1.
    assert.match(data.workerNumbering, /1 to N/);
    assert.deepEqual(data.strategies[0].summary.perWorkerTasks.map((w) => w.worker).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);

    const csv = await download(page, '#compare-export-csv');
    assert.equal(csv.name, 'wasm-worker-pool-compare-seed42-1000tasks.csv');
    const [head, ...rows] = csv.text.trim().split('\n');
    const columns = head.split(',');
    assert.equal(rows.length, 3, 'one row per strategy');
    rows.forEach((row, i) => {
      const cells = Object.fromEntries(row.split(',').map((v, j) => [columns[j], v]));
      const r = results[i];
      assert.equal(cells.strategy, r.strategy);
      assert.equal(Number(cells.elapsed_ms), +r.elapsedMs.toFixed(3));
      for (const [column, key] of [['succeeded', 'succeeded'], ['failed', 'failed'], ['timed_out', 'timedOut'], ['never_started', 'neverStarted'], ['peak_threads', 'peakThreads']]) {
        assert.equal(Number(cells[column]), r[key], `${r.strategy} ${column}`);
      }
      assert.equal(cells.memory_source, r.memorySource);
    });
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

/** The status line's outcomes, checked against the run's summary. */
async function statusAddsUp(page, pattern) {
  const status = await page.textContent('#run-status');
  const match = pattern.exec(status);
  assert.ok(match, status);
  const s = JSON.parse(await page.$eval('#counts', (el) => el.dataset.summary));
  const said = outcomesIn(match[1]);
  const occurred = ['succeeded', 'failed', 'panicked', 'timedOut', 'cancelled'].filter((k) => s[k] > 0);
  for (const k of occurred) assert.equal(said[k], s[k], `${k} in "${status}"`);
  assert.equal(Object.values(said).reduce((a, b) => a + b, 0), s.tasks, `the parts add up to ${s.tasks}: "${status}"`);
  return { status, s };
}

test('the status line after a run names every outcome, timeouts, panics and cancellations included, and they add up', async () => {
  const page = await openPage(env.browser, `${env.site.url}?tasks=300&workers=8&sleep=5-40&timeout=20&panic=10&seed=7`);
  await ready(page);
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary, null, { timeout: 120_000 });
  const { s } = await statusAddsUp(page, /^Finished 300 tasks in [^:]+: (.*)\.$/);
  assert.ok(s.timedOut > 0 && s.panicked > 0, `some timed out (${s.timedOut}) and some panicked (${s.panicked})`);

  // Cancelled part way: the cancelled tasks, and those never submitted, are named too.
  await page.goto(`${env.site.url}?tasks=3000&workers=2&sleep=5-10&queue=10`);
  await ready(page);
  await page.click('#run');
  await page.waitForFunction(() => Number(document.querySelector('#counters [data-key="succeeded"] dd')?.textContent.replace(/,/g, '')) > 20, null, { timeout: 60_000 });
  await page.click('#cancel');
  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary, null, { timeout: 60_000 });
  const cancelled = await statusAddsUp(page, /^Cancelled after [^:]+: of 3,000 tasks, (.*)\.$/);
  assert.ok(cancelled.s.cancelled > 0);
  if (cancelled.s.neverSubmitted > 0) assert.ok(cancelled.status.includes(`${count(cancelled.s.cancelled)} cancelled (${count(cancelled.s.neverSubmitted)} of them never submitted)`), cancelled.status);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
