// Types of 'wasm-worker-pool/element' (dist/element.js, built from
// www/src/element.ts by `npm run build:element`; this file is copied beside it).
//
// Importing the module defines <worker-pool-playground>: the whole Worker Pool
// Playground (settings, live charts, timeline, summary, Compare, Lessons) in a
// shadow root. It needs a cross-origin isolated page, as createPlayground() does.
//
// Attributes, read when the element is connected (the same checks as the
// page's URL; any bad value loads the defaults and says why). An empty
// timeout-ms, connections, spawn-cap or arrival-rate is its default: none,
// unlimited, unbounded, all at once.
//   strategy        pool | spawn-per-task | rayon          (default pool)
//   workers         1 to 256                               (default 8)
//   tasks           1 to 1,000,000                         (default 1000)
//   failure-rate    percent of tasks that fail, 0 to 100   (default 10)
//   queue-capacity  0 to 1,000,000; 0 = unbuffered         (default 100)
//   kind            sleep | cpu | noop                     (default sleep)
//   sleep-ms        "min-max" duration of a sleep task     (default 5-20)
//   cpu-iterations  "min-max" iterations of a CPU task     (default 2000000-8000000)
//   timeout-ms      per-task deadline, in ms               (default none)
//   connections     size of a shared resource, 1 to 256    (default unlimited)
//   panic-rate      percent of tasks that panic, 0 to 100  (default 0)
//   trap-rate       percent of tasks that trap, 0 to 100   (default 0)
//   seed            0 to 2^53 - 1                          (default 42)
//   spawn-cap       spawn-per-task: live threads, 1 to 512 (default unbounded)
//   arrival-rate    pool: tasks per second, Poisson, > 0   (default all at once)
//   view            run | compare | lessons                (default run)
import type { StrategyKind, TaskKind } from './index.js';

/** The playground's settings, as its controls show them (rates in percent). */
export interface PlaygroundSettings {
  strategy: StrategyKind;
  workers: number;
  tasks: number;
  /** Percent, 0 to 100. */
  failurePct: number;
  queueCapacity: number;
  kind: TaskKind;
  sleepMin: number;
  sleepMax: number;
  cpuMin: number;
  cpuMax: number;
  /** null = no per-task deadline. */
  timeoutMs: number | null;
  /** null = no limited resource. */
  connections: number | null;
  /** Percent, 0 to 100. */
  panicPct: number;
  /** Percent, 0 to 100: tasks whose thread dies (a WebAssembly trap). */
  trapPct: number;
  seed: number;
  /** null = unbounded. */
  spawnCap: number | null;
  /** Tasks per second, arriving at random (Poisson) gaps; null = every task at once. Pool only. */
  arrivalRate: number | null;
}

/** The class behind <worker-pool-playground> (defined when this module loads). */
export declare class WorkerPoolPlayground extends HTMLElement {
  /** The attribute names read for the initial settings. */
  static readonly settingAttributes: readonly string[];
  /** The current settings, or null while a control holds an invalid value (or the element is not connected). */
  readonly settings: PlaygroundSettings | null;
  /** What is running: 'run', 'compare', 'demonstrate', 'sweep' (the workers sweep), or null. */
  readonly busy: null | 'run' | 'compare' | 'demonstrate' | 'sweep';
  /** Resolves true once the runtime started, false if it cannot (not isolated) or the element is not connected. */
  readonly ready: Promise<boolean>;
}

declare global {
  interface HTMLElementTagNameMap {
    'worker-pool-playground': WorkerPoolPlayground;
  }
}
