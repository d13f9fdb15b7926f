// The queueing maths of the Run view's theory panel and of the workers sweep
// (www/src/queueing.ts), loaded from source through Vite: Erlang C against
// published values and its closed forms, Allen–Cunneen reducing to Erlang C
// and to Pollaczek–Khinchine, the service times of sleep tasks, a batch's
// wait, and Little's law as an identity on synthetic event logs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { useSource } from './helpers.mjs';

const src = useSource({ q: '/src/queueing.ts' });

/** `actual` rounds to `expected` at 3 significant digits. */
function sig3(actual, expected, what) {
  assert.equal(Number(actual.toPrecision(3)), Number(expected.toPrecision(3)), `${what}: ${actual} against ${expected}`);
}
const close = (actual, expected, what, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual} against ${expected}`);

test('Erlang B and C against published values, to 3 significant digits', () => {
  // A published Erlang B table entry: 15 lines at 1 % blocking carry 8.108
  // Erlangs (the Erlang B calculator manual of erlang.com, "How much traffic
  // can a trunk group handle?"); the Erlang B tables of teletraffic
  // handbooks give B(5, 4) = 0.199 and B(10, 8) = 0.122.
  sig3(src.q.erlangB(15, 8.108), 0.0100, 'B(15, 8.108)');
  sig3(src.q.erlangB(5, 4), 0.199, 'B(5, 4)');
  sig3(src.q.erlangB(10, 8), 0.122, 'B(10, 8)');
  // Erlang C = B / (1 − ρ(1 − B)). The values below are the defining sum
  // C(c, a) = [aᶜ/c! · c/(c − a)] / [Σ_{k<c} aᵏ/k! + aᶜ/c! · c/(c − a)]
  // computed exactly in rational arithmetic (Python's fractions), which the
  // Erlang B entries above convert to: C(5, 4) = 0.199 / (1 − 0.8 · 0.801) =
  // 0.554, C(10, 8) = 0.122 / (1 − 0.8 · 0.878) = 0.409. C(10, 6) ≈ 0.10 is
  // the textbook example of 120 customers an hour, 3 minutes each, 10
  // servers ("from the Erlang C curve, the probability of waiting is about 0.10").
  const table = [
    // [c, a, C(c, a)]
    [1, 0.5, 0.5], [1, 0.9, 0.9],
    [2, 1, 1 / 3], [2, 1.6, 0.711],
    [5, 2.5, 0.130], [5, 4, 0.554], [5, 4.5, 0.762],
    [10, 5, 0.0361], [10, 6, 0.101], [10, 8, 0.409], [10, 9, 0.669],
    [15, 8.108, 0.0215],
    [50, 45, 0.364], [64, 60, 0.507],
  ];
  for (const [c, a, expected] of table) sig3(src.q.erlangC(c, a), expected, `C(${c}, ${a})`);
});

test('Erlang C: C = ρ for one server, 2ρ²/(1 + ρ) for two, 1 at or past saturation, 0 with no load', () => {
  for (const rho of [0.01, 0.1, 0.25, 0.5, 0.8, 0.95, 0.999]) {
    close(src.q.erlangC(1, rho), rho, `c = 1, ρ = ${rho}`);
    close(src.q.erlangC(2, 2 * rho), (2 * rho * rho) / (1 + rho), `c = 2, ρ = ${rho}`);
  }
  assert.equal(src.q.erlangC(4, 4), 1);
  assert.equal(src.q.erlangC(4, 9), 1);
  assert.equal(src.q.erlangC(4, 0), 0);
  assert.equal(src.q.erlangCWait(10, 1, 4), Infinity, 'ρ ≥ 1: no steady state');
  // M/M/1: Wq = ρ/(μ − λ).
  close(src.q.erlangCWait(0.8, 1, 1), 0.8 / (1 - 0.8), 'M/M/1 wait');
  // Large c stays finite and in [0, 1] (no factorial overflows).
  const big = src.q.erlangC(256, 250);
  assert.ok(big > 0 && big < 1, `C(256, 250) = ${big}`);
});

test('Allen–Cunneen is Erlang C\'s wait when Cs² = 1, Pollaczek–Khinchine for one server, and scales with (Ca² + Cs²)/2', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 64 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0.1, max: 100, noNaN: true }),
    (c, rho, S) => {
      const lambda = (rho * c) / S;
      const mmc = src.q.erlangCWait(lambda, S, c);
      close(src.q.allenCunneenWait(lambda, S, c, 1, 1), mmc, `c ${c}, ρ ${rho}`);
      close(src.q.allenCunneenWait(lambda, S, c, 1, 0), mmc / 2, 'deterministic service halves it');
    },
  ), { numRuns: 500 });
  // M/D/1 (Cs² = 0): Wq = ρS / (2(1 − ρ)); M/G/1: λE[S²] / (2(1 − ρ)).
  close(src.q.allenCunneenWait(0.5, 1, 1, 1, 0), 0.5 / (2 * 0.5), 'M/D/1');
  const uniform = src.q.uniformService(20, 30);
  const lambda = 0.03;
  const second = uniform.variance + uniform.mean ** 2;
  close(src.q.allenCunneenWait(lambda, uniform.mean, 1, 1, uniform.cs2), (lambda * second) / (2 * (1 - lambda * uniform.mean)), 'P-K for uniform service');
  assert.equal(src.q.allenCunneenWait(1, 2, 1, 1, 0.5), Infinity);
});

test('sleep tasks: uniform on [a, b], cut at a deadline', () => {
  const s = src.q.uniformService(20, 30);
  close(s.mean, 25, 'mean (a + b)/2');
  close(s.variance, 100 / 12, 'variance (b − a)²/12');
  close(s.cs2, 100 / 12 / 625, 'Cs²');
  assert.deepEqual(src.q.uniformService(5, 5), { mean: 5, variance: 0, cs2: 0 });
  assert.deepEqual(src.q.uniformService(5, 20, 100), src.q.uniformService(5, 20), 'a deadline past the longest changes nothing');
  assert.equal(src.q.uniformService(5, 20, 3).mean, 3, 'a deadline before the shortest: every task takes the deadline');
  // A deadline in the middle, against the sample moments of min(X, cap) over a fine grid.
  const cap = 12;
  const xs = Array.from({ length: 150_001 }, (_, i) => Math.min(5 + (15 * i) / 150_000, cap));
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
  const capped = src.q.uniformService(5, 20, cap);
  close(capped.mean, m, 'capped mean', 1e-4);
  close(capped.variance, v, 'capped variance', 1e-3);
});

test('a batch: ceil(n/c) rounds, and the wait of tasks of exactly S through the queue', () => {
  assert.equal(src.q.batchMakespan(1000, 8, 12.5), 125 * 12.5);
  assert.equal(src.q.batchMakespan(9, 8, 10), 20);
  // Room for every task: S · mean(floor(i/c)).
  const n = 100;
  const c = 8;
  const expected = (10 * Array.from({ length: n }, (_, i) => Math.floor(i / c)).reduce((a, b) => a + b, 0)) / n;
  close(src.q.batchWait(n, c, 10, n), expected, 'unbounded queue');
  close(src.q.batchWait(n, c, 10, 1_000_000), expected, 'a queue larger than the batch is the same');
  // A bounded queue: the feeder waits, so each task waits about (capacity + 1)/c rounds once it is full.
  const bounded = src.q.batchWait(10_000, 8, 10, 100);
  assert.ok(Math.abs(bounded - (101 / 8) * 10) < 2, `queue of 100 on 8 workers: ${bounded}`);
  // A rendezvous: the task is handed over as a worker takes it; it waits for a free worker only.
  assert.ok(src.q.batchWait(1000, 4, 10, 0) <= 10, 'a rendezvous waits at most one task time');
  assert.equal(src.q.batchWait(4, 4, 10, 0), 0, 'as many workers as tasks: nobody waits');
});

/** A synthetic event log: `n` tasks at `gaps` apart, each waiting and running as drawn, on one worker at a time or not. */
const eventLog = fc.array(
  fc.record({ enqueuedMs: fc.double({ min: 0, max: 1000, noNaN: true }), wait: fc.double({ min: 0, max: 50, noNaN: true }), run: fc.double({ min: 0, max: 50, noNaN: true }), started: fc.boolean() }),
  { minLength: 1, maxLength: 300 },
).map((rows) => rows.map(({ enqueuedMs, wait, run, started }) => started
  ? { enqueuedMs, startedMs: enqueuedMs + wait, endedMs: enqueuedMs + wait + run }
  : { enqueuedMs, startedMs: -1, endedMs: enqueuedMs + wait }));

test("Little's law is an identity over the whole busy period: the time-average L (by sweeping the log) is λW", () => {
  // The window lasts at least 1 ms: a window of a denormal length has a rate of Infinity.
  fc.assert(fc.property(eventLog, fc.double({ min: 1, max: 500, noNaN: true }), (events, tail) => {
    const end = Math.max(...events.map((e) => e.endedMs)) + tail;
    const m = src.q.measure(events, end);
    const lambda = events.length / end; // per ms
    if (!(end > 0)) return;
    close(m.inSystem, lambda * m.meanSystemMs, 'L = λW', 1e-9);
    close(m.inQueue, lambda * m.meanWaitMs, 'Lq = λWq', 1e-9);
    close(m.ratePerSec, lambda * 1000, 'the rate through the window');
  }), { numRuns: 500 });
});

test('the time-average is a real sweep: overlaps, touching ends and clipping to the window', () => {
  const av = (intervals, t0, t1) => src.q.timeAverage(intervals, t0, t1);
  assert.equal(av([{ from: 0, to: 10 }], 0, 10), 1);
  assert.equal(av([{ from: 0, to: 10 }, { from: 0, to: 10 }], 0, 20), 1);
  assert.equal(av([{ from: 0, to: 5 }, { from: 5, to: 10 }], 0, 10), 1, 'one leaves as the next arrives');
  assert.equal(av([{ from: -5, to: 5 }, { from: 8, to: 30 }], 0, 10), 0.7, 'clipped to [0, 10]');
  assert.equal(av([], 0, 10), 0);
  assert.equal(av([{ from: 0, to: 10 }], 5, 5), 0, 'an empty window');
});

test('measure(): λ from the enqueue times, S, W and Wq, a sample scaled by its rate', () => {
  // Four tasks 10 ms apart, each waiting 2 ms and running 5 ms.
  const events = [0, 10, 20, 30].map((t) => ({ enqueuedMs: t, startedMs: t + 2, endedMs: t + 7 }));
  const m = src.q.measure(events, 40);
  close(m.arrivalRatePerSec, 3 / 0.03, 'λ = (n − 1)/span');
  close(m.meanServiceMs, 5, 'S');
  close(m.serviceCs2, 0, 'no spread');
  close(m.meanSystemMs, 7, 'W');
  close(m.meanWaitMs, 2, 'Wq');
  close(m.inSystem, (4 * 7) / 40, 'L');
  close(m.inQueue, (4 * 2) / 40, 'Lq');
  close(m.busyMs, 35, 'first start to last end');
  const sampled = src.q.measure(events, 40, 10);
  close(sampled.arrivalRatePerSec, 10 * m.arrivalRatePerSec, 'a sample of 1 in 10 arrives 10 times as often');
  close(sampled.inSystem, 10 * m.inSystem, 'and holds 10 times as many');
  close(sampled.meanSystemMs, m.meanSystemMs, 'means are not scaled');
  assert.equal(src.q.measure([events[0]], 10).arrivalRatePerSec, null, 'one task gives no rate');
  assert.equal(src.q.measure(events.map((e) => ({ ...e, enqueuedMs: 0 })), 40).arrivalRatePerSec, Infinity, 'all in one instant');
  assert.equal(src.q.relativeError(0, 0), 0);
  close(src.q.relativeError(1.01, 1), 0.01, 'relative error');
});
