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

/**
 * Where threads are started when this thread must not construct Web Workers
 * itself (null: here). Firefox deadlocks a worker that constructs more than
 * a few nested workers while a console listener is attached, and now and then
 * never finishes loading a nested worker's modules (scripts/firefox-nested-workers:
 * run.mjs, load-stall.mjs), so the package's orchestrator has the page start
 * its threads: see startThreadsThrough.
 */
let host = null;
/** Threads started through the host, by id: what to do with their messages. */
const hosted = new Map();

/**
 * From now on, start threads by calling `post({ module, memory, id,
 * stackSize, glueUrl })` instead of `new Worker` here. Whoever receives it
 * starts thread_worker.js with that message and hands every message the
 * thread sends back to threadMessage(id, data), a failed load as
 * { type: 'start-failed', message }.
 */
export function startThreadsThrough(post) {
  host = post;
}

/** Where thread_worker.js is served from: what a host (see startThreadsThrough) starts. */
export function threadWorkerUrl() {
  return new URL('./thread_worker.js', import.meta.url).href;
}

/** A message from a thread started through the host (see startThreadsThrough). */
export function threadMessage(id, data) {
  hosted.get(id)?.(data);
}

/**
 * How this thread follows one thread it started: the thread's messages go
 * to the returned function; `stop` ends the Web Worker after a failed start.
 *
 * A thread that has not taken its body `startLimitMs` after its spawn
 * fails to start: Firefox (ESR 153) now and then leaves a thread worker's
 * start pending forever, e.g. an import() of its glue that never settles,
 * with no error, and its run would wait for it forever. Whether it took its
 * body is asked of the Rust side (`onStartFailed` returns false then), so a
 * running thread is never failed and needs no message to say it started.
 */
function follow(id, startLimitMs, onStartFailed, stop) {
  liveWorkers++;
  let ended = false;
  const failStart = (message) => {
    if (ended || !onStartFailed(id, message)) return;
    end();
    stop();
  };
  const limit = setTimeout(() => failStart(`the thread did not start within ${startLimitMs / 1000} s`), startLimitMs);
  const end = () => {
    clearTimeout(limit);
    if (ended) return false;
    ended = true;
    liveWorkers--;
    hosted.delete(id);
    return true;
  };
  const onMessage = (data) => {
    if (data && data.type === 'start-failed') failStart(data.message);
    else if (data && data.type === 'exited' && end()) globalThis.dispatchEvent(new Event(THREAD_DONE_EVENT));
    else if (data && data.type === 'body-ended') globalThis.dispatchEvent(new Event(THREAD_DONE_EVENT));
  };
  return { onMessage, end };
}

export function spawnThread(module, memory, id, stackSize, glueUrl, startLimitMs, onStartFailed) {
  const start = { module, memory, id, stackSize, glueUrl };
  if (host) {
    // The page's worker cannot be ended from here: one that starts after its
    // limit finds no body under its id and exits (wwp_thread_main).
    const thread = follow(id, startLimitMs, onStartFailed, () => {});
    hosted.set(id, thread.onMessage);
    try {
      host(start);
    } catch (error) {
      // The caller (Rust) drops the closure when this throws.
      thread.end();
      throw error;
    }
    return;
  }
  const worker = new Worker(new URL('./thread_worker.js', import.meta.url), {
    type: 'module',
    name: 'wasm-worker-pool thread',
  });
  const thread = follow(id, startLimitMs, onStartFailed, () => worker.terminate());
  worker.onmessage = ({ data }) => thread.onMessage(data);
  worker.onerror = (event) => {
    event.preventDefault();
    thread.onMessage({ type: 'start-failed', message: event.message || 'the thread script failed to load' });
  };
  try {
    worker.postMessage(start);
  } catch (error) {
    // The caller (Rust) drops the closure when this throws: end this worker
    // so that no later event reports it a second time.
    thread.end();
    worker.onmessage = worker.onerror = null;
    worker.terminate();
    throw error;
  }
}
