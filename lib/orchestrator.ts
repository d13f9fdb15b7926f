// The orchestrator: a dedicated worker that owns the wasm instance and every
// call that may block, so the page's main thread never does. It drives one
// run at a time from its event loop and posts batched progress snapshots.
import init, { Demonstration, Run, runtimeInfo } from '../pkg/wasm_worker_pool.js';
import type { FromOrchestrator, ToOrchestrator, WireError } from './protocol.js';
import type { CommonErrorReport, RunSummary, RuntimeInfo } from './types.js';

/** Progress is posted this often (at least 20 times a second). */
const POLL_MS = 33;

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromOrchestrator, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

function wireError(error: unknown): WireError {
  if (error instanceof Error) {
    const field = (error as Error & { field?: string }).field;
    return { name: error.name, message: error.message, ...(field ? { field } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

const info = (): RuntimeInfo => runtimeInfo() as RuntimeInfo;

let current: { id: number; run: Run; aborted: boolean } | null = null;
let demonstrating = false;

function poll() {
  const active = current;
  if (!active) return;
  let progress: { elapsedMs: number; finished: boolean; stats: any; events: Float64Array };
  try {
    progress = active.run.poll();
  } catch (error) {
    finish(active, { type: 'error', id: active.id, error: wireError(error) });
    return;
  }
  post({ type: 'progress', id: active.id, elapsedMs: progress.elapsedMs, stats: progress.stats, events: progress.events },
    [progress.events.buffer]);
  if (progress.finished) {
    const summary = { ...(active.run.summary() as RunSummary), aborted: active.aborted };
    finish(active, { type: 'done', id: active.id, summary });
  } else {
    setTimeout(poll, POLL_MS);
  }
}

function finish(active: NonNullable<typeof current>, message: FromOrchestrator) {
  active.run.free();
  current = null;
  post(message);
}

function handle(message: ToOrchestrator) {
  switch (message.type) {
    case 'run': {
      if (current || demonstrating) {
        post({ type: 'error', id: message.id, error: { name: 'BusyError', message: 'a run is already in progress' } });
        return;
      }
      try {
        current = { id: message.id, run: Run.start(message.config), aborted: false };
      } catch (error) {
        post({ type: 'error', id: message.id, error: wireError(error) });
        return;
      }
      // Threads spawned by start() begin once this returns to the event loop.
      setTimeout(poll, 0);
      return;
    }
    case 'cancel':
      if (current && current.id === message.id) {
        current.aborted = true;
        current.run.cancel();
      }
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
    post({ type: 'error', id, error: { name: 'BusyError', message: 'a run is already in progress' } });
    return;
  }
  let demo: Demonstration;
  try {
    demo = Demonstration.start(error);
  } catch (failure) {
    post({ type: 'error', id, error: wireError(failure) });
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
      post({ type: 'error', id, error: wireError(failure) });
      return;
    }
    if (report === undefined) {
      setTimeout(step, POLL_MS);
      return;
    }
    demonstrating = false;
    demo.free();
    post({ type: 'demonstrated', id, report });
  };
  setTimeout(step, 0);
}

init()
  .then(() => {
    scope.onmessage = ({ data }) => handle(data as ToOrchestrator);
    post({ type: 'ready', info: info() });
  })
  .catch((error) => post({ type: 'failed', error: wireError(error) }));
