// The Compare view: its button, its progress bar and where the results go.
// The comparison itself (a fresh runtime per strategy, the metrics, the
// sentence that explains them) is compare.ts; this view starts it through
// the shared Exclusive and shows how far it got, the wait for the browser's
// memory answer included.
import { createPlayground, type Progress } from 'wasm-worker-pool';
import { COMPARED, renderComparison, runComparison } from '../compare';
import { STRATEGY_LABEL, type Settings } from '../config';
import type { Busy } from '../exclusive';
import { count } from '../format';
import { finishedCount } from '../live';
import type { ViewContext } from './context';

export class CompareView {
  private button: HTMLButtonElement;
  private row: HTMLElement;
  private bar: HTMLProgressElement;
  private text: HTMLElement;
  private results: HTMLElement;

  constructor(private context: ViewContext) {
    const { $ } = context;
    this.button = $<HTMLButtonElement>('#compare-run');
    this.row = $('#compare-progress-row');
    this.bar = $<HTMLProgressElement>('#compare-progress');
    this.text = $('#compare-progress-text');
    this.results = $('#compare-results');
    this.button.addEventListener('click', () => {
      const current = context.read();
      if (current) void this.start(current);
    });
  }

  /** `canStart`: the runtime is up, nothing runs and the settings are valid. */
  refresh(canStart: boolean, busy: Busy | null): void {
    this.button.disabled = !canStart;
    this.button.textContent = busy === 'compare' ? 'Comparing…' : 'Run the comparison';
  }

  /** Compares the strategies on these settings. */
  async start(run: Settings): Promise<void> {
    const { say } = this.context;
    // Only the pool takes open arrivals: the other strategies could not run the same workload.
    if (run.arrivalRate !== null) {
      say('Compare runs every task at once in each strategy (open arrivals are for the worker pool only): set Arrival rate to all at once (empty) to compare.');
      return;
    }
    await this.context.exclusive.run('compare', (_, signal) => this.compare(run, signal), {
      refused: (message) => say(`The runtime refused the settings: ${message}.`),
      failed: (message) => say(`The comparison failed: ${message}`),
    });
  }

  private async compare(run: Settings, signal: AbortSignal): Promise<void> {
    const { say } = this.context;
    this.row.hidden = false;
    this.bar.value = 0;
    this.results.replaceChildren();
    delete this.results.dataset.results;
    delete this.results.dataset.memoryCompared;
    say(`Comparing ${COMPARED.length} strategies on ${count(run.tasks)} tasks…`);
    let frame = 0;
    let step = { index: 0, label: '', progress: null as Progress | null, memoryAskedMs: null as number | null };
    const paint = () => {
      frame = 0;
      const done = step.progress ? finishedCount(step.progress.stats) : 0;
      this.bar.value = step.index + done / Math.max(1, run.tasks);
      const where = `${step.index + 1} of ${COMPARED.length}: ${step.label}`;
      const asked = step.memoryAskedMs;
      this.text.textContent = `${where} · ${count(done)} / ${count(run.tasks)} tasks` + (asked === null ? ''
        : ` · measuring memory: asked the browser ${(asked / 1000).toFixed(1)} s ago, no answer yet (only an answer before this run ends describes it)`);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(paint);
    };
    const { results, cancelled, runtimeVersion } = await runComparison(run, {
      create: () => createPlayground(),
      signal,
      onStep(index, strategy, progress, memoryAskedMs) {
        step = { index, label: STRATEGY_LABEL[strategy], progress, memoryAskedMs };
        schedule();
      },
    });
    if (frame) cancelAnimationFrame(frame);
    this.bar.value = results.length;
    this.text.textContent = cancelled ? `Cancelled after ${results.length} of ${COMPARED.length}.` : `Done: ${COMPARED.length} of ${COMPARED.length}.`;
    renderComparison(this.results, { settings: run, results, cancelled, runtimeVersion, finishedAt: new Date().toISOString() });
    say(cancelled ? 'Comparison cancelled.' : 'Comparison finished.');
  }
}
