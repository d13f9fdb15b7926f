// The page side of the browser tests. Each test binary runs on the page's
// main thread only to hand its test cases, by name, to one case worker
// (case_worker.js): a dedicated worker on the same module and shared memory,
// as the package's orchestrator is. The case worker constructs its threads
// itself, except in Firefox, where it asks the page to (as the package does):
// there a module worker nested in a worker now and then never finishes
// loading its modules (scripts/firefox-nested-workers/load-stall.mjs).
//
// Protocol (case worker ⇄ page):
//   page ← { type: 'listening' }                  (then the page sends init)
//   page → { type: 'init', module, memory, glueUrl, hostThreads }
//   page → { type: 'run', id, name }             → { type: 'ended', id, error }
//   page ← { type: 'start-thread', id, module, memory, stackSize, glueUrl }
//   page → { type: 'thread-message', thread, data }   (what that thread posted)
//   page ← { type: 'log', level, text }               (its console, shown here)
//   page ← { type: 'ready' } | { type: 'init-failed', message }

/** How long the case worker may take to load and instantiate the module. */
const READY_LIMIT_MS = 60_000;

/** Whether the case worker asks the page to start its threads (Firefox, as lib/orchestrator.ts decides). */
const HOST_THREADS = /\bFirefox\//.test(navigator.userAgent);

let caseWorker = null;

/** The one case worker of this page, started on first use. */
function theCaseWorker(module, memory, glueUrl, threadWorkerUrl) {
  if (caseWorker) return caseWorker;
  const worker = new Worker(new URL('./case_worker.js', import.meta.url), { type: 'module', name: 'test case worker' });
  const cases = new Map();
  let nextId = 1;
  let failed = null;
  let limit;
  const ready = new Promise((resolve, reject) => {
    limit = setTimeout(
      () => reject(new Error(`the case worker did not report ready within ${READY_LIMIT_MS / 1000} s`)),
      READY_LIMIT_MS,
    );
    worker.onmessage = ({ data }) => {
      // Init waits until the worker listens, as a thread's start does (below).
      if (data.type === 'listening') worker.postMessage({ type: 'init', module, memory, glueUrl, hostThreads: HOST_THREADS });
      else if (data.type === 'ready') resolve();
      else if (data.type === 'init-failed') reject(new Error(`the case worker did not start: ${data.message}`));
      else if (data.type === 'ended') {
        const settle = cases.get(data.id);
        cases.delete(data.id);
        settle?.(data.error);
      } else if (data.type === 'start-thread') startThread(worker, data, threadWorkerUrl);
      else if (data.type === 'log') (console[data.level] ?? console.log)(data.text);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      failed = `the case worker failed: ${event.message || 'its script did not load'}`;
      reject(new Error(failed));
      for (const settle of cases.values()) settle(failed);
      cases.clear();
    };
  });
  const clear = () => clearTimeout(limit);
  ready.then(clear, clear);
  caseWorker = {
    async run(name) {
      await ready;
      if (failed) throw new Error(failed);
      const id = nextId++;
      const error = await new Promise((settle) => {
        cases.set(id, settle);
        worker.postMessage({ type: 'run', id, name });
      });
      if (error !== null) throw new Error(error);
    },
  };
  return caseWorker;
}

/** Starts a thread the case worker asked for; what it posts goes back to the case worker. */
function startThread(caseWorker, start, threadWorkerUrl) {
  const { type: _, ...message } = start;
  const tell = (data) => caseWorker.postMessage({ type: 'thread-message', thread: start.id, data });
  try {
    const worker = new Worker(threadWorkerUrl, { type: 'module', name: 'wasm-worker-pool thread' });
    // The start waits until the thread listens: posted at once, Firefox
    // never delivers it here (0 of 279 starts; 279 of 279 once it listens).
    worker.onmessage = ({ data }) => {
      if (data.type !== 'listening') tell(data);
      else {
        try {
          worker.postMessage(message);
        } catch (error) {
          worker.terminate();
          tell({ type: 'start-failed', message: `the start could not be posted: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      tell({ type: 'start-failed', message: event.message || 'the thread script failed to load' });
    };
  } catch (error) {
    tell({ type: 'start-failed', message: `the browser refused a new Web Worker: ${error instanceof Error ? error.message : String(error)}` });
  }
}

/** Runs the test case `name` in the case worker; rejects with its panic message. */
export function runCase(name, module, memory, glueUrl, threadWorkerUrl) {
  return theCaseWorker(module, memory, glueUrl, threadWorkerUrl).run(name);
}
