import { createPlayground, type RunSummary } from 'wasm-worker-pool';

const status = document.querySelector<HTMLParagraphElement>('#isolation')!;
const button = document.querySelector<HTMLButtonElement>('#run')!;
const counts = document.querySelector<HTMLOutputElement>('#counts')!;

function show(summary: RunSummary) {
  counts.textContent = `tasks ${summary.tasks} · succeeded ${summary.succeeded} · failed ${summary.failed} · threads used ${summary.threadsUsed}`;
  counts.dataset.summary = JSON.stringify(summary);
}

async function main() {
  status.textContent = crossOriginIsolated ? 'cross-origin isolated' : 'NOT cross-origin isolated';
  const playground = await createPlayground();
  status.textContent = `cross-origin isolated · shared memory ${playground.info.sharedMemory} · ${playground.info.hardwareConcurrency} threads available`;
  button.disabled = false;
  button.onclick = async () => {
    button.disabled = true;
    show(await playground.run({ strategy: 'pool', workers: 2, tasks: 20, failureRate: 0.1, kind: 'sleep', sleepMs: [1, 5] }));
    button.disabled = false;
  };
}

main().catch((error) => {
  status.textContent = `${error.name}: ${error.message}`;
});
