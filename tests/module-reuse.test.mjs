// A page compiles the wasm module once: a second playground (after the
// first was disposed) is instantiated from the module the first compiled,
// so the binary is fetched once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_FIXTURE, launch, openPage, serveRepo } from './helpers.mjs';

let browser, server, page;
/** Requests for the wasm binary the server answered. */
const wasmFetches = [];

before(async () => {
  browser = await launch();
  // `missing` sees every request: record the binary's, answer them all.
  server = await serveRepo({ missing: (path) => { if (path.endsWith('.wasm')) wasmFetches.push(path); return false; } });
  page = await openPage(browser, server.url + API_FIXTURE);
  await page.waitForFunction(() => window.api !== undefined);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('a second playground on the page fetches no module again, and runs', async () => {
  const totals = await page.evaluate(async () => {
    const totals = [];
    for (let i = 0; i < 3; i++) {
      const playground = await window.api.createPlayground();
      try {
        const summary = await playground.run({ strategy: 'pool', workers: 2, tasks: 50, kind: 'noop', failureRate: 0 });
        totals.push(summary.succeeded);
      } finally {
        playground.dispose();
      }
    }
    return totals;
  });
  assert.deepEqual(totals, [50, 50, 50]);
  assert.deepEqual(wasmFetches, ['/pkg/wasm_worker_pool_bg.wasm'], 'only the first playground fetched the binary');
  assert.deepEqual(page.errors, []);
});
