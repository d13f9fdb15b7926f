// The two live time series (uPlot): progress over time and queue depth.
// Samples are appended as progress arrives; the charts are redrawn at most
// once per animation frame (views/run-view.ts calls render()). A resize of
// the running pool is a dashed vertical line on both where it was asked for,
// labelled with the new count, and a line of text under them (the log, which
// keeps the resizes as JSON in data-resizes). The replay's time cursor is a
// vertical line over both (setCursor; data-cursor-ms on each box). The
// canvases are hidden from assistive technology: each chart's words
// (chart-alt.ts) say what it shows, say what it will show before the first
// run, and hold its numbers as a table. uPlot's CSS comes with the page's
// (main.ts) or the element's shadow root (element.ts).
import uPlot from 'uplot';
import type { Progress, RunSummary } from 'wasm-worker-pool';
import { AXIS_LABEL, ChartText, EMPTY_TEXT, PROGRESS_SERIES, progressText, QUEUE_SERIES, queueText, tableOf, type ChartTextParts, type Columns } from './chart-alt';
import { IN_FLIGHT_COLOR, OUTCOME_COLOR, QUEUE_COLOR, RESIZE_COLOR, WAITING_COLOR } from './colors';
import { count, ms } from './format';
import type { Resized } from './resize';
import { drawStartupBand, notableStartup } from './startup-band';

/** One chart's elements: the box uPlot draws in, and where its words go. */
export interface ChartParts extends ChartTextParts {
  box: HTMLElement;
}

const axisValues = (_u: uPlot, splits: number[]) => splits.map((v) => count(v));
const secondValues = (_u: uPlot, splits: number[]) => splits.map((v) => `${Number(v.toFixed(2))} s`);

function axes(yLabel: string): uPlot.Axis[] {
  const grid = { stroke: '#e3e3e3', width: 1 };
  return [
    { values: secondValues, grid, ticks: grid, stroke: '#333', label: AXIS_LABEL.time, labelSize: 18 },
    { values: axisValues, grid, ticks: grid, stroke: '#333', label: yLabel, labelSize: 18, size: 56 },
  ];
}

const line = (label: string, stroke: string, dash?: number[], width = 2): uPlot.Series => ({
  label, stroke, width, dash, points: { show: false },
  value: (_u, v) => (v === null || v === undefined ? '–' : count(v)),
});

export class Charts {
  private progressData: Columns = [[], [], [], [], [], [], []];
  private queueData: Columns = [[], [], []];
  private progress: uPlot;
  private queue: uPlot;
  private resizes: Resized[] = [];
  private dirty = false;
  private observer: ResizeObserver;
  private progressBox: HTMLElement;
  private queueBox: HTMLElement;
  private progressWords: ChartText;
  private queueWords: ChartText;
  /** The queue's deepest point the runtime saw (the samples may miss it). */
  private queueHighWater = 0;
  /** When the run's first task started (ms; Infinity until one did): the start-up band ends there. */
  private firstStartMs = Infinity;
  /** The replay's cursor, in ms since the start (null: none). */
  private cursorMs: number | null = null;

  constructor(progress: ChartParts, queue: ChartParts, private log: HTMLElement) {
    const progressBox = this.progressBox = progress.box;
    this.queueBox = queue.box;
    this.progressWords = new ChartText(progress, EMPTY_TEXT.progress, 'Tasks finished so far by outcome, and in flight');
    this.queueWords = new ChartText(queue, EMPTY_TEXT.queue, 'Jobs waiting in the queue, and tasks waiting for a connection');
    const base = (yLabel: string, series: uPlot.Series[]): uPlot.Options => ({
      width: Math.max(200, progressBox.clientWidth),
      height: 220,
      scales: { x: { time: false } },
      axes: axes(yLabel),
      series: [{ label: 'time', value: (_u, v) => (v === null ? '–' : `${v.toFixed(2)} s`) }, ...series],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      hooks: { draw: [(u) => this.drawStartup(u), (u) => this.drawResizes(u), (u) => this.placeCursor(u)] },
    });
    const [succeeded, failed, panicked, timedOut, cancelled, inFlight] = PROGRESS_SERIES;
    this.progress = new uPlot(base(AXIS_LABEL.progress, [
      line(succeeded, OUTCOME_COLOR.succeeded),
      line(failed, OUTCOME_COLOR.failed, [8, 4]),
      line(panicked, OUTCOME_COLOR.panicked, [2, 3, 8, 3]),
      line(timedOut, OUTCOME_COLOR.timedOut, [2, 3]),
      line(cancelled, OUTCOME_COLOR.cancelled, [12, 4]),
      line(inFlight, IN_FLIGHT_COLOR, undefined, 3),
    ]), this.progressData as uPlot.AlignedData, progressBox);
    const [queued, waiting] = QUEUE_SERIES;
    this.queue = new uPlot(base(AXIS_LABEL.queue, [
      line(queued, QUEUE_COLOR),
      line(waiting, WAITING_COLOR, [6, 3], 3),
    ]), this.queueData as uPlot.AlignedData, this.queueBox);
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(progressBox);
    this.observer.observe(this.queueBox);
  }

