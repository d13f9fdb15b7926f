// The per-worker timeline on a canvas: a lane per worker, a bar per finished
// task coloured (and patterned) by outcome, time spent waiting for the
// limited resource hatched over the bar. Drawing is incremental: each frame
// draws only the events that arrived since the last one. The time axis
// doubles when the run outgrows it (a full redraw, so O(log) of them per run),
// and is fitted once to the run's length at the end. A pool resized while it
// runs gets lanes as workers join (a new worker takes the lowest free id, so
// ids may pass the initial count, up to 256): lanes are added, with a full
// redraw, and each resize is a dashed line labelled with the new count.
// Beyond 50,000 tasks the runtime keeps every Nth task by id, an even sample
// across the whole run, and the caption says so. The canvas shows a window
// of the time axis (timeline-zoom.ts: zoom and pan, live during a run too),
// and a bar can be looked up by hover, tap or the keyboard
// (timeline-inspect.ts). The replay's time cursor is a vertical line over the
// lanes (setCursor; the canvas's data-cursor-ms), kept in view when zoomed.
// The canvas's data-worker-lanes (worker ids 0 to n - 1 have a lane),
// data-rows, data-lane-height, data-top, data-plot-left, data-plot-width and
// data-view-start-ms / data-view-end-ms say what is drawn where; the caption
// says it in words at every frame (before a run, during it, after it).
import type { RunSummary, StrategyKind, TimelineEvent } from 'wasm-worker-pool';
import { drawStartupBand, notableStartup } from './startup-band';
import { makePattern, OUTCOME_COLOR, OUTCOME_PATTERN, RESIZE_COLOR, WAITING_COLOR } from './colors';
import { count, counted, ordinal } from './format';
import type { Resized } from './resize';
import { TimelineInspector, type TimelineLayout } from './timeline-inspect';
import { TimeWindow, ZoomControls, zoomSentence, type ZoomParts } from './timeline-zoom';
import { workerNumber } from './worker-number';

/** Most lanes drawn; more workers share lanes. */
export const MAX_LANES = 64;
/** Worker ids are below this (the most workers a pool has). */
const MAX_WORKERS = 256;
const GUTTER = 52; // CSS px for lane labels
const TOP = 3; // CSS px above the first lane
const AXIS = 22; // CSS px for the time axis
const BACKGROUND = '#ffffff';

/**
 * The most tasks the runtime keeps on the timeline (MAX_TIMELINE_EVENTS in
 * crate/src/session/tally.rs): a run of more keeps the tasks whose id is a
 * multiple of ceil(tasks / this), summary.timelineEvery at the end.
 */
export const TIMELINE_KEEPS = 50_000;

/** What the caption describes: no run yet, a run in progress, or a finished one. */
type Phase = 'empty' | 'running' | 'finished';

/** The elements the timeline draws into and is driven from. */
export interface TimelineParts {
  canvas: HTMLCanvasElement;
  box: HTMLElement;
  caption: HTMLElement;
  /** The live region that describes the bar hovered, tapped or stepped to. */
  detail: HTMLElement;
  zoom: ZoomParts;
}

export class Timeline {
  private ctx: CanvasRenderingContext2D;
  private canvas: HTMLCanvasElement;
  private box: HTMLElement;
  private caption: HTMLElement;
  private events: TimelineEvent[] = [];
  /** The lane each event was last drawn in (-1: not drawn), for looking bars up. */
  private laneAt: number[] = [];
  private drawn = 0;
  /** The axis: from 0 to this many ms (doubling as the run outgrows it). */
  private windowMs = 1000;
  /** The part of the axis shown. */
  private view = new TimeWindow();
  private zoom: ZoomControls;
  private inspector: TimelineInspector;
  /** The timeline keeps every `every`th task by id, of `tasks`; `kept` of them so far. */
  private every = 1;
  private tasks = 0;
  private kept = 0;
  /** A redraw asked for by a zoom or a pan, in the next animation frame. */
  private frame = 0;
  private lanes = 1;
  private workers = 1;
  /** The worker count the run started with (the timeline may add lanes). */
  private initialWorkers = 1;
  private resizes: Resized[] = [];
  private strategy: StrategyKind = 'pool';
  /** spawn-per-task: end time of the last bar in each packed lane. */
  private laneEnds: number[] = [];
  private laneOf = new Map<number, number>();
  private overlapped = false;
  private width = 0;
  private height = 0;
  private scale = 1;
  private patterns = new Map<string, CanvasPattern | string>();
  private needsFull = true;
  private observer: ResizeObserver;
  private phase: Phase = 'empty';
  /** Of the events, those drawn (they started) and those that waited for a connection. */
  private started = 0;
  private waited = 0;
  private firstStartMs = Infinity;
  /** The replay's cursor (ms since the start; null: none) and its line over the lanes. */
  private cursorMs: number | null = null;
  private cursorLine: HTMLElement;

