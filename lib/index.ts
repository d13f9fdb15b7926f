// wasm-worker-pool: the package API. Everything here runs on the page's main
// thread and never blocks: the wasm instance lives in a dedicated
// orchestrator worker (orchestrator.ts), reached only through protocol.ts.
//
// A runtime that stops answering (a watchdog sees no message for a few
// seconds), or whose run does not stop within a second of its abort, is
// ended: the call in flight rejects with RuntimeError and the next call
// starts a fresh runtime.
import { BusyError, ConfigError, fromWire, NotIsolatedError, RuntimeError } from './errors.js';
import type { FromOrchestrator, ThreadMessage, ToOrchestrator } from './protocol.js';
import { EVENT_STRIDE } from './wire.js';
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
export { BusyError, ConfigError, NotIsolatedError, RuntimeError, StartError } from './errors.js';

export interface CreateOptions {
  /** Fail after this long if the runtime does not start (default 30 s; 1 ms to 2^31 - 1 ms). */
  startTimeoutMs?: number;
  /**
   * End the runtime when it has not answered for this long while a call is
   * in flight (default 5 s; 100 ms to 2^31 - 1 ms). It answers a ping every
   * second (and sends a listened run's progress ~30 times a second), so only
   * a runtime whose event loop is stuck goes this long without a word.
   */
  watchdogMs?: number;
  /**
   * Threads kept parked between runs, so that the next pool or rayon run
   * starts at once instead of starting Web Workers (default 256: keep what
   * the last runs used; 0 to 256; 0 = start new threads for every run).
   * One worker per task always starts a new thread per task.
   */
  warmThreads?: number;
  /** A parked thread nobody used for this long leaves (default 30 s; 1 ms to 2^31 - 1 ms). */
  idleTimeoutMs?: number;
  /**
   * How often a run's progress is posted (`onProgress`; default 33 ms, ~30
   * times a second; 1 ms to 2^31 - 1 ms). A run's end is answered at once,
   * whatever this is.
   */
  progressIntervalMs?: number;
}

/** What the runtime is told when it starts. */
interface RuntimeOptions { warmThreads: number; idleTimeoutMs: number; progressIntervalMs: number }

export interface RunOptions {
  /** Called every `progressIntervalMs` (default 33 ms) during the run, with batched timeline events. */
  onProgress?: (progress: Progress) => void;
  /**
   * Aborting cancels the run: the promise then resolves with `aborted: true`,
   * within a second (else it rejects with RuntimeError and the runtime is ended).
   */
  signal?: AbortSignal;
}

export interface Playground {
  /** What the browser offered when the runtime (last) started. */
  readonly info: RuntimeInfo;
  /** Run one configuration; rejects with ConfigError (nothing runs) on a bad config. */
  run(config: RunConfig, options?: RunOptions): Promise<RunSummary>;
  /**
   * Reproduce one of the tutorial's common errors on real threads and report
   * what was observed and how the Rust API prevents or reports it.
   */
  demonstrate(error: CommonError): Promise<CommonErrorReport>;
  /**
   * Change the worker count of the pool run in progress: growing starts new
   * workers, shrinking lets the extra ones finish their task and leave (no
   * task is lost). Resolves once the new count is in effect (or the run
   * ended); rejects with ConfigError (field 'workers') for a count that is
   * not a whole number from 1 to 256, and with RuntimeError when no pool run
   * is in progress (rayon's thread pool cannot be resized).
   */
  resize(workers: number): Promise<void>;
  /** Current runtime numbers (live threads, memory). */
  refreshInfo(): Promise<RuntimeInfo>;
  /** Ends the orchestrator and every thread it started. */
  dispose(): void;
}

/** Longest delay a timer takes (setTimeout fires at once beyond it). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const DEFAULT_START_TIMEOUT_MS = 30_000;
const DEFAULT_WATCHDOG_MS = 5_000;
const DEFAULT_WARM_THREADS = 256;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const DEFAULT_PROGRESS_INTERVAL_MS = 33;
/** How often a pending call checks that the runtime still answers. */
const PING_MS = 1_000;
/** How long an aborted run may take to stop. */
const ABORT_SETTLE_MS = 1_000;

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

/** A delay option: undefined (the default) or a whole number of ms a timer can hold. */
function checkDelay(field: string, value: unknown, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    throw new ConfigError(field, `${field} must be a finite number of ms from ${min} to ${MAX_TIMER_MS} (got ${String(value)})`);
  }
  return value;
}

function checkCount(field: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(field, `${field} must be a whole number from ${min} to ${max} (got ${String(value)})`);
  }
  return value;
}

const describe = (value: unknown) => (typeof value === 'object' ? (value === null ? 'null' : 'an object') : `a ${typeof value}`);

