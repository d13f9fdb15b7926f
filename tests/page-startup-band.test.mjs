// Start-up shown for what it is: on a run whose threads had to start, the
// timeline and both charts mark the stretch before the first task as a
// labelled grey band, not as work; a run on warm threads (the next one) has
// no band, and its caption says why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, runOnPage, ready, useSite } from './helpers.mjs';

const env = useSite();

/** The colour of the timeline canvas at time `ms`, in the middle of lane `lane`. */
const timelinePixel = (page, ms, lane) => page.$eval('#timeline', (canvas, { ms, lane }) => {
  const d = canvas.dataset;
  const start = Number(d.viewStartMs);
  const end = Number(d.viewEndMs);
  const x = Number(d.plotLeft) + ((ms - start) / (end - start)) * Number(d.plotWidth);
  const y = Number(d.top) + (lane + 0.5) * Number(d.laneHeight);
  const scale = canvas.width / canvas.clientWidth;
  return [...canvas.getContext('2d').getImageData(Math.round(x * scale), Math.round(y * scale), 1, 1).data.slice(0, 3)];
}, { ms, lane });

test('a cold run marks its start-up on the timeline and the charts; a warm run after it has none', async () => {
  const page = await openPage(env.browser, `${env.site.url}?workers=8&tasks=40&failureRate=0`);
  await ready(page);
  const cold = await runOnPage(page);
  const startup = await page.$eval('#timeline', (c) => c.dataset.startupMs ?? null);
  assert.ok(cold.firstStartMs >= 20, `the first run had threads to start (first task at ${cold.firstStartMs} ms)`);
  assert.equal(Number(startup), cold.firstStartMs, 'the band ends where the first task started');
  for (const chart of ['#chart-progress', '#chart-queue']) {
    assert.equal(Number(await page.$eval(chart, (el) => el.dataset.startupMs ?? null)), cold.firstStartMs, chart);
  }
  // Lane 1 is white where nothing is drawn: in the band it is grey.
  const [r, g, b] = await timelinePixel(page, cold.firstStartMs / 2, 0);
  assert.ok(r < 245 && Math.abs(r - g) < 6 && Math.abs(g - b) < 6, `grey in the band, got rgb(${r}, ${g}, ${b})`);
  assert.match(await page.textContent('#timeline-caption'), /The grey band before the first bar \([\d,]+ ms, "start-up"\) is the workers starting\./);

  const warm = await runOnPage(page);
  assert.ok(warm.firstStartMs < 20, `the second run took parked threads (first task at ${warm.firstStartMs} ms)`);
  assert.equal(await page.$eval('#timeline', (c) => c.dataset.startupMs ?? null), null);
  for (const chart of ['#chart-progress', '#chart-queue']) assert.equal(await page.$eval(chart, (el) => el.dataset.startupMs ?? null), null, chart);
  assert.match(await page.textContent('#timeline-caption'), /no start-up band \(threads kept warm from an earlier run start at once\)/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
