// The Run view: one run of the settings, drawn live (counters, progress,
// charts, the per-worker timeline) once per animation frame from the latest
// progress, then summed up. It runs through the shared Exclusive, so it
// never overlaps a comparison or a demonstration. During a pool run the
// Workers control stays live and resizes the running pool (resize.ts); the
// charts and the timeline mark each resize. The replay (replay-control.ts)
// moves a time cursor over a finished run, or over a running one whose view
// is paused: the progress it holds back meanwhile is drawn when it goes live.
import type { Playground, Progress, RunSummary, TimelineEvent } from 'wasm-worker-pool';
import { Charts } from '../charts';
import { STRATEGY_LABEL, toRunConfig, type Key, type Settings } from '../config';
import type { Busy } from '../exclusive';
import type { RunRecord } from '../export';
import { count, counted, ms } from '../format';
import { finishedCount, Live } from '../live';
import { LiveResize } from '../resize';
import { outcomePhrase } from '../outcomes';
import { ReplayControl } from '../replay-control';
import { renderSummary } from '../summary';
import { renderTheory, theoryOf } from '../theory';
import { Timeline } from '../timeline';
import type { ViewContext } from './context';

export class RunView {
  /** The last finished run, for the exports. */
  lastRun: RunRecord | null = null;
  private live: Live;
  private charts: Charts;
  private timeline: Timeline;
  private button: HTMLButtonElement;
  private cancel: HTMLButtonElement;
  private cancelInline: HTMLButtonElement;
  /** Whether the last focus check saw a run, to tell when one starts and ends. */
  private running = false;
  private queueHigh: HTMLElement;
  private summaryBox: HTMLElement;
  private latest: Progress | null = null;
  /** When the latest progress arrived (performance.now()), to tell the run's time between two. */
  private latestAt = 0;
  private frame = 0;
  private resize: LiveResize;
  private replay: ReplayControl;

  constructor(private context: ViewContext) {
    const { $, say } = context;
    this.live = new Live($('#counters'), $<HTMLProgressElement>('#progress'), $('#progress-text'));
    const chart = (id: string) => ({
      box: $(`#chart-${id}`), empty: $(`#chart-${id}-empty`), alt: $(`#chart-${id}-alt`),
      data: $<HTMLDetailsElement>(`#chart-${id}-data`), table: $<HTMLTableElement>(`#chart-${id}-table`),
    });
    this.charts = new Charts(chart('progress'), chart('queue'), $('#resize-log'));
    this.timeline = new Timeline({
      canvas: $<HTMLCanvasElement>('#timeline'), box: $('#timeline-box'), caption: $('#timeline-caption'), detail: $('#timeline-detail'),
      zoom: {
        zoomIn: $<HTMLButtonElement>('#timeline-zoom-in'), zoomOut: $<HTMLButtonElement>('#timeline-zoom-out'),
        reset: $<HTMLButtonElement>('#timeline-zoom-reset'), pan: $<HTMLInputElement>('#timeline-pan'),
      },
    });
    this.button = $<HTMLButtonElement>('#run');
    this.cancel = $<HTMLButtonElement>('#cancel');
    this.cancelInline = $<HTMLButtonElement>('#cancel-inline');
    this.queueHigh = $('#queue-high');
    this.summaryBox = $('#counts');
    this.resize = new LiveResize({
      now: () => (this.latest ? this.latest.elapsedMs + (performance.now() - this.latestAt) : 0),
      resized: (resize) => {
        this.charts.mark(resize);
        this.timeline.resized(resize);
        this.scheduleFrame();
      },
      note: (text) => context.note('workers', text),
      failed: (error) => context.exclusive.report(error, {
        refused: (message) => say(`The runtime refused the new worker count: ${message}. The pool keeps its workers.`),
        failed: (message) => say(`The pool could not be resized: ${message}`),
      }),
    });
    this.replay = new ReplayControl($('#replay'), {
      now: () => this.latest?.elapsedMs ?? 0,
      cursor: (timeMs) => { this.charts.setCursor(timeMs); this.timeline.setCursor(timeMs); },
      counters: (values, label) => this.live.showAt(values, label),
      release: (held) => {
        for (const progress of held) this.draw(progress);
        this.scheduleFrame();
      },
      resizes: () => this.resize.log,
      linkChanged: () => context.linkChanged(),
    });
    this.button.addEventListener('click', () => this.requestRun());
  }

  /** The replay's time for the link (t=), or null. */
  get linkTime(): number | null {
    return this.replay.linkTime;
  }

  /** A link's t=: the replay's cursor goes there once the next run ends. */
  placeAfterRun(timeMs: number | null): void {
    this.replay.placeAfterRun(timeMs);
  }

  /** Runs the settings in the controls, as Run does (Enter in a field does the same); nothing while Run is disabled. */
  requestRun(): void {
    if (this.button.disabled) return;
    const current = this.context.read();
    if (!current) return;
    // On a narrow screen the live view is below the settings: bring it up.
    if (matchMedia('(max-width: 900px)').matches) this.context.$('#panel-run').scrollIntoView({ block: 'start' });
    void this.start(current);
  }

  /** An empty timeline for these settings, before the first run. */
  showEmpty(settings: Settings): void {
    this.timeline.reset(settings.strategy, settings.workers, settings.tasks, false);
  }

