// The per-worker timeline on a canvas: a lane per worker, a bar per finished
// task coloured (and patterned) by outcome, time spent waiting for the
// limited resource hatched over the bar. Drawing is incremental: each frame
// draws only the events that arrived since the last one. The time axis
// doubles when the run outgrows it (a full redraw, so O(log) of them per run),
// and is fitted once to the run's length at the end. A pool resized while it
// runs gets lanes as workers join (a new worker takes the lowest free id, so
// ids may pass the initial count, up to 256): lanes are added, with a full
// redraw, and each resize is a dashed line labelled with the new count.
// The canvas's data-worker-lanes (worker ids 0 to n - 1 have a lane),
// data-rows and data-lane-height say what is drawn.
import type { StrategyKind, TimelineEvent } from 'wasm-worker-pool';
import { OUTCOMES } from 'wasm-worker-pool';
import { makePattern, OUTCOME_COLOR, OUTCOME_PATTERN, RESIZE_COLOR, WAITING_COLOR } from './colors';
import { count } from './format';
import type { Resized } from './resize';

/** Most lanes drawn; more workers share lanes. */
export const MAX_LANES = 64;
/** Worker ids are below this (the most workers a pool has). */
const MAX_WORKERS = 256;
const GUTTER = 52; // CSS px for lane labels
const AXIS = 22; // CSS px for the time axis
const BACKGROUND = '#ffffff';

export class Timeline {
  private ctx: CanvasRenderingContext2D;
  private events: TimelineEvent[] = [];
  private drawn = 0;
  private windowMs = 1000;
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

  constructor(private canvas: HTMLCanvasElement, private box: HTMLElement, private caption: HTMLElement) {
    this.ctx = canvas.getContext('2d', { alpha: false })!;
    this.observer = new ResizeObserver(() => {
      if (box.clientWidth > 0 && Math.round(box.clientWidth) !== this.width) {
        this.needsFull = true;
        this.flush();
      }
    });
    this.observer.observe(box);
  }

  reset(strategy: StrategyKind, workers: number, tasks: number): void {
    this.strategy = strategy;
    this.workers = strategy === 'spawn-per-task' ? Math.min(tasks, MAX_LANES) : workers;
    this.initialWorkers = this.workers;
    this.resizes = [];
    // One thread per task: rows are added (doubling) as threads overlap.
    this.lanes = strategy === 'spawn-per-task' ? Math.min(this.workers, 4) : Math.min(this.workers, MAX_LANES);
    this.events = [];
    this.drawn = 0;
    this.laneEnds = [];
    this.laneOf.clear();
    this.overlapped = false;
    this.windowMs = 1000;
    this.needsFull = true;
    this.caption.textContent = 'No tasks finished yet.';
    this.flush();
  }

