// The benchmark report: the table and the "against the goals" lines, rendered
// from bench/results.json, and the README section that holds them. Every
// figure and every verdict comes from the results file; nothing is typed by
// hand.
//   node scripts/bench-report.mjs [results.json]   rewrites the README section
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const README = join(root, 'README.md');
export const RESULTS = join(root, 'bench/results.json');
export const BEGIN = '<!-- bench:begin (generated from bench/results.json by scripts/bench-report.mjs: do not edit) -->';
export const END = '<!-- bench:end -->';

const f = (x, digits = 2) =>
  x === undefined || x === null || Number.isNaN(x)
    ? '–'
    : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const n = (x) => x.toLocaleString('en-US');

/** The goals, each checked against the results: [label, goal, measured, met]. */
function goals(r) {
  const b = (key) => r.browser[key]?.median;
  const d = r.derived;
  const dispatch2 = d.dispatchUsPerTask['2'];
  const native2 = r.native.dispatch['2'].median;
  const ready = b('idle8.readyMs');
  return [
    ['Dispatch overhead', '≤ 0.2 µs per task at 2 workers',
      `${f(dispatch2, 3)} µs in the browser, ${f(native2, 3)} µs natively`, dispatch2 <= 0.2],
    ['CPU-bound speed-up', '≥ ×1.9 at 2 workers, within 5 % of rayon',
      `×${f(d.speedup.pool2, 4)}; pool/rayon time at 2 threads ${f(d.poolVsRayonAt2)}`,
      d.speedup.pool2 >= 1.9 && Math.abs(d.poolVsRayonAt2 - 1) <= 0.05],
    ['wasm against native', '≤ ×1.1 on the same code, 1 worker', `×${f(d.wasmVsNative1Worker)}`, d.wasmVsNative1Worker <= 1.1],
    ['An 8-worker pool ready', '≤ 100 ms from run() to its last worker running', `${f(ready, 1)} ms`, ready <= 100],
    ...warmGoals(r),
  ];
}

/** The goals of warm threads, once a run measured them. */
function warmGoals(r) {
  const b = (key) => r.browser[key]?.median;
  if (b('warm.warm8.firstStartMs') === undefined) return [];
  const first = b('warm.warm8.firstStartMs');
  const spawned = r.browser['warm.warm8.threadsSpawned'].max;
  const dispatch = b('warm.dispatch2.wallUsPerTask');
  const speedup = r.derived.warmSpeedup2;
  return [
    ['A second run of an 8-worker pool', 'first task ≤ 5 ms after run(), no thread started',
      `${f(first, 1)} ms (cold: ${f(b('warm.cold8.firstStartMs'), 1)} ms), ${spawned} threads started`, first <= 5 && spawned === 0],
    ['Warm no-op dispatch', `≤ 0.3 µs per task at 2 workers, from run() to its resolution`, `${f(dispatch, 3)} µs`, dispatch <= 0.3],
    ['Warm CPU-bound speed-up', '≥ ×1.85 at 2 workers, as wall time (1, 2, 2, 1 workers in each round)',
      `×${f(speedup, 4)}${r.derived.referenceSpeedup2 === undefined ? '' : ` (the reference without the pool: ×${f(r.derived.referenceSpeedup2, 4)} in the same rounds)`}`,
      speedup >= 1.85],
  ];
}

