// Starts one Rust thread: a module Web Worker that instantiates the same wasm
// module on the same shared memory and runs the closure spawned under `id`.
//
// The literal `new Worker(new URL(...), { type: 'module' })` is what bundlers
// (Vite) recognise as a worker entry, so the same file works under a bundler
// and from a plain static server.

let liveWorkers = 0;

/**
 * Dispatched on this thread's global scope whenever a thread started here
 * exits or finishes a body (a warm thread then parks instead of exiting):
 * the orchestrator listens, so that it learns the end of a run when its
 * last thread is done instead of at its next progress poll.
 */
export const THREAD_DONE_EVENT = 'wasm-worker-pool:thread-done';

/** On a thread started here: a body returned (see THREAD_DONE_EVENT). */
export function reportBodyEnded() {
  self.postMessage({ type: 'body-ended' });
}

/** Web Workers started here that have not closed yet. */
export function liveWorkerCount() {
  return liveWorkers;
}

export function spawnThread(module, memory, id, stackSize, glueUrl, onStartFailed) {
  const worker = new Worker(new URL('./thread_worker.js', import.meta.url), {
    type: 'module',
    name: 'wasm-worker-pool thread',
  });
  liveWorkers++;
  let ended = false;
  const end = () => {
    if (ended) return false;
    ended = true;
    liveWorkers--;
    return true;
  };
  const fail = (message) => {
    if (!end()) return;
    worker.terminate();
    onStartFailed(id, message);
  };
  // The worker reports only a failure before it took its closure; after
  // that, the Rust side owns the closure and its clean-up.
  worker.onmessage = ({ data }) => {
    if (data && data.type === 'start-failed') fail(data.message);
    else if (data && data.type === 'exited' && end()) globalThis.dispatchEvent(new Event(THREAD_DONE_EVENT));
    else if (data && data.type === 'body-ended') globalThis.dispatchEvent(new Event(THREAD_DONE_EVENT));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(event.message || 'the thread script failed to load');
  };
  try {
    worker.postMessage({ module, memory, id, stackSize, glueUrl });
  } catch (error) {
    // The caller (Rust) drops the closure when this throws: end this worker
    // so that no later event reports it a second time.
    end();
    worker.onmessage = worker.onerror = null;
    worker.terminate();
    throw error;
  }
}
