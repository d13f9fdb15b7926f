// The Worker Pool Playground: wires the controls, the live view, Compare,
// Lessons, the URL state and the exports to the package API. It mounts into
// any container: the page's body (main.ts, with the settings in the URL) or
// the shadow root of <worker-pool-playground> (element.ts). Every lookup goes
// through `root`, never the document, so that several can live on one page.
// It uses only 'wasm-worker-pool', exactly as any embedder would. The CSS
// comes from whoever mounts it.
import {
  ConfigError, createPlayground, NotIsolatedError,
  type Playground, type Progress, type RunSummary, type TimelineEvent,
} from 'wasm-worker-pool';
import { Charts } from './charts';
import { runComparison, renderComparison, COMPARED } from './compare';
import { DEFAULTS, keyForField, STRATEGY_LABEL, toRunConfig, type Settings } from './config';
import { Controls } from './controls';
import { adviceHtml, awaitReload, reloadMayCome } from './isolation';
import { exportRun, type RunRecord } from './export';
import { count, ms } from './format';
import { renderLessons, renderReport, type Lesson } from './lessons';
import { Live } from './live';
import { markup } from './markup';
import { renderSummary } from './summary';
import { Timeline } from './timeline';
import { decode, writeUrl, type View } from './url-state';

export type { Settings } from './config';
export type { View } from './url-state';

export interface MountOptions {
  /** Settings over the defaults. With `syncUrl`, the URL's settings are used instead. */
  initial?: Partial<Settings>;
  /** The view shown first (default 'run'). */
  view?: View;
  /**
   * Problems with how the initial settings were given (an element's bad
   * attributes): shown in a banner; pass the defaults as `initial` then.
   */
  problems?: string[];
  /** Read the settings from the address bar and keep it up to date (the page). */
  syncUrl?: boolean;
}

export interface MountedPlayground {
  /** The current settings, or null while a control holds an invalid value. */
  readonly settings: Settings | null;
  /** What is running: a run, a comparison, a demonstration, or nothing. */
  readonly busy: null | 'run' | 'compare' | 'demonstrate';
  /** Resolves once the runtime started (true) or could not start (false). */
  readonly ready: Promise<boolean>;
  /** Cancels what runs, ends every worker, and removes the playground from `root`. */
  dispose(): void;
}

/** The defaults, with every setting `partial` gives. */
function withDefaults(partial: Partial<Settings> = {}): Settings {
  const settings: Settings = { ...DEFAULTS };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined && key in DEFAULTS) (settings as unknown as Record<string, unknown>)[key] = value;
  }
  return settings;
}

/**
 * Mount the whole playground into `root`. In a shadow root (the element) the
 * page's landmarks become plain boxes; with `syncUrl` (the page) the settings
 * live in the address bar and, where it is not cross-origin isolated yet, the
 * playground gives coi-serviceworker a moment to reload the page.
 */
