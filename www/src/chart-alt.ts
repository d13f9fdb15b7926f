// The charts' text alternatives (charts.ts draws them on canvases, which say
// nothing to a screen reader and nothing before the first run): what each
// will show before a run, a short summary in words computed from the samples
// and the run's summary after it, and a table of the numbers behind the
// lines, sampled to a readable number of rows.
import type { RunSummary } from 'wasm-worker-pool';
import { count, ms, rate } from './format';
import { outcomePhrase, outcomeTotal } from './outcomes';

/** Columns as uPlot takes them: times in seconds first, then one column per series. */
export type Columns = number[][];

/** The series of each chart, in column order after time: the legend, the table's headers. */
export const PROGRESS_SERIES = ['Succeeded', 'Failed', 'Panicked', 'Timed out', 'Cancelled', 'In flight'] as const;
export const QUEUE_SERIES = ['Queued', 'Waiting for a connection'] as const;

/** The axes' titles, with their units; the tables head their columns with them too. */
export const AXIS_LABEL = { time: 'Time since start (s)', progress: 'Tasks', queue: 'Jobs waiting' } as const;

/** What each chart will show, said before the first run instead of an empty box. */
export const EMPTY_TEXT = {
  progress: 'Run to see tasks finish over time: a line per outcome (succeeded, failed…), adding up, and the tasks in flight.',
  queue: 'Run to see how many jobs wait in the queue over time, and how many tasks wait for a connection.',
} as const;

/** The most rows a chart's table shows: enough to follow the shape, few enough to read. */
export const MAX_TABLE_ROWS = 20;

/** A time on the charts' x axis: seconds since the run started, as the axis labels them. */
export const seconds = (s: number) => `${Number(s.toFixed(2))} s`;

const IN_FLIGHT = PROGRESS_SERIES.indexOf('In flight') + 1;

/** Where a column is highest: its value and the time it first got there (null: no samples). */
function peak(d: Columns, column: number): { value: number; at: number } | null {
  let best: { value: number; at: number } | null = null;
  d[column].forEach((value, i) => {
    if (!best || value > best.value) best = { value, at: d[0][i] };
  });
  return best;
}

/**
 * The fastest tasks finished, over windows of a tenth of the run (at least
 * 50 ms, so that a few samples' jitter is not a peak), and the middle of that
 * window; null when the run is too short to tell.
 */
export function peakThroughput(d: Columns): { perSec: number; at: number } | null {
  const t = d[0];
  const finished = t.map((_, i) => PROGRESS_SERIES.slice(0, 5).reduce((n, _s, k) => n + d[k + 1][i], 0));
  const window = Math.max(0.05, (t[t.length - 1] - t[0]) / 10);
  let best: { perSec: number; at: number } | null = null;
  let from = 0;
  for (let i = 1; i < t.length; i++) {
    while (from + 1 < i && t[i] - t[from + 1] >= window) from++;
    const span = t[i] - t[from];
    if (span < window) continue;
    const perSec = (finished[i] - finished[from]) / span;
    if (!best || perSec > best.perSec) best = { perSec, at: (t[i] + t[from]) / 2 };
  }
  return best;
}

/** The progress chart in words: what finished and how, where throughput and in-flight peaked. */
export function progressText(d: Columns, summary: RunSummary): string {
  const head = summary.aborted
    ? `Cancelled after ${ms(summary.elapsedMs)}: of ${count(summary.tasks)} tasks, ${outcomePhrase(summary)}.`
    : `${count(outcomeTotal(summary))} tasks finished in ${ms(summary.elapsedMs)}: ${outcomePhrase(summary)}.`;
  const parts = [head];
  const fastest = peakThroughput(d);
  parts.push(fastest
    ? `Throughput averaged ${rate(summary.throughputPerSec)} and peaked at ${rate(fastest.perSec)} around ${seconds(fastest.at)}.`
    : `Throughput averaged ${rate(summary.throughputPerSec)}.`);
  const inFlight = peak(d, IN_FLIGHT);
  if (inFlight && inFlight.value > 0) parts.push(`In flight peaked at ${count(inFlight.value)} tasks at ${seconds(inFlight.at)}.`);
  return parts.join(' ');
}

