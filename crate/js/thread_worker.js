// The body of every Rust thread (see spawn.js). It lives in the wasm-bindgen
// output at snippets/<crate>-<hash>/js/, three levels below the glue.
self.onmessage = async ({ data }) => {
  const { module, memory, ptr, stackSize, glueUrl } = data;
  let glue, exports;
  try {
    // An explicit glue URL is only given where the glue has another name
    // (wasm-bindgen-test's runner); bundlers see the literal path.
    glue = glueUrl
      ? await import(/* @vite-ignore */ glueUrl)
      : await import('../../../wasm_worker_pool.js');
    exports = await glue.default({ module_or_path: module, memory, thread_stack_size: stackSize });
  } catch (error) {
    self.postMessage({ type: 'start-failed', message: String(error && error.stack || error) });
    self.close();
    return;
  }
  // From here on the Rust side owns the closure: no exception may escape to
  // the parent's onerror, which would treat it as a failed start.
  try {
    glue.wwp_thread_main(ptr);
  } catch (error) {
    console.error('wasm-worker-pool: a thread ended abnormally', error);
  }
  // Frees this thread's stack and TLS on the shared heap; without it every
  // spawn-per-task run leaks memory.
  exports.__wbindgen_thread_destroy();
  self.postMessage({ type: 'exited' });
  self.close();
};

// Named by crate/src/web/thread.rs so that wasm-bindgen ships this file.
export function threadWorkerIsShipped() {}
