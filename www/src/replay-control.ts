// The replay of a run (replay.ts computes the state): a time cursor over
// the charts and the timeline, from a range control named "Replay time".
// Drag it; with it focused, ← → step one recorded instant (an event: a
// task's enqueue, start, connection wait start or end, or end; ties one at a
// time), Shift + ← → and Page Up / Page Down ten, Home / End the start and
// the end; Play plays it back at 0.25× to 10×. At the cursor the counters
// (live.ts showAt), the queue depth and each worker's state show the state
// at that instant; a polite live region says it once the cursor rests.
// After a run it is there at once; during one, "Pause view" freezes the
// charts and the timeline (the progress they miss is kept, and drawn when
// "Live" resumes following) while the pool keeps running and the progress
// line stays live. The cursor's time is the link's t= (app.ts; url-state.ts);
// a link's t places the cursor once the first run ends.
// The box's data-mode, data-time-ms, data-position, data-total and
// data-placed say where the cursor is, for tests and readers of the DOM.
import type { Progress, RunSummary, StrategyKind, TimelineEvent } from 'wasm-worker-pool';
import { count, counted, ms, ordinal } from './format';
import {
  activityPhrase, buildLog, countsPhrase, describeInstant, positionAt, stateAfter, timeOf, timeOfPosition,
  type ReplayLog, type ReplayState,
} from './replay';
import type { Resized } from './resize';
import { TIMELINE_KEEPS } from './timeline';

/** The playback speeds offered. */
export const SPEEDS = [0.25, 0.5, 1, 2, 5, 10] as const;
/** Instants a big step (Shift, Page Up / Page Down) moves. */
export const BIG_STEP = 10;
/** Quiet time after the cursor's last move before the live region says where it is. */
const SAY_AFTER_MS = 450;
/** Quiet time before the link's t= follows the cursor (the address bar is not rewritten at every frame). */
const LINK_AFTER_MS = 300;

/** No run yet, a run followed live, a run whose view is paused, a finished run. */
type Mode = 'empty' | 'live' | 'paused' | 'finished';

export interface ReplayHooks {
  /** The run's time now (ms since it started): where Pause view freezes. */
  now(): number;
  /** Draw the cursor over the charts and the timeline (null: none). */
  cursor(timeMs: number | null): void;
  /** The counters at the cursor (null: the live ones), said to be `label`. */
  counters(values: Readonly<Record<string, number>> | null, label: string): void;
  /** The view follows the run again: draw the progress kept while it was paused, in order. */
  release(held: Progress[]): void;
  /** The resizes of the running pool so far. */
  resizes(): readonly Resized[];
  /** The cursor's time for the link changed (see linkTime). */
  linkChanged(): void;
}

