// Compare: the same seeded workload through the pool, one worker per task
// and rayon, side by side. Each strategy runs in a fresh runtime (its own
// orchestrator and shared memory), so that memory starts from the same
// baseline and nothing one run grew is charged to the next. This module runs
// the comparison and renders its results; the Compare tab that starts it and
// shows its progress is views/compare-view.ts.
import type { Playground, Progress, RunSummary, StrategyKind, TimelineEvent } from 'wasm-worker-pool';
import { STRATEGY_LABEL, toRunConfig, type Settings } from './config';
import { bytes, count, ms, times } from './format';
import { finishedCount } from './live';

export const COMPARED: readonly StrategyKind[] = ['pool', 'spawn-per-task', 'rayon'];

export interface CompareResult {
  strategy: StrategyKind;
  summary: RunSummary;
  /** Measured with performance.measureUserAgentSpecificMemory(), or the shared memory size. */
  memoryBytes: number;
  memorySource: 'measured' | 'shared memory';
  /** pool / rayon: until the first task started (paid once); spawn-per-task: median per task. */
  startupMs: number | null;
}

type MeasureMemory = () => Promise<{ bytes: number }>;
const measureApi = (): MeasureMemory | null => {
  const perf = performance as Performance & { measureUserAgentSpecificMemory?: MeasureMemory };
  return crossOriginIsolated && typeof perf.measureUserAgentSpecificMemory === 'function'
    ? perf.measureUserAgentSpecificMemory.bind(perf) : null;
};

function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T | null> {
  return Promise.race([promise.catch(() => null), new Promise<null>((r) => setTimeout(() => r(null), timeoutMs))]);
}

const median = (values: number[]) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

export function startupOf(summary: RunSummary, events: TimelineEvent[]): number | null {
  // One worker per task: the runtime measures each thread from its spawn to
  // its first instruction.
  if (summary.workerStartup && summary.workerStartup.count > 0) return summary.workerStartup.p50Us / 1000;
  const started = events.filter((e) => e.startedMs >= 0);
  if (started.length === 0) return null;
  if (summary.strategy === 'spawn-per-task') return median(started.map((e) => e.startedMs - e.enqueuedMs));
  return started.reduce((m, e) => Math.min(m, e.startedMs), Infinity);
}

/** Whether the last comparison asked performance.measureUserAgentSpecificMemory(). */
let memoryApiUsed = false;

export interface CompareHooks {
  create(): Promise<Playground>;
  signal: AbortSignal;
  onStep(index: number, strategy: StrategyKind, progress: Progress | null): void;
}

export async function runComparison(settings: Settings, hooks: CompareHooks): Promise<{ results: CompareResult[]; cancelled: boolean }> {
  const results: CompareResult[] = [];
  const measure = measureApi();
  for (const [index, strategy] of COMPARED.entries()) {
    if (hooks.signal.aborted) return { results, cancelled: true };
    hooks.onStep(index, strategy, null);
    const playground = await hooks.create();
    try {
      const events: TimelineEvent[] = [];
      let measured: Promise<{ bytes: number } | null> | null = null;
      const summary = await playground.run(toRunConfig(settings, strategy), {
        signal: hooks.signal,
        onProgress: (p) => {
          for (const e of p.events) events.push(e);
          // Ask half way, while the run's threads are alive. Chrome answers at
          // its next garbage collection, so only an answer that arrives while
          // the run is still going describes this run.
          if (measure && !measured && finishedCount(p.stats) >= settings.tasks / 2) measured = measure().catch(() => null);
          hooks.onStep(index, strategy, p);
        },
      });
      if (summary.aborted) return { results, cancelled: true };
      const m = measured ? await within(measured as Promise<{ bytes: number } | null>, 250) : null;
      results.push({
        strategy, summary,
        memoryBytes: m ? m.bytes : summary.memoryBytes,
        memorySource: m ? 'measured' : 'shared memory',
        startupMs: startupOf(summary, events),
      });
    } finally {
      playground.dispose();
    }
  }
  // Mixed sources are not comparable: fall back to shared memory for all.
  memoryApiUsed = measure !== null;
  if (results.some((r) => r.memorySource !== 'measured')) {
    for (const r of results) {
      r.memoryBytes = r.summary.memoryBytes;
      r.memorySource = 'shared memory';
    }
  }
  return { results, cancelled: false };
}

