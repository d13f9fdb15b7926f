// `npm run bench` at its smallest size: it must finish and write valid JSON
// with every scenario. No speed is asserted (speed goals live in the bench).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { outputDir, root } from './helpers.mjs';

test('the benchmark runs at smoke size and writes complete JSON and markdown', { timeout: 600_000 }, () => {
  const out = join(outputDir, 'bench-smoke.json');
  const run = spawnSync('node', ['scripts/bench.mjs', '--smoke', '--out', 'tests/output/bench-smoke.json'], {
    cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(run.status, 0, `bench failed:\n${run.stderr.slice(-3000)}`);
  const results = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(results.smoke, true);
  const positive = (x, what) => assert.ok(Number.isFinite(x) && x > 0, `${what}: ${x}`);
  for (const key of ['dispatch.pool.1', 'dispatch.pool.2', 'dispatch.pool.8', 'cpu.pool.1', 'cpu.pool.2', 'cpu.pool.4',
    'cpu.rayon.2', 'cpu.rayon.4', 'spawn.pool.wallMs', 'spawn.spawn-per-task.wallMs',
    'spawn.spawn-per-task.startupP50Ms', 'idle8.readyMs', 'warm.cold8.firstStartMs', 'warm.warm8.firstStartMs',
    'warm.dispatch2.wallUsPerTask', 'warm.cpu1.wallMs', 'warm.cpu2.wallMs', 'warm.reference1.wallMs', 'warm.reference2.wallMs',
    'startup.chromium.p50Ms', 'startup.chromium.p95Ms', 'startup.firefox.p50Ms', 'startup.firefox.p95Ms']) {
    assert.ok(results.browser[key], `browser scenario ${key} is missing`);
    positive(results.browser[key].median, key);
    assert.ok(results.browser[key].min <= results.browser[key].median && results.browser[key].median <= results.browser[key].max);
  }
  assert.equal(results.browser['warm.warm8.threadsSpawned'].max, 0, 'the warm run started no thread');
  for (const engine of ['chromium', 'firefox']) {
    const p50Ms = results.browser[`startup.${engine}.p50Ms`].median;
    const p95Ms = results.browser[`startup.${engine}.p95Ms`].median;
    assert.ok(p50Ms <= p95Ms, `${engine}: start latency p50 ${p50Ms} ms is not above p95 ${p95Ms} ms`);
  }
  assert.match(results.machine.firefox, /^\d+\./, 'the Firefox version is recorded');
  for (const workers of ['1', '2', '8']) positive(results.native.dispatch[workers].median, `native dispatch ${workers}`);
  positive(results.native.cpu.serial.median, 'native serial');
  const markdown = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
  positive(results.derived.speedup.pool2, 'derived speed-up');
  positive(results.sizes.referenceIterations, 'the reference calibrated to the pool');
  positive(results.derived.referenceSpeedup2, 'the reference speed-up');
  assert.match(markdown, /\| reference without the pool \(plain workers, a plain wasm loop of [\d,]+ iterations a task\), 1 worker, wall \|/);
  assert.match(markdown, /\| scenario \| median \| min – max \|/);
  assert.match(run.stdout, /dispatch, 2 workers/);
  assert.match(markdown, /\| thread start, Chromium, p50 .*\| thread start, Firefox [\d.]+, p50 \|/s);
});
