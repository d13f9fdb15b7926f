// The npm package as users get it, in Firefox ESR: the package tests of
// tests/package.test.mjs on the same preparation and with the same in-page
// checks (tests/package-fixture.mjs). The tarball is installed into a fresh
// Vite app (built with `vite build`) and beside a plain HTML page, both once
// for this file; in each, Firefox completes a pool run through the API (seed
// 11 fails exactly 34 of 300 on exactly 3 workers) and the
// <worker-pool-playground> the page holds runs from its attributes, draws,
// switches tabs and is disposed. Not run here: what `npm pack` puts in the
// tarball, which no browser takes part in.
import { after, before, test } from 'node:test';
import { useBrowser } from '../helpers.mjs';
import { buildPlainPage, buildViteApp, checkInBrowser, packPackage } from '../package-fixture.mjs';
import { launchFirefox } from './launch.mjs';

const env = useBrowser(launchFirefox);
// Both prepared once for the file, in one hook: Node 20 runs a file's
// before hooks at once, not one after another.
let pkg, viteApp, plainPage;
before(async () => {
  pkg = await packPackage();
  [viteApp, plainPage] = await Promise.all([buildViteApp(pkg), buildPlainPage(pkg)]);
});
after(() => pkg?.remove());

test('installed into a fresh Vite app: vite build, then a pool run through the API and the custom element', () =>
  checkInBrowser(env.browser, viteApp));

test('installed beside a plain HTML page: <script type="module"> from ./node_modules, no bundler', () =>
  checkInBrowser(env.browser, plainPage));
