// "Sweep workers", in the Run view after the theory panel: the same seeded
// workload (the settings) run again and again through the package API, one
// run after another, with 1, 2, 4, … workers up to a limit (the Workers
// setting or 16, whichever is larger, at most 64; the field beside the button
// changes it), and two charts of what each run measured against the workers:
// throughput (tasks per second over the busy window) and the mean queue wait,
// each with the queueing theory's curve over the measured points, so that the
// knee (where more workers stop helping) shows. It runs through the shared
// Exclusive as 'sweep', so nothing else runs meanwhile; Cancel (or Esc, or
// the button beside its progress) stops it, keeping the points measured so
// far. The points are a table too (the charts' text alternative), and JSON in
// #sweep-results' data-points.
import uPlot from 'uplot';
import type { Playground, Progress, RunConfig, RunSummary, TimelineEvent } from 'wasm-worker-pool';
import { IN_FLIGHT_COLOR, RESIZE_COLOR } from './colors';
import { toRunConfig, type Settings } from './config';
import type { Busy } from './exclusive';
import { count, counted, ms, roughly } from './format';
import { estimateRunMs } from './estimate';
import { finishedCount } from './live';
import { allenCunneenWait, batchWait, measure } from './queueing';
import { effectiveServers, figure, settingsService } from './theory';
import type { ViewContext } from './views/context';

/** The most workers a sweep goes to. */
export const SWEEP_MAX = 64;

/** The sweep's place in the Run view's markup (markup.ts). */
export const SWEEP_MARKUP = `
      <section id="sweep" class="sweep" aria-labelledby="sweep-title">
        <h3 id="sweep-title">Sweep the workers</h3>
        <p class="help" id="sweep-help">Runs these settings again with 1, 2, 4, … workers, one run after another, and plots the throughput and the mean queue wait against the number of workers, with what queueing theory predicts over the measured points: where adding workers stops helping (the knee).</p>
        <div class="sweep-controls">
          <button id="sweep-run" type="button" class="primary" disabled aria-describedby="sweep-help sweep-note">Sweep workers</button>
          <label for="sweep-max">up to</label>
          <input id="sweep-max" type="text" inputmode="numeric" autocomplete="off" spellcheck="false" size="4" aria-describedby="sweep-max-help sweep-max-error" />
          <span class="unit" aria-hidden="true">workers</span>
          <p class="help" id="sweep-max-help">1 to ${SWEEP_MAX}; empty: the Workers setting or 16, whichever is larger.</p>
          <p class="field-error" id="sweep-max-error" hidden></p>
          <p class="field-note" id="sweep-note" hidden></p>
        </div>
        <div class="progress-row" id="sweep-progress-row" hidden>
          <label for="sweep-progress" class="visually-hidden">Sweep progress</label>
          <progress id="sweep-progress" max="1" value="0"></progress>
          <span id="sweep-progress-text" class="progress-text"></span>
          <button id="sweep-cancel" type="button" hidden>Cancel sweep</button>
        </div>
        <p id="sweep-status" class="sweep-status" role="status" aria-live="polite"></p>
        <div id="sweep-results" class="sweep-results" hidden>
          <p id="sweep-sentence" class="sweep-sentence"></p>
          <div class="charts">
            <figure class="chart">
              <figcaption>Throughput against workers</figcaption>
              <div class="chart-frame"><div id="sweep-chart-throughput" class="chart-box" aria-hidden="true"></div></div>
            </figure>
            <figure class="chart">
              <figcaption>Mean queue wait against workers</figcaption>
              <div class="chart-frame"><div id="sweep-chart-wait" class="chart-box" aria-hidden="true"></div></div>
            </figure>
          </div>
          <p class="help">Solid line and dots: measured, one run per dot. Dashed: the theory's curve. The workers axis doubles at each step.</p>
          <details id="sweep-data" class="chart-data">
            <summary>The sweep's points as a table</summary>
            <div class="table-scroll" tabindex="0" role="group" aria-label="The sweep's points"><table id="sweep-table"></table></div>
          </details>
        </div>
      </section>`;

