// The npm package as users get it: `npm pack` of this repository, installed
// from the tarball (1) into a fresh Vite app, built with `vite build`, and
// (2) into a plain HTML page that imports from ./node_modules without a
// bundler. In both, Chromium completes a pool run through the API and
// renders <worker-pool-playground>. Also: what `npm pack` puts in the tarball.
// The preparation and the in-page checks are in package-fixture.mjs, which
// Firefox runs too (tests/firefox/package.firefox.mjs).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root, useBrowser } from './helpers.mjs';
import { buildPlainPage, buildViteApp, checkInBrowser, npm, packPackage } from './package-fixture.mjs';

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
  'dist/protocol.js', 'dist/drain.js', 'dist/element.js', 'dist/element.d.ts',
  'pkg/wasm_worker_pool.js', 'pkg/wasm_worker_pool.d.ts', 'pkg/wasm_worker_pool_bg.wasm', 'pkg/thread_worker.js',
];

const env = useBrowser();
let pkg;
before(async () => {
  pkg = await packPackage();
});
after(() => pkg?.remove());

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

test('installed into a fresh Vite app: vite build, then a pool run through the API and the custom element', async () => {
  await checkInBrowser(env.browser, await buildViteApp(pkg));
});

test('installed beside a plain HTML page: <script type="module"> from ./node_modules, no bundler', async () => {
  await checkInBrowser(env.browser, await buildPlainPage(pkg));
});
