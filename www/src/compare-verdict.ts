// What a comparison's numbers say, computed from every outcome of every
// strategy and from what was measured in that run, never from a sentence
// written for one: which strategies did the same work (one with tasks that
// never started is not ranked on time), the headline, the small print under
// it, and what the Memory figure is and includes. No DOM and no runtime here,
// so that tests/compare-verdict.test.mjs can hold it to made-up results;
// compare.ts runs the comparison and draws it.
import type { RunConfig, RunSummary, StrategyKind, TimelineEvent } from 'wasm-worker-pool';
import { STRATEGY_LABEL, type Settings } from './config';
import { bytes, count, ms, times } from './format';
import { outcomePhrase, sameOutcomes } from './outcomes';

/** Tasks of a run that never started, by why. */
export interface NeverStarted {
  /** One worker per task: the browser or the live-thread limit refused their Web Worker. */
  refused: number;
  /** Their Web Worker failed to start (it did not load or instantiate). */
  startFailed: number;
  /** Passed their deadline before they started. */
  timedOut: number;
  /** Cancelled before they started, the never-submitted ones included. */
  cancelled: number;
  neverSubmitted: number;
  total: number;
}

/** The live-thread cap one worker per task ran under in a comparison, and whose it was. */
export interface SpawnCap {
  threads: number;
  /** 'runtime': the most live Web Workers this runtime lets the browser keep; 'setting': the page's Thread cap, smaller. */
  by: 'runtime' | 'setting';
}

/** How a run's memory was split in the browser's answer. */
export interface MemoryParts {
  pageBytes: number;
  /** The runtime's orchestrator worker (the shared WebAssembly memory is reported with it). */
  orchestratorBytes: number;
  /** The run's own Web Workers that answered, and their memory. */
  threadWorkers: number;
  threadWorkerBytes: number;
  otherBytes: number;
}

/** What performance.measureUserAgentSpecificMemory() said about a run, or why it said nothing. */
export type MemoryReading =
  | { kind: 'measured'; bytes: number; answeredAfterMs: number; duringRun: boolean; parts: MemoryParts }
  /** Why, as a clause about the API: "it did not answer while the run was going (asked 900 ms before its end)". */
  | { kind: 'unanswered'; why: string };

export interface CompareResult {
  strategy: StrategyKind;
  /** What the runtime ran (one worker per task: capped). */
  config: RunConfig;
  summary: RunSummary;
  neverStarted: NeverStarted;
  /** When the first task that started ended (ms since the run started); refused and cancelled tasks do not count. */
  firstResultMs: number | null;
  /** pool / rayon: until the first task started (paid once); spawn-per-task: median per task. */
  startupMs: number | null;
  cap: SpawnCap | null;
  memory: MemoryReading;
}

/**
 * The cap one worker per task runs under in a comparison: the runtime's
 * ceiling on live threads (or the Thread cap, if smaller), so that a task
 * past it waits for a thread instead of being refused, and every strategy
 * does the same work.
 */
export function spawnCapFor(settings: Pick<Settings, 'spawnCap'>, strategy: StrategyKind, ceiling: number): SpawnCap | null {
  if (strategy !== 'spawn-per-task') return null;
  if (settings.spawnCap !== null && (ceiling <= 0 || settings.spawnCap < ceiling)) return { threads: settings.spawnCap, by: 'setting' };
  return ceiling > 0 ? { threads: ceiling, by: 'runtime' } : null;
}

/** Counted from the timeline when it holds every submitted task, else from the summary's counts. */
export function neverStartedOf(s: RunSummary, events: readonly TimelineEvent[]): NeverStarted {
  let failed = 0;
  let timedOut = 0;
  let cancelled = 0;
  if (events.length === s.tasks - s.neverSubmitted) {
    for (const e of events) {
      if (e.startedMs >= 0) continue;
      if (e.outcome === 'failed') failed++;
      else if (e.outcome === 'timedOut') timedOut++;
      else if (e.outcome === 'cancelled') cancelled++;
    }
  } else {
    // A sampled timeline: a cancelled task may have started, so this is at most.
    failed = s.spawnRefused;
    cancelled = s.cancelled - s.neverSubmitted;
  }
  const refused = Math.min(s.spawnRefused, failed);
  const startFailed = failed - refused;
  cancelled += s.neverSubmitted;
  return { refused, startFailed, timedOut, cancelled, neverSubmitted: s.neverSubmitted, total: refused + startFailed + timedOut + cancelled };
}

