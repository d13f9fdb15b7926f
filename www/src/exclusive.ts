// One thing at a time runs on a playground: a run, a comparison, a sweep or a
// demonstration. Every view starts its work through Exclusive.run, which
// marks the playground busy (the page's buttons and controls follow), lets
// Cancel and Escape abort what can be cancelled, and reports a failure: a
// ConfigError next to the control it names, anything else as the view says
// (report: the same for what a view asks of the work in progress).
import { ConfigError, type Playground } from 'wasm-worker-pool';
import { keyForField, type Key } from './config';

export type Busy = 'run' | 'compare' | 'demonstrate' | 'sweep';

/** A demonstration is short and the runtime has no way to stop one. */
const CANCELLABLE: Readonly<Record<Busy, boolean>> = { run: true, compare: true, demonstrate: false, sweep: true };

export interface ExclusiveHooks {
  /** The started playground, or null (before it started, or when it could not). */
  playground(): Playground | null;
  /** `busy` changed: refresh the buttons and controls. */
  changed(): void;
  /** The runtime refused a setting: show why at its control. */
  refused(key: Key, message: string): void;
}

/** What a failed piece of work says. */
export interface Failure {
  /** The runtime refused the settings (a ConfigError). Without it, a ConfigError is `failed` like any error. */
  refused?(message: string): void;
  failed(message: string): void;
}

export class Exclusive {
  #busy: Busy | null = null;
  #abort: AbortController | null = null;

  constructor(private hooks: ExclusiveHooks) {}

  /** What runs now. */
  get busy(): Busy | null {
    return this.#busy;
  }

  /** True when work can start: the playground started and nothing runs. */
  get idle(): boolean {
    return this.hooks.playground() !== null && this.#busy === null;
  }

  /** True while what runs can be cancelled. */
  get cancellable(): boolean {
    return this.#abort !== null;
  }

  /** Aborts what runs, if it can be cancelled; false when there was nothing to cancel. */
  cancel(): boolean {
    this.#abort?.abort();
    return this.#abort !== null;
  }

  /**
   * Runs `work` unless the playground is not idle (then null). Its value, or
   * null once its failure has been reported.
   */
  async run<T>(what: Busy, work: (playground: Playground, signal: AbortSignal) => Promise<T>, failure: Failure): Promise<T | null> {
    const playground = this.hooks.playground();
    if (!playground || this.#busy) return null;
    const abort = new AbortController();
    this.#busy = what;
    this.#abort = CANCELLABLE[what] ? abort : null;
    this.hooks.changed();
    try {
      return await work(playground, abort.signal);
    } catch (error) {
      this.report(error, failure);
      return null;
    } finally {
      this.#busy = null;
      this.#abort = null;
      this.hooks.changed();
    }
  }

  /**
   * Reports a failure as `run` does: a ConfigError next to the control it
   * names (and `refused`), anything else `failed`. For what a view asks of the
   * work in progress (a resize of the running pool).
   */
  report(error: unknown, failure: Failure): void {
    const message = (error as Error).message;
    if (error instanceof ConfigError && failure.refused) {
      const key = keyForField(error.field);
      if (key) this.hooks.refused(key, message);
      failure.refused(message);
    } else {
      failure.failed(message);
    }
  }
}
