// The package's data types. Everything that crosses from Rust is generated
// into wire.ts from the Rust types (crate/tests/wire_types.rs); what is
// here is what the package itself builds from them.
import type * as wire from './wire.js';

export type {
  CommonError,
  CommonErrorReport,
  ErrorKind,
  Observed,
  OutcomeKind,
  Percentiles,
  RunSummary,
  RuntimeInfo,
  StatsSnapshot,
  StrategyKind,
  TaskKind,
  VariantReport,
  WireError,
  WorkerCount,
  WorkerSnapshot,
  WorkerState,
} from './wire.js';
export { COMMON_ERRORS, OUTCOMES } from './wire.js';

/**
 * A run's configuration as `run()` takes it: every field of the Rust
 * RunConfig is optional and takes its default when missing; unknown fields
 * are refused.
 */
export type RunConfig = Partial<wire.RunConfig>;

/** One finished task on the timeline; times in ms since the run started, -1 = never. */
export interface TimelineEvent {
  taskId: number; workerId: number;
  enqueuedMs: number; startedMs: number; endedMs: number;
  waitStartMs: number; waitEndMs: number;
  outcome: wire.OutcomeKind;
}

/** What `onProgress` receives: the stats now, and the events decoded since the last call. */
export interface Progress { elapsedMs: number; stats: wire.StatsSnapshot; events: TimelineEvent[] }
