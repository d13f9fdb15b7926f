// The npm package as users get it, prepared for a browser to check: `npm
// pack` of this repository, installed from the tarball into a fresh Vite app
// (built with `vite build`) and beside a plain HTML page that imports from
// ./node_modules without a bundler, and the in-page checks of either.
// tests/package.test.mjs runs them in Chromium, tests/firefox/package.firefox.mjs
// in Firefox.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve } from '../scripts/serve.mjs';
import { openPage, root, sum } from './helpers.mjs';

const exec = promisify(execFile);
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
export const npm = (args, cwd) => exec('npm', args, { cwd, env: npmEnv, maxBuffer: 64 * 1024 * 1024 });

/**
 * `npm pack` of this repository into a fresh temporary folder: `{ tmp,
 * tarball, remove() }`, where `remove` deletes the folder and all built in it.
 */
export async function packPackage() {
  const tmp = await mkdtemp(join(tmpdir(), 'wwp-package-'));
  const remove = () => rm(tmp, { recursive: true, force: true });
  try {
    const { stdout } = await npm(['pack', '--json', '--pack-destination', tmp], root);
    return { tmp, tarball: join(tmp, JSON.parse(stdout)[0].filename), remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * Serves `dir` as an isolated static host (COOP/COEP, .wasm as
 * application/wasm), opens it in a fresh context of `browser` and checks, in
 * the page, a pool run through the package API (window.api) and the
 * <worker-pool-playground> it holds.
 */
export async function checkInBrowser(browser, dir) {
  const site = await serve(dir);
  let page;
  try {
    page = await openPage(browser, site.url, { viewport: { width: 1280, height: 900 } });
    await page.waitForFunction(() => window.api !== undefined, null, { timeout: 30_000 });

    // 1. A pool run through the package API.
    const summary = await page.evaluate(async () => {
      const playground = await window.api.createPlayground();
      try {
        return await playground.run({ strategy: 'pool', workers: 3, tasks: 300, failureRate: 0.1, seed: 11, sleepMs: [0, 1] });
      } finally {
        playground.dispose();
      }
    });
    assert.equal(summary.tasks, 300);
    assert.equal(sum(summary), 300, 'every task ends exactly once');
    // Seed 11 fails exactly 34 of 300 (pinned in crate/src/workload/tests.rs).
    assert.equal(summary.failed, 34);
    assert.equal(summary.peakThreads, 3, 'exactly its 3 workers');

    // 2. <worker-pool-playground>, its initial settings from its attributes.
    const element = 'worker-pool-playground';
    assert.equal(await page.evaluate(() => document.querySelector('worker-pool-playground') instanceof (customElements.get('worker-pool-playground') ?? Boolean)), true);
    assert.equal(await page.evaluate(() => document.querySelector('worker-pool-playground').shadowRoot !== null), true);
    await page.waitForSelector(`${element} #run:not([disabled])`, { timeout: 30_000 });
    assert.equal(await page.$eval(`${element} #f-workers`, (el) => el.value), '2');
    assert.equal(await page.$eval(`${element} #f-tasks`, (el) => el.value), '40');
    // Its CSS lives in its shadow root: Run has the accent colour; the share link (page only) is hidden.
    assert.equal(await page.$eval(`${element} #run`, (el) => getComputedStyle(el).backgroundColor), 'rgb(11, 87, 208)');
    assert.equal(await page.$eval(`${element} #share`, (el) => el.hidden), true);
    await page.click(`${element} #run`);
    await page.waitForFunction(() => document.querySelector('worker-pool-playground').shadowRoot.querySelector('#counts')?.dataset.summary,
      null, { timeout: 30_000 });
    const shown = await page.evaluate(() => {
      const shadow = document.querySelector('worker-pool-playground').shadowRoot;
      const canvas = shadow.querySelector('#timeline');
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let green = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - 0x00) <= 40 && Math.abs(data[i + 1] - 0x9e) <= 40 && Math.abs(data[i + 2] - 0x73) <= 40) green++;
      }
      return {
        summary: JSON.parse(shadow.querySelector('#counts').dataset.summary),
        text: shadow.querySelector('#counts').textContent,
        progress: shadow.querySelector('#progress-text').textContent,
        charts: shadow.querySelectorAll('.uplot canvas').length,
        green,
        // Nothing of it leaked into the document.
        outside: document.querySelector('#counts') === null,
      };
    });
    assert.equal(shown.summary.tasks, 40);
    assert.equal(sum(shown.summary), 40, 'the element\'s run adds up');
    // failure-rate="20" with seed="9" fails exactly 7 of 40 (pinned in crate/src/workload/tests.rs).
    assert.equal(shown.summary.failed, 7);
    assert.equal(shown.summary.peakThreads, 2, 'workers="2"');
    assert.match(shown.text, /Total tasks40/);
    assert.match(shown.text, new RegExp(`Succeeded${shown.summary.succeeded} \\(`));
    assert.match(shown.progress, /^40 \/ 40 · finished in /);
    assert.equal(shown.charts, 2, 'both uPlot charts drew in the shadow root');
    assert.ok(shown.green > 50, `the timeline drew succeeded bars (${shown.green} px)`);
    assert.equal(shown.outside, true);

    // Its tabs and the lessons' contents work inside the shadow root, and leave the page's address alone.
    const address = page.url();
    await page.click(`${element} #tab-lessons`);
    assert.equal(await page.$eval(`${element} #panel-lessons`, (el) => el.hidden), false);
    assert.equal(await page.$eval(`${element} #panel-run`, (el) => el.hidden), true);
    await page.click(`${element} .lesson-toc a >> nth=-1`);
    await page.waitForFunction(() => {
      const shadow = document.querySelector('worker-pool-playground').shadowRoot;
      const last = [...shadow.querySelectorAll('article.lesson')].at(-1);
      const box = last.getBoundingClientRect();
      return box.top < innerHeight && box.bottom > 0;
    }, null, { timeout: 5_000 });
    assert.equal(page.url(), address);

    // Removing the element disposes its playground (and empties its shadow root) without errors.
    assert.equal(await page.evaluate(() => {
      const el = document.querySelector('worker-pool-playground');
      el.remove();
      return el.shadowRoot.childNodes.length;
    }), 0);
    assert.deepEqual(page.errors, []);
  } finally {
    await page?.context().close();
    await site.close();
  }
}

