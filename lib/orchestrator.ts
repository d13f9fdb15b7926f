// The orchestrator: a dedicated worker that owns the wasm instance and every
// call that may block, so the page's main thread never does. It drives one
// run at a time from its event loop and posts batched progress snapshots.
import init, { compiledModule, configureWarmThreads, Demonstration, Session, runtimeInfo, startThreadsThrough, threadMessage } from '../pkg/wasm_worker_pool.js';
import { DrainPace } from './drain.js';
import { toWire } from './errors.js';
import type { FromOrchestrator, ToOrchestrator } from './protocol.js';
import type { CommonErrorReport, RunSummary, RuntimeInfo, StatsSnapshot, WireError } from './wire.js';

/**
 * A run is advanced (and its progress posted, when run() has an onProgress)
 * this often: createPlayground's progressIntervalMs.
 */
let pollMs = 33;
/** What crate/js/spawn.js dispatches here when a thread it started exits or finishes a body. */
const THREAD_DONE_EVENT = 'wasm-worker-pool:thread-done';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromOrchestrator, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

/**
 * Firefox (ESR 153 measured) blocks a worker inside `new Worker` once it has
 * constructed a few nested workers, and they never start, while a console
 * listener is attached (a WebDriver BiDi log.entryAdded subscription, which
 * Playwright always makes; scripts/firefox-nested-workers): no feature test
 * shows it short of deadlocking, so the engine is told by name.
 */
const NESTED_WORKERS_DEADLOCK = /\bFirefox\//.test(navigator.userAgent);

const BUSY: WireError = { kind: 'busy', message: 'a run is already in progress' };

const info = (): RuntimeInfo => runtimeInfo() as RuntimeInfo;

/**
 * The run in progress; `wantsProgress`: run() was given an onProgress, so
 * progress is posted (otherwise the run is only advanced, and the page's
 * thread is not woken for it).
 */
let current: { id: number; session: Session; wantsProgress: boolean } | null = null;
/** The next scheduled wake of the run in progress (a drain or a poll). */
let nextWake: ReturnType<typeof setTimeout> | undefined;
/** When the run in progress is next polled (advanced, its progress posted). */
let nextPollAt = 0;
/**
 * Between polls the run's results are taken and counted (drain.ts: at the
 * pace they arrive), so that counting keeps up with the workers. The end of
 * a run is seen at once (THREAD_DONE_EVENT), not here.
 */
let pace = new DrainPace(0);
/** Resizes waiting to take effect, answered from `poll` (or at the run's end). */
let resizing: number[] = [];
let demonstrating = false;

/** Takes the results that arrived and sets the wait before the next drain. */
function drain(session: Session) {
  pace.drained(performance.now(), session.drain(), pollMs);
}

/** The next wake: a drain, or the poll when it is due first. */
function schedule() {
  const untilPoll = nextPollAt - performance.now();
  nextWake = setTimeout(untilPoll <= pace.waitMs ? poll : tick, Math.max(0, Math.min(pace.waitMs, untilPoll)));
}

/** Advances the run, posts its progress to a listener, and ends it once finished. */
function poll() {
  const active = current;
  if (!active) return;
  let finished: boolean;
  try {
    drain(active.session);
    if (active.wantsProgress) {
      const progress: { elapsedMs: number; finished: boolean; stats: StatsSnapshot; events: Float64Array } = active.session.poll();
      post({ type: 'progress', id: active.id, elapsedMs: progress.elapsedMs, stats: progress.stats, events: progress.events },
        [progress.events.buffer]);
      finished = progress.finished;
    } else {
      finished = active.session.advance();
    }
  } catch (error) {
    finish(active, { type: 'error', id: active.id, error: toWire(error) });
    return;
  }
  if (resizing.length > 0 && (finished || active.session.workersInEffect())) answerResizes();
  if (finished) {
    let summary: RunSummary;
    try {
      summary = active.session.summary();
    } catch (error) {
      finish(active, { type: 'error', id: active.id, error: toWire(error) });
      return;
    }
    finish(active, { type: 'done', id: active.id, summary });
  } else {
    nextPollAt = performance.now() + pollMs;
    schedule();
  }
}

/** Between polls: count what arrived. */
function tick() {
  const active = current;
  if (!active) return;
  try {
    drain(active.session);
  } catch (error) {
    finish(active, { type: 'error', id: active.id, error: toWire(error) });
    return;
  }
  schedule();
}

