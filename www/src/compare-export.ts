// Exports of the last comparison: JSON (settings, what each strategy ran,
// its summary, what was derived and measured, and the sentences the page
// showed) and CSV (one row per strategy). Like the run's exports (export.ts),
// numbers are the runtime's own, and a summary's workers are numbered as the
// run's exports number them (worker-number.ts: from 1, as the lanes).
import type { Settings } from './config';
import { explain, memoryView, outcomesNote, type CompareResult } from './compare-verdict';
import { download, numberedSummary } from './export';
import { WORKER_NUMBERING } from './worker-number';

export interface CompareRecord {
  settings: Settings;
  results: CompareResult[];
  cancelled: boolean;
  runtimeVersion: string;
  finishedAt: string;
}

const fileBase = (r: CompareRecord) => `wasm-worker-pool-compare-seed${r.settings.seed}-${r.settings.tasks}tasks`;

export function toCompareJson(r: CompareRecord): string {
  const memory = memoryView(r.results);
  return JSON.stringify({
    tool: 'wasm-worker-pool playground: compare',
    runtimeVersion: r.runtimeVersion,
    finishedAt: r.finishedAt,
    workerNumbering: WORKER_NUMBERING,
    settings: r.settings,
    cancelled: r.cancelled,
    headline: r.cancelled ? null : explain(r.results, r.settings),
    outcomes: outcomesNote(r.results, r.settings),
    memory: { source: memory.source, label: memory.label, compared: memory.comparable },
    strategies: r.results.map((result) => ({
      strategy: result.strategy,
      config: result.config,
      spawnCap: result.cap,
      neverStarted: result.neverStarted,
      firstResultMs: result.firstResultMs,
      startupMs: result.startupMs,
      memoryBytes: memory.value(result),
      memoryMeasurement: result.memory,
      summary: numberedSummary(result.summary),
    })),
  }, null, 2);
}

const cell = (v: number | string | boolean | null) => {
  if (v === null) return '';
  const text = typeof v === 'number' ? String(+v.toFixed(3)) : String(v);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const COMPARE_CSV_COLUMNS = [
  'strategy', 'tasks', 'succeeded', 'failed', 'panicked', 'timed_out', 'cancelled', 'never_submitted',
  'never_started', 'spawn_refused', 'thread_failures', 'spawn_cap', 'spawn_cap_by',
  'elapsed_ms', 'first_result_ms', 'startup_ms', 'peak_threads',
  'memory_bytes', 'memory_source', 'memory_measured_bytes', 'memory_answered_after_ms', 'memory_during_run', 'memory_thread_workers',
  'shared_memory_bytes',
] as const;

/** One row per strategy. */
export function toCompareCsv(r: CompareRecord): string {
  const memory = memoryView(r.results);
  const lines = [COMPARE_CSV_COLUMNS.join(',')];
  for (const x of r.results) {
    const s = x.summary;
    const m = x.memory.kind === 'measured' ? x.memory : null;
    lines.push([
      x.strategy, s.tasks, s.succeeded, s.failed, s.panicked, s.timedOut, s.cancelled, s.neverSubmitted,
      x.neverStarted.total, s.spawnRefused, s.threadFailures, x.cap?.threads ?? null, x.cap?.by ?? null,
      s.elapsedMs, x.firstResultMs, x.startupMs, s.peakThreads,
      memory.value(x), memory.source, m?.bytes ?? null, m?.answeredAfterMs ?? null, m?.duringRun ?? null, m?.parts.threadWorkers ?? null,
      s.memoryBytes,
    ].map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function exportComparison(kind: 'json' | 'csv', r: CompareRecord): void {
  if (kind === 'json') download(`${fileBase(r)}.json`, 'application/json', toCompareJson(r));
  else download(`${fileBase(r)}.csv`, 'text/csv', toCompareCsv(r));
}
