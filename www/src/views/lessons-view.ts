// The Lessons view: the tutorial's lessons (their text, code and presets are
// lessons.ts, their markup lesson-markup.ts), each with "Try it". A try loads
// its preset into the controls (the settings column says what it changed,
// with an Undo) and runs or compares it in that view, or, for a common error,
// runs its demonstration (the mistake, then the fix) on real threads and
// reports both under the lesson. A run the lesson explains is reported from
// its summary.
import type { RunSummary } from 'wasm-worker-pool';
import { DEFAULTS, type Settings } from '../config';
import { count, ms } from '../format';
import { clearReport, renderDemonstration, renderExplanation, renderLessons } from '../lesson-markup';
import type { Lesson } from '../lessons';
import type { View } from '../url-state';
import type { ViewContext } from './context';

/** The rest of the playground, as a try uses it. */
export interface LessonHooks {
  /** Shows these settings in the controls and makes them the current ones, saying that `source` changed them (with an Undo). */
  load(settings: Settings, source: string): void;
  show(view: View, focusPanel: boolean): void;
  run(settings: Settings): Promise<RunSummary | null>;
  compare(settings: Settings): Promise<void>;
}

export class LessonsView {
  private box: HTMLElement;
  private reports: Map<string, HTMLElement>;

  constructor(private context: ViewContext, private hooks: LessonHooks) {
    this.box = context.$('#lessons');
    this.reports = renderLessons(this.box, (lesson, button) => void this.try(lesson, button));
  }

  /** `canStart`: the runtime is up and nothing runs. */
  refresh(canStart: boolean): void {
    for (const button of this.box.querySelectorAll<HTMLButtonElement>('button.try')) button.disabled = !canStart;
  }

  private async try(lesson: Lesson, button: HTMLButtonElement): Promise<void> {
    if (!this.context.exclusive.idle) return;
    const report = this.reports.get(lesson.id)!;
    const action = lesson.action;
    if (action.kind === 'demonstrate') {
      await this.context.exclusive.run('demonstrate', async (playground) => {
        report.replaceChildren('Running the mistake, then the fix, on real threads…');
        clearReport(report);
        renderDemonstration(report, await playground.demonstrate(action.error), action.failure);
        this.context.say(`Demonstrated: ${lesson.title}.`);
      }, {
        failed: (message) => { report.textContent = `The demonstration failed: ${message}`; },
      });
      button.focus();
      return;
    }
    const preset: Settings = { ...DEFAULTS, ...action.preset };
    this.hooks.load(preset, lesson.title);
    if (action.kind === 'compare') {
      this.hooks.show('compare', true);
      await this.hooks.compare(preset);
      report.textContent = 'The comparison is in the Compare view.';
      report.dataset.ran = 'compare';
      return;
    }
    this.hooks.show('run', true);
    const summary = await this.hooks.run(preset);
    if (summary && action.explain && !summary.aborted) {
      renderExplanation(report, action.explain(summary));
      report.dataset.summary = JSON.stringify(summary);
    } else if (summary) {
      clearReport(report);
      report.textContent = `Last try: ${count(summary.succeeded)} succeeded, ${count(summary.failed)} failed, ${count(summary.timedOut)} timed out, ${count(summary.panicked)} panicked, ${count(summary.cancelled)} cancelled, in ${ms(summary.elapsedMs)} (see the Run view).`;
      report.dataset.summary = JSON.stringify(summary);
    }
  }
}
