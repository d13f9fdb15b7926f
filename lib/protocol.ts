// Messages between the page (index.ts) and the orchestrator worker: the one
// typed boundary across which the page talks to the runtime. The values
// inside are the wire types generated from Rust (wire.ts).
import type { CommonError, CommonErrorReport, RunConfig, RunSummary, RuntimeInfo, StatsSnapshot, WireError } from './wire.js';

export type ToOrchestrator =
  /**
   * Sent first, once: `module` is the compiled module of an earlier runtime
   * of this page (instantiated again, not compiled), or null to compile it.
   */
  | { type: 'init'; module: WebAssembly.Module | null }
  /**
   * `wantsProgress`: run() was given an onProgress, so post progress with its
   * timeline events; otherwise post none and keep no timeline (nobody sees it).
   */
  | { type: 'run'; id: number; config: Partial<RunConfig>; wantsProgress: boolean }
  | { type: 'cancel'; id: number }
  /** Sent once, first: the warm-thread policy and the progress interval (createPlayground's options). */
  | { type: 'configure'; id: 0; warmThreads: number; idleTimeoutMs: number; progressIntervalMs: number }
  /** Resize the pool of the run in progress; answered by 'resized' once in effect. */
  | { type: 'resize'; id: number; workers: number }
  | { type: 'info'; id: number }
  | { type: 'demonstrate'; id: number; error: CommonError }
  /** Liveness: answered at once with 'pong' by a runtime whose event loop turns. */
  | { type: 'ping'; id: 0 }
  /** What a thread the page started (see 'start-thread') posted, or why it failed to load. */
  | { type: 'thread-message'; thread: number; data: ThreadMessage };

/** What a thread worker (crate/js/thread_worker.js) posts to whoever started it. */
export type ThreadMessage =
  /** Its script ran and it takes messages (the package posts the start at once, without waiting for this). */
  | { type: 'listening' }
  | { type: 'start-failed'; message: string }
  | { type: 'body-ended' }
  | { type: 'exited' };

export type FromOrchestrator =
  /** `module`: the compiled module, which the page keeps for its next runtime. */
  | { type: 'ready'; info: RuntimeInfo; module: WebAssembly.Module }
  | { type: 'failed'; error: WireError }
  /** `events`: EVENT_STRIDE numbers per finished task (wire.ts). */
  | { type: 'progress'; id: number; elapsedMs: number; stats: StatsSnapshot; events: Float64Array }
  | { type: 'done'; id: number; summary: RunSummary }
  | { type: 'resized'; id: number }
  | { type: 'error'; id: number; error: WireError }
  | { type: 'info'; id: number; info: RuntimeInfo }
  | { type: 'demonstrated'; id: number; report: CommonErrorReport }
  | { type: 'pong'; id: 0 }
  /**
   * Start a thread: pkg/thread_worker.js, posted everything but `type`, its
   * messages handed back as 'thread-message'. The page starts them because
   * Firefox, while a console listener is attached, deadlocks a worker that
   * constructs more than a few nested workers.
   */
  | { type: 'start-thread'; id: number; module: WebAssembly.Module; memory: WebAssembly.Memory; stackSize: number; glueUrl: string | null };
