// The npm package as users get it: `npm pack` of this repository, installed
// from the tarball (1) into a fresh Vite app, built with `vite build`, and
// (2) into a plain HTML page that imports from ./node_modules without a
// bundler. In both, Chromium completes a pool run through the API and
// renders <worker-pool-playground>. Also: what `npm pack` puts in the tarball.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { serve } from '../scripts/serve.mjs';
import { launch, root, sum } from './helpers.mjs';

const exec = promisify(execFile);
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
const npm = (args, cwd) => exec('npm', args, { cwd, env: npmEnv, maxBuffer: 64 * 1024 * 1024 });

/** The files a package of this repository must hold, and the only ones it may. */
const ALLOWED = [
  /^(README\.md|package\.json|LICENSE)$/,
  /^dist\/[a-z_]+\.js$/,
  /^dist\/[a-z_]+\.d\.ts$/,
  /^pkg\/wasm_worker_pool(\.js|\.d\.ts|_bg\.wasm|_bg\.wasm\.d\.ts)$/,
  // The thread worker the page starts (scripts/build-wasm.sh copies it beside the glue).
  /^pkg\/thread_worker\.js$/,
  /^pkg\/snippets\/wasm-worker-pool-[0-9a-f]+\/js\/(spawn|thread_worker)\.js$/,
];
const REQUIRED = [
  'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/orchestrator.js', 'dist/errors.js', 'dist/types.js',
  'dist/protocol.js', 'dist/element.js', 'dist/element.d.ts',
  'pkg/wasm_worker_pool.js', 'pkg/wasm_worker_pool.d.ts', 'pkg/wasm_worker_pool_bg.wasm', 'pkg/thread_worker.js',
];

let tmp, tarball, browser;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'wwp-package-'));
  const { stdout } = await npm(['pack', '--json', '--pack-destination', tmp], root);
  tarball = join(tmp, JSON.parse(stdout)[0].filename);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('npm pack lists only the package: dist JS and types, the wasm, its glue and snippets', async (t) => {
  const { stdout } = await npm(['pack', '--dry-run', '--json'], root);
  const [packed] = JSON.parse(stdout);
  const paths = packed.files.map((f) => f.path).sort();
  for (const path of paths) {
    assert.ok(ALLOWED.some((re) => re.test(path)), `${path} should not be in the package`);
    assert.doesNotMatch(path, /^(src|crate|tests|www|lib|scripts|bench|target|node_modules)\//);
    assert.doesNotMatch(path, /\.map$/);
  }
  for (const path of REQUIRED) assert.ok(paths.includes(path), `${path} is in the package`);
  assert.ok(paths.some((p) => /^pkg\/snippets\/.+\/js\/spawn\.js$/.test(p)), 'the spawn snippet is in the package');
  assert.ok(paths.some((p) => /^pkg\/snippets\/.+\/js\/thread_worker\.js$/.test(p)), 'the thread worker snippet is in the package');

  // Every relative import and worker URL in the shipped JS points at a shipped file.
  const shipped = new Set(paths);
  for (const path of paths.filter((p) => p.endsWith('.js'))) {
    const text = await readFile(join(root, path), 'utf8');
    const dir = path.split('/').slice(0, -1);
    for (const [, spec] of text.matchAll(/(?:from\s*|import\s*\(\s*|new URL\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
      const parts = [...dir];
      for (const part of spec.split('/')) {
        if (part === '..') parts.pop();
        else if (part !== '.') parts.push(part);
      }
      assert.ok(shipped.has(parts.join('/')), `${path} refers to ${spec}, which is not in the package`);
    }
  }
  // The exports map points at shipped files.
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  for (const entry of ['.', './element']) {
    for (const file of Object.values(manifest.exports[entry])) assert.ok(shipped.has(file.replace(/^\.\//, '')), `${entry} → ${file}`);
  }
  t.diagnostic(`${paths.length} files, packed ${(packed.size / 1024).toFixed(1)} KiB, unpacked ${(packed.unpackedSize / 1024).toFixed(1)} KiB`);
});

/** Isolated static hosting of `dir` (COOP/COEP, .wasm as application/wasm). */
async function checkInBrowser(dir, { apiHook = 'api' } = {}) {
  const site = await serve(dir);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    await page.goto(site.url);
    await page.waitForFunction((hook) => window[hook] !== undefined, apiHook, { timeout: 30_000 });

    // 1. A pool run through the package API.
    const summary = await page.evaluate(async (hook) => {
      const playground = await window[hook].createPlayground();
      try {
        return await playground.run({ strategy: 'pool', workers: 3, tasks: 300, failureRate: 0.1, seed: 11, sleepMs: [0, 1] });
      } finally {
        playground.dispose();
      }
    }, apiHook);
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
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await site.close();
  }
}

const ELEMENT = '<worker-pool-playground workers="2" tasks="40" failure-rate="20" sleep-ms="1-3" seed="9"></worker-pool-playground>';

test('installed into a fresh Vite app: vite build, then a pool run through the API and the custom element', async () => {
  const app = join(tmp, 'vite-app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({
    name: 'wwp-vite-app', private: true, type: 'module',
    dependencies: { 'wasm-worker-pool': `file:${tarball}` },
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
  await checkInBrowser(join(app, 'dist'));
});

test('installed beside a plain HTML page: <script type="module"> from ./node_modules, no bundler', async () => {
  const plain = join(tmp, 'plain-page');
  await mkdir(plain);
  await writeFile(join(plain, 'package.json'), JSON.stringify({ name: 'wwp-plain-page', private: true }, null, 2));
  await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], plain);
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
  await checkInBrowser(plain);
});
