// The page's controls and the texts it shows about them, on the built page:
// decimal commas, the sticky Run bar and the keyboard's focus through a run,
// the timeline's caption, long bad values in a link, the tutorial the page
// names, the start of a run and the estimate before it, and what a lesson's
// "Try it" changed (with its Undo).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, ready, useSite } from './helpers.mjs';

const env = useSite();

const busy = (page) => page.evaluate(() => window.playgroundPage.busy);
const activeId = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
const summaryOf = (page) => page.$eval('#counts', (el) => el.dataset.summary ?? null);
/** Waits for a summary other than `old` (a run ended) and for Cancel to be disabled again. */
const ended = (page, old = null, timeout = 60_000) => page.waitForFunction((old) => {
  const now = document.querySelector('#counts')?.dataset.summary;
  return now && now !== old && !document.querySelector('#cancel:not([disabled])');
}, old, { timeout });
const number = (text) => Number(text.replace(/,/g, ''));

/**
 * From now on, every change of the `watched` elements' text appends a record
 * of the `read` elements' texts (taken after the page's own update, in the
 * same task): what a user could see at that moment. `records(page)` reads them.
 */
async function recordTexts(page, watched, read) {
  await page.evaluate(([watched, read]) => {
    window.records = [];
    const snap = () => Object.fromEntries(read.map((s) => [s, document.querySelector(s)?.textContent ?? null]));
    window.recordsObserver?.disconnect();
    window.recordsObserver = new MutationObserver(() => window.records.push(snap()));
    for (const s of watched) window.recordsObserver.observe(document.querySelector(s), { subtree: true, childList: true, characterData: true });
    window.records.push(snap());
  }, [watched, read]);
}
const records = (page) => page.evaluate(() => window.records);

test('a decimal comma is refused with a message naming its field, in a control and in a link, and nothing runs', async () => {
  const page = await openPage(env.browser, env.site.url);
  await ready(page);
  await page.click('#more-settings > summary');
  const cases = [
    // "2,5" and "0,125" are never 25 and 125; in a field that takes decimals
    // "1,500" may be 1.5 as well as 1500, so it is not guessed either.
    ['#f-failurePct', '2,5', /^Failure rate: write decimals with a point \(2\.5\), not a comma \(2,5\)\.$/],
    ['#f-failurePct', '0,125', /^Failure rate: write decimals with a point \(0\.125\), not a comma \(0,125\)\.$/],
    ['#f-failurePct', '2,500', /^Failure rate: write decimals with a point \(2\.500\), not a comma \(2,500\); for 2500, write it without a separator\.$/],
    ['#f-workers', '2,5', /^Workers: write decimals with a point \(2\.5\), not a comma \(2,5\)\.$/],
    ['#f-workers', '0,125', /^Workers: write decimals with a point \(0\.125\), not a comma \(0,125\)\.$/],
    ['#f-sleepMin', '1,500', /^Shortest task: write decimals with a point \(1\.500\), not a comma \(1,500\); for 1500, write it without a separator\.$/],
    ['#f-timeoutMs', '1,000,000', /^Per-task timeout: write 1000000 without commas; in this field a comma could be a decimal comma\.$/],
  ];
  for (const [selector, value, message] of cases) {
    const good = await page.inputValue(selector);
    await page.fill(selector, value);
    assert.equal(await page.$eval('#run', (el) => el.disabled), true, `${selector}=${value} disables Run`);
    assert.equal(await page.getAttribute(selector, 'aria-invalid'), 'true', `${selector}=${value} is marked invalid`);
    assert.match(await page.textContent(`${selector}-error`), message);
    const label = (await page.textContent(`label[for="${selector.slice(1)}"]`)).replace(/ \(.*\)$/, '');
    assert.ok((await page.textContent('#form-problem')).includes(label), `the form's problem names ${label}`);
    // Enter in the field does not run it.
    await page.press(selector, 'Enter');
    await page.waitForTimeout(200);
    assert.equal(await busy(page), null, `Enter with ${selector}=${value} runs nothing`);
    assert.equal(await summaryOf(page), null);
    await page.fill(selector, good);
    assert.equal(await page.$eval('#run', (el) => el.disabled), false);
  }
  // The page's own thousands separators still read as such in whole-number fields.
  await page.fill('#f-tasks', '2,000');
  assert.equal(await page.$eval('#run', (el) => el.disabled), false);
  assert.match(page.url(), /tasks=2000/);
  await page.context().close();

  for (const [query, problem] of [
    ['?failure=0%2C125', /failure=0,125: Failure rate: write decimals with a point \(0\.125\), not a comma/],
    ['?workers=0%2C125', /workers=0,125: Workers: write decimals with a point \(0\.125\), not a comma/],
    ['?sleep=1%2C500-2%2C500', /sleep=1,500-2,500: Shortest task: write decimals with a point \(1\.500\), not a comma/],
  ]) {
    const linked = await openPage(env.browser, `${env.site.url}${query}`);
    await ready(linked);
    assert.match(await linked.textContent('#url-message'), problem);
    assert.equal(await linked.inputValue('#f-workers'), '8', `${query}: the defaults are loaded`);
    assert.equal(await linked.inputValue('#f-failurePct'), '10');
    assert.equal(await summaryOf(linked), null, `${query}: nothing ran`);
    await linked.context().close();
  }
});

