// The built site (www/dist) on static hosts: one that sends no headers (the
// site's coi-serviceworker isolates the page after exactly one reload), one
// that sends COOP/COEP (no reload), and a page opened from a file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { launch, openPage, root, serveSite, sum } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/**
 * Opens `url` in a fresh context, counting the main frame's document loads
 * (navigation requests: a reload is one; history.replaceState is none).
 */
async function openCounting(url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.errors = [];
  page.navigations = 0;
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) page.navigations++;
  });
  page.on('pageerror', (error) => page.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return page;
}

/** Runs the page's settings (from the URL) and returns the summary. */
async function runOnce(page) {
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary, null, { timeout: 30_000 });
  return JSON.parse(await page.$eval('#counts', (el) => el.dataset.summary));
}

const QUERY = '?workers=2&tasks=24&sleep=1-3&seed=5';

test('served with no headers, the site isolates itself after exactly one reload and completes a run', async () => {
  const site = await serveSite({ isolation: false });
  try {
    // The server really sends no isolation headers.
    const response = await fetch(site.url);
    assert.equal(response.headers.get('cross-origin-opener-policy'), null);
    assert.equal(response.headers.get('cross-origin-embedder-policy'), null);
    const sw = await fetch(new URL('coi-serviceworker.js', site.url));
    assert.equal(sw.status, 200, 'coi-serviceworker.js is its own file at the site root');
    assert.match(await sw.text(), /coi-serviceworker v0\.1\.7/);

    const page = await openCounting(site.url + QUERY);
    await page.waitForSelector('#run:not([disabled])', { timeout: 30_000 });
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true, 'the service worker controls the page');
    assert.equal(page.navigations, 2, 'the first load and exactly one reload');
    assert.match(await page.textContent('#isolation'), /Cross-origin isolated · threads share memory: yes/);
    // What the service worker adds to the site's responses, and what the README says it adds.
    const coep = await page.evaluate(async () => (await fetch(location.href, { cache: 'no-store' })).headers.get('cross-origin-embedder-policy'));
    assert.equal(coep, 'require-corp', 'coi-serviceworker sends COEP require-corp in Chromium');
    const readme = readFileSync(join(root, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    assert.match(readme, /The COEP it sends is coi-serviceworker's default: `require-corp` in Chromium/);

    const summary = await runOnce(page);
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
});

test('served with the headers, the site is isolated with no reload', async () => {
  const site = await serveSite();
  try {
    const page = await openCounting(site.url + QUERY);
    await page.waitForSelector('#run:not([disabled])', { timeout: 30_000 });
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    const summary = await runOnce(page);
    assert.equal(sum(summary), 24);
    await page.waitForTimeout(1000);
    assert.equal(page.navigations, 1, 'no reload');
    // coi-serviceworker stands aside when the headers already isolate the page.
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()) ?? null), null);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  } finally {
    await site.close();
  }
});

test('opened from a file, the site says nothing can run and what to do', async () => {
  const page = await openPage(browser, pathToFileURL(join(root, 'www/dist/index.html')).href);
  // Browsers refuse module scripts from file://, so the static message shows;
  // were the modules to run, the playground would say the same in its banner.
  const shown = await page.waitForFunction(() => {
    const box = [document.querySelector('#boot-message'), document.querySelector('#not-isolated')].find((el) => el && !el.hidden);
    return box?.textContent;
  }, null, { timeout: 15_000 });
  const text = (await shown.jsonValue()).replace(/\s+/g, ' ');
  assert.match(text, /opened from a file \(file:\/\/\)/);
  assert.match(text, /serve the site's folder over http\(s\) from a static server/);
  assert.match(text, /Cross-Origin-Opener-Policy: same-origin/);
  assert.match(text, /Cross-Origin-Embedder-Policy: require-corp/);
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  await page.context().close();
});

/** A raw GET (fetch would normalise a malformed path before sending it). */
const rawGet = (url, path) => new Promise((resolve, reject) => {
  const { hostname, port } = new URL(url);
  request({ hostname, port, path, method: 'GET' }, (response) => {
    response.resume();
    response.on('end', () => resolve(response.statusCode));
  }).on('error', reject).end();
});

test('the static server answers a malformed %-escape with 400 and keeps serving', async () => {
  const site = await serveSite();
  try {
    assert.equal(await rawGet(site.url, '/%E0%A4%A'), 400);
    assert.equal(await rawGet(site.url, '/%'), 400);
    assert.equal(await rawGet(site.url, '/'), 200, 'still serving after bad requests');
  } finally {
    await site.close();
  }
});
