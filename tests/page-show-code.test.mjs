// "Show the code for these settings" (www/src/show-code.ts) on the built
// page: the JavaScript and the Rust carry exactly the settings in the
// controls and follow their changes; the JavaScript, run as shown against
// the package (the API fixture page), runs the page's run (the same seeded
// tasks fail); the Rust names only what the crate has; Copy copies, or
// selects the code where the clipboard is refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { API_FIXTURE, openPage, ready, root, serveRepo, sum, useSite } from './helpers.mjs';

const env = useSite();

const javascript = (page) => page.textContent('#code-js');
const rust = (page) => page.textContent('#code-rust');
/** The object literal given to run() in the shown JavaScript, evaluated. */
const runConfigIn = (code) => {
  const literal = /playground\.run\((\{[\s\S]*?\})\);/.exec(code)?.[1];
  assert.ok(literal, `a run({ … }) call in:\n${code}`);
  return Function(`return (${literal});`)();
};

/** Sets a control as a user would (typing replaces its value). */
const set = (page, key, value) => page.fill(`#f-${key}`, String(value));

test('the code shows exactly the settings, follows their changes, and its JavaScript runs the page\'s run', async () => {
  const page = await openPage(env.browser, env.site.url);
  await ready(page);
  await page.click('#more-settings > summary');
  await set(page, 'workers', 3);
  await set(page, 'tasks', 150);
  await set(page, 'failurePct', 25);
  await set(page, 'seed', 7);
  await set(page, 'connections', 2);
  await set(page, 'timeoutMs', 500);
  await set(page, 'sleepMin', 2);
  await set(page, 'sleepMax', 6);
  assert.equal(await page.isVisible('#code-js'), false, 'the code is behind a disclosure');
  await page.click('#show-code > summary');
  assert.equal(await page.isVisible('#code-js'), true);

  const code = await javascript(page);
  assert.match(code, /^import \{ createPlayground \} from 'wasm-worker-pool';$/m);
  assert.match(code, /^const playground = await createPlayground\(\);$/m);
  const config = runConfigIn(code);
  assert.deepEqual(Object.keys(config), [
    'strategy', 'workers', 'tasks', 'failureRate', 'queueCapacity', 'kind', 'sleepMs', 'cpuIterations',
    'timeoutMs', 'connections', 'panicRate', 'trapRate', 'seed', 'spawnCap', 'arrivalRate',
  ], 'every RunConfig field, as toRunConfig gives them');
  const changed = { strategy: 'pool', workers: 3, tasks: 150, failureRate: 0.25, queueCapacity: 100, kind: 'sleep', sleepMs: [2, 6],
    timeoutMs: 500, connections: 2, panicRate: 0, trapRate: 0, seed: 7, spawnCap: null, arrivalRate: null };
  for (const [field, value] of Object.entries(changed)) assert.deepEqual(config[field], value, `${field} in the JavaScript`);

  const rs = await rust(page);
  for (const line of ['strategy: StrategyKind::Pool,', 'workers: 3,', 'tasks: 150,', 'failure_rate: 0.25,', 'queue_capacity: 100,',
    'kind: TaskKind::Sleep,', 'sleep_ms: (2.0, 6.0),', 'timeout_ms: Some(500.0),', 'connections: Some(2),', 'panic_rate: 0.0,',
    'trap_rate: 0.0,', 'seed: 7,', 'spawn_cap: None,', 'arrival_rate: None,']) {
    assert.ok(rs.includes(`        ${line}\n`), `the Rust has "${line}":\n${rs}`);
  }

  // It follows the settings: a change, a strategy, an invalid value and back.
  await set(page, 'workers', 5);
  assert.equal(runConfigIn(await javascript(page)).workers, 5);
  assert.match(await rust(page), /^ {8}workers: 5,$/m);
  await page.check('#strategy-rayon');
  assert.equal(runConfigIn(await javascript(page)).strategy, 'rayon');
  assert.match(await rust(page), /strategy: StrategyKind::Rayon,/);
  await page.check('#strategy-pool');
  await set(page, 'arrivalRate', 128);
  assert.equal(runConfigIn(await javascript(page)).arrivalRate, 128);
  assert.match(await rust(page), /^ {8}arrival_rate: Some\(128\.0\),$/m);
  await set(page, 'arrivalRate', '');
  assert.equal(runConfigIn(await javascript(page)).arrivalRate, null);
  await set(page, 'tasks', 'many');
  assert.equal(await page.isVisible('#show-code-invalid'), true, 'an invalid setting: no code, a reason');
  assert.equal(await page.isVisible('#code-js'), false);
  await set(page, 'tasks', 150);
  assert.equal(await page.isVisible('#code-js'), true);
  const shown = await javascript(page);
  const shownConfig = runConfigIn(shown);
  assert.equal(shownConfig.workers, 5);

  // The page runs these settings...
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#counts')?.dataset.summary, null, { timeout: 60_000 });
  const pageSummary = JSON.parse(await page.$eval('#counts', (el) => el.dataset.summary));
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // ...and so does the code shown, run as it is against the package.
  const server = await serveRepo();
  try {
    const api = await openPage(env.browser, server.url + API_FIXTURE);
    await api.waitForFunction(() => window.api !== undefined);
    const summary = await api.evaluate(async (code) => {
      // Only the import changes: the fixture page has the package as window.api.
      const body = code.replace("import { createPlayground } from 'wasm-worker-pool';", 'const { createPlayground } = window.api;');
      const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
      return new AsyncFunction(`${body}\nplayground.dispose();\nreturn summary;`)();
    }, shown);
    assert.equal(summary.tasks, 150);
    assert.equal(sum(summary), 150);
    assert.equal(summary.strategy, 'pool');
    assert.equal(summary.aborted, false);
    assert.deepEqual(summary.failedTaskIds, pageSummary.failedTaskIds, 'the same seeded tasks fail: the same run');
    assert.deepEqual(api.errors, []);
    await api.context().close();
  } finally {
    await server.close();
  }
});