export function mountPlayground(root: ShadowRoot | HTMLElement, options: MountOptions = {}): MountedPlayground {
  const syncUrl = options.syncUrl ?? false;
  const embedded = root instanceof ShadowRoot;
  const template = document.createElement('template');
  template.innerHTML = markup(embedded);
  const nodes = [...template.content.childNodes];
  root.append(template.content);

  const $ = <T extends HTMLElement>(selector: string) => root.querySelector<T>(selector)!;
  /** The focused element in the tree that holds `root`. */
  const activeElement = () => (embedded ? (root as ShadowRoot) : (root.getRootNode() as Document | ShadowRoot)).activeElement;
  let disposed = false;

  const ui = {
    isolation: $('#isolation'),
    urlMessage: $('#url-message'),
    notIsolated: $('#not-isolated'),
    notIsolatedMessage: $('#not-isolated-message'),
    form: $<HTMLFormElement>('#controls'),
    run: $<HTMLButtonElement>('#run'),
    cancel: $<HTMLButtonElement>('#cancel'),
    cancelInline: $<HTMLButtonElement>('#cancel-inline'),
    status: $('#run-status'),
    share: $<HTMLButtonElement>('#share'),
    shareUrl: $<HTMLInputElement>('#share-url'),
    exports: { json: $<HTMLButtonElement>('#export-json'), csv: $<HTMLButtonElement>('#export-csv'), trace: $<HTMLButtonElement>('#export-trace') },
    compareRun: $<HTMLButtonElement>('#compare-run'),
    compareRow: $('#compare-progress-row'),
    compareBar: $<HTMLProgressElement>('#compare-progress'),
    compareText: $('#compare-progress-text'),
    compareResults: $('#compare-results'),
    summary: $('#counts'),
    queueHigh: $('#queue-high'),
  };

  // ---- state ----
  const initial = syncUrl
    ? decode(location.search)
    : { settings: withDefaults(options.initial), view: options.view ?? 'run', problems: options.problems ?? [] };
  const sync = (next: Settings, nextView: View) => {
    if (syncUrl) writeUrl(next, nextView);
  };
  let settings: Settings | null = initial.settings;
  let view: View = initial.view;
  let playground: Playground | null = null;
  let busy: null | 'run' | 'compare' | 'demonstrate' = null;
  let abort: AbortController | null = null;
  let lastRun: RunRecord | null = null;

  // ---- views ----
  const live = new Live($('#counters'), $<HTMLProgressElement>('#progress'), $('#progress-text'));
  const charts = new Charts($('#chart-progress'), $('#chart-queue'));
  const timeline = new Timeline($<HTMLCanvasElement>('#timeline'), $('#timeline-box'), $('#timeline-caption'));
  const controls = new Controls(ui.form, {
    onChange(next) {
      queueMicrotask(updateNote);
      if (next) {
        settings = next;
        sync(next, view);
        ui.urlMessage.hidden = true;
      } else {
        settings = null;
      }
      refreshButtons();
    },
  });
  controls.set(initial.settings);
  // Settings given to mountPlayground may be out of range: the controls say so.
  settings = controls.read();
  timeline.reset(initial.settings.strategy, initial.settings.workers, initial.settings.tasks);
  $('#timeline-caption').textContent = 'No run yet: each finished task will appear as a bar on its worker\'s lane.';
  ui.form.append(controls.problem);
  ui.form.insertBefore(controls.problem, ui.form.querySelector('.actions'));

  if (initial.problems.length > 0) {
    ui.urlMessage.replaceChildren();
    const p = document.createElement('p');
    p.textContent = syncUrl
      ? "This link's settings could not be used, so the defaults are loaded instead. Nothing was run."
      : "This playground's attributes could not be used, so the defaults are loaded instead. Nothing was run.";
    const list = document.createElement('ul');
    for (const problem of initial.problems) {
      const li = document.createElement('li');
      li.textContent = problem;
      list.append(li);
    }
    ui.urlMessage.append(p, list);
    ui.urlMessage.hidden = false;
    sync(initial.settings, 'run');
  }

  // ---- tabs ----
  const tabs = [...root.querySelectorAll<HTMLButtonElement>('[role=tab]')];
  function showView(next: View, focusPanel = false): void {
    view = next;
    for (const tab of tabs) {
      const selected = tab.id === `tab-${next}`;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      $(`#${tab.getAttribute('aria-controls')}`).hidden = !selected;
    }
    if (settings) sync(settings, view);
    if (focusPanel) $(`#panel-${next}`).focus();
    // A panel that was hidden may have missed frames: draw it now.
    if (next === 'run') requestAnimationFrame(() => { charts.render(); timeline.flush(); });
  }
  for (const tab of tabs) {
    tab.addEventListener('click', () => showView(tab.id.replace('tab-', '') as View));
    tab.addEventListener('keydown', (event) => {
      const i = tabs.indexOf(tab);
      let j = -1;
      if (event.key === 'ArrowRight') j = (i + 1) % tabs.length;
      else if (event.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
      else if (event.key === 'Home') j = 0;
      else if (event.key === 'End') j = tabs.length - 1;
      if (j < 0) return;
      event.preventDefault();
      tabs[j].focus();
      showView(tabs[j].id.replace('tab-', '') as View);
    });
  }
  showView(view);

  // ---- buttons ----
  function refreshButtons(): void {
    const ready = playground !== null && busy === null;
    ui.run.disabled = !ready || settings === null;
    ui.compareRun.disabled = !ready || settings === null;
    ui.cancel.disabled = busy === null || busy === 'demonstrate';
    if (busy !== 'run' && activeElement() === ui.cancelInline) ui.run.focus({ preventScroll: true });
    ui.cancelInline.hidden = busy !== 'run';
    controls.setLocked(busy !== null);
    for (const button of root.querySelectorAll<HTMLButtonElement>('button.try')) button.disabled = !ready;
    for (const button of Object.values(ui.exports)) button.disabled = busy !== null || lastRun === null;
    ui.run.textContent = busy === 'run' ? 'Running…' : 'Run';
    ui.compareRun.textContent = busy === 'compare' ? 'Comparing…' : 'Run the comparison';
  }

  /** A warning that depends on the runtime's limits, shown above Run. */
  function updateNote(): void {
    const note = $('#settings-note');
    const max = playground?.info.maxLiveThreads ?? 0;
    if (settings && max > 0 && settings.strategy === 'spawn-per-task' && settings.spawnCap === null && settings.tasks > max) {
      note.textContent = `One worker per task with no thread cap: this runtime allows at most ${count(max)} live threads, so of ${count(settings.tasks)} tasks the ones that find no free thread fail to start. That is the tutorial's resource exhaustion, made real; set a thread cap under More settings to make them wait instead.`;
      note.hidden = false;
    } else {
      note.hidden = true;
    }
  }

  function say(message: string): void {
    ui.status.textContent = message;
  }

  // ---- one run ----
  let latest: Progress | null = null;
  let frame = 0;
  function scheduleFrame(): void {
    if (frame === 0) frame = requestAnimationFrame(drawFrame);
  }
  function drawFrame(): void {
    frame = 0;
    if (latest) {
      live.show(latest);
      ui.queueHigh.textContent = `(high-water ${count(latest.stats.queueHighWater)})`;
    }
    charts.render();
    timeline.flush();
  }

  async function startRun(run: Settings): Promise<RunSummary | null> {
    if (!playground || busy) return null;
    busy = 'run';
    abort = new AbortController();
    refreshButtons();
    const config = toRunConfig(run);
    const events: TimelineEvent[] = [];
    latest = null;
    live.reset(run.tasks);
    charts.reset();
    timeline.reset(run.strategy, run.workers, run.tasks);
    ui.queueHigh.textContent = '';
    say(`Running ${count(run.tasks)} tasks: ${STRATEGY_LABEL[run.strategy]}${run.strategy === 'spawn-per-task' ? '' : `, ${count(run.workers)} ${run.strategy === 'rayon' ? 'threads' : 'workers'}`}…`);
    try {
      const summary = await playground.run(config, {
        signal: abort.signal,
        onProgress(progress) {
          latest = progress;
          if (progress.events.length) {
            for (const e of progress.events) events.push(e);
            timeline.append(progress.events);
          }
          charts.push(progress);
          scheduleFrame();
        },
      });
      if (frame) cancelAnimationFrame(frame);
      drawFrame();
      const done = summary.succeeded + summary.failed + summary.panicked + summary.timedOut + summary.cancelled;
      live.final(done, summary.elapsedMs, summary.aborted);
      timeline.finish(summary.elapsedMs);
      renderSummary(ui.summary, summary, run.seed);
      lastRun = {
        settings: run, config, summary, events,
        runtimeVersion: playground.info.version, finishedAt: new Date().toISOString(),
      };
      say(summary.aborted
        ? `Cancelled after ${ms(summary.elapsedMs)}: ${count(done)} of ${count(summary.tasks)} tasks accounted for, ${count(summary.cancelled)} cancelled.`
        : `Finished ${count(summary.tasks)} tasks in ${ms(summary.elapsedMs)}: ${count(summary.succeeded)} succeeded, ${count(summary.failed)} failed.`);
      return summary;
    } catch (error) {
      if (error instanceof ConfigError) {
        const key = keyForField(error.field);
        if (key) controls.showRuntimeError(key, error.message);
        say(`The runtime refused the settings: ${error.message}. Nothing ran.`);
      } else {
        say(`The run failed: ${(error as Error).message}`);
      }
      return null;
    } finally {
      busy = null;
      abort = null;
      refreshButtons();
    }
  }

  ui.run.addEventListener('click', () => {
    const current = controls.read();
    if (!current) return;
    // On a narrow screen the live view is below the settings: bring it up.
    if (matchMedia('(max-width: 900px)').matches) $('#panel-run').scrollIntoView({ block: 'start' });
    void startRun(current);
  });
  for (const button of [ui.cancel, ui.cancelInline]) {
    button.addEventListener('click', () => {
      abort?.abort();
      say('Cancelling…');
    });
  }
  const onKeydown = (event: Event) => {
    if ((event as KeyboardEvent).key === 'Escape' && abort) {
      abort.abort();
      say('Cancelling…');
    }
  };
  root.addEventListener('keydown', onKeydown);

  // In a shadow root, links to #ids (the lessons' contents) cannot use the
  // document's fragment navigation: scroll to the target inside the root.
  if (embedded) {
    root.addEventListener('click', (event) => {
      const link = (event.target as Element | null)?.closest?.('a[href^="#"]');
      const target = link && root.querySelector<HTMLElement>(`#${CSS.escape(link.getAttribute('href')!.slice(1))}`);
      if (!target) return;
      event.preventDefault();
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    });
  }

  // ---- compare ----
  async function startCompare(run: Settings): Promise<void> {
    if (!playground || busy) return;
    busy = 'compare';
    abort = new AbortController();
    refreshButtons();
    ui.compareRow.hidden = false;
    ui.compareBar.value = 0;
    ui.compareResults.replaceChildren();
    delete ui.compareResults.dataset.results;
    say(`Comparing ${COMPARED.length} strategies on ${count(run.tasks)} tasks…`);
    let compareFrame = 0;
    let step = { index: 0, label: '', progress: null as Progress | null };
    const paint = () => {
      compareFrame = 0;
      const done = step.progress ? step.progress.stats.succeeded + step.progress.stats.failed + step.progress.stats.panicked + step.progress.stats.timedOut + step.progress.stats.cancelled : 0;
      ui.compareBar.value = step.index + done / Math.max(1, run.tasks);
      ui.compareText.textContent = `${step.index + 1} of ${COMPARED.length}: ${step.label} · ${count(done)} / ${count(run.tasks)} tasks`;
    };
    try {
      const { results, cancelled } = await runComparison(run, {
        create: () => createPlayground(),
        signal: abort.signal,
        onStep(index, strategy, progress) {
          step = { index, label: STRATEGY_LABEL[strategy], progress };
          if (!compareFrame) compareFrame = requestAnimationFrame(paint);
        },
      });
      if (compareFrame) cancelAnimationFrame(compareFrame);
      ui.compareBar.value = results.length;
      ui.compareText.textContent = cancelled ? `Cancelled after ${results.length} of ${COMPARED.length}.` : `Done: ${COMPARED.length} of ${COMPARED.length}.`;
      renderComparison(ui.compareResults, results, run, cancelled);
      say(cancelled ? 'Comparison cancelled.' : 'Comparison finished.');
    } catch (error) {
      if (error instanceof ConfigError) {
        const key = keyForField(error.field);
        if (key) controls.showRuntimeError(key, error.message);
        say(`The runtime refused the settings: ${error.message}.`);
      } else {
        say(`The comparison failed: ${(error as Error).message}`);
      }
    } finally {
      busy = null;
      abort = null;
      refreshButtons();
    }
  }
  ui.compareRun.addEventListener('click', () => {
    const current = controls.read();
    if (current) void startCompare(current);
  });

  // ---- lessons ----
  const reports = renderLessons($('#lessons'), (lesson, button) => void tryLesson(lesson, button));

  async function tryLesson(lesson: Lesson, button: HTMLButtonElement): Promise<void> {
    if (!playground || busy) return;
    const report = reports.get(lesson.id)!;
    const action = lesson.action;
    if (action.kind === 'demonstrate') {
      busy = 'demonstrate';
      refreshButtons();
      report.replaceChildren('Running the demonstration on real threads…');
      delete report.dataset.report;
      try {
        renderReport(report, await playground.demonstrate(action.error));
        say(`Demonstrated: ${lesson.title}.`);
      } catch (error) {
        report.textContent = `The demonstration failed: ${(error as Error).message}`;
      } finally {
        busy = null;
        refreshButtons();
        button.focus();
      }
      return;
    }
    const preset: Settings = { ...DEFAULTS, ...action.preset };
    controls.set(preset);
    settings = preset;
    if (action.kind === 'compare') {
      showView('compare', true);
      await startCompare(preset);
      report.textContent = 'The comparison is in the Compare view.';
      report.dataset.ran = 'compare';
      return;
    }
    showView('run', true);
    const summary = await startRun(preset);
    if (summary) {
      report.textContent = `Last try: ${count(summary.succeeded)} succeeded, ${count(summary.failed)} failed, ${count(summary.timedOut)} timed out, ${count(summary.panicked)} panicked, ${count(summary.cancelled)} cancelled, in ${ms(summary.elapsedMs)} (see the Run view).`;
      report.dataset.summary = JSON.stringify(summary);
    }
  }

  // ---- share and export ----
  // Only the page's own address carries the settings; an embedded playground
  // has nothing to share.
  if (!syncUrl) ui.share.hidden = true;
  ui.share.addEventListener('click', async () => {
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      say('A link to these settings was copied.');
    } catch {
      ui.shareUrl.hidden = false;
      ui.shareUrl.value = url;
      ui.shareUrl.select();
      say('Copy the selected link.');
    }
  });
  for (const [kind, button] of Object.entries(ui.exports) as [keyof typeof ui.exports, HTMLButtonElement][]) {
    button.addEventListener('click', () => {
      if (lastRun) exportRun(kind, lastRun);
    });
  }

  // ---- start the runtime ----
  async function start(): Promise<boolean> {
    const threads = navigator.hardwareConcurrency;
    try {
      if (!crossOriginIsolated && syncUrl && reloadMayCome()) {
        // coi-serviceworker is about to reload the page once, isolated: say so
        // rather than flash an error, unless no reload comes.
        ui.isolation.lastChild!.textContent = 'Enabling cross-origin isolation: the page reloads once…';
        await awaitReload();
        if (disposed) return false;
      }
      const created = await createPlayground();
      if (disposed) {
        created.dispose();
        return false;
      }
      playground = created;
    } catch (error) {
      if (disposed) return false;
      ui.isolation.classList.add('bad');
      if (error instanceof NotIsolatedError) {
        ui.isolation.lastChild!.textContent = `Not cross-origin isolated · nothing can run · ${count(threads)} threads in this browser`;
        ui.notIsolatedMessage.textContent = error.message;
        root.querySelector('#not-isolated-advice')!.innerHTML = adviceHtml(!syncUrl);
        ui.notIsolated.hidden = false;
        say('Run is disabled: this page is not cross-origin isolated (see the message above).');
      } else {
        ui.isolation.lastChild!.textContent = `The runtime did not start · ${count(threads)} threads in this browser`;
        say(`The runtime did not start: ${(error as Error).message}`);
      }
      refreshButtons();
      return false;
    }
    const info = playground.info;
    ui.isolation.classList.add('good');
    ui.isolation.lastChild!.textContent =
      `Cross-origin isolated · shared memory ${info.sharedMemory} · ${count(info.hardwareConcurrency)} threads available · wasm-worker-pool ${info.version}`;
    ui.isolation.title = `Shared memory ${Math.round(info.memoryBytes / 2 ** 20)} MB of at most ${Math.round(info.maxMemoryBytes / 2 ** 20)} MB; thread stacks ${Math.round(info.threadStackBytes / 1024)} KB`;
    refreshButtons();
    updateNote();
    say('Ready. Press Run.');
    return true;
  }
  refreshButtons();
  const ready = start();

  return {
    get settings() { return settings; },
    get busy() { return busy; },
    ready,
    dispose() {
      if (disposed) return;
      disposed = true;
      abort?.abort();
      abort = null;
      if (frame) cancelAnimationFrame(frame);
      playground?.dispose();
      playground = null;
      charts.destroy();
      timeline.destroy();
      root.removeEventListener('keydown', onKeydown);
      for (const node of nodes) node.remove();
    },
  };
}
