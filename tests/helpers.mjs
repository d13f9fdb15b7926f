// Shared pieces of the end-to-end tests: a real Chromium (Debian's, driven
// by playwright-core) and real static servers.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** A browser from `start` (Chromium by default) for a whole test file; read `env.browser` inside tests. */
export function useBrowser(start = launch) {
  const env = { browser: null };
  before(async () => {
    env.browser = await start();
  });
  after(async () => {
    await env.browser?.close();
  });
  return env;
}

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

/**
 * One Chromium with the package's fixture page and a started playground
 * (window.playground) for a whole test file; read `env.page` inside tests.
 */
export function useApiPage() {
  const env = { browser: null, server: null, page: null };
  before(async () => {
    env.browser = await launch();
    env.server = await serveRepo();
    env.page = await openPage(env.browser, env.server.url + API_FIXTURE);
    await startPlayground(env.page);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** The playground page is ready once its Run button is enabled. */
export const ready = (page) => page.waitForSelector('#run:not([disabled])', { timeout: 30_000 });

/** The last run's summary as the page keeps it (#counts' data-summary), or null. */
export const pageSummary = (page) => page.$eval('#counts', (el) => el.dataset.summary ?? null);

/** Clicks Run on the playground page and waits for that run's summary (and for Cancel to be off). */
export async function runOnPage(page, timeout = 60_000) {
  const old = await pageSummary(page);
  await page.click('#run');
  await page.waitForFunction((old) => {
    const now = document.querySelector('#counts')?.dataset.summary;
    return now && now !== old && !document.querySelector('#cancel:not([disabled])');
  }, old, { timeout });
  return JSON.parse(await pageSummary(page));
}

/**
 * Opens `url` in a headless Chromium that no test tool drives, and collects
 * what the page logs as `WWP-<KIND> <text>` console lines until `WWP-DONE`.
 * Playwright attaches a debugger to every Web Worker, which stalls the page's
 * main thread while hundreds of workers start and stop; timing the page's
 * own responsiveness needs a browser without it.
 */
export function runInPlainChromium(url, { timeoutMs = 120_000 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'wwp-chromium-'));
  const child = spawn(process.env.CHROMIUM ?? '/usr/bin/chromium', [
    '--headless=new', ...CHROMIUM_ARGS, `--user-data-dir=${profile}`, '--enable-logging=stderr', '--log-level=0', url,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no WWP-DONE within ${timeoutMs} ms; got ${JSON.stringify(lines)}`)), timeoutMs);
    let buffered = '';
    child.stderr.on('data', (chunk) => {
      buffered += chunk;
      let at;
      while ((at = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, at);
        buffered = buffered.slice(at + 1);
        const match = /INFO:CONSOLE[^\]]*\] "WWP-(\w+) ?(.*)", source:/.exec(line);
        if (!match) continue;
        if (match[1] === 'DONE') finish(null);
        else lines.push({ kind: match[1], text: match[2].replace(/\\"/g, '"') });
      }
    });
    child.on('error', (error) => finish(error));
    function finish(error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      rmSync(profile, { recursive: true, force: true });
      if (error) reject(error);
      else resolve(lines);
    }
  });
}

/**
 * The page's modules loaded from www/src through Vite (no build, no browser)
 * for a whole test file: `useSource({ config: '/src/config.ts' })` gives an
 * object whose `config` is that module once the file's tests run. The
 * lessons' virtual:rust-snippets comes from scripts/rust-snippets.mjs, as in
 * the build.
 */
export function useSource(paths) {
  const modules = {};
  let server;
  before(async () => {
    const { createServer } = await import('vite');
    const { rustSnippets } = await import('../scripts/rust-snippets.mjs');
    server = await createServer({
      configFile: false, root: join(root, 'www'), logLevel: 'silent', plugins: [rustSnippets()],
      server: { middlewareMode: true, hmr: false }, appType: 'custom', optimizeDeps: { noDiscovery: true },
    });
    for (const [name, path] of Object.entries(paths)) modules[name] = await server.ssrLoadModule(path);
  });
  after(() => server?.close());
  return modules;
}
