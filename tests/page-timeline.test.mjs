// The per-worker timeline on the built page: looking a bar's task up (hover,
// tap, the keyboard), one worker numbering in the detail, the lanes and the
// three exports, zoom and pan of the time axis (live during a run too), and
// the caption of a run sampled beyond the 50,000 tasks the timeline keeps.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openPage, pageSummary, ready, runOnPage, useSite } from './helpers.mjs';

const env = useSite();

const summaryOf = pageSummary;
const run = (page, timeout = 60_000) => runOnPage(page, timeout);

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return readFile(await file.path(), 'utf8');
}

/** What the canvas says is drawn where (its data- attributes), as numbers. */
const drawn = async (page) => Object.fromEntries(Object.entries(await page.$eval('#timeline', (el) => ({ ...el.dataset }))).map(([k, v]) => [k, Number(v)]));

/** The page coordinates of the middle of a task's bar, on lane `lane`. */
async function barPoint(page, event, lane) {
  const d = await drawn(page);
  const box = await page.$eval('#timeline', (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y }; });
  const middle = (event.startedMs + event.endedMs) / 2;
  return {
    x: box.x + d.plotLeft + ((middle - d.viewStartMs) / (d.viewEndMs - d.viewStartMs)) * d.plotWidth,
    y: box.y + d.top + lane * d.laneHeight + d.laneHeight / 2,
  };
}

const detail = (page) => page.$eval('#timeline-detail', (el) => ({ ...el.dataset, text: el.textContent }));
const OUTCOME_WORD = { succeeded: 'succeeded', failed: 'failed', panicked: 'panicked', timedOut: 'timed out', cancelled: 'cancelled' };

/** The detail describes `e`, run on worker `worker` (1-based). */
function assertDescribes(shown, e, worker, how) {
  assert.equal(shown.taskId, String(e.taskId), `${how}: task ${e.taskId} (shown: ${shown.text})`);
  assert.equal(shown.worker, String(worker), how);
  assert.equal(shown.outcome, e.outcome, how);
  assert.match(shown.text, new RegExp(`^Task ${e.taskId.toLocaleString('en-US')} on worker ${worker}: ${OUTCOME_WORD[e.outcome]}`), how);
  for (const label of ['Enqueued at', 'Started at', 'Ended at', 'Waited for a connection']) assert.ok(shown.text.includes(label), `${how}: ${label}`);
  assert.match(shown.text, /after [\d.,]+ [µm]?s in the queue/, how);
  assert.match(shown.text, /\(ran [\d.,]+ [µm]?s\)/, how);
  const waited = e.waitStartMs >= 0 && e.waitEndMs > e.waitStartMs;
  assert.match(shown.text, waited ? /Waited for a connection[\d.,]+ [µm]?s, from [\d.,]+ [µm]?s to [\d.,]+ [µm]?s/ : /Waited for a connectionno/, how);
}

const QUERY = '?workers=3&tasks=60&failure=20&connections=2&sleep=3-8&seed=5';

