// One worker numbering for everything the user sees: the runtime counts
// workers (and threads) from 0, the page counts them from 1, as the
// timeline's lanes always did (lane w1 is worker id 0). The lanes, the
// timeline's detail, the CSV, the JSON and the trace all go through here,
// so that a task is on the same worker wherever it is looked up.
import type { StrategyKind } from 'wasm-worker-pool';

/** The number shown for a worker id: 1 to N; null for a task that never ran on one (id -1). */
export const workerNumber = (workerId: number): number | null => (workerId < 0 ? null : workerId + 1);

/** What a strategy's threads are called: "worker 3", "rayon thread 3", "thread 3" (one per task). */
export function workerNoun(strategy: StrategyKind): string {
  if (strategy === 'rayon') return 'rayon thread';
  return strategy === 'spawn-per-task' ? 'thread' : 'worker';
}

/** Says how the exports number workers, in their header. */
export const WORKER_NUMBERING = 'worker: 1 to N, as the timeline\'s lanes (w1, w2, …), the CSV and the trace number them (the runtime\'s worker id plus 1); null or empty: the task never ran on a worker';
