// Looking up one task on the timeline: the bar under the mouse (hover), the
// bar tapped or clicked (it stays), or, with the canvas focused, the arrow
// keys stepping from bar to bar (← → along a lane, ↑ ↓ to the nearest bar
// of the next lane, Home / End to the first / last). The task's details
// (id, worker, when it was enqueued, started and ended, its waits, its
// outcome) show in a live region under the canvas, and a box marks its bar.
import { definitionRow } from './dom';
import type { StrategyKind, TimelineEvent } from 'wasm-worker-pool';
import { OUTCOME_LABEL } from './colors';
import { count, ms } from './format';
import { workerNoun, workerNumber } from './worker-number';

/** A bar this close (CSS px) to the pointer is under it: bars may be 1 px wide. */
const REACH_PX = 3;

/** Where the lanes and the plot are on the canvas, in CSS px. */
export interface TimelineLayout {
  top: number;
  laneHeight: number;
  lanes: number;
  left: number;
  width: number;
  toX(timeMs: number): number;
  toMs(x: number): number;
}

/** What the inspector needs of the timeline. */
export interface InspectHost {
  readonly events: readonly TimelineEvent[];
  /** The lane event `index` is drawn in; -1 when it is not drawn (it never started). */
  laneOf(index: number): number;
  layout(): TimelineLayout;
  strategy(): StrategyKind;
  /** A lane's label, as drawn beside it ("w3", "row 2"). */
  laneLabel(lane: number): string;
  /** Brings event `index`'s bar into the view window (pans it when zoomed). */
  reveal(index: number): void;
  /** A drag is panning: hovering picks nothing meanwhile. */
  dragging(): boolean;
}

export class TimelineInspector {
  /** The bar tapped, clicked or stepped to (-1: none), and the one under the mouse. */
  private selected = -1;
  private hovered = -1;
  private mark: HTMLElement;
  /** What the detail shows now, so that it is rewritten (and announced) only when that changes. */
  private shownKey = '';
  private pointer: { x: number; y: number } | null = null;
  private frame = 0;

  constructor(private canvas: HTMLCanvasElement, private detail: HTMLElement, box: HTMLElement, private host: InspectHost) {
    this.mark = document.createElement('div');
    this.mark.className = 'timeline-mark';
    this.mark.hidden = true;
    box.append(this.mark);
    canvas.addEventListener('pointermove', (event) => {
      if (event.pointerType !== 'mouse') return; // touch and pen: a tap picks
      this.pointer = { x: event.clientX, y: event.clientY };
      // One hit test per frame, however fast the mouse moves.
      if (!this.frame) this.frame = requestAnimationFrame(() => this.hoverPointer());
    });
    canvas.addEventListener('pointerleave', () => {
      this.pointer = null;
      this.hovered = -1;
      this.show();
    });
    canvas.addEventListener('click', (event) => {
      this.selected = this.barAt(event.clientX, event.clientY);
      this.hovered = -1;
      this.show();
    });
    canvas.addEventListener('keydown', (event) => this.onKey(event));
    this.show();
  }

  /** The bar the detail is about: the one under the mouse, else the one picked. */
  get shown(): number {
    return this.hovered >= 0 ? this.hovered : this.selected;
  }

  /** A new run: nothing is picked. */
  clear(): void {
    this.selected = -1;
    this.hovered = -1;
    this.show();
  }

  /** After each frame the timeline draws: the mark follows its bar, the detail the events. */
  show(): void {
    this.placeMark();
    const index = this.shown;
    const key = index >= 0 ? `task${index}` : this.host.events.length ? 'hint' : 'empty';
    if (key === this.shownKey) return;
    this.shownKey = key;
    if (index >= 0) this.describe(this.host.events[index]);
    else this.hint();
  }

  /** The bar at a point (client coordinates), or -1. */
  barAt(clientX: number, clientY: number): number {
    const rect = this.canvas.getBoundingClientRect();
    const x = clientX - rect.left;
    const y = clientY - rect.top;
    const layout = this.host.layout();
    const lane = Math.floor((y - layout.top) / layout.laneHeight);
    if (lane < 0 || lane >= layout.lanes || x < layout.left || x > layout.left + layout.width) return -1;
    const at = layout.toMs(x);
    const reach = (REACH_PX / layout.width) * (layout.toMs(layout.left + layout.width) - layout.toMs(layout.left));
    let best = -1;
    let bestDistance = Infinity;
    const events = this.host.events;
    for (let i = 0; i < events.length; i++) {
      if (this.host.laneOf(i) !== lane) continue;
      const e = events[i];
      const distance = at < e.startedMs ? e.startedMs - at : at > e.endedMs ? at - e.endedMs : 0;
      // Later bars are drawn over earlier ones: on a tie, the later one is what the user sees.
      if (distance <= reach && distance <= bestDistance) {
        best = i;
        bestDistance = distance;
      }
    }
    return best;
  }

  private hoverPointer(): void {
    this.frame = 0;
    if (!this.pointer || this.host.dragging()) return;
    const bar = this.barAt(this.pointer.x, this.pointer.y);
    if (bar === this.hovered) return;
    this.hovered = bar;
    this.show();
  }

  private onKey(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const steps: Record<string, () => number> = {
      ArrowRight: () => this.along(1),
      ArrowLeft: () => this.along(-1),
      ArrowDown: () => this.across(1),
      ArrowUp: () => this.across(-1),
      Home: () => this.end(-1),
      End: () => this.end(1),
    };
    const step = steps[event.key];
    if (!step) return;
    event.preventDefault();
    const next = step();
    if (next < 0) return;
    this.selected = next;
    this.hovered = -1;
    this.host.reveal(next);
    this.show();
  }

