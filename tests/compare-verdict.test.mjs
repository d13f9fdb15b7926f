// What Compare says (www/src/compare-verdict.ts, outcomes.ts and
// compare-export.ts), loaded from source through Vite and held to made-up
// results: the headline is computed from every outcome and ranks a strategy
// only on work it did; the small print names every outcome and only the
// causes that were observed; "Time to first result" counts only tasks that
// started; the memory figure says what it measures, and the headline compares
// memory only from the browser's measurement of the runs' own Web Workers;
// the status line's outcomes add up; the exports carry all of it.
// (tests/page-compare-honest.test.mjs runs Compare itself.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useSource } from './helpers.mjs';

const src = useSource({
  verdict: '/src/compare-verdict.ts', outcomes: '/src/outcomes.ts', exports: '/src/compare-export.ts', config: '/src/config.ts',
});

const settings = () => ({ ...src.config.DEFAULTS });
const percentiles = { count: 0, p50Us: 0, p95Us: 0, p99Us: 0, maxUs: 0 };

function summary(strategy, counts = {}) {
  const s = {
    strategy, tasks: 1000, succeeded: 903, failed: 97, timedOut: 0, cancelled: 0, panicked: 0, neverSubmitted: 0,
    spawnRefused: 0, spawnRefusedReason: null, threadFailures: 0, threadFailureReason: null,
    elapsedMs: 1900, firstResultMs: 260, firstStartMs: 250, lastResultMs: 1890, throughputPerSec: 520,
    peakThreads: 8, threadsUsed: 8, failedTaskIds: [], panickedTaskIds: [], perWorkerTasks: [],
    queueWait: percentiles, runTime: percentiles, workerStartup: null, memoryBytes: 11_403_264, timelineEvents: 1000, aborted: false,
    ...counts,
  };
  return s;
}

const noneNeverStarted = { refused: 0, startFailed: 0, timedOut: 0, cancelled: 0, neverSubmitted: 0, total: 0 };
const unanswered = { kind: 'unanswered', why: 'it did not answer while the run was going (asked 900 ms before its end)' };
const measured = (bytes, threadWorkers, duringRun = true) => ({
  kind: 'measured', bytes, answeredAfterMs: 1200, duringRun,
  parts: { pageBytes: 800_000, orchestratorBytes: 8_000_000, threadWorkers, threadWorkerBytes: threadWorkers * 1_500_000, otherBytes: 0 },
});

function result(strategy, { counts, neverStarted = noneNeverStarted, memory = unanswered, cap = null, startupMs = 250 } = {}) {
  return { strategy, config: {}, summary: summary(strategy, counts), neverStarted, firstResultMs: 260, startupMs, cap, memory };
}

/** What today's page got with the defaults: 537 of one worker per task's tasks were refused a Web Worker. */
function refusedComparison() {
  const refused = { refused: 537, startFailed: 0, timedOut: 0, cancelled: 0, neverSubmitted: 0, total: 537 };
  return [
    result('pool'),
    result('spawn-per-task', {
      counts: { succeeded: 463, failed: 537, elapsedMs: 13_410, peakThreads: 512, spawnRefused: 537, spawnRefusedReason: 'at most 512 threads may be alive at once', memoryBytes: 16_056_320 },
      neverStarted: refused, startupMs: 9395,
    }),
    result('rayon', { counts: { elapsedMs: 1987, peakThreads: 9 } }),
  ];
}

test('a strategy with tasks that never ran is not ranked: the headline says how many never ran, and why', () => {
  const sentence = src.verdict.explain(refusedComparison(), settings());
  assert.match(sentence, /One worker per task did not do the same work: 537 of its 1,000 tasks never ran \(537 because the browser refused their Web Worker \(at most 512 threads may be alive at once\)\)\./);
  assert.doesNotMatch(sentence, /× as long|× faster|about as long/, 'no time ranking on work it did not do');
  assert.match(sentence, /So neither is called faster/);
  assert.match(sentence, /rayon, with 8 threads, took 1,987 ms\./);
});