test('the same task has the same worker number, from 1, in the JSON, the CSV and the trace, and in the summary\'s per-worker counts', async () => {
  const page = await openPage(env.browser, `${env.site.url}${QUERY}`);
  await ready(page);
  await run(page);
  await page.waitForSelector('#export-json:not([disabled])');
  const data = JSON.parse(await download(page, '#export-json'));
  const csv = (await download(page, '#export-csv')).trimEnd().split('\n').map((line) => line.split(','));
  const trace = JSON.parse(await download(page, '#export-trace'));
  // Whatever each export calls the field: the numbers must agree.
  const jsonWorker = (e) => e.worker ?? e.workerId;
  const column = csv[0].findIndex((name) => /^worker(_id)?$/.test(name));
  const traced = new Map(trace.traceEvents.filter((e) => e.ph === 'X' && e.name.startsWith('task ')).map((e) => [e.args.taskId, e]));
  const names = new Map(trace.traceEvents.filter((e) => e.name === 'thread_name' && e.tid > 0).map((e) => [e.tid, e.args.name]));
  const byId = new Map(data.timeline.map((e) => [e.taskId, e]));
  assert.equal(data.timeline.length, 60);
  for (const row of csv.slice(1)) {
    const e = byId.get(Number(row[0]));
    assert.equal(Number(row[column]), jsonWorker(e), `task ${e.taskId}: the CSV says worker ${row[column]}, the JSON ${jsonWorker(e)}`);
    const t = traced.get(e.taskId);
    assert.equal(t.tid, jsonWorker(e), `task ${e.taskId}: the trace's track and the JSON agree`);
    assert.equal(names.get(t.tid), `worker ${jsonWorker(e)}`);
    assert.ok(jsonWorker(e) >= 1 && jsonWorker(e) <= 3, `task ${e.taskId}: worker ${jsonWorker(e)} of 1 to 3, as the lanes w1 to w3`);
    assert.equal(t.args.worker, e.worker, 'the trace names it too');
  }
  // The fields say how they count.
  assert.match(data.workerNumbering, /^worker: 1 to N, as the timeline's lanes/);
  assert.equal(trace.otherData.workerNumbering, data.workerNumbering);
  assert.ok(data.timeline.every((e) => !('workerId' in e) && 'worker' in e), 'the JSON names the field "worker"');
  assert.equal(csv[0][column], 'worker');
  // The summary's per-worker counts use the same numbers.
  const started = new Map();
  for (const e of data.timeline) if (e.startedMs >= 0) started.set(e.worker, (started.get(e.worker) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(data.summary.perWorkerTasks.map((w) => [w.worker, w.tasks])), Object.fromEntries(started));
  assert.deepEqual(Object.fromEntries(trace.otherData.summary.perWorkerTasks.map((w) => [w.worker, w.tasks])), Object.fromEntries(started));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('hover, tap and the arrow keys show a bar\'s task: id, worker (numbered as its lane), enqueue, start and end, waits, outcome', async () => {
  const page = await openPage(env.browser, `${env.site.url}${QUERY}`);
  await ready(page);
  assert.equal(await page.getAttribute('#timeline-detail', 'aria-live'), 'polite');
  assert.equal(await page.getAttribute('#timeline-detail', 'role'), 'status');
  assert.equal(await page.getAttribute('#timeline', 'tabindex'), '0', 'the keyboard reaches the timeline');
  assert.match(await page.getAttribute('#timeline', 'aria-label'), /arrow keys/);
  assert.match(await page.textContent('#timeline-detail'), /^No bars yet/);
  const summary = await run(page);
  await page.waitForSelector('#export-json:not([disabled])');
  const data = JSON.parse(await download(page, '#export-json'));
  const byId = new Map(data.timeline.map((e) => [e.taskId, e]));

  // Hover: the bar under the mouse, on lane w(n) = worker n, is the JSON's task on worker n.
  const tasks = data.timeline.filter((e) => e.startedMs >= 0);
  const longest = [1, 2, 3].map((w) => tasks.filter((e) => e.worker === w).sort((a, b) => (b.endedMs - b.startedMs) - (a.endedMs - a.startedMs))[0]);
  await page.$eval('#timeline', (el) => el.scrollIntoView({ block: 'center' }));
  for (const e of longest) {
    const point = await barPoint(page, e, e.worker - 1);
    await page.mouse.move(point.x, point.y);
    await page.waitForFunction((id) => document.querySelector('#timeline-detail').dataset.taskId === String(id), e.taskId, { timeout: 5_000 });
    assertDescribes(await detail(page), e, e.worker, `hover over task ${e.taskId}`);
    assert.equal(await page.isVisible('.timeline-mark'), true, 'the bar is marked');
  }
  await page.mouse.move(5, 5);
  await page.waitForFunction(() => !document.querySelector('#timeline-detail').dataset.taskId);
  assert.match(await page.textContent('#timeline-detail'), /^Hover over or tap a bar/);

  // The keyboard: Home is the first bar to start, → the next on its lane, ↓ a bar on the next lane, End the last to start.
  await page.focus('#timeline');
  await page.keyboard.press('Home');
  const first = [...tasks].sort((a, b) => a.startedMs - b.startedMs || a.worker - b.worker)[0];
  assertDescribes(await detail(page), first, first.worker, 'Home');
  await page.keyboard.press('ArrowRight');
  const next = tasks.filter((e) => e.worker === first.worker && e.startedMs > first.startedMs).sort((a, b) => a.startedMs - b.startedMs)[0];
  assertDescribes(await detail(page), next, first.worker, '→');
  await page.keyboard.press('ArrowLeft');
  assertDescribes(await detail(page), first, first.worker, '←');
  const below = first.worker < 3 ? 'ArrowDown' : 'ArrowUp';
  await page.keyboard.press(below);
  const across = await detail(page);
  assert.equal(across.worker, String(first.worker + (below === 'ArrowDown' ? 1 : -1)), `${below} goes to the next lane`);
  assertDescribes(across, byId.get(Number(across.taskId)), Number(across.worker), below);
  await page.keyboard.press('End');
  const last = [...tasks].sort((a, b) => b.startedMs - a.startedMs)[0];
  assert.equal((await detail(page)).taskId, String(last.taskId), 'End');
  assert.equal(summary.tasks, 60);
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // Tap, on a touch screen: the tapped bar's task, and it stays.
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const phone = await context.newPage();
  phone.errors = [];
  phone.on('pageerror', (error) => phone.errors.push(error.message));
  await phone.goto(`${env.site.url}${QUERY}`);
  await ready(phone);
  await run(phone);
  const again = JSON.parse(await download(phone, '#export-json'));
  await phone.$eval('#timeline', (el) => el.scrollIntoView({ block: 'center' }));
  const target = again.timeline.filter((e) => e.startedMs >= 0).sort((a, b) => (b.endedMs - b.startedMs) - (a.endedMs - a.startedMs))[0];
  const point = await barPoint(phone, target, target.worker - 1);
  await phone.touchscreen.tap(point.x, point.y);
  await phone.waitForFunction((id) => document.querySelector('#timeline-detail').dataset.taskId === String(id), target.taskId, { timeout: 5_000 });
  assertDescribes(await detail(phone), target, target.worker, `tap on task ${target.taskId}`);
  await phone.waitForTimeout(300);
  assert.equal((await detail(phone)).taskId, String(target.taskId), 'a tapped task stays');
  assert.deepEqual(phone.errors, []);
  await context.close();
});

/** Pixels of a canvas within 10 of an [r, g, b] colour. */
const pixelsLike = (page, rgb) => page.$eval('#timeline', (canvas, rgb) => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - rgb[0]) <= 10 && Math.abs(data[i + 1] - rgb[1]) <= 10 && Math.abs(data[i + 2] - rgb[2]) <= 10) n++;
  }
  return n;
}, rgb);
const SUCCEEDED = [0x00, 0x9e, 0x73];
const near = (a, b, tolerance, what) => assert.ok(Math.abs(a - b) <= tolerance, `${what}: ${a} ≈ ${b} (±${tolerance})`);

