// The Run view's theory panel and the workers sweep, computed from synthetic
// runs (www/src/theory.ts and www/src/sweep.ts, loaded from source through
// Vite, no browser): λ, S and ρ from the events, Little's law on them, the
// Erlang C and Allen–Cunneen predictions for open arrivals (checked against a
// simulated M/G/c queue), what a batch gets instead, the caveats, and the
// sweep's counts and theory curves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useSource } from './helpers.mjs';

const src = useSource({ theory: '/src/theory.ts', sweep: '/src/sweep.ts', q: '/src/queueing.ts', config: '/src/config.ts' });

const close = (actual, expected, what, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual} against ${expected}`);

/** A seeded uniform [0, 1) (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A FIFO queue with c servers: Poisson arrivals at `rate` per s (null: all
 * at t = 0), service uniform on [a, b] ms. Returns timeline events and a
 * summary with the fields the theory reads.
 */
function simulate({ tasks, workers, rate, sleep: [a, b], seed = 1 }) {
  const u = random(seed);
  const free = new Array(workers).fill(0);
  const events = [];
  let t = 0;
  for (let id = 0; id < tasks; id++) {
    if (rate !== null) t += (-Math.log(1 - u()) / rate) * 1000;
    let w = 0;
    for (let k = 1; k < workers; k++) if (free[k] < free[w]) w = k;
    const startedMs = Math.max(t, free[w]);
    const endedMs = startedMs + a + u() * (b - a);
    free[w] = endedMs;
    events.push({ taskId: id, workerId: w, enqueuedMs: t, startedMs, endedMs, waitStartMs: -1, waitEndMs: -1, outcome: 'succeeded' });
  }
  const lastResultMs = Math.max(...events.map((e) => e.endedMs));
  const summary = {
    strategy: 'pool', tasks, succeeded: tasks, failed: 0, timedOut: 0, cancelled: 0, panicked: 0, neverSubmitted: 0,
    elapsedMs: lastResultMs + 3, firstStartMs: Math.min(...events.map((e) => e.startedMs)), lastResultMs,
    throughputPerSec: tasks / ((lastResultMs + 3) / 1000), peakThreads: workers, submitsBlocked: 0,
    timelineEvents: tasks, timelineEvery: 1, aborted: false,
  };
  return { events, summary };
}

const settingsFor = (over) => ({ ...src.config.DEFAULTS, failurePct: 0, ...over });

test('open arrivals at ρ = 0.8: λ, S and ρ from the events, Little\'s law, and the predictions', () => {
  const settings = settingsFor({ workers: 4, tasks: 400, sleepMin: 20, sleepMax: 30, arrivalRate: 128 });
  const { events, summary } = simulate({ tasks: 400, workers: 4, rate: 128, sleep: [20, 30] });
  const t = src.theory.theoryOf({ settings, summary, events, cores: 8 });
  assert.equal(t.mode, 'open');
  assert.equal(t.servers, 4);
  const first = events[0].enqueuedMs;
  const last = events[events.length - 1].enqueuedMs;
  close(t.lambdaPerSec, 399 / ((last - first) / 1000), 'λ = (n − 1)/span');
  const S = events.reduce((s, e) => s + e.endedMs - e.startedMs, 0) / events.length;
  close(t.serviceMs, S, 'S');
  close(t.rho, (t.lambdaPerSec * S) / 1000 / 4, 'ρ = λS/c');
  // Little's law over [0, elapsed]: an identity, up to rounding.
  const W = events.reduce((s, e) => s + e.endedMs - e.enqueuedMs, 0) / events.length;
  const Wq = events.reduce((s, e) => s + e.startedMs - e.enqueuedMs, 0) / events.length;
  close(t.little.l, (events.length * W) / summary.elapsedMs, 'L as the area over the window');
  close(t.little.lambdaW, (400 / (summary.elapsedMs / 1000)) * (W / 1000), 'λW');
  assert.ok(t.little.error < 1e-9 && t.little.queueError < 1e-9, `${t.little.error}, ${t.little.queueError}`);
  close(t.waitMs, Wq, 'the measured mean queue wait');
  // The predictions come from the settings: λ = 128/s, S uniform on 20–30 ms, c = 4.
  const p = t.prediction;
  assert.equal(p.kind, 'open');
  close(p.rho, 0.8, 'ρ from the settings');
  assert.equal(p.stable, true);
  close(p.waitProbability, src.q.erlangC(4, 3.2), 'Erlang C');
  close(p.erlangCWaitMs, src.q.erlangC(4, 3.2) / (4 / 25 - 0.128), 'M/M/c wait');
  const cs2 = 100 / 12 / 625;
  close(p.allenCunneenWaitMs, (p.erlangCWaitMs * (1 + cs2)) / 2, 'Allen–Cunneen');
  assert.ok(p.measuredAllenCunneenWaitMs > 0);
  assert.match(src.theory.figure(p.rho), /^0\.8$/);
});

test('Allen–Cunneen predicts a long simulated M/G/c queue\'s mean wait within 15 %', () => {
  const settings = settingsFor({ workers: 4, tasks: 60_000, sleepMin: 20, sleepMax: 30, arrivalRate: 128 });
  const { events, summary } = simulate({ tasks: 60_000, workers: 4, rate: 128, sleep: [20, 30], seed: 7 });
  const t = src.theory.theoryOf({ settings, summary, events, cores: 8 });
  const ratio = t.waitMs / t.prediction.allenCunneenWaitMs;
  assert.ok(Math.abs(ratio - 1) < 0.15, `measured ${t.waitMs} ms, Allen–Cunneen ${t.prediction.allenCunneenWaitMs} ms`);
  assert.ok(t.waitMs < 0.75 * t.prediction.erlangCWaitMs, 'evenly spread task times wait well under M/M/c');
});

test('a batch: no steady-state prediction, the makespan ceil(n/c)·S and the wait through the bounded queue', () => {
  const settings = settingsFor({});
  const { events, summary } = simulate({ tasks: 1000, workers: 8, rate: null, sleep: [5, 20] });
  const t = src.theory.theoryOf({ settings, summary, events, cores: 8 });
  assert.equal(t.mode, 'batch');
  assert.equal(t.lambdaPerSec, Infinity, 'all enqueued at t = 0');
  assert.equal(t.rho, Infinity);
  const p = t.prediction;
  assert.equal(p.kind, 'batch');
  close(p.makespanMs, 125 * 12.5, 'ceil(1000/8) rounds of 12.5 ms');
  close(p.waitMs, src.q.batchWait(1000, 8, 12.5, 100), 'through a queue of 100');
  close(p.measuredMakespanMs, summary.lastResultMs - summary.firstStartMs, 'the busy window');
  assert.ok(Math.abs(p.measuredMakespanMs / p.makespanMs - 1) < 0.05, 'the simulated batch takes about ceil(n/c)·S');
  assert.ok(t.little.error < 1e-9, "Little's law holds for a batch too");
});

test('caveats: backpressure, connections, CPU tasks, a sample, a cancel; one worker per task counts its threads', () => {
  const settings = settingsFor({ workers: 4, tasks: 200, sleepMin: 20, sleepMax: 30, arrivalRate: 500, connections: 2, queueCapacity: 10 });
  const run = simulate({ tasks: 200, workers: 2, rate: 500, sleep: [20, 30] });
  const t = src.theory.theoryOf({ settings, ...run, summary: { ...run.summary, submitsBlocked: 17, timelineEvery: 2, aborted: true }, cores: 8, resizes: 1 });
  const text = t.caveats.join('\n');
  assert.match(text, /full 17 times and the feeder had to wait \(backpressure\)/);
  assert.match(text, /Only 2 connections: .* c = 2/);
  assert.match(text, /1 task in 2/);
  assert.match(text, /cancelled/);
  assert.match(text, /resized/);
  assert.equal(t.prediction.servers, 2, 'the connections bound the servers');
  close(t.prediction.rho, (0.5 * 25) / 2, 'ρ = 6.25');
  assert.equal(t.prediction.stable, false);
  assert.equal(t.prediction.allenCunneenWaitMs, null, 'no steady state, no prediction');

  const cpu = src.theory.theoryOf({ settings: settingsFor({ kind: 'cpu', workers: 8 }), ...simulate({ tasks: 50, workers: 8, rate: null, sleep: [2, 4] }), cores: 2 });
  assert.equal(cpu.prediction.servers, 2, 'CPU tasks: no more at once than the cores');
  assert.equal(cpu.prediction.fromSettings, false, 'their S is measured');
  assert.match(cpu.caveats.join(' '), /2 cores/);

  const spawnRun = simulate({ tasks: 30, workers: 30, rate: null, sleep: [5, 6] });
  const spawn = src.theory.theoryOf({ settings: settingsFor({ strategy: 'spawn-per-task', tasks: 30 }), ...spawnRun, summary: { ...spawnRun.summary, strategy: 'spawn-per-task', peakThreads: 30 }, cores: 8 });
  assert.equal(spawn.servers, 30);
  assert.equal(spawn.prediction.waitMs, null);
});

test('figures as the panel shows them', () => {
  const f = src.theory.figure;
  assert.equal(f(0.8), '0.8');
  assert.equal(f(0.123456), '0.123');
  assert.equal(f(12.345), '12.3');
  assert.equal(f(1234.5), '1,235');
  assert.equal(f(Infinity), '∞');
  assert.equal(f(null), '–');
  assert.equal(src.theory.difference(0.0001), 'under 0.05 %');
  assert.equal(src.theory.difference(0.012), '1.2 %');
});

test('the sweep: its worker counts, its default limit, the theory curves and the knee', () => {
  const s = src.sweep;
  assert.deepEqual(s.sweepCounts(16), [1, 2, 4, 8, 16]);
  assert.deepEqual(s.sweepCounts(24), [1, 2, 4, 8, 16, 24]);
  assert.deepEqual(s.sweepCounts(4), [1, 2, 4]);
  assert.deepEqual(s.sweepCounts(1), [1]);
  assert.equal(s.defaultLimit(8), 16);
  assert.equal(s.defaultLimit(40), 40);
  assert.equal(s.defaultLimit(256), 64);

  // Open arrivals: throughput min(λ, c/S); no steady state (no wait) while c ≤ λS = 3.2.
  const open = settingsFor({ workers: 4, tasks: 400, sleepMin: 20, sleepMax: 30, arrivalRate: 128 });
  const curve = s.sweepTheory(open, [], 16, 8);
  assert.deepEqual(curve.workers, Array.from({ length: 16 }, (_, i) => i + 1));
  close(curve.throughput[0], 40, '1 worker: 1/S = 40 tasks/s');
  close(curve.throughput[3], 128, '4 workers: λ');
  close(curve.throughput[15], 128, 'never past λ');
  assert.deepEqual(curve.waitMs.slice(0, 3), [null, null, null]);
  close(curve.waitMs[3], src.q.allenCunneenWait(0.128, 25, 4, 1, 100 / 12 / 625), 'Allen–Cunneen at 4');
  assert.ok(curve.waitMs[15] < curve.waitMs[4] && curve.waitMs[4] < curve.waitMs[3], 'the wait falls with more workers');

  // A batch: c/S until c reaches n.
  const batch = settingsFor({ tasks: 10, sleepMin: 10, sleepMax: 10 });
  const b = s.sweepTheory(batch, [], 16, 8);
  close(b.throughput[0], 100, '1 worker: 1/S');
  close(b.throughput[7], 800, '8 workers: 8/S');
  close(b.throughput[15], 1000, 'no more than n at once');
  close(b.waitMs[0], src.q.batchWait(10, 1, 10, 100), 'the batch wait');

  // The knee: the fewest workers within 10 % of the best measured throughput.
  const points = [[1, 40], [2, 80], [4, 125], [8, 128], [16, 127]].map(([workers, throughputPerSec]) => ({ workers, throughputPerSec, tasks: 400, meanWaitMs: 1, meanServiceMs: 25, serviceCs2: 0.01, elapsedMs: 1, submitsBlocked: 0 }));
  assert.equal(s.knee(points).workers, 4);
  assert.match(s.sweepSentence(open, points, curve), /within 10 % of its best from 4 workers on \(the knee\)/);
  const rising = points.map((p) => ({ ...p, throughputPerSec: 40 * p.workers }));
  assert.equal(s.knee(rising).workers, 16);
  assert.match(s.sweepSentence(batch, rising, b), /still rising at the last point: the knee \(where more workers stop helping\) lies beyond 16 workers\./);

  // CPU tasks: S and Cs² come from the points.
  const cpu = s.sweepTheory(settingsFor({ kind: 'cpu', tasks: 100 }), points, 4, 2);
  close(cpu.serviceMs, 25, 'the measured S');
  assert.equal(cpu.fromSettings, false);
  close(cpu.throughput[3], 2 / 25 * 1000, '4 workers on 2 cores: 2/S');
});