test('the Rust names only what the crate has: every RunConfig field, the imports, Session\'s calls', async () => {
  const page = await openPage(env.browser, env.site.url);
  await ready(page);
  const rs = await rust(page);
  await page.context().close();
  // At the defaults it is, verbatim, what crate/tests/shown_code.rs compiles and runs.
  assert.equal(rs, readFileSync(join(root, 'crate/tests/shown_code/default_settings.rs'), 'utf8'),
    'the Rust for the default settings is crate/tests/shown_code/default_settings.rs (update that file with the page\'s output when the defaults change)');
  const config = readFileSync(join(root, 'crate/src/session/config.rs'), 'utf8');
  const struct = /pub struct RunConfig \{([\s\S]*?)\n\}/.exec(config)[1];
  const fields = [...struct.matchAll(/^\s*pub (\w+):/gm)].map((m) => m[1]);
  const literal = /RunConfig \{\n([\s\S]*?)\n {4}\};/.exec(rs)[1];
  assert.deepEqual([...literal.matchAll(/^ {8}(\w+):/gm)].map((m) => m[1]), fields, 'the fields of RunConfig, in order');

  const lib = readFileSync(join(root, 'crate/src/lib.rs'), 'utf8');
  const exported = new Set([...lib.matchAll(/^pub use [^{;]*(?:\{([^}]*)\}|::(\w+));/gm)]
    .flatMap((m) => (m[1] ?? m[2]).split(',').map((name) => name.trim()).filter(Boolean)));
  const imported = /^use wasm_worker_pool::\{([^}]*)\};$/m.exec(rs)[1].split(',').map((name) => name.trim());
  for (const name of imported) assert.ok(exported.has(name), `wasm_worker_pool::${name} is exported by crate/src/lib.rs`);

  const session = readFileSync(join(root, 'crate/src/session/mod.rs'), 'utf8');
  for (const call of ['start', 'advance', 'summary']) {
    assert.ok(rs.includes(call === 'start' ? 'Session::start(' : `session.${call}(`), `the Rust calls ${call}`);
    assert.match(session, new RegExp(`pub fn ${call}\\(`), `Session::${call} exists`);
  }
  assert.match(session, /pub fn advance\(&mut self, events: &mut Vec<f64>\) -> bool/);
  const native = readFileSync(join(root, 'crate/src/runtime/native.rs'), 'utf8');
  assert.match(native, /impl ThreadSpawner \{\s*pub fn new\(\) -> ThreadSpawner/);
  assert.match(native, /pub fn new\(\) -> SystemClock/);
  const summary = readFileSync(join(root, 'crate/src/session/summary.rs'), 'utf8');
  for (const field of ['succeeded', 'failed', 'elapsed_ms']) assert.match(summary, new RegExp(`pub ${field}:`));
});

test('Copy puts the code on the clipboard, or selects it where the clipboard is refused', async () => {
  const page = await openPage(env.browser, env.site.url);
  await ready(page);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.site.url.replace(/\/$/, '') });
  await page.click('#show-code > summary');
  await page.click('#copy-js');
  await page.waitForFunction(() => document.querySelector('#show-code-status').textContent !== '');
  assert.equal(await page.textContent('#show-code-status'), 'The JavaScript was copied.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await javascript(page));

  await page.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError')); });
  await page.click('#copy-rust');
  await page.waitForFunction(() => /selected/.test(document.querySelector('#show-code-status').textContent));
  assert.equal(await page.textContent('#show-code-status'), 'The Rust is selected: press Ctrl+C (⌘C on a Mac) to copy it.');
  // A selection's text leaves out the code's last line break.
  assert.equal(await page.evaluate(() => document.getSelection().toString()), (await rust(page)).trimEnd());
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
