// npm run bench: the pool against one-worker-per-task, rayon and native, in
// headless Chromium (through the package API) and natively (cargo).
//   node scripts/bench.mjs [--smoke] [--rounds N] [--out bench/results.json] [--only dispatch|cpu|spawn|idle|warm|startup]
// Each scenario is repeated (median, min, max over rounds); within a round
// the variants alternate, so drift hits all alike, and every round measures
// natively too, so that wasm/native ratios come from one round. Each browser measurement
// gets a fresh runtime (a new orchestrator and wasm memory), except the warm
// ones, which run one after the other on one runtime whose threads are
// parked between runs, timed from run() to its resolution. Beside the warm
// CPU runs, a reference without the pool (scripts/reference-pool.js) shows
// what two threads of the browser reached in the same round.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { FIREFOX, launchFirefox } from '../tests/firefox/launch.mjs';
import { API_FIXTURE, launch, openPage, root, serveRepo } from '../tests/helpers.mjs';
import { render, RESULTS, writeReadme } from './bench-report.mjs';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const flag = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rounds = Number(flag('--rounds', smoke ? 1 : 5));
const out = resolve(root, flag('--out', 'bench/results.json'));
const size = (full, small) => (smoke ? small : full);

const DISPATCH_TASKS = size(100_000, 2_000);
const ONLY = flag("--only", null);
const CPU_TASKS = size(200, 8);
const CPU_ITERATIONS = size(1_000_000, 100_000);
const SPAWN_TASKS = size(200, 8);
// Thread start latency per engine: one thread per task, STARTUP_TASKS of them
// with at most STARTUP_AT_ONCE starting at once (the figure is a thread's own
// start, not a queue of starts behind it).
const STARTUP_TASKS = size(64, 16);
const STARTUP_AT_ONCE = 8;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const stat = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), samples: xs });