  /** `canStart`: the runtime is up, nothing runs and the settings are valid. */
  refresh(canStart: boolean, busy: Busy | null): void {
    this.button.disabled = !canStart;
    this.cancelInline.hidden = busy !== 'run';
    this.button.textContent = busy === 'run' ? 'Running…' : 'Run';
  }

  /**
   * Keeps the keyboard's place through a run, once the buttons and controls
   * followed `busy`; `before` had the focus until then (null: focus is
   * outside this playground, left alone). A control a run disables drops the
   * focus to the page's body: so when a run starts from Run (or from a field
   * it locks), the focus moves to Cancel beside it, and when the run ends,
   * from Cancel (or from nowhere) back to Run.
   */
  keepFocus(before: Element | null, busy: Busy | null): void {
    const starting = busy === 'run' && !this.running;
    const ending = busy !== 'run' && this.running;
    this.running = busy === 'run';
    if (!before) return;
    const lost = before.matches(':disabled') || before === before.ownerDocument.body;
    if (starting && lost && !this.cancel.disabled) this.cancel.focus({ preventScroll: true });
    if (ending && (lost || before === this.cancel || before === this.cancelInline) && !this.button.disabled) {
      this.button.focus({ preventScroll: true });
    }
  }

  /** The controls a run in progress follows (the Workers of a pool run), so they stay editable. */
  get liveKeys(): readonly Key[] {
    return this.resize.live ? ['workers'] : [];
  }

  /** The Workers control now holds `workers` (null: no valid count): the running pool follows, if it can. */
  resizeTo(workers: number | null): void {
    this.resize.request(workers);
  }

  /** While the view was hidden it may have missed frames: draw it now. */
  redraw(): void {
    requestAnimationFrame(() => { this.charts.render(); this.timeline.flush(); });
  }

  /** Runs these settings; the summary, or null when it did not run. */
  start(run: Settings): Promise<RunSummary | null> {
    const { say } = this.context;
    return this.context.exclusive.run('run', (playground, signal) => this.execute(playground, run, signal), {
      refused: (message) => say(`The runtime refused the settings: ${message}. Nothing ran.`),
      failed: (message) => say(`The run failed: ${message}`),
    });
  }

  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.replay.destroy();
    this.charts.destroy();
    this.timeline.destroy();
  }

  private async execute(playground: Playground, run: Settings, signal: AbortSignal): Promise<RunSummary> {
    const { say } = this.context;
    const config = toRunConfig(run);
    const events: TimelineEvent[] = [];
    this.latest = null;
    this.live.reset(run.tasks, run.strategy);
    this.charts.reset();
    this.timeline.reset(run.strategy, run.workers, run.tasks);
    this.replay.begin(run.strategy, run.workers, run.tasks, events);
    this.queueHigh.textContent = '';
    say(`Running ${counted(run.tasks, 'task')}: ${STRATEGY_LABEL[run.strategy]}${run.strategy === 'spawn-per-task' ? '' : `, ${counted(run.workers, run.strategy === 'rayon' ? 'thread' : 'worker')}`}…`);
    this.resize.begin(playground, run.strategy, run.workers);
    this.context.refresh();
    let summary: RunSummary;
    try {
      summary = await playground.run(config, {
        signal,
        onProgress: (progress) => {
          this.latest = progress;
          this.latestAt = performance.now();
          for (const e of progress.events) events.push(e);
          // A paused view keeps the progress for later; the progress line stays live.
          if (!this.replay.take(progress)) this.draw(progress);
          this.scheduleFrame();
        },
      });
    } catch (error) {
      this.replay.failed();
      this.charts.failed();
      throw error;
    } finally {
      this.resize.end();
    }
    // First: the progress a paused view held back is drawn in the last frame.
    this.replay.finish(summary);
    if (this.frame) cancelAnimationFrame(this.frame);
    this.drawFrame();
    const done = finishedCount(summary);
    this.live.final(done, summary.elapsedMs, summary.aborted);
    this.charts.finish(summary);
    this.timeline.finish(summary);
    renderSummary(this.summaryBox, summary, run.seed);
    const theory = theoryOf({ settings: run, summary, events, cores: playground.info.hardwareConcurrency, resizes: this.resize.log.length });
    renderTheory(this.context.$('#theory'), theory, run);
    this.lastRun = {
      settings: run, config, summary, events, resizes: this.resize.log,
      runtimeVersion: playground.info.version, finishedAt: new Date().toISOString(),
    };
    const resized = this.resize.log.length;
    say(summary.aborted
      ? `Cancelled after ${ms(summary.elapsedMs)}: of ${count(summary.tasks)} tasks, ${outcomePhrase(summary)}.`
      : `Finished ${count(summary.tasks)} tasks in ${ms(summary.elapsedMs)}: ${outcomePhrase(summary)}.` +
        (resized ? ` The pool was resized ${resized === 1 ? 'once' : `${count(resized)} times`}.` : ''));
    return summary;
  }

  /** Draws a progress on the charts and the timeline (drawn in the next frame). */
  private draw(progress: Progress): void {
    if (progress.events.length) this.timeline.append(progress.events);
    this.charts.push(progress, this.timeline.firstStart);
  }

  private scheduleFrame(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.drawFrame());
  }

  private drawFrame(): void {
    this.frame = 0;
    if (this.latest) {
      this.live.show(this.latest);
      this.queueHigh.textContent = `(high-water ${count(this.latest.stats.queueHighWater)})`;
    }
    this.charts.render();
    this.timeline.flush();
  }
}