/** The README section's body: machine, table, ratios, goals. */
export function render(r) {
  const s = r.browser;
  const m = (key) => s[key]?.median;
  const sizes = r.sizes;
  const row = (label, key, unit, digits) =>
    `| ${label} | ${f(m(key), digits)}${unit ? ` ${unit}` : ''} | ${f(s[key]?.min, digits)} – ${f(s[key]?.max, digits)} |`;
  const d = r.derived;
  const lines = [
    `Recorded by \`npm run bench\` on ${r.date.slice(0, 10)}: ${r.machine.cpus} cores (${r.machine.cpu}), ` +
      `Chromium ${r.machine.chromium}${r.machine.firefox ? ` (Firefox ${r.machine.firefox} for thread start)` : ''}, ` +
      `Node ${r.machine.node}; median of ${r.rounds} round(s)` +
      `${r.smoke ? ' (SMOKE sizes: not for comparison)' : ''}.`,
    '',
    '| scenario | median | min – max |',
    '|---|---|---|',
    row(`dispatch, ${n(sizes.dispatchTasks)} no-op tasks, 1 worker`, 'dispatch.pool.1', 'µs/task', 3),
    row('dispatch, 2 workers', 'dispatch.pool.2', 'µs/task', 3),
    row('dispatch, 8 workers', 'dispatch.pool.8', 'µs/task', 3),
    `| dispatch, native, 2 / 8 workers | ${f(r.native.dispatch['2'].median, 3)} / ${f(r.native.dispatch['8'].median, 3)} µs/task | |`,
    row(`CPU ${n(sizes.cpuTasks)} × doWork(${n(sizes.cpuIterations)}), pool 1 worker`, 'cpu.pool.1', 'ms', 1),
    row('CPU, pool 2 workers', 'cpu.pool.2', 'ms', 1),
    row('CPU, pool 4 workers', 'cpu.pool.4', 'ms', 1),
    row('CPU, rayon 2 threads', 'cpu.rayon.2', 'ms', 1),
    row('CPU, rayon 4 threads', 'cpu.rayon.4', 'ms', 1),
    `| CPU, native serial / 2 workers | ${f(r.native.cpu.serial.median, 1)} / ${f(r.native.cpu.pool['2'].median, 1)} ms | |`,
    row(`${n(sizes.spawnTasks)} tasks, pool of 8: wall`, 'spawn.pool.wallMs', 'ms', 1),
    row(`${n(sizes.spawnTasks)} tasks, one worker per task: wall`, 'spawn.spawn-per-task.wallMs', 'ms', 1),
    row('one worker per task: start-up p50', 'spawn.spawn-per-task.startupP50Ms', 'ms', 1),
    row('one worker per task: peak threads', 'spawn.spawn-per-task.peakThreads', '', 0),
    row('one worker per task: shared memory growth', 'spawn.spawn-per-task.memoryMB', 'MB', 1),
    row('pool of 8: shared memory growth', 'spawn.pool.memoryMB', 'MB', 1),
    row('idle pool of 8: ready (last worker running)', 'idle8.readyMs', 'ms', 1),
    row('idle pool of 8: shared memory', 'idle8.memoryMB', 'MB', 1),
    // Results recorded before warm threads existed have no warm rows.
    ...(s['warm.cold8.firstStartMs'] ? [
      row('warm: 8-worker pool, first task after run(), first run', 'warm.cold8.firstStartMs', 'ms', 1),
      row('warm: 8-worker pool, first task after run(), second run', 'warm.warm8.firstStartMs', 'ms', 1),
      row(`warm: ${n(sizes.dispatchTasks)} no-op tasks, 2 workers, run() to resolution (the second such run)`, 'warm.dispatch2.wallUsPerTask', 'µs/task', 3),
      row('warm: CPU, pool 1 worker, wall', 'warm.cpu1.wallMs', 'ms', 1),
      row('warm: CPU, pool 2 workers, wall', 'warm.cpu2.wallMs', 'ms', 1),
      // Results recorded before the reference existed have no reference rows.
      ...(s['warm.reference1.wallMs'] ? [
        row(`reference without the pool (plain workers, a plain wasm loop of ${n(sizes.referenceIterations)} iterations a task), 1 worker, wall`, 'warm.reference1.wallMs', 'ms', 1),
        row('reference without the pool, 2 workers, wall', 'warm.reference2.wallMs', 'ms', 1),
      ] : []),
    ] : []),
    // Results recorded before start latency was measured per engine have no such rows.
    ...(s['startup.chromium.p50Ms'] ? [
      row(`thread start, Chromium, p50 (${n(sizes.startupTasks)} threads, one per task, ${sizes.startupAtOnce} starting at once)`, 'startup.chromium.p50Ms', 'ms', 1),
      row('thread start, Chromium, p95', 'startup.chromium.p95Ms', 'ms', 1),
      ...(s['startup.firefox.p50Ms'] ? [
        row(`thread start, Firefox ${r.machine.firefox}, p50`, 'startup.firefox.p50Ms', 'ms', 1),
        row('thread start, Firefox, p95', 'startup.firefox.p95Ms', 'ms', 1),
      ] : [`| thread start, Firefox | not measured: Firefox ESR was missing | |`]),
    ] : []),
    '',
    `Speed-up on CPU work (median of same-round ratios): pool ×${f(d.speedup.pool2)} at 2 workers, ×${f(d.speedup.pool4)} at 4; ` +
      `rayon ×${f(d.speedup.rayon2)} at 2. Pool/rayon time at 2: ${f(d.poolVsRayonAt2)}. ` +
      `wasm/native, same round (1 worker, same code): ${f(d.wasmVsNative1Worker)}` +
      `${d.wasmVsNativeDispatch2 === undefined ? '' : `; no-op dispatch at 2 workers: ${f(d.wasmVsNativeDispatch2)}`}. ` +
      `One worker per task took ×${f(d.spawnVsPoolWall, 1)} the pool's wall time, ` +
      `with a median of ${f(m('spawn.spawn-per-task.startupP50Ms'), 0)} ms from spawning a task's worker to its first instruction.` +
      (d.referenceSpeedup2 === undefined ? '' : ` Warm CPU work at 2 workers: pool ×${f(d.warmSpeedup2)}, the reference without the pool ` +
        `×${f(d.referenceSpeedup2)} (pool/reference ${f(d.warmSpeedup2VsReference)}, same-round ratios): the reference is two plain Web Workers ` +
        'that claim task numbers from a SharedArrayBuffer counter: what two threads of this browser reached on this machine in those rounds, with no pool.'),
    '',
    'Against the goals, in this run:',
    '',
    ...goals(r).map(([label, goal, measured, met]) => `- **${label}** (goal ${goal}): ${measured}: **${met ? 'met' : 'not met'}**.`),
  ];
  return lines.join('\n');
}

/** The README with its generated section replaced by `body`. */
export function withSection(readme, body) {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no ${BEGIN} … ${END} section`);
  return `${readme.slice(0, begin + BEGIN.length)}\n${body}\n${readme.slice(end)}`;
}

/** The generated section as it is in the README now. */
export function currentSection(readme) {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) return null;
  return readme.slice(begin + BEGIN.length, end).trim();
}

export function writeReadme(results) {
  writeFileSync(README, withSection(readFileSync(README, 'utf8'), render(results)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = resolve(process.argv[2] ?? RESULTS);
  writeReadme(JSON.parse(readFileSync(file, 'utf8')));
  console.error(`bench-report: README.md's benchmark section now shows ${file}`);
}