/**
 * Tabs through every control of the settings from the strategy, opening
 * "More settings" on the way, and checks that none, focus ring included
 * (3 px at 2 px), is under the sticky Run bar.
 */
async function tabClearOfTheBar(page) {
  await page.focus('#strategy-pool');
  const seen = [];
  for (let step = 0; step < 40; step++) {
    const where = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el.closest('fieldset.settings')) return { id: el.id, done: true };
      const ring = 5;
      const a = el.getBoundingClientRect();
      const bar = document.querySelector('.actions').getBoundingClientRect();
      const overlaps = a.left - ring < bar.right && a.right + ring > bar.left && a.top - ring < bar.bottom && a.bottom + ring > bar.top;
      const visible = a.top >= 0 && a.bottom <= innerHeight;
      return { id: el.id || el.tagName, summary: el.tagName === 'SUMMARY', overlaps, visible, rect: [a.top, a.bottom], bar: [bar.top, bar.bottom] };
    });
    if (where.done) {
      assert.equal(where.id, 'run', 'after the settings, Tab reaches Run');
      break;
    }
    seen.push(where.id);
    assert.equal(where.overlaps, false, `${where.id} (${where.rect}) is clear of the Run bar (${where.bar})`);
    assert.equal(where.visible, true, `${where.id} is in view`);
    if (where.summary && !(await page.$eval('#more-settings', (el) => el.open))) await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
  }
  assert.ok(seen.includes('SUMMARY') && seen.includes('f-spawnCap'), `every control was reached: ${seen.join(' ')}`);
}