/**
 * A config the orchestrator can receive: an object whose values can be
 * copied to a worker. Anything else is a ConfigError naming the field, before
 * anything is sent (structuredClone would throw a DataCloneError).
 */
function checkCloneable(config: unknown): asserts config is RunConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError('config', `config must be an object (got ${Array.isArray(config) ? 'an array' : describe(config)})`);
  }
  for (const [field, value] of Object.entries(config)) {
    try {
      structuredClone(value);
    } catch {
      throw new ConfigError(field, `${field} must be a plain value such as a number, a string or null (got ${describe(value)})`);
    }
  }
}

/** One started orchestrator worker and the calls waiting for its answers. */
interface Runtime {
  worker: Worker;
  info: RuntimeInfo;
  pending: Map<number, (message: FromOrchestrator) => void>;
  /** When the orchestrator last sent anything. */
  lastHeard: number;
  /** Why it was ended, once it was. */
  ended: RuntimeError | null;
  /** The thread workers this page started for it, by thread id. */
  threads: Map<number, Worker>;
  /** Thread starts the orchestrator asked for and the page has not made yet (see startThreads). */
  toStart: Extract<FromOrchestrator, { type: 'start-thread' }>[];
}

/** Longest the page spends constructing thread workers before it lets its event loop turn. */
const START_SLICE_MS = 8;

/**
 * Makes the thread starts `runtime` asked for, a slice at a time: each
 * `new Worker` costs the page's main thread about a millisecond, and a run
 * may ask for hundreds at once.
 */
function startThreads(runtime: Runtime): void {
  const sliceEnd = performance.now() + START_SLICE_MS;
  while (runtime.toStart.length > 0 && performance.now() < sliceEnd) startThread(runtime, runtime.toStart.shift()!);
  if (runtime.toStart.length > 0) onNextTurn(() => startThreads(runtime));
}

/** Runs `f` on a later turn of the event loop; unlike setTimeout's, a port's message is not held back to once a second in a hidden tab. */
function onNextTurn(f: () => void): void {
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = () => {
    port1.close();
    f();
  };
  port2.postMessage(null);
}

/**
 * Starts one of the runtime's threads, as the orchestrator asks: the page
 * constructs the thread workers because Firefox, while a console listener is
 * attached, deadlocks a worker that constructs more than a few nested workers
 * (scripts/firefox-nested-workers).
 * Everything the thread posts goes back to the orchestrator.
 */
function startThread(runtime: Runtime, start: Extract<FromOrchestrator, { type: 'start-thread' }>): void {
  if (runtime.ended) return;
  const { type: _, ...message } = start;
  const thread = start.id;
  const tell = (data: ThreadMessage) => {
    if (data.type === 'listening') return;
    if (data.type === 'exited' || data.type === 'start-failed') runtime.threads.delete(thread);
    if (!runtime.ended) runtime.worker.postMessage({ type: 'thread-message', thread, data } satisfies ToOrchestrator);
  };
  try {
    const worker = new Worker(new URL('../pkg/thread_worker.js', import.meta.url), { type: 'module', name: 'wasm-worker-pool thread' });
    // Kept from here on, so that end() terminates it whatever happens next.
    runtime.threads.set(thread, worker);
    worker.onmessage = ({ data }: MessageEvent<ThreadMessage>) => tell(data);
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      tell({ type: 'start-failed', message: event.message || 'the thread script failed to load' });
    };
    worker.postMessage(message);
  } catch (error) {
    runtime.threads.get(thread)?.terminate();
    tell({ type: 'start-failed', message: `the browser refused a new Web Worker: ${error instanceof Error ? error.message : String(error)}` });
  }
}

/**
 * The module the last runtime of this page compiled: the next one is
 * instantiated from it and fetches and compiles nothing. Kept for the page's
 * lifetime (the compiled code, not a memory or a thread).
 */
let compiledModule: WebAssembly.Module | null = null;

