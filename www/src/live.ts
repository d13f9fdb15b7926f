// Live numbers during a run: counters, the progress bar and its ETA.
// Updated once per animation frame from the latest progress snapshot. Until a
// task starts, the workers are starting (a stretch of up to seconds with
// many workers): the line says so rather than show an ETA it cannot know
// (live-eta.ts). One worker per task shows its starting threads beside those
// in flight: hundreds may be alive, starting, with none in flight yet.
// Replaying (replay-control.ts), the counters show the state at the replay's
// cursor instead (showAt), with those it can tell from the timeline (waiting
// for a connection among them) and without those it cannot (threads); the
// progress bar and its line stay live.
import type { Progress, StatsSnapshot, StrategyKind } from 'wasm-worker-pool';
import { count, ms } from './format';
import { RunEta, startingThreads } from './live-eta';

interface Counter {
  key: string;
  label: string;
  value: (s: StatsSnapshot) => number;
  outcome?: string;
  /** Shown for this strategy only. */
  only?: StrategyKind;
  /** Shown only when replaying (the state at the cursor); live, it is not shown. */
  replayOnly?: boolean;
}

const stat = (key: keyof StatsSnapshot, label: string, outcome?: string): Counter =>
  ({ key, label, outcome, value: (s) => s[key] as number });

const COUNTERS: readonly Counter[] = [
  stat('succeeded', 'Succeeded', 'succeeded'),
  stat('failed', 'Failed', 'failed'),
  stat('panicked', 'Panicked', 'panicked'),
  stat('timedOut', 'Timed out', 'timedOut'),
  stat('cancelled', 'Cancelled', 'cancelled'),
  stat('inFlight', 'In flight', 'inflight'),
  { key: 'startingThreads', label: 'Starting threads', value: startingThreads, only: 'spawn-per-task' },
  stat('queued', 'Queued', 'queued'),
  { key: 'waiting', label: 'Waiting for a connection', outcome: 'waiting', replayOnly: true,
    value: (s) => s.workers.filter((w) => w.state.state === 'waitingForConnection').length },
  stat('liveThreads', 'Live threads'),
];

/** Whether a counter is shown live during a run of `strategy`. */
const shownLive = (c: Counter, strategy: StrategyKind) => !c.replayOnly && (c.only === undefined || c.only === strategy);

export const finishedCount = (s: Pick<StatsSnapshot, 'succeeded' | 'failed' | 'panicked' | 'timedOut' | 'cancelled'>) =>
  s.succeeded + s.failed + s.panicked + s.timedOut + s.cancelled;

export class Live {
  private values = new Map<string, HTMLElement>();
  private items = new Map<string, HTMLElement>();
  private total = 0;
  private eta = new RunEta('pool', 0);
  private strategy: StrategyKind = 'pool';
  /** The last live numbers shown, to show again when a replay ends. */
  private last: StatsSnapshot | null = null;
  /** The counters show the replay's state, not the live one. */
  private replaying = false;

  constructor(private counters: HTMLElement, private bar: HTMLProgressElement, private text: HTMLElement) {
    for (const c of COUNTERS) {
      const dd = document.createElement('dd');
      dd.textContent = '0';
      const dt = document.createElement('dt');
      if (c.outcome) {
        const swatch = document.createElement('span');
        swatch.className = `swatch ${c.outcome}`;
        swatch.setAttribute('aria-hidden', 'true');
        dt.append(swatch);
      }
      dt.append(c.label);
      const item = document.createElement('div');
      item.className = 'counter';
      item.dataset.key = c.key;
      item.append(dt, dd);
      counters.append(item);
      this.values.set(c.key, dd);
      this.items.set(c.key, item);
      item.hidden = !shownLive(c, 'pool') || c.only !== undefined;
    }
  }

  /** A run of `total` tasks under `strategy` starts. */
  reset(total: number, strategy: StrategyKind): void {
    this.total = total;
    this.eta = new RunEta(strategy, total);
    this.strategy = strategy;
    this.last = null;
    this.showAt(null);
    for (const dd of this.values.values()) dd.textContent = '0';
    this.bar.max = total;
    this.bar.value = 0;
    this.text.textContent = `0 / ${count(total)} · ${this.eta.opening}`;
  }

  show(p: Progress): void {
    const s = p.stats;
    this.last = s;
    if (!this.replaying) for (const c of COUNTERS) this.values.get(c.key)!.textContent = count(c.value(s));
    const done = finishedCount(s);
    this.bar.value = done;
    this.text.textContent = `${count(done)} / ${count(this.total)} · ${ms(p.elapsedMs)} elapsed · ${this.eta.phrase(p, done)}`;
  }

  /**
   * Replaying: the counters show `values` (by counter key; the others are
   * hidden), said to be at `label` ("at 812 ms"); null shows the live (or
   * last) numbers again.
   */
  showAt(values: Readonly<Record<string, number>> | null, label = ''): void {
    this.replaying = values !== null;
    for (const c of COUNTERS) {
      const item = this.items.get(c.key)!;
      const value = values ? values[c.key] : this.last ? c.value(this.last) : undefined;
      item.hidden = values ? value === undefined : !shownLive(c, this.strategy);
      if (value !== undefined) this.values.get(c.key)!.textContent = count(value);
    }
    this.counters.classList.toggle('replaying', values !== null);
    this.counters.setAttribute('aria-label', values ? `Counters ${label} (replay)` : 'Live counters');
  }

  /** The final numbers from the summary (they include never-submitted tasks). */
  final(done: number, elapsedMs: number, aborted: boolean): void {
    this.bar.value = done;
    this.text.textContent = `${count(done)} / ${count(this.total)} · ${aborted ? 'cancelled' : 'finished'} in ${ms(elapsedMs)}`;
  }
}