/** The earliest end among tasks that started, or null when none did. */
export function firstResultOf(events: readonly TimelineEvent[]): number | null {
  let first = Infinity;
  for (const e of events) if (e.startedMs >= 0 && e.endedMs < first) first = e.endedMs;
  return Number.isFinite(first) ? first : null;
}

interface BreakdownEntry { bytes: number; attribution: { url?: string; scope?: string }[]; types: string[] }

/** Splits the browser's breakdown: the page, the orchestrator worker, the run's own Web Workers, the rest. */
export function memoryPartsOf(breakdown: readonly BreakdownEntry[]): MemoryParts {
  const parts: MemoryParts = { pageBytes: 0, orchestratorBytes: 0, threadWorkers: 0, threadWorkerBytes: 0, otherBytes: 0 };
  for (const entry of breakdown) {
    const [only, ...more] = entry.attribution;
    if (!only || more.length > 0) parts.otherBytes += entry.bytes;
    else if (only.scope === 'Window') parts.pageBytes += entry.bytes;
    else if (only.scope === 'DedicatedWorkerGlobalScope' && /orchestrator/.test(only.url ?? '')) parts.orchestratorBytes += entry.bytes;
    else if (only.scope === 'DedicatedWorkerGlobalScope') {
      parts.threadWorkers++;
      parts.threadWorkerBytes += entry.bytes;
    } else parts.otherBytes += entry.bytes;
  }
  return parts;
}

/** What the Memory metric shows, what it includes, and whether the headline may compare it. */
export interface MemoryView {
  source: 'measured' | 'shared memory';
  value(r: CompareResult): number;
  label: string;
  /** Every run measured by the browser while it went, its own Web Workers included. */
  comparable: boolean;
  /** Why the headline does not compare memory, when it does not. */
  whyNot: string | null;
}

const MEASURE = 'performance.measureUserAgentSpecificMemory()';

export function memoryView(results: readonly CompareResult[]): MemoryView {
  const measured = results.filter((r) => r.memory.kind === 'measured');
  if (results.length > 0 && measured.length === results.length) {
    const each = results.map((r) => {
      const m = r.memory as Extract<MemoryReading, { kind: 'measured' }>;
      const workers = m.parts.threadWorkers > 0
        ? `${count(m.parts.threadWorkers)} of its own Web Workers answered (${bytes(m.parts.threadWorkerBytes)})`
        : 'none of its own Web Workers answered, so their threads, V8 isolates and wasm instances are not in it';
      return `${STRATEGY_LABEL[r.strategy]}: ${bytes(m.bytes)}, answered ${ms(m.answeredAfterMs)} after it was asked, ${m.duringRun ? 'while the run was going' : 'after the run had ended'}; ${workers}`;
    });
    const late = results.some((r) => r.memory.kind === 'measured' && !r.memory.duringRun);
    const blind = results.some((r) => r.memory.kind === 'measured' && r.memory.parts.threadWorkers === 0);
    const whyNot = late ? "the browser's measurement of a run arrived only after that run had ended"
      : blind ? "the browser's measurement did not include a run's own Web Workers" : null;
    return {
      source: 'measured', value: (r) => (r.memory as { bytes: number }).bytes, comparable: whyNot === null, whyNot,
      label: `Measured by the browser with ${MEASURE}, asked once half of each run's tasks had finished: the JavaScript and WebAssembly memory of the page and of every Web Worker that answered, the shared WebAssembly memory included. ${each.join('. ')}.`,
    };
  }
  // Why the browser gave no figure, each reason once with the runs it applies to.
  const reasons = new Map<string, string[]>();
  for (const r of results) {
    const m = r.memory;
    const why = m.kind === 'unanswered' ? m.why
      : `it answered (${bytes(m.bytes)}, ${ms(m.answeredAfterMs)} after it was asked, ${m.duringRun ? 'while the run was going' : 'after the run had ended'}), but a run the browser measured cannot be set against sizes of the shared memory`;
    reasons.set(why, [...(reasons.get(why) ?? []), STRATEGY_LABEL[r.strategy]]);
  }
  const whys = [...reasons].map(([why, who]) => `${why} (${who.join(', ')})`).join('; ');
  return {
    source: 'shared memory', value: (r) => r.summary.memoryBytes, comparable: false,
    whyNot: 'the browser gave no figure to compare (see Memory below)',
    label: "Size of the shared WebAssembly memory at the end of each run, in a fresh runtime: it excludes each Web Worker's own thread, V8 isolate and wasm instance, so it is not what a worker costs. " +
      `The browser's own measurement, ${MEASURE}, gave no figure to compare: ${whys}.`,
  };
}