function sh(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed (${result.status})`);
  return result.stdout;
}

// ---- native: the same core on std threads, one round at a time ------------
console.error('bench: building the native benchmark');
sh('cargo', ['bench', '--quiet', '-p', 'wasm-worker-pool', '--bench', 'native', '--no-run'], { stdio: ['ignore', 'ignore', 'inherit'] });
/** One native round (`cargo bench --bench native -- --json --rounds 1`), run between two browser rounds. */
const nativeRound = () => JSON.parse(sh('cargo', ['bench', '--quiet', '-p', 'wasm-worker-pool', '--bench', 'native', '--',
  '--json', '--rounds', '1', '--dispatch-tasks', String(DISPATCH_TASKS),
  '--cpu-tasks', String(CPU_TASKS), '--cpu-iterations', String(CPU_ITERATIONS)]));

// ---- browser ----------------------------------------------------------------
console.error('bench: building the optimised wasm and the package');
sh('npm', ['run', '--silent', 'build:wasm'], { stdio: ['ignore', 'inherit', 'inherit'] });
sh('npm', ['run', '--silent', 'build:lib'], { stdio: ['ignore', 'inherit', 'inherit'] });

const browser = await launch();
const server = await serveRepo();
const page = await openPage(browser, server.url + API_FIXTURE);
await page.waitForFunction(() => window.api !== undefined);
const chromium = browser.version();
// The second engine, for thread start latency only (the BiDi route of
// tests/firefox/); without Firefox ESR the bench says so and goes on. It runs
// only for its own measurement: left open, an idle Firefox took 2.5 % of a
// core (250 ms of CPU in 10 s) from every Chromium measurement.
const firefoxWanted = !ONLY || ONLY === 'startup';
if (firefoxWanted && !existsSync(FIREFOX)) {
  console.error(`bench: ${FIREFOX} is missing (apt-get install firefox-esr): no Firefox start latency in this run`);
}
let firefoxVersion = null;
/** Runs `measure` on a Firefox page with the API, then closes Firefox; null without Firefox ESR. */
async function inFirefox(measure) {
  if (!firefoxWanted || !existsSync(FIREFOX)) return null;
  const firefox = await launchFirefox();
  try {
    firefoxVersion = firefox.version();
    const target = await (await firefox.newContext()).newPage();
    await target.goto(server.url + API_FIXTURE);
    await target.waitForFunction(() => window.api !== undefined);
    return await measure(target);
  } finally {
    await firefox.close();
  }
}

/** Start latency of one-worker-per-task threads on `target` (a page with the API): p50 and p95 in ms. */
function measureStartup(target) {
  return target.evaluate(async ([tasks, spawnCap]) => {
    const playground = await window.api.createPlayground();
    try {
      const summary = await playground.run({ strategy: 'spawn-per-task', tasks, kind: 'noop', failureRate: 0, spawnCap });
      if (summary.succeeded !== tasks) throw new Error(`start-up run: ${summary.succeeded} of ${tasks} tasks succeeded`);
      return { p50: summary.workerStartup.p50Us / 1000, p95: summary.workerStartup.p95Us / 1000 };
    } finally {
      playground.dispose();
    }
  }, [STARTUP_TASKS, STARTUP_AT_ONCE]);
}

/**
 * Runs on one runtime, one after the other: `configs[i]` is timed from run()
 * to its resolution, once the threads of the run before have parked again
 * (a moment after its end); returns each summary, that wall time, and the
 * threads each run started.
 */
function measureInOrder(configs) {
  return page.evaluate(async (configs) => {
    const playground = await window.api.createPlayground();
    const runs = [];
    for (const config of configs) {
      let info = await playground.refreshInfo();
      const parking = runs.length === 0 ? 0 : Math.min(runs.at(-1).threads, config.workers + 1);
      for (let wait = 0; info.warmThreads < parking && wait < 250; wait++) {
        await new Promise((r) => setTimeout(r, 2));
        info = await playground.refreshInfo();
      }
      const spawnedBefore = info.threadsSpawned;
      const t0 = performance.now();
      const summary = await playground.run(config);
      const wallMs = performance.now() - t0;
      const after = await playground.refreshInfo();
      runs.push({ summary, wallMs, spawned: after.threadsSpawned - spawnedBefore, threads: after.liveThreads });
    }
    playground.dispose();
    return runs;
  }, configs);
}

/**
 * The reference for CPU speed-up (scripts/reference-pool.js): two plain
 * workers on the page, started once, that run CPU_TASKS tasks of a plain
 * wasm loop; `iterations` is set so that one worker takes as long as the
 * pool's one worker (calibrate()).
 */
const reference = {
  iterations: 0,
  async start() {
    await page.evaluate(async () => {
      const { startReferencePool } = await import('/scripts/reference-pool.js');
      window.reference = await startReferencePool(2);
    });
  },
  /** Wall times (ms) at `workers`, one after the other. */
  run(workers, iterations = this.iterations) {
    return page.evaluate(async ([workers, tasks, iterations]) => {
      const walls = [];
      for (const count of workers) walls.push(await window.reference.run(count, tasks, iterations));
      return walls;
    }, [workers, CPU_TASKS, iterations]);
  },
  /** Sets `iterations` so that the reference's one worker lasts `poolOneMs`. */
  async calibrate(poolOneMs) {
    const walls = await this.run([1, 1, 1], CPU_ITERATIONS);
    this.iterations = Math.round((CPU_ITERATIONS * poolOneMs) / median(walls));
  },
};

/** One measurement on a fresh runtime: run `config`, return summary + memory + worker readiness. */
function measure(config) {
  return page.evaluate(async (config) => {
    const playground = await window.api.createPlayground();
    const before = playground.info.memoryBytes;
    const firstStart = new Map();
    const summary = await playground.run(config, {
      onProgress: ({ events }) => {
        for (const e of events) if (e.workerId >= 0 && e.startedMs >= 0 && !firstStart.has(e.workerId)) firstStart.set(e.workerId, e.startedMs);
      },
    });
    playground.dispose();
    return { summary, memoryBefore: before, readyMs: Math.max(...firstStart.values()) };
  }, config);
}
const busyMs = (s) => s.lastResultMs - s.firstStartMs;

const samples = {};
const add = (key, value) => (samples[key] ??= []).push(value);
const nativeSamples = {};
for (let round = 1; round <= rounds; round++) {
  console.error(`bench: round ${round}/${rounds}: native`);
  const n = nativeRound();
  for (const workers of ['1', '2', '8']) (nativeSamples[`dispatch.${workers}`] ??= []).push(n.dispatch[workers].median);
  (nativeSamples['cpu.serial'] ??= []).push(n.cpu.serial.median);
  for (const workers of ['1', '2', '4']) (nativeSamples[`cpu.pool.${workers}`] ??= []).push(n.cpu.pool[workers].median);
  console.error(`bench: round ${round}/${rounds}: browser`);
  const want = (name) => !ONLY || ONLY === name;
  for (const workers of want('dispatch') ? [1, 2, 8] : []) {
    const { summary } = await measure({ strategy: 'pool', workers, tasks: DISPATCH_TASKS, kind: 'noop', failureRate: 0, queueCapacity: 4096 });
    add(`dispatch.pool.${workers}`, (busyMs(summary) * 1000) / summary.tasks);
  }
  const cpu = { tasks: CPU_TASKS, kind: 'cpu', cpuIterations: [CPU_ITERATIONS, CPU_ITERATIONS], failureRate: 0, queueCapacity: 256 };
  for (const [strategy, workers] of want('cpu') ? [['pool', 1], ['rayon', 2], ['pool', 2], ['rayon', 4], ['pool', 4]] : []) {
    const { summary } = await measure({ ...cpu, strategy, workers });
    add(`cpu.${strategy}.${workers}`, busyMs(summary));
  }
  for (const strategy of want('spawn') ? ['pool', 'spawn-per-task'] : []) {
    const { summary, memoryBefore } = await measure({ strategy, workers: 8, tasks: SPAWN_TASKS, kind: 'cpu', cpuIterations: [100_000, 100_000], failureRate: 0 });
    add(`spawn.${strategy}.wallMs`, summary.elapsedMs);
    add(`spawn.${strategy}.firstResultMs`, summary.firstResultMs);
    add(`spawn.${strategy}.peakThreads`, summary.peakThreads);
    add(`spawn.${strategy}.memoryMB`, (summary.memoryBytes - memoryBefore) / 2 ** 20);
    if (summary.workerStartup) add(`spawn.${strategy}.startupP50Ms`, summary.workerStartup.p50Us / 1000);
  }
  if (want('warm')) {
    // An 8-worker pool twice (cold, then on its parked threads); then, warm,
    // no-op dispatch at 2 workers (after one untimed run of the same size:
    // the memory a first big run grows is a first-run cost) and CPU work at
    // 1, 2, 2 and 1 workers (ABBA: drift within the round hits both alike).
    const idle8 = { strategy: 'pool', workers: 8, tasks: 8, kind: 'sleep', sleepMs: [20, 20], failureRate: 0 };
    const noop2 = { strategy: 'pool', workers: 2, tasks: DISPATCH_TASKS, kind: 'noop', failureRate: 0, queueCapacity: 4096 };
    const cpu1 = { ...cpu, strategy: 'pool', workers: 1 };
    const cpu2 = { ...cpu, strategy: 'pool', workers: 2 };
    const [cold, warm, , dispatch, oneA, twoA, twoB, oneB] = await measureInOrder([idle8, idle8, noop2, noop2, cpu1, cpu2, cpu2, cpu1]);
    add('warm.cold8.firstStartMs', cold.summary.firstStartMs);
    add('warm.warm8.firstStartMs', warm.summary.firstStartMs);
    add('warm.warm8.threadsSpawned', warm.spawned);
    add('warm.dispatch2.wallUsPerTask', (dispatch.wallMs * 1000) / dispatch.summary.tasks);
    add('warm.dispatch2.threadsSpawned', dispatch.spawned);
    add('warm.cpu1.wallMs', (oneA.wallMs + oneB.wallMs) / 2);
    add('warm.cpu2.wallMs', (twoA.wallMs + twoB.wallMs) / 2);
    // Then the reference, the same way (1, 2, 2, 1): what two threads of
    // this browser reached in this round, without the pool.
    if (!reference.iterations) {
      await reference.start();
      await reference.calibrate((oneA.wallMs + oneB.wallMs) / 2);
    }
    const [refOneA, refTwoA, refTwoB, refOneB] = await reference.run([1, 2, 2, 1]);
    add('warm.reference1.wallMs', (refOneA + refOneB) / 2);
    add('warm.reference2.wallMs', (refTwoA + refTwoB) / 2);
  }
  if (want('startup')) {
    // One engine at a time.
    for (const [engine, measureIn] of [['chromium', () => measureStartup(page)], ['firefox', () => inFirefox(measureStartup)]]) {
      const startup = await measureIn();
      if (!startup) continue;
      add(`startup.${engine}.p50Ms`, startup.p50);
      add(`startup.${engine}.p95Ms`, startup.p95);
    }
  }
  if (!want('idle')) continue;
  const idle = await measure({ strategy: 'pool', workers: 8, tasks: 8, kind: 'sleep', sleepMs: [20, 20], failureRate: 0 });
  add('idle8.readyMs', idle.readyMs);
  add('idle8.memoryMB', (idle.summary.memoryBytes - idle.memoryBefore) / 2 ** 20);
}
await browser.close();
await server.close();

const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, stat(v)]));
const ns = (key) => stat(nativeSamples[key]);
const native = {
  dispatch: { 1: ns('dispatch.1'), 2: ns('dispatch.2'), 8: ns('dispatch.8') },
  cpu: { serial: ns('cpu.serial'), pool: { 1: ns('cpu.pool.1'), 2: ns('cpu.pool.2'), 4: ns('cpu.pool.4') } },
};
const m = (key) => s[key]?.median;
/** a/b within each round, or undefined when either was not measured. */
const perRound = (a, b) => (samples[a] && samples[b] ? samples[a].map((x, i) => x / samples[b][i]) : undefined);
/** Median over rounds of a/b taken within each round: drift cancels out. */
const ratio = (a, b) => {
  const ratios = perRound(a, b);
  return ratios && median(ratios);
};
/** The same, of a browser figure over a native one taken in the same round. */
const overNative = (a, b) => (samples[a] ? median(samples[a].map((x, i) => x / nativeSamples[b][i])) : undefined);
const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', chromium, firefox: firefoxVersion, node: process.version },
  smoke, rounds,
  sizes: { dispatchTasks: DISPATCH_TASKS, cpuTasks: CPU_TASKS, cpuIterations: CPU_ITERATIONS, referenceIterations: reference.iterations || null, spawnTasks: SPAWN_TASKS, startupTasks: STARTUP_TASKS, startupAtOnce: STARTUP_AT_ONCE },
  browser: s,
  native,
  derived: {
    dispatchUsPerTask: { 1: m('dispatch.pool.1'), 2: m('dispatch.pool.2'), 8: m('dispatch.pool.8') },
    speedup: { pool2: ratio('cpu.pool.1', 'cpu.pool.2'), pool4: ratio('cpu.pool.1', 'cpu.pool.4'), rayon2: ratio('cpu.pool.1', 'cpu.rayon.2'), rayon4: ratio('cpu.pool.1', 'cpu.rayon.4') },
    poolVsRayonAt2: ratio('cpu.pool.2', 'cpu.rayon.2'),
    wasmVsNative1Worker: overNative('cpu.pool.1', 'cpu.pool.1'),
    wasmVsNativeDispatch2: overNative('dispatch.pool.2', 'dispatch.2'),
    spawnVsPoolWall: ratio('spawn.spawn-per-task.wallMs', 'spawn.pool.wallMs'),
    warmSpeedup2: ratio('warm.cpu1.wallMs', 'warm.cpu2.wallMs'),
    referenceSpeedup2: ratio('warm.reference1.wallMs', 'warm.reference2.wallMs'),
    /** Median over rounds of the pool's speed-up over the reference's, both from that round. */
    warmSpeedup2VsReference: (() => {
      const pool = perRound('warm.cpu1.wallMs', 'warm.cpu2.wallMs');
      const withoutPool = perRound('warm.reference1.wallMs', 'warm.reference2.wallMs');
      return pool && withoutPool ? median(pool.map((x, i) => x / withoutPool[i])) : undefined;
    })(),
  },
};

const md = render(results);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
writeFileSync(out.replace(/\.json$/, '.md'), md + '\n');
console.log(md);
console.error(`bench: wrote ${out} and ${out.replace(/\.json$/, '.md')}`);
// The README shows the recorded run, never a smoke run or a side file.
if (!smoke && out === RESULTS) {
  writeReadme(results);
  console.error('bench: README.md\'s benchmark section now shows this run');
}
