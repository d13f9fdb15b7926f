// The body of every Rust thread (see spawn.js). It lives in the wasm-bindgen
// output at snippets/<crate>-<hash>/js/, three levels below the glue.
self.onmessage = async ({ data }) => {
  const { module, memory, id, stackSize, glueUrl } = data;
  let glue, exports;
  try {
    // An explicit glue URL is only given where the glue has another name
    // (wasm-bindgen-test's runner); bundlers see the literal path.
    glue = glueUrl
      ? await import(/* @vite-ignore */ glueUrl)
      : await import('../../../wasm_worker_pool.js');
    exports = await glue.default({ module_or_path: module, memory, thread_stack_size: stackSize });
  } catch (error) {
    self.postMessage({ type: 'start-failed', message: describe(error, 'the module failed to instantiate') });
    self.close();
    return;
  }
  // From here on the Rust side owns the closure: no exception may escape to
  // the parent's onerror, which would treat it as a failed start.
  let freeStack = true;
  try {
    // The raw export, not the glue's wrapper: on a trap the wrapper marks
    // the whole module terminated (a flag in the shared memory, which every
    // thread's next call checks), and this runtime survives a dead thread.
    if (!exports.wwp_thread_main(id)) console.warn(`wasm-worker-pool: no thread body under id ${id}`);
  } catch (error) {
    // A trap (unreachable, out of memory, a JS stack overflow) killed the
    // thread without unwinding: run what it left to do (end its task as
    // failed, count it out) on this same thread, whose instance still works.
    const reason = describe(error, 'the thread trapped');
    console.warn(`wasm-worker-pool: a thread died: ${reason}`);
    try {
      // false: other threads may still point into this stack (rayon): leak it.
      freeStack = glue.wwp_thread_died(reason);
    } catch (hookError) {
      freeStack = false;
      console.error('wasm-worker-pool: a dead thread could not be accounted for', hookError);
    }
  }
  // Frees this thread's stack and TLS on the shared heap; without it every
  // spawn-per-task run leaks memory.
  if (freeStack) exports.__wbindgen_thread_destroy();
  self.postMessage({ type: 'exited' });
  self.close();
};

/** "RuntimeError: unreachable" from a thrown value. */
function describe(error, fallback) {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return error === undefined ? fallback : String(error);
}

// Listening from here on: a host may wait for this before it posts the start
// message. Firefox (ESR 153) never delivers a start posted at once to a
// thread worker the page of wasm-bindgen-test's runner constructs, and always
// delivers one posted after this (tests/web_common/host.js).
self.postMessage({ type: 'listening' });

// Named by crate/src/web/thread.rs so that wasm-bindgen ships this file.
export function threadWorkerIsShipped() {}
