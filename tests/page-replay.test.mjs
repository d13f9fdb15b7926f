// The replay on the built page: a time cursor over the charts and the
// timeline after a run (and during one, with Pause view), the counters and
// each worker at the cursor checked against the run's own exported events,
// stepping one event at a time with the keyboard, playback, the link's t=,
// keyboard-only use, and screenshots at three cursor positions.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { openPage, outputDir, ready, runOnPage, useSite } from './helpers.mjs';

const env = useSite();

const KEYS = ['succeeded', 'failed', 'panicked', 'timedOut', 'cancelled', 'inFlight', 'queued', 'waiting'];
const number = (text) => Number(text.replace(/,/g, ''));

/** The run's events as the page exports them (JSON), with the runtime's worker ids back (-1: none). */
async function exportedEvents(page) {
  await page.waitForSelector('#export-json:not([disabled])');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const data = JSON.parse(await readFile(await file.path(), 'utf8'));
  return data.timeline.map(({ worker, ...e }) => ({ ...e, workerId: worker === null ? -1 : worker - 1 }));
}

/**
 * The recorded instants, worked out here from the events: each task's
 * enqueue, start, connection wait start and end, end (those it reached), in
 * time order; at the same time, a task that ends sooner first, then in the
 * order the events came, then in a task's own order. A task's instants never
 * go back in time.
 */
function instantsOf(events) {
  const list = [];
  const ends = [];
  events.forEach((e, event) => {
    let at = -Infinity;
    let phase = 0;
    const add = (t, kind) => {
      at = Math.max(at, t);
      list.push({ t: at, kind, event, phase: phase++ });
    };
    add(e.enqueuedMs, 'enqueued');
    if (e.startedMs >= 0) {
      add(e.startedMs, 'started');
      if (e.waitStartMs >= 0) {
        add(e.waitStartMs, 'waitStarted');
        if (e.waitEndMs >= e.waitStartMs) add(e.waitEndMs, 'waitEnded');
      }
    }
    add(e.endedMs, 'ended');
    ends[event] = at;
  });
  return list.sort((a, b) => a.t - b.t || ends[a.event] - ends[b.event] || a.event - b.event || a.phase - b.phase);
}

/** The counts and each worker after the first `p` instants, worked out here. */
function expectedAfter(events, instants, p, workers) {
  const counts = Object.fromEntries(KEYS.map((k) => [k, 0]));
  const doing = new Map();
  for (const { kind, event } of instants.slice(0, p)) {
    const e = events[event];
    if (kind === 'enqueued') counts.queued++;
    else if (kind === 'started') { counts.queued--; counts.inFlight++; doing.set(e.workerId, `running ${e.taskId}`); }
    else if (kind === 'waitStarted') { counts.waiting++; doing.set(e.workerId, `waiting ${e.taskId}`); }
    else if (kind === 'waitEnded') { counts.waiting--; doing.set(e.workerId, `running ${e.taskId}`); }
    else {
      counts[e.outcome]++;
      if (e.startedMs < 0) counts.queued--;
      else {
        counts.inFlight--;
        if (e.waitStartMs >= 0 && !(e.waitEndMs >= e.waitStartMs)) counts.waiting--;
        if (doing.get(e.workerId)?.endsWith(` ${e.taskId}`)) doing.set(e.workerId, 'idle');
      }
    }
  }
  return { counts, workers: Array.from({ length: workers }, (_, w) => doing.get(w) ?? 'notStarted') };
}

/** What the page shows at the cursor: its time and position, the counters, each worker. */
const shown = (page) => page.evaluate(() => {
  const box = document.querySelector('#replay');
  const counts = {};
  for (const item of document.querySelectorAll('#counters .counter:not([hidden])')) counts[item.dataset.key] = Number(item.querySelector('dd').textContent.replace(/,/g, ''));
  const workers = [...document.querySelectorAll('#replay-workers li')].map((li) => (li.dataset.taskId ? `${li.dataset.state} ${li.dataset.taskId}` : li.dataset.state));
  return {
    mode: box.dataset.mode, placed: box.dataset.placed === 'true', time: Number(box.dataset.timeMs),
    position: Number(box.dataset.position), total: Number(box.dataset.total), counts, workers,
    text: document.querySelector('#replay-text').textContent,
  };
});

