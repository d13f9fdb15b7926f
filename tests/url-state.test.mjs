// The page's link and attribute decoders (www/src/url-state.ts), loaded from
// source through Vite: every string decodes to settings or to named problems,
// never an exception, in time linear in its length.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { useSource } from './helpers.mjs';

const src = useSource({ urlState: '/src/url-state.ts', config: '/src/config.ts', checks: '/src/checks.ts' });

/** An element-like object whose attributes come from a map. */
const element = (attributes) => ({ getAttribute: (name) => (name in attributes ? attributes[name] : null) });

/** Decodes and checks the shape the page relies on: settings, or the defaults with problems. */
function decodedOrProblems(decoded) {
  assert.equal(typeof decoded.settings, 'object');
  assert.ok(Array.isArray(decoded.problems));
  for (const problem of decoded.problems) assert.equal(typeof problem, 'string');
  if (decoded.problems.length > 0) {
    assert.deepEqual(decoded.settings, { ...src.config.DEFAULTS }, 'a link with a problem loads the defaults, never half of it');
    assert.equal(decoded.view, 'run');
  }
}

const PARAMS = ['strategy', 'workers', 'tasks', 'failure', 'queue', 'kind', 'sleep', 'cpu', 'timeout', 'connections', 'panic', 'trap', 'seed', 'cap', 'rate', 'view'];
// Values that look like the real ones, and anything at all.
const value = fc.oneof(
  fc.string(),
  fc.stringMatching(/^[0-9 ,._+-]{0,12}$/),
  fc.constantFrom('pool', 'rayon', 'sleep', 'cpu', 'compare', '5-20', '2,5', '1,000', ''),
);

test('any query string decodes to settings or named problems, never an exception', () => {
  fc.assert(fc.property(fc.string(), (search) => decodedOrProblems(src.urlState.decode(search))), { numRuns: 2_000 });
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...PARAMS), value), (params) => {
      decodedOrProblems(src.urlState.decode(`?${new URLSearchParams(params)}`));
    }),
    { numRuns: 3_000 },
  );
});

test('any element attributes decode to settings or named problems, never an exception', () => {
  const names = Object.values(src.urlState.ATTRIBUTES);
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...names), value), (attributes) => {
      decodedOrProblems(src.urlState.decodeAttributes(element(attributes)));
    }),
    { numRuns: 3_000 },
  );
});

