// A lesson's "Try it" replaces the settings: this notice above them says
// which it changed, from what to what, with an Undo that puts the previous
// ones back. It goes away once the settings change again, since it would no
// longer describe them.
import type { ShownSetting } from './controls';
import { counted } from './format';

export interface Change { label: string; from: string; to: string }

/** The settings whose shown value differs, in the form's order. */
export function changesBetween(before: readonly ShownSetting[], after: readonly ShownSetting[]): Change[] {
  const was = new Map(before.map((s) => [s.key, s.text]));
  return after
    .filter((s) => was.get(s.key) !== s.text)
    .map((s) => ({ label: s.label, from: was.get(s.key) ?? '', to: s.text }));
}

export class ChangeNotice {
  private undoButton: HTMLButtonElement | null = null;

  constructor(private box: HTMLElement) {}

  /** `source` changed these settings; `undo` puts the previous ones back (the notice then says so). */
  show(source: string, changes: readonly Change[], undo: () => void): void {
    const p = document.createElement('p');
    this.box.replaceChildren(p);
    this.undoButton = null;
    if (changes.length === 0) {
      p.textContent = `${source} kept your settings: they already were its own.`;
    } else {
      p.textContent = `${source} changed ${counted(changes.length, 'setting')}:`;
      const list = document.createElement('ul');
      for (const change of changes) {
        const li = document.createElement('li');
        li.textContent = `${change.label}: ${change.from} → ${change.to}`;
        list.append(li);
      }
      const button = document.createElement('button');
      button.type = 'button';
      button.id = 'undo-settings';
      button.textContent = `Undo: back to the previous ${changes.length === 1 ? 'value' : 'settings'}`;
      button.addEventListener('click', () => {
        undo();
        p.textContent = `Undone: the settings from before ${source} are back.`;
        this.box.replaceChildren(p);
        this.undoButton = null;
      });
      this.undoButton = button;
      this.box.append(list, button);
    }
    this.box.hidden = false;
  }

  hide(): void {
    this.box.hidden = true;
    this.box.replaceChildren();
    this.undoButton = null;
  }

  /** Undo only while nothing runs: the controls are locked then. */
  refresh(canUndo: boolean): void {
    if (this.undoButton) this.undoButton.disabled = !canUndo;
  }
}
