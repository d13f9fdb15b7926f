// Exports of the last run: JSON (settings, summary, timeline), CSV (one row
// per task) and a Chrome / Perfetto trace (trace event format: one complete
// "X" event per task on its worker's track, ts and dur in µs; each resize of
// the running pool one on a track of its own, from asked for to in effect).
// All three number workers as the timeline's lanes do, from 1
// (worker-number.ts): the field is "worker" and the JSON says so in its header.
import type { RunConfig, RunSummary, TimelineEvent } from 'wasm-worker-pool';
import type { Settings } from './config';
import type { Resized } from './resize';
import { WORKER_NUMBERING, workerNoun, workerNumber } from './worker-number';

export interface RunRecord {
  settings: Settings;
  config: RunConfig;
  summary: RunSummary;
  events: TimelineEvent[];
  /** The resizes of the running pool in effect, in order (the run started with settings.workers). */
  resizes: Resized[];
  runtimeVersion: string;
  finishedAt: string;
}

const fileBase = (r: RunRecord) => `wasm-worker-pool-${r.summary.strategy}-seed${r.settings.seed}-${r.summary.tasks}tasks`;

/** The summary with its per-worker counts numbered as the page shows workers. */
export const numberedSummary = (s: RunSummary) => ({
  ...s,
  perWorkerTasks: s.perWorkerTasks.map((w) => ({ worker: workerNumber(w.worker), tasks: w.tasks })),
});

/** A timeline event as the JSON gives it: the worker as numbered on the page, in place of the runtime's id. */
const numberedEvent = (e: TimelineEvent) => ({
  taskId: e.taskId, worker: workerNumber(e.workerId), enqueuedMs: e.enqueuedMs, startedMs: e.startedMs, endedMs: e.endedMs,
  waitStartMs: e.waitStartMs, waitEndMs: e.waitEndMs, outcome: e.outcome,
});

export function toJson(r: RunRecord): string {
  return JSON.stringify({
    tool: 'wasm-worker-pool playground',
    runtimeVersion: r.runtimeVersion,
    finishedAt: r.finishedAt,
    workerNumbering: WORKER_NUMBERING,
    config: r.config,
    summary: numberedSummary(r.summary),
    resizes: r.resizes,
    timeline: r.events.map(numberedEvent),
  }, null, 2);
}

const fixed = (v: number) => (v < 0 ? '' : v.toFixed(3));

/** One row per task. Tasks the run never submitted (cancelled first) are listed too. */
export function toCsv(r: RunRecord): string {
  const rows = [...r.events].sort((a, b) => a.taskId - b.taskId);
  // "worker", not "worker_id": numbered from 1, as the lanes, the JSON and the trace number it.
  const lines = ['task_id,worker,outcome,enqueued_ms,started_ms,ended_ms,queue_wait_ms,run_ms,connection_wait_start_ms,connection_wait_end_ms,note'];
  for (const e of rows) {
    const queueWait = e.startedMs >= 0 ? e.startedMs - e.enqueuedMs : -1;
    const run = e.startedMs >= 0 ? e.endedMs - e.startedMs : -1;
    lines.push([
      e.taskId, workerNumber(e.workerId) ?? '', e.outcome, fixed(e.enqueuedMs), fixed(e.startedMs), fixed(e.endedMs),
      fixed(queueWait), fixed(run), fixed(e.waitStartMs), fixed(e.waitEndMs), e.startedMs < 0 ? 'never started' : '',
    ].join(','));
  }
  // When the timeline holds every submitted task, the missing ids are the never-submitted ones.
  const s = r.summary;
  if (s.neverSubmitted > 0 && r.events.length === s.tasks - s.neverSubmitted) {
    const seen = new Set(r.events.map((e) => e.taskId));
    for (let id = 0; id < s.tasks; id++) {
      if (!seen.has(id)) lines.push(`${id},,cancelled,,,,,,,,never submitted`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Trace event format (https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU). */
export function toTrace(r: RunRecord): string {
  const pid = 1;
  const prefix = workerNoun(r.summary.strategy);
  const traceEvents: object[] = [
    { name: 'process_name', ph: 'M', pid, tid: 0, args: { name: `wasm-worker-pool ${r.summary.strategy} (seed ${r.settings.seed})` } },
  ];
  const tids = new Set<number>();
  for (const e of r.events) {
    const tid = workerNumber(e.workerId);
    if (e.startedMs < 0 || tid === null) continue;
    if (!tids.has(tid)) {
      tids.add(tid);
      traceEvents.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: `${prefix} ${tid}` } });
      traceEvents.push({ name: 'thread_sort_index', ph: 'M', pid, tid, args: { sort_index: tid } });
    }
    traceEvents.push({
      name: `task ${e.taskId}`, cat: e.outcome, ph: 'X', pid, tid,
      ts: Math.round(e.startedMs * 1000), dur: Math.max(0, Math.round((e.endedMs - e.startedMs) * 1000)),
      args: { taskId: e.taskId, worker: tid, outcome: e.outcome, queueWaitMs: +(e.startedMs - e.enqueuedMs).toFixed(3) },
    });
    if (e.waitStartMs >= 0 && e.waitEndMs >= e.waitStartMs) {
      traceEvents.push({
        name: 'waiting for a connection', cat: 'resource', ph: 'X', pid, tid,
        ts: Math.round(e.waitStartMs * 1000), dur: Math.round((e.waitEndMs - e.waitStartMs) * 1000),
        args: { taskId: e.taskId },
      });
    }
  }
  if (r.resizes.length > 0) traceEvents.push({ name: 'thread_name', ph: 'M', pid, tid: 0, args: { name: 'pool resizes' } });
  for (const resize of r.resizes) {
    // From asked for to in effect, on a track of its own.
    traceEvents.push({
      name: `resize to ${resize.workers} workers`, cat: 'resize', ph: 'X', pid, tid: 0,
      ts: Math.round(resize.askedMs * 1000), dur: Math.max(0, Math.round((resize.atMs - resize.askedMs) * 1000)),
      args: { workers: resize.workers },
    });
  }
  return JSON.stringify({
    traceEvents,
    displayTimeUnit: 'ms',
    otherData: { workerNumbering: WORKER_NUMBERING, config: r.config, summary: { ...numberedSummary(r.summary), failedTaskIds: undefined, panickedTaskIds: undefined } },
  });
}

export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function exportRun(kind: 'json' | 'csv' | 'trace', r: RunRecord): void {
  const base = fileBase(r);
  if (kind === 'json') download(`${base}.json`, 'application/json', toJson(r));
  else if (kind === 'csv') download(`${base}.csv`, 'text/csv', toCsv(r));
  else download(`${base}.trace.json`, 'application/json', toTrace(r));
}