  /** When the run's first task started, of the events so far (Infinity until one did). */
  get firstStart(): number {
    return this.firstStartMs;
  }
  private elapsedMs = 0;

  constructor(parts: TimelineParts) {
    const { canvas, box } = parts;
    this.canvas = canvas;
    this.box = box;
    this.caption = parts.caption;
    this.ctx = canvas.getContext('2d', { alpha: false })!;
    this.cursorLine = document.createElement('div');
    this.cursorLine.className = 'replay-cursor';
    this.cursorLine.hidden = true;
    box.append(this.cursorLine);
    this.observer = new ResizeObserver(() => {
      if (box.clientWidth > 0 && Math.round(box.clientWidth) !== this.width) {
        this.needsFull = true;
        this.flush();
      }
    });
    this.observer.observe(box);
    this.zoom = new ZoomControls(this.view, parts.zoom, canvas, {
      hasBars: () => this.started > 0,
      plot: () => ({ left: GUTTER, width: this.geometry().plotWidth }),
      focusMs: () => {
        const shown = this.inspector.shown;
        return shown >= 0 ? (this.events[shown].startedMs + this.events[shown].endedMs) / 2 : null;
      },
      changed: () => this.viewChanged(),
    });
    const timeline = this;
    this.inspector = new TimelineInspector(canvas, parts.detail, box, {
      get events() { return timeline.events; },
      laneOf: (index) => this.laneAt[index] ?? -1,
      layout: () => this.layout(),
      strategy: () => this.strategy,
      laneLabel: (lane) => this.laneLabel(lane),
      reveal: (index) => {
        const e = this.events[index];
        const before = this.view.startMs;
        this.view.reveal(e.startedMs, e.endedMs);
        if (this.view.startMs !== before) this.viewChanged();
      },
      dragging: () => this.zoom.dragging,
    });
  }

  /** An empty timeline for a run of these settings: starting now (`running`), or not yet. */
  reset(strategy: StrategyKind, workers: number, tasks: number, running = true): void {
    this.strategy = strategy;
    this.workers = strategy === 'spawn-per-task' ? Math.min(tasks, MAX_LANES) : workers;
    this.initialWorkers = this.workers;
    this.resizes = [];
    // One thread per task: rows are added (doubling) as threads overlap.
    this.lanes = strategy === 'spawn-per-task' ? Math.min(this.workers, 4) : Math.min(this.workers, MAX_LANES);
    this.events = [];
    this.laneAt = [];
    this.drawn = 0;
    this.laneEnds = [];
    this.laneOf.clear();
    this.overlapped = false;
    this.windowMs = 1000;
    // A new run is seen whole first.
    this.view.setTotal(this.windowMs);
    this.view.reset();
    this.needsFull = true;
    this.phase = running ? 'running' : 'empty';
    this.started = 0;
    this.waited = 0;
    this.firstStartMs = Infinity;
    // The runtime's sample: the same N during the run as in its summary at the end.
    this.tasks = tasks;
    this.every = Math.max(1, Math.ceil(tasks / TIMELINE_KEEPS));
    this.kept = 0;
    this.inspector.clear();
    this.flush();
  }

  append(events: TimelineEvent[]): void {
    this.kept += events.length;
    for (const e of events) {
      this.events.push(e);
      this.laneAt.push(-1);
      if (e.startedMs >= 0) {
        this.started++;
        this.firstStartMs = Math.min(this.firstStartMs, e.startedMs);
      }
      if (e.waitStartMs >= 0 && e.waitEndMs > e.waitStartMs) this.waited++;
      const end = Math.max(e.endedMs, e.startedMs);
      if (end > this.windowMs) {
        while (end > this.windowMs) this.windowMs *= 2;
        this.needsFull = true;
      }
    }
  }

