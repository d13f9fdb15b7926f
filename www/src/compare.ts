// Compare: the same seeded workload through the pool, one worker per task
// and rayon, side by side. Each strategy runs in a fresh runtime (its own
// orchestrator and shared memory), so that memory starts from the same
// baseline and nothing one run grew is charged to the next. One worker per
// task runs capped at the runtime's live-thread ceiling, so that a task past
// it waits for a thread instead of being refused and every strategy does the
// same work. While each run is half done the browser is asked for the page's
// memory, and the comparison waits for its answer before the next run. This
// module runs the comparison and draws its results; what the numbers say is
// compare-verdict.ts, the Compare tab that starts it is views/compare-view.ts.
import type { Playground, Progress, RunSummary, StrategyKind, TimelineEvent } from 'wasm-worker-pool';
import { exportComparison, type CompareRecord } from './compare-export';
import {
  explain, firstResultOf, memoryView, neverStartedOf, outcomesNote, spawnCapFor,
  type CompareResult, type MemoryView,
} from './compare-verdict';
import { STRATEGY_LABEL, toRunConfig, type Settings } from './config';
import { bytes, count, ms } from './format';
import { finishedCount } from './live';
import { MemoryQuestion } from './memory-question';

export type { CompareResult } from './compare-verdict';
export const COMPARED: readonly StrategyKind[] = ['pool', 'spawn-per-task', 'rayon'];

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

export interface CompareHooks {
  create(): Promise<Playground>;
  signal: AbortSignal;
  /** `memoryAsked`: since when the browser has been asked about memory without answering yet (null: not waiting). */
  onStep(index: number, strategy: StrategyKind, progress: Progress | null, memoryAskedMs: number | null): void;
}

export interface Comparison { results: CompareResult[]; cancelled: boolean; runtimeVersion: string }

export async function runComparison(settings: Settings, hooks: CompareHooks): Promise<Comparison> {
  const results: CompareResult[] = [];
  let runtimeVersion = '';
  const stopped = () => ({ results, cancelled: true, runtimeVersion });
  for (const [index, strategy] of COMPARED.entries()) {
    if (hooks.signal.aborted) return stopped();
    hooks.onStep(index, strategy, null, null);
    const playground = await hooks.create();
    runtimeVersion = playground.info.version;
    try {
      const cap = spawnCapFor(settings, strategy, playground.info.maxLiveThreads);
      const config = { ...toRunConfig(settings, strategy), ...(cap ? { spawnCap: cap.threads } : {}) };
      const events: TimelineEvent[] = [];
      const memory = new MemoryQuestion();
      const summary = await playground.run(config, {
        signal: hooks.signal,
        onProgress: (p) => {
          for (const e of p.events) events.push(e);
          // Half way, while the run's threads are alive.
          if (finishedCount(p.stats) >= settings.tasks / 2) memory.ask();
          hooks.onStep(index, strategy, p, memory.waitingForMs());
        },
      });
      const endedAt = performance.now();
      if (summary.aborted) return stopped();
      const reading = await memory.reading(endedAt, hooks.signal);
      if (!reading) return stopped();
      results.push({
        strategy, config, summary, cap, memory: reading,
        neverStarted: neverStartedOf(summary, events),
        firstResultMs: firstResultOf(events),
        startupMs: startupOf(summary, events),
      });
    } finally {
      playground.dispose();
    }
  }
  return { results, cancelled: false, runtimeVersion };
}

interface Metric { title: string; value(r: CompareResult): number | null; format(v: number): string; note?: (rs: CompareResult[]) => string | null }

