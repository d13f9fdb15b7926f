// An accessibility audit of the built page with axe-core at both sizes: the
// Run view before and after a short run (its theory panel included) and
// after a short sweep of the workers, the Compare view after a short
// comparison, and the Lessons view. No serious or critical violation; and no
// serious or critical result that axe leaves for review (the charts' uPlot
// legend tables without data cells and the lessons' named <pre>s were such),
// except colour contrast, which axe leaves for review whenever it cannot
// tell a background (an overlap, a gradient) rather than for a real doubt.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { openPage, ready, useSite } from './helpers.mjs';

const env = useSite();

const VIEWPORTS = [{ width: 1280, height: 800 }, { width: 390, height: 844 }];
const grave = (result) => result.impact === 'serious' || result.impact === 'critical';
const described = (kind) => (v) =>
  `${kind} ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`;

/** Audits the page as it is now; fails on any serious or critical finding, naming each with its targets. */
async function audit(page, where) {
  const { violations, incomplete } = await new AxeBuilder({ page }).analyze();
  const found = [
    ...violations.filter(grave).map(described('violation')),
    ...incomplete.filter((r) => grave(r) && r.id !== 'color-contrast').map(described('needs review')),
  ];
  assert.deepEqual(found, [], `${where}: ${found.length} serious or critical findings:\n  ${found.join('\n  ')}`);
}

/** Clicks `button`, waits until `done` (a page function) holds and nothing runs any more. */
async function runAndWait(page, button, done, timeout) {
  await page.click(button);
  await page.waitForFunction(done, null, { timeout });
  await page.waitForSelector('#run:not([disabled])', { timeout });
}

for (const viewport of VIEWPORTS) {
  const size = `${viewport.width}×${viewport.height}`;
  test(`no serious or critical axe findings at ${size} on Run (before and after a run, and after a sweep), Compare (after a comparison) and Lessons`, async () => {
    const page = await openPage(env.browser, `${env.site.url}?tasks=60&workers=4&sleep=2-5`, { viewport });
    await ready(page);
    await audit(page, `Run view before a run at ${size}`);
    // The code for these settings, open.
    await page.click('#show-code > summary');
    await audit(page, `Run view with its code shown at ${size}`);

    await runAndWait(page, '#run', () => document.querySelector('#counts')?.dataset.summary, 60_000);
    // The charts' tables, open.
    await page.click('#chart-progress-data > summary');
    await page.click('#chart-queue-data > summary');
    // The queueing theory panel, its formulas open.
    await page.click('#theory-formulas > summary');
    await audit(page, `Run view after a run at ${size}`);
    // A short sweep of the workers, its table open.
    await page.fill('#sweep-max', '2');
    await runAndWait(page, '#sweep-run', () => document.querySelector('#sweep-results')?.dataset.done === 'true', 60_000);
    await page.click('#sweep-data > summary');
    await audit(page, `Run view after a sweep at ${size}`);

    await page.click('#tab-compare');
    // A comparison waits up to 30 s per strategy for the browser's memory answer.
    await runAndWait(page, '#compare-run', () => document.querySelector('#compare-results')?.dataset.results, 300_000);
    await audit(page, `Compare view after a comparison at ${size}`);

    await page.click('#tab-lessons');
    await audit(page, `Lessons view at ${size}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