/** The default limit: the Workers setting or 16, whichever is larger, at most 64. */
export const defaultLimit = (workers: number) => Math.min(SWEEP_MAX, Math.max(16, workers));

/** The worker counts of a sweep up to `limit`: 1, 2, 4, … and the limit itself. */
export function sweepCounts(limit: number): number[] {
  const counts: number[] = [];
  for (let c = 1; c < limit; c *= 2) counts.push(c);
  counts.push(limit);
  return counts;
}

/** What one run of the sweep measured. */
export interface SweepPoint {
  workers: number;
  tasks: number;
  /** Tasks finished per second over the busy window (first start to last result). */
  throughputPerSec: number;
  /** Mean of start − submission (ms). */
  meanWaitMs: number | null;
  meanServiceMs: number | null;
  serviceCs2: number | null;
  elapsedMs: number;
  submitsBlocked: number;
}

export function pointOf(workers: number, summary: RunSummary, events: readonly TimelineEvent[]): SweepPoint {
  const m = measure(events, summary.elapsedMs, Math.max(1, summary.timelineEvery));
  const finished = summary.tasks - summary.neverSubmitted;
  const busy = summary.firstStartMs !== null && summary.lastResultMs !== null ? summary.lastResultMs - summary.firstStartMs : 0;
  return {
    workers, tasks: summary.tasks,
    throughputPerSec: busy > 0 ? finished / (busy / 1000) : summary.throughputPerSec,
    meanWaitMs: m.meanWaitMs, meanServiceMs: m.meanServiceMs, serviceCs2: m.serviceCs2,
    elapsedMs: summary.elapsedMs, submitsBlocked: summary.submitsBlocked,
  };
}

export interface SweepCurve {
  /** Workers, 1 to the limit. */
  workers: number[];
  /** Predicted throughput (tasks/s); null where there is none. */
  throughput: (number | null)[];
  /** Predicted mean queue wait (ms); null where there is none (ρ ≥ 1 for open arrivals). */
  waitMs: (number | null)[];
  /** The S (ms) and Cs² the curve uses, and whether they come from the settings. */
  serviceMs: number | null;
  cs2: number | null;
  fromSettings: boolean;
}

/**
 * The theory's curves over 1..limit workers: for open arrivals throughput
 * min(λ, c/S) and the Allen–Cunneen wait (M/G/c, Ca² = 1); for a batch
 * throughput min(c, n)/S and the wait of n tasks of exactly S through the
 * queue. S and Cs² are the settings' for sleep tasks, else the points'.
 */
export function sweepTheory(settings: Settings, points: readonly SweepPoint[], limit: number, cores: number): SweepCurve {
  const known = settingsService(settings);
  let serviceMs = known?.mean ?? null;
  let cs2 = known?.cs2 ?? null;
  if (!known || settings.kind !== 'sleep') {
    const withService = points.filter((p) => p.meanServiceMs !== null);
    const weight = withService.reduce((n, p) => n + p.tasks, 0);
    serviceMs = weight ? withService.reduce((s, p) => s + p.meanServiceMs! * p.tasks, 0) / weight : null;
    cs2 = weight ? withService.reduce((s, p) => s + (p.serviceCs2 ?? 0) * p.tasks, 0) / weight : null;
  }
  const workers = Array.from({ length: limit }, (_, i) => i + 1);
  const n = settings.tasks;
  const open = settings.strategy === 'pool' && settings.arrivalRate !== null;
  // A batch's wait follows every task through: only at the sweep's own counts when that is long.
  const everyCount = n * limit <= 5_000_000;
  const swept = new Set(sweepCounts(limit));
  const throughput: (number | null)[] = [];
  const waitMs: (number | null)[] = [];
  for (const c of workers) {
    const servers = effectiveServers(settings, c, cores);
    if (serviceMs === null || !(serviceMs > 0)) {
      throughput.push(null);
      waitMs.push(serviceMs === 0 ? 0 : null);
      continue;
    }
    if (open) {
      const lambda = settings.arrivalRate! / 1000;
      throughput.push(Math.min(lambda, servers / serviceMs) * 1000);
      const wait = allenCunneenWait(lambda, serviceMs, servers, 1, cs2 ?? 1);
      waitMs.push(Number.isFinite(wait) ? wait : null);
    } else {
      throughput.push((Math.min(servers, n) / serviceMs) * 1000);
      const capacity = settings.strategy === 'pool' ? settings.queueCapacity : n;
      waitMs.push(everyCount || swept.has(c) ? batchWait(n, servers, serviceMs, capacity) : null);
    }
  }
  return { workers, throughput, waitMs, serviceMs, cs2, fromSettings: settings.kind === 'sleep' };
}