  append(events: TimelineEvent[]): void {
    for (const e of events) {
      this.events.push(e);
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

  /** Draw what is new (or everything, after a resize or a rescale). */
  flush(): void {
    if (this.needsFull) this.redraw();
    else this.drawFrom(this.drawn);
  }

  /** At the end of a run: fit the axis to the run and redraw once. */
  finish(elapsedMs: number): void {
    const last = this.events.reduce((m, e) => Math.max(m, e.endedMs), 0);
    this.windowMs = Math.max(1, last, elapsedMs) * 1.02;
    this.needsFull = true;
    this.flush();
    const started = this.events.filter((e) => e.startedMs >= 0).length;
    const waited = this.events.filter((e) => e.waitStartMs >= 0 && e.waitEndMs > e.waitStartMs).length;
    const lanesText = this.strategy === 'spawn-per-task'
      ? `${count(this.lanes)} rows, one thread per task (threads that did not overlap in time share a row${this.overlapped ? `; more than ${MAX_LANES} ran at once, so some bars overlap` : ''})`
      : `${count(this.workers)} ${this.strategy === 'rayon' ? 'rayon threads' : this.resizes.length ? 'worker lanes' : 'workers'}${this.workers > this.lanes ? ` in ${this.lanes} lanes` : ''}`;
    const sizes = this.resizes.map((r) => count(r.workers));
    const resized = sizes.length === 0 ? ''
      : ` (the pool started with ${count(this.initialWorkers)} and was resized ${sizes.length === 1 ? 'once, to' : `${count(sizes.length)} times, to`} ${
        sizes.length === 1 ? sizes[0] : `${sizes.slice(0, -1).join(', ')} and ${sizes[sizes.length - 1]}`}: the dashed lines)`;
    this.caption.textContent = `${count(started)} tasks drawn on ${lanesText}${resized} over ${count(Math.round(elapsedMs))} ms` +
      (waited ? `; ${count(waited)} waited for a connection.` : '.');
  }

  /** Stop observing the box (the playground is going away). */
  destroy(): void {
    this.observer.disconnect();
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
      const y = 3 + lane * laneHeight;
      if (lane % 2 === 1) {
        ctx.fillStyle = '#f4f4f4';
        ctx.fillRect(GUTTER, y, plotWidth, laneHeight);
      }
      if (lane % labelEvery === 0) {
        ctx.fillStyle = '#333';
        ctx.fillText(this.laneLabel(lane), 4, y + laneHeight / 2);
      }
    }
    // Time axis.
    const axisY = 3 + this.lanes * laneHeight + 4;
    ctx.strokeStyle = '#555';
    ctx.beginPath();
    ctx.moveTo(GUTTER, axisY);
    ctx.lineTo(GUTTER + plotWidth, axisY);
    ctx.stroke();
    const step = niceStep(this.windowMs / Math.max(2, Math.floor(plotWidth / 90)));
    ctx.fillStyle = '#333';
    ctx.textBaseline = 'top';
    for (let t = 0; t <= this.windowMs; t += step) {
      const x = GUTTER + (t / this.windowMs) * plotWidth;
      ctx.fillRect(x, axisY, 1, 4);
      const label = step >= 1000 ? `${Number((t / 1000).toFixed(2))} s` : `${Math.round(t)} ms`;
      ctx.textAlign = x + 30 > GUTTER + plotWidth ? 'right' : 'center';
      ctx.fillText(label, x, axisY + 5);
    }
    ctx.textAlign = 'left';
  }

  private laneLabel(lane: number): string {
    if (this.strategy === 'spawn-per-task') return `row ${lane + 1}`;
    const prefix = this.strategy === 'rayon' ? 't' : 'w';
    if (this.workers <= MAX_LANES) return `${prefix}${lane + 1}`;
    const first = Math.ceil((lane * this.workers) / MAX_LANES);
    const last = Math.ceil(((lane + 1) * this.workers) / MAX_LANES) - 1;
    return first === last ? `${prefix}${first + 1}` : `${prefix}${first + 1}–${last + 1}`;
  }

  private drawFrom(from: number): void {
    if (this.width <= 0) {
      this.needsFull = true;
      return;
    }
    const ctx = this.ctx;
    const { laneHeight, plotWidth } = this.geometry();
    const x = (ms: number) => GUTTER + (ms / this.windowMs) * plotWidth;
    for (let i = from; i < this.events.length; i++) {
      const e = this.events[i];
      if (e.startedMs < 0) continue; // never ran (cancelled before it started)
      const lane = this.laneFor(e);
      if (lane < 0) continue;
      if (this.needsFull) break; // lanes changed: the next flush redraws all
      const y = 3 + lane * laneHeight + 1;
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
    this.drawn = this.needsFull ? this.drawn : this.events.length;
    if (this.needsFull) this.redraw();
    else this.drawResizes();
  }

  /** Each resize: a dashed line over the lanes where it was asked for, labelled with the new count (over the bars, so drawn after them). */
  private drawResizes(): void {
    if (this.resizes.length === 0) return;
    const ctx = this.ctx;
    const { laneHeight, plotWidth } = this.geometry();
    const bottom = 3 + this.lanes * laneHeight;
    ctx.save();
    ctx.strokeStyle = RESIZE_COLOR;
    ctx.lineWidth = 2;
    ctx.setLineDash([5, 3]);
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    this.resizes.forEach((r, i) => {
      const x = Math.round(GUTTER + (r.askedMs / this.windowMs) * plotWidth) + 0.5;
      if (x > GUTTER + plotWidth) return;
      ctx.beginPath();
      ctx.moveTo(x, 3);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      const label = `\u2192 ${count(r.workers)}`;
      const w = ctx.measureText(label).width + 6;
      const lx = x + w + 2 > GUTTER + plotWidth ? x - w - 2 : x + 2;
      const ly = 3 + (bottom >= 36 ? (i % 2) * 15 : 0);
      ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
      ctx.fillRect(lx, ly, w, 14);
      ctx.fillStyle = RESIZE_COLOR;
      ctx.fillText(label, lx + 3, ly + 1.5);
    });
    ctx.restore();
  }
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-3)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