const didAllWork = (r: CompareResult) => r.neverStarted.total === 0;

/** "537 of its 1,000 tasks never ran (537 because the browser refused their Web Worker: …)". */
function neverRanPhrase(r: CompareResult): string {
  const n = r.neverStarted;
  const s = r.summary;
  const why = [
    n.refused && `${count(n.refused)} because the browser refused their Web Worker${s.spawnRefusedReason ? ` (${s.spawnRefusedReason})` : ''}`,
    n.startFailed && `${count(n.startFailed)} because their Web Worker failed to start${s.threadFailureReason ? ` (${s.threadFailureReason})` : ''}`,
    n.timedOut && `${count(n.timedOut)} passed their deadline before they started`,
    n.cancelled && `${count(n.cancelled)} were cancelled before they started${n.neverSubmitted ? `, ${count(n.neverSubmitted)} of them before they were submitted` : ''}`,
  ].filter(Boolean);
  return `${count(n.total)} of its ${count(s.tasks)} tasks never ran (${why.join('; ')})`;
}

const shortOfWork = (r: CompareResult) => `${STRATEGY_LABEL[r.strategy]} did not do the same work: ${neverRanPhrase(r)}.`;

/** Said only when the cap was reached, that is when tasks did wait for a thread. */
function capSentence(spawn: CompareResult): string | null {
  const cap = spawn.cap;
  if (!cap || spawn.summary.peakThreads < cap.threads) return null;
  return cap.by === 'runtime'
    ? `One worker per task was capped by the browser's limit of ${count(cap.threads)} live Web Workers (as this runtime enforces it): each task past it waited for a Web Worker to exit instead of being refused. That ceiling is the lesson: one worker per task cannot grow with the work, a pool never comes near it.`
    : `One worker per task was capped at ${count(cap.threads)} live Web Workers by the Thread cap setting: each task past it waited for a Web Worker to exit.`;
}

/** The time ranking of two runs that did the same work, with memory only from a browser measurement. */
function ranking(pool: CompareResult, spawn: CompareResult, settings: Settings, memory: MemoryView): string {
  const tRatio = spawn.summary.elapsedMs / Math.max(pool.summary.elapsedMs, 0.001);
  const threads = `peaked at ${count(spawn.summary.peakThreads)} threads against the pool's ${count(pool.summary.peakThreads)}`;
  const startup = spawn.startupMs !== null ? `each task waited a median ${ms(spawn.startupMs)} for its own Web Worker to start` : 'each task started its own Web Worker';
  const times_ = `(${ms(spawn.summary.elapsedMs)} against ${ms(pool.summary.elapsedMs)})`;
  let used = '';
  if (memory.comparable) {
    const [s, p] = [memory.value(spawn), memory.value(pool)];
    const mRatio = s / Math.max(p, 1);
    const amount = mRatio >= 1.1 ? `${times(mRatio)} the memory` : mRatio <= 0.9 ? `${times(1 / mRatio)} less memory` : 'about the same memory';
    used = `${amount} (${bytes(s)} against ${bytes(p)}, as the browser measured it)`;
  }
  if (tRatio >= 1.1) {
    return `One worker per task took ${times(tRatio)} as long as the pool ${times_}, ${threads}${used ? ` and used ${used}` : ''}, because ${startup} while the pool's ${count(settings.workers)} workers started once and were reused.`;
  }
  if (tRatio <= 0.9) {
    return `One worker per task finished ${times(1 / tRatio)} faster than the pool ${times_} because it ran up to ${count(spawn.summary.peakThreads)} tasks at once instead of ${count(settings.workers)}, but it ${threads}${used ? `, used ${used},` : ''} and ${startup}: with more tasks or less waiting per task that cost dominates.`;
  }
  return `One worker per task took about as long as the pool ${times_} but ${threads}${used ? ` and used ${used}` : ''}; ${startup}.`;
}