  /** The drawn bars, as [index, lane], for the steps below. */
  private *bars(): Generator<[number, number]> {
    for (let i = 0; i < this.host.events.length; i++) {
      const lane = this.host.laneOf(i);
      if (lane >= 0) yield [i, lane];
    }
  }

  /** The next bar along the selected one's lane (`direction` 1: later, -1: earlier); with none selected, the first bar. */
  private along(direction: 1 | -1): number {
    if (this.selected < 0) return this.end(-1);
    const events = this.host.events;
    const from = events[this.selected];
    const lane = this.host.laneOf(this.selected);
    let best = -1;
    for (const [i, l] of this.bars()) {
      if (l !== lane || i === this.selected) continue;
      const e = events[i];
      const ahead = (e.startedMs - from.startedMs) * direction > 0 || (e.startedMs === from.startedMs && (i - this.selected) * direction > 0);
      if (!ahead) continue;
      if (best < 0 || (e.startedMs - events[best].startedMs) * direction < 0) best = i;
    }
    return best;
  }

  /** The bar nearest in time on the nearest lane below (1) or above (-1) with a bar. */
  private across(direction: 1 | -1): number {
    if (this.selected < 0) return this.end(-1);
    const events = this.host.events;
    const from = events[this.selected];
    const lane = this.host.laneOf(this.selected);
    const middle = (from.startedMs + from.endedMs) / 2;
    let best = -1;
    let bestLanes = Infinity;
    let bestTime = Infinity;
    for (const [i, l] of this.bars()) {
      const lanes = (l - lane) * direction;
      if (lanes <= 0) continue;
      const e = events[i];
      const time = middle < e.startedMs ? e.startedMs - middle : middle > e.endedMs ? middle - e.endedMs : 0;
      if (lanes < bestLanes || (lanes === bestLanes && time < bestTime)) {
        best = i;
        bestLanes = lanes;
        bestTime = time;
      }
    }
    return best;
  }

  /** The first bar to start (-1), on the top lane among those, or the last (1). */
  private end(direction: 1 | -1): number {
    const events = this.host.events;
    let best = -1;
    for (const [i] of this.bars()) {
      const e = events[i];
      if (best < 0) best = i;
      const d = (e.startedMs - events[best].startedMs) * direction;
      if (d > 0 || (d === 0 && (this.host.laneOf(i) - this.host.laneOf(best)) * direction > 0)) best = i;
    }
    return best;
  }

  /** The box around the shown bar, where the window shows it. */
  private placeMark(): void {
    const index = this.shown;
    const e = index >= 0 ? this.host.events[index] : undefined;
    const lane = index >= 0 ? this.host.laneOf(index) : -1;
    const layout = this.host.layout();
    const x0 = e ? Math.max(layout.left, layout.toX(e.startedMs)) : 0;
    const x1 = e ? Math.min(layout.left + layout.width, layout.toX(e.endedMs)) : 0;
    if (!e || lane < 0 || lane >= layout.lanes || x1 < layout.left || x0 > layout.left + layout.width) {
      this.mark.hidden = true;
      return;
    }
    const style = this.mark.style;
    style.left = `${x0 - 2}px`;
    style.width = `${Math.max(1, x1 - x0) + 4}px`;
    style.top = `${layout.top + lane * layout.laneHeight - 1}px`;
    style.height = `${layout.laneHeight + 2}px`;
    this.mark.hidden = false;
  }

  private hint(): void {
    delete this.detail.dataset.taskId;
    delete this.detail.dataset.worker;
    delete this.detail.dataset.outcome;
    this.detail.textContent = this.host.events.length === 0
      ? 'No bars yet: once tasks finish, hover over or tap a bar for its task.'
      : 'Hover over or tap a bar for its task, or focus the timeline and use the arrow keys (← → along a lane, ↑ ↓ between lanes; + and − zoom, 0 resets).';
  }

  /** A task, in words: who ran it, when, how long it waited, how it ended. */
  private describe(e: TimelineEvent): void {
    const strategy = this.host.strategy();
    const worker = workerNumber(e.workerId);
    const where = worker === null ? 'no worker' : `${workerNoun(strategy)} ${count(worker)}`;
    const row = strategy === 'spawn-per-task' ? ` (${this.host.laneLabel(this.host.laneOf(this.shown))})` : '';
    const title = document.createElement('p');
    title.className = 'timeline-detail-title';
    title.textContent = `Task ${count(e.taskId)} on ${where}${row}: ${OUTCOME_LABEL[e.outcome].toLowerCase()}`;
    const list = document.createElement('dl');
    const item = (label: string, value: string) => definitionRow(list, label, value);
    const waited = e.waitStartMs >= 0 && e.waitEndMs > e.waitStartMs;
    item('Enqueued at', ms(e.enqueuedMs));
    // One worker per task has no queue: a task waits for its own thread to start.
    const before = strategy === 'spawn-per-task' ? 'waiting for its thread' : 'in the queue';
    item('Started at', `${ms(e.startedMs)} (after ${ms(e.startedMs - e.enqueuedMs)} ${before})`);
    item('Ended at', `${ms(e.endedMs)} (ran ${ms(e.endedMs - e.startedMs)})`);
    item('Waited for a connection', waited ? `${ms(e.waitEndMs - e.waitStartMs)}, from ${ms(e.waitStartMs)} to ${ms(e.waitEndMs)}` : 'no');
    const note = document.createElement('p');
    note.className = 'muted';
    note.textContent = 'Times since the run started.';
    this.detail.replaceChildren(title, list, note);
    this.detail.dataset.taskId = String(e.taskId);
    this.detail.dataset.worker = worker === null ? '' : String(worker);
    this.detail.dataset.outcome = e.outcome;
  }
}