function answerResizes() {
  for (const id of resizing) post({ type: 'resized', id });
  resizing = [];
}

function finish(active: NonNullable<typeof current>, message: FromOrchestrator) {
  answerResizes();
  active.session.free();
  current = null;
  post(message);
}

function handle(message: ToOrchestrator) {
  switch (message.type) {
    case 'init':
      // Taken before any other message; a second one changes nothing.
      return;
    case 'thread-message':
      threadMessage(message.thread, message.data);
      return;
    case 'run': {
      if (current || demonstrating) {
        post({ type: 'error', id: message.id, error: BUSY });
        return;
      }
      try {
        current = { id: message.id, session: Session.start(message.config, message.wantsProgress), wantsProgress: message.wantsProgress };
      } catch (error) {
        post({ type: 'error', id: message.id, error: toWire(error) });
        return;
      }
      // Threads spawned by start() begin once this returns to the event loop.
      pace = new DrainPace(performance.now());
      nextWake = setTimeout(poll, 0);
      return;
    }
    case 'cancel':
      if (current && current.id === message.id) {
        current.session.cancel();
      }
      return;
    case 'configure':
      // Validated by the package; a refusal here would be a bug: say so.
      pollMs = message.progressIntervalMs;
      try {
        configureWarmThreads(message.warmThreads, message.idleTimeoutMs);
      } catch (error) {
        post({ type: 'failed', error: toWire(error) });
      }
      return;
    case 'resize':
      if (!current) {
        post({ type: 'error', id: message.id, error: { kind: 'runtime', message: 'no run is in progress: only a worker pool run can be resized' } });
        return;
      }
      try {
        current.session.resize(message.workers);
      } catch (error) {
        post({ type: 'error', id: message.id, error: toWire(error) });
        return;
      }
      resizing.push(message.id);
      return;
    case 'info':
      post({ type: 'info', id: message.id, info: info() });
      return;
    case 'ping':
      post({ type: 'pong', id: 0 });
      return;
    case 'demonstrate':
      demonstrate(message.id, message.error);
      return;
  }
}

function demonstrate(id: number, error: string) {
  if (current || demonstrating) {
    post({ type: 'error', id, error: BUSY });
    return;
  }
  let demo: Demonstration;
  try {
    demo = Demonstration.start(error);
  } catch (failure) {
    post({ type: 'error', id, error: toWire(failure) });
    return;
  }
  demonstrating = true;
  const step = () => {
    let report: CommonErrorReport | undefined;
    try {
      report = demo.poll();
    } catch (failure) {
      demonstrating = false;
      demo.free();
      post({ type: 'error', id, error: toWire(failure) });
      return;
    }
    if (report === undefined) {
      setTimeout(step, pollMs);
      return;
    }
    demonstrating = false;
    demo.free();
    post({ type: 'demonstrated', id, report });
  };
  setTimeout(step, 0);
}

// A run ends when its last thread is done: answer then, not at the next
// poll. Progress stays batched: a thread done mid-run changes nothing.
scope.addEventListener(THREAD_DONE_EVENT, () => {
  if (current && current.session.isOver()) {
    clearTimeout(nextWake);
    poll();
  }
});

// The page sends the module of its previous runtime, if it had one: an
// instance of it starts without fetching or compiling the binary again.
scope.onmessage = ({ data }: MessageEvent<ToOrchestrator>) => {
  if (data.type !== 'init') return;
  scope.onmessage = null;
  init(data.module ? { module_or_path: data.module } : undefined)
    .then(() => {
      // In Firefox the page starts the threads: a console listener makes it
      // deadlock a worker that constructs more than a few nested workers.
      // Elsewhere this worker starts them, which costs the page nothing (a
      // page constructing 512 workers misses its timers by half a second).
      if (NESTED_WORKERS_DEADLOCK) {
        startThreadsThrough((start: Omit<Extract<FromOrchestrator, { type: 'start-thread' }>, 'type'>) =>
          post({ type: 'start-thread', ...start }));
      }
      scope.onmessage = ({ data }) => handle(data as ToOrchestrator);
      post({ type: 'ready', info: info(), module: compiledModule() as WebAssembly.Module });
    })
    .catch((error) => post({ type: 'failed', error: toWire(error) }));
};