test('the sticky Run bar never covers a focused control; Enter in a field runs; focus moves Run → Cancel → Run', async () => {
  // A long run's estimate takes two lines in the bar: the tallest it gets.
  const narrow = await openPage(env.browser, `${env.site.url}?tasks=100000`, { viewport: { width: 390, height: 844 } });
  await ready(narrow);
  await tabClearOfTheBar(narrow);
  await narrow.context().close();
  const page = await openPage(env.browser, `${env.site.url}?tasks=400&workers=2&sleep=5-10`);
  await ready(page);
  await tabClearOfTheBar(page);

  // Run from the keyboard: focus moves to Cancel (Run is disabled), then back to Run.
  await page.focus('#run');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#cancel:not([disabled])');
  assert.equal(await activeId(page), 'cancel', 'while it runs, focus is on Cancel');
  await ended(page);
  assert.equal(await activeId(page), 'run', 'once it ended, focus is back on Run');

  // Cancel from the keyboard: the run ends cancelled, focus back on Run.
  let old = await summaryOf(page);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#cancel:not([disabled])');
  assert.equal(await activeId(page), 'cancel');
  await page.waitForFunction(() => Number(document.querySelector('#counters [data-key=succeeded] dd')?.textContent.replace(/,/g, '')) > 5);
  await page.keyboard.press('Enter');
  await ended(page, old);
  assert.equal(JSON.parse(await summaryOf(page)).aborted, true, 'Enter on Cancel cancelled the run');
  assert.equal(await activeId(page), 'run');

  // Enter in a settings field runs its settings; that field is locked
  // during the run, so focus waits on Cancel and comes back to Run.
  await page.fill('#f-tasks', '60');
  old = await summaryOf(page);
  await page.press('#f-tasks', 'Enter');
  await ended(page, old);
  assert.equal(JSON.parse(await summaryOf(page)).tasks, 60, 'Enter in Tasks ran 60 tasks');
  assert.equal(await activeId(page), 'run');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the timeline caption says what is drawn at every moment, in the singular for one', async () => {
  const page = await openPage(env.browser, `${env.site.url}?workers=1&tasks=30&sleep=5-10&failure=0`);
  await ready(page);
  assert.match(await page.textContent('#timeline-caption'), /^No run yet/);
  const read = ['#timeline-caption', '#progress-text', '#run-status'];
  await recordTexts(page, read, read);
  await page.click('#run');
  await ended(page);
  const seen = await records(page);
  const during = seen.filter((r) => !/finished in|cancelled in/.test(r['#progress-text']));
  for (const r of during) {
    const done = number(/^([\d,]+) \//.exec(r['#progress-text'])?.[1] ?? '0');
    if (done > 0) assert.doesNotMatch(r['#timeline-caption'], /No task/, `with ${done} finished: "${r['#timeline-caption']}"`);
    const drawn = /^([\d,]+) tasks? drawn so far on 1 worker\.$/.exec(r['#timeline-caption']);
    if (drawn) assert.ok(number(drawn[1]) <= done, `${drawn[1]} drawn of ${done} finished`);
  }
  assert.ok(during.some((r) => /^\d+ tasks? drawn so far on 1 worker\.$/.test(r['#timeline-caption'])), 'the caption follows the run');
  for (const r of seen) {
    for (const text of [r['#timeline-caption'], r['#progress-text']]) assert.doesNotMatch(text, /(^|\D)1 (workers|tasks|rows|lanes|threads)\b/, text);
  }
  assert.ok(seen.some((r) => r['#run-status'] === 'Running 30 tasks: Worker pool, 1 worker…'), 'the run says 1 worker');
  assert.match(await page.textContent('#timeline-caption'), /^30 tasks drawn on 1 worker over [\d,]+ ms\./);

  const old = await summaryOf(page);
  await page.fill('#f-tasks', '1');
  await recordTexts(page, read, read);
  await page.click('#run');
  await ended(page, old);
  assert.match(await page.textContent('#timeline-caption'), /^1 task drawn on 1 worker over [\d,]+ ms\./);
  assert.ok((await records(page)).some((r) => r['#run-status'] === 'Running 1 task: Worker pool, 1 worker…'));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a link with a 100 KB bad value loads, its problem quotes it cut short, and the page is never wider than the screen', async () => {
  const long = 'x'.repeat(100_000);
  const query = `?failure=${long}&workers=${'9'.repeat(100_000)}&strategy=${'s'.repeat(100_000)}`;
  // The server (npm start's, and the tests') takes links this long.
  const response = await fetch(`${env.site.url}${query}`);
  assert.equal(response.status, 200, 'the server serves a 300 KB link');
  await response.arrayBuffer();
  for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
    const page = await openPage(env.browser, `${env.site.url}${query}`, { viewport });
    await ready(page);
    const items = await page.$$eval('#url-message li', (els) => els.map((el) => el.textContent));
    assert.equal(items.length, 3, 'one problem per bad value');
    for (const item of items) {
      assert.ok(item.length < 200, `a short problem: ${item.slice(0, 120)}…`);
      assert.match(item, /… \(100000 characters\)/);
    }
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, body: document.body.scrollWidth, screen: innerWidth }));
    assert.ok(widths.page <= widths.screen && widths.body <= widths.screen, `${viewport.width} px: the page is ${widths.page} px wide`);
    assert.equal(await page.inputValue('#f-workers'), '8', 'the defaults are loaded');
    assert.equal(new URL(page.url()).search, '', 'the address bar holds the defaults');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('the page names its tutorial and which section each view brings to life, and says in words that threads share memory', async () => {
  const page = await openPage(env.browser, env.site.url);
  await ready(page);
  const intro = await page.textContent('header .brand');
  assert.match(intro, /the Go tutorial Comprehensive Guide to Worker Pools in Go/);
  const views = await page.$$eval('.tutorial-map li', (els) => els.map((el) => el.textContent));
  assert.deepEqual(views.map((v) => v.split(':')[0]), ['Run', 'Compare', 'Lessons']);
  const sections = ['Introduction', 'What is a Worker Pool?', 'Implementation Without Worker Pool', 'Implementation With Worker Pool',
    'Benefits of Worker Pools', 'Control Comparison', 'Common Errors and Warnings', 'Best Practices'];
  for (const section of sections) {
    assert.equal(views.filter((v) => v.includes(`“${section}”`)).length, 1, `one view brings “${section}” to life`);
  }
  assert.match(await page.textContent('#panel-lessons'), /Each section of Comprehensive Guide to Worker Pools in Go/);
  const header = await page.textContent('#isolation');
  assert.match(header, /threads share memory: yes/);
  assert.doesNotMatch(header, /\b(true|false)\b/, header);
  await page.context().close();
});