/** The fastest of `runs` timings of `work()`, in ms: noise only ever adds. */
function fastest(work, runs = 3) {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

test('crafted 1 MB values decode in well under 100 ms, and say what is wrong', () => {
  // "+" is a space in a query: the old min-max pattern backtracked on it
  // quadratically (200,000 of them froze the page for about a minute).
  const values = {
    sleep: [`1${' '.repeat(1_000_000)}`, `1${' '.repeat(500_000)}-${'9'.repeat(500_000)}x`],
    workers: [`${'1'.repeat(1_000_000)}x`],
    tasks: ['1,000'.repeat(200_000)],
    cpu: ['-'.repeat(1_000_000)],
  };
  for (const [param, texts] of Object.entries(values)) {
    for (const text of texts) {
      // The decoder's own work, as element attributes take it.
      const attributes = element({ [src.urlState.ATTRIBUTES[param]]: text });
      const decoded = src.urlState.decodeAttributes(attributes);
      assert.equal(decoded.problems.length, 1, param);
      assert.ok(decoded.problems[0].length < 400, 'the problem quotes the value cut short');
      const took = fastest(() => src.urlState.decodeAttributes(attributes));
      assert.ok(took < 100, `${param}=${text.slice(0, 8)}…: ${took.toFixed(1)} ms`);
      // As a link: the same, plus what the platform's URLSearchParams costs
      // (native in a browser; Node's own is written in JavaScript).
      const search = `?${new URLSearchParams({ [param]: text })}`;
      assert.equal(src.urlState.decode(search).problems.length, 1);
      const platform = fastest(() => new URLSearchParams(search).get(param));
      const linked = fastest(() => src.urlState.decode(search));
      assert.ok(linked < platform + 100, `?${param}=${text.slice(0, 8)}…: ${linked.toFixed(1)} ms, of which URLSearchParams ${platform.toFixed(1)} ms`);
    }
  }
});

test('numbers: thousands separators as the page shows them; a decimal comma is refused, saying why', () => {
  const value = (key, text) => src.checks.parseNumber(key, text);
  assert.deepEqual(value('tasks', '1,000'), { value: 1000 });
  assert.deepEqual(value('tasks', '1 000 000'), { value: 1_000_000 });
  assert.deepEqual(value('tasks', '12345'), { value: 12345 });
  assert.deepEqual(value('failurePct', '2.5'), { value: 2.5 });
  assert.match(value('failurePct', '2,5').error, /point \(2\.5\), not a comma \(2,5\)/);
  assert.match(value('workers', '2,5').error, /point/);
  // "0,125" is no thousands group, and where decimals are allowed no comma is
  // guessed ("1,500" ms: 1.5 or 1500?); spaces and underscores still group.
  assert.match(value('workers', '0,125').error, /^Workers: write decimals with a point \(0\.125\), not a comma \(0,125\)\.$/);
  assert.match(value('failurePct', '0,125').error, /^Failure rate: write decimals with a point \(0\.125\)/);
  assert.match(value('sleepMin', '1,500').error, /^Shortest task: write decimals with a point \(1\.500\), not a comma \(1,500\); for 1500, write it without a separator\.$/);
  assert.match(value('timeoutMs', '1,000,000').error, /^Per-task timeout: write 1000000 without commas/);
  assert.deepEqual(value('sleepMin', '1 500'), { value: 1500 });
  assert.deepEqual(value('tasks', '2,500'), { value: 2500 });
  assert.match(src.urlState.decodeAttributes(element({ 'failure-rate': '0,125' })).problems[0], /^failure-rate=0,125: Failure rate: write decimals with a point/);
  assert.ok('error' in value('tasks', '1,0000'), 'a group of four digits is not a thousands group');
  assert.ok('error' in value('tasks', '1,000 000'), 'one kind of separator per number');
  assert.ok('error' in value('tasks', '1e3'));
  assert.deepEqual(value('spawnCap', '512'), { value: 512 });
  assert.match(value('spawnCap', '513').error, /512/);
  const decoded = src.urlState.decode('?failure=2%2C5');
  assert.equal(decoded.problems.length, 1);
  assert.match(decoded.problems[0], /failure=2,5: .*not a comma/);
});

test('an arrival rate: tasks per second above 0, empty for all at once, and for the worker pool only', () => {
  const value = (text) => src.checks.parseNumber('arrivalRate', text);
  assert.deepEqual(value(''), { value: null }, 'empty: every task at once');
  assert.deepEqual(value('128'), { value: 128 });
  assert.deepEqual(value('0.5'), { value: 0.5 });
  assert.deepEqual(value('1000000'), { value: 1_000_000 });
  for (const bad of ['0', '-1', '1000001', 'fast', '1e3']) {
    assert.equal(value(bad).error, 'Arrival rate must be a number greater than 0 and at most 1,000,000 tasks/s, or empty for all at once.', bad);
  }
  assert.match(value('2,5').error, /^Arrival rate: write decimals with a point \(2\.5\)/);
  assert.deepEqual(src.urlState.decode('?rate=128&workers=4'), {
    settings: { ...src.config.DEFAULTS, arrivalRate: 128, workers: 4 }, view: 'run', problems: [],
  });
  assert.equal(src.urlState.encode({ ...src.config.DEFAULTS, arrivalRate: 128 }, 'run'), '?rate=128');
  assert.equal(src.urlState.encode(src.config.DEFAULTS, 'run'), '', 'all at once is the default: not written');
  assert.equal(src.urlState.decodeAttributes(element({ 'arrival-rate': '64' })).settings.arrivalRate, 64);
  // Another strategy with a rate is refused, naming the setting, as the runtime would (ConfigError, field arrivalRate).
  for (const strategy of ['rayon', 'spawn-per-task']) {
    const decoded = src.urlState.decode(`?rate=128&strategy=${strategy}`);
    assert.deepEqual(decoded.problems, ['Arrival rate works with the worker pool only: choose Worker pool, or empty it (all at once).']);
    assert.deepEqual(decoded.settings, { ...src.config.DEFAULTS });
    assert.deepEqual(src.checks.crossCheck({ ...src.config.DEFAULTS, strategy, arrivalRate: 128 }).map((p) => p.key), ['arrivalRate']);
  }
  assert.deepEqual(src.checks.crossCheck({ ...src.config.DEFAULTS, strategy: 'rayon' }), [], 'all at once suits every strategy');
  assert.equal(src.config.keyForField('arrivalRate'), 'arrivalRate', "the runtime's ConfigError shows at its control");
});
