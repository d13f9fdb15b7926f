// The worker the browser tests run in (see host.js for why and for the
// protocol): it instantiates the test binary's module on the page's shared
// memory and runs the cases the page sends, through the binary's
// `wwpTestCase` export, one after the other as they arrive.

const post = (message) => self.postMessage(message);

// What this worker prints is shown on the page, where the test runner
// collects it.
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    original(...args);
    post({ type: 'log', level, text: args.map(String).join(' ') });
  };
}

let started = null;

self.onmessage = async ({ data }) => {
  if (data.type === 'init') {
    started = start(data);
    return;
  }
  const glue = await started;
  if (data.type === 'thread-message') glue.threadMessage(data.thread, data.data);
  else if (data.type === 'run') {
    let error = null;
    try {
      await glue.wwpTestCase(data.name);
    } catch (thrown) {
      error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    }
    post({ type: 'ended', id: data.id, error });
  }
};

async function start({ module, memory, glueUrl, hostThreads }) {
  try {
    const glue = await import(/* @vite-ignore */ glueUrl);
    await glue.default({ module_or_path: module, memory });
    if (hostThreads) glue.startThreadsThrough((start) => post({ type: 'start-thread', ...start }));
    post({ type: 'ready' });
    return glue;
  } catch (error) {
    post({ type: 'init-failed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    throw error;
  }
}

// The page sends init only once this worker says it listens (host.js).
post({ type: 'listening' });

// Named by web_common so that wasm-bindgen ships this file; never called.
export function caseWorkerIsShipped() {}
