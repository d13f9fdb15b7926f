// The benchmark's reference for CPU speed-up: what two threads of this
// browser reach on this machine without a pool, measured beside the pool in
// the same rounds (`npm run bench` imports it into its page). No runtime:
// plain Web Workers claim task numbers from a SharedArrayBuffer counter and
// run a plain wasm loop for each, and the page times run() to the last
// worker's answer. The loop passes each number through memory before adding
// it, as `do_work`'s `black_box(j)` does:
//
//   (module (memory 1)
//     (func (export "sum") (param $n i64) (result i64) (local $i i64) (local $s i64)
//       (block (loop
//         (br_if 1 (i64.ge_u (local.get $i) (local.get $n)))
//         (i64.store (i32.const 8) (local.get $i))
//         (local.set $s (i64.add (local.get $s) (i64.load (i32.const 8))))
//         (local.set $i (i64.add (local.get $i) (i64.const 1)))
//         (br 0)))
//       (local.get $s)))
const SUM_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7e, 0x01, 0x7e, // type: (i64) -> i64
  0x03, 0x02, 0x01, 0x00, // function 0 has type 0
  0x05, 0x03, 0x01, 0x00, 0x01, // one memory of one page
  0x07, 0x07, 0x01, 0x03, 0x73, 0x75, 0x6d, 0x00, 0x00, // export "sum"
  0x0a, 0x2f, 0x01, 0x2d, 0x01, 0x02, 0x7e, // code: one body, two i64 locals
  0x02, 0x40, 0x03, 0x40, 0x20, 0x01, 0x20, 0x00, 0x5a, 0x0d, 0x01,
  0x41, 0x08, 0x20, 0x01, 0x37, 0x03, 0x00,
  0x20, 0x02, 0x41, 0x08, 0x29, 0x03, 0x00, 0x7c, 0x21, 0x02,
  0x20, 0x01, 0x42, 0x01, 0x7c, 0x21, 0x01, 0x0c, 0x00,
  0x0b, 0x0b, 0x20, 0x02, 0x0b,
]);

const WORKER = `let sum;
onmessage = ({ data }) => {
  if (data.module) {
    sum = new WebAssembly.Instance(data.module).exports.sum;
    postMessage(0);
    return;
  }
  const next = new Int32Array(data.counter);
  let ran = 0;
  for (let task = Atomics.add(next, 0, 1); task < data.tasks; task = Atomics.add(next, 0, 1)) {
    sum(data.iterations);
    ran++;
  }
  postMessage(ran);
};`;

/**
 * Starts `threads` reference workers (they answer before this resolves, so
 * no run pays their start). `run(workers, tasks, iterations)` resolves with
 * its wall time in ms; `dispose()` ends the workers.
 */
export async function startReferencePool(threads) {
  const module = await WebAssembly.compile(SUM_WASM);
  const url = URL.createObjectURL(new Blob([WORKER], { type: 'text/javascript' }));
  const workers = Array.from({ length: threads }, () => new Worker(url, { name: 'reference pool' }));
  URL.revokeObjectURL(url);
  // Each worker's awaited answer: one at a time.
  const waiting = new Map();
  const settle = (worker, how, value) => {
    const wait = waiting.get(worker);
    waiting.delete(worker);
    wait?.[how](value);
  };
  for (const worker of workers) {
    worker.onmessage = ({ data }) => settle(worker, 'resolve', data);
    worker.onerror = (event) => settle(worker, 'reject', new Error(`reference worker: ${event.message}`));
  }
  const reply = (worker) => new Promise((resolve, reject) => waiting.set(worker, { resolve, reject }));
  await Promise.all(workers.map((worker) => {
    const ready = reply(worker);
    worker.postMessage({ module });
    return ready;
  }));
  const counter = new SharedArrayBuffer(4);
  return {
    async run(count, tasks, iterations) {
      if (count > workers.length) throw new Error(`the reference pool has ${workers.length} workers, not ${count}`);
      Atomics.store(new Int32Array(counter), 0, 0);
      const t0 = performance.now();
      const ran = await Promise.all(workers.slice(0, count).map((worker) => {
        const done = reply(worker);
        worker.postMessage({ counter, tasks, iterations: BigInt(iterations) });
        return done;
      }));
      const wallMs = performance.now() - t0;
      const total = ran.reduce((a, b) => a + b, 0);
      if (total !== tasks) throw new Error(`the reference pool ran ${total} of ${tasks} tasks`);
      return wallMs;
    },
    dispose() {
      for (const worker of workers) worker.terminate();
    },
  };
}