/** Where throughput levels off: the fewest workers measured within 10 % of the best throughput. */
export function knee(points: readonly SweepPoint[]): SweepPoint | null {
  if (points.length === 0) return null;
  const best = Math.max(...points.map((p) => p.throughputPerSec));
  return points.find((p) => p.throughputPerSec >= 0.9 * best) ?? null;
}

/** The sweep in one or two sentences. */
export function sweepSentence(settings: Settings, points: readonly SweepPoint[], curve: SweepCurve): string {
  if (points.length === 0) return 'No run of the sweep finished.';
  const first = points[0];
  const last = points[points.length - 1];
  const k = knee(points)!;
  const shape = points.length <= 2 ? '.'
    : k === last ? `, still rising at the last point: the knee (where more workers stop helping) lies beyond ${counted(last.workers, 'worker')}.`
      : `, and was within 10 % of its best from ${counted(k.workers, 'worker')} on (the knee).`;
  const parts = [`Throughput went from ${figure(first.throughputPerSec)} tasks/s with ${counted(first.workers, 'worker')} to ${figure(last.throughputPerSec)} tasks/s with ${count(last.workers)}${shape}`];
  if (settings.strategy === 'pool' && settings.arrivalRate !== null) {
    parts.push(`With open arrivals it can never pass the arrival rate, ${figure(settings.arrivalRate)} tasks/s: past the knee, more workers only shorten the queue wait (from ${ms(first.meanWaitMs)} to ${ms(last.meanWaitMs)}).`);
  } else if (curve.serviceMs !== null && curve.serviceMs > 0) {
    parts.push(`A batch: the theory's throughput is c/S (S = ${ms(curve.serviceMs)}) until c reaches the ${count(settings.tasks)} tasks; the mean queue wait went from ${ms(first.meanWaitMs)} to ${ms(last.meanWaitMs)}.`);
  }
  return parts.join(' ');
}

export interface SweepHooks {
  signal: AbortSignal;
  /** Run `index` of the sweep (with `workers` workers) is at `progress` (null: it starts). */
  onStep(index: number, workers: number, progress: Progress | null): void;
  /** Run `index` finished. */
  onPoint(points: readonly SweepPoint[]): void;
}

/** Runs the sweep on `playground`: the points, and whether it was cancelled first. */
export async function runSweep(playground: Playground, settings: Settings, counts: readonly number[], hooks: SweepHooks): Promise<{ points: SweepPoint[]; cancelled: boolean }> {
  const points: SweepPoint[] = [];
  for (const [index, workers] of counts.entries()) {
    if (hooks.signal.aborted) return { points, cancelled: true };
    hooks.onStep(index, workers, null);
    const config: RunConfig = { ...toRunConfig(settings), workers };
    const events: TimelineEvent[] = [];
    const summary = await playground.run(config, {
      signal: hooks.signal,
      onProgress: (p) => {
        for (const e of p.events) events.push(e);
        hooks.onStep(index, workers, p);
      },
    });
    if (summary.aborted) return { points, cancelled: true };
    points.push(pointOf(workers, summary, events));
    hooks.onPoint(points);
  }
  return { points, cancelled: false };
}