/** The headline: what the numbers mean, from all outcomes; a strategy is ranked only on work it did. */
export function explain(results: readonly CompareResult[], settings: Settings): string {
  const by = (s: StrategyKind) => results.find((r) => r.strategy === s);
  const pool = by('pool');
  const spawn = by('spawn-per-task');
  const rayon = by('rayon');
  if (!pool || !spawn) return 'The comparison did not finish, so there is nothing to compare yet.';
  const memory = memoryView(results);
  const sentences: string[] = [];
  if (didAllWork(pool) && didAllWork(spawn)) {
    sentences.push(ranking(pool, spawn, settings, memory));
  } else {
    for (const r of [pool, spawn]) if (!didAllWork(r)) sentences.push(shortOfWork(r));
    sentences.push(`So neither is called faster: one worker per task took ${ms(spawn.summary.elapsedMs)} and the pool ${ms(pool.summary.elapsedMs)}, on different work; one worker per task peaked at ${count(spawn.summary.peakThreads)} threads against the pool's ${count(pool.summary.peakThreads)}.`);
  }
  const capped = capSentence(spawn);
  if (capped) sentences.push(capped);
  if (rayon) sentences.push(didAllWork(rayon) ? `rayon, with ${count(settings.workers)} threads, took ${ms(rayon.summary.elapsedMs)}.` : shortOfWork(rayon));
  if (!memory.comparable) sentences.push(`Memory is not compared: ${memory.whyNot}.`);
  return sentences.join(' ');
}

/** Only the causes seen in these runs. */
function observedCauses(results: readonly CompareResult[]): string[] {
  const causes: string[] = [];
  const differ = (pick: (s: RunSummary) => number) => new Set(results.map((r) => pick(r.summary))).size > 1;
  for (const r of results) {
    if (r.summary.spawnRefused > 0) causes.push(`the browser refused ${count(r.summary.spawnRefused)} of ${STRATEGY_LABEL[r.strategy]}'s Web Workers${r.summary.spawnRefusedReason ? ` (${r.summary.spawnRefusedReason})` : ''}`);
  }
  if (differ((s) => s.threadFailures)) {
    for (const r of results) {
      if (r.summary.threadFailures > 0) causes.push(`${count(r.summary.threadFailures)} of ${STRATEGY_LABEL[r.strategy]}'s tasks lost their thread${r.summary.threadFailureReason ? ` (${r.summary.threadFailureReason})` : ''}`);
    }
  }
  if (differ((s) => s.timedOut)) causes.push("timeouts: a task's deadline runs from its start, so whether it passes it depends on how fast each strategy ran it");
  if (differ((s) => s.cancelled)) causes.push('cancellation');
  return causes;
}

/** The small print under the headline: every outcome of every strategy, and the causes of any difference that were observed. */
export function outcomesNote(results: readonly CompareResult[], settings: Settings): string | null {
  if (results.length < 2) return null;
  const tasks = count(settings.tasks);
  if (results.every(didAllWork) && sameOutcomes(results.map((r) => r.summary))) {
    return `Same seed, same work: each strategy ran the same ${tasks} tasks, with the same outcomes: ${outcomePhrase(results[0].summary)}.`;
  }
  const each = results.map((r) => `${STRATEGY_LABEL[r.strategy]}: ${outcomePhrase(r.summary)}${didAllWork(r) ? '' : `; ${count(r.neverStarted.total)} of them never ran`}`);
  const causes = observedCauses(results);
  return `The same ${tasks} seeded tasks in each strategy, with different outcomes (${each.join('. ')})${causes.length ? `, because of ${causes.join('; ')}` : ''}.`;
}