test('the time axis zooms and pans (buttons, Ctrl + wheel, drag, the pan control, keys) with a Reset, live during a run, and the caption says what is shown', async () => {
  const page = await openPage(env.browser, `${env.site.url}?workers=2&tasks=400&sleep=5-10&failure=0`);
  await ready(page);
  const disabled = (selector) => page.$eval(selector, (el) => el.disabled);
  assert.equal(await disabled('#timeline-zoom-in'), true, 'no bar to zoom into before a run');
  assert.equal(await disabled('#timeline-zoom-out'), true, 'nothing to zoom out of');
  assert.equal(await disabled('#timeline-zoom-reset'), true);
  assert.equal(await disabled('#timeline-pan'), true);

  // During the run: zoom in once the first bars are drawn; bars go on being drawn into the window.
  await page.click('#run');
  await page.waitForFunction(() => /^\d+ tasks? drawn so far/.test(document.querySelector('#timeline-caption').textContent));
  await page.click('#timeline-zoom-in');
  const zoomed = await drawn(page);
  const axis = zoomed.viewEndMs - zoomed.viewStartMs;
  assert.match(await page.textContent('#timeline-caption'), /drawn so far on 2 workers\. Zoomed in 2×: showing [\d.,]+ [µm]?s to [\d.,]+ [µm]?s \(Reset shows the whole run\)\.$/);
  const before = await pixelsLike(page, SUCCEEDED);
  await page.waitForFunction((before) => {
    const n = Number(/^([\d,]+) tasks? drawn so far/.exec(document.querySelector('#timeline-caption').textContent)?.[1].replace(/,/g, '') ?? 0);
    return n >= before + 40;
  }, Number(/^([\d,]+)/.exec(await page.textContent('#timeline-caption'))[1].replace(/,/g, '')), { timeout: 30_000 });
  assert.ok(await pixelsLike(page, SUCCEEDED) > before, 'the zoomed window goes on being drawn while the run goes on');
  assert.equal(await disabled('#timeline-zoom-reset'), false);
  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary && !document.querySelector('#cancel:not([disabled])'), null, { timeout: 60_000 });

  // After the run: Reset shows it all; the caption says nothing of a zoom.
  await page.click('#timeline-zoom-reset');
  await page.waitForFunction(() => !/Zoomed/.test(document.querySelector('#timeline-caption').textContent));
  const whole = await drawn(page);
  assert.equal(whole.viewStartMs, 0);
  assert.ok(whole.viewEndMs > axis / 2, 'the whole run');
  const total = whole.viewEndMs;
  assert.equal(await disabled('#timeline-zoom-reset'), true);

  // The + button, twice: a quarter of the axis, around its middle.
  await page.click('#timeline-zoom-in');
  await page.click('#timeline-zoom-in');
  await page.waitForFunction(() => /Zoomed in 4×/.test(document.querySelector('#timeline-caption').textContent));
  let d = await drawn(page);
  near(d.viewEndMs - d.viewStartMs, total / 4, 1e-6, 'span');
  near(d.viewStartMs, total * 3 / 8, 1e-6, 'around the middle');
  assert.match(await page.getAttribute('#timeline-pan', 'aria-valuetext'), /^showing [\d.,]+ [µm]?s to [\d.,]+ [µm]?s$/);

  // The pan control: End shows the end of the run.
  await page.focus('#timeline-pan');
  await page.keyboard.press('End');
  await page.waitForFunction((total) => Math.abs(Number(document.querySelector('#timeline').dataset.viewEndMs) - total) < 1e-6, total);
  await page.keyboard.press('Home');
  await page.waitForFunction(() => Number(document.querySelector('#timeline').dataset.viewStartMs) === 0);

  // A drag 100 px to the left shows what is later by 100 px' worth of time, and picks no bar.
  d = await drawn(page);
  await page.$eval('#timeline', (el) => el.scrollIntoView({ block: 'center' }));
  const box = await page.$eval('#timeline', (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y }; });
  const y = box.y + d.top + d.laneHeight / 2;
  const x = box.x + d.plotLeft + d.plotWidth / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 50, y, { steps: 5 });
  await page.mouse.move(x - 100, y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction((start) => Number(document.querySelector('#timeline').dataset.viewStartMs) > start, d.viewStartMs);
  let after = await drawn(page);
  near(after.viewStartMs - d.viewStartMs, (100 / d.plotWidth) * (d.viewEndMs - d.viewStartMs), (2 / d.plotWidth) * (d.viewEndMs - d.viewStartMs), 'dragged by 100 px');
  await page.mouse.move(5, 5);
  assert.equal((await detail(page)).taskId, undefined, 'a drag is no tap');

  // Ctrl + wheel zooms in around the pointer: the time under it stays under it.
  d = after;
  const px = box.x + d.plotLeft + d.plotWidth * 0.25;
  const under = d.viewStartMs + 0.25 * (d.viewEndMs - d.viewStartMs);
  await page.mouse.move(px, y);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await page.waitForFunction((span) => {
    const { viewStartMs, viewEndMs } = document.querySelector('#timeline').dataset;
    return Number(viewEndMs) - Number(viewStartMs) < span * 0.9;
  }, d.viewEndMs - d.viewStartMs);
  after = await drawn(page);
  near(after.viewStartMs + 0.25 * (after.viewEndMs - after.viewStartMs), under, (1 / d.plotWidth) * (d.viewEndMs - d.viewStartMs), 'the time under the pointer');
  // An ordinary wheel still scrolls the page.
  const scrolled = await page.evaluate(() => scrollY);
  await page.mouse.wheel(0, 200);
  await page.waitForFunction((before) => scrollY !== before, scrolled);

  // The keys, on the focused canvas: 0 resets, + zooms in, − zooms out.
  await page.focus('#timeline');
  await page.keyboard.press('0');
  await page.waitForFunction(() => !/Zoomed/.test(document.querySelector('#timeline-caption').textContent));
  await page.keyboard.press('+');
  await page.waitForFunction(() => /Zoomed in 2×/.test(document.querySelector('#timeline-caption').textContent));
  await page.keyboard.press('-');
  await page.waitForFunction(() => !/Zoomed/.test(document.querySelector('#timeline-caption').textContent));
  assert.match(await page.textContent('#timeline-caption'), /^400 tasks drawn on 2 workers over [\d,]+ ms\./);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('beyond 50,000 tasks the timeline keeps every Nth task by id, and the caption says so during and after the run', async () => {
  const page = await openPage(env.browser, `${env.site.url}?kind=noop&tasks=120000&workers=2&failure=0`);
  await ready(page);
  await page.evaluate(() => {
    window.captions = [];
    new MutationObserver(() => window.captions.push(document.querySelector('#timeline-caption').textContent))
      .observe(document.querySelector('#timeline-caption'), { subtree: true, childList: true, characterData: true });
  });
  const summary = await run(page, 120_000);
  assert.equal(summary.timelineEvery, 3, 'ceil(120,000 / 50,000)');
  assert.equal(summary.timelineEvents, 40_000);
  const caption = await page.textContent('#timeline-caption');
  assert.match(caption, /^40,000 tasks drawn on 2 workers over [\d,]+ ms\. Every 3rd task shown \(40,000 of 120,000\): an even sample by task id across the whole run; the counts are exact\./);
  const captions = await page.evaluate(() => window.captions);
  for (const text of captions.filter((c) => /drawn so far/.test(c))) {
    const m = /^([\d,]+) tasks? drawn so far on 2 workers\. Every 3rd task shown \(([\d,]+) so far of 120,000\)/.exec(text);
    assert.ok(m, `during the run: ${text}`);
    assert.ok(Number(m[1].replace(/,/g, '')) <= Number(m[2].replace(/,/g, '')) && Number(m[2].replace(/,/g, '')) <= 40_000, text);
  }
  const data = JSON.parse(await download(page, '#export-json'));
  assert.equal(data.timeline.length, 40_000);
  assert.ok(data.timeline.every((e) => e.taskId % 3 === 0), 'the tasks kept are those whose id is a multiple of 3');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