// ---- the view ----

const axisCount = (_u: uPlot, splits: number[]) => splits.map((v) => count(v));
const axisMs = (_u: uPlot, splits: number[]) => splits.map((v) => (v === 0 ? '0' : ms(v)));

function chartOptions(width: number, yLabel: string, values: uPlot.Axis['values'], format: (v: number) => string): uPlot.Options {
  const grid = { stroke: '#e3e3e3', width: 1 };
  const value = (_u: uPlot, v: number | null) => (v === null || v === undefined ? '–' : format(v));
  return {
    width, height: width < 420 ? 180 : 220,
    scales: { x: { time: false, distr: 3, log: 2 }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] } },
    axes: [
      { values: axisCount, grid, ticks: grid, stroke: '#333', label: 'Workers', labelSize: 18 },
      { values, grid, ticks: grid, stroke: '#333', label: yLabel, labelSize: 18, size: 64 },
    ],
    series: [
      { label: 'workers', value: (_u, v) => (v === null ? '–' : count(v)) },
      { label: 'Measured', stroke: IN_FLIGHT_COLOR, width: 2, spanGaps: true, points: { show: true, size: 9, fill: IN_FLIGHT_COLOR }, value },
      { label: 'Theory', stroke: RESIZE_COLOR, width: 2, dash: [7, 4], spanGaps: true, points: { show: false }, value },
    ],
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
  };
}

export class SweepView {
  private button: HTMLButtonElement;
  private limitInput: HTMLInputElement;
  private limitError: HTMLElement;
  private note: HTMLElement;
  private row: HTMLElement;
  private bar: HTMLProgressElement;
  private text: HTMLElement;
  private cancel: HTMLButtonElement;
  private status: HTMLElement;
  private results: HTMLElement;
  private charts: { throughput: uPlot | null; wait: uPlot | null } = { throughput: null, wait: null };
  private observer: ResizeObserver;
  private sweeping = false;
  private settings: Settings | null = null;

