// Live numbers during a run: counters, the progress bar and its ETA.
// Updated once per animation frame from the latest progress snapshot.
import type { Progress, StatsSnapshot } from 'wasm-worker-pool';
import { count, ms } from './format';

const COUNTERS: { key: keyof StatsSnapshot; label: string; outcome?: string }[] = [
  { key: 'succeeded', label: 'Succeeded', outcome: 'succeeded' },
  { key: 'failed', label: 'Failed', outcome: 'failed' },
  { key: 'panicked', label: 'Panicked', outcome: 'panicked' },
  { key: 'timedOut', label: 'Timed out', outcome: 'timedOut' },
  { key: 'cancelled', label: 'Cancelled', outcome: 'cancelled' },
  { key: 'inFlight', label: 'In flight', outcome: 'inflight' },
  { key: 'queued', label: 'Queued', outcome: 'queued' },
  { key: 'liveThreads', label: 'Live threads' },
];

export const finishedCount = (s: Pick<StatsSnapshot, 'succeeded' | 'failed' | 'panicked' | 'timedOut' | 'cancelled'>) =>
  s.succeeded + s.failed + s.panicked + s.timedOut + s.cancelled;

export class Live {
  private values = new Map<string, HTMLElement>();
  private total = 0;

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
    }
  }

  reset(total: number): void {
    this.total = total;
    for (const dd of this.values.values()) dd.textContent = '0';
    this.bar.max = total;
    this.bar.value = 0;
    this.text.textContent = `0 / ${count(total)} · starting…`;
  }

  show(p: Progress): void {
    const s = p.stats;
    for (const c of COUNTERS) this.values.get(c.key)!.textContent = count(s[c.key] as number);
    const done = finishedCount(s);
    this.bar.value = done;
    const rate = p.elapsedMs > 0 ? done / p.elapsedMs : 0;
    const eta = rate > 0 ? (this.total - done) / rate : NaN;
    this.text.textContent = `${count(done)} / ${count(this.total)} · ${ms(p.elapsedMs)} elapsed · ETA ${Number.isFinite(eta) ? ms(eta) : '–'}`;
  }

  /** The final numbers from the summary (they include never-submitted tasks). */
  final(done: number, elapsedMs: number, aborted: boolean): void {
    this.bar.value = done;
    this.text.textContent = `${count(done)} / ${count(this.total)} · ${aborted ? 'cancelled' : 'finished'} in ${ms(elapsedMs)}`;
  }
}