/** The queue chart in words: how deep it got and when, when it emptied, who waited for a connection. */
export function queueText(d: Columns, highWater: number): string {
  const queued = peak(d, 1);
  if (!queued || queued.value === 0) {
    return highWater > 0
      ? `The queue held at most ${count(highWater)} jobs, too briefly to show between samples.`
      : 'No job waited in the queue: each was taken as soon as it was sent.';
  }
  const parts = [`Jobs waiting in the queue peaked at ${count(queued.value)} at ${seconds(queued.at)}` +
    (highWater > queued.value ? ` (its high-water mark, between samples, was ${count(highWater)})` : '')];
  let lastBusy = d[1].length - 1;
  while (lastBusy > 0 && d[1][lastBusy] === 0) lastBusy--;
  if (lastBusy + 1 < d[0].length) parts[0] += `; the queue was empty from ${seconds(d[0][lastBusy + 1])} on`;
  parts[0] += '.';
  const waiting = peak(d, 2);
  if (waiting && waiting.value > 0) {
    parts.push(`Tasks waiting for a connection peaked at ${count(waiting.value)} at ${seconds(waiting.at)}.`);
  }
  return parts.join(' ');
}

/** Which samples the table shows: at most `max`, spread evenly in time, always the first and the last. */
export function rowsToShow(times: readonly number[], max = MAX_TABLE_ROWS): number[] {
  if (times.length <= max) return times.map((_, i) => i);
  const first = times[0];
  const span = times[times.length - 1] - first;
  const picked = new Set<number>();
  let i = 0;
  // max - 1 evenly spaced picks, then the last row itself: first + span can
  // round below the last time, and picking it by target would add a row.
  for (let k = 0; k < max - 1; k++) {
    const target = first + (span * k) / (max - 1);
    while (i + 1 < times.length && times[i + 1] <= target) i++;
    picked.add(i);
  }
  picked.add(times.length - 1);
  return [...picked].sort((a, b) => a - b);
}

/** A chart's table: time, then the series that were ever above zero (and always the first). */
export function tableOf(d: Columns, series: readonly string[]): { headers: string[]; rows: string[][] } {
  const kept = series.map((_, k) => k + 1).filter((column) => column === 1 || d[column].some((v) => v > 0));
  return {
    headers: [AXIS_LABEL.time, ...kept.map((column) => series[column - 1])],
    rows: rowsToShow(d[0]).map((i) => [d[0][i].toFixed(2), ...kept.map((column) => count(d[column][i]))]),
  };
}

export interface ChartTextParts {
  /** Over the chart before the first run: what it will show. */
  empty: HTMLElement;
  /** Under the chart: its summary in words. */
  alt: HTMLElement;
  /** The disclosure that holds the table. */
  data: HTMLDetailsElement;
  table: HTMLTableElement;
}

/** One chart's words: its empty state, its summary, its table. */
export class ChartText {
  constructor(private parts: ChartTextParts, emptyText: string, private caption: string) {
    parts.empty.textContent = emptyText;
    this.showEmpty();
  }

  /** Before any run: the empty state says what will appear. */
  showEmpty(): void {
    this.parts.empty.hidden = false;
    this.parts.alt.hidden = true;
    this.parts.alt.textContent = '';
    this.parts.data.hidden = true;
  }

  /** A run started: the lines are drawn live; the words come once it ends. */
  showRunning(): void {
    this.parts.empty.hidden = true;
    this.parts.alt.hidden = false;
    this.parts.alt.textContent = 'Drawn live as the run goes; a summary in words and a table follow when it ends.';
    this.parts.data.hidden = true;
  }

  /** The run failed before its end: what is drawn is all there is. */
  showFailed(): void {
    this.parts.alt.textContent = 'The run failed before its end (the status under Run says why): the lines stop where it did.';
    this.parts.data.hidden = true;
  }

  /** The run ended: its summary, and the table of the samples drawn. */
  show(text: string, table: { headers: string[]; rows: string[][] }, samples: number): void {
    this.parts.empty.hidden = true;
    this.parts.alt.hidden = false;
    this.parts.alt.textContent = text;
    const t = this.parts.table;
    t.replaceChildren();
    const caption = t.createCaption();
    caption.textContent = samples > table.rows.length
      ? `${this.caption}: ${count(table.rows.length)} of the ${count(samples)} samples drawn, evenly spread in time`
      : `${this.caption}: every sample drawn`;
    const head = t.createTHead().insertRow();
    for (const text of table.headers) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      head.append(th);
    }
    const body = t.createTBody();
    for (const row of table.rows) {
      const tr = body.insertRow();
      row.forEach((text, i) => {
        const cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) (cell as HTMLTableCellElement).scope = 'row';
        cell.textContent = text;
        tr.append(cell);
      });
    }
    this.parts.data.hidden = false;
  }
}
