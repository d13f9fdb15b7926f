// Resizing the pool run in progress from its Workers control: the count the
// control settles on (debounced while it is typed) goes to playground.resize,
// one request at a time, the latest count winning. Each resize in effect is
// kept with the run's time, for the charts and the timeline to mark and the
// export to record. Only a worker pool run can be resized: rayon's thread
// pool is fixed, and one worker per task has no pool.
import type { Playground, StrategyKind } from 'wasm-worker-pool';
import { count } from './format';

/** Quiet time after the last keystroke before a count is sent ("1" then "16" sends 16). */
export const RESIZE_DEBOUNCE_MS = 350;

/**
 * A resize in effect: asked for at `askedMs` and in effect (the pool has
 * `workers`) from `atMs`, both in the run's time as progress counts it.
 * Workers join or leave between the two.
 */
export interface Resized { askedMs: number; atMs: number; workers: number }

export interface ResizeHooks {
  /** The run's time now, in ms since it started. */
  now(): number;
  /** A resize is in effect. */
  resized(resize: Resized): void;
  /** What the Workers control says under it during the run (null: nothing). */
  note(text: string | null): void;
  /** The runtime refused or could not make a resize. */
  failed(error: unknown): void;
}

/** Why a run of this strategy keeps its worker count, or null when it can be resized. */
export function fixedBecause(strategy: StrategyKind): string | null {
  if (strategy === 'rayon') return 'Fixed while rayon runs: its thread pool cannot be resized.';
  if (strategy === 'spawn-per-task') return 'One worker per task has no pool to resize.';
  return null;
}

const workersText = (n: number) => `${count(n)} ${n === 1 ? 'worker' : 'workers'}`;

export class LiveResize {
  /** The resizes in effect during the current (or last) run, in order. */
  log: Resized[] = [];
  private playground: Playground | null = null;
  /** Which run the requests belong to: a reply for an earlier one is dropped. */
  private generation = 0;
  private current = 0;
  private wanted = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending = false;

  constructor(private hooks: ResizeHooks) {}

  /** True while the run in progress follows the Workers control. */
  get live(): boolean {
    return this.playground !== null;
  }

  /** A run of `workers` starts on `playground`. */
  begin(playground: Playground, strategy: StrategyKind, workers: number): void {
    this.end();
    this.log = [];
    this.current = this.wanted = workers;
    const fixed = fixedBecause(strategy);
    this.playground = fixed ? null : playground;
    this.hooks.note(fixed ?? this.liveText());
  }

  /**
   * The control now holds `workers`: resize to it once typing pauses. Null
   * (the control holds no valid count) drops a count not yet sent.
   */
  request(workers: number | null): void {
    if (!this.playground) return;
    clearTimeout(this.timer);
    if (workers === null) return;
    this.wanted = workers;
    this.timer = setTimeout(() => void this.send(), RESIZE_DEBOUNCE_MS);
  }

  /** The run ended: nothing more is sent, and the control's note goes. */
  end(): void {
    clearTimeout(this.timer);
    this.generation++;
    this.playground = null;
    this.sending = false;
    this.hooks.note(null);
  }

  private liveText(): string {
    return `Live: the running pool has ${workersText(this.current)}; a new count resizes it.`;
  }

  private async send(): Promise<void> {
    const playground = this.playground;
    if (!playground || this.sending || this.wanted === this.current) return;
    const generation = this.generation;
    const workers = this.wanted;
    this.sending = true;
    this.hooks.note(`Resizing the running pool to ${workersText(workers)}…`);
    const askedMs = this.hooks.now();
    try {
      await playground.resize(workers);
      if (generation !== this.generation) return;
      this.current = workers;
      const resize = { askedMs, atMs: this.hooks.now(), workers };
      this.log.push(resize);
      this.hooks.resized(resize);
    } catch (error) {
      if (generation !== this.generation) return;
      // Not asked again until the control changes.
      this.wanted = this.current;
      this.hooks.failed(error);
    } finally {
      if (generation === this.generation) this.sending = false;
    }
    this.hooks.note(this.liveText());
    // Typed while this one was on its way: send the latest.
    if (this.wanted !== this.current) void this.send();
  }
}