  /** A run starts: empty lines, drawn live from here on. */
  reset(): void {
    this.progressData = [[], [], [], [], [], [], []];
    this.queueData = [[], [], []];
    this.resizes = [];
    this.queueHighWater = 0;
    this.firstStartMs = Infinity;
    this.showStartup();
    this.showLog();
    this.progressWords.showRunning();
    this.queueWords.showRunning();
    this.dirty = true;
    this.render();
  }

  /**
   * The run ended: its last point is the summary's (the last progress may
   * predate the last results), and each chart's words and table follow.
   */
  finish(summary: RunSummary): void {
    this.firstStartMs = summary.firstStartMs ?? Infinity;
    this.showStartup();
    const t = summary.elapsedMs / 1000;
    const final = [summary.succeeded, summary.failed, summary.panicked, summary.timedOut, summary.cancelled, 0];
    const d = this.progressData;
    const last = d[0].length - 1;
    if (last < 0 || d[0][last] < t) {
      d[0].push(t);
      final.forEach((v, k) => d[k + 1].push(v));
      this.queueData[0].push(t); this.queueData[1].push(0); this.queueData[2].push(0);
    } else {
      final.forEach((v, k) => { d[k + 1][last] = v; });
      this.queueData[1][last] = 0; this.queueData[2][last] = 0;
    }
    this.dirty = true;
    this.render();
    this.progressWords.show(progressText(d, summary), tableOf(d, PROGRESS_SERIES), d[0].length);
    this.queueWords.show(queueText(this.queueData, this.queueHighWater), tableOf(this.queueData, QUEUE_SERIES), this.queueData[0].length);
  }

  /** The running pool was resized: mark it on both charts and in the log. */
  mark(resize: Resized): void {
    this.resizes.push(resize);
    this.showLog();
    this.dirty = true;
  }

  /** A progress snapshot; `firstStartMs`: when the run's first task started so far (the timeline's, Infinity until one did). */
  push(p: Progress, firstStartMs: number): void {
    const s = p.stats;
    const t = p.elapsedMs / 1000;
    const d = this.progressData;
    d[0].push(t); d[1].push(s.succeeded); d[2].push(s.failed); d[3].push(s.panicked);
    d[4].push(s.timedOut); d[5].push(s.cancelled); d[6].push(s.inFlight);
    const waiting = s.workers.reduce((n, w) => n + (w.state.state === 'waitingForConnection' ? 1 : 0), 0);
    const q = this.queueData;
    q[0].push(t); q[1].push(s.queued); q[2].push(waiting);
    this.queueHighWater = Math.max(this.queueHighWater, s.queueHighWater);
    if (firstStartMs !== this.firstStartMs) {
      this.firstStartMs = firstStartMs;
      this.showStartup();
    }
    this.dirty = true;
  }

