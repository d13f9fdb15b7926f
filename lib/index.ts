// wasm-worker-pool: the package API. Everything here runs on the page's main
// thread and never blocks: the wasm instance lives in a dedicated
// orchestrator worker (orchestrator.ts), reached only through protocol.ts.
import { ConfigError, NotIsolatedError, RuntimeError } from './errors.js';
import { EVENT_STRIDE, type FromOrchestrator, type ToOrchestrator, type WireError } from './protocol.js';
import {
  COMMON_ERRORS,
  OUTCOMES,
  type CommonError,
  type CommonErrorReport,
  type Progress,
  type RunConfig,
  type RunSummary,
  type RuntimeInfo,
  type TimelineEvent,
} from './types.js';

export * from './types.js';
export { ConfigError, NotIsolatedError, RuntimeError } from './errors.js';

export interface CreateOptions {
  /** Fail after this long if the runtime does not start (default 30 s). */
  startTimeoutMs?: number;
}

export interface RunOptions {
  /** Called at least 20 times a second during the run, with batched timeline events. */
  onProgress?: (progress: Progress) => void;
  /** Aborting cancels the run: the promise then resolves with `aborted: true`. */
  signal?: AbortSignal;
}

export interface Playground {
  /** What the browser offered when the runtime started. */
  readonly info: RuntimeInfo;
  /** Run one configuration; rejects with ConfigError (nothing runs) on a bad config. */
  run(config: RunConfig, options?: RunOptions): Promise<RunSummary>;
  /**
   * Reproduce one of the tutorial's common errors on real threads and report
   * what was observed and how the Rust API prevents or reports it.
   */
  demonstrate(error: CommonError): Promise<CommonErrorReport>;
  /** Current runtime numbers (live threads, memory). */
  refreshInfo(): Promise<RuntimeInfo>;
  /** Ends the orchestrator and every thread it started. */
  dispose(): void;
}

function toError(error: WireError): Error {
  if (error.name === 'ConfigError') return new ConfigError(error.field ?? 'config', error.message);
  const result = new RuntimeError(error.message);
  if (error.name && error.name !== 'Error') result.name = error.name;
  return result;
}

function decodeEvents(data: Float64Array): TimelineEvent[] {
  const events: TimelineEvent[] = new Array(data.length / EVENT_STRIDE);
  for (let i = 0, at = 0; at < data.length; i++, at += EVENT_STRIDE) {
    events[i] = {
      taskId: data[at], workerId: data[at + 1],
      enqueuedMs: toMs(data[at + 2]), startedMs: toMs(data[at + 3]), endedMs: toMs(data[at + 4]),
      waitStartMs: toMs(data[at + 5]), waitEndMs: toMs(data[at + 6]),
      outcome: OUTCOMES[data[at + 7]],
    };
  }
  return events;
}
const toMs = (us: number) => (us < 0 ? -1 : us / 1000);

/** Start the runtime in a dedicated worker. Rejects with NotIsolatedError where threads cannot share memory. */
export async function createPlayground(options: CreateOptions = {}): Promise<Playground> {
  if (!globalThis.crossOriginIsolated) throw new NotIsolatedError();
  const worker = new Worker(new URL('./orchestrator.js', import.meta.url), {
    type: 'module',
    name: 'wasm-worker-pool orchestrator',
  });
  const pending = new Map<number, (message: FromOrchestrator) => void>();
  let nextId = 1;
  let disposed = false;
  let fatal: Error | null = null;

  const info = await new Promise<RuntimeInfo>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new RuntimeError(`the runtime did not start within ${options.startTimeoutMs ?? 30000} ms`)),
      options.startTimeoutMs ?? 30000,
    );
    worker.onerror = (event) => {
      event.preventDefault();
      clearTimeout(timer);
      reject(new RuntimeError(`the orchestrator worker failed to load: ${event.message || 'unknown error'}`));
    };
    worker.onmessage = ({ data }: MessageEvent<FromOrchestrator>) => {
      clearTimeout(timer);
      if (data.type === 'ready') resolve(data.info);
      else if (data.type === 'failed') reject(toError(data.error));
    };
  }).catch((error) => {
    worker.terminate();
    throw error;
  });
  if (!info.sharedMemory) {
    worker.terminate();
    throw new RuntimeError('the wasm module was built without shared memory: rebuild with npm run build:wasm');
  }

  worker.onmessage = ({ data }: MessageEvent<FromOrchestrator>) => {
    if ('id' in data) pending.get(data.id)?.(data);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fatal = new RuntimeError(`the orchestrator worker failed: ${event.message}`);
    for (const listener of pending.values()) listener({ type: 'error', id: -1, error: { name: 'RuntimeError', message: fatal.message } });
  };
  const send = (message: ToOrchestrator) => worker.postMessage(message);
  const usable = () => {
    if (disposed) throw new RuntimeError('this playground was disposed');
    if (fatal) throw fatal;
  };

  /** One request and its one answer: `pick` takes the value out of the reply it expects. */
  const request = <T>(message: ToOrchestrator & { id: number }, pick: (reply: FromOrchestrator) => T | undefined) =>
    new Promise<T>((resolve, reject) => {
      pending.set(message.id, (reply) => {
        pending.delete(message.id);
        if (reply.type === 'error') reject(toError(reply.error));
        else {
          const value = pick(reply);
          if (value === undefined) reject(new RuntimeError(`unexpected reply '${reply.type}' to '${message.type}'`));
          else resolve(value);
        }
      });
      send(message);
    });

  let running = false;
  return {
    info,
    async run(config: RunConfig, { onProgress, signal }: RunOptions = {}) {
      usable();
      if (running) throw new RuntimeError('a run is already in progress on this playground');
      if (config === null || typeof config !== 'object' || Array.isArray(config)) {
        throw new ConfigError('config', 'config must be an object');
      }
      running = true;
      const id = nextId++;
      try {
        return await new Promise<RunSummary>((resolve, reject) => {
          const onAbort = () => send({ type: 'cancel', id });
          pending.set(id, (message) => {
            if (message.type === 'progress') {
              onProgress?.({ elapsedMs: message.elapsedMs, stats: message.stats, events: decodeEvents(message.events) });
              return;
            }
            pending.delete(id);
            signal?.removeEventListener('abort', onAbort);
            if (message.type === 'done') resolve(message.summary);
            else if (message.type === 'error') reject(toError(message.error));
          });
          signal?.addEventListener('abort', onAbort, { once: true });
          send({ type: 'run', id, config: { ...config } });
          if (signal?.aborted) onAbort();
        });
      } finally {
        running = false;
      }
    },
    async demonstrate(error: CommonError) {
      usable();
      if (!COMMON_ERRORS.includes(error)) {
        throw new ConfigError('error', `unknown common error '${error}': choose ${COMMON_ERRORS.join(', ')}`);
      }
      if (running) throw new RuntimeError('a run is already in progress on this playground');
      running = true;
      try {
        return await request({ type: 'demonstrate', id: nextId++, error }, (r) =>
          r.type === 'demonstrated' ? r.report : undefined);
      } finally {
        running = false;
      }
    },
    refreshInfo() {
      usable();
      return request({ type: 'info', id: nextId++ }, (r) => (r.type === 'info' ? r.info : undefined));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      // Terminating the orchestrator ends every worker it started.
      worker.terminate();
      for (const listener of pending.values()) listener({ type: 'error', id: -1, error: { name: 'RuntimeError', message: 'the playground was disposed' } });
      pending.clear();
    },
  };
}