function metrics(memory: MemoryView): Metric[] {
  return [
    {
      title: 'Wall time', value: (r) => r.summary.elapsedMs, format: ms,
      note: (rs) => {
        const short = rs.filter((r) => r.neverStarted.total > 0);
        return short.length === 0 ? null
          : `Not comparable: ${short.map((r) => `${count(r.neverStarted.total)} of ${STRATEGY_LABEL[r.strategy]}'s tasks never ran`).join('; ')}.`;
      },
    },
    {
      title: 'Time to first result', value: (r) => r.firstResultMs, format: ms,
      note: () => 'When the first task that started ended; tasks that never started (refused, cancelled) do not count.',
    },
    { title: 'Peak threads', value: (r) => r.summary.peakThreads, format: count },
    { title: 'Memory', value: (r) => memory.value(r), format: bytes, note: () => memory.label },
    {
      title: 'Worker start-up', value: (r) => r.startupMs, format: ms,
      note: () => 'pool and rayon: until the first task started (paid once); one worker per task: median time from a task being handed out to it running on its own new Web Worker (paid by every task)',
    },
  ];
}

/** Kept on the results box as JSON (data-results), for tests and for anyone reading the page. */
function dataOf(results: CompareResult[], memory: MemoryView) {
  return results.map((r) => ({
    strategy: r.strategy, elapsedMs: r.summary.elapsedMs, firstResultMs: r.firstResultMs,
    peakThreads: r.summary.peakThreads, memoryBytes: memory.value(r), memorySource: memory.source, startupMs: r.startupMs,
    tasks: r.summary.tasks, succeeded: r.summary.succeeded, failed: r.summary.failed, panicked: r.summary.panicked,
    timedOut: r.summary.timedOut, cancelled: r.summary.cancelled, neverSubmitted: r.summary.neverSubmitted,
    spawnRefused: r.summary.spawnRefused, threadFailures: r.summary.threadFailures, neverStarted: r.neverStarted.total,
    spawnCap: r.cap, memory: r.memory, sharedMemoryBytes: r.summary.memoryBytes,
  }));
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = '') => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
};

function exportButtons(record: CompareRecord): HTMLElement {
  const group = el('div', 'exports compare-exports');
  group.setAttribute('role', 'group');
  const label = el('span', '', 'Export the comparison:');
  label.id = 'compare-export-label';
  group.setAttribute('aria-labelledby', label.id);
  group.append(label);
  for (const kind of ['json', 'csv'] as const) {
    const button = el('button', '', kind.toUpperCase());
    button.type = 'button';
    button.id = `compare-export-${kind}`;
    button.addEventListener('click', () => exportComparison(kind, record));
    group.append(button);
  }
  return group;
}

export function renderComparison(box: HTMLElement, record: CompareRecord): void {
  const { results, settings, cancelled } = record;
  const memory = memoryView(results);
  box.replaceChildren();
  box.dataset.results = JSON.stringify(dataOf(results, memory));
  box.dataset.memoryCompared = String(memory.comparable);
  const lead = el('p', 'lead', cancelled ? `Cancelled after ${results.length} of ${COMPARED.length} strategies.` : explain(results, settings));
  lead.id = 'compare-sentence';
  box.append(lead);
  const outcomes = outcomesNote(results, settings);
  if (outcomes) {
    const note = el('p', 'help', outcomes);
    note.id = 'compare-outcomes';
    box.append(note);
  }
  if (results.length > 0) box.append(exportButtons(record));
  const grid = el('div', 'metrics');
  for (const metric of metrics(memory)) {
    const section = el('section', 'metric');
    section.append(el('h3', '', metric.title));
    const values = results.map((r) => metric.value(r));
    const max = Math.max(...values.map((v) => v ?? 0), 1e-9);
    const list = el('ul');
    results.forEach((r, i) => {
      const v = values[i];
      const li = el('li', `bar-row ${r.strategy}`);
      const track = el('span', 'track');
      track.setAttribute('aria-hidden', 'true');
      const fill = el('span', 'fill');
      fill.style.width = `${v === null ? 0 : Math.max(0.5, (v / max) * 100)}%`;
      track.append(fill);
      li.append(el('span', 'name', STRATEGY_LABEL[r.strategy]), track, el('span', 'value', v === null ? '–' : metric.format(v)));
      list.append(li);
    });
    section.append(list);
    const note = metric.note?.(results);
    if (note) {
      const p = el('p', 'help', note);
      if (metric.title === 'Memory') p.id = 'compare-memory-label';
      section.append(p);
    }
    grid.append(section);
  }
  box.append(grid);
}