  constructor(private context: ViewContext, private cores: () => number) {
    const { $ } = context;
    this.button = $<HTMLButtonElement>('#sweep-run');
    this.limitInput = $<HTMLInputElement>('#sweep-max');
    this.limitError = $('#sweep-max-error');
    this.note = $('#sweep-note');
    this.row = $('#sweep-progress-row');
    this.bar = $<HTMLProgressElement>('#sweep-progress');
    this.text = $('#sweep-progress-text');
    this.cancel = $<HTMLButtonElement>('#sweep-cancel');
    this.status = $('#sweep-status');
    this.results = $('#sweep-results');
    this.button.addEventListener('click', () => {
      const current = context.read();
      if (current) void this.start(current);
    });
    this.cancel.addEventListener('click', () => {
      if (context.exclusive.cancel()) this.status.textContent = 'Cancelling the sweep…';
    });
    this.limitInput.addEventListener('input', () => {
      this.limit();
      context.refresh();
    });
    this.limitInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !this.button.disabled) this.button.click();
    });
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(this.results);
  }

  /** The limit the field holds (its placeholder: the default), or null with its message shown. */
  private limit(): number | null {
    const text = this.limitInput.value.trim();
    const fallback = defaultLimit(this.settings?.workers ?? 8);
    const value = text === '' ? fallback : Number(text);
    const ok = Number.isInteger(value) && value >= 1 && value <= SWEEP_MAX && (text === '' || /^\d+$/.test(text));
    this.limitError.hidden = ok;
    this.limitError.textContent = ok ? '' : `Up to must be a whole number from 1 to ${SWEEP_MAX}, or empty for ${fallback}.`;
    if (ok) this.limitInput.removeAttribute('aria-invalid');
    else this.limitInput.setAttribute('aria-invalid', 'true');
    return ok ? value : null;
  }

  /** `canStart`: the runtime is up, nothing runs and the settings are valid. */
  refresh(canStart: boolean, busy: Busy | null, settings: Settings | null): void {
    this.settings = settings;
    this.limitInput.placeholder = String(defaultLimit(settings?.workers ?? 8));
    const spawn = settings?.strategy === 'spawn-per-task';
    const note = spawn ? 'The sweep varies the number of workers: choose Worker pool (or rayon) to sweep.' : null;
    this.note.hidden = note === null;
    this.note.textContent = note ?? '';
    const limit = this.limit();
    this.button.disabled = !canStart || spawn || limit === null;
    this.button.textContent = busy === 'sweep' ? 'Sweeping…' : 'Sweep workers';
    this.limitInput.disabled = busy !== null;
    this.cancel.hidden = busy !== 'sweep';
  }

  /** Sweeps these settings' workers. */
  async start(settings: Settings): Promise<void> {
    const limit = this.limit();
    if (limit === null || settings.strategy === 'spawn-per-task') return;
    const counts = sweepCounts(limit);
    const root = this.button.getRootNode() as Document | ShadowRoot;
    const hadFocus = root.activeElement === this.button;
    const say = (message: string) => { this.status.textContent = message; this.context.say(message); };
    await this.context.exclusive.run('sweep', async (playground, signal) => {
      if (hadFocus) this.cancel.focus({ preventScroll: true });
      await this.sweep(playground, settings, counts, signal, say);
    }, {
      refused: (message) => say(`The runtime refused the settings: ${message}. The sweep did not run.`),
      failed: (message) => say(`The sweep failed: ${message}`),
    });
    this.row.hidden = this.bar.value === 0 && this.results.hidden;
    const now = root.activeElement;
    if (!this.button.disabled && (now === this.cancel || now === null || now === root.ownerDocument?.body || (root instanceof Document && now === root.body))) {
      this.button.focus({ preventScroll: true });
    }
  }

  private async sweep(playground: Playground, settings: Settings, counts: number[], signal: AbortSignal, say: (m: string) => void): Promise<void> {
    this.sweeping = true;
    this.row.hidden = false;
    this.bar.max = counts.length;
    this.bar.value = 0;
    this.results.hidden = true;
    delete this.results.dataset.points;
    const limits = { cores: this.cores(), maxLiveThreads: playground.info.maxLiveThreads };
    const estimate = counts.reduce((sum, workers) => sum + estimateRunMs({ ...settings, workers }, limits), 0);
    say(`Sweeping ${counted(counts.length, 'run')} (${counts.map(count).join(', ')} workers), ${counted(settings.tasks, 'task')} each: ${roughly(estimate)}.`);
    let frame = 0;
    let step = { index: 0, workers: counts[0], done: 0 };
    const paint = () => {
      frame = 0;
      this.bar.value = step.index + step.done / Math.max(1, settings.tasks);
      this.text.textContent = `Run ${count(step.index + 1)} of ${count(counts.length)}: ${counted(step.workers, 'worker')} · ${count(step.done)} / ${count(settings.tasks)} tasks`;
    };
    const limit = counts[counts.length - 1];
    try {
      const { points, cancelled } = await runSweep(playground, settings, counts, {
        signal,
        onStep: (index, workers, progress) => {
          step = { index, workers, done: progress ? finishedCount(progress.stats) : 0 };
          if (!frame) frame = requestAnimationFrame(paint);
        },
        onPoint: (points) => this.show(settings, points, limit),
      });
      if (frame) cancelAnimationFrame(frame);
      this.sweeping = false;
      this.bar.value = points.length;
      this.text.textContent = cancelled
        ? `Cancelled after ${count(points.length)} of ${counted(counts.length, 'run')}.`
        : `Done: ${count(points.length)} of ${counted(counts.length, 'run')}.`;
      this.show(settings, points, limit);
      say(cancelled ? `Sweep cancelled after ${count(points.length)} of ${counted(counts.length, 'run')}.` : `Sweep finished: ${counted(points.length, 'point')}.`);
    } finally {
      if (frame) cancelAnimationFrame(frame);
      this.sweeping = false;
    }
  }

  /** Draws the points so far, the theory's curves, the sentence and the table. */
  private show(settings: Settings, points: readonly SweepPoint[], limit: number): void {
    const curve = sweepTheory(settings, points, limit, this.cores());
    this.results.hidden = false;
    this.results.dataset.points = JSON.stringify(points);
    this.results.dataset.theory = JSON.stringify(curve);
    this.results.dataset.done = String(!this.sweeping);
    this.context.$('#sweep-sentence').textContent = sweepSentence(settings, points, curve);
    const measuredAt = new Map(points.map((p) => [p.workers, p]));
    const x = curve.workers;
    const throughput = [x, x.map((c) => measuredAt.get(c)?.throughputPerSec ?? null), curve.throughput] as uPlot.AlignedData;
    const wait = [x, x.map((c) => measuredAt.get(c)?.meanWaitMs ?? null), curve.waitMs] as uPlot.AlignedData;
    const box = (id: string) => this.context.$(`#sweep-chart-${id}`);
    const width = Math.max(200, box('throughput').clientWidth || this.results.clientWidth || 400);
    // One chart per sweep: rebuilt when the limit changes, else given the new points.
    for (const [key, data, label, values, format] of [
      ['throughput', throughput, 'Tasks/s', axisCount, (v: number) => `${figure(v)} tasks/s`],
      ['wait', wait, 'Mean queue wait', axisMs, ms],
    ] as const) {
      const existing = this.charts[key];
      if (existing && existing.data[0].length === x.length) {
        existing.setData(data);
      } else {
        existing?.destroy();
        this.charts[key] = new uPlot(chartOptions(width, label, values, format), data, box(key));
      }
    }
    this.table(points, curve);
  }

  private table(points: readonly SweepPoint[], curve: SweepCurve): void {
    const t = this.context.$<HTMLTableElement>('#sweep-table');
    t.replaceChildren();
    t.createCaption().textContent = `The sweep: ${counted(points.length, 'run')}, measured beside the theory`;
    const head = t.createTHead().insertRow();
    for (const text of ['Workers', 'Throughput, measured', 'Throughput, theory', 'Mean queue wait, measured', 'Mean queue wait, theory', 'Run took']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      head.append(th);
    }
    const body = t.createTBody();
    for (const p of points) {
      const tr = body.insertRow();
      tr.dataset.workers = String(p.workers);
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = count(p.workers);
      tr.append(th);
      const theoryThroughput = curve.throughput[p.workers - 1];
      const theoryWait = curve.waitMs[p.workers - 1];
      const unstable = settingsUnstable(curve, theoryWait);
      for (const text of [
        `${figure(p.throughputPerSec)} tasks/s`,
        theoryThroughput === null ? '–' : `${figure(theoryThroughput)} tasks/s`,
        ms(p.meanWaitMs),
        theoryWait === null ? (unstable ? 'unbounded (ρ ≥ 1)' : '–') : ms(theoryWait),
        ms(p.elapsedMs),
      ]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
    }
  }

  private resize(): void {
    for (const key of ['throughput', 'wait'] as const) {
      const chart = this.charts[key];
      const width = this.context.$(`#sweep-chart-${key}`).clientWidth;
      if (chart && width > 0 && Math.abs(width - chart.width) > 1) chart.setSize({ width, height: width < 420 ? 180 : 220 });
    }
  }

  destroy(): void {
    this.observer.disconnect();
    this.charts.throughput?.destroy();
    this.charts.wait?.destroy();
  }
}

/** A missing theory wait with a known service time: the arrivals outpace the workers. */
const settingsUnstable = (curve: SweepCurve, wait: number | null) => wait === null && curve.serviceMs !== null && curve.serviceMs > 0;