/** The element as both pages embed it: its initial settings in its attributes. */
const ELEMENT = '<worker-pool-playground workers="2" tasks="40" failure-rate="20" sleep-ms="1-3" seed="9"></worker-pool-playground>';

/**
 * A fresh Vite app in `pkg.tmp` (`pkg` from packPackage) that depends on the
 * tarball and embeds the element and the API, installed and built (into one
 * runtime: one orchestrator, one wasm); returns its dist folder.
 */
export async function buildViteApp(pkg) {
  const app = join(pkg.tmp, 'vite-app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({
    name: 'wwp-vite-app', private: true, type: 'module',
    dependencies: { 'wasm-worker-pool': `file:${pkg.tarball}` },
    devDependencies: { vite: '8.3.8' },
  }, null, 2));
  await writeFile(join(app, 'vite.config.js'), `export default {
  worker: { format: 'es' },
  build: { target: 'es2022' },
};
`);
  await writeFile(join(app, 'index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><link rel="icon" href="data:," /><title>Vite app</title></head>
<body>
  <h1>A Vite app that embeds the playground</h1>
  ${ELEMENT}
  <script type="module" src="./main.js"></script>
</body></html>
`);
  await writeFile(join(app, 'main.js'), `import { createPlayground } from 'wasm-worker-pool';
import 'wasm-worker-pool/element';
window.api = { createPlayground };
`);
  await npm(['install', '--no-audit', '--no-fund', '--prefer-offline'], app);
  const installed = JSON.parse(await readFile(join(app, 'node_modules/wasm-worker-pool/package.json'), 'utf8'));
  assert.equal(installed.name, 'wasm-worker-pool');
  await exec(join(app, 'node_modules/.bin/vite'), ['build'], { cwd: app, env: npmEnv });

  // One runtime: the element and the API share one orchestrator, one glue, one wasm.
  const assets = await readdir(join(app, 'dist/assets'));
  assert.equal(assets.filter((f) => /^orchestrator-.*\.js$/.test(f)).length, 1, assets.join(' '));
  assert.equal(assets.filter((f) => f.endsWith('.wasm')).length, 1, assets.join(' '));
  return join(app, 'dist');
}

/** A plain page in `pkg.tmp` with the tarball installed beside it; returns its folder. */
export async function buildPlainPage(pkg) {
  const plain = join(pkg.tmp, 'plain-page');
  await mkdir(plain);
  await writeFile(join(plain, 'package.json'), JSON.stringify({ name: 'wwp-plain-page', private: true }, null, 2));
  await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', pkg.tarball], plain);
  await writeFile(join(plain, 'index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><link rel="icon" href="data:," /><title>Plain page</title></head>
<body>
  <h1>A plain page that embeds the playground</h1>
  ${ELEMENT}
  <script type="module">
    import { createPlayground } from './node_modules/wasm-worker-pool/dist/index.js';
    import './node_modules/wasm-worker-pool/dist/element.js';
    window.api = { createPlayground };
  </script>
</body></html>
`);
  return plain;
}
