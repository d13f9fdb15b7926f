// Messages between the page (index.ts) and the orchestrator worker: the one
// typed boundary across which the page talks to the runtime.
import type { CommonError, CommonErrorReport, RunConfig, RunSummary, RuntimeInfo, StatsSnapshot } from './types.js';

export type ToOrchestrator =
  | { type: 'run'; id: number; config: RunConfig }
  | { type: 'cancel'; id: number }
  | { type: 'info'; id: number }
  | { type: 'demonstrate'; id: number; error: CommonError }
  /** Liveness: answered at once with 'pong' by a runtime whose event loop turns. */
  | { type: 'ping'; id: 0 };

export interface WireError { name: string; message: string; field?: string }

export type FromOrchestrator =
  | { type: 'ready'; info: RuntimeInfo }
  | { type: 'failed'; error: WireError }
  | { type: 'progress'; id: number; elapsedMs: number; stats: StatsSnapshot; events: Float64Array }
  | { type: 'done'; id: number; summary: RunSummary }
  | { type: 'error'; id: number; error: WireError }
  | { type: 'info'; id: number; info: RuntimeInfo }
  | { type: 'demonstrated'; id: number; report: CommonErrorReport }
  | { type: 'pong'; id: 0 };

/** Numbers per timeline event in `progress.events`. */
export const EVENT_STRIDE = 8;