  /** The running pool was resized: its lanes grow with it, and the moment is marked. */
  resized(resize: Resized): void {
    this.resizes.push(resize);
    // Joining workers take the lowest free ids, so a pool of n uses ids below n.
    this.growTo(resize.workers);
    while (resize.askedMs > this.windowMs) this.windowMs *= 2;
    this.needsFull = true;
  }

  /** Draw what is new (or everything, after a resize, a rescale, a zoom or a pan). */
  flush(): void {
    if (this.windowMs !== this.view.total) this.view.setTotal(this.windowMs);
    if (this.needsFull) this.redraw();
    else this.drawFrom(this.drawn);
    const caption = this.captionText();
    if (this.caption.textContent !== caption) this.caption.textContent = caption;
    this.zoom.refresh();
    this.inspector.show();
    this.placeCursor();
  }

  /** The replay's time cursor, in ms since the start (null: none); zoomed, the window pans to keep it in view. */
  setCursor(timeMs: number | null): void {
    this.cursorMs = timeMs;
    if (timeMs !== null && this.view.zoomed) {
      const before = this.view.startMs;
      this.view.reveal(timeMs, timeMs);
      if (this.view.startMs !== before) this.viewChanged();
    }
    this.placeCursor();
  }

  private placeCursor(): void {
    const line = this.cursorLine;
    const { laneHeight, plotWidth } = this.geometry();
    const x = this.cursorMs === null || this.width <= 0 ? NaN : this.view.toX(this.cursorMs, GUTTER, plotWidth);
    line.hidden = !(x >= GUTTER - 0.5 && x <= GUTTER + plotWidth + 0.5);
    if (this.cursorMs === null) delete this.canvas.dataset.cursorMs;
    else this.canvas.dataset.cursorMs = String(this.cursorMs);
    if (line.hidden) return;
    line.style.left = `${Math.round(x) - 1}px`;
    line.style.top = `${TOP}px`;
    line.style.height = `${this.lanes * laneHeight}px`;
  }

  /** At the end of a run: fit the axis to the run and redraw once; the summary says what the timeline kept. */
  finish(summary: RunSummary): void {
    const last = this.events.reduce((m, e) => Math.max(m, e.endedMs), 0);
    this.windowMs = Math.max(1, last, summary.elapsedMs) * 1.02;
    this.needsFull = true;
    this.phase = 'finished';
    this.elapsedMs = summary.elapsedMs;
    this.tasks = summary.tasks;
    this.every = Math.max(1, summary.timelineEvery);
    this.kept = summary.timelineEvents;
    this.flush();
  }