/** An element with these properties (id, className, textContent…). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string | boolean> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  return node;
}

export class ReplayControl {
  private mode: Mode = 'empty';
  private follow: HTMLButtonElement;
  private play: HTMLButtonElement;
  private speed: HTMLSelectElement;
  private slider: HTMLInputElement;
  private clock: HTMLElement;
  private text: HTMLElement;
  private workerList: HTMLUListElement;
  private say: HTMLElement;
  private keys: HTMLElement;
  /** The run's events as the run view collects them (shared, not copied). */
  private events: readonly TimelineEvent[] = [];
  private held: Progress[] = [];
  private log: ReplayLog = buildLog([]);
  private strategy: StrategyKind = 'pool';
  private workers = 1;
  private tasks = 0;
  /** The timeline keeps every `every`th task by id. */
  private every = 1;
  private maxMs = 0;
  private timeMs = 0;
  private position = 0;
  /** The user (or a link) put the cursor somewhere: the counters and the lines follow it. */
  private placed = false;
  private playing = false;
  private lastFrame = 0;
  private frame = 0;
  private sayTimer: ReturnType<typeof setTimeout> | undefined;
  private linkTimer: ReturnType<typeof setTimeout> | undefined;
  /** A link's t=, for the next run to end. */
  private pending: number | null = null;
  /** What the last render drew, so that the same state is not recomputed at every frame. */
  private drawn = '';
  private state: ReplayState | null = null;

  constructor(private box: HTMLElement, private hooks: ReplayHooks) {
    const title = el('span', { id: 'replay-title', className: 'replay-title', textContent: 'Replay' });
    this.follow = el('button', { id: 'replay-follow', type: 'button', textContent: 'Pause view' });
    this.play = el('button', { id: 'replay-play', type: 'button', textContent: 'Play' });
    this.speed = el('select', { id: 'replay-speed' });
    for (const s of SPEEDS) this.speed.append(el('option', { value: String(s), textContent: `${s}×`, selected: s === 1 }));
    this.slider = el('input', { id: 'replay-time', type: 'range', className: 'replay-time', min: '0', max: '0', step: 'any', value: '0' });
    this.slider.setAttribute('aria-describedby', 'replay-keys');
    this.clock = el('span', { id: 'replay-clock', className: 'replay-clock' });
    this.clock.setAttribute('aria-hidden', 'true');
    const bar = el('div', { className: 'replay-bar' });
    bar.append(
      title, this.follow, this.play,
      el('label', { htmlFor: 'replay-speed', textContent: 'Speed' }), this.speed,
      el('label', { htmlFor: 'replay-time', textContent: 'Replay time' }), this.slider, this.clock,
    );
    this.text = el('p', { id: 'replay-text', className: 'replay-text' });
    this.workerList = el('ul', { id: 'replay-workers', className: 'replay-workers' });
    this.workerList.setAttribute('aria-label', 'Each worker at the replay time');
    const keys = this.keys = el('p', {
      id: 'replay-keys', className: 'replay-keys muted',
      textContent: 'On the replay time: ← → step one event (a task enqueued, started, waiting for a connection or given one, ended), Shift + ← → or Page Up / Page Down ten, Home and End go to the start and the end.',
    });
    this.say = el('p', { id: 'replay-say', className: 'visually-hidden' });
    this.say.setAttribute('role', 'status');
    this.say.setAttribute('aria-live', 'polite');
    box.setAttribute('role', 'group');
    box.setAttribute('aria-labelledby', 'replay-title');
    box.replaceChildren(bar, this.text, this.workerList, keys, this.say);

    this.follow.addEventListener('click', () => this.onFollow());
    this.play.addEventListener('click', () => (this.playing ? this.stop(true) : this.start()));
    this.speed.addEventListener('change', () => { this.lastFrame = performance.now(); });
    this.slider.addEventListener('input', () => this.moveTo(Number(this.slider.value), false));
    this.slider.addEventListener('change', () => this.sayLater());
    this.slider.addEventListener('keydown', (event) => this.onKey(event));
    this.render();
  }

  /**
   * The time the link carries (t=): the cursor's, once placed on a run, else
   * a link's own t still waiting for its run; null: none.
   */
  get linkTime(): number | null {
    return this.placed && (this.mode === 'paused' || this.mode === 'finished') ? this.timeMs : this.pending;
  }

  /** A link's t=: the cursor goes there (within the run) when the next run ends. */
  placeAfterRun(timeMs: number | null): void {
    this.pending = timeMs;
  }

  /** A run of these settings starts: the view follows it live. `events` is the array the run's events are collected in. */
  begin(strategy: StrategyKind, workers: number, tasks: number, events: readonly TimelineEvent[]): void {
    this.stop(false);
    this.strategy = strategy;
    this.workers = workers;
    this.tasks = tasks;
    this.every = Math.max(1, Math.ceil(tasks / TIMELINE_KEEPS));
    this.events = events;
    this.held = [];
    this.log = buildLog([]);
    this.mode = 'live';
    this.placed = false;
    this.timeMs = this.maxMs = 0;
    this.position = 0;
    this.render();
  }

  /** A progress of the run: true when the view is paused and keeps it for later (do not draw it now). */
  take(progress: Progress): boolean {
    if (this.mode !== 'paused') return false;
    this.held.push(progress);
    return true;
  }

  /** The run ended with `summary`: the whole run can be replayed (a link's t places the cursor). */
  finish(summary: RunSummary): void {
    this.release();
    this.mode = 'finished';
    this.every = Math.max(1, summary.timelineEvery);
    this.log = buildLog(this.events);
    this.maxMs = Math.max(summary.elapsedMs, timeOfPosition(this.log, this.log.instants.length));
    if (this.pending !== null) {
      this.placed = true;
      this.timeMs = this.pending;
      this.pending = null;
    }
    if (this.placed) {
      this.timeMs = Math.min(this.maxMs, Math.max(0, this.timeMs));
      this.position = positionAt(this.log, this.timeMs);
      this.sayLater();
    } else {
      this.timeMs = this.maxMs;
      this.position = this.log.instants.length;
    }
    this.render();
    this.hooks.linkChanged();
  }

  /** The run failed: nothing to replay; what was kept is drawn. */
  failed(): void {
    this.stop(false);
    this.release();
    this.mode = 'empty';
    this.placed = false;
    this.render();
    this.hooks.linkChanged();
  }

  destroy(): void {
    this.stop(false);
    clearTimeout(this.sayTimer);
    clearTimeout(this.linkTimer);
  }

  private onFollow(): void {
    if (this.mode === 'live') {
      // Freeze the view where the run is now; the cursor starts there.
      this.mode = 'paused';
      this.pending = null;
      this.log = buildLog(this.events);
      this.maxMs = Math.max(this.hooks.now(), timeOfPosition(this.log, this.log.instants.length));
      this.placed = true;
      this.timeMs = this.maxMs;
      this.position = this.log.instants.length;
      this.render();
      this.announce(`View paused at ${ms(this.maxMs)}; the pool keeps running. Move the replay time to look back.`);
      this.linkLater();
      return;
    }
    const focused = (this.box.getRootNode() as Document | ShadowRoot).activeElement === this.follow;
    this.stop(false);
    this.placed = false;
    if (this.mode === 'paused') {
      this.release();
      this.mode = 'live';
      this.announce('Following the run live again.');
    } else {
      // After a run: leave the replay; the counters show the run's own numbers again.
      this.timeMs = this.maxMs;
      this.position = this.log.instants.length;
      this.announce('Replay left: the counters show the end of the run.');
    }
    this.render();
    this.linkLater();
    // The button is gone after a run: the keyboard goes on from the replay time.
    if (this.follow.hidden && focused) this.slider.focus();
  }

  /** Hands the progress kept while paused back to the view. */
  private release(): void {
    if (this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    this.hooks.release(held);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey || this.slider.disabled) return;
    const step = event.shiftKey ? BIG_STEP : 1;
    const total = this.log.instants.length;
    let to: number;
    switch (event.key) {
      case 'ArrowRight': case 'ArrowUp': to = this.position + step; break;
      case 'ArrowLeft': case 'ArrowDown': to = this.position - step; break;
      case 'PageUp': to = this.position + BIG_STEP; break;
      case 'PageDown': to = this.position - BIG_STEP; break;
      case 'Home': to = 0; break;
      case 'End': to = total; break;
      default: return;
    }
    event.preventDefault();
    this.stop(false);
    this.position = Math.max(0, Math.min(total, to));
    // End is the end of the run; any other step is the moment of its last instant.
    this.timeMs = event.key === 'End' ? this.maxMs : timeOfPosition(this.log, this.position);
    this.placed = true;
    this.render();
    this.sayLater();
    this.linkLater();
  }

  /** The cursor goes to `timeMs` (a drag, playback). */
  private moveTo(timeMs: number, playing: boolean): void {
    if (this.mode !== 'paused' && this.mode !== 'finished') return;
    if (!playing) this.stop(false);
    this.timeMs = Math.min(this.maxMs, Math.max(0, timeMs));
    this.position = positionAt(this.log, this.timeMs);
    this.placed = true;
    this.render();
    if (!playing) this.linkLater();
  }

  /** Play from the cursor (from the start when it is at the end, or not placed). */
  private start(): void {
    if (this.mode !== 'paused' && this.mode !== 'finished') return;
    if (!this.placed || this.timeMs >= this.maxMs) this.moveTo(0, true);
    this.placed = true;
    this.playing = true;
    this.lastFrame = performance.now();
    this.render();
    this.frame = requestAnimationFrame((now) => this.tick(now));
  }

  private tick(now: number): void {
    this.frame = 0;
    if (!this.playing) return;
    const elapsed = Math.max(0, now - this.lastFrame);
    this.lastFrame = now;
    this.moveTo(this.timeMs + elapsed * Number(this.speed.value), true);
    if (this.timeMs >= this.maxMs) this.stop(true);
    else this.frame = requestAnimationFrame((next) => this.tick(next));
  }

  /** Stops playing; `say`: and says where it stopped. */
  private stop(say: boolean): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (!this.playing) return;
    this.playing = false;
    this.render();
    if (say) {
      this.sayLater();
      this.linkLater();
    }
  }

  /** Where the cursor is, in words: said once it rests (never during playback). */
  private sayLater(): void {
    clearTimeout(this.sayTimer);
    this.sayTimer = setTimeout(() => {
      if (this.playing || !this.placed || !this.state) return;
      const s = this.state;
      const last = s.last ? ` ${capital(describeInstant(this.log, s.last, this.strategy))}.` : '';
      this.announce(`${ms(this.timeMs)}, event ${count(s.position)} of ${count(s.total)}.${last} ${capital(countsPhrase(s.counts))}${this.every > 1 ? ', of the recorded sample' : ''}.`);
    }, SAY_AFTER_MS);
  }

  private announce(text: string): void {
    clearTimeout(this.sayTimer);
    this.say.textContent = text;
  }

  private linkLater(): void {
    clearTimeout(this.linkTimer);
    this.linkTimer = setTimeout(() => this.hooks.linkChanged(), LINK_AFTER_MS);
  }

  private render(): void {
    const active = this.mode === 'paused' || this.mode === 'finished';
    const box = this.box;
    box.dataset.mode = this.mode;
    box.dataset.placed = String(this.placed);
    box.dataset.timeMs = String(this.timeMs);
    box.dataset.position = String(this.position);
    box.dataset.total = String(this.log.instants.length);
    this.slider.disabled = !active;
    this.play.disabled = !active;
    this.speed.disabled = !active;
    this.keys.hidden = !active;
    this.follow.hidden = this.mode === 'empty' || (this.mode === 'finished' && !this.placed);
    this.follow.textContent = this.mode === 'live' ? 'Pause view' : this.mode === 'paused' ? 'Live' : 'Exit replay';
    this.play.textContent = this.playing ? 'Pause' : 'Play';
    this.play.setAttribute('aria-label', this.playing ? 'Pause the replay' : 'Play the replay');
    this.slider.max = String(this.maxMs);
    this.slider.value = String(this.timeMs);
    this.clock.textContent = active ? ms(this.timeMs) : '–';
    if (!active) {
      this.slider.setAttribute('aria-valuetext', this.mode === 'live' ? 'live: pause the view to replay' : 'no run yet');
      this.text.textContent = this.mode === 'live'
        ? 'Live: the charts and the timeline follow the run. Pause view freezes them (the pool keeps running) to move back through what has happened so far.'
        : 'After a run, or during one with Pause view, move through it in time here: drag the replay time, step through its events with the keyboard, or play it back.';
      this.workerList.replaceChildren();
      this.workerList.hidden = true;
      this.state = null;
      this.drawn = '';
      this.hooks.cursor(null);
      this.hooks.counters(null, '');
      return;
    }
    // The state depends on the time only through the resizes asked for by then.
    const resizes = this.hooks.resizes();
    const key = `${this.mode} ${this.position} ${resizes.length ? `${resizes.length} ${this.timeMs}` : ''}`;
    if (key !== this.drawn || !this.state) {
      this.drawn = key;
      this.state = stateAfter(this.log, this.position, { strategy: this.strategy, workers: this.workers, resizes }, this.timeMs, this.mode === 'paused');
    }
    const s = this.state;
    this.slider.setAttribute('aria-valuetext', `${timeOf(this.timeMs, this.maxMs)}, event ${count(s.position)} of ${count(s.total)}`);
    this.text.textContent = this.describe(s);
    this.showWorkers(s);
    this.hooks.cursor(this.placed ? this.timeMs : null);
    this.hooks.counters(this.placed ? { ...s.counts } : null, `at ${ms(this.timeMs)}`);
  }

  /** The sentence under the control: the instant, the last event, the queue, and what the counts are of. */
  private describe(s: ReplayState): string {
    if (!this.placed) {
      return `The run is over (${ms(this.maxMs)}, ${counted(s.total, 'recorded event')}): move the replay time to see any instant of it, with the counters, the queue and each worker as they were then.`;
    }
    const last = s.last
      ? `; the last, at ${ms(s.last.timeMs)}: ${describeInstant(this.log, s.last, this.strategy)}`
      : '; none yet';
    const queue = this.strategy === 'spawn-per-task'
      ? `Waiting for their thread: ${count(s.counts.queued)}; threads running a task: ${count(s.counts.inFlight)}.`
      : `Queue depth: ${count(s.counts.queued)} (enqueued, not started yet).`;
    const parts = [`At ${ms(this.timeMs)}: event ${count(s.position)} of ${count(s.total)}${last}.`, queue];
    if (this.mode === 'paused') {
      parts.push(`The view is paused at ${ms(this.maxMs)} while the pool keeps running (the progress line above stays live). The timeline records a task when it ends, so the counts here are of the ${counted(this.recordedTasks(), 'task')} ended by then: tasks still queued or running at the pause are not in them.`);
    }
    if (this.every > 1) {
      parts.push(`The counts at the cursor are of the recorded sample: every ${ordinal(this.every)} task by id (${count(this.recordedTasks())} of ${count(this.tasks)} tasks), not of every task.`);
    }
    return parts.join(' ');
  }

  private recordedTasks(): number {
    return this.log.events.length;
  }

  /** Each worker's state as a chip ("w3: running task 17"); one worker per task has no workers to list. */
  private showWorkers(s: ReplayState): void {
    const list = this.workerList;
    list.hidden = s.workers.length === 0 || !this.placed;
    if (list.hidden) return;
    const prefix = this.strategy === 'rayon' ? 't' : 'w';
    while (list.children.length > s.workers.length) list.lastElementChild!.remove();
    s.workers.forEach((w, i) => {
      let li = list.children[i] as HTMLLIElement | undefined;
      if (!li) {
        li = el('li');
        const dot = el('span');
        dot.setAttribute('aria-hidden', 'true');
        li.append(dot, el('span'));
        list.append(li);
      }
      if (li.dataset.state === w.state && li.dataset.taskId === String(w.taskId ?? '') && li.dataset.worker === String(w.id + 1)) return;
      li.dataset.worker = String(w.id + 1);
      li.dataset.state = w.state;
      li.dataset.taskId = String(w.taskId ?? '');
      (li.firstElementChild as HTMLElement).className = `replay-dot ${w.state}`;
      (li.lastElementChild as HTMLElement).textContent = `${prefix}${w.id + 1}: ${activityPhrase(w)}`;
    });
  }
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