test('until a task starts the live line says the workers are starting, and never shows an empty ETA', async () => {
  const page = await openPage(env.browser, `${env.site.url}?workers=64&tasks=300&sleep=5-10`);
  await ready(page);
  const counter = (key) => `#counters [data-key=${key}] dd`;
  const keys = ['succeeded', 'failed', 'panicked', 'timedOut', 'cancelled', 'inFlight'];
  await recordTexts(page, ['#progress-text', '#counters'], ['#progress-text', ...keys.map(counter)]);
  await page.click('#run');
  await ended(page);
  const seen = (await records(page)).slice(1);
  assert.match(seen[0]['#progress-text'], /^0 \/ 300 · starting workers…$/, 'it starts by starting the workers');
  let starting = 0;
  for (const r of seen) {
    const text = r['#progress-text'];
    assert.doesNotMatch(text, /ETA –/, text);
    const started = keys.reduce((n, key) => n + number(r[counter(key)]), 0);
    if (/finished in/.test(text)) continue;
    if (started === 0) {
      assert.match(text, /starting workers…$/, 'nothing started: the workers are starting');
      starting++;
    } else {
      assert.doesNotMatch(text, /starting workers/, `${started} started: "${text}"`);
    }
  }
  assert.ok(starting >= 2, `the start of 64 workers is shown while it lasts (${starting} frames)`);
  assert.match(await page.textContent('#progress-text'), /^300 \/ 300 · finished in /);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/** "about 2 min 40 s" → 160. */
function seconds(text) {
  const match = /about (?:(\d+) min)? ?(?:(\d+) s)?/.exec(text);
  assert.ok(match, text);
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

test('beside Run, an estimate of the run time follows the settings, and a long run is a warning', async () => {
  const page = await openPage(env.browser, env.site.url);
  await ready(page);
  const estimate = () => page.textContent('#run-estimate');
  assert.equal(await page.isVisible('#run-estimate'), true);
  assert.match(await page.getAttribute('#run', 'aria-describedby'), /run-estimate/);
  // 1,000 tasks of 5-20 ms on 8 workers: about 1.6 s of work.
  assert.match(await estimate(), /^Estimated run time: about 2 s\.$/);
  // The run: 100,000 tasks took 160 s.
  await page.fill('#f-tasks', '100000');
  let text = await estimate();
  assert.ok(seconds(text) >= 140 && seconds(text) <= 180, text);
  assert.match(text, /A long run: Cancel \(or Esc\) stops it\.$/);
  assert.equal(await page.$eval('#run-estimate', (el) => el.classList.contains('long')), true);
  await page.fill('#f-workers', '16');
  text = await estimate();
  assert.ok(seconds(text) >= 70 && seconds(text) <= 90, `twice the workers, half the time: ${text}`);
  await page.click('#more-settings > summary');
  await page.fill('#f-sleepMin', '1');
  await page.fill('#f-sleepMax', '1');
  text = await estimate();
  assert.ok(seconds(text) >= 5 && seconds(text) <= 9, `1 ms tasks: ${text}`);
  assert.doesNotMatch(text, /long run/);
  await page.fill('#f-workers', 'many');
  assert.equal(await page.isVisible('#run-estimate'), false, 'no estimate for settings that cannot run');
  await page.context().close();
});

test('a lesson\'s Try it says which settings it changed, from what to what, and Undo puts them back', async () => {
  const page = await openPage(env.browser, `${env.site.url}?workers=6&tasks=500&failure=3&view=lessons`);
  await ready(page);
  assert.equal(await page.isVisible('#settings-changed'), false);
  await page.click('button.try[data-lesson="connections"]');
  await page.waitForSelector('#settings-changed:not([hidden])');
  const notice = await page.textContent('#settings-changed p');
  assert.equal(notice, 'Try it (“10 workers sharing 3 connections”) changed 6 settings:');
  assert.deepEqual(await page.$$eval('#settings-changed li', (els) => els.map((el) => el.textContent)), [
    'Workers: 6 → 10', 'Tasks: 500 → 90', 'Failure rate: 3 % → 0 %',
    'Shortest task: 5 ms → 30 ms', 'Longest task: 20 ms → 70 ms', 'Connections: unlimited → 3',
  ]);
  // While the lesson runs the settings are locked: so is Undo.
  if (await busy(page)) assert.equal(await page.$eval('#undo-settings', (el) => el.disabled), true);
  await page.waitForFunction(() => document.querySelector('#report-connections')?.dataset.summary, null, { timeout: 60_000 });
  await page.waitForSelector('#undo-settings:not([disabled])');
  await page.click('#undo-settings');
  assert.equal(await page.inputValue('#f-workers'), '6');
  assert.equal(await page.inputValue('#f-tasks'), '500');
  assert.equal(await page.inputValue('#f-failurePct'), '3');
  assert.equal(await page.inputValue('#f-connections'), '');
  assert.equal(await page.inputValue('#f-sleepMin'), '5');
  const params = Object.fromEntries(new URL(page.url()).searchParams);
  assert.deepEqual({ workers: params.workers, tasks: params.tasks, failure: params.failure, connections: params.connections, sleep: params.sleep },
    { workers: '6', tasks: '500', failure: '3', connections: undefined, sleep: undefined }, 'the link holds the previous settings');
  assert.equal(await page.textContent('#settings-changed'), 'Undone: the settings from before Try it (“10 workers sharing 3 connections”) are back.');
  assert.equal(await activeId(page), 'run');

  // A try that changes nothing says so; a change of the user's own ends the notice.
  await page.click('#tab-lessons');
  await page.click('button.try[data-lesson="connections"]');
  await page.waitForFunction(() => document.querySelector('#report-connections')?.dataset.summary && !window.playgroundPage.busy, null, { timeout: 60_000 });
  await page.click('#tab-lessons');
  await page.click('button.try[data-lesson="connections"]:not([disabled])');
  assert.equal(await page.textContent('#settings-changed'), 'Try it (“10 workers sharing 3 connections”) kept your settings: they already were its own.');
  await page.waitForFunction(() => !window.playgroundPage.busy, null, { timeout: 60_000 });
  await page.fill('#f-workers', '7');
  assert.equal(await page.isVisible('#settings-changed'), false, 'the notice no longer describes the settings');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