test('a headline ranks on time only when both did all the work, and its ratio is the measured one', () => {
  const rs = [result('pool'), result('spawn-per-task', { counts: { elapsedMs: 5700, peakThreads: 512 }, startupMs: 40 }), result('rayon')];
  assert.match(src.verdict.explain(rs, settings()), /^One worker per task took 3× as long as the pool \(5,700 ms against 1,900 ms\), peaked at 512 threads against the pool's 8, because/);
  rs[1].summary.elapsedMs = 950;
  assert.match(src.verdict.explain(rs, settings()), /^One worker per task finished 2× faster than the pool \(950 ms against 1,900 ms\)/);
  rs[1].summary.elapsedMs = 1950;
  assert.match(src.verdict.explain(rs, settings()), /^One worker per task took about as long as the pool/);
});

test('the headline compares memory only from a browser measurement that includes the runs\' own Web Workers', () => {
  const rs = [result('pool'), result('spawn-per-task', { counts: { elapsedMs: 5700, peakThreads: 512, memoryBytes: 16_056_320 } }), result('rayon')];
  const noClaim = /the memory|less memory|same memory/;
  // Sizes of the shared memory: shown, labelled as exactly that, never compared.
  let sentence = src.verdict.explain(rs, settings());
  assert.doesNotMatch(sentence, noClaim);
  assert.match(sentence, /Memory is not compared: the browser gave no figure to compare/);
  let view = src.verdict.memoryView(rs);
  assert.equal(view.source, 'shared memory');
  assert.equal(view.value(rs[1]), 16_056_320);
  assert.match(view.label, /^Size of the shared WebAssembly memory at the end of each run, in a fresh runtime: it excludes each Web Worker's own thread, V8 isolate and wasm instance, so it is not what a worker costs\./);
  assert.match(view.label, /did not answer while the run was going \(asked 900 ms before its end\) \(Worker pool, One worker per task, rayon\)/);

  // Measured, but the browser's answer left the runs' Web Workers out: shown as measured, not compared.
  rs[0].memory = measured(9_000_000, 0);
  rs[1].memory = measured(11_000_000, 0);
  rs[2].memory = measured(9_100_000, 0);
  sentence = src.verdict.explain(rs, settings());
  assert.doesNotMatch(sentence, noClaim);
  assert.match(sentence, /Memory is not compared: the browser's measurement did not include a run's own Web Workers/);
  view = src.verdict.memoryView(rs);
  assert.equal(view.source, 'measured');
  assert.match(view.label, /^Measured by the browser with performance\.measureUserAgentSpecificMemory\(\)/);
  assert.match(view.label, /none of its own Web Workers answered, so their threads, V8 isolates and wasm instances are not in it/);

  // Answered after a run ended: not that run's peak.
  rs[0].memory = measured(9_000_000, 8, false);
  rs[1].memory = measured(900_000_000, 512);
  rs[2].memory = measured(9_100_000, 9);
  assert.match(src.verdict.explain(rs, settings()), /Memory is not compared: the browser's measurement of a run arrived only after that run had ended/);

  // Measured while each ran, with its Web Workers: now, and only now, compared, with the measured bytes.
  rs[0].memory = measured(20_000_000, 8);
  sentence = src.verdict.explain(rs, settings());
  assert.equal(src.verdict.memoryView(rs).comparable, true);
  assert.match(sentence, /and used 45× the memory \(858\.3 MB against 19\.1 MB, as the browser measured it\)/);
  assert.doesNotMatch(sentence, /Memory is not compared/);
});

test('one worker per task runs capped at the runtime\'s ceiling (or a smaller Thread cap), and the headline says so when it was reached', () => {
  assert.deepEqual(src.verdict.spawnCapFor({ spawnCap: null }, 'spawn-per-task', 512), { threads: 512, by: 'runtime' });
  assert.deepEqual(src.verdict.spawnCapFor({ spawnCap: 100 }, 'spawn-per-task', 512), { threads: 100, by: 'setting' });
  assert.deepEqual(src.verdict.spawnCapFor({ spawnCap: 512 }, 'spawn-per-task', 512), { threads: 512, by: 'runtime' });
  assert.equal(src.verdict.spawnCapFor({ spawnCap: null }, 'pool', 512), null);
  const rs = [result('pool'), result('spawn-per-task', { counts: { elapsedMs: 5700, peakThreads: 512 }, cap: { threads: 512, by: 'runtime' } })];
  assert.match(src.verdict.explain(rs, settings()), /One worker per task was capped by the browser's limit of 512 live Web Workers \(as this runtime enforces it\): each task past it waited for a Web Worker to exit instead of being refused\. That ceiling is the lesson/);
  rs[1].summary.peakThreads = 200;
  assert.doesNotMatch(src.verdict.explain(rs, settings()), /capped/, 'a cap never reached is not mentioned');
});

test('the small print names every outcome and only the causes that were observed', () => {
  const note = src.verdict.outcomesNote(refusedComparison(), settings());
  assert.match(note, /Worker pool: 903 succeeded, 97 failed\. One worker per task: 463 succeeded, 537 failed; 537 of them never ran\. rayon: 903 succeeded, 97 failed/);
  assert.match(note, /the browser refused 537 of One worker per task's Web Workers/);
  assert.doesNotMatch(note, /timeout/i, 'no task timed out');

  const timedOut = [
    result('pool', { counts: { succeeded: 293, failed: 28, timedOut: 600, panicked: 79 } }),
    result('spawn-per-task', { counts: { succeeded: 200, failed: 28, timedOut: 693, panicked: 79 } }),
  ];
  const t = src.verdict.outcomesNote(timedOut, settings());
  assert.match(t, /Worker pool: 293 succeeded, 28 failed, 79 panicked, 600 timed out\. One worker per task: 200 succeeded, 28 failed, 79 panicked, 693 timed out/);
  assert.match(t, /because of timeouts/);
  assert.doesNotMatch(t, /refused|thread limit/);

  assert.match(src.verdict.outcomesNote([result('pool'), result('rayon')], settings()),
    /^Same seed, same work: each strategy ran the same 1,000 tasks, with the same outcomes: 903 succeeded, 97 failed\.$/);
});

test('never-started tasks come from the timeline, and time to first result counts only tasks that started', () => {
  const event = (taskId, startedMs, endedMs, outcome) => ({ taskId, workerId: startedMs < 0 ? -1 : 0, enqueuedMs: 0, startedMs, endedMs, waitStartMs: -1, waitEndMs: -1, outcome });
  // Refused tasks end at once, before any started task ends.
  const events = [event(0, -1, 5, 'failed'), event(1, -1, 6, 'failed'), event(2, 7000, 7300, 'succeeded'), event(3, 7100, 7200, 'failed'), event(4, -1, 9000, 'cancelled')];
  assert.equal(src.verdict.firstResultOf(events), 7200);
  assert.equal(src.verdict.firstResultOf([event(0, -1, 5, 'failed')]), null);
  const s = summary('spawn-per-task', { tasks: 6, succeeded: 1, failed: 3, cancelled: 2, neverSubmitted: 1, spawnRefused: 2 });
  assert.deepEqual(src.verdict.neverStartedOf(s, events), { refused: 2, startFailed: 0, timedOut: 0, cancelled: 2, neverSubmitted: 1, total: 4 });
});

test('the status line\'s outcomes name every outcome that occurred and add up', () => {
  const s = { succeeded: 293, failed: 28, panicked: 4, timedOut: 675, cancelled: 0, neverSubmitted: 0 };
  const phrase = src.outcomes.outcomePhrase(s);
  assert.equal(phrase, '293 succeeded, 28 failed, 4 panicked, 675 timed out');
  const numbers = [...phrase.matchAll(/([\d,]+) (succeeded|failed|panicked|timed out|cancelled)/g)].map((m) => Number(m[1].replace(/,/g, '')));
  assert.equal(numbers.reduce((a, b) => a + b, 0), 1000);
  assert.equal(src.outcomes.outcomePhrase({ succeeded: 10, failed: 0, panicked: 0, timedOut: 0, cancelled: 5, neverSubmitted: 3 }), '10 succeeded, 0 failed, 5 cancelled (3 of them never submitted)');
});

test('a comparison exports as JSON and as CSV, with what was measured and what was said', () => {
  const record = { settings: settings(), results: refusedComparison(), cancelled: false, runtimeVersion: '0.1.0', finishedAt: '2026-01-01T00:00:00.000Z' };
  record.results[0].summary.perWorkerTasks = [{ worker: 0, tasks: 600 }, { worker: 1, tasks: 400 }];
  const json = JSON.parse(src.exports.toCompareJson(record));
  assert.deepEqual(json.strategies[0].summary.perWorkerTasks, [{ worker: 1, tasks: 600 }, { worker: 2, tasks: 400 }], 'workers numbered as in the run\'s exports, from 1');
  assert.match(json.workerNumbering, /1 to N/);
  assert.equal(json.strategies.length, 3);
  assert.equal(json.headline, src.verdict.explain(record.results, record.settings));
  assert.equal(json.memory.source, 'shared memory');
  assert.equal(json.memory.compared, false);
  assert.equal(json.strategies[1].neverStarted.total, 537);
  assert.equal(json.strategies[1].summary.spawnRefused, 537);
  const lines = src.exports.toCompareCsv(record).trim().split('\n');
  assert.equal(lines.length, 4);
  const header = lines[0].split(',');
  assert.deepEqual(header, [...src.exports.COMPARE_CSV_COLUMNS]);
  const spawn = Object.fromEntries(lines[2].split(',').map((v, i) => [header[i], v]));
  assert.equal(spawn.strategy, 'spawn-per-task');
  assert.equal(spawn.never_started, '537');
  assert.equal(spawn.memory_source, 'shared memory');
  assert.equal(spawn.memory_measured_bytes, '');
});