  /** The view window moved (a zoom or a pan): redraw in the next frame, run or no run. */
  private viewChanged(): void {
    this.needsFull = true;
    this.zoom.refresh();
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.flush();
      });
    }
  }

  /** Where the lanes and the plot are, for looking bars up. */
  private layout(): TimelineLayout {
    const { laneHeight, plotWidth } = this.geometry();
    return {
      top: TOP, laneHeight, lanes: this.lanes, left: GUTTER, width: plotWidth,
      toX: (timeMs) => this.view.toX(timeMs, GUTTER, plotWidth),
      toMs: (x) => this.view.toMs(x, GUTTER, plotWidth),
    };
  }

  /** The caption: what the canvas shows now, in words. */
  private captionText(): string {
    if (this.phase === 'empty') return 'No run yet: each finished task will appear as a bar on its worker\'s lane.';
    const waited = this.waited ? `; ${count(this.waited)} waited for a connection` : '';
    if (this.phase === 'running') {
      if (this.events.length === 0) return `No task has finished yet: each one will appear as a bar on its worker's lane.${this.sampleSentence()}`;
      return `${counted(this.started, 'task')} drawn so far on ${this.lanesText()}${waited}.${this.sampleSentence()}${zoomSentence(this.view)}`;
    }
    const sizes = this.resizes.map((r) => count(r.workers));
    const resized = sizes.length === 0 ? ''
      : ` (the pool started with ${count(this.initialWorkers)} and was resized ${sizes.length === 1 ? 'once, to' : `${count(sizes.length)} times, to`} ${
        sizes.length === 1 ? sizes[0] : `${sizes.slice(0, -1).join(', ')} and ${sizes[sizes.length - 1]}`}: the dashed lines)`;
    const starting = this.strategy === 'spawn-per-task' ? 'the first thread starting' : `the ${this.strategy === 'rayon' ? 'threads' : 'workers'} starting`;
    const startup = notableStartup(this.firstStartMs);
    const blank = startup !== null
      ? ` The grey band before the first bar (${count(Math.round(startup))} ms, "start-up") is ${starting}.`
      : this.started > 0 ? ` The first task started ${count(Math.round(this.firstStartMs))} ms after the run began: no start-up band (threads kept warm from an earlier run start at once).` : '';
    return `${counted(this.started, 'task')} drawn on ${this.lanesText()}${resized} over ${count(Math.round(this.elapsedMs))} ms${waited}.${this.sampleSentence()}${blank}${zoomSentence(this.view)}`;
  }

  /** Beyond what the timeline keeps, which tasks it shows: " Every 3rd task shown (40,000 of 120,000): an even sample by task id." */
  private sampleSentence(): string {
    if (this.every <= 1) return '';
    const kept = this.phase === 'running' ? `${count(this.kept)} so far of ${count(this.tasks)}` : `${count(this.kept)} of ${count(this.tasks)}`;
    return ` Every ${ordinal(this.every)} task shown (${kept}): an even sample by task id across the whole run; the counts are exact.`;
  }

  /** What the lanes stand for: workers, rayon threads, or rows of one thread per task. */
  private lanesText(): string {
    if (this.strategy === 'spawn-per-task') {
      return `${counted(this.lanes, 'row')}, one thread per task (threads that did not overlap in time share a row${this.overlapped ? `; more than ${MAX_LANES} ran at once, so some bars overlap` : ''})`;
    }
    const noun = this.strategy === 'rayon' ? 'rayon thread' : this.resizes.length ? 'worker lane' : 'worker';
    return `${counted(this.workers, noun)}${this.workers > this.lanes ? ` in ${counted(this.lanes, 'lane')}` : ''}`;
  }

  /** Stop observing the box (the playground is going away). */
  destroy(): void {
    this.observer.disconnect();
    if (this.frame) cancelAnimationFrame(this.frame);
  }

  get eventCount(): number {
    return this.events.length;
  }

  /** Lanes for worker ids below `workers` (a pool that grew, or a thread we did not expect). */
  private growTo(workers: number): void {
    const next = Math.min(workers, MAX_WORKERS);
    if (this.strategy === 'spawn-per-task' || next <= this.workers) return;
    this.workers = next;
    this.lanes = Math.min(this.workers, MAX_LANES);
    this.needsFull = true;
  }

  private laneFor(e: TimelineEvent): number {
    if (this.strategy !== 'spawn-per-task') {
      if (e.workerId < 0 || e.workerId >= MAX_WORKERS) return -1;
      if (e.workerId >= this.workers) this.growTo(e.workerId + 1);
      return this.workers > MAX_LANES ? Math.floor((e.workerId * MAX_LANES) / this.workers) : e.workerId;
    }
    // One thread per task: pack threads into rows that do not overlap in time.
    const known = this.laneOf.get(e.taskId);
    if (known !== undefined) return known;
    let lane = this.laneEnds.findIndex((end) => end <= e.startedMs);
    if (lane < 0 && this.laneEnds.length >= this.lanes && this.lanes < this.workers) {
      this.lanes = Math.min(this.workers, this.lanes * 2);
      this.needsFull = true;
    }
    if (lane < 0 && this.laneEnds.length < this.lanes) lane = this.laneEnds.length;
    if (lane < 0) {
      lane = this.laneEnds.indexOf(Math.min(...this.laneEnds));
      this.overlapped = true;
    }
    this.laneEnds[lane] = Math.max(this.laneEnds[lane] ?? 0, e.endedMs);
    this.laneOf.set(e.taskId, lane);
    return lane;
  }

  private geometry() {
    const laneHeight = this.lanes <= 12 ? 18 : this.lanes <= 24 ? 12 : this.lanes <= 40 ? 8 : 6;
    return { laneHeight, plotWidth: Math.max(10, this.width - GUTTER - 8) };
  }

  private pattern(kind: 'stripes' | 'dots' | 'cross' | 'hatch', color: string, ink: string) {
    const key = `${kind}${color}${ink}${this.scale}`;
    let p = this.patterns.get(key);
    if (!p) this.patterns.set(key, (p = makePattern(this.ctx, kind, color, ink, this.scale)));
    return p;
  }

  private redraw(): void {
    this.needsFull = false;
    const width = Math.round(this.box.clientWidth);
    if (width <= 0) {
      this.needsFull = true; // hidden: draw when shown
      return;
    }
    const { laneHeight } = this.geometry();
    this.width = width;
    this.height = this.lanes * laneHeight + AXIS + 6;
    this.scale = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * this.scale);
    this.canvas.height = Math.round(this.height * this.scale);
    this.canvas.style.height = `${this.height}px`;
    this.canvas.dataset.workerLanes = String(this.strategy === 'spawn-per-task' ? 0 : this.workers);
    this.canvas.dataset.rows = String(this.lanes);
    this.canvas.dataset.laneHeight = String(laneHeight);
    this.canvas.dataset.top = String(TOP);
    this.canvas.dataset.plotLeft = String(GUTTER);
    this.canvas.dataset.plotWidth = String(this.geometry().plotWidth);
    this.canvas.dataset.viewStartMs = String(this.view.startMs);
    this.canvas.dataset.viewEndMs = String(this.view.endMs);
    const ctx = this.ctx;
    ctx.setTransform(this.scale, 0, 0, this.scale, 0, 0);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, width, this.height);
    this.drawFrame();
    this.drawFrom(0);
  }

  private drawFrame(): void {
    const ctx = this.ctx;
    const { laneHeight, plotWidth } = this.geometry();
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    // Lanes: alternate shading and labels.
    const labelEvery = Math.ceil(12 / laneHeight);
    for (let lane = 0; lane < this.lanes; lane++) {
      const y = TOP + lane * laneHeight;
      if (lane % 2 === 1) {
        ctx.fillStyle = '#f4f4f4';
        ctx.fillRect(GUTTER, y, plotWidth, laneHeight);
      }
      if (lane % labelEvery === 0) {
        ctx.fillStyle = '#333';
        ctx.fillText(this.laneLabel(lane), 4, y + laneHeight / 2);
      }
    }
    // Time axis: ticks over the part shown.
    const axisY = TOP + this.lanes * laneHeight + 4;
    ctx.strokeStyle = '#555';
    ctx.beginPath();
    ctx.moveTo(GUTTER, axisY);
    ctx.lineTo(GUTTER + plotWidth, axisY);
    ctx.stroke();
    const view = this.view;
    const step = niceStep(view.span / Math.max(2, Math.floor(plotWidth / 90)));
    ctx.fillStyle = '#333';
    ctx.textBaseline = 'top';
    for (let i = Math.ceil(view.startMs / step); i * step <= view.endMs + step * 1e-9; i++) {
      const t = i * step;
      const x = view.toX(t, GUTTER, plotWidth);
      ctx.fillRect(x, axisY, 1, 4);
      ctx.textAlign = x + 30 > GUTTER + plotWidth ? 'right' : 'center';
      ctx.fillText(tickLabel(t, step), x, axisY + 5);
    }
    ctx.textAlign = 'left';
  }

  private laneLabel(lane: number): string {
    if (this.strategy === 'spawn-per-task') return `row ${lane + 1}`;
    // Numbered as everywhere else the page shows a worker (worker-number.ts).
    const prefix = this.strategy === 'rayon' ? 't' : 'w';
    if (this.workers <= MAX_LANES) return `${prefix}${workerNumber(lane)}`;
    const first = Math.ceil((lane * this.workers) / MAX_LANES);
    const last = Math.ceil(((lane + 1) * this.workers) / MAX_LANES) - 1;
    return first === last ? `${prefix}${workerNumber(first)}` : `${prefix}${workerNumber(first)}–${workerNumber(last)}`;
  }

  private drawFrom(from: number): void {
    if (this.width <= 0) {
      this.needsFull = true;
      return;
    }
    const ctx = this.ctx;
    const { laneHeight, plotWidth } = this.geometry();
    const view = this.view;
    // Zoomed, bars reach past the plot: they are cut at its edges (a pixel
    // beyond them, so that a cut bar shows no end).
    const x = (ms: number) => Math.min(GUTTER + plotWidth + 1, Math.max(GUTTER - 1, view.toX(ms, GUTTER, plotWidth)));
    ctx.save();
    ctx.beginPath();
    ctx.rect(GUTTER, 0, plotWidth, this.height);
    ctx.clip();
    for (let i = from; i < this.events.length; i++) {
      const e = this.events[i];
      if (e.startedMs < 0) continue; // never ran (cancelled before it started)
      const lane = this.laneFor(e);
      if (lane < 0) continue;
      if (this.needsFull) break; // lanes changed: the next flush redraws all
      this.laneAt[i] = lane;
      if (e.endedMs < view.startMs || e.startedMs > view.endMs) continue; // outside the window
      const y = TOP + lane * laneHeight + 1;
      const h = laneHeight - 2;
      const x0 = x(e.startedMs);
      const w = Math.max(1, x(e.endedMs) - x0);
      const kind = OUTCOME_PATTERN[e.outcome];
      const color = OUTCOME_COLOR[e.outcome];
      if (kind === 'hollow') {
        ctx.fillStyle = BACKGROUND;
        ctx.fillRect(x0, y, w, h);
        ctx.strokeStyle = color;
        ctx.lineWidth = 1;
        ctx.strokeRect(x0 + 0.5, y + 0.5, Math.max(0, w - 1), h - 1);
      } else {
        ctx.fillStyle = kind === 'solid' || w < 4 ? color : this.pattern(kind, color, '#222', );
        ctx.fillRect(x0, y, w, h);
      }
      if (e.waitStartMs >= 0 && e.waitEndMs > e.waitStartMs) {
        // Waiting for a connection: a hatched band, lower than the bar.
        const wx = x(e.waitStartMs);
        const ww = Math.max(1, x(e.waitEndMs) - wx);
        ctx.fillStyle = this.pattern('hatch', WAITING_COLOR, '#003a5c');
        ctx.fillRect(wx, y + h * 0.2, ww, h * 0.6);
      }
      if (w >= 4) {
        // A thin gap marks where one task ends and the next begins.
        ctx.fillStyle = BACKGROUND;
        ctx.fillRect(x0 + w - 1, y, 1, h);
      }
    }
    ctx.restore();
    this.drawn = this.needsFull ? this.drawn : this.events.length;
    if (this.needsFull) this.redraw();
    else {
      this.drawStartup();
      this.drawResizes();
    }
  }

  /** Before the first bar: the start-up band over every lane (no bar is ever under it). */
  private drawStartup(): void {
    const startup = notableStartup(this.firstStartMs);
    if (startup === null) delete this.canvas.dataset.startupMs;
    else this.canvas.dataset.startupMs = String(startup);
    if (startup === null || startup < this.view.startMs) return;
    const { laneHeight, plotWidth } = this.geometry();
    const x0 = Math.max(GUTTER, this.view.toX(0, GUTTER, plotWidth));
    const x1 = Math.min(GUTTER + plotWidth, this.view.toX(startup, GUTTER, plotWidth));
    drawStartupBand(this.ctx, x0, x1, TOP, this.lanes * laneHeight);
  }

  /** Each resize: a dashed line over the lanes where it was asked for, labelled with the new count (over the bars, so drawn after them). */
  private drawResizes(): void {
    if (this.resizes.length === 0) return;
    const ctx = this.ctx;
    const { laneHeight, plotWidth } = this.geometry();
    const bottom = TOP + this.lanes * laneHeight;
    ctx.save();
    ctx.strokeStyle = RESIZE_COLOR;
    ctx.lineWidth = 2;
    ctx.setLineDash([5, 3]);
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    this.resizes.forEach((r, i) => {
      const x = Math.round(this.view.toX(r.askedMs, GUTTER, plotWidth)) + 0.5;
      if (x < GUTTER || x > GUTTER + plotWidth) return;
      ctx.beginPath();
      ctx.moveTo(x, TOP);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      const label = `\u2192 ${count(r.workers)}`;
      const w = ctx.measureText(label).width + 6;
      const lx = x + w + 2 > GUTTER + plotWidth ? x - w - 2 : x + 2;
      const ly = TOP + (bottom >= 36 ? (i % 2) * 15 : 0);
      ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
      ctx.fillRect(lx, ly, w, 14);
      ctx.fillStyle = RESIZE_COLOR;
      ctx.fillText(label, lx + 3, ly + 1.5);
    });
    ctx.restore();
  }
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-4)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}


/** A tick's label, with as many decimals as its step needs (zoomed in, steps go below 1 ms). */
function tickLabel(t: number, step: number): string {
  if (step >= 1000) return `${Number((t / 1000).toFixed(2))} s`;
  const decimals = step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step)));
  return `${Number(t.toFixed(decimals))} ms`;
}