  /** Redraw if anything changed since the last frame. */
  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.progress.setData(this.progressData as uPlot.AlignedData);
    this.queue.setData(this.queueData as uPlot.AlignedData);
  }

  /** The run failed: the lines drawn so far stay, with no summary to come. */
  failed(): void {
    this.progressWords.showFailed();
    this.queueWords.showFailed();
  }

  /** The resizes as text: what the dashed lines show, for every reader. */
  private showLog(): void {
    const list = this.resizes;
    this.log.dataset.resizes = JSON.stringify(list);
    this.log.hidden = list.length === 0;
    this.log.textContent = list.length === 0 ? '' : `Pool resized (dashed lines, labelled with the new count): ${
      list.map((r) => `at ${ms(r.askedMs)} to ${count(r.workers)} ${r.workers === 1 ? 'worker' : 'workers'} (in effect ${ms(r.atMs - r.askedMs)} later)`).join('; ')}.`;
  }

  /** The start-up band's extent, for tests and readers of the DOM (data-startup-ms; absent: none). */
  private showStartup(): void {
    const startup = notableStartup(this.firstStartMs);
    for (const box of [this.progressBox, this.queueBox]) {
      if (startup === null) delete box.dataset.startupMs;
      else box.dataset.startupMs = String(startup);
    }
  }

  private drawStartup(u: uPlot): void {
    const startup = notableStartup(this.firstStartMs);
    if (startup === null) return;
    const { left, top, width, height } = u.bbox;
    const x0 = Math.max(left, u.valToPos(0, 'x', true));
    const x1 = Math.min(left + width, u.valToPos(startup / 1000, 'x', true));
    drawStartupBand(u.ctx, x0, x1, top, height, uPlot.pxRatio);
  }

  private drawResizes(u: uPlot): void {
    if (this.resizes.length === 0) return;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const px = uPlot.pxRatio;
    ctx.save();
    ctx.strokeStyle = RESIZE_COLOR;
    ctx.lineWidth = 2 * px;
    ctx.setLineDash([5 * px, 3 * px]);
    ctx.font = `600 ${11 * px}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    this.resizes.forEach((r, i) => {
      const x = Math.round(u.valToPos(r.askedMs / 1000, 'x', true));
      if (!(x >= left && x <= left + width)) return;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      // The new count beside the line, on a white plate; rows alternate so
      // that close resizes stay readable.
      const label = `\u2192 ${count(r.workers)}`;
      const w = ctx.measureText(label).width + 6 * px;
      const h = 14 * px;
      const lx = x + w + 2 * px > left + width ? x - w - 2 * px : x + 2 * px;
      const ly = top + 2 * px + (i % 3) * (h + 2 * px);
      ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
      ctx.fillRect(lx, ly, w, h);
      ctx.fillStyle = RESIZE_COLOR;
      ctx.fillText(label, lx + 3 * px, ly + 1.5 * px);
    });
    ctx.restore();
  }

  private resize(): void {
    for (const [chart, box] of [[this.progress, this.progressBox], [this.queue, this.queueBox]] as const) {
      const width = box.clientWidth;
      if (width > 0 && Math.abs(width - chart.width) > 1) chart.setSize({ width, height: width < 420 ? 180 : 220 });
    }
  }

  /** Stop observing and drop both charts (the playground is going away). */
  destroy(): void {
    this.observer.disconnect();
    this.progress.destroy();
    this.queue.destroy();
  }

  /** The replay's time cursor, in ms since the start (null: none): a vertical line over both charts. */
  setCursor(timeMs: number | null): void {
    this.cursorMs = timeMs;
    this.placeCursor(this.progress);
    this.placeCursor(this.queue);
  }

  /** The cursor's line in the chart's plot area (uPlot's over layer), where its time is on the x axis. */
  private placeCursor(u: uPlot): void {
    let line = u.over.querySelector<HTMLElement>('.replay-cursor');
    if (!line) {
      line = document.createElement('div');
      line.className = 'replay-cursor';
      u.over.append(line);
    }
    const box = u.root.parentElement;
    const x = this.cursorMs === null ? NaN : u.valToPos(this.cursorMs / 1000, 'x');
    line.hidden = !(x >= -0.5 && x <= u.over.clientWidth + 0.5);
    if (!line.hidden) line.style.left = `${Math.round(x) - 1}px`;
    if (box) {
      if (this.cursorMs === null) delete box.dataset.cursorMs;
      else box.dataset.cursorMs = String(this.cursorMs);
    }
  }

  get samples(): number {
    return this.progressData[0].length;
  }
}
