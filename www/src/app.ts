// The Worker Pool Playground: wires the controls, the three views (Run,
// Compare, Lessons: views/), the URL state and the exports to the package
// API. It mounts into any container: the page's body (main.ts, with the
// settings in the URL) or the shadow root of <worker-pool-playground>
// (element.ts). Every lookup goes through `root`, never the document, so that
// several can live on one page. It uses only 'wasm-worker-pool', exactly as
// any embedder would. The CSS comes from whoever mounts it.
import { createPlayground, NotIsolatedError, type Playground } from 'wasm-worker-pool';
import { ChangeNotice, changesBetween } from './change-notice';
import { DEFAULTS, type Settings } from './config';
import { Controls, type ControlValues } from './controls';
import { estimateRunMs, LONG_RUN_MS } from './estimate';
import { Exclusive, type Busy } from './exclusive';
import { exportRun } from './export';
import { count, roughly } from './format';
import { adviceHtml, awaitReload, reloadMayCome } from './isolation';
import { markup } from './markup';
import { ShowCode } from './show-code';
import { SweepView } from './sweep';
import { Tabs } from './tabs';
import { decode, decodeTime, writeUrl, type View } from './url-state';
import { CompareView } from './views/compare-view';
import type { ViewContext } from './views/context';
import { LessonsView } from './views/lessons-view';
import { RunView } from './views/run-view';

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
  /** What is running: a run, a comparison, a demonstration, a sweep of the workers, or nothing. */
  readonly busy: Busy | null;
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

  const $ = <T extends HTMLElement = HTMLElement>(selector: string) => root.querySelector<T>(selector)!;
  let disposed = false;

  const ui = {
    isolation: $('#isolation'),
    urlMessage: $('#url-message'),
    notIsolated: $('#not-isolated'),
    notIsolatedMessage: $('#not-isolated-message'),
    form: $<HTMLFormElement>('#controls'),
    cancel: $<HTMLButtonElement>('#cancel'),
    cancelInline: $<HTMLButtonElement>('#cancel-inline'),
    status: $('#run-status'),
    estimate: $('#run-estimate'),
    share: $<HTMLButtonElement>('#share'),
    shareUrl: $<HTMLInputElement>('#share-url'),
    exports: { json: $<HTMLButtonElement>('#export-json'), csv: $<HTMLButtonElement>('#export-csv'), trace: $<HTMLButtonElement>('#export-trace') },
  };

  // ---- state ----
  const initial = syncUrl
    ? decode(location.search)
    : { settings: withDefaults(options.initial), view: options.view ?? 'run', problems: options.problems ?? [] };
  const sync = (next: Settings, nextView: View) => {
    // The replay's cursor goes with the settings (t=), once placed on a run.
    if (syncUrl) writeUrl(next, nextView, runView.linkTime);
  };
  let settings: Settings | null = initial.settings;
  let view: View = initial.view;
  let playground: Playground | null = null;
  const say = (message: string) => {
    ui.status.textContent = message;
  };
  /** Where focus is in this playground (null: outside it, in the host page). */
  const focused = () => (embedded ? (root as ShadowRoot).activeElement : document.activeElement);

  // ---- views and controls ----
  const exclusive = new Exclusive({
    playground: () => playground,
    changed: refreshButtons,
    refused: (key, message) => controls.showRuntimeError(key, message),
  });
  const context: ViewContext = {
    $, exclusive, read: () => controls.read(), say,
    note: (key, text) => controls.note(key, text),
    refresh: refreshButtons,
    linkChanged: () => {
      if (settings) sync(settings, view);
    },
  };
  const runView = new RunView(context);
  const compareView = new CompareView(context);
  const sweepView = new SweepView(context, () => playground?.info.hardwareConcurrency ?? navigator.hardwareConcurrency ?? 1);
  const notice = new ChangeNotice($('#settings-changed'));
  const showCode = new ShowCode({
    javascript: $('#code-js'), rust: $('#code-rust'),
    copyJavascript: $<HTMLButtonElement>('#copy-js'), copyRust: $<HTMLButtonElement>('#copy-rust'),
    invalid: $('#show-code-invalid'), blocks: $('#show-code-blocks'), status: $('#show-code-status'),
  });
  const controls = new Controls(ui.form, {
    onSubmit: () => runView.requestRun(),
    onChange(next) {
      queueMicrotask(updateNote);
      queueMicrotask(updateEstimate);
      queueMicrotask(() => showCode.update(settings));
      // The user changed a setting: a notice of what a lesson changed no longer describes them.
      notice.hide();
      // During a pool run only Workers can change: the running pool follows it.
      if (exclusive.busy === 'run') runView.resizeTo(next?.workers ?? null);
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
  const tabs = new Tabs(root, (next) => {
    view = next;
    if (settings) sync(settings, view);
    if (next === 'run') runView.redraw();
  });
  const lessonsView = new LessonsView(context, {
    load(preset, source) {
      const before = controls.snapshot();
      const shownBefore = controls.shown(before);
      controls.set(preset);
      settings = preset;
      sync(preset, view);
      notice.show(`Try it (“${source}”)`, changesBetween(shownBefore, controls.shown()), () => undo(before));
      updateNote();
      updateEstimate();
      showCode.update(settings);
    },
    show: (next, focusPanel) => tabs.show(next, focusPanel),
    run: (preset) => runView.start(preset),
    compare: (preset) => compareView.start(preset),
  });

  controls.set(initial.settings);
  // Settings given to mountPlayground may be out of range: the controls say so.
  settings = controls.read();
  updateEstimate();
  showCode.update(settings);
  runView.showEmpty(initial.settings);
  ui.form.append(controls.problem);
  ui.form.insertBefore(controls.problem, ui.form.querySelector('.actions'));
  if (initial.problems.length > 0) showProblems(initial.problems);
  // A link's moment of the run (t=): the replay's cursor goes there once the
  // first run ends. A bad one is said on its own; the rest of the link stands.
  const linked = syncUrl && initial.problems.length === 0 ? decodeTime(location.search) : { time: null, problem: null };
  if (linked.problem) showTimeProblem(linked.problem);
  runView.placeAfterRun(linked.time);
  tabs.show(view);

  /** Puts back the settings a lesson replaced, as they were typed. */
  function undo(before: ControlValues): void {
    controls.restore(before);
    settings = controls.read();
    if (settings) sync(settings, view);
    refreshButtons();
    updateNote();
    updateEstimate();
    showCode.update(settings);
    // The Undo button is gone: the keyboard goes on from Run.
    $<HTMLButtonElement>('#run').focus({ preventScroll: true });
  }

  /** Why the link's (or the attributes') settings were not used. */
  function showProblems(problems: string[]): void {
    ui.urlMessage.replaceChildren();
    const p = document.createElement('p');
    p.textContent = syncUrl
      ? "This link's settings could not be used, so the defaults are loaded instead. Nothing was run."
      : "This playground's attributes could not be used, so the defaults are loaded instead. Nothing was run.";
    const list = document.createElement('ul');
    for (const problem of problems) {
      const li = document.createElement('li');
      li.textContent = problem;
      list.append(li);
    }
    ui.urlMessage.append(p, list);
    ui.urlMessage.hidden = false;
    sync(initial.settings, 'run');
  }

  /** Why the link's t= was not used; its settings were. */
  function showTimeProblem(problem: string): void {
    const p = document.createElement('p');
    p.textContent = "This link's replay time could not be used; its settings are loaded. After a run, the replay starts at the end of it.";
    const list = document.createElement('ul');
    const li = document.createElement('li');
    li.textContent = problem;
    list.append(li);
    ui.urlMessage.replaceChildren(p, list);
    ui.urlMessage.hidden = false;
    if (settings) sync(settings, view);
  }

  // ---- buttons ----
  function refreshButtons(): void {
    const before = focused();
    const busy = exclusive.busy;
    runView.refresh(exclusive.idle && settings !== null, busy);
    compareView.refresh(exclusive.idle && settings !== null, busy);
    sweepView.refresh(exclusive.idle && settings !== null, busy, settings);
    lessonsView.refresh(exclusive.idle);
    ui.cancel.disabled = !exclusive.cancellable;
    controls.setLocked(busy !== null, busy === 'run' ? runView.liveKeys : []);
    for (const button of Object.values(ui.exports)) button.disabled = busy !== null || runView.lastRun === null;
    notice.refresh(exclusive.idle);
    runView.keepFocus(before, busy);
  }

  /** How long a run of the settings should take, beside Run; a long one is a warning. */
  function updateEstimate(): void {
    if (!settings) {
      ui.estimate.hidden = true;
      return;
    }
    const estimate = estimateRunMs(settings, {
      cores: playground?.info.hardwareConcurrency ?? navigator.hardwareConcurrency ?? 1,
      maxLiveThreads: playground?.info.maxLiveThreads ?? 512,
    });
    const long = estimate >= LONG_RUN_MS;
    ui.estimate.textContent = `Estimated run time: ${roughly(estimate)}${long ? '. A long run: Cancel (or Esc) stops it.' : '.'}`;
    ui.estimate.classList.toggle('long', long);
    ui.estimate.hidden = false;
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

  // ---- cancel ----
  for (const button of [ui.cancel, ui.cancelInline]) {
    button.addEventListener('click', () => {
      exclusive.cancel();
      say('Cancelling…');
    });
  }
  const onKeydown = (event: Event) => {
    if ((event as KeyboardEvent).key === 'Escape' && exclusive.cancel()) say('Cancelling…');
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
      if (runView.lastRun) exportRun(kind, runView.lastRun);
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
        $('#not-isolated-advice').innerHTML = adviceHtml(!syncUrl);
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
      `Cross-origin isolated · threads share memory: ${info.sharedMemory ? 'yes' : 'no'} · ${count(info.hardwareConcurrency)} threads available · wasm-worker-pool ${info.version}`;
    ui.isolation.title = `Shared memory ${Math.round(info.memoryBytes / 2 ** 20)} MB of at most ${Math.round(info.maxMemoryBytes / 2 ** 20)} MB; thread stacks ${Math.round(info.threadStackBytes / 1024)} KB`;
    refreshButtons();
    updateNote();
    updateEstimate();
    say('Ready. Press Run.');
    return true;
  }
  refreshButtons();
  const ready = start();

  return {
    get settings() { return settings; },
    get busy() { return exclusive.busy; },
    ready,
    dispose() {
      if (disposed) return;
      disposed = true;
      exclusive.cancel();
      playground?.dispose();
      playground = null;
      runView.destroy();
      sweepView.destroy();
      root.removeEventListener('keydown', onKeydown);
      for (const node of nodes) node.remove();
    },
  };
}