/** The page shows the state after `p` instants, as worked out from the events. */
function assertShows(state, events, instants, p, workers, how) {
  const expected = expectedAfter(events, instants, p, workers);
  assert.equal(state.position, p, `${how}: position`);
  assert.deepEqual(state.counts, expected.counts, `${how}: the counters at the cursor`);
  assert.deepEqual(state.workers, expected.workers, `${how}: each worker at the cursor`);
}

/** Moves the cursor as a drag does: the range control's value, then its input and change events. */
const setTime = (page, ms) => page.fill('#replay-time', String(ms));
const waitPlaced = (page) => page.waitForFunction(() => document.querySelector('#replay').dataset.placed === 'true');

test('after a run of the defaults: the cursor in the middle shows the counts and workers of that instant, and → steps exactly one event', async () => {
  const page = await openPage(env.browser, env.site.url);
  await ready(page);
  assert.equal(await page.isDisabled('#replay-time'), true, 'nothing to replay before a run');
  assert.equal(await page.getAttribute('#replay-say', 'aria-live'), 'polite');
  const summary = await runOnPage(page);
  const events = await exportedEvents(page);
  const instants = instantsOf(events);
  let state = await shown(page);
  assert.equal(state.mode, 'finished');
  assert.equal(state.placed, false, 'after a run, the counters show its own numbers until the cursor moves');
  assert.equal(state.total, instants.length);
  assert.equal(state.counts.succeeded, summary.succeeded);
  assert.equal(await page.isVisible('#counters [data-key=waiting]'), false);
  assert.equal(await page.$eval('#timeline', (el) => el.dataset.cursorMs ?? null), null, 'no cursor line yet');
  assert.equal(await page.getAttribute('#replay-time', 'aria-label'), null);
  assert.equal(await page.$eval('#replay-time', (el) => el.labels[0].textContent), 'Replay time', 'the control\'s name says time');

  // The middle of the run.
  const max = Number(await page.getAttribute('#replay-time', 'max'));
  assert.ok(max >= summary.elapsedMs - 1e-9, 'the control spans the run');
  // A whole number of ms: a range control keeps 15 significant digits of its value.
  const middle = Math.round(max / 2);
  await setTime(page, middle);
  await waitPlaced(page);
  state = await shown(page);
  assert.equal(state.time, middle);
  const succeededBy = events.filter((e) => e.outcome === 'succeeded' && e.endedMs <= middle).length;
  assert.ok(state.counts.succeeded > 0 && state.counts.succeeded < summary.succeeded, `in the middle, ${state.counts.succeeded} of ${summary.succeeded} succeeded`);
  assert.equal(state.counts.succeeded, succeededBy, 'Succeeded: the recorded events that ended succeeded by then');
  assert.equal(state.counts.failed, events.filter((e) => e.outcome === 'failed' && e.endedMs <= middle).length);
  assert.equal(state.counts.inFlight, events.filter((e) => e.startedMs <= middle && e.endedMs > middle).length, 'in flight: started, not ended');
  assert.equal(state.counts.queued, events.filter((e) => e.enqueuedMs <= middle && e.startedMs > middle).length, 'queued: enqueued, not started');
  assertShows(state, events, instants, instants.filter((i) => i.t <= middle).length, 8, 'the middle');
  assert.deepEqual(Object.keys(state.counts), KEYS, 'the counters at the cursor, waiting for a connection among them; no thread counts');
  assert.match(state.text, /^At [\d.,]+ ms: event [\d,]+ of [\d,]+; the last, at [\d.,]+ ms: task [\d,]+ .*Queue depth: [\d,]+/);
  assert.match(await page.getAttribute('#counters', 'aria-label'), /^Counters at [\d.,]+ ms \(replay\)$/);
  // The cursor line over both charts and the timeline, at that time.
  for (const selector of ['#chart-progress', '#chart-queue', '#timeline']) {
    assert.equal(Number(await page.$eval(selector, (el) => el.dataset.cursorMs)), middle, selector);
  }
  assert.equal(await page.locator('.replay-cursor:visible').count(), 3, 'a line on each chart and on the timeline');
  const line = await page.$eval('#timeline-box .replay-cursor', (el) => el.getBoundingClientRect().left + 1);
  const d = await page.$eval('#timeline', (el) => ({ ...el.dataset, left: el.getBoundingClientRect().left }));
  const x = d.left + Number(d.plotLeft) + ((middle - Number(d.viewStartMs)) / (Number(d.viewEndMs) - Number(d.viewStartMs))) * Number(d.plotWidth);
  assert.ok(Math.abs(line - x) <= 1.5, `the timeline's line at the cursor's time (${line} ≈ ${x})`);

  // → : exactly the next event, once at a time (ties too), and the change is that one event's.
  await page.focus('#replay-time');
  for (let k = 0; k < 12; k++) {
    const before = await shown(page);
    await page.keyboard.press('ArrowRight');
    const after = await shown(page);
    const next = instants[before.position];
    assert.equal(after.position, before.position + 1, '→ is one event');
    assert.equal(after.time, next.t, '→: the cursor\'s time is the next event\'s');
    assertShows(after, events, instants, after.position, 8, `→ to ${next.kind} of task ${events[next.event].taskId}`);
    // What changed is that one event: one outcome counter (or the queue) and the worker it is on.
    const changed = KEYS.filter((key) => after.counts[key] !== before.counts[key]);
    const workersChanged = after.workers.filter((w, i) => w !== before.workers[i]).length;
    const e = events[next.event];
    const expected = {
      enqueued: [['queued'], 0],
      started: [['inFlight', 'queued'], 1],
      waitStarted: [['waiting'], 1],
      waitEnded: [['waiting'], 1],
      ended: [e.startedMs < 0 ? [e.outcome, 'queued'] : [e.outcome, 'inFlight'], e.startedMs < 0 ? 0 : null],
    }[next.kind];
    assert.deepEqual(changed.sort(), [...expected[0]].sort(), `→ over a ${next.kind}: the counters it changes`);
    if (expected[1] !== null) assert.equal(workersChanged, expected[1], `→ over a ${next.kind}: the workers it changes`);
    else assert.ok(workersChanged <= 1, 'an end frees at most its own worker');
  }
  // ← undoes one; Shift + → and Page Up / Page Down move ten; Home and End go to the ends.
  let p = (await shown(page)).position;
  await page.keyboard.press('ArrowLeft');
  assertShows(await shown(page), events, instants, p - 1, 8, '←');
  await page.keyboard.press('Shift+ArrowRight');
  assertShows(await shown(page), events, instants, p + 9, 8, 'Shift + →');
  await page.keyboard.press('PageDown');
  assertShows(await shown(page), events, instants, p - 1, 8, 'Page Down');
  await page.keyboard.press('PageUp');
  assertShows(await shown(page), events, instants, p + 9, 8, 'Page Up');
  await page.keyboard.press('Home');
  state = await shown(page);
  assertShows(state, events, instants, 0, 8, 'Home');
  assert.equal(state.time, 0);
  assert.deepEqual(state.workers, Array(8).fill('notStarted'), 'at the start no worker has started');
  await page.keyboard.press('End');
  state = await shown(page);
  assertShows(state, events, instants, instants.length, 8, 'End');
  assert.equal(state.time, max);
  for (const key of ['succeeded', 'failed']) assert.equal(state.counts[key], summary[key], `at the end, every recorded ${key}`);
  assert.deepEqual(state.workers, Array(8).fill('idle'));

  // Once the cursor rests, the live region says where it is (and the counts), once.
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => /^[\d.,]+ [µm]?s, event [\d,]+ of [\d,]+\..* succeeded, .* in flight, .* queued, .* waiting for a connection\.$/.test(document.querySelector('#replay-say').textContent));
  assert.equal(await page.getAttribute('#replay-say', 'role'), 'status');

  // The link carries the cursor's time.
  await page.waitForFunction(() => new URL(location.href).searchParams.has('t'));
  const t = Number(new URL(page.url()).searchParams.get('t'));
  assert.ok(Math.abs(t - (await shown(page)).time) < 0.001, 't= is the cursor\'s time, to the µs');

  // Exit replay: the counters show the run's own numbers again, the lines and t= go.
  await page.click('#replay-follow');
  state = await shown(page);
  assert.equal(state.placed, false);
  assert.equal(state.counts.succeeded, summary.succeeded);
  assert.equal(await page.locator('.replay-cursor:visible').count(), 0);
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('t'));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Play plays the run back at the chosen speed, and says where it stopped once, not at every frame', async () => {
  const page = await openPage(env.browser, `${env.site.url}?tasks=300&workers=4&sleep=5-10`);
  await ready(page);
  await runOnPage(page);
  const max = Number(await page.getAttribute('#replay-time', 'max'));
  assert.deepEqual(await page.$$eval('#replay-speed option', (els) => els.map((el) => el.textContent)), ['0.25×', '0.5×', '1×', '2×', '5×', '10×']);
  await page.evaluate(() => {
    window.spoken = [];
    new MutationObserver(() => window.spoken.push(document.querySelector('#replay-say').textContent))
      .observe(document.querySelector('#replay-say'), { childList: true, characterData: true, subtree: true });
  });
  // 0.25×: a quarter of real time.
  await page.selectOption('#replay-speed', '0.25');
  await page.click('#replay-play');
  assert.equal(await page.textContent('#replay-play'), 'Pause');
  await page.waitForTimeout(800);
  await page.click('#replay-play');
  const slow = await shown(page);
  assert.ok(slow.time > 80 && slow.time < 400, `0.25× for about 0.8 s: ${slow.time} ms of the run`);
  assert.equal(await page.textContent('#replay-play'), 'Play');
  // 10×: to the end, where it stops by itself.
  await page.selectOption('#replay-speed', '10');
  const started = Date.now();
  await page.click('#replay-play');
  await page.waitForFunction(() => document.querySelector('#replay-play').textContent === 'Play', null, { timeout: 10_000 });
  const took = Date.now() - started;
  const end = await shown(page);
  assert.equal(end.time, max, 'played to the end');
  assert.equal(end.position, end.total);
  assert.ok(took < ((max - slow.time) / 10) * 3 + 1500, `10×: ${took} ms for ${max - slow.time} ms of the run`);
  await page.waitForFunction(() => window.spoken.length > 0 && window.spoken.at(-1).includes('succeeded'));
  assert.ok((await page.evaluate(() => window.spoken.length)) <= 3, `said ${await page.evaluate(() => JSON.stringify(window.spoken))}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a link with t= puts the cursor there once the run ends (clamped to the run); a malformed t is named and the rest of the link loads', async () => {
  const page = await openPage(env.browser, `${env.site.url}?workers=4&tasks=200&t=250.5`);
  await ready(page);
  assert.equal(await page.isVisible('#url-message'), false);
  await runOnPage(page);
  await waitPlaced(page);
  const events = await exportedEvents(page);
  const instants = instantsOf(events);
  const state = await shown(page);
  assert.equal(state.time, 250.5);
  assert.equal(Number(await page.inputValue('#replay-time')), 250.5);
  assertShows(state, events, instants, instants.filter((i) => i.t <= 250.5).length, 4, 't=250.5');
  assert.equal(new URL(page.url()).searchParams.get('t'), '250.5', 'the link keeps it');
  assert.equal(new URL(page.url()).searchParams.get('workers'), '4');
  // The next run starts at its end: the link's t was for the first.
  await runOnPage(page);
  assert.equal((await shown(page)).placed, false);
  await page.context().close();

  const late = await openPage(env.browser, `${env.site.url}?tasks=50&t=99999999`);
  await ready(late);
  const summary = await runOnPage(late);
  await waitPlaced(late);
  const clamped = await shown(late);
  assert.equal(clamped.time, Number(await late.getAttribute('#replay-time', 'max')), 'past the run: its end');
  assert.ok(clamped.time >= summary.elapsedMs - 1e-9);
  await late.context().close();

  const bad = await openPage(env.browser, `${env.site.url}?workers=3&tasks=40&t=soon`);
  await ready(bad);
  assert.equal(await bad.isVisible('#url-message'), true);
  assert.match(await bad.textContent('#url-message'), /replay time could not be used; its settings are loaded/);
  assert.match(await bad.textContent('#url-message li'), /^t=soon: the replay time must be a number of ms since the run started/);
  assert.equal(await bad.inputValue('#f-workers'), '3', 'the rest of the link still loads');
  assert.equal(new URL(bad.url()).searchParams.get('t'), null, 'the bad t leaves the link');
  const ran = await runOnPage(bad);
  assert.equal(ran.peakThreads, 3);
  assert.equal((await shown(bad)).placed, false);
  assert.deepEqual(bad.errors, []);
  await bad.context().close();
});

test('during a run, Pause view freezes the charts and the timeline while the pool keeps running; Live follows it again', async () => {
  const page = await openPage(env.browser, `${env.site.url}?workers=2&tasks=800&sleep=5-10&failure=0`);
  await ready(page);
  await page.click('#run');
  await page.waitForFunction(() => Number(/^([\d,]+) tasks? drawn so far/.exec(document.querySelector('#timeline-caption').textContent)?.[1].replace(/,/g, '') ?? 0) >= 100);
  assert.equal(await page.textContent('#replay-follow'), 'Pause view');
  assert.equal(await page.isDisabled('#replay-time'), true, 'live: the cursor waits for Pause view');
  await page.click('#replay-follow');
  assert.equal(await page.textContent('#replay-follow'), 'Live');
  let state = await shown(page);
  assert.equal(state.mode, 'paused');
  assert.equal(await page.isDisabled('#replay-time'), false);
  assert.match(state.text, /The view is paused at [\d.,]+ m?s while the pool keeps running/);
  const caption = await page.textContent('#timeline-caption');
  const progress = await page.textContent('#progress-text');
  await page.waitForTimeout(500);
  assert.equal(await page.textContent('#timeline-caption'), caption, 'the timeline is frozen');
  assert.notEqual(await page.textContent('#progress-text'), progress, 'the progress line stays live');
  // Back in time, within what the run has done so far.
  await setTime(page, Math.round(state.time * 0.75));
  state = await shown(page);
  assert.ok(state.counts.succeeded > 0 && state.position < state.total);
  assert.equal(await page.locator('.replay-cursor:visible').count(), 3);
  await page.click('#replay-follow');
  assert.equal((await shown(page)).mode, 'live');
  await page.waitForFunction((caption) => document.querySelector('#timeline-caption').textContent !== caption, caption);
  assert.equal(await page.locator('.replay-cursor:visible').count(), 0, 'live: no cursor');
  // Paused when the run ends: the replay stays where it was, over the whole run now.
  await page.click('#replay-follow');
  const paused = await shown(page);
  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary, null, { timeout: 60_000 });
  state = await shown(page);
  assert.equal(state.mode, 'finished');
  assert.equal(state.placed, true);
  assert.equal(state.time, paused.time);
  assert.ok(state.total >= paused.total);
  assert.equal(await page.textContent('#replay-follow'), 'Exit replay');
  assert.match(await page.textContent('#timeline-caption'), /^800 tasks drawn/, 'what the pause held back is drawn');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('keyboard only: run, reach the replay, play, step and leave it without a mouse', async () => {
  const page = await openPage(env.browser, `${env.site.url}?workers=3&tasks=120&sleep=3-8`);
  await ready(page);
  await page.focus('#f-tasks');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary && !document.querySelector('#cancel:not([disabled])'), null, { timeout: 60_000 });
  const tabTo = async (id) => {
    for (let k = 0; k < 40; k++) {
      if (await page.evaluate(() => document.activeElement?.id) === id) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached #${id}`);
  };
  await tabTo('replay-play');
  await page.keyboard.press('Enter');
  assert.equal(await page.textContent('#replay-play'), 'Pause');
  await page.keyboard.press('Enter');
  assert.equal(await page.textContent('#replay-play'), 'Play');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'replay-speed');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'replay-time');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  let state = await shown(page);
  assert.equal(state.position, 2, 'Home, then → twice: the second event');
  assert.equal(state.counts.succeeded, 0);
  assert.match(await page.getAttribute('#replay-time', 'aria-valuetext'), /^[\d.,]+ [µm]?s of [\d.,]+ m?s, event 2 of [\d,]+$/);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'replay-follow');
  await page.keyboard.press('Enter');
  state = await shown(page);
  assert.equal(state.placed, false);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'replay-time', 'the keyboard goes on from the replay time');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a sampled timeline: the counts at the cursor are said to be of the recorded sample', async () => {
  const page = await openPage(env.browser, `${env.site.url}?tasks=60000&kind=noop&workers=2&failure=0`);
  await ready(page);
  const summary = await runOnPage(page, 120_000);
  assert.equal(summary.timelineEvery, 2);
  await setTime(page, summary.elapsedMs / 2);
  await waitPlaced(page);
  assert.match((await shown(page)).text, /The counts at the cursor are of the recorded sample: every 2nd task by id \(30,000 of 60,000 tasks\), not of every task\./);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('screenshots of the replay at 1280×800: early, middle and late in a run', async () => {
  const page = await openPage(env.browser, `${env.site.url}?connections=4`);
  await ready(page);
  await runOnPage(page);
  const max = Number(await page.getAttribute('#replay-time', 'max'));
  for (const [name, share] of [['early', 0.15], ['middle', 0.5], ['late', 0.85]]) {
    await setTime(page, max * share);
    await waitPlaced(page);
    // The counters, the replay and the charts; then the charts and the timeline.
    for (const [selector, suffix] of [['#progress', ''], ['.charts', '-timeline']]) {
      await page.$eval(selector, (el) => el.scrollIntoView({ block: 'start' }));
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const path = join(outputDir, `page-replay-${name}${suffix}-1280x800.png`);
      await page.screenshot({ path });
      console.log(`screenshot: ${path}`);
    }
  }
  await page.screenshot({ path: join(outputDir, 'page-replay-late-1280-full.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('no serious or critical axe findings on the placed replay, the counters, the charts and the timeline, at both sizes', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const page = await openPage(env.browser, `${env.site.url}?tasks=60&workers=4&sleep=2-5&connections=2`, { viewport });
    await ready(page);
    await runOnPage(page);
    await setTime(page, Math.round(Number(await page.getAttribute('#replay-time', 'max')) / 2));
    await waitPlaced(page);
    // What the replay touches: itself, the counters, the charts and the timeline.
    const { violations } = await new AxeBuilder({ page }).include('#replay').include('#counters').include('.charts').include('.timeline').analyze();
    const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    assert.deepEqual(grave, [], `${viewport.width}×${viewport.height}`);
    if (viewport.width < 500) {
      await page.$eval('#replay', (el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(outputDir, 'page-replay-390x844.png') });
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
