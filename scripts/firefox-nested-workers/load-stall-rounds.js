// ?rounds= rounds of ?n= module workers constructed at once, here: each
// round waits up to 10 s for every worker to answer and records the stage
// of those that did not. ?load=static: the worker's script imports the graph;
// else it import()s the graph once it gets its first message.
export async function rounds(params) {
  const n = Number(params.get('n') ?? 16);
  const count = Number(params.get('rounds') ?? 60);
  const script = params.get('load') === 'static' ? './load-stall-static.js' : './load-stall-dynamic.js';
  const report = [];
  for (let round = 0; round < count; round++) {
    const stage = new Map();
    for (let i = 0; i < n; i++) {
      const worker = new Worker(new URL(script, import.meta.url), { type: 'module' });
      stage.set(i, 'constructed');
      worker.onmessage = ({ data }) => stage.set(i, data);
      worker.postMessage('start');
    }
    const t0 = performance.now();
    while (performance.now() - t0 < 10_000 && [...stage.values()].some((s) => s !== 'loaded')) await new Promise((r) => setTimeout(r, 5));
    const stuck = {};
    for (const s of stage.values()) if (s !== 'loaded') stuck[s] = (stuck[s] ?? 0) + 1;
    report.push({ round, stuck });
  }
  return report;
}
