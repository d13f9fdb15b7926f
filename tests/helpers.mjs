// Shared pieces of the end-to-end tests: a real Chromium (Debian's, driven
// by playwright-core) and real static servers.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const outputDir = join(root, 'tests/output');
mkdirSync(outputDir, { recursive: true });

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A page that collects console errors and page errors, for assertions.
 * `serviceWorkers: 'block'` imitates a browser where they are blocked (the
 * built site then cannot isolate itself through coi-serviceworker).
 */
export async function openPage(browser, url, { viewport, serviceWorkers } = {}) {
  const context = await browser.newContext({ viewport: viewport ?? { width: 1280, height: 800 }, serviceWorkers });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return page;
}

/** The built page (www/dist) with COOP/COEP, unless isolation is false. */
export const serveSite = (options = {}) => serve(join(root, 'www/dist'), options);
/** The repository root: the package's dist/ and pkg/ as an unbundled ESM import. */
export const serveRepo = (options = {}) => serve(root, options);

/** In the fixture page, `window.api` is the package's ESM entry. */
export const API_FIXTURE = 'tests/fixtures/api.html';

/** Starts a playground in the page and keeps it as window.playground. */
export async function startPlayground(page) {
  await page.waitForFunction(() => window.api !== undefined);
  return page.evaluate(async () => {
    window.playground = await window.api.createPlayground();
    return window.playground.info;
  });
}

export const sum = (summary) =>
  summary.succeeded + summary.failed + summary.timedOut + summary.cancelled + summary.panicked;

/**
 * One Chromium and one server of the built site for a whole test file
 * (before/after hooks); read `env.browser` and `env.site` inside tests.
 */
export function useSite(options = {}) {
  const env = { browser: null, site: null };
  before(async () => {
    env.browser = await launch();
    env.site = await serveSite(options);
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env;
}

/** The playground page is ready once its Run button is enabled. */
export const ready = (page) => page.waitForSelector('#run:not([disabled])', { timeout: 30_000 });