async function startRuntime(startTimeoutMs: number, options: RuntimeOptions): Promise<Runtime> {
  const worker = new Worker(new URL('./orchestrator.js', import.meta.url), {
    type: 'module',
    name: 'wasm-worker-pool orchestrator',
  });
  worker.postMessage({ type: 'init', module: compiledModule } satisfies ToOrchestrator);
  const info = await new Promise<RuntimeInfo>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new RuntimeError(`the runtime did not start within ${startTimeoutMs} ms`)),
      startTimeoutMs,
    );
    worker.onerror = (event) => {
      event.preventDefault();
      clearTimeout(timer);
      reject(new RuntimeError(`the orchestrator worker failed to load: ${event.message || 'unknown error'}`));
    };
    worker.onmessage = ({ data }: MessageEvent<FromOrchestrator>) => {
      clearTimeout(timer);
      if (data.type === 'ready') {
        compiledModule = data.module;
        resolve(data.info);
      }
      else if (data.type === 'failed') reject(fromWire(data.error));
    };
  }).catch((error) => {
    worker.terminate();
    throw error;
  });
  if (!info.sharedMemory) {
    worker.terminate();
    throw new RuntimeError('the wasm module was built without shared memory: rebuild with npm run build:wasm');
  }
  // Before any call: the orchestrator takes messages in order.
  worker.postMessage({ type: 'configure', id: 0, ...options } satisfies ToOrchestrator);
  const runtime: Runtime = { worker, info, pending: new Map(), lastHeard: performance.now(), ended: null, threads: new Map(), toStart: [] };
  worker.onmessage = ({ data }: MessageEvent<FromOrchestrator>) => {
    runtime.lastHeard = performance.now();
    if (data.type === 'start-thread') {
      if (runtime.toStart.push(data) === 1) startThreads(runtime);
    }
    else if ('id' in data) runtime.pending.get(data.id)?.(data);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    end(runtime, new RuntimeError(`the orchestrator worker failed: ${event.message}`));
  };
  return runtime;
}

/** Ends `runtime` (its worker and every thread it started); pending calls reject with `reason`. */
function end(runtime: Runtime, reason: RuntimeError): void {
  if (runtime.ended) return;
  runtime.ended = reason;
  runtime.worker.terminate();
  for (const thread of runtime.threads.values()) thread.terminate();
  runtime.threads.clear();
  runtime.toStart = [];
  const error = { kind: 'runtime', message: reason.message } as const;
  for (const listener of [...runtime.pending.values()]) listener({ type: 'error', id: -1, error });
  runtime.pending.clear();
}