/** One sentence that says what the numbers mean, computed from them. */
export function explain(results: CompareResult[], settings: Settings): string {
  const by = (s: StrategyKind) => results.find((r) => r.strategy === s);
  const pool = by('pool');
  const spawn = by('spawn-per-task');
  const rayon = by('rayon');
  if (!pool || !spawn) return 'The comparison did not finish, so there is nothing to compare yet.';
  const tRatio = spawn.summary.elapsedMs / Math.max(pool.summary.elapsedMs, 0.001);
  const mRatio = spawn.memoryBytes / Math.max(pool.memoryBytes, 1);
  const threads = `peaked at ${count(spawn.summary.peakThreads)} threads against the pool's ${count(pool.summary.peakThreads)}`;
  const memory = mRatio >= 1.1 ? `${times(mRatio)} the memory` : mRatio <= 0.9 ? `${times(1 / mRatio)} less memory` : 'about the same memory';
  const startup = spawn.startupMs !== null ? `each task waited a median ${ms(spawn.startupMs)} for its own Web Worker to start` : 'each task started its own Web Worker';
  let sentence: string;
  if (tRatio >= 1.1) {
    sentence = `One worker per task took ${times(tRatio)} as long as the pool (${ms(spawn.summary.elapsedMs)} against ${ms(pool.summary.elapsedMs)}), ${threads} and used ${memory}, because ${startup} while the pool's ${count(settings.workers)} workers started once and were reused.`;
  } else if (tRatio <= 0.9) {
    sentence = `One worker per task finished ${times(1 / tRatio)} faster than the pool (${ms(spawn.summary.elapsedMs)} against ${ms(pool.summary.elapsedMs)}) because it ran up to ${count(spawn.summary.peakThreads)} tasks at once instead of ${count(settings.workers)}, but it ${threads}, used ${memory}, and ${startup}: with more tasks or less waiting per task that cost dominates.`;
  } else {
    sentence = `One worker per task took about as long as the pool (${ms(spawn.summary.elapsedMs)} against ${ms(pool.summary.elapsedMs)}) but ${threads} and used ${memory}; ${startup}.`;
  }
  if (rayon) sentence += ` rayon, with ${count(settings.workers)} threads, took ${ms(rayon.summary.elapsedMs)}.`;
  return sentence;
}

interface Metric { title: string; value(r: CompareResult): number | null; format(v: number): string; note?: (rs: CompareResult[]) => string }

const METRICS: Metric[] = [
  { title: 'Wall time', value: (r) => r.summary.elapsedMs, format: ms },
  { title: 'Time to first result', value: (r) => r.summary.firstResultMs, format: ms },
  { title: 'Peak threads', value: (r) => r.summary.peakThreads, format: count },
  {
    title: 'Memory', value: (r) => r.memoryBytes, format: bytes,
    note: (rs) => rs[0]?.memorySource === 'measured'
      ? 'measured by performance.measureUserAgentSpecificMemory() while each run was going'
      : `size of the shared WebAssembly memory at the end of each run, in a fresh runtime (it grows with every live thread's stack, and never shrinks)${memoryApiUsed ? '; performance.measureUserAgentSpecificMemory() did not answer while the runs were going (the browser answers at its next garbage collection)' : ''}`,
  },
  {
    title: 'Worker start-up', value: (r) => r.startupMs, format: ms,
    note: () => 'pool and rayon: until the first task started (paid once); one worker per task: median time from a task being handed out to it running on its own new Web Worker (paid by every task)',
  },
];

export function renderComparison(box: HTMLElement, results: CompareResult[], settings: Settings, cancelled: boolean): void {
  box.replaceChildren();
  box.dataset.results = JSON.stringify(results.map((r) => ({
    strategy: r.strategy, elapsedMs: r.summary.elapsedMs, firstResultMs: r.summary.firstResultMs,
    peakThreads: r.summary.peakThreads, memoryBytes: r.memoryBytes, memorySource: r.memorySource, startupMs: r.startupMs,
    tasks: r.summary.tasks, succeeded: r.summary.succeeded, failed: r.summary.failed, panicked: r.summary.panicked,
    timedOut: r.summary.timedOut, cancelled: r.summary.cancelled,
  })));
  const lead = document.createElement('p');
  lead.className = 'lead';
  lead.id = 'compare-sentence';
  lead.textContent = cancelled
    ? `Cancelled after ${results.length} of 3 strategies.`
    : explain(results, settings);
  box.append(lead);
  if (results.length > 1) {
    const same = results.every((r) => r.summary.failed === results[0].summary.failed && r.summary.panicked === results[0].summary.panicked);
    const note = document.createElement('p');
    note.className = 'help';
    note.textContent = same
      ? `Same seed, same work: each strategy ran the same ${count(settings.tasks)} tasks, and the same ${count(results[0].summary.failed)} failed in each.`
      : `Each strategy ran the same ${count(settings.tasks)} seeded tasks; their outcomes differ (${results.map((r) => `${STRATEGY_LABEL[r.strategy]}: ${count(r.summary.failed)} failed, ${count(r.summary.timedOut)} timed out, ${count(r.summary.cancelled)} cancelled`).join('; ')}), because timeouts and thread limits depend on how the tasks were scheduled.`;
    box.append(note);
  }
  const grid = document.createElement('div');
  grid.className = 'metrics';
  for (const metric of METRICS) {
    const section = document.createElement('section');
    section.className = 'metric';
    const title = document.createElement('h3');
    title.textContent = metric.title;
    section.append(title);
    const values = results.map((r) => metric.value(r));
    const max = Math.max(...values.map((v) => v ?? 0), 1e-9);
    const list = document.createElement('ul');
    results.forEach((r, i) => {
      const v = values[i];
      const li = document.createElement('li');
      li.className = `bar-row ${r.strategy}`;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = STRATEGY_LABEL[r.strategy];
      const track = document.createElement('span');
      track.className = 'track';
      track.setAttribute('aria-hidden', 'true');
      const fill = document.createElement('span');
      fill.className = 'fill';
      fill.style.width = `${v === null ? 0 : Math.max(0.5, (v / max) * 100)}%`;
      track.append(fill);
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = v === null ? '–' : metric.format(v);
      li.append(name, track, value);
      list.append(li);
    });
    section.append(list);
    if (metric.note) {
      const note = document.createElement('p');
      note.className = 'help';
      note.textContent = metric.note(results);
      section.append(note);
    }
    grid.append(section);
  }
  box.append(grid);
}
