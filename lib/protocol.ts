// Messages between the page (index.ts) and the orchestrator worker: the one
// typed boundary across which the page talks to the runtime. The values
// inside are the wire types generated from Rust (wire.ts).
import type { CommonError, CommonErrorReport, RunConfig, RunSummary, RuntimeInfo, StatsSnapshot, WireError } from './wire.js';

export type ToOrchestrator =
  | { type: 'run'; id: number; config: Partial<RunConfig> }
  | { type: 'cancel'; id: number }
  /** Sent once, first: the warm-thread policy and the progress interval (createPlayground's options). */
  | { type: 'configure'; id: 0; warmThreads: number; idleTimeoutMs: number; progressIntervalMs: number }
  /** Resize the pool of the run in progress; answered by 'resized' once in effect. */
  | { type: 'resize'; id: number; workers: number }
  | { type: 'info'; id: number }
  | { type: 'demonstrate'; id: number; error: CommonError }
  /** Liveness: answered at once with 'pong' by a runtime whose event loop turns. */
  | { type: 'ping'; id: 0 };

export type FromOrchestrator =
  | { type: 'ready'; info: RuntimeInfo }
  | { type: 'failed'; error: WireError }
  /** `events`: EVENT_STRIDE numbers per finished task (wire.ts). */
  | { type: 'progress'; id: number; elapsedMs: number; stats: StatsSnapshot; events: Float64Array }
  | { type: 'done'; id: number; summary: RunSummary }
  | { type: 'resized'; id: number }
  | { type: 'error'; id: number; error: WireError }
  | { type: 'info'; id: number; info: RuntimeInfo }
  | { type: 'demonstrated'; id: number; report: CommonErrorReport }
  | { type: 'pong'; id: 0 };