/** Start the runtime in a dedicated worker. Rejects with NotIsolatedError where threads cannot share memory. */
export async function createPlayground(options: CreateOptions = {}): Promise<Playground> {
  const startTimeoutMs = checkDelay('startTimeoutMs', options.startTimeoutMs, 1, DEFAULT_START_TIMEOUT_MS);
  const watchdogMs = checkDelay('watchdogMs', options.watchdogMs, 100, DEFAULT_WATCHDOG_MS);
  const runtimeOptions: RuntimeOptions = {
    warmThreads: checkCount('warmThreads', options.warmThreads, 0, 256, DEFAULT_WARM_THREADS),
    idleTimeoutMs: checkDelay('idleTimeoutMs', options.idleTimeoutMs, 1, DEFAULT_IDLE_TIMEOUT_MS),
    progressIntervalMs: checkDelay('progressIntervalMs', options.progressIntervalMs, 1, DEFAULT_PROGRESS_INTERVAL_MS),
  };
  if (!globalThis.crossOriginIsolated) throw new NotIsolatedError();
  let runtime: Runtime | null = await startRuntime(startTimeoutMs, runtimeOptions);
  let info = runtime.info;
  let starting: Promise<Runtime> | null = null;
  let nextId = 1;
  let disposed = false;
  let busy = false;
  /** The runtime the run in progress was posted to (set by run()). */
  let runPosted: Promise<Runtime> | null = null;

  /** The live runtime, or a fresh one if the last was ended. */
  const current = async (): Promise<Runtime> => {
    if (disposed) throw new RuntimeError('this playground was disposed');
    if (runtime && !runtime.ended) return runtime;
    starting ??= startRuntime(startTimeoutMs, runtimeOptions).finally(() => { starting = null; });
    runtime = await starting;
    info = runtime.info;
    if (disposed) {
      end(runtime, new RuntimeError('the playground was disposed'));
      throw new RuntimeError('this playground was disposed');
    }
    return runtime;
  };

  /**
   * Sends `message` and calls `onReply` with every reply to it until it
   * returns true (the last). While waiting, the runtime is pinged; if it
   * stays silent for `watchdogMs` it is ended and the call rejects.
   */
  const exchange = <T>(
    rt: Runtime,
    message: ToOrchestrator & { id: number },
    onReply: (reply: FromOrchestrator, settle: { resolve: (value: T) => void; reject: (error: Error) => void }) => void,
    setup?: (settle: { resolve: (value: T) => void; reject: (error: Error) => void }) => () => void,
  ) =>
    new Promise<T>((resolve, reject) => {
      let cleanup = () => {};
      const watchdog = setInterval(() => {
        if (performance.now() - rt.lastHeard > watchdogMs) {
          end(rt, new RuntimeError(`the runtime stopped answering (nothing for ${watchdogMs} ms) and was ended; the next call starts a new one`));
        } else if (!rt.ended) {
          rt.worker.postMessage({ type: 'ping', id: 0 } satisfies ToOrchestrator);
        }
      }, Math.min(PING_MS, watchdogMs / 2));
      const settle = {
        resolve: (value: T) => { done(); resolve(value); },
        reject: (error: Error) => { done(); reject(error); },
      };
      const done = () => {
        clearInterval(watchdog);
        rt.pending.delete(message.id);
        cleanup();
      };
      rt.pending.set(message.id, (reply) => {
        if (reply.type === 'error') settle.reject(fromWire(reply.error));
        else onReply(reply, settle);
      });
      try {
        if (setup) cleanup = setup(settle);
        rt.lastHeard = performance.now();
        rt.worker.postMessage(message);
      } catch (error) {
        settle.reject(error instanceof Error ? error : new RuntimeError(String(error)));
      }
    });

  /** One request, one answer: `pick` takes the value out of the reply it expects. */
  const request = <T>(rt: Runtime, message: ToOrchestrator & { id: number }, pick: (reply: FromOrchestrator) => T | undefined) =>
    exchange<T>(rt, message, (reply, { resolve, reject }) => {
      const value = pick(reply);
      if (value === undefined) reject(new RuntimeError(`unexpected reply '${reply.type}' to '${message.type}'`));
      else resolve(value);
    });

  /** Runs `body` as the one call in progress on this playground. */
  const exclusively = async <T>(body: () => Promise<T>): Promise<T> => {
    if (busy) throw new BusyError('a run is already in progress on this playground');
    busy = true;
    try {
      return await body();
    } finally {
      busy = false;
    }
  };

  return {
    get info() {
      return info;
    },
    async run(config: RunConfig, { onProgress, signal }: RunOptions = {}) {
      if (disposed) throw new RuntimeError('this playground was disposed');
      checkCloneable(config);
      if (onProgress !== undefined && typeof onProgress !== 'function') {
        throw new ConfigError('onProgress', `onProgress must be a function (got ${describe(onProgress)})`);
      }
      return exclusively(async () => {
        // Set before the first await: a resize asked for from now on waits
        // for the run to be posted, then follows it.
        let posted!: (rt: Runtime) => void;
        runPosted = new Promise((resolve) => { posted = resolve; });
        const rt = await current();
        const id = nextId++;
        queueMicrotask(() => posted(rt)); // exchange posts the run at once
        return exchange<RunSummary>(
          rt,
          // No listener, no progress: encoding an event per task and posting
          // snapshots is work nobody sees.
          { type: 'run', id, config: { ...config }, wantsProgress: onProgress !== undefined },
          (message, { resolve }) => {
            if (message.type === 'progress') {
              onProgress?.({ elapsedMs: message.elapsedMs, stats: message.stats, events: decodeEvents(message.events) });
            } else if (message.type === 'done') {
              resolve(message.summary);
            }
          },
          () => {
            let deadline: ReturnType<typeof setTimeout> | undefined;
            const onAbort = () => {
              if (rt.ended) return;
              rt.worker.postMessage({ type: 'cancel', id } satisfies ToOrchestrator);
              deadline = setTimeout(() => {
                end(rt, new RuntimeError(`the run did not stop within ${ABORT_SETTLE_MS} ms of its abort; the runtime was ended and the next call starts a new one`));
              }, ABORT_SETTLE_MS);
            };
            signal?.addEventListener('abort', onAbort, { once: true });
            if (signal?.aborted) queueMicrotask(onAbort);
            return () => {
              signal?.removeEventListener('abort', onAbort);
              clearTimeout(deadline);
            };
          },
        );
      });
    },
    async demonstrate(error: CommonError) {
      if (disposed) throw new RuntimeError('this playground was disposed');
      if (!COMMON_ERRORS.includes(error)) {
        throw new ConfigError('error', `unknown common error '${error}': choose ${COMMON_ERRORS.join(', ')}`);
      }
      return exclusively(async () => {
        const rt = await current();
        return request(rt, { type: 'demonstrate', id: nextId++, error }, (r) =>
          r.type === 'demonstrated' ? r.report : undefined);
      });
    },
    async resize(workers: number) {
      if (disposed) throw new RuntimeError('this playground was disposed');
      if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1 || workers > 256) {
        throw new ConfigError('workers', `workers must be a whole number from 1 to 256 (got ${typeof workers === 'number' ? workers : describe(workers)})`);
      }
      if (!busy || !runPosted) throw new RuntimeError('no run is in progress: only a worker pool run can be resized');
      const rt = await runPosted;
      await request(rt, { type: 'resize', id: nextId++, workers }, (r) => (r.type === 'resized' ? true : undefined));
    },
    async refreshInfo() {
      const rt = await current();
      const fresh = await request(rt, { type: 'info', id: nextId++ }, (r) => (r.type === 'info' ? r.info : undefined));
      return fresh;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      // Terminating the orchestrator ends every worker it started.
      if (runtime) end(runtime, new RuntimeError('the playground was disposed'));
    },
  };
}
