// Asks the browser how much memory the page uses while a run goes, with
// performance.measureUserAgentSpecificMemory(): the JavaScript and
// WebAssembly memory of the page and of each Web Worker that answers. The
// browser answers when it chooses (Chromium at a garbage collection, once its
// workers answered or gave up: while threads are busy in WebAssembly, about a
// minute later). Only an answer that arrives while the run goes describes it,
// so the comparison waits for it as long as the run lasts, and no longer: no
// answer by then is said as such, never replaced by another number in silence.
import { memoryPartsOf, type MemoryReading } from './compare-verdict';

interface Measurement { bytes: number; breakdown: { bytes: number; attribution: { url?: string; scope?: string }[]; types: string[] }[] }
type Measure = () => Promise<Measurement>;

const UNAVAILABLE = 'it is not available here (it needs a cross-origin isolated page, in a browser that has it)';

function measureApi(): Measure | null {
  const perf = performance as Performance & { measureUserAgentSpecificMemory?: Measure };
  return crossOriginIsolated && typeof perf.measureUserAgentSpecificMemory === 'function'
    ? perf.measureUserAgentSpecificMemory.bind(perf) : null;
}

/** One question about one run: asked once (half way), answered or given up on after the run. */
export class MemoryQuestion {
  #askedAt = 0;
  #answeredAt = 0;
  #answer: Promise<Measurement | Error | typeof UNAVAILABLE> | null = null;

  /** How long the browser has been asked without answering; null when not waiting. */
  waitingForMs(): number | null {
    return this.#answer && this.#answeredAt === 0 ? performance.now() - this.#askedAt : null;
  }

  /** Asks now, unless already asked. */
  ask(): void {
    if (this.#answer) return;
    const measure = measureApi();
    this.#askedAt = performance.now();
    const settled = <T>(value: T) => {
      this.#answeredAt = performance.now();
      return value;
    };
    this.#answer = measure
      ? measure().then(settled, (error: unknown) => settled(error instanceof Error ? error : new Error(String(error))))
      : Promise.resolve(UNAVAILABLE);
  }

  /**
   * The reading, once the run has ended at `runEndedAt`: the browser's answer
   * if it came by then (a run too short to be asked half way is asked now,
   * and answered only if at once). Null if `signal` aborted first.
   */
  async reading(runEndedAt: number, signal: AbortSignal): Promise<MemoryReading | null> {
    this.ask();
    let timer = 0;
    let onAbort = () => {};
    const outcome = await new Promise<Measurement | Error | string | 'late' | 'cancelled'>((resolve) => {
      onAbort = () => resolve('cancelled');
      if (signal.aborted) return resolve('cancelled');
      signal.addEventListener('abort', onAbort, { once: true });
      // An answer already given settles first (a microtask, before the timer).
      void this.#answer!.then(resolve);
      timer = window.setTimeout(() => resolve('late'), Math.max(0, runEndedAt - performance.now()));
    });
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    if (outcome === 'cancelled') return null;
    if (outcome === 'late') {
      const asked = Math.round(runEndedAt - this.#askedAt);
      return { kind: 'unanswered', why: `it did not answer while the run was going (asked ${asked} ms before its end)` };
    }
    if (typeof outcome === 'string') return { kind: 'unanswered', why: outcome };
    if (outcome instanceof Error) return { kind: 'unanswered', why: `it failed: ${outcome.message}` };
    return {
      kind: 'measured', bytes: outcome.bytes, answeredAfterMs: this.#answeredAt - this.#askedAt,
      duringRun: this.#answeredAt <= runEndedAt, parts: memoryPartsOf(outcome.breakdown),
    };
  }
}
