// A/B rounds of the warm per-task benchmarks, for measuring one change:
//   node scripts/bench-ab.mjs --save NAME       keeps the current build (pkg/, dist/) as NAME
//   node scripts/bench-ab.mjs A B [--rounds N]  alternates A and B, a fresh page each
// Kept builds live in target/ab/ (ignored by git). Each round runs A then B
// (B then A in odd rounds, so that drift within a round hits both alike)
// through the package API, each on its own page, after two warm-up rounds:
// 100,000 no-op tasks at 2 workers and 200 × doWork(1e6) at 1 and 2 workers,
// each timed from run() to its resolution. Ratios are B/A within a round.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { API_FIXTURE, launch, openPage, root, serveRepo } from '../tests/helpers.mjs';

const args = process.argv.slice(2);
const AB = join(root, 'target/ab');
if (args[0] === '--save') {
  const name = args[1];
  if (!name || !/^[\w.-]+$/.test(name)) throw new Error('--save needs a NAME (letters, digits, . _ -)');
  rmSync(join(AB, name), { recursive: true, force: true });
  for (const dir of ['pkg', 'dist']) {
    if (!existsSync(join(root, dir))) throw new Error(`${dir}/ is missing: run npm run build:wasm and npm run build:lib first`);
    cpSync(join(root, dir), join(AB, name, dir), { recursive: true });
  }
  console.log(`kept the current build as target/ab/${name}`);
  process.exit(0);
}
const names = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds');
if (names.length !== 2) throw new Error('usage: bench-ab.mjs A B [--rounds N]  (or --save NAME)');
for (const name of names) if (!existsSync(join(AB, name, 'dist/index.js'))) throw new Error(`no kept build target/ab/${name}: run --save ${name} first`);
const rounds = Number(args.includes('--rounds') ? args[args.indexOf('--rounds') + 1] : 5);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const browser = await launch();
const server = await serveRepo();

// One page per build for the whole session, warmed up once (V8 compiles
// wasm in tiers in the background: the first seconds of a fresh page run
// slower code while a core compiles).
const pages = {};
for (const name of names) {
  const page = await openPage(browser, server.url + API_FIXTURE);
  await page.evaluate(async (url) => {
    const api = await import(url);
    window.bench = await api.createPlayground();
  }, `/target/ab/${name}/dist/index.js`);
  pages[name] = page;
}

/** One round on `name`'s page: the three runs, on its parked threads. */
async function measure(name) {
  const page = pages[name];
  const result = await page.evaluate(async () => {
    const playground = window.bench;
    const noop = { strategy: 'pool', workers: 2, tasks: 100_000, kind: 'noop', failureRate: 0, queueCapacity: 4096 };
    const cpu = { strategy: 'pool', tasks: 200, kind: 'cpu', cpuIterations: [1_000_000, 1_000_000], failureRate: 0, queueCapacity: 256 };
    // Timed once the previous run's threads are parked again (a moment
    // after its end), so that no run of the rounds starts a thread.
    let spawned = 0;
    const timed = async (config) => {
      // (playground.info is the runtime's start: refreshInfo() says now.)
      let info = await playground.refreshInfo();
      for (let i = 0; i < 500 && info.warmThreads < config.workers + 1; i++) {
        await new Promise((r) => setTimeout(r, 2));
        info = await playground.refreshInfo();
      }
      const before = info.threadsSpawned;
      const t0 = performance.now();
      const summary = await playground.run(config);
      const wallMs = performance.now() - t0;
      spawned += (await playground.refreshInfo()).threadsSpawned - before;
      return { wallMs, summary };
    };
    const dispatch = await timed(noop);
    const one = await timed({ ...cpu, workers: 1 });
    const two = await timed({ ...cpu, workers: 2 });
    const busy = (s) => s.lastResultMs - s.firstStartMs;
    return {
      noopUs: (dispatch.wallMs * 1000) / 100_000,
      noopBusyUs: (busy(dispatch.summary) * 1000) / 100_000,
      // Outside the busy window: run() to the first start, the last result to run()'s resolution.
      noopHeadMs: dispatch.summary.firstStartMs,
      noopTailMs: dispatch.wallMs - dispatch.summary.lastResultMs,
      cpu1Ms: one.wallMs,
      cpu2Ms: two.wallMs,
      spawned,
    };
  });
  if (page.errors.length) throw new Error(`${name}: ${page.errors.join('; ')}`);
  if (result.spawned) console.error(`${name}: ${result.spawned} thread(s) started during timed runs`);
  return result;
}

// Warm-up rounds, not counted: the wasm tiers up, the memory grows once.
for (let i = 0; i < 2; i++) for (const name of names) await measure(name);
const samples = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < rounds; round++) {
  for (const name of round % 2 ? [...names].reverse() : names) samples[name].push(await measure(name));
  const [a, b] = names.map((n) => samples[n][round]);
  console.error(`round ${round + 1}/${rounds}: noop ${a.noopUs.toFixed(3)} → ${b.noopUs.toFixed(3)} µs/task, cpu ×${(a.cpu1Ms / a.cpu2Ms).toFixed(2)} → ×${(b.cpu1Ms / b.cpu2Ms).toFixed(2)}`);
}
await browser.close();
await server.close();

const [A, B] = names;
const keys = ['noopUs', 'noopBusyUs', 'noopHeadMs', 'noopTailMs', 'cpu1Ms', 'cpu2Ms'];
console.log(`${rounds} rounds, ${new Date().toISOString()}; medians, and B/A within each round`);
console.log(`| figure | ${A} | ${B} | ${B}/${A} |\n|---|---|---|---|`);
for (const key of keys) {
  const ratio = median(samples[A].map((a, i) => samples[B][i][key] / a[key]));
  console.log(`| ${key} | ${median(samples[A].map((s) => s[key])).toFixed(3)} | ${median(samples[B].map((s) => s[key])).toFixed(3)} | ${ratio.toFixed(3)} |`);
}
const speedup = (n) => median(samples[n].map((s) => s.cpu1Ms / s.cpu2Ms));
console.log(`| CPU speed-up at 2 | ×${speedup(A).toFixed(2)} | ×${speedup(B).toFixed(2)} | |`);
