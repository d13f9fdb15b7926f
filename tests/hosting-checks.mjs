// The hosting tests, the same in every engine: tests/hosting.test.mjs runs
// them in Chromium, tests/firefox/hosting.firefox.mjs in Firefox. Each opens
// the built site (www/dist) in a fresh context of the file's browser and
// asserts what a visitor gets.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { openPage, root, runOnPage, serveSite, sum } from './helpers.mjs';

/** The link the site is opened with: its settings must survive the reload. */
const QUERY = '?workers=2&tasks=24&sleep=1-3&seed=5';

/**
 * Opens `url` in a fresh context (collecting errors as openPage does),
 * counting the main frame's document loads (navigation requests: a reload is
 * one; history.replaceState is none).
 */
async function openCounting(browser, url) {
  const page = await openPage(browser, 'about:blank');
  page.navigations = 0;
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) page.navigations++;
  });
  await page.goto(url);
  return page;
}

/**
 * How the page's document was loaded, as the page itself records it
 * ('navigate', or 'reload' after location.reload()): a second witness to the
 * count above, which rests on the driver's network events.
 */
const loadType = (page) => page.evaluate(() => performance.getEntriesByType('navigation')[0].type);

async function selfIsolatesAfterOneReload(browser) {
  const site = await serveSite({ isolation: false });
  try {
    // The server really sends no isolation headers.
    const response = await fetch(site.url);
    assert.equal(response.headers.get('cross-origin-opener-policy'), null);
    assert.equal(response.headers.get('cross-origin-embedder-policy'), null);
    const sw = await fetch(new URL('coi-serviceworker.js', site.url));
    assert.equal(sw.status, 200, 'coi-serviceworker.js is its own file at the site root');
    assert.match(await sw.text(), /coi-serviceworker v0\.1\.7/);

    const page = await openCounting(browser, site.url + QUERY);
    await page.waitForSelector('#run:not([disabled])', { timeout: 30_000 });
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true, 'the service worker controls the page');
    assert.equal(page.navigations, 2, 'the first load and exactly one reload');
    assert.equal(await loadType(page), 'reload');
    assert.match(await page.textContent('#isolation'), /Cross-origin isolated · threads share memory: yes/);
    // What the service worker adds to the site's responses (require-corp
    // wherever window.chrome or window.netscape exists), and what the README says it adds.
    const coep = await page.evaluate(async () => (await fetch(location.href, { cache: 'no-store' })).headers.get('cross-origin-embedder-policy'));
    assert.equal(coep, 'require-corp', 'coi-serviceworker sends COEP require-corp in Chromium and Firefox');
    const readme = readFileSync(join(root, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    assert.match(readme, /The COEP it sends is coi-serviceworker's default: `require-corp` in Chromium and Firefox/);

    const summary = await runOnPage(page);
    assert.equal(summary.tasks, 24, 'the link\'s settings survived the reload');
    assert.equal(sum(summary), 24, 'every task ends exactly once');
    assert.equal(summary.peakThreads, 2, 'the link\'s 2 workers');
    // No second reload comes later.
    await page.waitForTimeout(1000);
    assert.equal(page.navigations, 2);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  } finally {
    await site.close();
  }
}

async function isolatedByHeadersWithNoReload(browser) {
  const site = await serveSite();
  try {
    const page = await openCounting(browser, site.url + QUERY);
    await page.waitForSelector('#run:not([disabled])', { timeout: 30_000 });
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    const summary = await runOnPage(page);
    assert.equal(sum(summary), 24);
    await page.waitForTimeout(1000);
    assert.equal(page.navigations, 1, 'no reload');
    assert.equal(await loadType(page), 'navigate');
    // coi-serviceworker stands aside when the headers already isolate the page.
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()) ?? null), null);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  } finally {
    await site.close();
  }
}

/**
 * Opens the built page from a file: whichever box shows (the page's static
 * #boot-message where the browser refuses its module scripts, the
 * playground's #not-isolated banner where they run) says nothing can run and
 * what to do. Returns that box's id, which differs by engine.
 */
async function fromFileSaysWhatToDo(browser) {
  const page = await openPage(browser, pathToFileURL(join(root, 'www/dist/index.html')).href);
  const shown = await page.waitForFunction(() => {
    const box = [document.querySelector('#boot-message'), document.querySelector('#not-isolated')].find((el) => el && !el.hidden);
    return box && { id: box.id, text: box.textContent };
  }, null, { timeout: 15_000 });
  const { id, text } = await shown.jsonValue();
  const said = text.replace(/\s+/g, ' ');
  assert.match(said, /opened from a file \(file:\/\/\)/);
  assert.match(said, /serve the site's folder over http\(s\) from a static server/);
  assert.match(said, /Cross-Origin-Opener-Policy: same-origin/);
  assert.match(said, /Cross-Origin-Embedder-Policy: require-corp/);
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  await page.context().close();
  return id;
}

/**
 * Registers the hosting tests for `env.browser` (set by the file's before
 * hook). `fileBox` is the id of the box this engine shows on a page opened
 * from a file.
 */
export function testHosting(env, { fileBox }) {
  test('served with no headers, the site isolates itself after exactly one reload and completes a run', () =>
    selfIsolatesAfterOneReload(env.browser));
  test('served with the headers, the site is isolated with no reload', () => isolatedByHeadersWithNoReload(env.browser));
  test('opened from a file, the site says nothing can run and what to do', async () => {
    assert.equal(await fromFileSaysWhatToDo(env.browser), fileBox);
  });
}
